//! What kind of data file a user gave: the one rule for the web upload
//! and the command line. By the name's extension when it has a known
//! one, else by the first bytes (a zip is an XLSX workbook, `<` after an
//! optional byte-order mark is an SDMX/ADX message), else CSV.

/// A data file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// UTF-8 CSV, header row first.
    Csv,
    /// An Excel workbook (first sheet read).
    Xlsx,
    /// An ADX (SDMX-ML) message.
    Adx,
}

impl FileFormat {
    /// `csv`, `xlsx` or `adx` (as the audit log names it).
    pub fn code(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Xlsx => "xlsx",
            FileFormat::Adx => "adx",
        }
    }
}

/// Bytes [`detect`] looks at (a caller streaming a large file reads this
/// many first).
pub const SNIFF_BYTES: usize = 512;

/// The format of a file named `name` whose first bytes are `head` (at
/// least [`SNIFF_BYTES`] of them when the file is that long).
pub fn detect(name: &str, head: &[u8]) -> FileFormat {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" => FileFormat::Xlsx,
        "xml" | "adx" => FileFormat::Adx,
        "csv" => FileFormat::Csv,
        _ if head.starts_with(b"PK") => FileFormat::Xlsx,
        _ if head
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(head)
            .trim_ascii_start()
            .starts_with(b"<") =>
        {
            FileFormat::Adx
        }
        _ => FileFormat::Csv,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_decides_else_the_first_bytes() {
        assert_eq!(detect("a.XLSX", b"x"), FileFormat::Xlsx);
        assert_eq!(detect("a.csv", b"PK\x03\x04"), FileFormat::Csv);
        assert_eq!(detect("a.adx", b""), FileFormat::Adx);
        assert_eq!(detect("a.xml", b""), FileFormat::Adx);
        assert_eq!(detect("upload", b"PK\x03\x04"), FileFormat::Xlsx);
        assert_eq!(
            detect("upload.txt", b"\xEF\xBB\xBF  <?xml"),
            FileFormat::Adx
        );
        assert_eq!(detect("data", b"element,org"), FileFormat::Csv);
        assert_eq!(detect("", b""), FileFormat::Csv);
    }
}
