//! The desk's own audit trail (decision 0015): every action taken on this desk on an incident, every sign-in
//! and sign-out, every research export and every view of a citizen's document, appended to one hash chain
//! in the store (`siaga-audit`: each entry holds the previous entry's hash), in the same transaction as what
//! it records. `siaga-store-audit` verifies a desk's chain and names the first entry edited, removed or
//! moved. Entries name accounts and ids, never a NIK, a name or a phone number.
//!
//! The central signs the trail's head from time to time (chain `desk:<desk id>`); the heads it signed are kept
//! here with their keys, and the verifier checks the trail against every one of them, so a trail rewritten
//! (every hash after an edit recomputed) or cut short after a head was signed no longer verifies.

use crate::{Store, StoreError};
use siaga_audit::{Break, Entry, Intact, SignedHead, Stored, Verifier, GENESIS};
use sqlx::{Sqlite, Transaction};

/// What happened, as the desk records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Who: the signed-in account.
    pub actor: String,
    /// Their role's code.
    pub role: String,
    /// The Polda it concerns, if one.
    pub polda: Option<String>,
    /// What, e.g. `incident_event`, `sign_in`, `research_export`, `document_view`.
    pub action: String,
    /// To what: an incident id, a request id, an account.
    pub subject: String,
    /// A few words more; never personal data.
    pub detail: String,
}

/// Entries read at a time by the verifier.
const PAGE: i64 = 1000;

/// Appends `record` inside `tx` (call it last in the transaction).
pub(crate) async fn append_in(
    tx: &mut Transaction<'_, Sqlite>,
    record: &AuditRecord,
    at_ms: i64,
) -> Result<(), StoreError> {
    let last: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?;
    let (seq, prev) = last.map_or((1, GENESIS.to_owned()), |(seq, hash)| (seq + 1, hash));
    let stored = Stored::link(
        Entry {
            seq,
            at_ms,
            actor: record.actor.clone(),
            role: record.role.clone(),
            polda: record.polda.clone(),
            action: record.action.clone(),
            subject: record.subject.clone(),
            detail: record.detail.clone(),
        },
        &prev,
    );
    sqlx::query(
        "INSERT INTO audit_log (seq, at_ms, actor, role, polda, action, subject, detail, prev_hash, hash) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(seq)
    .bind(at_ms)
    .bind(&record.actor)
    .bind(&record.role)
    .bind(&record.polda)
    .bind(&record.action)
    .bind(&record.subject)
    .bind(&record.detail)
    .bind(&stored.prev_hash)
    .bind(&stored.hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Appends `record` to the desk's trail in a transaction of its own (for what writes nothing else).
    pub async fn record_audit(&self, record: &AuditRecord) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await?;
        append_in(&mut tx, record, siaga_domain::clock::now_ms()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Entries of the desk's trail after number `after`, in order, at most `limit`.
    pub async fn audit_entries(&self, after: i64, limit: i64) -> Result<Vec<Stored>, StoreError> {
        let rows: Vec<siaga_audit::Row> = sqlx::query_as(
            "SELECT seq, at_ms, actor, role, polda, action, subject, detail, prev_hash, hash FROM audit_log \
             WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.into_iter().map(Stored::from).collect())
    }

    /// This desk's id (32 hex digits), made once, on first use, and kept with the store.
    pub async fn desk_id(&self) -> Result<String, StoreError> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|err| StoreError::Key(format!("no random bytes: {err}")))?;
        let made: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        sqlx::query("INSERT INTO desk (one, desk_id) VALUES (1, ?) ON CONFLICT (one) DO NOTHING")
            .bind(&made)
            .execute(&self.writer)
            .await?;
        Ok(sqlx::query_scalar("SELECT desk_id FROM desk WHERE one = 1")
            .fetch_one(&self.writer)
            .await?)
    }

    /// The trail's last entry: its number and hash (`None` while the trail is empty).
    pub async fn audit_head(&self) -> Result<Option<(i64, String)>, StoreError> {
        Ok(
            sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&self.reader)
                .await?,
        )
    }

    /// The hash entry `seq` of the trail has now.
    pub async fn audit_entry_hash(&self, seq: i64) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = ?")
            .bind(seq)
            .fetch_optional(&self.reader)
            .await?)
    }

    /// Keeps a head of the trail the central signed, with the public key (hex) that verifies it.
    pub async fn keep_signed_audit_head(
        &self,
        head: &SignedHead,
        public_hex: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO audit_signed_head (seq, chain, hash, at_ms, key_id, signature, public_hex) \
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING",
        )
        .bind(head.seq)
        .bind(&head.chain)
        .bind(&head.hash)
        .bind(head.at_ms)
        .bind(&head.key_id)
        .bind(&head.signature)
        .bind(public_hex)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// The signed heads kept, oldest first, and the distinct keys that signed them.
    pub async fn signed_audit_heads(
        &self,
    ) -> Result<(Vec<SignedHead>, Vec<siaga_audit::VerifyingKey>), StoreError> {
        let rows: Vec<(i64, String, String, i64, String, String, String)> = sqlx::query_as(
            "SELECT seq, chain, hash, at_ms, key_id, signature, public_hex FROM audit_signed_head ORDER BY seq",
        )
        .fetch_all(&self.reader)
        .await?;
        let mut keys: Vec<siaga_audit::VerifyingKey> = Vec::new();
        let mut heads = Vec::with_capacity(rows.len());
        for (seq, chain, hash, at_ms, key_id, signature, public_hex) in rows {
            // A key that does not decode verifies nothing: its head then fails as badly signed.
            if let Some(key) = siaga_audit::verifying_key(&public_hex) {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            heads.push(SignedHead {
                chain,
                seq,
                hash,
                at_ms,
                key_id,
                signature,
            });
        }
        Ok((heads, keys))
    }

    /// Verifies the desk's whole trail a page at a time, against every signed head kept: how many entries
    /// and the head, or the first bad entry (the outer error is the store's own).
    pub async fn verify_audit(&self) -> Result<Result<Intact, Break>, StoreError> {
        let (heads, keys) = self.signed_audit_heads().await?;
        let mut verifier = match Verifier::new(&heads, &keys) {
            Ok(verifier) => verifier,
            Err(problem) => return Ok(Err(problem)),
        };
        let mut after = 0;
        loop {
            let page = self.audit_entries(after, PAGE).await?;
            let Some(last) = page.last() else {
                return Ok(verifier.finish());
            };
            // A removed number is not skipped over: the verifier expects every number in turn.
            after = last.entry.seq;
            for stored in &page {
                if let Err(problem) = verifier.push(stored) {
                    return Ok(Err(problem));
                }
            }
        }
    }
}
