//! A citizen request from the 110 app or the citizen web page (`POST /v1/services/requests`): the JSON
//! submission and the photo's bytes beside it. Decoding never panics; the domain's check answers every
//! submission with a checked request or its list of problems, and never flags a photo it could not read as
//! fine. The input is split at the first NUL: JSON before it, the photo after.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| siaga_fuzz::citizen_request(bytes));
