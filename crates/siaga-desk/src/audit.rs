//! The supervisors' view of their Polda's audit trail (decision 0015): read from the central a page at a
//! time (`GET /v1/audit`), verified on this desk entry by entry with `siaga-audit` — every entry must link to
//! the one before it, and every signed head must still name the entry whose hash it signed — and the signed
//! heads kept in the desk's store, so that a later rewrite of the central's chain is caught against heads this
//! desk saw before, even if the central stops publishing them.
//!
//! The desk's own trail (in its store) has its head signed by the central ([`sign_own_head`]: after sign-in,
//! every [`OWN_HEAD_INTERVAL`] while signed in, and at sign-out), each time naming the entry of the newest head
//! kept as it reads now, so the central refuses a desk whose trail was rewritten or cut under its kept heads;
//! `siaga-store-audit` checks the trail against every kept head.

use crate::{Desk, DeskError};
use siaga_api::audit::{AuditEntry, AuditHead};
use siaga_audit::{Break, Entry, SignedHead, Stored, Verifier};
use siaga_domain::Language;
use siaga_ipc::{AuditBreak, AuditLog, AuditRow, AUDIT_ROWS_SHOWN};
use std::collections::VecDeque;

/// The store setting that keeps a chain's signed heads and the keys that signed them.
fn kept_key(chain: &str) -> String {
    format!("audit_heads:{chain}")
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Kept {
    heads: Vec<SignedHead>,
    keys: Vec<String>,
}

fn stored(entry: AuditEntry) -> Stored {
    Stored {
        entry: Entry {
            seq: entry.seq,
            at_ms: entry.at_ms,
            actor: entry.actor,
            role: entry.role,
            polda: entry.polda,
            action: entry.action,
            subject: entry.subject,
            detail: entry.detail,
        },
        prev_hash: entry.prev_hash,
        hash: entry.hash,
    }
}

fn head(chain: &str, head: AuditHead) -> SignedHead {
    SignedHead {
        chain: chain.to_owned(),
        seq: head.seq,
        hash: head.hash,
        at_ms: head.at_ms,
        key_id: head.key_id,
        signature: head.signature,
    }
}

/// Why a chain is broken, for the supervisor.
pub fn break_reason(problem: &Break, language: Language) -> String {
    let id = language == Language::Id;
    match problem {
        Break::Edited { seq } if id => {
            format!("Entri #{seq} diubah: isinya tidak lagi menghasilkan hash-nya.")
        }
        Break::Edited { seq } => format!("Entry #{seq} was changed: its content no longer gives its hash."),
        Break::Missing { expected, found } if id => {
            format!("Entri #{expected} hilang (berikutnya #{found}): entri telah dihapus.")
        }
        Break::Missing { expected, found } => {
            format!("Entry #{expected} is missing (the next is #{found}): entries were removed.")
        }
        Break::Unlinked { seq } if id => {
            format!("Entri #{seq} tidak menyambung ke entri sebelumnya: urutan diubah atau entri diganti.")
        }
        Break::Unlinked { seq } => {
            format!("Entry #{seq} does not follow the entry before it: entries were moved or replaced.")
        }
        Break::Truncated { last, head } if id => {
            format!("Rantai berakhir di #{last}, padahal kepala bertanda tangan menyebut #{head}: ujungnya dihapus.")
        }
        Break::Truncated { last, head } => {
            format!("The chain ends at #{last} but a signed head names #{head}: its end was removed.")
        }
        Break::Rewritten { seq } if id => {
            format!(
                "Entri #{seq} bukan entri yang hash-nya ditandatangani: rantai ditulis ulang sampai di sini."
            )
        }
        Break::Rewritten { seq } => {
            format!(
                "Entry #{seq} is not the entry whose hash was signed: the chain was rewritten up to there."
            )
        }
        Break::BadSignature { seq } if id => {
            format!("Tanda tangan kepala rantai di #{seq} tidak cocok dengan kunci pusat.")
        }
        Break::BadSignature { seq } => {
            format!("The signed head at #{seq} does not verify with the central's key.")
        }
    }
}

/// Held while a head of the desk's own trail is read, signed and kept.
static SIGNING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How often a signed-in desk has the head of its own trail signed.
pub const OWN_HEAD_INTERVAL: std::time::Duration = std::time::Duration::from_secs(300);

/// Has the central sign the head of this desk's own trail and keeps the signed head; the number signed, or
/// `None` when the trail is empty or its head is signed already. A refusal (the trail was rewritten or cut
/// under a head signed before) is the central's 409, recorded in the Polda's trail there.
pub async fn sign_own_head(
    store: &siaga_store::Store,
    client: &siaga_sync::CentralClient,
) -> Result<Option<i64>, DeskError> {
    // One at a time: a head read before another was signed would reach the central behind it and be refused
    // as a cut trail.
    let _one = SIGNING.lock().await;
    let Some((seq, hash)) = store.audit_head().await? else {
        return Ok(None);
    };
    let (kept, _) = store.signed_audit_heads().await?;
    let newest = kept.last();
    if newest.is_some_and(|head| head.seq == seq && head.hash == hash) {
        return Ok(None);
    }
    let prior = match newest {
        Some(head) => Some(siaga_api::audit::DeskHeadPrior {
            seq: head.seq,
            // An entry no longer there reads as the genesis hash, which the central never signed.
            hash: store
                .audit_entry_hash(head.seq)
                .await?
                .unwrap_or_else(|| siaga_audit::GENESIS.to_owned()),
        }),
        None => None,
    };
    let desk_id = store.desk_id().await?;
    let request = siaga_api::audit::DeskHeadRequest {
        desk_id: desk_id.clone(),
        seq,
        hash: hash.clone(),
        prior,
    };
    let signed = client.sign_desk_head(&request).await?;
    let head = head(&signed.chain, signed.head);
    let verifies = siaga_audit::verifying_key(&signed.public_key).is_some_and(|key| head.verifies(&key));
    if signed.chain != format!("desk:{desk_id}") || head.seq != seq || head.hash != hash || !verifies {
        return Err(DeskError::Central(siaga_sync::ClientError::Decode(
            "the central's signed head of this desk's trail does not verify".to_owned(),
        )));
    }
    store.keep_signed_audit_head(&head, &signed.public_key).await?;
    Ok(Some(seq))
}

impl Desk {
    /// The signed-in supervisor's (or admin's) Polda audit trail, read whole from the central and verified
    /// here against every signed head it publishes and every one this desk kept before; the heads are kept
    /// only when the whole chain verifies.
    pub async fn audit_log(&self, language: Language) -> Result<AuditLog, DeskError> {
        let session = self.session().ok_or(DeskError::NotSignedIn)?;
        if !matches!(session.role.as_str(), "supervisor" | "admin") {
            return Err(DeskError::SupervisorOnly);
        }
        let mut page = self.client.audit_page(None, 0).await?;
        let chain = page.chain.clone();
        let kept: Kept = self
            .store
            .setting(&kept_key(&chain))
            .await?
            .and_then(|value| serde_json::from_value(value).ok())
            .unwrap_or_default();
        let mut heads = kept.heads;
        for published in page.signed_heads.drain(..) {
            let published = head(&chain, published);
            if !heads.contains(&published) {
                heads.push(published);
            }
        }
        let mut keys_hex = kept.keys;
        for key in &page.public_keys {
            if !keys_hex.contains(key) {
                keys_hex.push(key.clone());
            }
        }
        let keys: Vec<_> = keys_hex
            .iter()
            .filter_map(|k| siaga_audit::verifying_key(k))
            .collect();

        // Every entry is shown (the newest ones), the bad one and those after it too; entries are verified up to
        // the first break.
        let mut newest: VecDeque<AuditRow> = VecDeque::with_capacity(AUDIT_ROWS_SHOWN);
        let mut entries = 0i64;
        let mut read = 0i64;
        let mut verifier = Verifier::new(&heads, &keys);
        let mut failed: Option<Break> = verifier.as_ref().err().cloned();
        loop {
            for entry in page.entries.drain(..) {
                let entry = stored(entry);
                read = read.max(entry.entry.seq);
                if failed.is_none() {
                    if let Ok(verifier) = verifier.as_mut() {
                        match verifier.push(&entry) {
                            Ok(()) => entries += 1,
                            Err(problem) => failed = Some(problem),
                        }
                    }
                }
                if newest.len() == AUDIT_ROWS_SHOWN {
                    newest.pop_front();
                }
                newest.push_back(AuditRow {
                    seq: entry.entry.seq,
                    at_ms: entry.entry.at_ms,
                    actor: entry.entry.actor,
                    role: entry.entry.role,
                    action: entry.entry.action,
                    subject: entry.entry.subject,
                    detail: entry.entry.detail,
                });
            }
            if !page.more {
                break;
            }
            page = self.client.audit_page(Some(&chain), read).await?;
        }
        let verdict = match (failed, verifier) {
            (Some(problem), _) | (None, Err(problem)) => Err(problem),
            (None, Ok(verifier)) => verifier.finish().map(|_| ()),
        };
        let broken = match verdict {
            Ok(()) => {
                let value = serde_json::to_value(Kept {
                    heads: heads.clone(),
                    keys: keys_hex,
                })
                .map_err(|e| DeskError::DataDir(e.to_string()))?;
                self.store.set_setting(&kept_key(&chain), &value).await?;
                None
            }
            Err(problem) => Some(AuditBreak {
                seq: problem.seq(),
                reason: break_reason(&problem, language),
            }),
        };
        Ok(AuditLog {
            chain,
            entries,
            broken,
            heads_kept: heads.len(),
            last_signed_ms: heads.iter().map(|h| h.at_ms).max(),
            rows: newest.into_iter().rev().collect(),
        })
    }
}
