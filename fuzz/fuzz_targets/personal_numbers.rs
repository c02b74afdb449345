//! The numbers a citizen's call and report carry: a NIK, a caller's phone number, the number dialed, and free
//! text (descriptions, notes) where people type them. Parsing never panics; a parsed NIK reads the same from
//! its own digits; the masks and redactions analysts are given never leave a whole NIK in their output.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| siaga_fuzz::personal_numbers(bytes));
