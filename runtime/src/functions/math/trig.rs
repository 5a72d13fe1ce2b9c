//! SIN, COS and TAN as Excel computes them.
//!
//! Excel reduces the angle modulo π/2 with π rounded to 64 significant bits
//! (the x87 FPU's `FLDPI` constant), not with the exact π a modern libm
//! uses. The two agree except near multiples of π/2, where it shows:
//! Excel stores `=SIN(PI())` as 1.22514845490862E-16, which is exactly
//! π_double − π₆₄, while the exact answer is 1.2246467991473532E-16. So the
//! reduction here uses that same 64-bit π, split Cody–Waite style into
//! three parts short enough that `k * part` is exact for every allowed `k`.
//! Angles of 2^27 and more are `#NUM!` in Excel and never reach this code.

/// π/2 rounded to 64 bits, in three parts of at most 22 significant bits.
const HALF_PI_1: f64 = 1.570_796_012_878_418;
const HALF_PI_2: f64 = 3.139_164_164_167_596e-7;
const HALF_PI_3: f64 = 6.223_374_680_175_42e-14;

/// The quadrant (0..4) and the remainder in [-π/4, π/4] of `x`.
fn reduce(x: f64) -> (i64, f64) {
    let k = (x * std::f64::consts::FRAC_2_PI).round();
    let r = ((x - k * HALF_PI_1) - k * HALF_PI_2) - k * HALF_PI_3;
    ((k as i64).rem_euclid(4), r)
}

/// The sine of `x` radians, `|x| < 2^27`.
pub(crate) fn sin(x: f64) -> f64 {
    let (quadrant, r) = reduce(x);
    match quadrant {
        0 => r.sin(),
        1 => r.cos(),
        2 => -r.sin(),
        _ => -r.cos(),
    }
}

/// The cosine of `x` radians, `|x| < 2^27`.
pub(crate) fn cos(x: f64) -> f64 {
    let (quadrant, r) = reduce(x);
    match quadrant {
        0 => r.cos(),
        1 => -r.sin(),
        2 => -r.cos(),
        _ => r.sin(),
    }
}

/// The tangent of `x` radians, `|x| < 2^27`.
pub(crate) fn tan(x: f64) -> f64 {
    let (quadrant, r) = reduce(x);
    if quadrant % 2 == 0 {
        r.tan()
    } else {
        -1.0 / r.tan()
    }
}

#[cfg(test)]
mod tests {
    use std::f64::consts::PI;

    use super::*;

    #[test]
    fn parts_add_up_to_half_pi() {
        assert_eq!(HALF_PI_1 + HALF_PI_2 + HALF_PI_3, PI / 2.0);
    }

    #[test]
    fn sine_of_pi_is_excels() {
        // The value an Excel workbook stores for =SIN(PI()).
        assert_eq!(sin(PI), 1.22514845490862e-16);
        assert_eq!(sin(-PI), -1.22514845490862e-16);
    }

    #[test]
    fn ordinary_angles_match_the_exact_functions() {
        for i in -2000..2000 {
            let x = f64::from(i) * 0.0137;
            let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * b.abs().max(1e-3);
            assert!(close(sin(x), x.sin()), "sin({x})");
            assert!(close(cos(x), x.cos()), "cos({x})");
        }
        assert!((tan(0.785) - 0.785f64.tan()).abs() < 1e-15);
        assert!((tan(2.0) - 2.0f64.tan()).abs() < 1e-14);
    }
}
