//! CONVERT: Excel's table of units, their SI prefixes and conversions.

use crate::value::ExcelError;

/// The quantity a unit measures; only units of the same quantity convert.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quantity {
    Mass,
    Length,
    Time,
    Area,
    Pressure,
    Speed,
    Information,
    Volume,
    Temperature,
    Magnetism,
    Power,
    Energy,
    Force,
}

use Quantity::*;

/// A unit: its names, quantity, size in the quantity's base unit, and the
/// power a prefix is raised to (0 when the unit takes no prefix, 2 for
/// `m2`, whose `km2` is (10³)² m²).
struct Unit {
    names: &'static [&'static str],
    quantity: Quantity,
    factor: f64,
    prefix_power: i32,
}

const fn unit(
    names: &'static [&'static str],
    quantity: Quantity,
    factor: f64,
    prefix_power: i32,
) -> Unit {
    Unit { names, quantity, factor, prefix_power }
}

/// Inches per metre, from which the imperial units follow.
const INCH: f64 = 0.0254;
const FOOT: f64 = 0.3048;
const MILE: f64 = 1609.344;
const NAUTICAL_MILE: f64 = 1852.0;
const YARD: f64 = 0.9144;
const LIGHT_YEAR: f64 = 9_460_730_472_580_800.0;
const PICA_POINT: f64 = INCH / 72.0;
const GALLON: f64 = 0.003_785_411_784;
const UK_GALLON: f64 = 0.004_546_09;

/// Excel's units (see Microsoft's CONVERT reference), temperatures aside
/// with factor 1 (they convert by offsets, see [`to_kelvin`]).
static UNITS: &[Unit] = &[
    unit(&["g"], Mass, 1.0, 1),
    unit(&["sg"], Mass, 14_593.902_937_206_364, 0),
    unit(&["lbm"], Mass, 453.592_37, 0),
    unit(&["u"], Mass, 1.660_538_782e-24, 1),
    unit(&["ozm"], Mass, 28.349_523_125, 0),
    unit(&["grain"], Mass, 0.064_798_91, 0),
    unit(&["cwt", "shweight"], Mass, 45_359.237, 0),
    unit(&["uk_cwt", "lcwt", "hweight"], Mass, 50_802.345_44, 0),
    unit(&["stone"], Mass, 6_350.293_18, 0),
    unit(&["ton"], Mass, 907_184.74, 0),
    unit(&["brton", "LTON", "uk_ton"], Mass, 1_016_046.908_8, 0),
    unit(&["m"], Length, 1.0, 1),
    unit(&["mi"], Length, MILE, 0),
    unit(&["Nmi"], Length, NAUTICAL_MILE, 0),
    unit(&["in"], Length, INCH, 0),
    unit(&["ft"], Length, FOOT, 0),
    unit(&["yd"], Length, YARD, 0),
    unit(&["ang"], Length, 1e-10, 1),
    unit(&["ell"], Length, 1.143, 0),
    unit(&["ly"], Length, LIGHT_YEAR, 1),
    unit(&["parsec", "pc"], Length, 30_856_775_812_815_532.0, 1),
    unit(&["Picapt", "Pica"], Length, PICA_POINT, 0),
    unit(&["pica"], Length, INCH / 6.0, 0),
    unit(&["survey_mi"], Length, 6_336_000.0 / 3937.0, 0),
    unit(&["yr"], Time, 31_557_600.0, 0),
    unit(&["day", "d"], Time, 86_400.0, 0),
    unit(&["hr"], Time, 3_600.0, 0),
    unit(&["mn", "min"], Time, 60.0, 0),
    unit(&["sec", "s"], Time, 1.0, 1),
    unit(&["uk_acre"], Area, 4_046.856_422_4, 0),
    unit(&["us_acre"], Area, 4_046.872_609_874_252, 0),
    unit(&["ang2", "ang^2"], Area, 1e-20, 2),
    unit(&["ar"], Area, 100.0, 1),
    unit(&["ft2", "ft^2"], Area, FOOT * FOOT, 0),
    unit(&["ha"], Area, 10_000.0, 0),
    unit(&["in2", "in^2"], Area, INCH * INCH, 0),
    unit(&["ly2", "ly^2"], Area, LIGHT_YEAR * LIGHT_YEAR, 0),
    unit(&["m2", "m^2"], Area, 1.0, 2),
    unit(&["Morgen"], Area, 2_500.0, 0),
    unit(&["mi2", "mi^2"], Area, MILE * MILE, 0),
    unit(&["Nmi2", "Nmi^2"], Area, NAUTICAL_MILE * NAUTICAL_MILE, 0),
    unit(&["Picapt2", "Pica2", "Pica^2", "Picapt^2"], Area, PICA_POINT * PICA_POINT, 0),
    unit(&["yd2", "yd^2"], Area, YARD * YARD, 0),
    unit(&["Pa", "p"], Pressure, 1.0, 1),
    unit(&["atm", "at"], Pressure, 101_325.0, 1),
    unit(&["mmHg"], Pressure, 133.322, 1),
    unit(&["psi"], Pressure, 6_894.757_293_168_362, 0),
    unit(&["Torr"], Pressure, 101_325.0 / 760.0, 0),
    unit(&["admkn"], Speed, 6_080.0 * FOOT / 3_600.0, 0),
    unit(&["kn"], Speed, NAUTICAL_MILE / 3_600.0, 0),
    unit(&["m/h", "m/hr"], Speed, 1.0 / 3_600.0, 1),
    unit(&["m/s", "m/sec"], Speed, 1.0, 1),
    unit(&["mph"], Speed, MILE / 3_600.0, 1),
    unit(&["bit"], Information, 1.0, 1),
    unit(&["byte"], Information, 8.0, 1),
    unit(&["tsp"], Volume, GALLON / 768.0, 0),
    unit(&["tspm"], Volume, 5e-6, 0),
    unit(&["tbs"], Volume, GALLON / 256.0, 0),
    unit(&["oz"], Volume, GALLON / 128.0, 0),
    unit(&["cup"], Volume, GALLON / 16.0, 0),
    unit(&["pt", "us_pt"], Volume, GALLON / 8.0, 0),
    unit(&["uk_pt"], Volume, UK_GALLON / 8.0, 1),
    unit(&["qt"], Volume, GALLON / 4.0, 0),
    unit(&["uk_qt"], Volume, UK_GALLON / 4.0, 0),
    unit(&["gal"], Volume, GALLON, 0),
    unit(&["uk_gal"], Volume, UK_GALLON, 0),
    unit(&["l", "L", "lt"], Volume, 0.001, 1),
    unit(&["ang3", "ang^3"], Volume, 1e-30, 3),
    unit(&["barrel"], Volume, GALLON * 42.0, 0),
    unit(&["bushel"], Volume, 0.035_239_070_166_88, 0),
    unit(&["ft3", "ft^3"], Volume, FOOT * FOOT * FOOT, 0),
    unit(&["in3", "in^3"], Volume, INCH * INCH * INCH, 0),
    unit(&["ly3", "ly^3"], Volume, LIGHT_YEAR * LIGHT_YEAR * LIGHT_YEAR, 0),
    unit(&["m3", "m^3"], Volume, 1.0, 3),
    unit(&["mi3", "mi^3"], Volume, MILE * MILE * MILE, 0),
    unit(&["yd3", "yd^3"], Volume, YARD * YARD * YARD, 0),
    unit(&["Nmi3", "Nmi^3"], Volume, NAUTICAL_MILE * NAUTICAL_MILE * NAUTICAL_MILE, 0),
    unit(
        &["Picapt3", "Picapt^3", "Pica3", "Pica^3"],
        Volume,
        PICA_POINT * PICA_POINT * PICA_POINT,
        0,
    ),
    unit(&["GRT", "regton"], Volume, 100.0 * FOOT * FOOT * FOOT, 0),
    unit(&["MTON"], Volume, 40.0 * FOOT * FOOT * FOOT, 0),
    unit(&["C", "cel"], Temperature, 1.0, 0),
    unit(&["F", "fah"], Temperature, 1.0, 0),
    unit(&["K", "kel"], Temperature, 1.0, 1),
    unit(&["Rank"], Temperature, 1.0, 0),
    unit(&["Reau"], Temperature, 1.0, 0),
    unit(&["T"], Magnetism, 1.0, 1),
    unit(&["ga"], Magnetism, 1e-4, 1),
    unit(&["HP", "h"], Power, 745.699_871_582_270_2, 0),
    unit(&["PS"], Power, 735.498_75, 0),
    unit(&["W", "w"], Power, 1.0, 1),
    unit(&["J"], Energy, 1.0, 1),
    unit(&["e"], Energy, 1e-7, 1),
    unit(&["c"], Energy, 4.184, 1),
    unit(&["cal"], Energy, 4.1868, 1),
    unit(&["eV", "ev"], Energy, 1.602_176_487e-19, 1),
    unit(&["HPh", "hh"], Energy, 745.699_871_582_270_2 * 3_600.0, 0),
    unit(&["Wh", "wh"], Energy, 3_600.0, 1),
    unit(&["flb"], Energy, 1.355_817_948_331_400_4, 0),
    unit(&["BTU", "btu"], Energy, 1_055.055_852_62, 0),
    unit(&["N"], Force, 1.0, 1),
    unit(&["dyn", "dy"], Force, 1e-5, 1),
    unit(&["lbf"], Force, 4.448_221_615_260_500_5, 0),
    unit(&["pond"], Force, 0.009_806_65, 1),
];

/// The decimal prefixes, longest first so `da` wins over `d`.
const PREFIXES: &[(&str, f64)] = &[
    ("da", 1e1),
    ("Y", 1e24),
    ("Z", 1e21),
    ("E", 1e18),
    ("P", 1e15),
    ("T", 1e12),
    ("G", 1e9),
    ("M", 1e6),
    ("k", 1e3),
    ("h", 1e2),
    ("d", 1e-1),
    ("c", 1e-2),
    ("m", 1e-3),
    ("u", 1e-6),
    ("n", 1e-9),
    ("p", 1e-12),
    ("f", 1e-15),
    ("a", 1e-18),
    ("z", 1e-21),
    ("y", 1e-24),
];

/// The binary prefixes, which only `bit` and `byte` take.
const BINARY_PREFIXES: &[(&str, i32)] = &[
    ("Yi", 80),
    ("Zi", 70),
    ("Ei", 60),
    ("Pi", 50),
    ("Ti", 40),
    ("Gi", 30),
    ("Mi", 20),
    ("ki", 10),
];

/// A unit name resolved: the unit and the multiplier its prefix brings.
fn lookup(name: &str) -> Option<(&'static Unit, f64)> {
    let exact = |n: &str| UNITS.iter().find(|u| u.names.contains(&n));
    if let Some(u) = exact(name) {
        return Some((u, 1.0));
    }
    for (prefix, power) in BINARY_PREFIXES {
        if let Some(u) = name.strip_prefix(prefix).and_then(exact) {
            if u.quantity == Information {
                return Some((u, 2f64.powi(*power)));
            }
        }
    }
    for (prefix, multiplier) in PREFIXES {
        if let Some(u) = name.strip_prefix(prefix).and_then(exact) {
            if u.prefix_power > 0 {
                return Some((u, multiplier.powi(u.prefix_power)));
            }
        }
    }
    None
}

/// A temperature in kelvin from the unit named `name`.
fn to_kelvin(name: &str, t: f64) -> f64 {
    match name {
        "C" | "cel" => t + 273.15,
        "F" | "fah" => (t - 32.0) * 5.0 / 9.0 + 273.15,
        "Rank" => t * 5.0 / 9.0,
        "Reau" => t * 1.25 + 273.15,
        _ => t,
    }
}

/// A temperature in kelvin to the unit named `name`.
fn from_kelvin(name: &str, k: f64) -> f64 {
    match name {
        "C" | "cel" => k - 273.15,
        "F" | "fah" => (k - 273.15) * 9.0 / 5.0 + 32.0,
        "Rank" => k * 9.0 / 5.0,
        "Reau" => (k - 273.15) * 0.8,
        _ => k,
    }
}

/// `CONVERT(number, from_unit, to_unit)`: names are case-sensitive; an
/// unknown unit or units of different quantities are `#N/A`.
pub(crate) fn convert(n: f64, from: &str, to: &str) -> Result<f64, ExcelError> {
    let (Some((a, pa)), Some((b, pb))) = (lookup(from), lookup(to)) else {
        return Err(ExcelError::NA);
    };
    if a.quantity != b.quantity {
        return Err(ExcelError::NA);
    }
    if a.quantity == Temperature {
        // Only the kelvin takes a prefix, so the prefix scales the value.
        let kelvin = to_kelvin(a.names[0], n * pa);
        return Ok(from_kelvin(b.names[0], kelvin) / pb);
    }
    Ok(n * (a.factor * pa) / (b.factor * pb))
}
