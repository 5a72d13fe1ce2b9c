//! Statistical functions: COUNT*, AVERAGE*, MIN/MAX(IFS), LARGE, SMALL and the rest.

use crate::functions::Signature;
use crate::reference::{Context, Operand};

/// The functions of this category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatisticalFn {}

impl StatisticalFn {
    /// Every function of this category.
    pub const ALL: &'static [StatisticalFn] = &[];

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        match self {}
    }

    pub fn signature(self) -> Signature {
        match self {}
    }
}

pub(crate) fn call(f: StatisticalFn, _args: &[Operand], _ctx: &dyn Context) -> Operand {
    match f {}
}
