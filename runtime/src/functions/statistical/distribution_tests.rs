//! Tests of the distributions, data-set statistics and hypothesis tests.
//! Expected values are the examples of Microsoft's function reference
//! unless a comment names a corpus workbook, whose values Excel cached.

use crate::functions::math::test_support::*;
use crate::reference::Operand;
use crate::value::ExcelError::{Div0, Num, NA};
use crate::value::Value;

/// Runs the cases, comparing numbers to the decimals they are quoted with
/// (Microsoft's examples round to 4-10 digits) and other values exactly.
fn check(ctx: &crate::testing::MapContext, cases: Vec<Case>) {
    let mut failures = Vec::new();
    for (name, args, expected) in cases {
        let shown = format!("{name}({args:?})");
        let actual = eval(ctx, name, args);
        if !agrees(&actual, &expected) {
            failures.push(format!("{shown}: got {actual:?}, expected {expected:?}"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// Whether `actual` rounds to `expected` at the decimals `expected` shows.
fn agrees(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Number(a), Value::Number(x)) => {
            let text = format!("{x:e}");
            let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
            let decimals = mantissa.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
            let exponent: i32 = exponent.parse().unwrap_or(0);
            let tolerance = 0.5 * 10f64.powi(exponent - decimals) + 1e-15 * x.abs();
            (a - x).abs() <= tolerance
        }
        (Value::Array(a), Value::Array(x)) => {
            a.rows() == x.rows()
                && a.cols() == x.cols()
                && a.values().iter().zip(x.values()).all(|(a, x)| agrees(a, x))
        }
        (a, x) => a == x,
    }
}

/// Runs the cases, comparing numbers as the corpus check does: to 1e-9
/// relative, and exactly where 0 or an error is expected. For values a
/// corpus workbook cached, which Excel gives to its last digits.
fn check_cached(cases: Vec<Case>) {
    let ctx = book();
    let mut failures = Vec::new();
    for (name, args, expected) in cases {
        let shown = format!("{name}({args:?})");
        let actual = eval(&ctx, name, args);
        let agrees = match (&actual, &expected) {
            (Value::Number(a), Value::Number(x)) if *x != 0.0 => ((a - x) / x).abs() <= 1e-9,
            (a, x) => a == x,
        };
        if !agrees {
            failures.push(format!("{shown}: got {actual:?}, expected {expected:?}"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// A one-row array of numbers.
fn row(values: &[f64]) -> Operand {
    arr(vec![values.iter().map(|v| Value::Number(*v)).collect()])
}

/// A one-column array of numbers.
fn col(values: &[f64]) -> Value {
    match arr(values.iter().map(|v| vec![Value::Number(*v)]).collect()) {
        Operand::Value(v) => v,
        Operand::Ref(_) => Value::Empty,
    }
}

#[test]
fn normal_and_lognormal_distributions() {
    let ctx = book();
    check(
        &ctx,
        vec![
            ("NORM.DIST", vec![n(42.0), n(40.0), n(1.5), b(true)], num(0.9087888)),
            ("NORM.DIST", vec![n(42.0), n(40.0), n(1.5), b(false)], num(0.10934)),
            ("NORM.INV", vec![n(0.908789), n(40.0), n(1.5)], num(42.000002)),
            ("NORM.S.DIST", vec![n(1.333333), b(true)], num(0.908788726)),
            ("NORM.S.DIST", vec![n(1.333333), b(false)], num(0.164010148)),
            ("NORM.S.INV", vec![n(0.908789)], num(1.3333347)),
            ("LOGNORM.DIST", vec![n(4.0), n(3.5), n(1.2), b(true)], num(0.0390836)),
            ("LOGNORM.DIST", vec![n(4.0), n(3.5), n(1.2), b(false)], num(0.0176176)),
            ("LOGNORM.INV", vec![n(0.039084), n(3.5), n(1.2)], num(4.0000252)),
            ("NORM.DIST", vec![n(42.0), n(40.0), n(0.0), b(true)], err(Num)),
            ("NORM.INV", vec![n(1.0), n(40.0), n(1.5)], err(Num)),
            // NORM_DIST.xlsx: the flag may be the text "TRUE".
            ("NORM.DIST", vec![n(42.0), n(40.0), n(1.5), t("true")], num(0.9087887802741321)),
            ("GAUSS", vec![n(2.0)], num(0.47725)),
            ("PHI", vec![n(0.75)], num(0.301137432)),
            ("STANDARDIZE", vec![n(42.0), n(40.0), n(1.5)], num(1.33333333)),
        ],
    );
}

#[test]
fn normal_inverse_and_cdf_to_excels_last_digits() {
    check_cached(vec![
        // NORM_DIST.xlsx: Φ(5) rounded once, and its inverse 1e-11 from -5 + 5.
        ("NORM.DIST", vec![n(0.0), n(-5.0), n(1.0), b(true)], num(0.999_999_713_348_428_1)),
        (
            "NORM.INV",
            vec![n(0.999_999_713_348_428_1), n(-5.0), n(1.0)],
            num(-2.982_414_315_511_050_5e-11),
        ),
        ("NORM.S.INV", vec![n(7.619_853_024_160_475e-24)], num(-10.000_000_000_000_002)),
        ("NORM.S.INV", vec![n(0.500_000_398_942_280_3)], num(9.999_999_998_007_83e-7)),
        ("NORM.S.INV", vec![n(0.998_650_101_968_369_9)], num(2.999_999_999_999_997)),
        ("NORM.S.INV", vec![n(1.0)], err(Num)),
        // LOGNORM.xlsx: a standard deviation of 1E12 magnifies z near 0.
        (
            "LOGNORM.INV",
            vec![n(0.499_999_999_999_156_73), n(3.5), n(1e12)],
            num(3.999_765_880_934_408),
        ),
        (
            "LOGNORM.INV",
            vec![n(0.499_999_156_753_452_3), n(3.5), n(1e6)],
            num(3.999_999_999_722_019),
        ),
    ]);
    // Excel's Φ(5) is the double nearest the true value, which 1 - (1 - Q) misses by one bit.
    assert_eq!(super::special::norm_cdf(5.0), 0.999_999_713_348_428_1);
}

#[test]
fn poisson_at_large_means_to_excels_last_digits() {
    check_cached(vec![
        // POISSON.xlsx: a mean of a million, and small cases beside it.
        ("POISSON.DIST", vec![n(1e6), n(1e6), b(true)], num(0.500_265_961_486_283_7)),
        ("POISSON.DIST", vec![n(10.0), n(1e6), b(true)], num(0.0)),
        ("POISSON.DIST", vec![n(100.0), n(100.0), b(true)], num(0.526_562_198_529_998_4)),
        ("POISSON.DIST", vec![n(46040.0), n(46071.0), b(true)], num(0.443_802_069_809_538_9)),
        ("POISSON.DIST", vec![n(5.0), n(5.0), b(false)], num(0.175_467_369_767_850_7)),
        ("POISSON.DIST", vec![n(10.0), n(5.0), b(false)], num(1.813_278_870_782_187_4e-2)),
    ]);
}

#[test]
fn binomial_to_excels_last_digits_and_its_bound_on_trials() {
    check_cached(vec![
        // BINOM.xlsx: 1E30 trials are refused; 1E10 successes in NEGBINOM.DIST are not.
        ("BINOM.DIST", vec![n(1e10), n(1e30), n(0.3), b(true)], err(Num)),
        ("NEGBINOM.DIST", vec![n(2.0), n(1e10), n(0.3), b(true)], num(0.0)),
        ("BINOM.DIST", vec![n(1000.0), n(10000.0), n(0.1), b(true)], num(0.508_421_039_265_265)),
        (
            "BINOM.DIST",
            vec![n(9999.0), n(10000.0), n(0.999), b(true)],
            num(0.999_954_826_654_022_9),
        ),
        ("BINOM.DIST", vec![n(1.0), n(100.0), n(0.99), b(true)], num(9.901_000_000_000_73e-197)),
        ("BINOM.DIST", vec![n(1.0), n(3000.0), n(1e-4), b(true)], num(0.963_071_466_512_028_7)),
    ]);
}

#[test]
fn negative_binomial_density_where_the_coefficient_overflows() {
    // C(9999, 4999) overflows a double and 0.5^10000 underflows; their
    // product, the probability, does neither.
    let ctx = book();
    let value = eval(&ctx, "NEGBINOM.DIST", vec![n(5000.0), n(5000.0), n(0.5), b(false)]);
    let Value::Number(p) = value else { panic!("got {value:?}") };
    assert!(p > 0.0 && p < 0.01, "got {p}");
}

#[test]
fn beta_inverse_near_both_ends() {
    check_cached(vec![
        // BETADIST_BETAINV.xlsx: a probability 4e-15 short of 1 has an exact
        // inverse; 1 itself is refused.
        (
            "BETA.INV",
            vec![n(0.999_999_999_999_996_2), n(2.0), n(2.5), n(0.234), n(1.2)],
            num(1.199_999_004_352_299),
        ),
        ("BETA.INV", vec![n(1.0), n(2.0), n(2.5), n(0.234), n(1.2)], err(Num)),
        ("BETA.INV", vec![n(1.0), n(1.0), n(2.0), n(0.0), n(1.0)], err(Num)),
        ("BETA.INV", vec![n(0.0), n(1.0), n(2.0), n(1.0), n(10.0)], err(Num)),
        (
            "BETA.INV",
            vec![n(4.688_385_940_594_357e-12), n(2.0), n(2.5), n(0.234), n(1.2)],
            num(0.234_001),
        ),
        ("BETA.INV", vec![n(1e-4), n(1.0), n(2.0), n(0.0), n(1.0)], num(5.000_125_006_250_391e-5)),
    ]);
}

#[test]
fn discrete_distributions() {
    let ctx = book();
    check(
        &ctx,
        vec![
            ("BINOM.DIST", vec![n(6.0), n(10.0), n(0.5), b(false)], num(0.2050781)),
            ("BINOM.INV", vec![n(6.0), n(0.5), n(0.75)], num(4.0)),
            ("NEGBINOM.DIST", vec![n(10.0), n(5.0), n(0.25), b(true)], num(0.3135141)),
            ("NEGBINOM.DIST", vec![n(10.0), n(5.0), n(0.25), b(false)], num(0.0550487)),
            ("POISSON.DIST", vec![n(2.0), n(5.0), b(true)], num(0.124652)),
            ("POISSON.DIST", vec![n(2.0), n(5.0), b(false)], num(0.084224)),
            ("HYPGEOM.DIST", vec![n(1.0), n(4.0), n(8.0), n(20.0), b(true)], num(0.4654)),
            ("HYPGEOM.DIST", vec![n(1.0), n(4.0), n(8.0), n(20.0), b(false)], num(0.3633)),
            // BINOM.xlsx: many trials, tiny probability; alpha at the bounds.
            ("BINOM.DIST", vec![n(1.0), n(1e6), n(1e-5), b(true)], num(0.0004993787977)),
            ("BINOM.INV", vec![n(10.0), n(0.7), n(1.0)], err(Num)),
            ("BINOM.DIST.RANGE", vec![n(60.0), n(0.75), n(48.0)], num(0.083974967)),
            ("BINOM.DIST.RANGE", vec![n(60.0), n(0.75), n(45.0), n(50.0)], num(0.523629793)),
            ("POISSON.DIST", vec![n(-1e-6), n(5.0), b(true)], err(Num)),
        ],
    );
}

#[test]
fn gamma_beta_and_exponential_distributions() {
    let ctx = book();
    check(
        &ctx,
        vec![
            ("EXPON.DIST", vec![n(0.2), n(10.0), b(true)], num(0.86466472)),
            ("EXPON.DIST", vec![n(0.2), n(10.0), b(false)], num(1.35335283)),
            ("GAMMA.DIST", vec![n(10.00001131), n(9.0), n(2.0), b(false)], num(0.032639)),
            ("GAMMA.DIST", vec![n(10.00001131), n(9.0), n(2.0), b(true)], num(0.068094)),
            ("GAMMA.INV", vec![n(0.068094), n(9.0), n(2.0)], num(10.0000112)),
            ("GAMMA", vec![n(2.5)], num(1.329340388)),
            ("GAMMA", vec![n(-3.75)], num(0.267866129)),
            ("GAMMA", vec![n(0.0)], err(Num)),
            ("GAMMA", vec![n(-2.0)], err(Num)),
            ("GAMMALN", vec![n(4.0)], num(1.791759469)),
            ("GAMMALN.PRECISE", vec![n(4.0)], num(1.791759469)),
            // GAMMALN_GAMMALNPRECISE.xlsx: near 1 the result is tiny.
            ("GAMMALN", vec![n(1.0000001)], num(-5.772155829918508e-8)),
            ("BETA.DIST", vec![n(2.0), n(8.0), n(10.0), b(true), n(1.0), n(3.0)], num(0.6854706)),
            ("BETA.DIST", vec![n(2.0), n(8.0), n(10.0), b(false), n(1.0), n(3.0)], num(1.4837646)),
            ("BETA.INV", vec![n(0.685470581), n(8.0), n(10.0), n(1.0), n(3.0)], num(2.0)),
            ("WEIBULL.DIST", vec![n(105.0), n(20.0), n(100.0), b(true)], num(0.929581)),
            ("WEIBULL.DIST", vec![n(105.0), n(20.0), n(100.0), b(false)], num(0.035589)),
        ],
    );
}

#[test]
fn t_chi_squared_and_f_distributions() {
    let ctx = book();
    check(
        &ctx,
        vec![
            ("T.DIST", vec![n(60.0), n(1.0), b(true)], num(0.99469533)),
            ("T.DIST", vec![n(8.0), n(3.0), b(false)], num(0.00073691)),
            ("T.DIST.2T", vec![n(1.959999998), n(60.0)], num(0.054645)),
            ("T.DIST.RT", vec![n(1.959999998), n(60.0)], num(0.027322)),
            ("T.INV", vec![n(0.75), n(2.0)], num(0.8164966)),
            ("T.INV.2T", vec![n(0.546449), n(60.0)], num(0.606533)),
            ("CHISQ.DIST", vec![n(0.5), n(1.0), b(true)], num(0.52049988)),
            ("CHISQ.DIST", vec![n(2.0), n(3.0), b(false)], num(0.20755375)),
            ("CHISQ.DIST.RT", vec![n(18.307), n(10.0)], num(0.0500006)),
            ("CHISQ.INV", vec![n(0.93), n(1.0)], num(3.283020287)),
            ("CHISQ.INV", vec![n(0.6), n(2.0)], num(1.832581464)),
            ("CHISQ.INV.RT", vec![n(0.050001), n(10.0)], num(18.306973)),
            ("F.DIST", vec![n(15.2069), n(6.0), n(4.0), b(true)], num(0.99)),
            ("F.DIST", vec![n(15.2069), n(6.0), n(4.0), b(false)], num(0.0012238)),
            ("F.DIST.RT", vec![n(15.2069), n(6.0), n(4.0)], num(0.01)),
            ("F.INV", vec![n(0.01), n(6.0), n(4.0)], num(0.10930991)),
            ("F.INV.RT", vec![n(0.01), n(6.0), n(4.0)], num(15.20686)),
            ("T.DIST", vec![n(1.0), n(0.5), b(true)], err(Num)),
        ],
    );
}

#[test]
fn fisher_confidence_and_permutations() {
    let ctx = book();
    check(
        &ctx,
        vec![
            ("FISHER", vec![n(0.75)], num(0.9729551)),
            ("FISHER", vec![n(1.0)], err(Num)),
            ("FISHERINV", vec![n(0.972955)], num(0.75)),
            ("CONFIDENCE.NORM", vec![n(0.05), n(2.5), n(50.0)], num(0.692952)),
            ("CONFIDENCE.T", vec![n(0.05), n(1.0), n(50.0)], num(0.284196855)),
            ("CONFIDENCE.T", vec![n(0.05), n(1.0), n(1.0)], err(Div0)),
            // CONFIDENCE.xlsx: alpha just below 1.
            ("CONFIDENCE.T", vec![n(0.999999), n(1.0), n(50.0)], num(1.7815194607e-7)),
            ("PERMUT", vec![n(100.0), n(3.0)], num(970200.0)),
            ("PERMUT", vec![n(3.0), n(2.0)], num(6.0)),
            ("PERMUTATIONA", vec![n(3.0), n(2.0)], num(9.0)),
            ("PERMUTATIONA", vec![n(2.0), n(2.0)], num(4.0)),
        ],
    );
}

#[test]
fn percentiles_quartiles_and_ranks() {
    let ctx = book();
    let ranked = [13.0, 12.0, 11.0, 8.0, 4.0, 3.0, 2.0, 1.0, 1.0, 1.0];
    let nine = [1.0, 2.0, 3.0, 6.0, 6.0, 6.0, 7.0, 8.0, 9.0];
    check(
        &ctx,
        vec![
            ("PERCENTILE.INC", vec![row(&[1.0, 3.0, 2.0, 4.0]), n(0.3)], num(1.9)),
            ("PERCENTILE.EXC", vec![row(&nine), n(0.25)], num(2.5)),
            ("PERCENTILE.EXC", vec![row(&nine), n(0.0)], err(Num)),
            (
                "QUARTILE.INC",
                vec![row(&[1.0, 2.0, 4.0, 7.0, 8.0, 9.0, 10.0, 12.0]), n(1.0)],
                num(3.5),
            ),
            (
                "QUARTILE.EXC",
                vec![
                    row(&[6.0, 7.0, 15.0, 36.0, 39.0, 40.0, 41.0, 42.0, 43.0, 47.0, 49.0]),
                    n(1.0),
                ],
                num(15.0),
            ),
            (
                "QUARTILE.EXC",
                vec![
                    row(&[6.0, 7.0, 15.0, 36.0, 39.0, 40.0, 41.0, 42.0, 43.0, 47.0, 49.0]),
                    n(3.0),
                ],
                num(43.0),
            ),
            ("PERCENTRANK.INC", vec![row(&ranked), n(2.0)], num(0.333)),
            ("PERCENTRANK.INC", vec![row(&ranked), n(4.0)], num(0.555)),
            ("PERCENTRANK.INC", vec![row(&ranked), n(8.0)], num(0.666)),
            ("PERCENTRANK.INC", vec![row(&ranked), n(5.0)], num(0.583)),
            ("PERCENTRANK.EXC", vec![row(&nine), n(7.0)], num(0.7)),
            ("PERCENTRANK.EXC", vec![row(&nine), n(5.43)], num(0.381)),
            ("PERCENTRANK.EXC", vec![row(&nine), n(5.43), n(1.0)], num(0.3)),
            ("PERCENTRANK.INC", vec![row(&ranked), n(14.0)], err(NA)),
            (
                "RANK.AVG",
                vec![n(94.0), row(&[89.0, 88.0, 92.0, 101.0, 94.0, 97.0, 95.0])],
                num(4.0),
            ),
            // RANK_EQ_RANK_AVG.xlsx: ties share the mean rank.
            (
                "RANK.AVG",
                vec![n(70.0), row(&[65.0, 70.0, 66.0, 65.0, 72.0, 37.0, 89.0, 70.0]), n(0.0)],
                num(3.5),
            ),
            ("RANK.AVG", vec![n(70.5), row(&[65.0, 70.0]), n(0.0)], err(NA)),
        ],
    );
}

#[test]
fn moments_and_means() {
    let ctx = book();
    let skewed = [3.0, 4.0, 5.0, 2.0, 3.0, 4.0, 5.0, 6.0, 4.0, 7.0];
    let seven = [4.0, 5.0, 8.0, 7.0, 11.0, 4.0, 3.0];
    let weights = [1345.0, 1301.0, 1368.0, 1322.0, 1310.0, 1370.0, 1318.0, 1350.0, 1303.0, 1299.0];
    check(
        &ctx,
        vec![
            (
                "TRIMMEAN",
                vec![row(&[4.0, 5.0, 6.0, 7.0, 2.0, 3.0, 4.0, 5.0, 1.0, 2.0, 3.0]), n(0.2)],
                num(3.777778),
            ),
            ("TRIMMEAN", vec![row(&seven), n(1.0)], err(Num)),
            ("DEVSQ", vec![row(&seven)], num(48.0)),
            ("AVEDEV", vec![row(&[4.0, 5.0, 6.0, 7.0, 5.0, 4.0, 3.0])], num(1.020408)),
            ("SKEW", vec![row(&skewed)], num(0.359543)),
            ("SKEW.P", vec![row(&skewed)], num(0.303193)),
            ("KURT", vec![row(&skewed)], num(-0.151799637)),
            ("HARMEAN", vec![row(&seven)], num(5.028376)),
            ("GEOMEAN", vec![row(&seven)], num(5.476987)),
            ("VARA", vec![row(&weights)], num(754.2667)),
            ("VARPA", vec![row(&weights)], num(678.84)),
            ("STDEVA", vec![row(&weights)], num(27.46391572)),
            ("STDEVPA", vec![row(&weights)], num(26.05455814)),
            ("SKEW", vec![row(&[1.0, 2.0])], err(Div0)),
            ("HARMEAN", vec![row(&[1.0, -2.0])], err(Num)),
        ],
    );
}

#[test]
fn paired_statistics() {
    let ctx = book();
    let (known_y, known_x) =
        ([2.0, 3.0, 9.0, 1.0, 8.0, 7.0, 5.0], [6.0, 5.0, 11.0, 7.0, 5.0, 4.0, 4.0]);
    check(
        &ctx,
        vec![
            (
                "COVARIANCE.P",
                vec![row(&[3.0, 2.0, 4.0, 5.0, 6.0]), row(&[9.0, 7.0, 12.0, 15.0, 17.0])],
                num(5.2),
            ),
            (
                "COVARIANCE.S",
                vec![row(&[2.0, 4.0, 8.0]), row(&[5.0, 11.0, 12.0])],
                num(9.666666667),
            ),
            (
                "CORREL",
                vec![row(&[3.0, 2.0, 4.0, 5.0, 6.0]), row(&[9.0, 7.0, 12.0, 15.0, 17.0])],
                num(0.997054),
            ),
            (
                "PEARSON",
                vec![row(&[9.0, 7.0, 5.0, 3.0, 1.0]), row(&[10.0, 6.0, 1.0, 5.0, 3.0])],
                num(0.699379),
            ),
            ("SLOPE", vec![row(&known_y), row(&known_x)], num(0.305556)),
            (
                "INTERCEPT",
                vec![row(&[2.0, 3.0, 9.0, 1.0, 8.0]), row(&[6.0, 5.0, 11.0, 7.0, 5.0])],
                num(0.0483871),
            ),
            ("RSQ", vec![row(&known_y), row(&known_x)], num(0.05795)),
            ("STEYX", vec![row(&known_y), row(&known_x)], num(3.305719)),
            (
                "FORECAST",
                vec![
                    n(30.0),
                    row(&[6.0, 7.0, 9.0, 15.0, 21.0]),
                    row(&[20.0, 28.0, 31.0, 38.0, 40.0]),
                ],
                num(10.607253),
            ),
            ("CORREL", vec![row(&[1.0, 2.0]), row(&[1.0, 2.0, 3.0])], err(NA)),
        ],
    );
}

#[test]
fn probabilities_and_hypothesis_tests() {
    let ctx = book();
    let data = [3.0, 6.0, 7.0, 8.0, 6.0, 5.0, 4.0, 2.0, 1.0, 9.0];
    let actual = arr(vec![
        vec![num(58.0), num(35.0)],
        vec![num(11.0), num(25.0)],
        vec![num(10.0), num(23.0)],
    ]);
    let expected = arr(vec![
        vec![num(45.35), num(47.65)],
        vec![num(17.56), num(18.44)],
        vec![num(16.09), num(16.91)],
    ]);
    check(
        &ctx,
        vec![
            (
                "PROB",
                vec![row(&[0.0, 1.0, 2.0, 3.0]), row(&[0.2, 0.3, 0.1, 0.4]), n(2.0)],
                num(0.1),
            ),
            (
                "PROB",
                vec![row(&[0.0, 1.0, 2.0, 3.0]), row(&[0.2, 0.3, 0.1, 0.4]), n(1.0), n(3.0)],
                num(0.8),
            ),
            ("PROB", vec![row(&[0.0, 1.0]), row(&[0.2, 0.3]), n(1.0)], err(Num)),
            (
                "T.TEST",
                vec![
                    row(&[3.0, 4.0, 5.0, 8.0, 9.0, 1.0, 2.0, 4.0, 5.0]),
                    row(&[6.0, 19.0, 3.0, 2.0, 14.0, 4.0, 5.0, 17.0, 1.0]),
                    n(2.0),
                    n(1.0),
                ],
                num(0.196016),
            ),
            ("Z.TEST", vec![row(&data), n(4.0)], num(0.090574)),
            ("Z.TEST", vec![row(&data), n(6.0)], num(0.863043)),
            (
                "F.TEST",
                vec![row(&[6.0, 7.0, 9.0, 15.0, 21.0]), row(&[20.0, 28.0, 31.0, 38.0, 40.0])],
                num(0.648318),
            ),
            ("CHISQ.TEST", vec![actual, expected], num(0.0003082)),
        ],
    );
}

#[test]
fn frequency_and_mode_mult_return_columns() {
    let ctx = book();
    let scores = [79.0, 85.0, 78.0, 85.0, 50.0, 81.0, 95.0, 88.0, 97.0];
    check(
        &ctx,
        vec![
            ("FREQUENCY", vec![row(&scores), row(&[70.0, 79.0, 89.0])], col(&[1.0, 2.0, 4.0, 2.0])),
            // FREQUENCY.xlsx: bins out of order keep their order.
            (
                "FREQUENCY",
                vec![
                    row(&[
                        1.0, 7.0, 23.0, 12.0, 13.0, 90.0, 8.0, 78.0, 24.0, 16.0, 3.0, 4.0, 9.0,
                        7.7, 8.5,
                    ]),
                    row(&[10.0, 20.0, 15.0, 5.0]),
                ],
                col(&[5.0, 1.0, 2.0, 3.0, 4.0]),
            ),
            (
                "MODE.MULT",
                vec![row(&[1.0, 2.0, 3.0, 4.0, 3.0, 2.0, 1.0, 2.0, 3.0])],
                col(&[2.0, 3.0]),
            ),
            ("MODE.MULT", vec![row(&[1.0, 2.0, 3.0, 4.0])], err(NA)),
        ],
    );
}

/// Values cached in `STATISTICAL/LINEST_LOGEST.xlsx` and
/// `STATISTICAL/TREND_GROWTH.xlsx`, rounded to twelve digits.
#[test]
fn regression_matches_cached_fits() {
    let ctx = book();
    let y = || row(&[0.2, 0.41, 0.62, 0.8, 1.1]);
    let x = || row(&[1.1, 1.9, 3.1, 4.05, 5.0]);
    let grid = |rows: &[&[f64]]| match arr(rows
        .iter()
        .map(|r| r.iter().map(|v| Value::Number(*v)).collect())
        .collect())
    {
        Operand::Value(v) => v,
        Operand::Ref(_) => Value::Empty,
    };
    let stats = grid(&[
        &[0.219288879936, -0.0384453062047],
        &[0.0138414377123, 0.0462529820242],
        &[0.988188898219, 0.0436126109145],
        &[250.998319181, 3.0],
        &[0.477413820508, 0.00570617949234],
    ]);
    check(
        &ctx,
        vec![
            ("LINEST", vec![y(), x()], grid(&[&[0.219288879936, -0.0384453062047]])),
            ("LINEST", vec![y()], grid(&[&[0.219, -0.031]])),
            ("LINEST", vec![y(), x(), b(false)], grid(&[&[0.20885684861, 0.0]])),
            ("LINEST", vec![y(), x(), b(true), b(true)], stats),
            ("LOGEST", vec![y(), x()], grid(&[&[1.5022613087, 0.156530449515]])),
            ("LOGEST", vec![y(), x(), b(false)], grid(&[&[0.90824292338, 1.0]])),
            (
                "TREND",
                vec![
                    row(&[0.2, 0.31, 0.4, 0.51, 0.7]),
                    row(&[1.1, 2.1, 3.0, 5.2, 7.0]),
                    row(&[8.0, 9.0, 11.0]),
                ],
                grid(&[&[0.766881645459, 0.846252396723, 1.00499389925]]),
            ),
        ],
    );
}

/// The compatibility functions, from the examples of their own reference pages.
#[test]
fn compatibility_names_keep_their_old_arguments() {
    let ctx = book();
    check(
        &ctx,
        vec![
            ("NORMDIST", vec![n(42.0), n(40.0), n(1.5), b(true)], num(0.9087888)),
            ("NORMSDIST", vec![n(1.333333)], num(0.908789)),
            ("LOGNORMDIST", vec![n(4.0), n(3.5), n(1.2)], num(0.0390836)),
            ("NEGBINOMDIST", vec![n(10.0), n(5.0), n(0.25)], num(0.05504866)),
            ("HYPGEOMDIST", vec![n(1.0), n(4.0), n(8.0), n(20.0)], num(0.363261)),
            ("BETADIST", vec![n(2.0), n(8.0), n(10.0), n(1.0), n(3.0)], num(0.6854706)),
            ("TDIST", vec![n(1.959999998), n(60.0), n(2.0)], num(0.054644930)),
            ("TDIST", vec![n(1.959999998), n(60.0), n(1.0)], num(0.027322465)),
            ("TDIST", vec![n(-1.0), n(60.0), n(1.0)], err(Num)),
            ("TINV", vec![n(0.054644930), n(60.0)], num(1.959999998)),
            ("CHIDIST", vec![n(18.307), n(10.0)], num(0.050001)),
            ("CHIINV", vec![n(0.050001), n(10.0)], num(18.30697)),
            ("FDIST", vec![n(15.2068649), n(6.0), n(4.0)], num(0.01)),
            ("POISSON", vec![n(2.0), n(5.0), b(false)], num(0.084224)),
            ("CRITBINOM", vec![n(6.0), n(0.5), n(0.75)], num(4.0)),
        ],
    );
}
