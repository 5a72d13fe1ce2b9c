//! Tests of the number format codes, with Microsoft's documented examples
//! and values Excel computed.

use super::*;

fn fmt(n: f64, code: &str) -> String {
    format_number(n, code, false).unwrap()
}

#[test]
fn documented_number_formats() {
    // Microsoft's TEXT documentation: 1234.567 with "$#,##0.00" is
    // "$1,234.57"; 0.285 with "0.0%" is "28.5%"; 12200000 with
    // "0.00E+00" is "1.22E+07"; 1234 with "0000000" is "0001234".
    assert_eq!(fmt(1234.567, "$#,##0.00"), "$1,234.57");
    assert_eq!(fmt(0.285, "0.0%"), "28.5%");
    assert_eq!(fmt(12200000.0, "0.00E+00"), "1.22E+07");
    assert_eq!(fmt(1234.0, "0000000"), "0001234");
    assert_eq!(fmt(1234567.0, "#,##0"), "1,234,567");
    assert_eq!(fmt(2.5, "0"), "3");
    assert_eq!(fmt(-2.5, "0"), "-3");
    assert_eq!(fmt(1.005, "0.00"), "1.01");
    assert_eq!(fmt(0.5, "#.00"), ".50");
    assert_eq!(fmt(0.0, "#"), "");
    assert_eq!(fmt(12.0, "#"), "12");
    assert_eq!(fmt(0.25, "0%"), "25%");
    assert_eq!(fmt(5.0, "0;-0;0"), "5");
    assert_eq!(fmt(-5.0, "0;-0;0"), "-5");
    assert_eq!(fmt(-5.0, "0;(0)"), "(5)");
    assert_eq!(fmt(0.0, "0;-0;\"zero\""), "zero");
    assert_eq!(fmt(1.5, "0.0#"), "1.5");
    assert_eq!(fmt(1234567.0, "#,##0,"), "1,235");
    assert_eq!(fmt(1234567.0, "0.0,,\"M\""), "1.2M");
    assert_eq!(fmt(0.5, "General"), "0.5");
    assert_eq!(fmt(42.0, "\"Total: \"0"), "Total: 42");
    assert_eq!(fmt(42.0, "0\" units\""), "42 units");
    // TEXT's documentation: 123456 with "##0° 00' 00''" is 12° 34' 56''.
    assert_eq!(fmt(123456.0, "##0° 00' 00''"), "12° 34' 56''");
    // And the upper-case date codes of its examples.
    assert_eq!(fmt(45366.75, "MM/DD/YY"), "03/15/24");
    assert_eq!(fmt(45366.75, "DDDD"), "Friday");
    assert_eq!(fmt(45366.75, "H:MM AM/PM"), "6:00 PM");
}

/// Values Excel computed in a conformance workbook (TEXT.xlsx of the
/// shared corpus), one row per number.
#[test]
fn excel_computed_number_formats() {
    let codes = ["0", "0.00", "#,##0", "00-00-00-00", "General", "[Red]#.#", "0.00%", "0.00E+0"];
    let cases: [(f64, [&str; 8]); 9] = [
        (12.0, ["12", "12.00", "12", "00-00-00-12", "12", "12.", "1200.00%", "1.20E+1"]),
        (1.0 / 3.0, ["0", "0.33", "0", "00-00-00-00", "0.333333333", ".3", "33.33%", "3.33E-1"]),
        (
            12345.6789,
            [
                "12346",
                "12345.68",
                "12,346",
                "00-01-23-46",
                "12345.6789",
                "12345.7",
                "1234567.89%",
                "1.23E+4",
            ],
        ),
        (
            -1.0 / 3.0,
            ["0", "-0.33", "0", "00-00-00-00", "-0.333333333", "-.3", "-33.33%", "-3.33E-1"],
        ),
        (0.0, ["0", "0.00", "0", "00-00-00-00", "0", ".", "0.00%", "0.00E+0"]),
        (
            123456789012.0,
            [
                "123456789012",
                "123456789012.00",
                "123,456,789,012",
                "123456-78-90-12",
                "1.23457E+11",
                "123456789012.",
                "12345678901200.00%",
                "1.23E+11",
            ],
        ),
        (1.2e-16, ["0", "0.00", "0", "00-00-00-00", "1.2E-16", ".", "0.00%", "1.20E-16"]),
        (-2.5e-9, ["0", "0.00", "0", "00-00-00-00", "-2.5E-09", ".", "0.00%", "-2.50E-9"]),
        (-1e-8, ["0", "0.00", "0", "00-00-00-00", "-0.00000001", ".", "0.00%", "-1.00E-8"]),
    ];
    for (n, expected) in cases {
        for (code, want) in codes.iter().zip(expected) {
            assert_eq!(fmt(n, code), want, "TEXT({n}, {code:?})");
        }
    }
    assert_eq!(fmt(12.0, "#,#.00 \"Millions!\""), "12.00 Millions!");
    assert_eq!(fmt(12345.6789, "#,#.00 \"Millions!\""), "12,345.68 Millions!");
    assert_eq!(fmt(123456789012.0, "#,##,, \"Millions\""), "123,457 Millions");
    assert_eq!(fmt(-1.0 / 3.0, "#,##0_);(#,##0)"), "(0)");
    // `_)` leaves a space as wide as ")".
    let accounting = "#,##0_);(#,##0)";
    let currency = "$#,##0_);($#,##0)";
    assert_eq!(fmt(12.0, accounting), "12 ");
    assert_eq!(fmt(12345.6789, currency), "$12,346 ");
    assert_eq!(fmt(-12345.6789, accounting), "(12,346)");
    assert_eq!(fmt(1.2e-16, currency), "$0 ");
    assert_eq!(fmt(1.23456e19, accounting), "12,345,600,000,000,000,000 ");
    assert_eq!(fmt(-1e9, "$#,##0_);($#,##0)"), "($1,000,000,000)");
    assert_eq!(fmt(25000000000.0, "General"), "25000000000");
    assert_eq!(fmt(250000000000.0, "General"), "2.5E+11");
    assert_eq!(fmt(1e16, "General"), "1E+16");
    assert_eq!(fmt(1.23456e19, "0.00%"), "1234560000000000000000.00%");
    assert_eq!(fmt(1.23456e19, "#,##0"), "12,345,600,000,000,000,000");
    assert_eq!(fmt(1e16, "0.00"), "10000000000000000.00");
}

/// Date formats from the same workbook: serial 41181 is Saturday
/// 2012-09-29, serial 100 is Monday 1900-04-09.
#[test]
fn excel_computed_date_formats() {
    assert_eq!(fmt(41181.0, "m/d/y"), "9/29/12");
    assert_eq!(fmt(41181.0, "dd/mm--yy"), "29/09--12");
    assert_eq!(fmt(41181.0, "ddd--/--mmm--/++yyy"), "Sat--/--Sep--/++2012");
    assert_eq!(fmt(41181.0, "dddd/mmmm/yyyyy"), "Saturday/September/2012");
    assert_eq!(fmt(41181.0, "ddddd/mmmmm/yyyyy"), "Saturday/S/2012");
    assert_eq!(fmt(100.0, "ddd--/--mmm--/++yyy"), "Mon--/--Apr--/++1900");
    assert_eq!(fmt(100.0, "m/d/y"), "4/9/00");
    assert_eq!(format_number(41181.0, "mm###", false), Err(ExcelError::Value));
}

#[test]
fn documented_date_formats() {
    // 2024-03-15 18:30:45 is serial 45366.771354166…
    let serial = 45366.0 + (18.0 * 3600.0 + 30.0 * 60.0 + 45.0) / 86400.0;
    assert_eq!(fmt(serial, "yyyy-mm-dd"), "2024-03-15");
    assert_eq!(fmt(serial, "dd/mm/yyyy"), "15/03/2024");
    assert_eq!(fmt(serial, "mm/dd/yy"), "03/15/24");
    assert_eq!(fmt(serial, "hh:mm"), "18:30");
    assert_eq!(fmt(serial, "mm:ss"), "30:45");
    assert_eq!(fmt(serial, "d-mmm"), "15-Mar");
    assert_eq!(fmt(serial, "mmmm d, yyyy"), "March 15, 2024");
    assert_eq!(fmt(serial, "dddd"), "Friday");
    assert_eq!(fmt(serial, "ddd"), "Fri");
    assert_eq!(fmt(serial, "h:mm AM/PM"), "6:30 PM");
    assert_eq!(fmt(serial, "hh:mm:ss"), "18:30:45");
    assert_eq!(fmt(1.5, "[h]:mm"), "36:00");
    assert_eq!(fmt(0.5 / 24.0, "[mm]:ss"), "30:00");
    assert_eq!(fmt(0.0, "h:mm AM/PM"), "12:00 AM");
    assert_eq!(fmt(60.0, "yyyy-mm-dd"), "1900-02-29");
    assert_eq!(fmt(1.0 / 86400.0 * 1.25, "ss.00"), "01.25");
    assert_eq!(format_number(-1.0, "yyyy", false), Err(ExcelError::Value));
}

#[test]
fn text_sections() {
    assert_eq!(format_text("abc", "0.00"), "abc");
    assert_eq!(format_text("abc", "@"), "abc");
    assert_eq!(format_text("abc", "\"<\"@\">\""), "<abc>");
    assert_eq!(format_text("abc", "0;0;0;\"text: \"@"), "text: abc");
}
