//! The `lat,lon,time,category` CSV an analyst imports into the Analitik tools (`siaga-analytics`): reading
//! never panics, and every row of the file is either a point or a problem named by its line, none dropped
//! silently.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| siaga_fuzz::analytics_csv(bytes));
