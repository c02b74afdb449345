//! The fixed 127-byte header of a PMTiles v3 archive: where the root directory, metadata, leaf
//! directories and tile data are, how they are compressed, what the tiles are and where they lie.

use crate::PmTilesError;

/// The header's length in bytes; the root directory follows it.
pub const HEADER_LEN: usize = 127;
const MAGIC: &[u8; 7] = b"PMTiles";
const VERSION: u8 = 3;

/// How the archive stores its directories and metadata, or its tiles (header bytes 97 and 98). The
/// others the spec names (brotli, zstd, unknown) are refused with [`PmTilesError::UnsupportedCompression`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
}

impl Compression {
    /// The header byte.
    pub fn byte(self) -> u8 {
        match self {
            Compression::None => 1,
            Compression::Gzip => 2,
        }
    }

    /// The compression a header byte names, if this crate reads it.
    pub fn from_byte(byte: u8) -> Result<Compression, PmTilesError> {
        match byte {
            1 => Ok(Compression::None),
            2 => Ok(Compression::Gzip),
            other => Err(PmTilesError::UnsupportedCompression(other)),
        }
    }

    /// The spec's name for a compression byte (`none`, `gzip`, `brotli`, `zstd`, `unknown`, or `#n`).
    pub fn name_of(byte: u8) -> String {
        match byte {
            0 => "unknown".to_owned(),
            1 => "none".to_owned(),
            2 => "gzip".to_owned(),
            3 => "brotli".to_owned(),
            4 => "zstd".to_owned(),
            other => format!("#{other}"),
        }
    }
}

/// What the tiles are (header byte 99).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TileType {
    Unknown,
    /// Mapbox Vector Tiles.
    Mvt,
    Png,
    Jpeg,
    Webp,
    Avif,
    /// A value the spec does not define.
    Other(u8),
}

impl TileType {
    /// The header byte.
    pub fn byte(self) -> u8 {
        match self {
            TileType::Unknown => 0,
            TileType::Mvt => 1,
            TileType::Png => 2,
            TileType::Jpeg => 3,
            TileType::Webp => 4,
            TileType::Avif => 5,
            TileType::Other(byte) => byte,
        }
    }

    /// The tile type a header byte names.
    pub fn from_byte(byte: u8) -> TileType {
        match byte {
            0 => TileType::Unknown,
            1 => TileType::Mvt,
            2 => TileType::Png,
            3 => TileType::Jpeg,
            4 => TileType::Webp,
            5 => TileType::Avif,
            other => TileType::Other(other),
        }
    }

    /// A short name for messages: `MVT`, `PNG`, `JPEG`, `WebP`, `AVIF`, `unknown` or `#n`.
    pub fn name(self) -> String {
        match self {
            TileType::Unknown => "unknown".to_owned(),
            TileType::Mvt => "MVT".to_owned(),
            TileType::Png => "PNG".to_owned(),
            TileType::Jpeg => "JPEG".to_owned(),
            TileType::Webp => "WebP".to_owned(),
            TileType::Avif => "AVIF".to_owned(),
            TileType::Other(byte) => format!("#{byte}"),
        }
    }
}

/// A PMTiles v3 header. Offsets are from the start of the archive, except that directory entries count
/// leaf offsets from [`Header::leaves_offset`] and tile offsets from [`Header::tile_data_offset`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Header {
    pub root_offset: u64,
    pub root_length: u64,
    pub metadata_offset: u64,
    pub metadata_length: u64,
    pub leaves_offset: u64,
    pub leaves_length: u64,
    pub tile_data_offset: u64,
    pub tile_data_length: u64,
    /// How many tiles the archive addresses (0 when the writer did not count them).
    pub addressed_tiles: u64,
    /// How many tile entries its directories hold (0 when not counted).
    pub tile_entries: u64,
    /// How many distinct tile contents it stores (0 when not counted).
    pub tile_contents: u64,
    /// Whether tile data is ordered by tile id.
    pub clustered: bool,
    /// How directories and metadata are stored.
    pub internal_compression: Compression,
    /// How tiles are stored (the reader hands them out plain).
    pub tile_compression: Compression,
    pub tile_type: TileType,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// West, south, east, north in degrees.
    pub bounds: [f64; 4],
    /// Zoom of the default view.
    pub center_zoom: u8,
    /// Longitude and latitude of the default view, in degrees.
    pub center: [f64; 2],
}

fn degrees_from_e7(value: i32) -> f64 {
    f64::from(value) / 1e7
}

fn e7(degrees: f64) -> i32 {
    // `as` saturates; NaN becomes 0.
    (degrees * 1e7).round() as i32
}

impl Header {
    /// Parses the first bytes of an archive (at least [`HEADER_LEN`] of them). Fewer bytes are
    /// [`PmTilesError::NotPmTiles`] when even the magic is missing, else [`PmTilesError::Truncated`].
    pub fn parse(bytes: &[u8]) -> Result<Header, PmTilesError> {
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(PmTilesError::NotPmTiles);
        }
        if bytes.len() < MAGIC.len() + 1 {
            return Err(PmTilesError::Truncated);
        }
        if bytes[7] != VERSION {
            return Err(PmTilesError::UnsupportedVersion(bytes[7]));
        }
        let Some(bytes) = bytes.get(..HEADER_LEN) else {
            return Err(PmTilesError::Truncated);
        };
        let u64_at = |i: usize| {
            let at = 8 + i * 8;
            u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
        };
        let degrees_at =
            |at: usize| degrees_from_e7(i32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes")));
        Ok(Header {
            root_offset: u64_at(0),
            root_length: u64_at(1),
            metadata_offset: u64_at(2),
            metadata_length: u64_at(3),
            leaves_offset: u64_at(4),
            leaves_length: u64_at(5),
            tile_data_offset: u64_at(6),
            tile_data_length: u64_at(7),
            addressed_tiles: u64_at(8),
            tile_entries: u64_at(9),
            tile_contents: u64_at(10),
            clustered: bytes[96] == 1,
            internal_compression: Compression::from_byte(bytes[97])?,
            tile_compression: Compression::from_byte(bytes[98])?,
            tile_type: TileType::from_byte(bytes[99]),
            min_zoom: bytes[100],
            max_zoom: bytes[101],
            bounds: [degrees_at(102), degrees_at(106), degrees_at(110), degrees_at(114)],
            center_zoom: bytes[118],
            center: [degrees_at(119), degrees_at(123)],
        })
    }

    /// The header's bytes.
    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let mut out = Vec::with_capacity(HEADER_LEN);
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        for value in [
            self.root_offset,
            self.root_length,
            self.metadata_offset,
            self.metadata_length,
            self.leaves_offset,
            self.leaves_length,
            self.tile_data_offset,
            self.tile_data_length,
            self.addressed_tiles,
            self.tile_entries,
            self.tile_contents,
        ] {
            out.extend_from_slice(&value.to_le_bytes());
        }
        out.push(u8::from(self.clustered));
        out.push(self.internal_compression.byte());
        out.push(self.tile_compression.byte());
        out.push(self.tile_type.byte());
        out.push(self.min_zoom);
        out.push(self.max_zoom);
        for degrees in self.bounds {
            out.extend_from_slice(&e7(degrees).to_le_bytes());
        }
        out.push(self.center_zoom);
        for degrees in self.center {
            out.extend_from_slice(&e7(degrees).to_le_bytes());
        }
        out.try_into().expect("the header is 127 bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Header {
        Header {
            root_offset: 127,
            root_length: 20,
            metadata_offset: 147,
            metadata_length: 2,
            leaves_offset: 149,
            leaves_length: 0,
            tile_data_offset: 149,
            tile_data_length: 12,
            addressed_tiles: 3,
            tile_entries: 2,
            tile_contents: 2,
            clustered: true,
            internal_compression: Compression::Gzip,
            tile_compression: Compression::None,
            tile_type: TileType::Mvt,
            min_zoom: 0,
            max_zoom: 10,
            bounds: [95.0, -11.0, 141.0, 6.0],
            center_zoom: 4,
            center: [118.0, -2.5],
        }
    }

    #[test]
    fn a_header_round_trips_at_the_spec_offsets() {
        let bytes = sample().to_bytes();
        assert_eq!(&bytes[..8], b"PMTiles\x03");
        assert_eq!(u64::from_le_bytes(bytes[8..16].try_into().unwrap()), 127);
        assert_eq!((bytes[96], bytes[97], bytes[98], bytes[99]), (1, 2, 1, 1));
        assert_eq!((bytes[100], bytes[101], bytes[118]), (0, 10, 4));
        assert_eq!(
            i32::from_le_bytes(bytes[102..106].try_into().unwrap()),
            950_000_000
        );
        assert_eq!(Header::parse(&bytes), Ok(sample()));
    }

    #[test]
    fn short_foreign_and_unsupported_headers_are_refused() {
        let bytes = sample().to_bytes();
        assert_eq!(Header::parse(b""), Err(PmTilesError::NotPmTiles));
        assert_eq!(Header::parse(b"PMTil"), Err(PmTilesError::NotPmTiles));
        assert_eq!(Header::parse(&[0; 200]), Err(PmTilesError::NotPmTiles));
        assert_eq!(Header::parse(b"PMTiles"), Err(PmTilesError::Truncated));
        assert_eq!(Header::parse(&bytes[..126]), Err(PmTilesError::Truncated));
        let mut v2 = bytes;
        v2[7] = 2;
        assert_eq!(Header::parse(&v2), Err(PmTilesError::UnsupportedVersion(2)));
        let mut brotli = bytes;
        brotli[98] = 3;
        assert_eq!(
            Header::parse(&brotli),
            Err(PmTilesError::UnsupportedCompression(3))
        );
        let mut png = bytes;
        png[99] = 2;
        assert_eq!(Header::parse(&png).unwrap().tile_type, TileType::Png);
        assert_eq!(Compression::name_of(4), "zstd");
        assert_eq!(TileType::from_byte(9).name(), "#9");
    }
}
