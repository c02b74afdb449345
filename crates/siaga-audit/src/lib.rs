//! The audit trail's hash chain, without IO.
//!
//! Every entry (who, in which role and Polda, did what to which subject, when) is numbered from 1 and
//! holds the hash of the entry before it; its own hash is SHA-256 over a fixed header, the previous hash
//! and every field, each length-prefixed, so no two different entries share an encoding. Changing an
//! entry changes its hash; removing one leaves a gap in the numbers; moving one breaks the links. The
//! verifier ([`verify`]) reads a chain in the order of its numbers and names the first entry that is not
//! what the chain says it should be, and why.
//!
//! Whoever can write the store could rewrite every hash after an edit. So the central signs the chain's
//! head from time to time ([`SignedHead`], Ed25519 with a key of its own): a rewritten chain no longer
//! matches a head signed before the rewrite, which a desk that kept the head (or the central's own list of
//! signed heads, checked against the published key) shows.

use ed25519_dalek::{Signature, Signer as _, Verifier as _};
pub use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

/// The previous hash of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Domain separation of an entry's hash.
const ENTRY_HEADER: &[u8] = b"siaga-audit-entry-v1\n";
/// Domain separation of a signed head.
const HEAD_HEADER: &[u8] = b"siaga-audit-head-v1\n";

/// One thing that happened, as the trail records it. `detail` never holds a NIK or a phone number in
/// full (the callers mask them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// Its number in the chain, from 1.
    pub seq: i64,
    /// When (Unix ms).
    pub at_ms: i64,
    /// Who: an account name, a kiosk id, `warga:web`.
    pub actor: String,
    /// Their role's code.
    pub role: String,
    /// The Polda the action concerns, if one.
    pub polda: Option<String>,
    /// What, e.g. `sign_in`, `incident_event`, `document_view`, `letter_issued`.
    pub action: String,
    /// To what: an incident id, a request id, an account.
    pub subject: String,
    /// A few words more (the event's kind, the document viewed).
    pub detail: String,
}

impl Entry {
    /// The entry's hash after `prev_hash`.
    pub fn hash(&self, prev_hash: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(ENTRY_HEADER);
        let mut field = |bytes: &[u8]| {
            hasher.update((bytes.len() as u64).to_be_bytes());
            hasher.update(bytes);
        };
        field(prev_hash.as_bytes());
        field(&self.seq.to_be_bytes());
        field(&self.at_ms.to_be_bytes());
        field(self.actor.as_bytes());
        field(self.role.as_bytes());
        match &self.polda {
            Some(polda) => field(polda.as_bytes()),
            None => field(b"\xff"),
        }
        field(self.action.as_bytes());
        field(self.subject.as_bytes());
        field(self.detail.as_bytes());
        hex::encode(hasher.finalize())
    }
}

/// An entry as stored: with the hash it links to and its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stored {
    /// The entry.
    #[serde(flatten)]
    pub entry: Entry,
    /// The previous entry's hash ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// Its own hash.
    pub hash: String,
}

/// A stored entry as a row of an `audit_log` table (the central's and each desk's have these columns, in this
/// order): seq, at_ms, actor, role, polda, action, subject, detail, prev_hash, hash.
pub type Row = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
);

impl From<Row> for Stored {
    fn from((seq, at_ms, actor, role, polda, action, subject, detail, prev_hash, hash): Row) -> Stored {
        Stored {
            entry: Entry {
                seq,
                at_ms,
                actor,
                role,
                polda,
                action,
                subject,
                detail,
            },
            prev_hash,
            hash,
        }
    }
}

impl Stored {
    /// `entry` linked after `prev_hash`.
    pub fn link(entry: Entry, prev_hash: &str) -> Stored {
        let hash = entry.hash(prev_hash);
        Stored {
            entry,
            prev_hash: prev_hash.to_owned(),
            hash,
        }
    }
}

/// How a chain is broken at an entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Break {
    /// Its content no longer gives its hash: it was edited.
    #[error("entry {seq} was changed: its content does not give its hash")]
    Edited {
        /// The entry.
        seq: i64,
    },
    /// The number that should come next is missing: entries were removed.
    #[error("entry {expected} is missing (the next entry is {found}): entries were removed")]
    Missing {
        /// The number that should have come.
        expected: i64,
        /// The number found instead.
        found: i64,
    },
    /// It does not link to the entry before it: it was moved, or the one before it replaced.
    #[error("entry {seq} does not follow the entry before it: entries were moved or replaced")]
    Unlinked {
        /// The entry.
        seq: i64,
    },
    /// The chain is shorter than a signed head says: its end was removed.
    #[error("the chain ends at entry {last} but a signed head names entry {head}: its end was removed")]
    Truncated {
        /// The last entry there is.
        last: i64,
        /// The entry the signed head names.
        head: i64,
    },
    /// A signed head's entry has another hash now: the chain was rewritten up to there.
    #[error("entry {seq} is not the entry whose hash was signed: the chain was rewritten up to there")]
    Rewritten {
        /// The entry.
        seq: i64,
    },
    /// A head's signature does not verify with the published key.
    #[error("the signed head at entry {seq} does not verify with the published key")]
    BadSignature {
        /// The entry the head names.
        seq: i64,
    },
}

impl Break {
    /// The first entry that is not what the chain says.
    pub fn seq(&self) -> i64 {
        match self {
            Break::Edited { seq }
            | Break::Unlinked { seq }
            | Break::Rewritten { seq }
            | Break::BadSignature { seq } => *seq,
            Break::Missing { expected, .. } => *expected,
            Break::Truncated { last, .. } => last + 1,
        }
    }
}

/// A whole chain that verified: how many entries and the last one's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intact {
    /// Entries read.
    pub entries: i64,
    /// The last hash ([`GENESIS`] for an empty chain).
    pub head: String,
}

/// Verifies a chain read in the order of its numbers; the first break found.
pub fn verify<'a>(chain: impl IntoIterator<Item = &'a Stored>) -> Result<Intact, Break> {
    verify_with_heads(chain, &[], &[])
}

/// Verifies a chain and the signed heads kept of it, each checked with the published key it names:
/// every head must name an entry the chain has, with the same hash.
pub fn verify_with_heads<'a>(
    chain: impl IntoIterator<Item = &'a Stored>,
    heads: &[SignedHead],
    keys: &[VerifyingKey],
) -> Result<Intact, Break> {
    let mut verifier = Verifier::new(heads, keys)?;
    for stored in chain {
        verifier.push(stored)?;
    }
    verifier.finish()
}

/// Verifies a chain an entry at a time (a long chain is read in pages, never whole).
#[derive(Debug, Clone)]
pub struct Verifier<'h> {
    heads: &'h [SignedHead],
    prev: String,
    expected: i64,
}

impl<'h> Verifier<'h> {
    /// A verifier for a chain whose signed heads are `heads`; a head whose signature does not verify
    /// with the published key it names is a break at once.
    pub fn new(heads: &'h [SignedHead], keys: &[VerifyingKey]) -> Result<Verifier<'h>, Break> {
        if let Some(head) = heads
            .iter()
            .find(|head| !keys.iter().any(|key| head.verifies(key)))
        {
            return Err(Break::BadSignature { seq: head.seq });
        }
        Ok(Verifier {
            heads,
            prev: GENESIS.to_owned(),
            expected: 1,
        })
    }

    /// The next entry, in the order of the numbers.
    pub fn push(&mut self, stored: &Stored) -> Result<(), Break> {
        let seq = stored.entry.seq;
        if seq != self.expected {
            return Err(if seq > self.expected {
                Break::Missing {
                    expected: self.expected,
                    found: seq,
                }
            } else {
                Break::Unlinked { seq }
            });
        }
        if stored.entry.hash(&stored.prev_hash) != stored.hash {
            return Err(if stored.prev_hash != self.prev {
                Break::Unlinked { seq }
            } else {
                Break::Edited { seq }
            });
        }
        if stored.prev_hash != self.prev {
            return Err(Break::Unlinked { seq });
        }
        if self
            .heads
            .iter()
            .any(|head| head.seq == seq && head.hash != stored.hash)
        {
            return Err(Break::Rewritten { seq });
        }
        self.prev.clone_from(&stored.hash);
        self.expected += 1;
        Ok(())
    }

    /// The end of the chain: no signed head may name an entry past it.
    pub fn finish(self) -> Result<Intact, Break> {
        let last = self.expected - 1;
        if let Some(head) = self
            .heads
            .iter()
            .filter(|head| head.seq > last)
            .max_by_key(|head| head.seq)
        {
            return Err(Break::Truncated { last, head: head.seq });
        }
        Ok(Intact {
            entries: last,
            head: self.prev,
        })
    }
}

/// The chain's head at a moment, signed by the central.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedHead {
    /// Which chain (a Polda's code, or `national`).
    pub chain: String,
    /// The last entry's number.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
    /// When it was signed (Unix ms).
    pub at_ms: i64,
    /// The signing key's id (the first 16 hex digits of its public key).
    pub key_id: String,
    /// Ed25519 over the head, hex.
    pub signature: String,
}

fn head_message(chain: &str, seq: i64, hash: &str, at_ms: i64) -> Vec<u8> {
    let mut message = HEAD_HEADER.to_vec();
    message.extend_from_slice(&(chain.len() as u64).to_be_bytes());
    message.extend_from_slice(chain.as_bytes());
    message.extend_from_slice(&seq.to_be_bytes());
    message.extend_from_slice(hash.as_bytes());
    message.extend_from_slice(&at_ms.to_be_bytes());
    message
}

/// The id of a public key.
pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(key.as_bytes())[..16].to_owned()
}

impl SignedHead {
    /// Signs the head `seq`/`hash` of `chain` at `at_ms`.
    pub fn sign(key: &SigningKey, chain: &str, seq: i64, hash: &str, at_ms: i64) -> SignedHead {
        SignedHead {
            chain: chain.to_owned(),
            seq,
            hash: hash.to_owned(),
            at_ms,
            key_id: key_id(&key.verifying_key()),
            signature: hex::encode(key.sign(&head_message(chain, seq, hash, at_ms)).to_bytes()),
        }
    }

    /// Whether the signature verifies with `key` (which must be the key it names).
    pub fn verifies(&self, key: &VerifyingKey) -> bool {
        if key_id(key) != self.key_id {
            return false;
        }
        let Ok(bytes) = hex::decode(&self.signature) else {
            return false;
        };
        let Ok(signature) = Signature::from_slice(&bytes) else {
            return false;
        };
        key.verify(
            &head_message(&self.chain, self.seq, &self.hash, self.at_ms),
            &signature,
        )
        .is_ok()
    }
}

/// A signing key from 32 secret bytes (hex), and its public half.
pub fn signing_key(secret_hex: &str) -> Option<SigningKey> {
    let bytes: [u8; 32] = hex::decode(secret_hex).ok()?.try_into().ok()?;
    Some(SigningKey::from_bytes(&bytes))
}

/// A public key from hex.
pub fn verifying_key(public_hex: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(public_hex).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Stored> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let stored = Stored::link(
                    Entry {
                        seq,
                        at_ms: 1_796_353_200_000 + seq * 1000,
                        actor: format!("operator-{}", seq % 3),
                        role: "operator1".into(),
                        polda: Some("metro_jaya".into()),
                        action: "incident_event".into(),
                        subject: format!("incident-{seq}"),
                        detail: "classified".into(),
                    },
                    &prev,
                );
                prev.clone_from(&stored.hash);
                stored
            })
            .collect()
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let chain = chain(10);
        let intact = verify(&chain).unwrap();
        assert_eq!(intact.entries, 10);
        assert_eq!(intact.head, chain[9].hash);
        assert_eq!(verify(&[]).unwrap().head, GENESIS);
    }

    #[test]
    fn an_edit_a_removal_and_a_move_are_each_named_at_the_first_bad_entry() {
        let mut edited = chain(10);
        edited[4].entry.detail = "closed".into();
        assert_eq!(verify(&edited), Err(Break::Edited { seq: 5 }));

        let mut removed = chain(10);
        removed.remove(6);
        assert_eq!(
            verify(&removed),
            Err(Break::Missing {
                expected: 7,
                found: 8
            })
        );

        // Entry 7 moved before entry 6, renumbered to look in order.
        let mut moved = chain(10);
        moved.swap(5, 6);
        moved[5].entry.seq = 6;
        moved[6].entry.seq = 7;
        assert_eq!(verify(&moved).unwrap_err().seq(), 6);

        // An edit with every later hash recomputed verifies alone, but not against a signed head.
        let key = SigningKey::from_bytes(&[7; 32]);
        let original = chain(10);
        let head = SignedHead::sign(&key, "metro_jaya", 8, &original[7].hash, 1);
        let mut rewritten = chain(10);
        rewritten[2].entry.detail = "closed".into();
        let mut prev = GENESIS.to_owned();
        for stored in &mut rewritten {
            *stored = Stored::link(stored.entry.clone(), &prev);
            prev.clone_from(&stored.hash);
        }
        assert!(verify(&rewritten).is_ok());
        let heads = [head.clone()];
        assert_eq!(
            verify_with_heads(&rewritten, &heads, &[key.verifying_key()]),
            Err(Break::Rewritten { seq: 8 })
        );
        assert_eq!(
            verify_with_heads(&original[..6], &heads, &[key.verifying_key()]),
            Err(Break::Truncated { last: 6, head: 8 })
        );
        let other = SigningKey::from_bytes(&[8; 32]).verifying_key();
        assert_eq!(
            verify_with_heads(&original, &heads, &[other]),
            Err(Break::BadSignature { seq: 8 })
        );
        assert!(verify_with_heads(&original, &heads, &[key.verifying_key()]).is_ok());
        let mut moved_head = head.clone();
        moved_head.chain = "jawa_barat".into();
        assert!(
            !moved_head.verifies(&key.verifying_key()),
            "a head names its chain"
        );
    }

    #[test]
    fn fields_cannot_be_shifted_between_each_other() {
        let mut a = chain(1).remove(0).entry;
        let mut b = a.clone();
        a.actor = "ab".into();
        a.role = "c".into();
        b.actor = "a".into();
        b.role = "bc".into();
        assert_ne!(a.hash(GENESIS), b.hash(GENESIS));
        a.polda = None;
        b = a.clone();
        b.polda = Some(String::new());
        assert_ne!(a.hash(GENESIS), b.hash(GENESIS));
    }
}
