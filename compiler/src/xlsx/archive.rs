//! The zip package: sniffing what kind of file the bytes are, enforcing the
//! bounds of [`super::limits`], and reading parts by name.

use std::io::{Cursor, Read};

use zip::ZipArchive;

use super::limits::{MAX_ENTRIES, MAX_ENTRY_BYTES, MAX_TOTAL_BYTES};
use super::XlsxError;

/// The first bytes of an OLE2 compound file (`.xls`, or an encrypted `.xlsx`).
const OLE2_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The `mimetype` entry of an OpenDocument spreadsheet.
const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// The most memory reserved for a part before its bytes arrive.
const INITIAL_CAPACITY: u64 = 16 * 1024 * 1024;

/// An opened package whose entry count and declared sizes are within bounds.
pub(crate) struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Entry names, for case-insensitive lookup of part names (OPC part
    /// names compare case-insensitively, zip names do not).
    names: Vec<String>,
}

impl<'a> Package<'a> {
    /// Opens `bytes` as an OOXML package, refusing other formats by name.
    ///
    /// # Errors
    /// [`XlsxError::Xls`], [`XlsxError::Encrypted`], [`XlsxError::Ods`],
    /// [`XlsxError::NotZip`], or [`XlsxError::TooLarge`] when the central
    /// directory declares more than the limits allow.
    pub(crate) fn open(bytes: &'a [u8]) -> Result<Package<'a>, XlsxError> {
        if bytes.starts_with(&OLE2_MAGIC) {
            return Err(if is_encrypted_ooxml(bytes) {
                XlsxError::Encrypted
            } else {
                XlsxError::Xls
            });
        }
        if !bytes.starts_with(b"PK") {
            return Err(XlsxError::NotZip);
        }
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|_| XlsxError::NotZip)?;
        let mut package = Package { names: zip.file_names().map(str::to_owned).collect(), zip };
        package.check_declared_sizes()?;
        if package.read_optional("mimetype")?.is_some_and(|m| m.trim_ascii() == ODS_MIMETYPE) {
            return Err(XlsxError::Ods);
        }
        Ok(package)
    }

    /// Refuses archives whose central directory declares too many entries,
    /// an entry too large, or too many bytes in total.
    fn check_declared_sizes(&mut self) -> Result<(), XlsxError> {
        if self.zip.len() > MAX_ENTRIES {
            return Err(XlsxError::TooLarge {
                what: format!("the number of zip entries ({})", self.zip.len()),
                limit: MAX_ENTRIES as u64,
            });
        }
        let mut total: u64 = 0;
        for index in 0..self.zip.len() {
            let entry = self.zip.by_index_raw(index).map_err(|e| XlsxError::Malformed {
                part: format!("zip entry #{index}"),
                message: e.to_string().to_lowercase(),
            })?;
            if entry.size() > MAX_ENTRY_BYTES {
                return Err(too_large_entry(entry.name(), entry.size()));
            }
            total = total.saturating_add(entry.size());
        }
        if total > MAX_TOTAL_BYTES {
            return Err(XlsxError::TooLarge {
                what: format!("the uncompressed size of the archive ({total} bytes)"),
                limit: MAX_TOTAL_BYTES,
            });
        }
        Ok(())
    }

    /// Whether a part exists (case-insensitively).
    pub(crate) fn contains(&self, part: &str) -> bool {
        self.entry_name(part).is_some()
    }

    /// Reads a part that must exist.
    ///
    /// # Errors
    /// [`XlsxError::MissingPart`] when absent, and the errors of [`Package::read_optional`].
    pub(crate) fn read(&mut self, part: &str) -> Result<Vec<u8>, XlsxError> {
        self.read_optional(part)?.ok_or_else(|| XlsxError::MissingPart { part: part.to_owned() })
    }

    /// Reads a part if it exists, never inflating more than its declared
    /// size: an entry that inflates past what its header claims is refused,
    /// so a lying header cannot make the reader allocate without bound.
    ///
    /// # Errors
    /// [`XlsxError::TooLarge`] for an entry inflating past its declared size,
    /// [`XlsxError::Malformed`] for a corrupt or unsupported entry.
    pub(crate) fn read_optional(&mut self, part: &str) -> Result<Option<Vec<u8>>, XlsxError> {
        let Some(name) = self.entry_name(part).map(str::to_owned) else {
            return Ok(None);
        };
        let corrupt =
            |e: &dyn std::fmt::Display| XlsxError::malformed(&name, e.to_string().to_lowercase());
        let entry = self.zip.by_name(&name).map_err(|e| corrupt(&e))?;
        let declared = entry.size().min(MAX_ENTRY_BYTES);
        // The buffer starts no larger than the declared size nor than
        // INITIAL_CAPACITY, so a header that overstates the size costs no
        // memory up front; one byte more than declared is read so that an
        // entry longer than its header says is detected.
        let capacity = declared.min(INITIAL_CAPACITY);
        let mut data = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
        entry.take(declared + 1).read_to_end(&mut data).map_err(|e| corrupt(&e))?;
        if data.len() as u64 > declared {
            return Err(too_large_entry(&name, data.len() as u64));
        }
        Ok(Some(data))
    }

    /// The zip entry name of a part: exact match first, then ignoring case.
    fn entry_name(&self, part: &str) -> Option<&str> {
        let part = part.trim_start_matches('/');
        self.names
            .iter()
            .find(|n| *n == part)
            .or_else(|| self.names.iter().find(|n| n.eq_ignore_ascii_case(part)))
            .map(String::as_str)
    }
}

/// The error for an entry over its size bound.
fn too_large_entry(name: &str, size: u64) -> XlsxError {
    XlsxError::TooLarge {
        what: format!("zip entry {name} ({size} bytes uncompressed)"),
        limit: MAX_ENTRY_BYTES,
    }
}

/// Whether an OLE2 file is an encrypted OOXML package, which holds a stream
/// named `EncryptedPackage` (its directory entry is UTF-16LE).
fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}
