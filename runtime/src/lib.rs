//! The run-time half of Settlement Engine: the Excel value model, the
//! function library, the IR both evaluators consume, and the interpreter.
//!
//! `runtime` never reads workbooks and never serves HTTP; `compiler` produces
//! its [`ir::Program`]s and `server` runs them. Generated evaluators depend on
//! this crate alone.
//!
//! - [`value`]: [`value::Value`] and [`value::ExcelError`].
//! - [`coerce`], [`compare`], [`ops`], [`criteria`]: Excel's semantics.
//! - [`reference`](mod@reference): cells, ranges and the [`reference::Context`]
//!   functions read through.
//! - [`functions`]: the function library by Excel category.
//! - [`ir`]: the program; [`interp`]: its interpreter; [`evaluator`]: the shared interface.
//! - [`native`]: the C ABI of compiled evaluators and their loader.

pub mod coerce;
pub mod compare;
pub mod criteria;
pub mod evaluator;
pub mod functions;
pub mod interp;
pub mod ir;
pub mod native;
pub mod ops;
pub mod reference;
pub mod slots;
pub mod testing;
pub mod value;
