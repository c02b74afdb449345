//! PMTiles directories: a count, then the entries' tile ids (as deltas), run lengths, lengths and offsets,
//! each column as varints. An entry with a run length of 0 points at a leaf directory; otherwise it covers
//! `run_length` consecutive tile ids that share one stored tile. An offset written as 0 means "right after
//! the previous entry's bytes"; any other value is the offset plus one.

use crate::varint::{self, Varints};
use crate::PmTilesError;

/// One directory entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The first tile id the entry covers (a leaf: the first id its directory may hold).
    pub tile_id: u64,
    /// From the start of the tile data (a tile) or of the leaf directories (a leaf).
    pub offset: u64,
    /// Bytes of the tile or of the leaf directory, as stored.
    pub length: u32,
    /// How many consecutive tile ids share the tile; 0 for a leaf directory.
    pub run_length: u32,
}

impl Entry {
    /// True when the entry points at a leaf directory.
    pub fn is_leaf(&self) -> bool {
        self.run_length == 0
    }
}

/// The directory's bytes (uncompressed). Entries must be in tile-id order.
pub fn encode(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    varint::write(&mut out, entries.len() as u64);
    let mut last_id = 0;
    for entry in entries {
        varint::write(&mut out, entry.tile_id - last_id);
        last_id = entry.tile_id;
    }
    for entry in entries {
        varint::write(&mut out, u64::from(entry.run_length));
    }
    for entry in entries {
        varint::write(&mut out, u64::from(entry.length));
    }
    for (i, entry) in entries.iter().enumerate() {
        let follows = i > 0 && {
            let previous = entries[i - 1];
            entry.offset == previous.offset + u64::from(previous.length)
        };
        varint::write(&mut out, if follows { 0 } else { entry.offset + 1 });
    }
    out
}

/// The entries of a directory's bytes (uncompressed). A count larger than the bytes could hold, a value
/// out of range or bytes that end early are [`PmTilesError::BadDirectory`]; nothing is allocated beyond
/// what the bytes can back.
pub fn decode(bytes: &[u8]) -> Result<Vec<Entry>, PmTilesError> {
    let mut reader = Varints::new(bytes);
    let count = usize::try_from(reader.next_u64()?).map_err(|_| PmTilesError::BadDirectory)?;
    // Every entry takes at least four bytes (one varint per column).
    if count > reader.remaining() / 4 {
        return Err(PmTilesError::BadDirectory);
    }
    let empty = Entry {
        tile_id: 0,
        offset: 0,
        length: 0,
        run_length: 0,
    };
    let mut entries = vec![empty; count];
    let mut last_id = 0_u64;
    for entry in entries.iter_mut() {
        last_id = last_id
            .checked_add(reader.next_u64()?)
            .ok_or(PmTilesError::BadDirectory)?;
        entry.tile_id = last_id;
    }
    let small = |value: u64| u32::try_from(value).map_err(|_| PmTilesError::BadDirectory);
    for entry in entries.iter_mut() {
        entry.run_length = small(reader.next_u64()?)?;
    }
    for entry in entries.iter_mut() {
        entry.length = small(reader.next_u64()?)?;
    }
    for i in 0..count {
        let value = reader.next_u64()?;
        entries[i].offset = match (value, i) {
            (0, 0) => return Err(PmTilesError::BadDirectory),
            (0, _) => entries[i - 1]
                .offset
                .checked_add(u64::from(entries[i - 1].length))
                .ok_or(PmTilesError::BadDirectory)?,
            (v, _) => v - 1,
        };
    }
    Ok(entries)
}

/// The entry holding `id` in a directory sorted by tile id: a tile run that covers it, or the leaf
/// directory that may.
pub fn find(entries: &[Entry], id: u64) -> Option<Entry> {
    let after = entries.partition_point(|e| e.tile_id <= id);
    let entry = *entries.get(after.checked_sub(1)?)?;
    let covers = entry.is_leaf() || id < entry.tile_id.saturating_add(u64::from(entry.run_length));
    covers.then_some(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(tile_id: u64, offset: u64, length: u32, run_length: u32) -> Entry {
        Entry {
            tile_id,
            offset,
            length,
            run_length,
        }
    }

    #[test]
    fn directories_round_trip_with_implicit_offsets() {
        let entries = [
            entry(0, 0, 5, 1),
            entry(1, 5, 3, 2),
            entry(4, 8, 4, 1),
            entry(9, 0, 5, 3),
            entry(100, 40, 7, 0),
        ];
        let bytes = encode(&entries);
        // Count, id deltas, runs, lengths, offsets (0 = right after the previous one).
        assert_eq!(
            bytes,
            [5, 0, 1, 3, 5, 91, 1, 2, 1, 3, 0, 5, 3, 4, 5, 7, 1, 0, 0, 1, 41]
        );
        assert_eq!(decode(&bytes), Ok(entries.to_vec()));
        assert_eq!(decode(&encode(&[])), Ok(Vec::new()));
    }

    #[test]
    fn find_covers_runs_and_leaves() {
        let entries = [entry(1, 0, 3, 2), entry(4, 3, 4, 1), entry(10, 0, 9, 0)];
        assert_eq!(find(&entries, 0), None);
        assert_eq!(find(&entries, 2), Some(entries[0]));
        assert_eq!(find(&entries, 3), None, "past the run");
        assert_eq!(find(&entries, 4), Some(entries[1]));
        assert_eq!(
            find(&entries, 1_000),
            Some(entries[2]),
            "a leaf may hold any later id"
        );
    }

    #[test]
    fn malformed_directories_are_errors() {
        // A count of a billion entries in three bytes: refused before allocating.
        let mut huge = Vec::new();
        varint::write(&mut huge, 1 << 30);
        huge.extend_from_slice(&[0, 0]);
        assert_eq!(decode(&huge), Err(PmTilesError::BadDirectory));
        assert_eq!(decode(&[]), Err(PmTilesError::BadDirectory));
        // One entry whose first offset says "after the previous one".
        assert_eq!(decode(&[1, 0, 1, 1, 0]), Err(PmTilesError::BadDirectory));
        // Ends in the middle.
        let bytes = encode(&[entry(0, 0, 5, 1), entry(1, 5, 3, 1)]);
        assert_eq!(decode(&bytes[..bytes.len() - 1]), Err(PmTilesError::BadDirectory));
        // A run length over u32.
        let mut wide = vec![1, 0];
        varint::write(&mut wide, 1 << 40);
        wide.extend_from_slice(&[1, 1]);
        assert_eq!(decode(&wide), Err(PmTilesError::BadDirectory));
        // Tile ids that overflow.
        let mut overflow = vec![2];
        varint::write(&mut overflow, u64::MAX);
        varint::write(&mut overflow, 1);
        overflow.extend_from_slice(&[1, 1, 1, 1, 1, 1]);
        assert_eq!(decode(&overflow), Err(PmTilesError::BadDirectory));
    }
}
