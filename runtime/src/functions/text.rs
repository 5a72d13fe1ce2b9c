//! Text functions: CONCAT, LEFT, MID, FIND, SUBSTITUTE, TEXT, VALUE and the rest.

use crate::functions::Signature;
use crate::reference::{Context, Operand};

/// The functions of this category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextFn {}

impl TextFn {
    /// Every function of this category.
    pub const ALL: &'static [TextFn] = &[];

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        match self {}
    }

    pub fn signature(self) -> Signature {
        match self {}
    }
}

pub(crate) fn call(f: TextFn, _args: &[Operand], _ctx: &dyn Context) -> Operand {
    match f {}
}
