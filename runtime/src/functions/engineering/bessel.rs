//! BESSELI, BESSELJ, BESSELK and BESSELY.
//!
//! Excel computes the orders 0 and 1 with the classic polynomial and
//! rational approximations (Abramowitz & Stegun 9.8 for I and K, Hart's
//! rational fits for J and Y), good to about 1e-8, and higher orders by
//! recurrence; its values carry those approximations' errors
//! (`BESSELJ(0,0)` is 1.00000000283141). The same approximations are used
//! here so the results agree with Excel's to far better than their own
//! accuracy.

use crate::value::ExcelError;

/// Evaluates the polynomial with coefficients `c` (lowest first) at `y`.
fn poly(c: &[f64], y: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, k| acc * y + k)
}

/// 2/π to the nine digits the approximations were fitted with; the full
/// constant would move the results away from Excel's.
#[expect(clippy::approx_constant, reason = "Excel's approximations use 2/π to nine digits")]
const TWO_OVER_PI: f64 = 0.636_619_772;

/// The asymptotic phase terms of J0 and Y0 for x ≥ 8.
const P0: [f64; 5] =
    [1.0, -0.109_862_862_7e-2, 0.273_451_040_7e-4, -0.207_337_063_9e-5, 0.209_388_721_1e-6];
const Q0: [f64; 5] = [
    -0.156_249_999_5e-1,
    0.143_048_876_5e-3,
    -0.691_114_765_1e-5,
    0.762_109_516_1e-6,
    -0.934_935_152e-7,
];
/// The asymptotic phase terms of J1 and Y1 for x ≥ 8.
const P1: [f64; 5] =
    [1.0, 0.183_105e-2, -0.351_639_649_6e-4, 0.245_752_017_4e-5, -0.240_337_019e-6];
const Q1: [f64; 5] =
    [0.046_874_999_95, -0.200_269_087_3e-3, 0.844_919_909_6e-5, -0.882_289_87e-6, 0.105_787_412e-6];

/// (√(2/(πx)), 8/x, the two phase series) for the large-argument forms.
fn asymptotic(ax: f64, p: &[f64], q: &[f64]) -> (f64, f64, f64, f64) {
    let z = 8.0 / ax;
    let y = z * z;
    ((TWO_OVER_PI / ax).sqrt(), z, poly(p, y), poly(q, y))
}

fn j0(x: f64) -> f64 {
    let ax = x.abs();
    if ax < 8.0 {
        let y = x * x;
        let num = [
            57_568_490_574.0,
            -13_362_590_354.0,
            651_619_640.7,
            -11_214_424.18,
            77_392.330_17,
            -184.905_245_6,
        ];
        let den =
            [57_568_490_411.0, 1_029_532_985.0, 9_494_680.718, 59_272.648_53, 267.853_271_2, 1.0];
        return poly(&num, y) / poly(&den, y);
    }
    let (scale, z, p, q) = asymptotic(ax, &P0, &Q0);
    let xx = ax - 0.785_398_164;
    scale * (xx.cos() * p - z * xx.sin() * q)
}

// FIXME: for |x| ≥ 8 Excel's J₁ differs from these coefficients by up to
// 5e-7 (`BESSELJ(10,1)` is 0.04347224965225415 in Excel, 0.0434727463 here),
// and the orders above 1 inherit the difference through the recurrence;
// Excel's exact large-argument terms for J₁ are not known.
fn j1(x: f64) -> f64 {
    let ax = x.abs();
    if ax < 8.0 {
        let y = x * x;
        let num = [
            72_362_614_232.0,
            -7_895_059_235.0,
            242_396_853.1,
            -2_972_611.439,
            15_704.482_60,
            -30.160_366_06,
        ];
        let den =
            [144_725_228_442.0, 2_300_535_178.0, 18_583_304.74, 99_447.433_94, 376.999_139_7, 1.0];
        return x * poly(&num, y) / poly(&den, y);
    }
    let (scale, z, p, q) = asymptotic(ax, &P1, &Q1);
    let xx = ax - 2.356_194_491;
    let res = scale * (xx.cos() * p - z * xx.sin() * q);
    if x < 0.0 {
        -res
    } else {
        res
    }
}

fn y0(x: f64) -> f64 {
    if x < 8.0 {
        let y = x * x;
        let num = [
            -2_957_821_389.0,
            7_062_834_065.0,
            -512_359_803.6,
            10_879_881.29,
            -86_327.927_57,
            228.462_273_3,
        ];
        let den =
            [40_076_544_269.0, 745_249_964.8, 7_189_466.438, 47_447.264_70, 226.103_024_4, 1.0];
        return poly(&num, y) / poly(&den, y) + TWO_OVER_PI * j0(x) * x.ln();
    }
    let (scale, z, p, q) = asymptotic(x, &P0, &Q0);
    let xx = x - 0.785_398_164;
    scale * (xx.sin() * p + z * xx.cos() * q)
}

fn y1(x: f64) -> f64 {
    if x < 8.0 {
        let y = x * x;
        let num = [
            -0.490_060_494_3e13,
            0.127_527_439_0e13,
            -0.515_343_813_9e11,
            0.734_926_455_1e9,
            -0.423_792_272_6e7,
            0.851_193_793_5e4,
        ];
        let den = [
            0.249_958_057_0e14,
            0.424_441_966_4e12,
            0.373_365_036_7e10,
            0.224_590_400_2e8,
            0.102_042_605_0e6,
            0.354_963_288_5e3,
            1.0,
        ];
        return x * poly(&num, y) / poly(&den, y) + TWO_OVER_PI * (j1(x) * x.ln() - 1.0 / x);
    }
    let (scale, z, p, q) = asymptotic(x, &P1, &Q1);
    let xx = x - 2.356_194_491;
    scale * (xx.sin() * p + z * xx.cos() * q)
}

fn i0(x: f64) -> f64 {
    let ax = x.abs();
    if ax < 3.75 {
        let y = (x / 3.75) * (x / 3.75);
        return poly(
            &[1.0, 3.515_622_9, 3.089_942_4, 1.206_749_2, 0.265_973_2, 0.360_768e-1, 0.458_13e-2],
            y,
        );
    }
    let y = 3.75 / ax;
    let c = [
        0.398_942_28,
        0.132_859_2e-1,
        0.225_319e-2,
        -0.157_565e-2,
        0.916_281e-2,
        -0.205_770_6e-1,
        0.263_553_7e-1,
        -0.164_763_3e-1,
        0.392_377e-2,
    ];
    ax.exp() / ax.sqrt() * poly(&c, y)
}

fn i1(x: f64) -> f64 {
    let ax = x.abs();
    let res = if ax < 3.75 {
        let y = (x / 3.75) * (x / 3.75);
        ax * poly(
            &[
                0.5,
                0.878_905_94,
                0.514_988_69,
                0.150_849_34,
                0.265_873_3e-1,
                0.301_532e-2,
                0.324_11e-3,
            ],
            y,
        )
    } else {
        let y = 3.75 / ax;
        let c = [
            0.398_942_28,
            -0.398_802_4e-1,
            -0.362_018e-2,
            0.163_801e-2,
            -0.103_155_5e-1,
            0.228_296_7e-1,
            -0.289_531_2e-1,
            0.178_765_4e-1,
            -0.420_059e-2,
        ];
        ax.exp() / ax.sqrt() * poly(&c, y)
    };
    if x < 0.0 {
        -res
    } else {
        res
    }
}

fn k0(x: f64) -> f64 {
    if x <= 2.0 {
        let y = x * x / 4.0;
        let c = [
            -0.577_215_66,
            0.422_784_20,
            0.230_697_56,
            0.348_859_0e-1,
            0.262_698e-2,
            0.107_50e-3,
            0.74e-5,
        ];
        return -(x / 2.0).ln() * i0(x) + poly(&c, y);
    }
    let y = 2.0 / x;
    let c = [
        1.253_314_14,
        -0.783_235_8e-1,
        0.218_956_8e-1,
        -0.106_244_6e-1,
        0.587_872e-2,
        -0.251_540e-2,
        0.532_08e-3,
    ];
    (-x).exp() / x.sqrt() * poly(&c, y)
}

fn k1(x: f64) -> f64 {
    if x <= 2.0 {
        let y = x * x / 4.0;
        let c = [
            1.0,
            0.154_431_44,
            -0.672_785_79,
            -0.181_568_97,
            -0.191_940_2e-1,
            -0.110_404e-2,
            -0.468_6e-4,
        ];
        return (x / 2.0).ln() * i1(x) + poly(&c, y) / x;
    }
    let y = 2.0 / x;
    let c = [
        1.253_314_14,
        0.234_986_19,
        -0.365_562_0e-1,
        0.150_426_8e-1,
        -0.780_353e-2,
        0.325_614e-2,
        -0.682_45e-3,
    ];
    (-x).exp() / x.sqrt() * poly(&c, y)
}

/// Rescaling bound for the downward recurrences.
const BIG: f64 = 1e10;

/// n + √(40n): how far above order `n` the downward (Miller) recurrences
/// start, 40 being the accuracy constant of the classic method.
fn miller_offset(n: u32) -> u32 {
    n + (40.0 * f64::from(n)).sqrt() as u32
}

/// Iₙ(x) by downward recurrence, normalized with I₀.
fn i_n(n: u32, x: f64) -> f64 {
    if x == 0.0 {
        return 0.0;
    }
    let tox = 2.0 / x.abs();
    let (mut next, mut current, mut res) = (0.0, 1.0, 0.0);
    for j in (1..=2 * miller_offset(n)).rev() {
        let previous = next + f64::from(j) * tox * current;
        next = current;
        current = previous;
        if current.abs() > BIG {
            res /= BIG;
            current /= BIG;
            next /= BIG;
        }
        if j == n {
            res = next;
        }
    }
    let res = res * i0(x) / current;
    if x < 0.0 && n % 2 == 1 {
        -res
    } else {
        res
    }
}

/// Jₙ(x): upward recurrence where x > n, else Miller's downward recurrence
/// normalized by J₀ + 2(J₂ + J₄ + ...) = 1.
fn j_n(n: u32, x: f64) -> f64 {
    let ax = x.abs();
    if ax == 0.0 {
        return 0.0;
    }
    let tox = 2.0 / ax;
    let res = if ax > f64::from(n) {
        let (mut below, mut current) = (j0(ax), j1(ax));
        for j in 1..n {
            let above = f64::from(j) * tox * current - below;
            below = current;
            current = above;
        }
        current
    } else {
        let (mut next, mut current, mut res, mut sum) = (0.0, 1.0, 0.0, 0.0);
        let mut even = false;
        for j in (1..=2 * (miller_offset(n) / 2)).rev() {
            let previous = f64::from(j) * tox * current - next;
            next = current;
            current = previous;
            if current.abs() > BIG {
                current /= BIG;
                next /= BIG;
                res /= BIG;
                sum /= BIG;
            }
            if even {
                sum += current;
            }
            even = !even;
            if j == n {
                res = next;
            }
        }
        res / (2.0 * sum - current)
    };
    if x < 0.0 && n % 2 == 1 {
        -res
    } else {
        res
    }
}

/// Kₙ(x) or Yₙ(x) by upward recurrence from orders 0 and 1; `sign` is +1
/// for K (Kₙ₊₁ = Kₙ₋₁ + 2n/x Kₙ) and -1 for Y.
fn upward(n: u32, x: f64, zero: f64, one: f64, sign: f64) -> f64 {
    if n == 0 {
        return zero;
    }
    let tox = 2.0 / x;
    let (mut below, mut current) = (zero, one);
    for j in 1..n {
        let above = sign * below + f64::from(j) * tox * current;
        below = current;
        current = above;
    }
    current
}

/// The four Bessel functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    I,
    J,
    K,
    Y,
}

/// `BESSELI(x, n)` and its siblings: n truncated; a negative n is `#NUM!`,
/// and so is x ≤ 0 for K and Y.
pub(crate) fn bessel(kind: Kind, x: f64, n: f64) -> Result<f64, ExcelError> {
    let n = n.trunc();
    if !(0.0..=1e6).contains(&n) {
        return Err(ExcelError::Num);
    }
    let n = n as u32;
    let res = match kind {
        Kind::I if n == 0 => i0(x),
        Kind::I if n == 1 => i1(x),
        Kind::I => i_n(n, x),
        Kind::J if n == 0 => j0(x),
        Kind::J if n == 1 => j1(x),
        Kind::J => j_n(n, x),
        Kind::K | Kind::Y if x <= 0.0 => return Err(ExcelError::Num),
        Kind::K => upward(n, x, k0(x), k1(x), 1.0),
        Kind::Y => upward(n, x, y0(x), y1(x), -1.0),
    };
    if res.is_finite() {
        Ok(res)
    } else {
        Err(ExcelError::Num)
    }
}
