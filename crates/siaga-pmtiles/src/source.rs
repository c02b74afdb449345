//! Where an archive's bytes come from: a byte slice (lent, never copied), a file read by position
//! ([`FileSource`]: concurrent reads share one handle without a lock) or any `Read + Seek`
//! ([`SeekSource`]). Every read is checked against the source's size and [`MAX_READ`] before a buffer is
//! allocated.

use crate::PmTilesError;
use std::borrow::Cow;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::{Mutex, PoisonError};

/// The most one read (a directory, metadata or a tile, compressed or not) may take: far above any real
/// tile or directory, far below what a corrupt length field could make a reader allocate.
pub const MAX_READ: u64 = 64 << 20;

/// Random access to an archive's bytes, borrowed for `'a` where the source allows it (bytes in memory)
/// or owned (a file).
pub trait ByteSource<'a>: Send + Sync {
    /// `length` bytes from `offset`; [`PmTilesError::Truncated`] when they are not all there,
    /// [`PmTilesError::TooLarge`] past [`MAX_READ`] for sources that must allocate.
    fn read(&self, offset: u64, length: u64) -> Result<Cow<'a, [u8]>, PmTilesError>;

    /// The source's size in bytes.
    fn size(&self) -> u64;
}

impl<'a> ByteSource<'a> for &'a [u8] {
    fn read(&self, offset: u64, length: u64) -> Result<Cow<'a, [u8]>, PmTilesError> {
        let start = usize::try_from(offset).map_err(|_| PmTilesError::Truncated)?;
        let end = start
            .checked_add(usize::try_from(length).map_err(|_| PmTilesError::Truncated)?)
            .ok_or(PmTilesError::Truncated)?;
        self.get(start..end)
            .map(Cow::Borrowed)
            .ok_or(PmTilesError::Truncated)
    }

    fn size(&self) -> u64 {
        self.len() as u64
    }
}

/// Checks a read of `length` bytes at `offset` from a source of `size` bytes and gives the buffer it
/// needs.
fn buffer_for(offset: u64, length: u64, size: u64) -> Result<Vec<u8>, PmTilesError> {
    let end = offset.checked_add(length).ok_or(PmTilesError::Truncated)?;
    if end > size {
        return Err(PmTilesError::Truncated);
    }
    if length > MAX_READ {
        return Err(PmTilesError::TooLarge);
    }
    Ok(vec![
        0;
        usize::try_from(length).map_err(|_| PmTilesError::TooLarge)?
    ])
}

/// An archive file on disk, read by position: concurrent requests need no lock and no seek, and only
/// the bytes a request needs are read.
#[derive(Debug)]
pub struct FileSource {
    file: File,
    len: u64,
}

impl FileSource {
    /// Opens `path` for reading; anything but a regular file (a folder, a FIFO, a device) is
    /// [`PmTilesError::Io`] (`InvalidInput`), refused before it is opened: opening a FIFO would wait for a
    /// writer forever.
    pub fn open(path: &Path) -> Result<FileSource, PmTilesError> {
        let kind = std::fs::metadata(path).map_err(|e| PmTilesError::Io(e.kind()))?;
        if !kind.is_file() {
            return Err(PmTilesError::Io(std::io::ErrorKind::InvalidInput));
        }
        let file = File::open(path).map_err(|e| PmTilesError::Io(e.kind()))?;
        let metadata = file.metadata().map_err(|e| PmTilesError::Io(e.kind()))?;
        if !metadata.is_file() {
            return Err(PmTilesError::Io(std::io::ErrorKind::InvalidInput));
        }
        Ok(FileSource {
            file,
            len: metadata.len(),
        })
    }

    /// The file's size in bytes when it was opened.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True for an empty file.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl ByteSource<'static> for FileSource {
    fn read(&self, offset: u64, length: u64) -> Result<Cow<'static, [u8]>, PmTilesError> {
        let mut buffer = buffer_for(offset, length, self.len)?;
        read_exact_at(&self.file, &mut buffer, offset)?;
        Ok(Cow::Owned(buffer))
    }

    fn size(&self) -> u64 {
        self.len
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buffer: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buffer.is_empty() {
        match file.seek_read(buffer, offset) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buffer = &mut buffer[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Any `Read + Seek` (a cursor over bytes, a file, …), one read at a time behind a lock.
#[derive(Debug)]
pub struct SeekSource<R> {
    inner: Mutex<R>,
    len: u64,
}

impl<R: Read + Seek + Send> SeekSource<R> {
    /// Wraps `inner`, measuring its length by seeking to its end.
    pub fn new(mut inner: R) -> Result<SeekSource<R>, PmTilesError> {
        let len = inner.seek(SeekFrom::End(0))?;
        Ok(SeekSource {
            inner: Mutex::new(inner),
            len,
        })
    }

    /// The wrapped reader.
    pub fn into_inner(self) -> R {
        self.inner.into_inner().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<R: Read + Seek + Send> ByteSource<'static> for SeekSource<R> {
    fn read(&self, offset: u64, length: u64) -> Result<Cow<'static, [u8]>, PmTilesError> {
        let mut buffer = buffer_for(offset, length, self.len)?;
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.seek(SeekFrom::Start(offset))?;
        inner.read_exact(&mut buffer)?;
        Ok(Cow::Owned(buffer))
    }

    fn size(&self) -> u64 {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    #[test]
    fn reads_are_checked_against_the_size_before_allocating() {
        let bytes: &[u8] = b"0123456789";
        assert_eq!(&*bytes.read(2, 3).unwrap(), b"234");
        assert!(matches!(bytes.read(0, 10), Ok(Cow::Borrowed(_))));
        assert_eq!(bytes.read(8, 3), Err(PmTilesError::Truncated));
        assert_eq!(bytes.read(u64::MAX, 2), Err(PmTilesError::Truncated));

        let cursor = SeekSource::new(Cursor::new(bytes.to_vec())).unwrap();
        assert_eq!(cursor.size(), 10);
        assert_eq!(&*cursor.read(7, 3).unwrap(), b"789");
        assert_eq!(cursor.read(7, 4), Err(PmTilesError::Truncated));
        assert_eq!(cursor.read(u64::MAX, u64::MAX), Err(PmTilesError::Truncated));

        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(bytes).unwrap();
        let source = FileSource::open(file.path()).unwrap();
        assert_eq!((source.len(), source.size(), source.is_empty()), (10, 10, false));
        assert_eq!(&*source.read(0, 10).unwrap(), bytes);
        assert_eq!(source.read(9, 2), Err(PmTilesError::Truncated));
        // A size no file has: the length is refused before any buffer is made.
        let huge = FileSource {
            file: File::open(file.path()).unwrap(),
            len: u64::MAX,
        };
        assert_eq!(huge.read(0, MAX_READ + 1), Err(PmTilesError::TooLarge));
        let huge = SeekSource {
            inner: Mutex::new(Cursor::new(Vec::new())),
            len: u64::MAX,
        };
        assert_eq!(huge.read(0, u64::MAX / 2), Err(PmTilesError::TooLarge));
    }

    #[test]
    fn folders_and_missing_files_do_not_open() {
        let folder = tempfile::tempdir().unwrap();
        assert!(matches!(
            FileSource::open(folder.path()),
            Err(PmTilesError::Io(_))
        ));
        assert_eq!(
            FileSource::open(&folder.path().join("missing.pmtiles")).unwrap_err(),
            PmTilesError::Io(std::io::ErrorKind::NotFound)
        );
    }
}
