//! Date and time functions: DATE, TIME, YEAR, MONTH, DAY, HOUR, MINUTE, SECOND and the rest of Excel's category.

use crate::functions::Signature;
use crate::reference::{Context, Operand};

/// The functions of this category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateTimeFn {}

impl DateTimeFn {
    /// Every function of this category.
    pub const ALL: &'static [DateTimeFn] = &[];

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        match self {}
    }

    pub fn signature(self) -> Signature {
        match self {}
    }
}

pub(crate) fn call(f: DateTimeFn, _args: &[Operand], _ctx: &dyn Context) -> Operand {
    match f {}
}
