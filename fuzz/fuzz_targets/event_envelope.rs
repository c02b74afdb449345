//! Sync frames: an incident event in its envelope, as a desk pushes it (`POST /v1/events`) and as the feed,
//! the snapshot pages and the WebSocket bring it back. Decoding never panics; a decoded envelope that passes
//! its check goes through the domain's flow (received or refused with a reason, never a panic), and it
//! survives being encoded again unchanged.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| siaga_fuzz::event_envelope(bytes));
