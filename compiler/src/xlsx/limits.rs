//! Bounds on the work one workbook may cause, so that a small hostile file
//! (a zip bomb, a lying header, absurd nesting) cannot exhaust memory.
//!
//! They are constants today; they are kept together so that they can later
//! become settings of the server.

/// The largest uncompressed size one zip entry may declare or inflate to.
/// Real sheet parts of large trading workbooks stay well under 50 MiB.
pub const MAX_ENTRY_BYTES: u64 = 200 * 1024 * 1024;

/// The largest number of entries the archive may hold. A workbook with
/// thousands of sheets, tables and drawings is still far below this.
pub const MAX_ENTRIES: usize = 10_000;

/// The largest sum of the entries' uncompressed sizes.
pub const MAX_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;

/// The deepest XML element nesting accepted in any part. SpreadsheetML
/// needs fewer than 15 levels; the bound stops pathological documents.
pub const MAX_XML_DEPTH: usize = 256;

/// The most cells (with a value or a formula) a workbook may hold, across
/// all sheets. Each costs around a hundred bytes in memory; ten million is
/// far beyond any workbook Excel itself handles comfortably.
pub const MAX_CELLS: usize = 10_000_000;
