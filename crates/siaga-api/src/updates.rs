//! Desk updates on the wire (decision 0021): the newest release a central holds for a platform, as the release
//! key signed it. The desk checks the signature (`siaga-update`); the central only stores and serves.

use serde::{Deserialize, Serialize};

/// `GET /v1/updates/{platform}`: the newest release kept for the platform, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LatestRelease {
    pub release: Option<PublishedRelease>,
}

/// A release as signed: the manifest's exact JSON text, the signature over it, and the signing key's id. The
/// package is at `GET /v1/updates/{platform}/{version}/package`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishedRelease {
    pub version: String,
    pub manifest: String,
    pub signature: String,
    pub key_id: String,
}
