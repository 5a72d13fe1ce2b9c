//! Engineering function tests. Expected values are the examples of
//! Microsoft's function reference unless a comment names a corpus workbook,
//! whose values Excel cached.

use crate::functions::math::test_support::*;
use crate::value::ExcelError::{Num, Value as VALUE, NA};
use crate::value::Value;

fn text(s: &str) -> Value {
    Value::text(s)
}

#[test]
fn base_conversions_follow_the_documented_examples() {
    let ctx = book();
    check(
        &ctx,
        vec![
            ("BIN2DEC", vec![n(1100100.0)], num(100.0)),
            ("BIN2DEC", vec![n(1111111111.0)], num(-1.0)),
            ("BIN2HEX", vec![n(11111011.0), n(4.0)], text("00FB")),
            ("BIN2HEX", vec![n(1110.0)], text("E")),
            ("BIN2HEX", vec![n(1111111111.0)], text("FFFFFFFFFF")),
            ("BIN2OCT", vec![n(1001.0), n(3.0)], text("011")),
            ("BIN2OCT", vec![n(1111111111.0)], text("7777777777")),
            ("DEC2BIN", vec![n(9.0), n(4.0)], text("1001")),
            ("DEC2BIN", vec![n(-100.0)], text("1110011100")),
            ("DEC2HEX", vec![n(100.0), n(4.0)], text("0064")),
            ("DEC2HEX", vec![n(-54.0)], text("FFFFFFFFCA")),
            ("DEC2HEX", vec![n(28.0)], text("1C")),
            ("DEC2OCT", vec![n(58.0), n(3.0)], text("072")),
            ("DEC2OCT", vec![n(-100.0)], text("7777777634")),
            ("HEX2BIN", vec![t("F"), n(8.0)], text("00001111")),
            ("HEX2BIN", vec![t("B7")], text("10110111")),
            ("HEX2DEC", vec![t("A5")], num(165.0)),
            ("HEX2DEC", vec![t("FFFFFFFF5B")], num(-165.0)),
            ("HEX2DEC", vec![t("3DA408B9")], num(1034160313.0)),
            ("HEX2OCT", vec![t("F"), n(3.0)], text("017")),
            ("HEX2OCT", vec![t("FFFFFFFF00")], text("7777777400")),
            ("OCT2BIN", vec![n(3.0), n(3.0)], text("011")),
            ("OCT2BIN", vec![n(7777777000.0)], text("1000000000")),
            ("OCT2DEC", vec![n(54.0)], num(44.0)),
            ("OCT2DEC", vec![n(7777777533.0)], num(-165.0)),
            ("OCT2HEX", vec![n(100.0), n(4.0)], text("0040")),
            ("OCT2HEX", vec![n(7777777533.0)], text("FFFFFFFF5B")),
        ],
    );
}

/// Edge cases cached in the corpus workbook `ENGINEERING/NUMBER_SYSTEMS.xlsx`.
#[test]
fn base_conversions_reject_bad_digits_places_and_booleans() {
    let ctx = book();
    check(
        &ctx,
        vec![
            ("BIN2DEC", vec![n(3.0)], err(Num)),
            ("BIN2DEC", vec![n(2.3)], err(Num)),
            ("BIN2DEC", vec![b(true)], err(VALUE)),
            ("BIN2DEC", vec![n(10000000000.0)], err(Num)),
            ("BIN2HEX", vec![n(1100011011.0), n(-2.0)], err(Num)),
            ("BIN2HEX", vec![n(1100011011.0), n(11.0)], err(Num)),
            ("BIN2HEX", vec![n(1100011011.0), n(2.3)], text("FFFFFFFF1B")),
            ("DEC2BIN", vec![n(512.0)], err(Num)),
            ("DEC2BIN", vec![n(-512.8)], text("1000000000")),
            ("DEC2BIN", vec![n(243.0), n(3.0)], err(Num)),
            ("DEC2HEX", vec![n(549755813888.0)], err(Num)),
            ("DEC2HEX", vec![n(549755813887.0)], text("7FFFFFFFFF")),
            ("HEX2DEC", vec![t("QWERTY")], err(Num)),
            ("HEX2DEC", vec![t("01fffffff")], num(536870911.0)),
            ("OCT2DEC", vec![n(4000000000.0)], num(-536870912.0)),
        ],
    );
}

#[test]
fn complex_numbers_are_parsed_formatted_and_computed() {
    let ctx = book();
    check(
        &ctx,
        vec![
            ("COMPLEX", vec![n(3.0), n(4.0)], text("3+4i")),
            ("COMPLEX", vec![n(3.0), n(4.0), t("j")], text("3+4j")),
            ("COMPLEX", vec![n(0.0), n(1.0)], text("i")),
            ("COMPLEX", vec![n(1.0), n(0.0)], text("1")),
            ("COMPLEX", vec![n(1.0), n(2.0), t("I")], err(VALUE)),
            ("IMABS", vec![t("5+12i")], num(13.0)),
            ("IMAGINARY", vec![t("3+4i")], num(4.0)),
            ("IMAGINARY", vec![t("0-j")], num(-1.0)),
            ("IMAGINARY", vec![n(4.0)], num(0.0)),
            ("IMREAL", vec![t("6-9i")], num(6.0)),
            ("IMARGUMENT", vec![t("3+4i")], num(0.92729522)),
            ("IMCONJUGATE", vec![t("3+4i")], text("3-4i")),
            ("IMCOS", vec![t("1+i")], text("0.833730025131149-0.988897705762865i")),
            ("IMSIN", vec![t("4+3i")], text("-7.61923172032141-6.548120040911i")),
            ("IMEXP", vec![t("1+i")], text("1.46869393991589+2.28735528717884i")),
            ("IMLN", vec![t("3+4i")], text("1.6094379124341+0.927295218001612i")),
            ("IMSQRT", vec![t("1+i")], text("1.09868411346781+0.455089860562227i")),
            ("IMPOWER", vec![t("2+3i"), n(3.0)], text("-46+9.00000000000001i")),
            ("IMDIV", vec![t("-238+240i"), t("10+24i")], text("5+12i")),
            ("IMPRODUCT", vec![t("3+4i"), t("5-3i")], text("27+11i")),
            ("IMSUM", vec![t("3+4i"), t("5-3i")], text("8+i")),
            ("IMSUB", vec![t("13+4i"), t("5+3i")], text("8+i")),
            ("IMSUM", vec![t("1+i"), t("1+j")], err(VALUE)),
            ("IMABS", vec![t("abc")], err(Num)),
            ("IMABS", vec![b(true)], err(VALUE)),
        ],
    );
}

/// Values cached in the corpus workbook `ENGINEERING/COMPLEXs.xlsx`.
#[test]
fn complex_functions_match_cached_values_at_poles_and_extremes() {
    let ctx = book();
    check(
        &ctx,
        vec![
            ("IMARGUMENT", vec![t("0")], err(crate::value::ExcelError::Div0)),
            ("IMCOT", vec![t("0")], err(Num)),
            ("IMLN", vec![t("0")], err(Num)),
            ("COMPLEX", vec![n(1e-16), n(0.0)], text("0.0000000000000001")),
            ("COMPLEX", vec![n(1e-20), n(0.0)], text("1E-20")),
            ("IMREAL", vec![t("-23.1234-45.899i")], num(-23.1234)),
            ("IMAGINARY", vec![t("j")], num(1.0)),
            ("IMCONJUGATE", vec![t("j")], text("-j")),
        ],
    );
}

#[test]
fn bit_functions_follow_the_documented_examples() {
    let ctx = book();
    check(
        &ctx,
        vec![
            ("BITAND", vec![n(1.0), n(5.0)], num(1.0)),
            ("BITAND", vec![n(13.0), n(25.0)], num(9.0)),
            ("BITOR", vec![n(23.0), n(10.0)], num(31.0)),
            ("BITXOR", vec![n(5.0), n(3.0)], num(6.0)),
            ("BITLSHIFT", vec![n(4.0), n(2.0)], num(16.0)),
            ("BITRSHIFT", vec![n(13.0), n(2.0)], num(3.0)),
            ("BITLSHIFT", vec![n(12.0), n(100.0)], err(Num)),
            ("BITAND", vec![n(12.5), n(3.0)], err(Num)),
            ("BITAND", vec![n(281474976710656.0), n(3.0)], err(Num)),
            ("BITOR", vec![b(true), n(4.0)], num(5.0)),
        ],
    );
}

#[test]
fn delta_and_gestep_compare_numbers_and_refuse_booleans() {
    let ctx = book();
    check(
        &ctx,
        vec![
            ("DELTA", vec![n(5.0), n(4.0)], num(0.0)),
            ("DELTA", vec![n(5.0), n(5.0)], num(1.0)),
            ("DELTA", vec![n(0.5), n(0.0)], num(0.0)),
            ("GESTEP", vec![n(5.0), n(4.0)], num(1.0)),
            ("GESTEP", vec![n(5.0), n(5.0)], num(1.0)),
            ("GESTEP", vec![n(-4.0), n(-5.0)], num(1.0)),
            ("GESTEP", vec![n(-1.0)], num(0.0)),
            ("GESTEP", vec![b(true), n(1.0)], err(VALUE)),
        ],
    );
}

#[test]
fn erf_and_erfc_follow_the_documented_examples() {
    let mut ctx = book();
    column(&mut ctx, "A1", vec![num(7.0)]);
    check(
        &ctx,
        vec![
            ("ERF", vec![n(0.745)], num(0.70792892)),
            ("ERF", vec![n(1.0)], num(0.84270079)),
            ("ERF", vec![n(0.0), n(0.5)], num(0.5204998778)),
            ("ERF.PRECISE", vec![n(0.1)], num(0.112462916)),
            ("ERFC", vec![n(1.0)], num(0.15729921)),
            ("ERFC.PRECISE", vec![n(1.0)], num(0.15729921)),
            // Cached in ENGINEERING/ERFs.xlsx: large arguments and an empty upper limit.
            ("ERFC", vec![n(7.0)], num(4.1838256077794166e-23)),
            ("ERF", vec![r("A1"), r("B1")], num(-1.0)),
            ("ERF", vec![b(true)], err(VALUE)),
        ],
    );
}

/// Values cached in the corpus workbook `ENGINEERING/BESSEL.xlsx`, which
/// carry the errors of Excel's polynomial approximations.
#[test]
fn bessel_functions_reproduce_excel_approximations() {
    let ctx = book();
    check(
        &ctx,
        vec![
            ("BESSELI", vec![n(1.5), n(1.0)], num(0.981666428)),
            ("BESSELJ", vec![n(1.9), n(2.0)], num(0.329925829)),
            ("BESSELK", vec![n(1.5), n(1.0)], num(0.277387804)),
            ("BESSELY", vec![n(2.5), n(1.0)], num(0.145918138)),
            ("BESSELJ", vec![n(0.0), n(0.0)], num(1.00000000283141)),
            ("BESSELK", vec![n(1.0), n(0.0)], num(0.421024421083418)),
            ("BESSELI", vec![n(0.2), n(7.0)], num(1.9866085100212153e-11)),
            ("BESSELI", vec![n(-2.4), n(7.0)], num(-0.000849664862008219)),
            ("BESSELY", vec![n(0.2), n(10.0)], num(-1156367142008513.5)),
            ("BESSELK", vec![n(0.2), n(10.0)], num(1812385260963317.5)),
            ("BESSELJ", vec![n(0.4), n(10.0)], num(2.811625229652566e-14)),
            ("BESSELI", vec![n(1.0), n(-1.0)], err(Num)),
            ("BESSELK", vec![n(-1.0), n(1.0)], err(Num)),
            ("BESSELY", vec![n(0.0), n(1.0)], err(Num)),
            ("BESSELJ", vec![b(true), n(1.0)], err(VALUE)),
        ],
    );
}

#[test]
fn convert_follows_the_unit_table() {
    let ctx = book();
    check(
        &ctx,
        vec![
            ("CONVERT", vec![n(1.0), t("lbm"), t("kg")], num(0.4535924)),
            ("CONVERT", vec![n(68.0), t("F"), t("C")], num(20.0)),
            ("CONVERT", vec![n(2.5), t("ft"), t("sec")], err(NA)),
            ("CONVERT", vec![n(100.0), t("ft2"), t("m2")], num(9.290304)),
            // Cached in ENGINEERING/CONVERT.xlsx.
            ("CONVERT", vec![n(1.0), t("sg"), t("g")], num(14593.902937206363)),
            ("CONVERT", vec![n(0.05), t("Mg"), t("g")], num(50000.0)),
            ("CONVERT", vec![n(0.05), t("Msg"), t("g")], err(NA)),
            ("CONVERT", vec![n(4.0), t("day"), t("yr")], num(0.010951403148528405)),
            ("CONVERT", vec![n(0.05), t("Mm2"), t("m2")], num(50000000000.0)),
            ("CONVERT", vec![n(1.0), t("F"), t("K")], num(255.92777777777775)),
            ("CONVERT", vec![n(1.0), t("Reau"), t("K")], num(274.4)),
            ("CONVERT", vec![n(1.0), t("mbyte"), t("bit")], num(0.008)),
            ("CONVERT", vec![n(1.0), t("kibyte"), t("bit")], num(8192.0)),
            ("CONVERT", vec![n(1.0), t("Torr"), t("Pa")], num(133.32236842105263)),
        ],
    );
}
