//! Lookup and reference functions: INDEX, MATCH, VLOOKUP, HLOOKUP, LOOKUP, XLOOKUP, OFFSET, INDIRECT, ROW(S), COLUMN(S), CHOOSE.

use crate::functions::Signature;
use crate::reference::{Context, Operand};

/// The functions of this category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LookupFn {}

impl LookupFn {
    /// Every function of this category.
    pub const ALL: &'static [LookupFn] = &[];

    /// Excel's name of the function.
    pub fn name(self) -> &'static str {
        match self {}
    }

    pub fn signature(self) -> Signature {
        match self {}
    }
}

pub(crate) fn call(f: LookupFn, _args: &[Operand], _ctx: &dyn Context) -> Operand {
    match f {}
}
