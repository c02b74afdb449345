//! Why an archive could not be read or written.

/// Why an archive could not be read or written. Readers answer these for damaged or hostile files
/// instead of panicking or allocating what a length field claims.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum PmTilesError {
    /// The bytes do not start with the PMTiles magic.
    #[error("not a PMTiles archive")]
    NotPmTiles,
    /// A PMTiles archive of another version than 3.
    #[error("PMTiles version {0} is not supported (only 3)")]
    UnsupportedVersion(u8),
    /// Directories or tiles compressed other than none or gzip (header bytes 97 and 98).
    #[error("compression {0} is not supported (only none and gzip)")]
    UnsupportedCompression(u8),
    /// The archive ends before the header, a directory or a tile it points to.
    #[error("the archive ends before the data it points to")]
    Truncated,
    /// A directory, tile or metadata larger than [`crate::MAX_READ`] (or a tile over 4 GiB to write).
    #[error("a directory or tile of the archive is larger than the reader allows")]
    TooLarge,
    /// A directory that does not decode, or a chain of leaf directories deeper than [`crate::MAX_DEPTH`].
    #[error("a directory of the archive is malformed")]
    BadDirectory,
    /// Gzip data that does not inflate.
    #[error("compressed data in the archive is corrupt")]
    BadCompressedData,
    /// The file could not be opened or read.
    #[error("the file could not be read: {0}")]
    Io(std::io::ErrorKind),
    /// A tile off the web-map grid (x or y ≥ 2^z, or z > [`crate::MAX_ZOOM`]).
    #[error("tile {z}/{x}/{y} is not on the web-map grid")]
    OffGrid { z: u8, x: u32, y: u32 },
    /// The writer was given the same tile twice.
    #[error("tile id {0} was added twice")]
    DuplicateTile(u64),
}

impl From<std::io::Error> for PmTilesError {
    fn from(error: std::io::Error) -> PmTilesError {
        match error.kind() {
            std::io::ErrorKind::UnexpectedEof => PmTilesError::Truncated,
            kind => PmTilesError::Io(kind),
        }
    }
}
