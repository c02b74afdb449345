//! Archives written by the writer and read back by the reader over every byte source, with leaf
//! directories and gzip; and damaged or hostile archives, which must fail with an error, never a panic
//! or an allocation the file's length fields ask for.

use siaga_pmtiles::{
    directory, gzip, tile_coords, ArchiveInfo, ByteSource, Compression, Entry, FileSource, Header,
    PmTilesError, Reader, SeekSource, TileType, Writer, HEADER_LEN, MAX_READ,
};
use std::io::{Cursor, Write};

fn info(internal: Compression, tiles: Compression) -> ArchiveInfo {
    ArchiveInfo {
        min_zoom: 0,
        max_zoom: 8,
        bounds: [95.0, -11.0, 141.0, 6.0],
        center: [106.8, -6.2],
        center_zoom: 5,
        tile_type: TileType::Mvt,
        tile_compression: tiles,
        internal_compression: internal,
    }
}

/// A small deterministic generator (xorshift), so the "random" archives are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Every tile of zooms 0–6 over Indonesia's rough extent: unique land tiles, repeated "sea" tiles (so
/// runs and shared contents occur), some tiles left out.
fn tiles() -> Vec<(u8, u32, u32, Vec<u8>)> {
    let mut rng = Rng(0x05ee_d110);
    let mut out = Vec::new();
    for z in 0..=6u8 {
        let n = 1u32 << z;
        for x in 0..n {
            for y in 0..n {
                let roll = rng.next() % 10;
                let bytes = match roll {
                    0 => continue,
                    1..=4 => b"sea".to_vec(),
                    _ => format!("land {z}/{x}/{y} {}", rng.next()).into_bytes(),
                };
                out.push((z, x, y, bytes));
            }
        }
    }
    out
}

fn write(tiles: &[(u8, u32, u32, Vec<u8>)], info: ArchiveInfo, root_budget: usize) -> Vec<u8> {
    let mut writer = Writer::with_root_budget(root_budget);
    for (z, x, y, bytes) in tiles {
        let stored = match info.tile_compression {
            Compression::None => bytes.clone(),
            Compression::Gzip => gzip(bytes),
        };
        writer.add(*z, *x, *y, stored).unwrap();
    }
    writer.finish(info, br#"{"name":"test"}"#).unwrap()
}

fn check_all<'a, S: ByteSource<'a>>(reader: &Reader<S>, tiles: &[(u8, u32, u32, Vec<u8>)]) {
    for (z, x, y, bytes) in tiles {
        let got = reader.tile(*z, *x, *y).unwrap();
        assert_eq!(got.as_deref(), Some(bytes.as_slice()), "tile {z}/{x}/{y}");
    }
    assert_eq!(&*reader.metadata().unwrap(), br#"{"name":"test"}"#);
}

#[test]
fn every_tile_reads_back_over_every_source_with_and_without_leaves_and_gzip() {
    let tiles = tiles();
    let present: std::collections::HashSet<(u8, u32, u32)> =
        tiles.iter().map(|(z, x, y, _)| (*z, *x, *y)).collect();
    for (internal, tile_compression, budget) in [
        (
            Compression::None,
            Compression::None,
            siaga_pmtiles::DEFAULT_ROOT_BUDGET,
        ),
        (
            Compression::Gzip,
            Compression::Gzip,
            siaga_pmtiles::DEFAULT_ROOT_BUDGET,
        ),
        (Compression::None, Compression::None, 64),
        (Compression::Gzip, Compression::Gzip, 64),
    ] {
        let bytes = write(&tiles, info(internal, tile_compression), budget);
        let header = Header::parse(&bytes[..HEADER_LEN]).unwrap();
        assert_eq!(header.addressed_tiles, tiles.len() as u64);
        assert!(
            header.tile_contents < header.addressed_tiles,
            "sea is stored once"
        );
        assert!(
            header.tile_entries < header.addressed_tiles,
            "runs share an entry"
        );
        if budget == 64 {
            assert!(header.leaves_length > 0, "leaves when the root is over budget");
        }
        assert!(header.root_length as usize <= budget);
        assert_eq!(
            (header.internal_compression, header.tile_compression),
            (internal, tile_compression)
        );
        assert_eq!((header.center, header.center_zoom), ([106.8, -6.2], 5));

        let in_memory = Reader::open(bytes.as_slice()).unwrap();
        check_all(&in_memory, &tiles);
        // Tiles not added read as none, at zooms inside and beyond the archive, and off the grid.
        for (z, x, y) in [(6, 63, 63), (7, 0, 0), (3, 2, 5), (1, 2, 0)] {
            if !present.contains(&(z, x, y)) {
                assert_eq!(in_memory.tile(z, x, y).unwrap(), None, "{z}/{x}/{y}");
            }
        }
        check_all(
            &Reader::open(SeekSource::new(Cursor::new(bytes.clone())).unwrap()).unwrap(),
            &tiles,
        );
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(&bytes).unwrap();
        check_all(
            &Reader::open(FileSource::open(file.path()).unwrap()).unwrap(),
            &tiles,
        );
    }
}

#[test]
fn plain_tiles_in_memory_are_lent_not_copied() {
    let tiles = tiles();
    let bytes = write(&tiles, info(Compression::None, Compression::None), 64);
    let reader = Reader::open(bytes.as_slice()).unwrap();
    let (z, x, y, _) = &tiles[tiles.len() / 2];
    assert!(matches!(
        reader.tile(*z, *x, *y).unwrap(),
        Some(std::borrow::Cow::Borrowed(_))
    ));
}

#[test]
fn ids_and_coordinates_agree_with_the_writer() {
    let mut writer = Writer::new();
    writer.add(3, 7, 0, b"x".to_vec()).unwrap();
    assert_eq!(
        writer.add(3, 7, 0, b"y".to_vec()),
        Err(PmTilesError::DuplicateTile(84))
    );
    assert_eq!(
        writer.add(3, 8, 0, b"y".to_vec()),
        Err(PmTilesError::OffGrid { z: 3, x: 8, y: 0 })
    );
    writer.add(4, 1, 1, Vec::new()).unwrap();
    assert_eq!(writer.len(), 1, "an empty tile is not stored");
    let bytes = writer
        .finish(info(Compression::None, Compression::None), b"{}")
        .unwrap();
    let reader = Reader::open(bytes.as_slice()).unwrap();
    assert_eq!(reader.header().leaves_length, 0, "one tile needs no leaves");
    assert_eq!(reader.root()[0].tile_id, 84);
    assert_eq!(tile_coords(84), Some((3, 7, 0)));
    assert_eq!(reader.tile_by_id(84).unwrap().as_deref(), Some(&b"x"[..]));
    assert_eq!(reader.tile(4, 1, 1).unwrap(), None);
}

#[test]
fn every_truncation_and_many_corruptions_fail_cleanly() {
    let tiles: Vec<_> = tiles().into_iter().take(120).collect();
    for (internal, budget) in [(Compression::None, 64), (Compression::Gzip, 64)] {
        let bytes = write(&tiles, info(internal, internal), budget);
        for cut in 0..bytes.len() {
            let prefix = &bytes[..cut];
            if let Ok(reader) = Reader::open(prefix) {
                for (z, x, y, _) in tiles.iter().step_by(5) {
                    let _ = reader.tile(*z, *x, *y);
                }
            }
        }
        let mut rng = Rng(42);
        for _ in 0..1_000 {
            let mut damaged = bytes.clone();
            for _ in 0..1 + rng.next() % 4 {
                let at = (rng.next() % damaged.len() as u64) as usize;
                damaged[at] = rng.next() as u8;
            }
            if let Ok(reader) = Reader::open(damaged.as_slice()) {
                for (z, x, y, _) in tiles.iter().step_by(3) {
                    let _ = reader.tile(*z, *x, *y);
                }
                let _ = reader.metadata();
            }
        }
    }
}

/// Builds an archive by hand from a header, a root, leaves and data.
fn archive(mut header: Header, root: &[u8], leaves: &[u8], data: &[u8]) -> Vec<u8> {
    header.root_offset = HEADER_LEN as u64;
    header.root_length = root.len() as u64;
    header.metadata_offset = header.root_offset + root.len() as u64;
    header.metadata_length = 0;
    header.leaves_offset = header.metadata_offset;
    header.leaves_length = leaves.len() as u64;
    header.tile_data_offset = header.leaves_offset + leaves.len() as u64;
    header.tile_data_length = data.len() as u64;
    let mut out = header.to_bytes().to_vec();
    out.extend_from_slice(root);
    out.extend_from_slice(leaves);
    out.extend_from_slice(data);
    out
}

fn base_header() -> Header {
    let bytes = Writer::new()
        .finish(info(Compression::None, Compression::None), b"")
        .unwrap();
    Header::parse(&bytes).unwrap()
}

#[test]
fn hostile_layouts_are_refused_without_allocating_what_they_claim() {
    let leaf = |tile_id, offset, length| Entry {
        tile_id,
        offset,
        length,
        run_length: 0,
    };
    // A leaf directory that points at itself: a cycle, cut at the depth limit.
    let own = directory::encode(&[leaf(0, 0, 0)]);
    let length = own.len() as u32;
    let looping = directory::encode(&[leaf(0, 0, length)]);
    assert_eq!(looping.len(), own.len());
    let bytes = archive(base_header(), &looping, &looping, b"");
    let reader = Reader::open(bytes.as_slice()).unwrap();
    assert_eq!(reader.tile(0, 0, 0), Err(PmTilesError::BadDirectory));

    // A tile 3 GiB long in a 200-byte file.
    let tile = directory::encode(&[Entry {
        tile_id: 0,
        offset: 0,
        length: 3 << 30,
        run_length: 1,
    }]);
    let bytes = archive(base_header(), &tile, b"", b"tiny");
    let reader = Reader::open(bytes.as_slice()).unwrap();
    assert_eq!(reader.tile(0, 0, 0), Err(PmTilesError::Truncated));
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(&bytes).unwrap();
    let reader = Reader::open(FileSource::open(file.path()).unwrap()).unwrap();
    assert_eq!(reader.tile(0, 0, 0), Err(PmTilesError::Truncated));

    // A root directory said to be longer than the file.
    let mut header = base_header();
    header.root_length = u64::MAX - 10;
    let mut bytes = header.to_bytes().to_vec();
    bytes.extend_from_slice(&[0; 16]);
    assert_eq!(
        Reader::open(bytes.as_slice()).unwrap_err(),
        PmTilesError::Truncated
    );

    // A gzip bomb: a tile that inflates past the reader's limit.
    let mut header = base_header();
    header.tile_compression = Compression::Gzip;
    let bomb = gzip(&vec![0; (MAX_READ + 1) as usize]);
    let tile = directory::encode(&[Entry {
        tile_id: 0,
        offset: 0,
        length: bomb.len() as u32,
        run_length: 1,
    }]);
    let bytes = archive(header, &tile, b"", &bomb);
    let reader = Reader::open(bytes.as_slice()).unwrap();
    assert_eq!(reader.tile(0, 0, 0), Err(PmTilesError::TooLarge));

    // Gzip that is not gzip.
    let mut header = base_header();
    header.internal_compression = Compression::Gzip;
    let bytes = archive(header, b"not gzip at all", b"", b"");
    assert_eq!(
        Reader::open(bytes.as_slice()).unwrap_err(),
        PmTilesError::BadCompressedData
    );

    // Not an archive at all.
    assert_eq!(
        Reader::open(&b"a shopping list"[..]).unwrap_err(),
        PmTilesError::NotPmTiles
    );
    assert_eq!(Reader::open(&b""[..]).unwrap_err(), PmTilesError::NotPmTiles);
}
