//! The checks each fuzz target runs on one input, as plain functions: `fuzz_targets/*.rs` hands them
//! libFuzzer's inputs (`cargo fuzz run <target>`, or `./dev fuzz`), and `tests/corpus.rs` runs every file of
//! the committed corpus and every reproducer of a crash once found through them on each `cargo test`, so a
//! fixed crash stays fixed without the fuzzer. Each function panics exactly when the decoder broke a
//! promise: a panic of its own, or an invariant its output must keep.

use serde::{de::DeserializeOwned, Serialize};
use siaga_analytics::input::read_csv;
use siaga_api::cap::{CapAlert, KioskAlert};
use siaga_api::sync::EventEnvelope;
use siaga_api::{
    CallRecordRequest, CallerHistoryRequest, CreateUserRequest, FeedPage, Heartbeat, LiveClientFrame,
    LiveServerFrame, LoginRequest, RefreshRequest, RegisterKioskRequest, SnapshotPage,
};
use siaga_domain::flow::IncidentState;
use siaga_domain::incident::{call_channel, PhoneNumber};
use siaga_domain::nik::{redact_niks, Nik};
use siaga_domain::personal::{mask_phone, redact_personal_numbers};
use siaga_domain::service::check::jpeg_info;
use siaga_domain::service::{check_submission, Submission};
use siaga_pmtiles::{directory, Header, Reader};
use std::fmt::Debug;
use time::macros::date;

/// One target's check of one input.
pub type Check = fn(&[u8]);

/// Every fuzz target by name, as `cargo fuzz` and the corpus folders name them.
pub const TARGETS: &[(&str, Check)] = &[
    ("cap_alert", cap_alert),
    ("event_envelope", event_envelope),
    ("live_frame", live_frame),
    ("citizen_request", citizen_request),
    ("personal_numbers", personal_numbers),
    ("analytics_csv", analytics_csv),
    ("pmtiles", pmtiles),
];

/// CAP 1.2 XML as a kiosk (or anyone holding a kiosk's token) posts it to `POST /v1/kiosks/alerts`: the
/// hardened reader never panics, and an alert it accepts survives the writer: written and read again, it is
/// the same alert, and the kiosk profile reads the same from both.
pub fn cap_alert(bytes: &[u8]) {
    let Ok(alert) = CapAlert::parse(bytes) else {
        return;
    };
    let kiosk = KioskAlert::from_cap(&alert);
    let _ = KioskAlert::named_kiosk(&alert);
    let Ok(xml) = alert.to_xml() else {
        return;
    };
    let again = CapAlert::parse(xml.as_bytes()).expect("the writer's own XML reads back");
    assert_eq!(again, alert, "an alert changed through write and read");
    assert_eq!(KioskAlert::from_cap(&again).ok(), kiosk.ok());
}

/// Sync frames: an incident event in its envelope, as a desk pushes it (`POST /v1/events`) and as the feed,
/// the snapshot pages and the WebSocket bring it back. Decoding never panics; a decoded envelope that passes
/// its check goes through the domain's flow (received or refused with a reason, never a panic), and it
/// survives being encoded again unchanged.
pub fn event_envelope(bytes: &[u8]) {
    let _ = serde_json::from_slice::<FeedPage>(bytes);
    let _ = serde_json::from_slice::<SnapshotPage>(bytes);
    let _ = serde_json::from_slice::<LiveServerFrame>(bytes);
    let Ok(envelope) = serde_json::from_slice::<EventEnvelope>(bytes) else {
        return;
    };
    let json = serde_json::to_vec(&envelope).expect("an envelope encodes");
    let again: EventEnvelope = serde_json::from_slice(&json).expect("its own encoding decodes");
    assert_eq!(again, envelope, "an envelope changed through encode and decode");
    if envelope.validate().is_err() {
        return;
    }
    if let Ok(mut state) = IncidentState::receive(&envelope.event) {
        // The same event a second time is a duplicate or a refusal, never a panic.
        let _ = state.apply(&envelope.event);
    }
}

/// What a client sends on the central's WebSocket (`GET /v1/live`) and the JSON bodies of the central's
/// sign-in, account, kiosk and caller routes: decoding never panics, and what decodes encodes again.
pub fn live_frame(bytes: &[u8]) {
    round_trip::<LiveClientFrame>(bytes);
    round_trip::<LoginRequest>(bytes);
    round_trip::<RefreshRequest>(bytes);
    round_trip::<CreateUserRequest>(bytes);
    round_trip::<RegisterKioskRequest>(bytes);
    round_trip::<Heartbeat>(bytes);
    round_trip::<CallRecordRequest>(bytes);
    round_trip::<CallerHistoryRequest>(bytes);
}

/// A body that decodes encodes again, and its encoding decodes to the same value.
fn round_trip<T>(bytes: &[u8])
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    if let Ok(value) = serde_json::from_slice::<T>(bytes) {
        let json = serde_json::to_vec(&value).expect("a decoded body encodes");
        let again: T = serde_json::from_slice(&json).expect("its own encoding decodes");
        assert_eq!(again, value);
    }
}

/// A citizen request from the 110 app or the citizen web page (`POST /v1/services/requests`): the JSON
/// submission and the photo's bytes beside it. Decoding never panics; the domain's check answers every
/// submission with a checked request or its list of problems, and never accepts a photo of no pixels. The input is split at the first NUL: JSON before it, the photo after.
pub fn citizen_request(bytes: &[u8]) {
    let (json, photo) = match bytes.iter().position(|&b| b == 0) {
        Some(at) => (&bytes[..at], Some(&bytes[at + 1..])),
        None => (bytes, None),
    };
    // A frame header may say height 0 (JPEG's "given later by a DNL marker"): read, never accepted.
    let _ = photo.map(jpeg_info);
    let Ok(submission) = serde_json::from_slice::<Submission>(json) else {
        return;
    };
    match check_submission(&submission, photo, date!(2026 - 12 - 04)) {
        Ok(checked) => {
            if let Some(info) = checked.photo {
                assert!(
                    info.width > 0 && info.height > 0,
                    "a request accepted with a photo of no pixels"
                );
            }
        }
        Err(problems) => assert!(!problems.is_empty(), "refused with no problem named"),
    }
}

/// The numbers a citizen's call and report carry: a NIK, a caller's phone number, the number dialed, and free
/// text (descriptions, notes) where people type them. Parsing never panics; a parsed NIK reads the same from
/// its own digits; the masks and redactions analysts are given never leave a whole NIK in their output.
pub fn personal_numbers(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Ok(nik) = Nik::parse(text) {
        let again = Nik::parse(&nik.nik.digits()).expect("a NIK's own digits parse");
        assert_eq!(again.nik.digits(), nik.nik.digits());
        assert!(!holds_a_nik(&nik.nik.masked()), "a masked NIK is still whole");
    }
    if let Ok(phone) = PhoneNumber::parse(text) {
        assert_ne!(
            phone.masked(),
            phone.as_str(),
            "a masked phone number shown whole"
        );
    }
    let _ = call_channel(text);
    let masked = mask_phone(text);
    assert!(!holds_a_nik(&masked), "mask_phone left a NIK whole");
    assert!(!holds_a_nik(&redact_niks(text)), "redact_niks left a NIK whole");
    assert!(
        !holds_a_nik(&redact_personal_numbers(text)),
        "redact_personal_numbers left a NIK whole"
    );
}

/// Whether the text still holds a NIK whole: sixteen digits that parse as one, in a row or with single
/// spaces, dots or dashes between them (as people type a NIK, and as `Nik::parse` reads it).
fn holds_a_nik(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut runs: Vec<String> = vec![String::new()];
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = matches!(c, ' ' | '.' | '-')
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_ascii_digit() {
            runs.last_mut().expect("one run at least").push(c);
        } else if !between_digits {
            runs.push(String::new());
        }
    }
    runs.iter()
        .any(|run| (0..run.len().saturating_sub(15)).any(|start| Nik::parse(&run[start..start + 16]).is_ok()))
}

/// The `lat,lon,time,category` CSV an analyst imports into the Analitik tools (`siaga-analytics`): reading
/// never panics, and every row of the file is either a point or a problem named by its line, none dropped
/// silently.
pub fn analytics_csv(bytes: &[u8]) {
    let Ok(table) = read_csv(bytes) else {
        return;
    };
    for point in &table.records {
        assert!(
            point.lat.is_finite() && point.lon.is_finite(),
            "a point off the globe: {point:?}"
        );
        assert!((-90.0..=90.0).contains(&point.lat) && (-180.0..=180.0).contains(&point.lon));
    }
}

/// A PMTiles v3 archive as the desk's street-map setting opens it (a file the operator picked, from
/// anywhere): the header, the root and leaf directories and the tiles are read from hostile bytes without a
/// panic and without an allocation a length field asks for; a header that parses writes back the same bytes.
pub fn pmtiles(bytes: &[u8]) {
    let _ = directory::decode(bytes);
    if let Ok(header) = Header::parse(bytes) {
        let again = Header::parse(&header.to_bytes()).expect("a header's own bytes parse");
        assert_eq!(again, header);
    }
    let Ok(reader) = Reader::open(bytes) else {
        return;
    };
    let _ = reader.metadata();
    for entry in reader.root().iter().take(8) {
        let _ = reader.tile_by_id(entry.tile_id);
    }
    for (z, x, y) in [(0, 0, 0), (1, 1, 1), (5, 20, 12), (14, 13_000, 8_000)] {
        let _ = reader.tile(z, x, y);
    }
}
