//! Evidence pictures' use cases (decision 0022): the operator keeps a still of the reporter's video in a validation
//! call (the page hands the desk the canvas as a JPEG; the desk checks it, names it by its SHA-256 and records
//! `EvidenceAttached` with the picture in one transaction; the sync engine uploads it after the event), and any
//! operator of the Polda sees it in the incident's timeline (kept here, or fetched from the central once and
//! checked to be the picture named). Roles that may not see personal data get no picture: it shows the reporter.

use crate::{Desk, DeskError};
use siaga_domain::evidence::{check_picture, ContentDigest, EvidenceProblem, MediaType};
use siaga_domain::{IncidentChange, IncidentId};
use siaga_sync::ClientError;

/// A picture to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidencePicture {
    /// What it is.
    pub media_type: MediaType,
    /// The bytes.
    pub data: Vec<u8>,
}

impl EvidencePicture {
    /// The picture as a `data:` URL for an `<img>`.
    pub fn data_url(&self) -> String {
        use base64::Engine as _;
        format!(
            "data:{};base64,{}",
            self.media_type.mime(),
            base64::engine::general_purpose::STANDARD.encode(&self.data)
        )
    }
}

/// The bytes of the `data:image/jpeg;base64,` URL a page made of its canvas (anything else: not a JPEG).
pub fn jpeg_from_data_url(url: &str) -> Result<Vec<u8>, DeskError> {
    use base64::Engine as _;
    let not_jpeg = || DeskError::Evidence(EvidenceProblem::NotJpeg);
    let data = url.strip_prefix("data:image/jpeg;base64,").ok_or_else(not_jpeg)?;
    if data.len() as u64 > siaga_domain::evidence::MAX_EVIDENCE_BYTES / 3 * 4 + 4 {
        return Err(DeskError::Evidence(EvidenceProblem::TooLarge {
            bytes: data.len() as u64 / 4 * 3,
        }));
    }
    base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|_| not_jpeg())
}

/// A digest as the page names it.
pub fn digest_named(text: &str) -> Result<ContentDigest, DeskError> {
    ContentDigest::parse(text).map_err(DeskError::Evidence)
}

impl Desk {
    /// Keeps `jpeg` (a still of the reporter's video in call `call`) as evidence of `incident`; its name.
    /// `call` is the call's id as the page names it (not a call id: no call is named).
    pub async fn keep_snapshot(
        &self,
        incident: IncidentId,
        call: &str,
        jpeg: &[u8],
    ) -> Result<ContentDigest, DeskError> {
        let call = uuid::Uuid::parse_str(call).ok();
        let picture = check_picture(jpeg).map_err(DeskError::Evidence)?;
        let change = IncidentChange::EvidenceAttached {
            sha256: picture.digest.clone(),
            media_type: picture.media_type,
            bytes: picture.bytes,
            width: picture.width,
            height: picture.height,
            call,
        };
        self.act_with(incident, change, Some(jpeg)).await?;
        Ok(picture.digest)
    }

    /// The evidence picture `digest` of `incident`: from the store, else fetched from the central and kept.
    pub async fn evidence_picture(
        &self,
        incident: IncidentId,
        digest: &ContentDigest,
    ) -> Result<EvidencePicture, DeskError> {
        let session = self.session().ok_or(DeskError::NotSignedIn)?;
        if session.flow_role.is_none() {
            return Err(DeskError::EvidenceHidden);
        }
        if let Some(kept) = self.store.evidence(digest).await? {
            return Ok(EvidencePicture {
                media_type: kept.media_type,
                data: kept.data,
            });
        }
        let fetched = match self.client.evidence(incident, digest).await {
            Ok(bytes) => bytes,
            Err(ClientError::Refused { status: 404, .. }) => return Err(DeskError::EvidenceNotUploaded),
            Err(error) => return Err(error.into()),
        };
        let kept = self
            .store
            .keep_fetched_evidence(incident, digest, &fetched)
            .await?;
        Ok(EvidencePicture {
            media_type: kept.media_type,
            data: kept.data,
        })
    }
}
