//! The writer: collects tiles by z/x/y or id, then lays out an archive: header, root directory,
//! metadata, leaf directories (only when the root would pass its budget) and tile data in tile-id order.
//! Identical tiles (open sea, solid land) are stored once and consecutive ids sharing one content become
//! one run. Tiles are stored as given (already compressed or not, as [`ArchiveInfo::tile_compression`]
//! says); directories and metadata are gzipped when [`ArchiveInfo::internal_compression`] asks.

use crate::directory::{self, Entry};
use crate::{tile_id, Compression, Header, PmTilesError, TileType, HEADER_LEN};
use flate2::write::GzEncoder;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

/// The root directory must end within the first 16 KiB of the archive, so a reader's first request
/// (header and root) is one 16 KiB read.
pub const DEFAULT_ROOT_BUDGET: usize = 16_384 - HEADER_LEN;
/// Entries per leaf directory, before leaves are made larger to keep the root within its budget.
const LEAF_ENTRIES: usize = 4096;

/// What the header records besides the layout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArchiveInfo {
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// West, south, east, north in degrees.
    pub bounds: [f64; 4],
    /// Longitude and latitude of the default view, in degrees.
    pub center: [f64; 2],
    /// Zoom of the default view.
    pub center_zoom: u8,
    pub tile_type: TileType,
    /// How the tiles given to the writer are compressed (it stores them as they are).
    pub tile_compression: Compression,
    /// How the writer stores directories and metadata.
    pub internal_compression: Compression,
}

/// Collects tiles, then writes the archive.
#[derive(Debug, Clone)]
pub struct Writer {
    tiles: BTreeMap<u64, Vec<u8>>,
    root_budget: usize,
}

impl Default for Writer {
    fn default() -> Writer {
        Writer::new()
    }
}

impl Writer {
    /// An empty archive with the usual root budget ([`DEFAULT_ROOT_BUDGET`]).
    pub fn new() -> Writer {
        Writer::with_root_budget(DEFAULT_ROOT_BUDGET)
    }

    /// An empty archive whose root directory may take at most `budget` bytes (as stored); a small budget
    /// forces leaf directories, as tests of readers need.
    pub fn with_root_budget(budget: usize) -> Writer {
        Writer {
            tiles: BTreeMap::new(),
            root_budget: budget,
        }
    }

    /// Adds tile z/x/y. An empty tile is not stored (a reader answers "no tile" for it).
    pub fn add(&mut self, z: u8, x: u32, y: u32, data: Vec<u8>) -> Result<(), PmTilesError> {
        let id = tile_id(z, x, y).ok_or(PmTilesError::OffGrid { z, x, y })?;
        self.add_by_id(id, data)
    }

    /// Adds the tile with id `id`. An empty tile is not stored.
    pub fn add_by_id(&mut self, id: u64, data: Vec<u8>) -> Result<(), PmTilesError> {
        if data.len() > u32::MAX as usize {
            return Err(PmTilesError::TooLarge);
        }
        if data.is_empty() {
            return Ok(());
        }
        match self.tiles.entry(id) {
            std::collections::btree_map::Entry::Occupied(_) => Err(PmTilesError::DuplicateTile(id)),
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(data);
                Ok(())
            }
        }
    }

    /// How many tiles were added (empty ones not counted).
    pub fn len(&self) -> usize {
        self.tiles.len()
    }

    /// True when no tile was added.
    pub fn is_empty(&self) -> bool {
        self.tiles.is_empty()
    }

    /// The whole archive, with `metadata` (JSON, by the spec) as its metadata.
    pub fn finish(self, info: ArchiveInfo, metadata: &[u8]) -> Result<Vec<u8>, PmTilesError> {
        let mut data = Vec::new();
        let mut stored: HashMap<&[u8], (u64, u32)> = HashMap::new();
        let mut entries: Vec<Entry> = Vec::new();
        for (&id, bytes) in &self.tiles {
            let (offset, length) = *stored.entry(bytes.as_slice()).or_insert_with(|| {
                let offset = data.len() as u64;
                data.extend_from_slice(bytes);
                // Checked in add_by_id.
                (offset, bytes.len() as u32)
            });
            match entries.last_mut() {
                Some(last)
                    if last.offset == offset
                        && last.tile_id + u64::from(last.run_length) == id
                        && last.run_length < u32::MAX =>
                {
                    last.run_length += 1;
                }
                _ => entries.push(Entry {
                    tile_id: id,
                    offset,
                    length,
                    run_length: 1,
                }),
            }
        }
        let compress = |bytes: Vec<u8>| compress(info.internal_compression, bytes);
        let (root, leaves) = self.directories(&entries, &compress)?;
        let metadata = compress(metadata.to_vec())?;

        let root_offset = HEADER_LEN as u64;
        let metadata_offset = root_offset + root.len() as u64;
        let leaves_offset = metadata_offset + metadata.len() as u64;
        let tile_data_offset = leaves_offset + leaves.len() as u64;
        let header = Header {
            root_offset,
            root_length: root.len() as u64,
            metadata_offset,
            metadata_length: metadata.len() as u64,
            leaves_offset,
            leaves_length: leaves.len() as u64,
            tile_data_offset,
            tile_data_length: data.len() as u64,
            addressed_tiles: self.tiles.len() as u64,
            tile_entries: entries.len() as u64,
            tile_contents: stored.len() as u64,
            clustered: entries.windows(2).all(|w| w[0].offset < w[1].offset),
            internal_compression: info.internal_compression,
            tile_compression: info.tile_compression,
            tile_type: info.tile_type,
            min_zoom: info.min_zoom,
            max_zoom: info.max_zoom,
            bounds: info.bounds,
            center_zoom: info.center_zoom,
            center: info.center,
        };
        let mut out = Vec::with_capacity(tile_data_offset as usize + data.len());
        out.extend_from_slice(&header.to_bytes());
        out.extend_from_slice(&root);
        out.extend_from_slice(&metadata);
        out.extend_from_slice(&leaves);
        out.extend_from_slice(&data);
        Ok(out)
    }

    /// The root directory and the leaf directories (empty when the root holds every entry), as stored.
    /// Leaves start at [`LEAF_ENTRIES`] entries and double until the root of leaf pointers fits.
    fn directories(
        &self,
        entries: &[Entry],
        compress: &dyn Fn(Vec<u8>) -> Result<Vec<u8>, PmTilesError>,
    ) -> Result<(Vec<u8>, Vec<u8>), PmTilesError> {
        let root = compress(directory::encode(entries))?;
        if root.len() <= self.root_budget {
            return Ok((root, Vec::new()));
        }
        // With a small budget (tests), start with small leaves so that several exist.
        let mut per_leaf = if self.root_budget < DEFAULT_ROOT_BUDGET {
            entries.len().div_ceil(8).max(1)
        } else {
            LEAF_ENTRIES
        };
        loop {
            let mut leaves = Vec::new();
            let mut pointers = Vec::new();
            for chunk in entries.chunks(per_leaf) {
                let leaf = compress(directory::encode(chunk))?;
                pointers.push(Entry {
                    tile_id: chunk[0].tile_id,
                    offset: leaves.len() as u64,
                    length: u32::try_from(leaf.len()).map_err(|_| PmTilesError::TooLarge)?,
                    run_length: 0,
                });
                leaves.extend_from_slice(&leaf);
            }
            let root = compress(directory::encode(&pointers))?;
            if root.len() <= self.root_budget || pointers.len() == 1 {
                return Ok((root, leaves));
            }
            per_leaf *= 2;
        }
    }
}

/// `bytes` stored as `compression` says.
fn compress(compression: Compression, bytes: Vec<u8>) -> Result<Vec<u8>, PmTilesError> {
    match compression {
        Compression::None => Ok(bytes),
        Compression::Gzip => {
            let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(&bytes)?;
            Ok(encoder.finish()?)
        }
    }
}

/// Gzips `bytes` (for callers that store gzipped tiles and say so in [`ArchiveInfo::tile_compression`]).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    compress(Compression::Gzip, bytes.to_vec()).expect("gzip into memory does not fail")
}
