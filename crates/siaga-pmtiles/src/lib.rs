//! The PMTiles v3 archive format (<https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md>) in
//! one place, for every part of Siaga that reads or writes it: the desk checks a street extract the user
//! chooses, the shell serves tiles from it and from the embedded basemap, `tools/mapgen` writes the
//! basemap, and tests build archives with the same writer.
//!
//! - [`tile_id`] / [`tile_coords`]: web-map tile z/x/y ↔ PMTiles tile id (lower zooms first, then a
//!   Hilbert curve within the zoom);
//! - [`Header`]: the fixed 127-byte header;
//! - [`directory`]: entries (tile runs and leaf pointers), varint-encoded in columns;
//! - [`Reader`]: finds a tile through the root and leaf directories, over any [`ByteSource`]: bytes in
//!   memory (tiles lent, never copied), a file read by position ([`FileSource`]) or any `Read + Seek`
//!   ([`SeekSource`]); directories and tiles may be plain or gzip, tiles come out plain;
//! - [`Writer`]: collects tiles and writes an archive (deduplicated contents, run lengths, leaf
//!   directories when the root would pass its budget).
//!
//! Hostile files fail with a [`PmTilesError`], never a panic: every length is checked against the
//! source's size and [`MAX_READ`] before anything is allocated, inflated output is capped, and directory
//! chains are at most [`MAX_DEPTH`] deep. Synchronous and free of any async runtime, so it runs inside a
//! custom-protocol handler as well as in a build tool.

pub mod directory;
mod error;
mod header;
mod reader;
mod source;
mod tile_id;
pub mod varint;
mod writer;

pub use directory::Entry;
pub use error::PmTilesError;
pub use header::{Compression, Header, TileType, HEADER_LEN};
pub use reader::{Reader, MAX_DEPTH};
pub use source::{ByteSource, FileSource, SeekSource, MAX_READ};
pub use tile_id::{tile_coords, tile_id, MAX_ZOOM};
pub use writer::{gzip, ArchiveInfo, Writer, DEFAULT_ROOT_BUDGET};
