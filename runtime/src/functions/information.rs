//! Information functions: the IS* family, NA, TYPE, ERROR.TYPE.

use crate::functions::Signature;
use crate::reference::{Context, Operand};

/// The functions of this category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InformationFn {}

impl InformationFn {
    /// Every function of this category.
    pub const ALL: &'static [InformationFn] = &[];

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        match self {}
    }

    pub fn signature(self) -> Signature {
        match self {}
    }
}

pub(crate) fn call(f: InformationFn, _args: &[Operand], _ctx: &dyn Context) -> Operand {
    match f {}
}
