//! The desk's own audit trail on real store files, checked by the real `siaga-store-audit` command: every
//! local action is an entry (written with it), and after an entry is edited, removed or moved the command names
//! the first bad entry and exits 1; an encrypted store is verified with its key from standard input.

use siaga_domain::{
    Actor, Channel, EventId, GeoPoint, IncidentChange, IncidentEvent, IncidentId, Location, PoldaId, Role,
};
use siaga_store::{AuditRecord, Store, StoreKey};
use sqlx::Connection;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use time::OffsetDateTime;
use uuid::Uuid;

fn report(n: u128) -> IncidentEvent {
    IncidentEvent {
        id: EventId(Uuid::from_u128(n)),
        incident_id: IncidentId(Uuid::from_u128(1000 + n)),
        at: OffsetDateTime::from_unix_timestamp(1_795_000_000 + n as i64).unwrap(),
        actor: Actor::new("rina", Role::Operator1),
        change: IncidentChange::Received {
            channel: Channel::Call110,
            caller_number: None,
            reporter: None,
            location: Location::at(GeoPoint::new(-6.1754, 106.8272).unwrap()),
            description: "Dompet dicopet di halte".into(),
            proposed_category: None,
            priority: None,
            polda: Some(PoldaId::MetroJaya),
        },
    }
}

/// A store whose trail holds a sign-in and five reports (entries 1–6).
async fn store_with_a_trail(path: &Path, key: Option<&StoreKey>) {
    let store = match key {
        Some(key) => Store::open_encrypted(path, key).await.unwrap(),
        None => Store::open(path).await.unwrap(),
    };
    store
        .record_audit(&AuditRecord {
            actor: "rina".into(),
            role: "operator1".into(),
            polda: Some("metro_jaya".into()),
            action: "sign_in".into(),
            subject: "rina".into(),
            detail: String::new(),
        })
        .await
        .unwrap();
    for n in 1..=5 {
        store.record_local(&report(n)).await.unwrap();
    }
    // A refused action writes no entry either.
    assert!(
        store.record_local(&report(1)).await.is_ok(),
        "a repeat is no new action"
    );
    store.close().await;
}

/// Runs `siaga-store-audit` on `path`: its exit code and what it printed.
fn verify(path: &Path, key: Option<&StoreKey>) -> (i32, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_siaga-store-audit"));
    command
        .arg("--store")
        .arg(path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if key.is_some() {
        command.arg("--key-stdin").stdin(Stdio::piped());
    }
    let mut child = command.spawn().unwrap();
    if let Some(key) = key {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{}\n", key.to_hex()).as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// Runs SQL on a copy of the store (the file and its WAL), as someone with the files would.
async fn tampered(original: &Path, name: &str, sql: &str) -> std::path::PathBuf {
    let copy = original.with_file_name(name);
    std::fs::copy(original, &copy).unwrap();
    let wal = |file: &Path| {
        let mut wal = file.as_os_str().to_owned();
        wal.push("-wal");
        std::path::PathBuf::from(wal)
    };
    if wal(original).exists() {
        std::fs::copy(wal(original), wal(&copy)).unwrap();
    }
    let mut db = sqlx::SqliteConnection::connect(&format!("sqlite:{}", copy.display()))
        .await
        .unwrap();
    sqlx::raw_sql(sql).execute(&mut db).await.unwrap();
    db.close().await.unwrap();
    copy
}

#[tokio::test]
async fn the_verifier_names_the_first_entry_edited_removed_or_moved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite");
    store_with_a_trail(&path, None).await;
    let (code, text) = verify(&path, None);
    assert_eq!((code, text.trim_end()), (0, text.trim_end()));
    assert!(text.starts_with("intact: 6 entries"), "{text}");

    let edited = tampered(
        &path,
        "edited.sqlite",
        "UPDATE audit_log SET actor = 'budi' WHERE seq = 3",
    )
    .await;
    let (code, text) = verify(&edited, None);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("broken at entry 3") && text.contains("changed"),
        "{text}"
    );

    let removed = tampered(&path, "removed.sqlite", "DELETE FROM audit_log WHERE seq = 4").await;
    let (code, text) = verify(&removed, None);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("broken at entry 4") && text.contains("missing"),
        "{text}"
    );

    // Entries 2 and 5 swapped: 2 no longer gives its hash under its new number.
    let moved = tampered(
        &path,
        "moved.sqlite",
        "UPDATE audit_log SET seq = -2 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 5; \
         UPDATE audit_log SET seq = 5 WHERE seq = -2;",
    )
    .await;
    let (code, text) = verify(&moved, None);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("broken at entry 2"), "{text}");
}

#[tokio::test]
async fn an_encrypted_desk_store_is_verified_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite");
    let key = StoreKey::generate().unwrap();
    store_with_a_trail(&path, Some(&key)).await;
    let (code, text) = verify(&path, Some(&key));
    assert_eq!(code, 0, "{text}");
    assert!(text.starts_with("intact: 6 entries"), "{text}");
    let (code, text) = verify(&path, None);
    assert_eq!(code, 2, "without the key it cannot be read: {text}");
}
