//! The reader: opens an archive (header and root directory), then finds a tile by z/x/y or id through
//! the root and leaf directories and hands it out plain. Tiles of an uncompressed archive in memory are
//! lent, never copied; a few recently used leaf directories are kept parsed.

use crate::directory::{self, Entry};
use crate::{tile_id, ByteSource, Compression, Header, PmTilesError, HEADER_LEN, MAX_READ};
use flate2::read::MultiGzDecoder;
use std::borrow::Cow;
use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};

/// Root → leaf → leaf is deeper than any writer goes; a longer chain is a cycle or a hostile file.
pub const MAX_DEPTH: usize = 4;
/// Parsed leaf directories kept per archive: a map view's tiles share a few leaves.
const LEAF_CACHE: usize = 32;

/// An open archive over a [`ByteSource`].
#[derive(Debug)]
pub struct Reader<S> {
    source: S,
    header: Header,
    root: Vec<Entry>,
    /// Recently used leaf directories by offset, most recent last.
    leaves: Mutex<Vec<(u64, Arc<[Entry]>)>>,
}

impl<'a, S: ByteSource<'a>> Reader<S> {
    /// Reads and checks the header and the root directory.
    pub fn open(source: S) -> Result<Reader<S>, PmTilesError> {
        let head = source.read(0, source.size().min(HEADER_LEN as u64))?;
        let header = Header::parse(&head)?;
        let root = header
            .internal_compression
            .decode(source.read(header.root_offset, header.root_length)?)?;
        let root = directory::decode(&root)?;
        Ok(Reader {
            source,
            header,
            root,
            leaves: Mutex::new(Vec::new()),
        })
    }

    /// The archive's header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The byte source the archive reads from.
    pub fn source(&self) -> &S {
        &self.source
    }

    /// The root directory's entries.
    pub fn root(&self) -> &[Entry] {
        &self.root
    }

    /// The archive's JSON metadata, plain.
    pub fn metadata(&self) -> Result<Cow<'a, [u8]>, PmTilesError> {
        let stored = self
            .source
            .read(self.header.metadata_offset, self.header.metadata_length)?;
        self.header.internal_compression.decode(stored)
    }

    /// The bytes of tile z/x/y, plain, or `None` when the archive has no such tile (or it is off the grid).
    pub fn tile(&self, z: u8, x: u32, y: u32) -> Result<Option<Cow<'a, [u8]>>, PmTilesError> {
        match tile_id(z, x, y) {
            Some(id) => self.tile_by_id(id),
            None => Ok(None),
        }
    }

    /// The bytes of the tile with id `id`, plain, or `None` when the archive has no such tile.
    pub fn tile_by_id(&self, id: u64) -> Result<Option<Cow<'a, [u8]>>, PmTilesError> {
        let mut directory: Arc<[Entry]>;
        let mut entries = self.root.as_slice();
        for _ in 0..MAX_DEPTH {
            let Some(entry) = directory::find(entries, id) else {
                return Ok(None);
            };
            if !entry.is_leaf() {
                let offset = self.header.tile_data_offset.checked_add(entry.offset);
                let stored = self
                    .source
                    .read(offset.ok_or(PmTilesError::Truncated)?, u64::from(entry.length))?;
                return self.header.tile_compression.decode(stored).map(Some);
            }
            let offset = self.header.leaves_offset.checked_add(entry.offset);
            directory = self.leaf(offset.ok_or(PmTilesError::Truncated)?, entry.length)?;
            entries = &directory[..];
        }
        Err(PmTilesError::BadDirectory)
    }

    /// The leaf directory at `offset`, from the cache or read, decompressed and parsed.
    fn leaf(&self, offset: u64, length: u32) -> Result<Arc<[Entry]>, PmTilesError> {
        let mut cache = self.leaves.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(at) = cache.iter().position(|(o, _)| *o == offset) {
            let hit = cache.remove(at);
            let entries = Arc::clone(&hit.1);
            cache.push(hit);
            return Ok(entries);
        }
        drop(cache);
        let bytes = self
            .header
            .internal_compression
            .decode(self.source.read(offset, u64::from(length))?)?;
        let entries: Arc<[Entry]> = directory::decode(&bytes)?.into();
        let mut cache = self.leaves.lock().unwrap_or_else(PoisonError::into_inner);
        if cache.len() >= LEAF_CACHE {
            cache.remove(0);
        }
        cache.push((offset, Arc::clone(&entries)));
        Ok(entries)
    }
}

impl Compression {
    /// `bytes` as stored, made plain: borrowed when there is nothing to undo.
    pub fn decode<'a>(self, bytes: Cow<'a, [u8]>) -> Result<Cow<'a, [u8]>, PmTilesError> {
        match self {
            Compression::None => Ok(bytes),
            Compression::Gzip => gunzip(&bytes).map(Cow::Owned),
        }
    }
}

/// A gzip member (or several) inflated, refusing more than [`MAX_READ`] bytes of output.
fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, PmTilesError> {
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4).min(1 << 20));
    MultiGzDecoder::new(bytes)
        .take(MAX_READ + 1)
        .read_to_end(&mut out)
        .map_err(|_| PmTilesError::BadCompressedData)?;
    if out.len() as u64 > MAX_READ {
        return Err(PmTilesError::TooLarge);
    }
    Ok(out)
}
