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

/// SQL that rewrites the trail from entry `from` on: each entry's detail changed and every hash after it
/// recomputed, as someone who knows the hashing would, so the trail verifies on its own.
async fn rewrite_sql(path: &Path, from: i64) -> String {
    let store = Store::open(path).await.unwrap();
    let entries = store.audit_entries(0, 100).await.unwrap();
    store.close().await;
    let mut prev = siaga_audit::GENESIS.to_owned();
    let mut sql = String::new();
    for stored in entries {
        let mut entry = stored.entry;
        if entry.seq >= from {
            entry.detail = "rewritten".into();
        }
        let linked = siaga_audit::Stored::link(entry, &prev);
        sql.push_str(&format!(
            "UPDATE audit_log SET detail = '{}', prev_hash = '{}', hash = '{}' WHERE seq = {};",
            linked.entry.detail, linked.prev_hash, linked.hash, linked.entry.seq
        ));
        prev = linked.hash;
    }
    sql
}

#[tokio::test]
async fn a_trail_cut_or_rewritten_after_a_signed_head_is_named_by_the_verifier() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite");
    store_with_a_trail(&path, None).await;
    // The central signs the head at entry 5 (its key here a fixed test key; the desk keeps what it answered).
    let central = siaga_audit::SigningKey::from_bytes(&[9; 32]);
    {
        let store = Store::open(&path).await.unwrap();
        let desk = store.desk_id().await.unwrap();
        assert_eq!(desk.len(), 32);
        assert_eq!(store.desk_id().await.unwrap(), desk, "made once");
        let hash = store.audit_entry_hash(5).await.unwrap().unwrap();
        let head = siaga_audit::SignedHead::sign(&central, &format!("desk:{desk}"), 5, &hash, 1);
        store
            .keep_signed_audit_head(&head, &hex_of(central.verifying_key().as_bytes()))
            .await
            .unwrap();
        assert_eq!(store.audit_head().await.unwrap().map(|h| h.0), Some(6));
        store.close().await;
    }
    let (code, text) = verify(&path, None);
    assert_eq!(code, 0, "{text}");

    // Cut to 4 entries: whole on its own, but the signed head names entry 5.
    let cut = tampered(&path, "cut.sqlite", "DELETE FROM audit_log WHERE seq > 4").await;
    let (code, text) = verify(&cut, None);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("broken at entry 5") && text.contains("end was removed"),
        "{text}"
    );
    // Rewritten from entry 3 with every later hash recomputed: entry 5 is not the entry signed.
    let sql = rewrite_sql(&path, 3).await;
    let rewritten = tampered(&path, "rewritten.sqlite", &sql).await;
    let (code, text) = verify(&rewritten, None);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("broken at entry 5") && text.contains("rewritten"),
        "{text}"
    );
    // A forged head (signed with another key, stored with that key) does not verify with the central's:
    // a head kept with a key other than the one it names is refused too.
    let forged = tampered(
        &path,
        "forged.sqlite",
        &format!(
            "{sql} UPDATE audit_signed_head SET public_hex = '{}';",
            hex_of(
                siaga_audit::SigningKey::from_bytes(&[10; 32])
                    .verifying_key()
                    .as_bytes()
            )
        ),
    )
    .await;
    let (code, text) = verify(&forged, None);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("does not verify"), "{text}");
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
