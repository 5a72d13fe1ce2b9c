//! Special functions behind the distributions: log-gamma, the regularized
//! incomplete gamma and beta functions, the error function, and a root
//! finder for inverse distributions.
//!
//! Each is computed to close to double precision so that the
//! distributions match Excel to far better than 1e-9 relative.

use std::f64::consts::PI;

/// Coefficients of the Lanczos approximation with g = 671/128 and 14 terms
/// (Numerical Recipes, 3rd edition, §6.1), good to double precision for
/// positive arguments.
const LANCZOS: [f64; 14] = [
    57.156_235_665_862_92,
    -59.597_960_355_475_49,
    14.136_097_974_741_747,
    -0.491_913_816_097_620_2,
    0.339_946_499_848_118_9e-4,
    4.652_362_892_704_858e-5,
    -0.983_744_753_048_795_6e-4,
    0.158_088_703_224_912_5e-3,
    -0.210_264_441_724_104_88e-3,
    0.217_439_618_115_212_64e-3,
    -0.164_318_106_536_763_9e-3,
    0.844_182_239_838_527_4e-4,
    -0.261_908_384_015_814_1e-4,
    0.368_991_826_595_316_2e-5,
];

/// ln Γ(x) for x > 0.
pub(crate) fn ln_gamma(x: f64) -> f64 {
    // Near 1 and 2, where ln Γ vanishes, the Taylor series keeps the
    // relative precision that the Lanczos sum loses.
    if (x - 1.0).abs() < 0.2 {
        return ln_gamma_1p(x - 1.0);
    }
    if (x - 2.0).abs() < 0.2 {
        return ln_gamma_1p(x - 2.0) + (x - 2.0).ln_1p();
    }
    if x < 0.5 {
        // Reflection keeps the series in its accurate range.
        return (PI / (PI * x).sin()).abs().ln() - ln_gamma(1.0 - x);
    }
    let tmp = x + 5.242_187_5;
    let tmp = (x + 0.5) * tmp.ln() - tmp;
    let mut ser = 0.999_999_999_999_997_1;
    let mut y = x;
    for c in LANCZOS {
        y += 1.0;
        ser += c / y;
    }
    tmp + (2.506_628_274_631_000_5 * ser / x).ln()
}

/// ln Γ(1 + z) for |z| < 0.2, by its Taylor series
/// -γz + Σ (-1)^k ζ(k) z^k / k.
fn ln_gamma_1p(z: f64) -> f64 {
    const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;
    let mut sum = -EULER_GAMMA * z;
    // (-z)^k, starting at k = 1.
    let mut power = -z;
    for k in 2..60 {
        power *= -z;
        let term = zeta(k) * power / f64::from(k);
        sum += term;
        if term.abs() < 1e-18 * sum.abs() {
            break;
        }
    }
    sum
}

/// The Riemann zeta function at an integer k ≥ 2.
fn zeta(k: i32) -> f64 {
    match k {
        2 => PI * PI / 6.0,
        3 => 1.202_056_903_159_594_3,
        4 => PI.powi(4) / 90.0,
        5 => 1.036_927_755_143_37,
        6 => PI.powi(6) / 945.0,
        7 => 1.008_349_277_381_922_8,
        8 => PI.powi(8) / 9450.0,
        9 => 1.002_008_392_826_082_2,
        // From k = 10 on the terms fall fast enough to sum directly.
        _ => (1..40).rev().map(|n| f64::from(n).powi(-k)).sum(),
    }
}

/// Γ(x) for any x that is not 0 or a negative integer (`None` there).
/// Integers up to 170 are exact products.
pub(crate) fn gamma(x: f64) -> Option<f64> {
    if x <= 0.0 && x.fract() == 0.0 {
        return None;
    }
    if x.fract() == 0.0 && x <= 171.0 {
        return Some((1..x as u32).fold(1.0, |acc, k| acc * f64::from(k)));
    }
    if x < 0.5 {
        return Some(PI / ((PI * x).sin() * gamma(1.0 - x)?));
    }
    Some(ln_gamma(x).exp())
}

const EPS: f64 = 1e-16;
const MAX_ITER: usize = 100_000;

/// The regularized lower incomplete gamma function P(a, x).
pub(crate) fn gamma_p(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x < a + 1.0 {
        gamma_series(a, x)
    } else {
        1.0 - gamma_fraction(a, x)
    }
}

/// The regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x).
pub(crate) fn gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    if x < a + 1.0 {
        1.0 - gamma_series(a, x)
    } else {
        gamma_fraction(a, x)
    }
}

/// x^a e^-x / Γ(a), the factor in front of both expansions of the
/// incomplete gamma function. For large a the direct `a ln x - x - ln Γ(a)`
/// cancels to a small number from terms near a ln a, losing about
/// log10(a) digits; `a · poisson_density(a, x)` keeps them.
fn gamma_prefix(a: f64, x: f64) -> f64 {
    if a < LOADER_FROM {
        return (a * x.ln() - x - ln_gamma(a)).exp();
    }
    a * poisson_density(a, x)
}

/// From which argument `stirling_error` and `poisson_density` use
/// their asymptotic forms rather than the log-gamma function.
const LOADER_FROM: f64 = 15.0;

/// The error of Stirling's formula, ln Γ(n + 1) - ((n + ½) ln n - n + ½ ln 2π),
/// for n > 0: the asymptotic series 1/(12n) - 1/(360n³) + ... from
/// `LOADER_FROM` on, where it is good to double precision.
pub(crate) fn stirling_error(n: f64) -> f64 {
    if n < LOADER_FROM {
        let half_ln_2pi = 0.5 * (2.0 * PI).ln();
        return ln_gamma(n + 1.0) - (n + 0.5) * n.ln() + n - half_ln_2pi;
    }
    let n2 = 1.0 / (n * n);
    (1.0 / 12.0 - n2 * (1.0 / 360.0 - n2 * (1.0 / 1260.0 - n2 * (1.0 / 1680.0 - n2 / 1188.0)))) / n
}

/// The deviance term x ln(x / m) + m - x for x, m > 0, by a series in
/// v = (x - m) / (x + m) where x is near m and the terms would cancel
/// (Loader, "Fast and accurate computation of binomial probabilities", 2000).
pub(crate) fn deviance(x: f64, m: f64) -> f64 {
    if (x - m).abs() >= 0.1 * (x + m) {
        return x * (x / m).ln() + m - x;
    }
    let v = (x - m) / (x + m);
    let v2 = v * v;
    let mut sum = (x - m) * v;
    let mut power = 2.0 * x * v;
    for j in 1..1000 {
        power *= v2;
        let next = sum + power / f64::from(2 * j + 1);
        if next == sum {
            break;
        }
        sum = next;
    }
    sum
}

/// m^x e^-m / Γ(x + 1) for real x ≥ 0 and m > 0, in Loader's saddle-point
/// form e^-(stirling_error(x) + deviance(x, m)) / √(2πx), which keeps full
/// precision at large x and m.
pub(crate) fn poisson_density(x: f64, m: f64) -> f64 {
    if x == 0.0 {
        return (-m).exp();
    }
    (-stirling_error(x) - deviance(x, m)).exp() / (2.0 * PI * x).sqrt()
}

fn gamma_series(a: f64, x: f64) -> f64 {
    let (mut ap, mut del) = (a, 1.0 / a);
    let mut sum = del;
    for _ in 0..MAX_ITER {
        ap += 1.0;
        del *= x / ap;
        sum += del;
        if del.abs() < sum.abs() * EPS {
            break;
        }
    }
    sum * gamma_prefix(a, x)
}

/// Q(a, x) by Lentz's continued fraction, for x ≥ a + 1.
fn gamma_fraction(a: f64, x: f64) -> f64 {
    let tiny = 1e-300;
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / tiny;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..MAX_ITER {
        let an = -(i as f64) * (i as f64 - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < tiny {
            d = tiny;
        }
        c = b + an / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < EPS {
            break;
        }
    }
    gamma_prefix(a, x) * h
}

/// ln B(a, b).
pub(crate) fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// The regularized incomplete beta function I_x(a, b).
pub(crate) fn beta_i(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = beta_prefix(x, a, b);
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(x, a, b) / a
    } else {
        1.0 - front * beta_fraction(1.0 - x, b, a) / b
    }
}

/// x^a (1-x)^b / B(a, b), the factor in front of the incomplete beta
/// function's continued fraction. Where both shapes are large it is
/// a·b/(a+b) times the binomial density of a successes in a + b trials,
/// in Loader's form, which keeps the digits that `a ln x + b ln(1-x) -
/// ln B(a, b)` loses to cancellation.
fn beta_prefix(x: f64, a: f64, b: f64) -> f64 {
    if a.min(b) < LOADER_FROM {
        return (a * x.ln() + b * (1.0 - x).ln() - ln_beta(a, b)).exp();
    }
    a * b / (a + b) * binom_density(a, a + b, x)
}

/// C(n, k) p^k (1-p)^(n-k) for real 0 < k < n and 0 < p < 1, in Loader's
/// saddle-point form: e^(stirling_error(n) - stirling_error(k) -
/// stirling_error(n-k) - deviance(k, np) - deviance(n-k, n(1-p))) times
/// √(n / (2π k (n-k))), accurate to about 1e-15 relative for any n.
pub(crate) fn binom_density(k: f64, n: f64, p: f64) -> f64 {
    let stirling = stirling_error(n) - stirling_error(k) - stirling_error(n - k);
    let ln = stirling - deviance(k, n * p) - deviance(n - k, n * (1.0 - p));
    ln.exp() * (n / (2.0 * PI * k * (n - k))).sqrt()
}

/// The continued fraction of the incomplete beta function (modified Lentz).
fn beta_fraction(x: f64, a: f64, b: f64) -> f64 {
    let tiny = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < tiny {
        d = tiny;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..MAX_ITER {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < tiny { 1.0 / tiny } else { 1.0 / d };
        c = 1.0 + aa / c;
        if c.abs() < tiny {
            c = tiny;
        }
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < tiny { 1.0 / tiny } else { 1.0 / d };
        c = 1.0 + aa / c;
        if c.abs() < tiny {
            c = tiny;
        }
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < EPS {
            break;
        }
    }
    h
}

/// erf(x).
pub(crate) fn erf(x: f64) -> f64 {
    if x.abs() < 0.5 {
        return erf_series(x);
    }
    let p = gamma_p(0.5, x * x);
    if x < 0.0 {
        -p
    } else {
        p
    }
}

/// erf(x) by its Taylor series, accurate where |x| is small.
fn erf_series(x: f64) -> f64 {
    let x2 = x * x;
    let (mut term, mut sum) = (x, x);
    for n in 1..200 {
        let n = f64::from(n);
        term *= -x2 / n;
        let add = term / (2.0 * n + 1.0);
        sum += add;
        if add.abs() < sum.abs() * 1e-17 {
            break;
        }
    }
    sum * 2.0 / PI.sqrt()
}

/// erfc(x) = 1 - erf(x), without cancellation for large x.
pub(crate) fn erfc(x: f64) -> f64 {
    if x < 0.5 {
        return 1.0 - erf(x);
    }
    gamma_q(0.5, x * x)
}

/// The standard normal cumulative distribution Φ(z), rounded once: the
/// lower tail and the complement of the upper tail are each one operation
/// away from an accurate erf or erfc (`1 - (1 - Q)` would round twice and
/// miss Excel's Φ(5) by a bit).
pub(crate) fn norm_cdf(z: f64) -> f64 {
    let x = z / std::f64::consts::SQRT_2;
    if x.abs() < 0.5 {
        0.5 + 0.5 * erf_series(x)
    } else if x < 0.0 {
        0.5 * erfc(-x)
    } else {
        1.0 - 0.5 * erfc(x)
    }
}

/// The standard normal density φ(z).
pub(crate) fn norm_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * PI).sqrt()
}

/// Numerator coefficients of Φ⁻¹ for |p - 1/2| ≤ 0.425, in r = 0.180625 - q².
#[allow(clippy::excessive_precision, reason = "the digits as published")]
const NORM_INV_A: [f64; 8] = [
    3.387_132_872_796_366_608,
    1.331_416_678_917_843_774_5e2,
    1.971_590_950_306_551_442_7e3,
    1.373_169_376_550_946_112_5e4,
    4.592_195_393_154_987_145_7e4,
    6.726_577_092_700_870_085_3e4,
    3.343_057_558_358_812_810_5e4,
    2.509_080_928_730_122_672_7e3,
];
/// Denominator coefficients for |p - 1/2| ≤ 0.425.
#[allow(clippy::excessive_precision, reason = "the digits as published")]
const NORM_INV_B: [f64; 8] = [
    1.0,
    4.231_333_070_160_091_125_2e1,
    6.871_870_074_920_579_083e2,
    5.394_196_021_424_751_107_7e3,
    2.121_379_430_158_659_586_7e4,
    3.930_789_580_009_271_061e4,
    2.872_908_573_572_194_267_4e4,
    5.226_495_278_852_854_561e3,
];
/// Numerator coefficients for the tails with r = √(-ln min(p, 1-p)) ≤ 5, in r - 1.6.
#[allow(clippy::excessive_precision, reason = "the digits as published")]
const NORM_INV_C: [f64; 8] = [
    1.423_437_110_749_683_577_34,
    4.630_337_846_156_545_295_9,
    5.769_497_221_460_691_405_5,
    3.647_848_324_763_204_605_04,
    1.270_458_252_452_368_382_58,
    2.417_807_251_774_506_117_7e-1,
    2.272_384_498_926_918_458_33e-2,
    7.745_450_142_783_414_076_4e-4,
];
/// Denominator coefficients for r ≤ 5.
#[allow(clippy::excessive_precision, reason = "the digits as published")]
const NORM_INV_D: [f64; 8] = [
    1.0,
    2.053_191_626_637_758_821_87,
    1.676_384_830_183_803_849_4,
    6.897_673_349_851_000_045_5e-1,
    1.481_039_764_274_800_745_9e-1,
    1.519_866_656_361_645_719_66e-2,
    5.475_938_084_995_344_946e-4,
    1.050_750_071_644_416_843_24e-9,
];
/// Numerator coefficients for the far tails, r > 5, in r - 5.
#[allow(clippy::excessive_precision, reason = "the digits as published")]
const NORM_INV_E: [f64; 8] = [
    6.657_904_643_501_103_777_2,
    5.463_784_911_164_114_369_9,
    1.784_826_539_917_291_335_8,
    2.965_605_718_285_048_912_3e-1,
    2.653_218_952_657_612_309_3e-2,
    1.242_660_947_388_078_438_6e-3,
    2.711_555_568_743_487_578_15e-5,
    2.010_334_399_292_288_132_65e-7,
];
/// Denominator coefficients for r > 5.
#[allow(clippy::excessive_precision, reason = "the digits as published")]
const NORM_INV_F: [f64; 8] = [
    1.0,
    5.998_322_065_558_879_376_9e-1,
    1.369_298_809_227_358_053_1e-1,
    1.487_536_129_085_061_485_25e-2,
    7.868_691_311_456_132_591e-4,
    1.846_318_317_510_054_681_8e-5,
    1.421_511_758_316_445_888_7e-7,
    2.044_263_103_389_939_785_64e-15,
];

/// The polynomial with coefficients `c` (constant term first) at x, by Horner's rule.
fn horner(c: &[f64; 8], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |sum, &k| sum * x + k)
}

/// Φ⁻¹(p) for 0 < p < 1: Wichura's algorithm AS 241 (PPND16, Applied
/// Statistics 37, 1988), rational approximations good to about 1e-16
/// relative. Excel's `NORM.S.INV` returns exactly these values, rounding
/// included, so the result is not polished further: a Newton step on
/// `norm_cdf` cannot resolve z finer than Φ's last bit near p = 1, and
/// Excel's answers there (`NORM.INV(NORM.DIST(0,-5,1,TRUE),-5,1)`) are
/// AS 241's.
pub(crate) fn norm_inv(p: f64) -> f64 {
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180_625 - q * q;
        return q * horner(&NORM_INV_A, r) / horner(&NORM_INV_B, r);
    }
    // The smaller tail, exact: 1 - p loses nothing for p above 1/2.
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = (-tail.ln()).sqrt();
    let z = if r <= 5.0 {
        let r = r - 1.6;
        horner(&NORM_INV_C, r) / horner(&NORM_INV_D, r)
    } else {
        let r = r - 5.0;
        horner(&NORM_INV_E, r) / horner(&NORM_INV_F, r)
    };
    if q < 0.0 {
        -z
    } else {
        z
    }
}

/// The x in `[low, high]` where the increasing function `cdf` reaches `p`,
/// by bisection to the last bit, after widening `high` while it falls short.
pub(crate) fn invert(cdf: impl Fn(f64) -> f64, p: f64, low: f64, high: f64) -> Option<f64> {
    let (mut low, mut high) = (low, high);
    let mut widen = 0;
    while cdf(high) < p {
        low = high;
        high *= 2.0;
        widen += 1;
        if widen > 2000 || !high.is_finite() {
            return None;
        }
    }
    Some(bisect(cdf, p, low, high))
}

/// The x in `[low, high]` where the increasing function `cdf` reaches `p`,
/// by bisection to the last bit.
pub(crate) fn bisect(cdf: impl Fn(f64) -> f64, p: f64, low: f64, high: f64) -> f64 {
    let (mut low, mut high) = (low, high);
    for _ in 0..2000 {
        let mid = 0.5 * (low + high);
        if mid <= low || mid >= high {
            break;
        }
        if cdf(mid) < p {
            low = mid;
        } else {
            high = mid;
        }
    }
    0.5 * (low + high)
}
