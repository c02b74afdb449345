//! A writer of PMTiles v3 archives (<https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md>):
//! a 127-byte header, a root directory, JSON metadata, leaf directories when the root would not fit in
//! the first 16 KiB, then the tile data. Directories and tiles are stored uncompressed; identical tiles
//! (open sea, solid land) are stored once.

use crate::protobuf::write_varint;
use siaga_domain::geo::tile_id;
use std::collections::HashMap;

/// Bounds and defaults recorded in the header.
#[derive(Debug, Clone, Copy)]
pub struct ArchiveInfo {
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// West, south, east, north in degrees.
    pub bounds: [f64; 4],
    /// Longitude, latitude and zoom of the default view.
    pub center: (f64, f64, u8),
}

/// Collects tiles, then writes the archive.
#[derive(Debug, Default)]
pub struct ArchiveWriter {
    tiles: Vec<(u64, Vec<u8>)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    tile_id: u64,
    offset: u64,
    length: u32,
    run_length: u32,
}

const HEADER_LEN: usize = 127;
/// The root directory must end within the first 16 KiB of the archive.
const ROOT_BUDGET: usize = 16_384 - HEADER_LEN;
const LEAF_ENTRIES: usize = 4096;

impl ArchiveWriter {
    /// An empty archive.
    pub fn new() -> ArchiveWriter {
        ArchiveWriter::default()
    }

    /// Adds one tile's bytes (an empty tile is simply not stored).
    pub fn add(&mut self, z: u8, x: u32, y: u32, data: Vec<u8>) {
        if !data.is_empty() {
            self.tiles
                .push((tile_id(z, x, y).expect("a tile on the web-map grid"), data));
        }
    }

    /// How many tiles were added.
    pub fn len(&self) -> usize {
        self.tiles.len()
    }

    /// The whole archive.
    pub fn finish(mut self, info: ArchiveInfo, metadata: &serde_json::Value) -> Vec<u8> {
        self.tiles.sort_by_key(|(id, _)| *id);
        let mut data = Vec::new();
        let mut stored: HashMap<&[u8], (u64, u32)> = HashMap::new();
        let mut entries: Vec<Entry> = Vec::new();
        for (id, bytes) in &self.tiles {
            let (offset, length) = *stored.entry(bytes.as_slice()).or_insert_with(|| {
                let offset = data.len() as u64;
                data.extend_from_slice(bytes);
                (offset, bytes.len() as u32)
            });
            match entries.last_mut() {
                Some(last) if last.offset == offset && last.tile_id + u64::from(last.run_length) == *id => {
                    last.run_length += 1;
                }
                _ => entries.push(Entry {
                    tile_id: *id,
                    offset,
                    length,
                    run_length: 1,
                }),
            }
        }
        let addressed = self.tiles.len() as u64;
        let contents = stored.len() as u64;

        let mut root = encode_directory(&entries);
        let mut leaves = Vec::new();
        if root.len() > ROOT_BUDGET {
            let mut root_entries = Vec::new();
            for chunk in entries.chunks(LEAF_ENTRIES) {
                let leaf = encode_directory(chunk);
                root_entries.push(Entry {
                    tile_id: chunk[0].tile_id,
                    offset: leaves.len() as u64,
                    length: leaf.len() as u32,
                    run_length: 0,
                });
                leaves.extend_from_slice(&leaf);
            }
            root = encode_directory(&root_entries);
            assert!(
                root.len() <= ROOT_BUDGET,
                "too many tiles for one level of leaves"
            );
        }
        let metadata = serde_json::to_vec(metadata).expect("metadata is JSON");

        let root_offset = HEADER_LEN as u64;
        let metadata_offset = root_offset + root.len() as u64;
        let leaves_offset = metadata_offset + metadata.len() as u64;
        let data_offset = leaves_offset + leaves.len() as u64;

        let mut out = Vec::with_capacity(data_offset as usize + data.len());
        out.extend_from_slice(b"PMTiles");
        out.push(3);
        for value in [
            root_offset,
            root.len() as u64,
            metadata_offset,
            metadata.len() as u64,
            leaves_offset,
            leaves.len() as u64,
            data_offset,
            data.len() as u64,
            addressed,
            entries.len() as u64,
            contents,
        ] {
            out.extend_from_slice(&value.to_le_bytes());
        }
        let clustered = entries.windows(2).all(|w| w[0].offset < w[1].offset);
        out.push(u8::from(clustered));
        out.push(1); // internal compression: none
        out.push(1); // tile compression: none
        out.push(1); // tile type: MVT
        out.push(info.min_zoom);
        out.push(info.max_zoom);
        let [west, south, east, north] = info.bounds;
        for degrees in [west, south, east, north] {
            out.extend_from_slice(&e7(degrees).to_le_bytes());
        }
        out.push(info.center.2);
        out.extend_from_slice(&e7(info.center.0).to_le_bytes());
        out.extend_from_slice(&e7(info.center.1).to_le_bytes());
        assert_eq!(out.len(), HEADER_LEN);
        out.extend_from_slice(&root);
        out.extend_from_slice(&metadata);
        out.extend_from_slice(&leaves);
        out.extend_from_slice(&data);
        out
    }
}

fn e7(degrees: f64) -> i32 {
    (degrees * 1e7).round() as i32
}

fn encode_directory(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    write_varint(&mut out, entries.len() as u64);
    let mut last_id = 0;
    for entry in entries {
        write_varint(&mut out, entry.tile_id - last_id);
        last_id = entry.tile_id;
    }
    for entry in entries {
        write_varint(&mut out, u64::from(entry.run_length));
    }
    for entry in entries {
        write_varint(&mut out, u64::from(entry.length));
    }
    for (i, entry) in entries.iter().enumerate() {
        let follows = i > 0 && {
            let previous = entries[i - 1];
            entry.offset == previous.offset + u64::from(previous.length)
        };
        write_varint(&mut out, if follows { 0 } else { entry.offset + 1 });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_tiles_are_stored_once_and_runs_share_an_entry() {
        let mut writer = ArchiveWriter::new();
        writer.add(1, 0, 0, b"sea".to_vec());
        writer.add(1, 0, 1, b"sea".to_vec());
        writer.add(1, 1, 1, b"land".to_vec());
        writer.add(1, 1, 0, Vec::new());
        let info = ArchiveInfo {
            min_zoom: 0,
            max_zoom: 1,
            bounds: [-180.0, -85.0, 180.0, 85.0],
            center: (0.0, 0.0, 0),
        };
        let archive = writer.finish(info, &serde_json::json!({}));
        assert_eq!(&archive[..7], b"PMTiles");
        let field = |i: usize| u64::from_le_bytes(archive[8 + i * 8..16 + i * 8].try_into().unwrap());
        assert_eq!(field(7), 7, "tile data: sea + land");
        assert_eq!((field(8), field(9), field(10)), (3, 2, 2));
    }
}
