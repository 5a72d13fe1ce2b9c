//! The nom parser of Excel formulas.
