//! The IR interpreter: the reference evaluator, available as soon as a
//! workbook is compiled to IR.
