//! `sengine`: serve the engine, check or evaluate a workbook.

fn main() {}
