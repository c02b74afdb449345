//! A PMTiles v3 archive as the desk's street-map setting opens it (a file the operator picked, from
//! anywhere): the header, the root and leaf directories and the tiles are read from hostile bytes without a
//! panic and without an allocation a length field asks for; a header that parses writes back the same bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| siaga_fuzz::pmtiles(bytes));
