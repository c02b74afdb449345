//! The desk's store encrypted at rest (SQLCipher) on real files: nothing readable in the file, a copy without
//! its key does not open (and is left as it is), the key reopens it, and a plain store an older desk wrote is
//! encrypted in place with everything it held.

use siaga_domain::incident::Reporter;
use siaga_domain::{
    Actor, Channel, EventId, GeoPoint, IncidentChange, IncidentEvent, IncidentId, Location, PoldaId, Role,
};
use siaga_store::{is_plain_store, Store, StoreError, StoreKey};
use std::path::Path;
use time::OffsetDateTime;
use uuid::Uuid;

/// A synthetic NIK (Gambir, Jakarta Pusat; a woman born 12 March 1990) and a caller number, to look for in
/// the file's bytes.
const NIK: &str = "3171015203900001";
const CALLER: &str = "081298765432";

fn report(n: u128) -> IncidentEvent {
    IncidentEvent {
        id: EventId(Uuid::from_u128(n)),
        incident_id: IncidentId(Uuid::from_u128(1000 + n)),
        at: OffsetDateTime::from_unix_timestamp(1_795_000_000).unwrap(),
        actor: Actor::new("operator1-desk", Role::Operator1),
        change: IncidentChange::Received {
            channel: Channel::Call110,
            caller_number: Some(siaga_domain::incident::PhoneNumber::parse(CALLER).unwrap()),
            reporter: Some(Reporter {
                name: Some("Siti Rahayu".into()),
                nik: Some(siaga_domain::nik::Nik::parse(NIK).unwrap().nik),
            }),
            location: Location::at(GeoPoint::new(-6.1754, 106.8272).unwrap()),
            description: format!("Dompet dicopet, pelapor NIK {NIK}"),
            proposed_category: None,
            priority: None,
            polda: Some(PoldaId::MetroJaya),
        },
    }
}

/// Every byte the store keeps on disk: the file and its WAL.
fn bytes_on_disk(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    bytes.extend(std::fs::read(wal).unwrap_or_default());
    bytes
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn an_encrypted_store_shows_nothing_on_disk_and_opens_only_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite");
    let key = StoreKey::generate().unwrap();
    {
        let store = Store::open_encrypted(&path, &key).await.unwrap();
        store.record_local(&report(1)).await.unwrap();
        let on_disk = bytes_on_disk(&path);
        assert!(!holds(&on_disk, NIK) && !holds(&on_disk, CALLER) && !holds(&on_disk, "dicopet"));
        store.close().await;
    }
    assert!(
        !is_plain_store(&path).unwrap(),
        "no SQLite header: the first page is encrypted too"
    );

    // Copied to another machine (the file and its WAL): without the key, or with another key, it does not
    // open.
    let copy = dir.path().join("copied.sqlite");
    std::fs::copy(&path, &copy).unwrap();
    let wal = |file: &Path| {
        let mut name = file.as_os_str().to_owned();
        name.push("-wal");
        std::path::PathBuf::from(name)
    };
    if wal(&path).exists() {
        std::fs::copy(wal(&path), wal(&copy)).unwrap();
    }
    assert!(matches!(Store::open(&copy).await, Err(StoreError::Locked)));
    let other = StoreKey::generate().unwrap();
    assert!(matches!(
        Store::open_encrypted(&copy, &other).await,
        Err(StoreError::Locked)
    ));
    assert!(matches!(
        Store::open_read_only(&copy, None).await,
        Err(StoreError::Locked)
    ));
    assert!(
        !is_plain_store(&copy).unwrap(),
        "a failed open encrypts nothing anew"
    );

    // With its key, everything is there: the failed opens lost nothing (SQLite may have folded the copied
    // WAL into the file, still encrypted, as the last connection closed).
    let store = Store::open_encrypted(&copy, &key).await.unwrap();
    let incident = store
        .incident(IncidentId(Uuid::from_u128(1001)))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(incident.reporter.unwrap().nik.unwrap().digits(), NIK);
    let reader = Store::open_read_only(&copy, Some(&key)).await.unwrap();
    assert!(reader
        .incident(IncidentId(Uuid::from_u128(1001)))
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn a_plain_store_of_an_older_desk_is_encrypted_in_place_with_everything_it_held() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite");
    {
        let plain = Store::open(&path).await.unwrap();
        for n in 1..=50 {
            plain.record_local(&report(n)).await.unwrap();
        }
        plain.close().await;
    }
    assert!(is_plain_store(&path).unwrap());
    assert!(
        holds(&bytes_on_disk(&path), NIK),
        "the old desk's file shows the NIK"
    );

    let key = StoreKey::generate().unwrap();
    let store = Store::open_encrypted(&path, &key).await.unwrap();
    assert!(!is_plain_store(&path).unwrap());
    assert_eq!(
        store.pending(100).await.unwrap().len(),
        50,
        "every queued action is still queued"
    );
    let incident = store
        .incident(IncidentId(Uuid::from_u128(1050)))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(incident.caller_number.unwrap().as_str(), CALLER);
    store.record_local(&report(51)).await.unwrap();
    store.close().await;
    assert!(!holds(&bytes_on_disk(&path), NIK), "no plain copy left behind");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("encrypting"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // And the next open is an ordinary one.
    let again = Store::open_encrypted(&path, &key).await.unwrap();
    assert_eq!(again.pending(100).await.unwrap().len(), 51);
}
