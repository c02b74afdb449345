//! CAP 1.2 XML as a kiosk (or anyone holding a kiosk's token) posts it to `POST /v1/kiosks/alerts`: the
//! hardened reader never panics, and an alert it accepts survives the writer: written and read again, it is
//! the same alert, and the kiosk profile reads the same from both.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| siaga_fuzz::cap_alert(bytes));
