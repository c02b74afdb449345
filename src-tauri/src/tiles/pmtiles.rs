//! A reader of PMTiles v3 archives (<https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md>):
//! finds a z/x/y tile through the root and leaf directories and returns its bytes. It reads from any
//! [`ByteSource`]: the basemap embedded in the binary (borrowed, never copied) or an OpenStreetMap
//! extract the user points the app at ([`FileSource`]: positioned reads, the file is never loaded whole).
//! Directories and tiles may be stored uncompressed (as `tools/mapgen` writes them) or gzip-compressed
//! (as Protomaps builds are); tiles come out decompressed.

use flate2::read::MultiGzDecoder;
pub use siaga_domain::geo::tile_id;
use std::borrow::Cow;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};
use thiserror::Error;

/// Random access to an archive's bytes, borrowed for `'a` where the source allows it (bytes in memory)
/// or owned (a file).
pub trait ByteSource<'a>: Send + Sync {
    /// `length` bytes from `offset`; an error when they are not all there.
    fn read(&self, offset: u64, length: u64) -> Result<Cow<'a, [u8]>, PmTilesError>;
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
}

/// The most one read (a directory or a tile, compressed or not) may take: far above any real tile or
/// directory, far below what a corrupt length field could make the desk allocate.
pub const MAX_READ: u64 = 64 << 20;

/// An archive file on disk, read by position: concurrent requests need no lock and no seek, and only
/// the bytes a request needs are read.
#[derive(Debug)]
pub struct FileSource {
    file: File,
    len: u64,
}

impl FileSource {
    /// Opens `path` for reading.
    pub fn open(path: &Path) -> Result<FileSource, PmTilesError> {
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

    /// The file's size in bytes.
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
        let end = offset.checked_add(length).ok_or(PmTilesError::Truncated)?;
        if end > self.len {
            return Err(PmTilesError::Truncated);
        }
        if length > MAX_READ {
            return Err(PmTilesError::TooLarge);
        }
        let mut buffer = vec![0; usize::try_from(length).map_err(|_| PmTilesError::TooLarge)?];
        read_exact_at(&self.file, &mut buffer, offset).map_err(|e| PmTilesError::Io(e.kind()))?;
        Ok(Cow::Owned(buffer))
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

/// Why an archive could not be read.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum PmTilesError {
    #[error("not a PMTiles archive")]
    NotPmTiles,
    #[error("PMTiles version {0} is not supported (only 3)")]
    UnsupportedVersion(u8),
    #[error("compression {0} is not supported (only none and gzip)")]
    UnsupportedCompression(u8),
    #[error("tile type {0} is not supported (only Mapbox Vector Tiles)")]
    NotVectorTiles(u8),
    #[error("the archive ends before the data it points to")]
    Truncated,
    #[error("a directory or tile of the archive is larger than the reader allows")]
    TooLarge,
    #[error("a directory of the archive is malformed")]
    BadDirectory,
    #[error("compressed data in the archive is corrupt")]
    BadCompressedData,
    #[error("the file could not be read: {0}")]
    Io(std::io::ErrorKind),
}

/// How the archive stores its directories or its tiles (header bytes 97 and 98).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
}

impl Compression {
    fn from_byte(byte: u8) -> Result<Compression, PmTilesError> {
        match byte {
            COMPRESSION_NONE => Ok(Compression::None),
            COMPRESSION_GZIP => Ok(Compression::Gzip),
            other => Err(PmTilesError::UnsupportedCompression(other)),
        }
    }

    /// `bytes` as stored, made plain: borrowed when there is nothing to undo.
    fn decode<'a>(self, bytes: Cow<'a, [u8]>) -> Result<Cow<'a, [u8]>, PmTilesError> {
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

/// The header fields the reader and the style need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Header {
    root_offset: u64,
    root_length: u64,
    leaves_offset: u64,
    tile_data_offset: u64,
    /// How many tiles the archive addresses (0 when the writer did not count them).
    pub addressed_tiles: u64,
    /// How directories are stored.
    pub internal_compression: Compression,
    /// How tiles are stored (they are served decompressed).
    pub tile_compression: Compression,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// West, south, east, north in degrees.
    pub bounds: [f64; 4],
}

const HEADER_LEN: u64 = 127;
const COMPRESSION_NONE: u8 = 1;
const COMPRESSION_GZIP: u8 = 2;
const TILE_TYPE_MVT: u8 = 1;
/// Root → leaf → leaf is as deep as any writer goes; more means a cycle.
const MAX_DEPTH: usize = 4;
/// Parsed leaf directories kept per archive: a map view's tiles share a few leaves.
const LEAF_CACHE: usize = 32;

impl Header {
    fn parse(bytes: &[u8]) -> Result<Header, PmTilesError> {
        if bytes.len() < HEADER_LEN as usize || &bytes[..7] != b"PMTiles" {
            return Err(PmTilesError::NotPmTiles);
        }
        if bytes[7] != 3 {
            return Err(PmTilesError::UnsupportedVersion(bytes[7]));
        }
        let u64_at = |i: usize| u64::from_le_bytes(bytes[8 + i * 8..16 + i * 8].try_into().expect("8 bytes"));
        let degrees_at =
            |at: usize| f64::from(i32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))) / 1e7;
        let internal_compression = Compression::from_byte(bytes[97])?;
        let tile_compression = Compression::from_byte(bytes[98])?;
        if bytes[99] != TILE_TYPE_MVT {
            return Err(PmTilesError::NotVectorTiles(bytes[99]));
        }
        Ok(Header {
            root_offset: u64_at(0),
            root_length: u64_at(1),
            leaves_offset: u64_at(4),
            tile_data_offset: u64_at(6),
            addressed_tiles: u64_at(8),
            internal_compression,
            tile_compression,
            min_zoom: bytes[100],
            max_zoom: bytes[101],
            bounds: [degrees_at(102), degrees_at(106), degrees_at(110), degrees_at(114)],
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    tile_id: u64,
    offset: u64,
    length: u64,
    run_length: u64,
}

/// An open archive.
#[derive(Debug)]
pub struct PmTiles<S> {
    source: S,
    header: Header,
    root: Vec<Entry>,
    /// Recently used leaf directories by offset, most recent last.
    leaves: Mutex<Vec<(u64, Arc<[Entry]>)>>,
}

impl<'a, S: ByteSource<'a>> PmTiles<S> {
    /// Reads the header and the root directory.
    pub fn open(source: S) -> Result<PmTiles<S>, PmTilesError> {
        let header = Header::parse(&source.read(0, HEADER_LEN).map_err(|_| PmTilesError::NotPmTiles)?)?;
        let root = header
            .internal_compression
            .decode(source.read(header.root_offset, header.root_length)?)?;
        let root = parse_directory(&root)?;
        Ok(PmTiles {
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

    /// The bytes of tile z/x/y, decompressed, or `None` when the archive has no such tile. Tiles of an
    /// uncompressed archive in memory are borrowed, never copied.
    pub fn tile(&self, z: u8, x: u32, y: u32) -> Result<Option<Cow<'a, [u8]>>, PmTilesError> {
        let Some(id) = tile_id(z, x, y) else {
            return Ok(None);
        };
        let mut directory: Arc<[Entry]>;
        let mut entries = self.root.as_slice();
        for _ in 0..MAX_DEPTH {
            let Some(entry) = find(entries, id) else {
                return Ok(None);
            };
            if entry.run_length > 0 {
                let offset = self.header.tile_data_offset.checked_add(entry.offset);
                let stored = self
                    .source
                    .read(offset.ok_or(PmTilesError::Truncated)?, entry.length)?;
                return self.header.tile_compression.decode(stored).map(Some);
            }
            let offset = self.header.leaves_offset.checked_add(entry.offset);
            directory = self.leaf(offset.ok_or(PmTilesError::Truncated)?, entry.length)?;
            entries = &directory[..];
        }
        Err(PmTilesError::BadDirectory)
    }

    /// The leaf directory at `offset`, from the cache or read, decompressed and parsed.
    fn leaf(&self, offset: u64, length: u64) -> Result<Arc<[Entry]>, PmTilesError> {
        let mut cache = self
            .leaves
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
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
            .decode(self.source.read(offset, length)?)?;
        let entries: Arc<[Entry]> = parse_directory(&bytes)?.into();
        let mut cache = self
            .leaves
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if cache.len() >= LEAF_CACHE {
            cache.remove(0);
        }
        cache.push((offset, Arc::clone(&entries)));
        Ok(entries)
    }
}

/// The entry holding `id`: a tile run that covers it, or the leaf directory that may.
fn find(entries: &[Entry], id: u64) -> Option<Entry> {
    let after = entries.partition_point(|e| e.tile_id <= id);
    let entry = *entries.get(after.checked_sub(1)?)?;
    let covers = entry.run_length == 0 || id < entry.tile_id.saturating_add(entry.run_length);
    covers.then_some(entry)
}

fn parse_directory(bytes: &[u8]) -> Result<Vec<Entry>, PmTilesError> {
    let mut reader = Varints { bytes, at: 0 };
    let count = usize::try_from(reader.next()?).map_err(|_| PmTilesError::BadDirectory)?;
    if count > bytes.len() {
        return Err(PmTilesError::BadDirectory);
    }
    let mut entries = vec![
        Entry {
            tile_id: 0,
            offset: 0,
            length: 0,
            run_length: 0
        };
        count
    ];
    let mut last_id = 0_u64;
    for entry in entries.iter_mut() {
        last_id = last_id
            .checked_add(reader.next()?)
            .ok_or(PmTilesError::BadDirectory)?;
        entry.tile_id = last_id;
    }
    for entry in entries.iter_mut() {
        entry.run_length = reader.next()?;
    }
    for entry in entries.iter_mut() {
        entry.length = reader.next()?;
    }
    for i in 0..count {
        let value = reader.next()?;
        entries[i].offset = match (value, i) {
            (0, 0) => return Err(PmTilesError::BadDirectory),
            (0, _) => entries[i - 1]
                .offset
                .checked_add(entries[i - 1].length)
                .ok_or(PmTilesError::BadDirectory)?,
            (v, _) => v - 1,
        };
    }
    Ok(entries)
}

struct Varints<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Varints<'_> {
    fn next(&mut self) -> Result<u64, PmTilesError> {
        let mut value = 0_u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.at).ok_or(PmTilesError::BadDirectory)?;
            self.at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(value);
            }
        }
        Err(PmTilesError::BadDirectory)
    }
}

/// Archives written in test code, as the spec lays them out (the reader is checked against these, not
/// against itself).
#[cfg(test)]
pub(crate) mod test_archive {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    pub fn varint(out: &mut Vec<u8>, mut value: u64) {
        while value >= 0x80 {
            out.push((value as u8) | 0x80);
            value >>= 7;
        }
        out.push(value as u8);
    }

    pub fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    /// (tile id, offset, length, run length) → directory bytes, every offset written explicitly.
    pub fn directory(entries: &[(u64, u64, u64, u64)]) -> Vec<u8> {
        let mut out = Vec::new();
        varint(&mut out, entries.len() as u64);
        let mut last = 0;
        for e in entries {
            varint(&mut out, e.0 - last);
            last = e.0;
        }
        for e in entries {
            varint(&mut out, e.3);
        }
        for e in entries {
            varint(&mut out, e.2);
        }
        for e in entries {
            varint(&mut out, e.1 + 1);
        }
        out
    }

    /// An archive's bytes: header (with these internal and tile compression bytes), root, leaves, data.
    pub fn archive_bytes(root: Vec<u8>, leaves: Vec<u8>, data: &[u8], compression: [u8; 2]) -> Vec<u8> {
        let mut out = b"PMTiles\x03".to_vec();
        let root_offset = HEADER_LEN;
        let leaves_offset = root_offset + root.len() as u64;
        let data_offset = leaves_offset + leaves.len() as u64;
        for value in [
            root_offset,
            root.len() as u64,
            leaves_offset,
            0,
            leaves_offset,
            leaves.len() as u64,
            data_offset,
            data.len() as u64,
            3,
            0,
            0,
        ] {
            out.extend_from_slice(&value.to_le_bytes());
        }
        out.extend_from_slice(&[1, compression[0], compression[1], TILE_TYPE_MVT, 0, 2]);
        for degrees in [95.0_f64, -11.0, 141.0, 6.0] {
            out.extend_from_slice(&((degrees * 1e7) as i32).to_le_bytes());
        }
        out.extend_from_slice(&[0; 9]);
        assert_eq!(out.len() as u64, HEADER_LEN);
        out.extend(root);
        out.extend(leaves);
        out.extend_from_slice(data);
        out
    }

    /// A tile's z, x and y.
    pub type ZoomXy = (u8, u32, u32);

    /// A gzip archive as Protomaps writes one (gzip root, one gzip leaf, gzip tiles; tiles given by
    /// z/x/y in tile-id order), in a real `.pmtiles` file.
    pub fn gzip_archive_file(tiles: &[(ZoomXy, &[u8])]) -> tempfile::NamedTempFile {
        let mut data = Vec::new();
        let mut entries = Vec::new();
        for ((z, x, y), tile) in tiles {
            let stored = gzip(tile);
            let id = tile_id(*z, *x, *y).unwrap();
            entries.push((id, data.len() as u64, stored.len() as u64, 1));
            data.extend_from_slice(&stored);
        }
        let leaf = gzip(&directory(&entries));
        let root = gzip(&directory(&[(entries[0].0, 0, leaf.len() as u64, 0)]));
        let bytes = archive_bytes(root, leaf, &data, [COMPRESSION_GZIP, COMPRESSION_GZIP]);
        let mut file = tempfile::Builder::new().suffix(".pmtiles").tempfile().unwrap();
        file.write_all(&bytes).unwrap();
        file.flush().unwrap();
        file
    }
}

#[cfg(test)]
mod tests {
    use super::test_archive::*;
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn leak(bytes: Vec<u8>) -> &'static [u8] {
        Box::leak(bytes.into_boxed_slice())
    }

    /// An uncompressed archive in memory, as the embedded basemap is.
    fn archive(root: Vec<u8>, leaves: Vec<u8>, data: &[u8]) -> &'static [u8] {
        leak(archive_bytes(
            root,
            leaves,
            data,
            [COMPRESSION_NONE, COMPRESSION_NONE],
        ))
    }

    #[test]
    fn tiles_are_found_in_the_root_and_in_runs() {
        // Tile 0 = "world", tiles 1..=2 share "sea", tile 4 = "land".
        let root = directory(&[(0, 0, 5, 1), (1, 5, 3, 2), (4, 8, 4, 1)]);
        let archive = PmTiles::open(archive(root, Vec::new(), b"worldsealand")).unwrap();
        assert_eq!(archive.header().max_zoom, 2);
        assert_eq!(archive.header().bounds, [95.0, -11.0, 141.0, 6.0]);
        assert_eq!(archive.header().addressed_tiles, 3);
        let tile = |z, x, y| archive.tile(z, x, y).unwrap().map(|t| t.into_owned());
        assert_eq!(tile(0, 0, 0).as_deref(), Some(&b"world"[..]));
        assert_eq!(tile(1, 0, 0).as_deref(), Some(&b"sea"[..]));
        assert_eq!(tile(1, 0, 1).as_deref(), Some(&b"sea"[..]));
        assert_eq!(tile(1, 1, 1), None, "tile 3 is not stored");
        assert_eq!(tile(1, 1, 0).as_deref(), Some(&b"land"[..]));
        assert_eq!(tile(2, 0, 0), None, "past the last entry");
        assert_eq!(tile(9, 9999, 0), None, "off the grid");
        assert!(
            matches!(archive.tile(0, 0, 0), Ok(Some(Cow::Borrowed(_)))),
            "an uncompressed archive in memory lends its tiles"
        );
    }

    #[test]
    fn leaf_directories_are_followed() {
        let leaf = directory(&[(5, 0, 4, 1), (6, 4, 4, 1)]);
        let root = directory(&[(5, 0, leaf.len() as u64, 0)]);
        let archive = PmTiles::open(archive(root, leaf, b"abcdefgh")).unwrap();
        let tile = |z, x, y| archive.tile(z, x, y).unwrap().map(|t| t.into_owned());
        assert_eq!(tile(2, 0, 0).as_deref(), Some(&b"abcd"[..]));
        assert_eq!(tile(2, 1, 0).as_deref(), Some(&b"efgh"[..]));
        assert_eq!(tile(0, 0, 0), None);
    }

    #[test]
    fn gzip_directories_and_tiles_are_read_from_a_file_and_served_plain() {
        let big = vec![b'r'; 100_000];
        let file = gzip_archive_file(&[
            ((1, 0, 0), &b"north-west"[..]),
            ((1, 0, 1), &big[..]),
            ((1, 1, 0), &b"east"[..]),
        ]);
        let source = FileSource::open(file.path()).unwrap();
        assert_eq!(source.len(), std::fs::metadata(file.path()).unwrap().len());
        let archive = PmTiles::open(source).unwrap();
        assert_eq!(archive.header().internal_compression, Compression::Gzip);
        assert_eq!(archive.header().tile_compression, Compression::Gzip);
        let tile = |z, x, y| archive.tile(z, x, y).unwrap().map(|t| t.into_owned());
        assert_eq!(tile(1, 0, 0).as_deref(), Some(&b"north-west"[..]));
        assert_eq!(
            tile(1, 0, 1).as_deref(),
            Some(&big[..]),
            "decompressed, not the 100 kB as stored"
        );
        assert_eq!(tile(1, 1, 0).as_deref(), Some(&b"east"[..]));
        assert_eq!(tile(1, 1, 1), None);
        assert_eq!(tile(0, 0, 0), None, "before the first leaf");
        // The second look-up of a leaf comes from the cache and answers the same.
        assert_eq!(tile(1, 0, 0).as_deref(), Some(&b"north-west"[..]));
    }

    #[test]
    fn other_files_and_unsupported_archives_are_refused() {
        let not_pmtiles: &'static [u8] = &[0; 200];
        assert_eq!(PmTiles::open(not_pmtiles).unwrap_err(), PmTilesError::NotPmTiles);
        let short: &'static [u8] = b"PMTiles\x03";
        assert_eq!(PmTiles::open(short).unwrap_err(), PmTilesError::NotPmTiles);
        let mut v2 = archive(directory(&[]), Vec::new(), b"").to_vec();
        v2[7] = 2;
        assert_eq!(
            PmTiles::open(leak(v2)).unwrap_err(),
            PmTilesError::UnsupportedVersion(2)
        );
        let brotli = archive_bytes(directory(&[]), Vec::new(), b"", [COMPRESSION_NONE, 3]);
        assert_eq!(
            PmTiles::open(leak(brotli)).unwrap_err(),
            PmTilesError::UnsupportedCompression(3)
        );
        let mut png = archive(directory(&[]), Vec::new(), b"").to_vec();
        png[99] = 2;
        assert_eq!(
            PmTiles::open(leak(png)).unwrap_err(),
            PmTilesError::NotVectorTiles(2)
        );
        let truncated = archive(directory(&[(0, 0, 99, 1)]), Vec::new(), b"x");
        let archive = PmTiles::open(truncated).unwrap();
        assert_eq!(archive.tile(0, 0, 0).unwrap_err(), PmTilesError::Truncated);
    }

    #[test]
    fn corrupt_gzip_and_lying_lengths_are_errors_not_panics() {
        // The root says gzip but holds plain bytes.
        let plain_root = archive_bytes(
            directory(&[(0, 0, 1, 1)]),
            Vec::new(),
            b"x",
            [COMPRESSION_GZIP, COMPRESSION_GZIP],
        );
        assert_eq!(
            PmTiles::open(leak(plain_root)).unwrap_err(),
            PmTilesError::BadCompressedData
        );
        // A tile that says gzip but is not.
        let bad_tile = archive_bytes(
            gzip(&directory(&[(0, 0, 4, 1)])),
            Vec::new(),
            b"junk",
            [COMPRESSION_GZIP, COMPRESSION_GZIP],
        );
        let archive = PmTiles::open(leak(bad_tile)).unwrap();
        assert_eq!(
            archive.tile(0, 0, 0).unwrap_err(),
            PmTilesError::BadCompressedData
        );
        // A file whose entry points past its end, and a length no real tile has.
        let file = gzip_archive_file(&[((0, 0, 0), &b"x"[..])]);
        let source = FileSource::open(file.path()).unwrap();
        assert_eq!(
            source.read(source.len() - 1, 2).unwrap_err(),
            PmTilesError::Truncated
        );
        assert_eq!(source.read(u64::MAX, 2).unwrap_err(), PmTilesError::Truncated);
        assert_eq!(source.read(0, source.len()).unwrap().len() as u64, source.len());
        let huge = FileSource {
            file: File::open(file.path()).unwrap(),
            len: u64::MAX,
        };
        assert_eq!(huge.read(0, MAX_READ + 1).unwrap_err(), PmTilesError::TooLarge);
        // A gzip bomb: more than MAX_READ once inflated.
        let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0_u8; 1 << 20];
        for _ in 0..=(MAX_READ >> 20) {
            encoder.write_all(&zeros).unwrap();
        }
        let bomb = encoder.finish().unwrap();
        assert_eq!(gunzip(&bomb).unwrap_err(), PmTilesError::TooLarge);
        // Neither a missing file nor a folder opens.
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
