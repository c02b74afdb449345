//! A reader of PMTiles v3 archives (<https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md>):
//! finds a z/x/y tile through the root and leaf directories and returns its bytes. It reads from any
//! [`ByteSource`]: the basemap embedded in the binary, or (later) a file the user points the app at.
//! Directories and tiles must be stored uncompressed (as `tools/mapgen` writes them).

pub use siaga_domain::geo::tile_id;
use std::borrow::Cow;
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

/// Why an archive could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum PmTilesError {
    #[error("not a PMTiles archive")]
    NotPmTiles,
    #[error("PMTiles version {0} is not supported (only 3)")]
    UnsupportedVersion(u8),
    #[error("compression {0} is not supported (only uncompressed archives)")]
    UnsupportedCompression(u8),
    #[error("the archive ends before the data it points to")]
    Truncated,
    #[error("a directory of the archive is malformed")]
    BadDirectory,
}

/// The header fields the reader and the style need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Header {
    root_offset: u64,
    root_length: u64,
    leaves_offset: u64,
    tile_data_offset: u64,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// West, south, east, north in degrees.
    pub bounds: [f64; 4],
}

const HEADER_LEN: u64 = 127;
const COMPRESSION_NONE: u8 = 1;
/// Root → leaf → leaf is as deep as any writer goes; more means a cycle.
const MAX_DEPTH: usize = 4;

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
        for compression in [bytes[97], bytes[98]] {
            if compression != COMPRESSION_NONE {
                return Err(PmTilesError::UnsupportedCompression(compression));
            }
        }
        Ok(Header {
            root_offset: u64_at(0),
            root_length: u64_at(1),
            leaves_offset: u64_at(4),
            tile_data_offset: u64_at(6),
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
}

impl<'a, S: ByteSource<'a>> PmTiles<S> {
    /// Reads the header and the root directory.
    pub fn open(source: S) -> Result<PmTiles<S>, PmTilesError> {
        let header = Header::parse(&source.read(0, HEADER_LEN).map_err(|_| PmTilesError::NotPmTiles)?)?;
        let root = parse_directory(&source.read(header.root_offset, header.root_length)?)?;
        Ok(PmTiles { source, header, root })
    }

    /// The archive's header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The bytes of tile z/x/y, or `None` when the archive has no such tile.
    pub fn tile(&self, z: u8, x: u32, y: u32) -> Result<Option<Cow<'a, [u8]>>, PmTilesError> {
        let Some(id) = tile_id(z, x, y) else {
            return Ok(None);
        };
        let mut directory = Cow::Borrowed(self.root.as_slice());
        for _ in 0..MAX_DEPTH {
            let Some(entry) = find(&directory, id) else {
                return Ok(None);
            };
            if entry.run_length > 0 {
                let tile = self
                    .source
                    .read(self.header.tile_data_offset + entry.offset, entry.length)?;
                return Ok(Some(tile));
            }
            let leaf = self
                .source
                .read(self.header.leaves_offset + entry.offset, entry.length)?;
            directory = Cow::Owned(parse_directory(&leaf)?);
        }
        Err(PmTilesError::BadDirectory)
    }
}

/// The entry holding `id`: a tile run that covers it, or the leaf directory that may.
fn find(entries: &[Entry], id: u64) -> Option<Entry> {
    let after = entries.partition_point(|e| e.tile_id <= id);
    let entry = *entries.get(after.checked_sub(1)?)?;
    let covers = entry.run_length == 0 || id < entry.tile_id + entry.run_length;
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
            (0, _) => entries[i - 1].offset + entries[i - 1].length,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn varint(out: &mut Vec<u8>, mut value: u64) {
        while value >= 0x80 {
            out.push((value as u8) | 0x80);
            value >>= 7;
        }
        out.push(value as u8);
    }

    /// (tile id, offset, length, run length) → directory bytes, every offset written explicitly.
    fn directory(entries: &[(u64, u64, u64, u64)]) -> Vec<u8> {
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

    /// An archive: header, root, leaves, then data.
    fn archive(root: Vec<u8>, leaves: Vec<u8>, data: &[u8]) -> &'static [u8] {
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
            0,
            0,
            0,
        ] {
            out.extend_from_slice(&value.to_le_bytes());
        }
        out.extend_from_slice(&[1, 1, 1, 1, 0, 2]);
        for degrees in [95.0_f64, -11.0, 141.0, 6.0] {
            out.extend_from_slice(&((degrees * 1e7) as i32).to_le_bytes());
        }
        out.extend_from_slice(&[0; 9]);
        assert_eq!(out.len() as u64, HEADER_LEN);
        out.extend(root);
        out.extend(leaves);
        out.extend_from_slice(data);
        Box::leak(out.into_boxed_slice())
    }

    #[test]
    fn tiles_are_found_in_the_root_and_in_runs() {
        // Tile 0 = "world", tiles 1..=2 share "sea", tile 4 = "land".
        let root = directory(&[(0, 0, 5, 1), (1, 5, 3, 2), (4, 8, 4, 1)]);
        let archive = PmTiles::open(archive(root, Vec::new(), b"worldsealand")).unwrap();
        assert_eq!(archive.header().max_zoom, 2);
        assert_eq!(archive.header().bounds, [95.0, -11.0, 141.0, 6.0]);
        let tile = |z, x, y| archive.tile(z, x, y).unwrap().map(|t| t.into_owned());
        assert_eq!(tile(0, 0, 0).as_deref(), Some(&b"world"[..]));
        assert_eq!(tile(1, 0, 0).as_deref(), Some(&b"sea"[..]));
        assert_eq!(tile(1, 0, 1).as_deref(), Some(&b"sea"[..]));
        assert_eq!(tile(1, 1, 1), None, "tile 3 is not stored");
        assert_eq!(tile(1, 1, 0).as_deref(), Some(&b"land"[..]));
        assert_eq!(tile(2, 0, 0), None, "past the last entry");
        assert_eq!(tile(9, 9999, 0), None, "off the grid");
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
    fn other_files_and_compressed_archives_are_refused() {
        let not_pmtiles: &'static [u8] = &[0; 200];
        assert_eq!(PmTiles::open(not_pmtiles).unwrap_err(), PmTilesError::NotPmTiles);
        let mut gzip = archive(directory(&[]), Vec::new(), b"").to_vec();
        gzip[97] = 2;
        let gzip: &'static [u8] = Box::leak(gzip.into_boxed_slice());
        assert_eq!(
            PmTiles::open(gzip).unwrap_err(),
            PmTilesError::UnsupportedCompression(2)
        );
        let truncated = archive(directory(&[(0, 0, 99, 1)]), Vec::new(), b"x");
        let archive = PmTiles::open(truncated).unwrap();
        assert_eq!(archive.tile(0, 0, 0).unwrap_err(), PmTilesError::Truncated);
    }
}
