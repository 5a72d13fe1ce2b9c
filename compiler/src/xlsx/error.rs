//! The error type of the xlsx reader: why a file could not be read.

/// Why a workbook could not be read. Every variant names the part (the zip
/// entry) it concerns when there is one, so a trader can be told what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum XlsxError {
    /// The bytes are not a zip archive at all.
    #[error("the file is not an .xlsx workbook (not a zip archive)")]
    NotZip,
    /// An OLE2 compound file: the legacy binary `.xls` format.
    #[error("this is an .xls file; save it as .xlsx")]
    Xls,
    /// An OLE2 compound file holding an encrypted OOXML package.
    #[error("the workbook is password-protected; remove the password and save it as .xlsx")]
    Encrypted,
    /// An OpenDocument spreadsheet.
    #[error("this is an OpenDocument (.ods) file; save it as .xlsx")]
    Ods,
    /// A binary workbook (`.xlsb`): the workbook part is `workbook.bin`.
    #[error("this is a binary .xlsb workbook; save it as .xlsx")]
    Xlsb,
    /// A part the package needs is absent.
    #[error("the workbook has no part {part}")]
    MissingPart { part: String },
    /// A part exists but its content is not what the format prescribes.
    #[error("malformed part {part}: {message}")]
    Malformed { part: String, message: String },
    /// The package exceeds one of the reader's bounds (see [`crate::xlsx::limits`]).
    #[error("the workbook is too large: {what} exceeds the limit of {limit}")]
    TooLarge { what: String, limit: u64 },
}

impl XlsxError {
    /// A [`XlsxError::Malformed`] for `part` with `message`.
    pub(crate) fn malformed(part: &str, message: impl Into<String>) -> XlsxError {
        XlsxError::Malformed { part: part.to_owned(), message: message.into() }
    }
}
