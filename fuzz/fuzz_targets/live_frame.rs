//! What a client sends on the central's WebSocket (`GET /v1/live`) and the JSON bodies of the central's
//! sign-in, account, kiosk and caller routes: decoding never panics, and what decodes encodes again.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| siaga_fuzz::live_frame(bytes));
