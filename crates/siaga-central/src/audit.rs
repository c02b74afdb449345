//! The central's audit trail (decision 0015): every incident event, sign-in and sign-out, account
//! created, citizen-request step and view of a citizen's document is an entry of a hash chain
//! ([`siaga_audit`]) — one chain per Polda, `national` for what concerns none —, written in the same
//! transaction as what it records, always last (so its row lock never orders before another). The
//! central signs every chain's head from time to time ([`sign_heads`], its own Ed25519 key), and
//! `siaga-central verify-audit` reads every chain back ([`verify_all`]) and names the first bad entry.
//!
//! Entries name people by account and things by id; no NIK, name or phone number goes in.

use crate::auth::Caller;
use crate::store::Store;
use siaga_audit::{Break, Entry, Intact, SignedHead, Stored, Verifier, GENESIS};
use sqlx::{Any, Transaction};

/// The chain of what concerns no Polda (national accounts, the central's own work).
pub const NATIONAL: &str = "national";

/// Entries read at a time when a chain is verified.
const PAGE: i64 = 5_000;

/// One thing that happened, as the caller describes it.
#[derive(Debug, Clone, Copy)]
pub struct Audit<'a> {
    /// Who: an account name, a kiosk id, `warga:web`.
    pub actor: &'a str,
    /// Their role's code.
    pub role: &'a str,
    /// The Polda it concerns (its chain), if one.
    pub polda: Option<&'a str>,
    /// What, e.g. `incident_event`.
    pub action: &'a str,
    /// To what: an id, an account.
    pub subject: &'a str,
    /// A few words more; never personal data.
    pub detail: &'a str,
}

impl<'a> Audit<'a> {
    /// `caller` did `action` to `subject`, concerning `polda`.
    pub fn by(
        caller: &'a Caller,
        polda: Option<&'a str>,
        action: &'a str,
        subject: &'a str,
        detail: &'a str,
    ) -> Audit<'a> {
        Audit {
            actor: &caller.name,
            role: caller.role.code(),
            polda,
            action,
            subject,
            detail,
        }
    }
}

/// Appends `audit` to its chain inside `tx` (call it last in the transaction).
pub async fn record_in(
    tx: &mut Transaction<'static, Any>,
    audit: &Audit<'_>,
    at_ms: i64,
) -> Result<(), sqlx::Error> {
    let chain = audit.polda.unwrap_or(NATIONAL);
    // The next number, and the hash it links to (the head's, not yet moved on).
    let (seq, prev): (i64, String) = sqlx::query_as(
        "INSERT INTO audit_head (chain, seq, hash) VALUES ($1, 1, $2) \
         ON CONFLICT (chain) DO UPDATE SET seq = audit_head.seq + 1 RETURNING seq, hash",
    )
    .bind(chain)
    .bind(GENESIS)
    .fetch_one(&mut **tx)
    .await?;
    let stored = Stored::link(
        Entry {
            seq,
            at_ms,
            actor: audit.actor.to_owned(),
            role: audit.role.to_owned(),
            polda: audit.polda.map(str::to_owned),
            action: audit.action.to_owned(),
            subject: audit.subject.to_owned(),
            detail: audit.detail.to_owned(),
        },
        &prev,
    );
    sqlx::query(
        "INSERT INTO audit_log (chain, seq, at_ms, actor, role, polda, action, subject, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(chain)
    .bind(seq)
    .bind(at_ms)
    .bind(audit.actor)
    .bind(audit.role)
    .bind(audit.polda)
    .bind(audit.action)
    .bind(audit.subject)
    .bind(audit.detail)
    .bind(&stored.prev_hash)
    .bind(&stored.hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE chain = $2")
        .bind(&stored.hash)
        .bind(chain)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Appends `audit` in a transaction of its own (for what writes nothing else).
pub async fn record(store: &Store, audit: &Audit<'_>, at_ms: i64) -> Result<(), sqlx::Error> {
    let _guard = store.write_guard().await;
    let mut tx = store.begin_write().await?;
    record_in(&mut tx, audit, at_ms).await?;
    tx.commit().await
}

type LogRow = siaga_audit::Row;

async fn page(store: &Store, chain: &str, after: i64) -> Result<Vec<Stored>, sqlx::Error> {
    let rows: Vec<LogRow> = sqlx::query_as(
        "SELECT seq, at_ms, actor, role, polda, action, subject, detail, prev_hash, hash FROM audit_log \
         WHERE chain = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(chain)
    .bind(after)
    .bind(PAGE)
    .fetch_all(&store.pool)
    .await?;
    Ok(rows.into_iter().map(Stored::from).collect())
}

/// Every chain the store holds entries or heads of.
pub async fn chains(store: &Store) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT chain FROM audit_log UNION SELECT chain FROM audit_head UNION SELECT chain FROM audit_signed_head \
         ORDER BY chain",
    )
    .fetch_all(&store.pool)
    .await?;
    Ok(rows.into_iter().map(|(chain,)| chain).collect())
}

/// The signed heads of `chain`, oldest first.
pub async fn signed_heads(store: &Store, chain: &str) -> Result<Vec<SignedHead>, sqlx::Error> {
    let rows: Vec<(i64, String, i64, String, String)> = sqlx::query_as(
        "SELECT seq, hash, at_ms, key_id, signature FROM audit_signed_head WHERE chain = $1 ORDER BY seq",
    )
    .bind(chain)
    .fetch_all(&store.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(seq, hash, at_ms, key_id, signature)| SignedHead {
            chain: chain.to_owned(),
            seq,
            hash,
            at_ms,
            key_id,
            signature,
        })
        .collect())
}

/// The audit keys' public halves.
pub async fn public_keys(store: &Store) -> Result<Vec<siaga_audit::VerifyingKey>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT public_hex FROM audit_key ORDER BY created_ms")
        .fetch_all(&store.pool)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|(public,)| siaga_audit::verifying_key(public))
        .collect())
}

/// The key that signs heads, made on first use.
async fn signing_key(store: &Store, now_ms: i64) -> Result<siaga_audit::SigningKey, sqlx::Error> {
    let existing: Option<(String,)> =
        sqlx::query_as("SELECT secret_hex FROM audit_key ORDER BY created_ms DESC LIMIT 1")
            .fetch_optional(&store.pool)
            .await?;
    if let Some(key) = existing.and_then(|(secret,)| siaga_audit::signing_key(&secret)) {
        return Ok(key);
    }
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|err| sqlx::Error::Protocol(err.to_string()))?;
    let key = siaga_audit::SigningKey::from_bytes(&secret);
    let public = key.verifying_key();
    sqlx::query(
        "INSERT INTO audit_key (key_id, secret_hex, public_hex, created_ms) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key_id) DO NOTHING",
    )
    .bind(siaga_audit::key_id(&public))
    .bind(hex::encode(secret))
    .bind(hex::encode(public.as_bytes()))
    .bind(now_ms)
    .execute(&store.pool)
    .await?;
    Ok(key)
}

/// Signs the head of every chain that grew since its last signed head; answers how many were signed.
pub async fn sign_heads(store: &Store, now_ms: i64) -> Result<usize, sqlx::Error> {
    let due: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT h.chain, h.seq, h.hash FROM audit_head h WHERE h.seq > \
         COALESCE((SELECT MAX(s.seq) FROM audit_signed_head s WHERE s.chain = h.chain), 0)",
    )
    .fetch_all(&store.pool)
    .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let key = signing_key(store, now_ms).await?;
    for (chain, seq, hash) in &due {
        let head = SignedHead::sign(&key, chain, *seq, hash, now_ms);
        sqlx::query(
            "INSERT INTO audit_signed_head (chain, seq, hash, at_ms, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (chain, seq) DO NOTHING",
        )
        .bind(&head.chain)
        .bind(head.seq)
        .bind(&head.hash)
        .bind(head.at_ms)
        .bind(&head.key_id)
        .bind(&head.signature)
        .execute(&store.pool)
        .await?;
    }
    Ok(due.len())
}

/// What the verifier found in one chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// The chain.
    pub chain: String,
    /// Its signed heads.
    pub signed_heads: usize,
    /// Intact, or the first break.
    pub result: Result<Intact, Break>,
}

/// Reads every chain back, a page at a time, against its signed heads and the published keys.
pub async fn verify_all(store: &Store) -> Result<Vec<ChainReport>, sqlx::Error> {
    let keys = public_keys(store).await?;
    let mut reports = Vec::new();
    for chain in chains(store).await? {
        let heads = signed_heads(store, &chain).await?;
        let result = verify_chain(store, &chain, &heads, &keys).await?;
        reports.push(ChainReport {
            chain,
            signed_heads: heads.len(),
            result,
        });
    }
    Ok(reports)
}

async fn verify_chain(
    store: &Store,
    chain: &str,
    heads: &[SignedHead],
    keys: &[siaga_audit::VerifyingKey],
) -> Result<Result<Intact, Break>, sqlx::Error> {
    let mut verifier = match Verifier::new(heads, keys) {
        Ok(verifier) => verifier,
        Err(broken) => return Ok(Err(broken)),
    };
    let mut after = 0;
    loop {
        let entries = page(store, chain, after).await?;
        let Some(last) = entries.last() else { break };
        after = last.entry.seq;
        for stored in &entries {
            if let Err(broken) = verifier.push(stored) {
                return Ok(Err(broken));
            }
        }
    }
    Ok(verifier.finish())
}

/// The filters of `GET /v1/audit`.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditQuery {
    /// The chain: a Polda's code or `national` (a Polda account: its own, the default).
    pub chain: Option<String>,
    /// Entries after this number (default 0: from the first).
    pub after: Option<i64>,
    /// At most this many (default and cap: the server's page size).
    pub limit: Option<i64>,
}

/// `GET /v1/audit`: a page of a chain with its signed heads and the published keys. Supervisors read
/// their Polda's chain; national supervisors and admins any. Each read is itself an entry.
pub async fn read(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    axum::Extension(caller): axum::Extension<Caller>,
    crate::error::QueryParams(query): crate::error::QueryParams<AuditQuery>,
) -> crate::error::ApiResult<axum::Json<siaga_api::audit::AuditPage>> {
    use crate::error::ApiError;
    let chain = match (&caller.polda, query.chain) {
        (Some(own), None) => own.clone(),
        (Some(own), Some(asked)) if &asked == own => asked,
        (Some(_), Some(_)) => {
            return Err(ApiError::forbidden(
                "a Polda account reads its own Polda's trail only",
            ))
        }
        (None, None) => NATIONAL.to_owned(),
        (None, Some(asked)) if asked == NATIONAL => asked,
        (None, Some(asked)) => crate::kiosks::check_polda(&asked)?.code().to_owned(),
    };
    let after = query.after.unwrap_or(0).max(0);
    let limit = query
        .limit
        .unwrap_or(state.limits.max_page)
        .clamp(1, state.limits.max_page);
    let rows: Vec<LogRow> = sqlx::query_as(
        "SELECT seq, at_ms, actor, role, polda, action, subject, detail, prev_hash, hash FROM audit_log \
         WHERE chain = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(&chain)
    .bind(after)
    .bind(limit + 1)
    .fetch_all(&state.store.pool)
    .await?;
    let more = rows.len() as i64 > limit;
    let entries = rows
        .into_iter()
        .take(limit as usize)
        .map(
            |(seq, at_ms, actor, role, polda, action, subject, detail, prev_hash, hash)| {
                siaga_api::audit::AuditEntry {
                    seq,
                    at_ms,
                    actor,
                    role,
                    polda,
                    action,
                    subject,
                    detail,
                    prev_hash,
                    hash,
                }
            },
        )
        .collect();
    let signed_heads = signed_heads(&state.store, &chain)
        .await?
        .into_iter()
        .map(|head| siaga_api::audit::AuditHead {
            seq: head.seq,
            hash: head.hash,
            at_ms: head.at_ms,
            key_id: head.key_id,
            signature: head.signature,
        })
        .collect();
    let public_keys = public_keys(&state.store)
        .await?
        .iter()
        .map(|key| hex::encode(key.as_bytes()))
        .collect();
    let detail = format!("after {after}");
    let audit = Audit::by(
        &caller,
        Some(&chain).filter(|c| *c != NATIONAL).map(String::as_str),
        "audit_read",
        &chain,
        &detail,
    );
    record(&state.store, &audit, crate::store::now_ms()).await?;
    Ok(axum::Json(siaga_api::audit::AuditPage {
        chain,
        entries,
        more,
        signed_heads,
        public_keys,
    }))
}

/// Whether `text` is exactly `len` lowercase hex digits.
fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Why a desk's head is refused, written to the Polda's chain before the refusal is answered.
struct Refusal {
    code: &'static str,
    message: String,
}

/// `POST /v1/audit/desk-heads`: signs the head of a desk's own trail (chain `desk:<deskId>`). A desk belongs
/// to the Polda of the account that first had one of its heads signed; accounts of another Polda are refused.
/// Once a head is signed, the next must not be behind it (truncated), must not give another hash for an
/// entry already signed (rewritten), and must name, as `prior`, an entry the central signed with the hash it
/// signed (a desk whose trail was rewritten under its kept heads cannot). Each signature and each refusal is
/// an entry of the Polda's chain.
pub async fn sign_desk_head(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    axum::Extension(caller): axum::Extension<Caller>,
    crate::error::JsonBody(body): crate::error::JsonBody<siaga_api::audit::DeskHeadRequest>,
) -> crate::error::ApiResult<axum::Json<siaga_api::audit::DeskHeadSigned>> {
    use crate::error::ApiError;
    if !is_hex(&body.desk_id, 32) {
        return Err(ApiError::bad_request(
            "invalid_desk_id",
            "deskId must be 32 lowercase hex digits",
        ));
    }
    if !is_hex(&body.hash, 64) {
        return Err(ApiError::bad_request(
            "invalid_hash",
            "hash must be 64 lowercase hex digits (SHA-256)",
        ));
    }
    if body.seq < 1 {
        return Err(ApiError::bad_request("invalid_seq", "seq counts from 1"));
    }
    if let Some(prior) = &body.prior {
        if prior.seq < 1 || prior.seq > body.seq || !is_hex(&prior.hash, 64) {
            return Err(ApiError::bad_request(
                "invalid_prior",
                "prior names an entry from 1 to seq by 64 lowercase hex digits",
            ));
        }
    }
    let now = crate::store::now_ms();
    let key = signing_key(&state.store, now).await?;
    let chain = format!("desk:{}", body.desk_id);
    let caller_polda = caller.polda.clone().unwrap_or_else(|| NATIONAL.to_owned());

    let _guard = state.store.write_guard().await;
    let mut tx = state.store.begin_write().await?;
    sqlx::query(
        "INSERT INTO desk_audit_desk (desk_id, polda, first_ms) VALUES ($1, $2, $3) ON CONFLICT (desk_id) DO NOTHING",
    )
    .bind(&body.desk_id)
    .bind(&caller_polda)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let (owner,): (String,) = sqlx::query_as("SELECT polda FROM desk_audit_desk WHERE desk_id = $1")
        .bind(&body.desk_id)
        .fetch_one(&mut *tx)
        .await?;
    if caller.polda.is_some() && owner != caller_polda {
        return Err(ApiError::forbidden("this desk's trail belongs to another Polda"));
    }
    let signed: Vec<(i64, String, i64, String, String)> = sqlx::query_as(
        "SELECT seq, hash, at_ms, key_id, signature FROM desk_audit_head WHERE desk_id = $1 ORDER BY seq",
    )
    .bind(&body.desk_id)
    .fetch_all(&mut *tx)
    .await?;
    let head_of = |(seq, hash, at_ms, key_id, signature): &(i64, String, i64, String, String)| {
        siaga_api::audit::AuditHead {
            seq: *seq,
            hash: hash.clone(),
            at_ms: *at_ms,
            key_id: key_id.clone(),
            signature: signature.clone(),
        }
    };
    // The same head again (a lost answer): the same signature, with the key that made it.
    if let Some(same) = signed.iter().find(|s| s.0 == body.seq && s.1 == body.hash) {
        let head = head_of(same);
        let (public_key,): (String,) = sqlx::query_as("SELECT public_hex FROM audit_key WHERE key_id = $1")
            .bind(&head.key_id)
            .fetch_one(&mut *tx)
            .await?;
        return Ok(axum::Json(siaga_api::audit::DeskHeadSigned {
            chain,
            head,
            public_key,
        }));
    }
    let refusal = if signed.iter().any(|s| s.0 == body.seq) {
        Some(Refusal {
            code: "desk_trail_rewritten",
            message: format!(
                "entry {} of this desk's trail has another hash than the one the central signed: the trail was rewritten",
                body.seq
            ),
        })
    } else if let Some(last) = signed.last().filter(|last| last.0 > body.seq) {
        Some(Refusal {
            code: "desk_trail_truncated",
            message: format!(
                "the central signed entry {} of this desk's trail, which now ends at entry {}: its end was removed",
                last.0, body.seq
            ),
        })
    } else if signed.is_empty() {
        None
    } else {
        match &body.prior {
            None => Some(Refusal {
                code: "desk_trail_unproven",
                message: "the central signed heads of this desk's trail before; the request names none of them (the desk lost its kept heads)".to_owned(),
            }),
            Some(prior) => match signed.iter().find(|s| s.0 == prior.seq) {
                None => Some(Refusal {
                    code: "desk_trail_unproven",
                    message: format!(
                        "the central never signed entry {} of this desk's trail",
                        prior.seq
                    ),
                }),
                Some(s) if s.1 != prior.hash => Some(Refusal {
                    code: "desk_trail_rewritten",
                    message: format!(
                        "entry {} of this desk's trail has another hash than the one the central signed: the trail was rewritten",
                        prior.seq
                    ),
                }),
                Some(_) => None,
            },
        }
    };
    let polda = Some(owner.as_str()).filter(|p| *p != NATIONAL);
    if let Some(refusal) = refusal {
        let detail = format!("{}: #{}", refusal.code, body.seq);
        record_in(
            &mut tx,
            &Audit::by(&caller, polda, "desk_head_refused", &chain, &detail),
            now,
        )
        .await?;
        tx.commit().await?;
        return Err(ApiError::conflict(refusal.code, refusal.message));
    }
    let head = SignedHead::sign(&key, &chain, body.seq, &body.hash, now);
    sqlx::query(
        "INSERT INTO desk_audit_head (desk_id, seq, hash, at_ms, key_id, signature, actor) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&body.desk_id)
    .bind(head.seq)
    .bind(&head.hash)
    .bind(head.at_ms)
    .bind(&head.key_id)
    .bind(&head.signature)
    .bind(&caller.name)
    .execute(&mut *tx)
    .await?;
    let detail = format!("#{}", body.seq);
    record_in(
        &mut tx,
        &Audit::by(&caller, polda, "desk_head_signed", &chain, &detail),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(siaga_api::audit::DeskHeadSigned {
        chain,
        public_key: hex::encode(key.verifying_key().as_bytes()),
        head: siaga_api::audit::AuditHead {
            seq: head.seq,
            hash: head.hash,
            at_ms: head.at_ms,
            key_id: head.key_id,
            signature: head.signature,
        },
    }))
}
