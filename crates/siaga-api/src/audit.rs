//! The audit trail on the wire (`GET /v1/audit`): a page of one chain's entries with the chain's signed
//! heads and the central's published audit keys, so that the reader can verify what it got
//! (`siaga_audit::verify_with_heads`) and keep the heads as proof. Supervisors read their Polda's chain;
//! national supervisors and admins any chain, `national` included. Desks have the heads of their own trails
//! signed (`POST /v1/audit/desk-heads`).

use serde::{Deserialize, Serialize};

/// One entry as stored: the fields its hash covers, the hash it links to and its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// Its number in the chain, from 1.
    pub seq: i64,
    /// When (Unix ms).
    pub at_ms: i64,
    /// Who: an account name, a kiosk id, `warga:web`.
    pub actor: String,
    /// Their role's code.
    pub role: String,
    /// The Polda it concerns.
    pub polda: Option<String>,
    /// What.
    pub action: String,
    /// To what.
    pub subject: String,
    /// A few words more.
    pub detail: String,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// Its own hash.
    pub hash: String,
}

/// A signed head of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditHead {
    /// The entry it names.
    pub seq: i64,
    /// That entry's hash.
    pub hash: String,
    /// When it was signed (Unix ms).
    pub at_ms: i64,
    /// The key that signed it.
    pub key_id: String,
    /// Ed25519, hex.
    pub signature: String,
}

/// `GET /v1/audit?chain=&after=&limit=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    /// The chain: a Polda's code, or `national`.
    pub chain: String,
    /// Entries after the asked number, in order.
    pub entries: Vec<AuditEntry>,
    /// Whether more entries follow.
    pub more: bool,
    /// Every signed head of the chain.
    pub signed_heads: Vec<AuditHead>,
    /// The central's audit keys (Ed25519 public keys, hex).
    pub public_keys: Vec<String>,
}

/// `POST /v1/audit/desk-heads`: a desk asks the central to sign the head of the desk's own trail, so the desk
/// can later prove its trail was not rewritten. The central refuses a head behind (truncated) or beside
/// (rewritten) one it signed before for the same desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeskHeadRequest {
    /// The desk's id: 32 lowercase hex digits, made once by the desk's store.
    pub desk_id: String,
    /// The last entry's number.
    pub seq: i64,
    /// Its hash (64 lowercase hex digits).
    pub hash: String,
    /// The desk's entry at the newest head it kept from the central, as the desk's trail has it now: the
    /// central checks it against the hash it signed there (absent only before the first signed head).
    #[serde(default)]
    pub prior: Option<DeskHeadPrior>,
}

/// An entry of a desk's trail named by its number and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeskHeadPrior {
    /// The entry's number.
    pub seq: i64,
    /// Its hash now.
    pub hash: String,
}

/// The central's answer: the head, signed for the chain `desk:<deskId>`, and the key that signed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeskHeadSigned {
    /// The chain the signature names: `desk:<deskId>`.
    pub chain: String,
    /// The signed head.
    pub head: AuditHead,
    /// The signing key (Ed25519 public key, hex).
    pub public_key: String,
}
