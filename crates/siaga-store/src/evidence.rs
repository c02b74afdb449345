//! Evidence pictures (decision 0022, migration 0010): a still this desk kept is written with its
//! `EvidenceAttached` event in the event's own transaction (never an entry without its picture, never a
//! picture without its entry), waits for the sync engine to upload it, and stays; a picture another desk kept is
//! fetched from the central once, checked against its name, and kept beside them.

use crate::view::Tx;
use crate::{now_ms, Recorded, Store, StoreError};
use siaga_domain::evidence::{check_fetched, ContentDigest, EvidenceProblem, MediaType};
use siaga_domain::{IncidentChange, IncidentEvent, IncidentId};

/// A picture the store holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvidence {
    /// Its name.
    pub digest: ContentDigest,
    /// What it is.
    pub media_type: MediaType,
    /// The incident whose log names it.
    pub incident_id: IncidentId,
    /// The bytes.
    pub data: Vec<u8>,
}

/// Writes the picture `bytes` that `event` (an `EvidenceAttached`) names, in the event's transaction.
pub(crate) async fn insert_kept(
    tx: &mut Tx<'_>,
    event: &IncidentEvent,
    bytes: &[u8],
) -> Result<(), StoreError> {
    let IncidentChange::EvidenceAttached {
        sha256,
        media_type,
        bytes: size,
        width,
        height,
        ..
    } = &event.change
    else {
        return Err(EvidenceProblem::Empty.into());
    };
    let picture = check_fetched(sha256, bytes)?;
    if (picture.bytes, picture.width, picture.height, picture.media_type)
        != (*size, *width, *height, *media_type)
    {
        return Err(EvidenceProblem::DigestMismatch {
            expected: sha256.clone(),
        }
        .into());
    }
    sqlx::query(
        "INSERT INTO evidence (sha256, media_type, data, incident_id, kept_ms, uploaded_ms) VALUES (?, ?, ?, ?, ?, NULL) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(sha256.as_str())
    .bind(media_type.mime())
    .bind(bytes)
    .bind(event.incident_id.0.to_string())
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn read_row(row: (String, String, Vec<u8>, String)) -> Result<StoredEvidence, StoreError> {
    let (sha256, media_type, data, incident) = row;
    let digest = ContentDigest::parse(&sha256)?;
    let media_type = MediaType::from_mime(&media_type).ok_or(EvidenceProblem::NotJpeg)?;
    let incident_id = crate::remote::parse_incident_id(&incident)?;
    Ok(StoredEvidence {
        digest,
        media_type,
        incident_id,
        data,
    })
}

impl Store {
    /// Records an `EvidenceAttached` event made on this desk together with the picture it names (checked: a JPEG
    /// whose digest, size and sides are the event's). A refused event or picture writes nothing.
    pub async fn record_local_evidence(
        &self,
        event: &IncidentEvent,
        picture: &[u8],
    ) -> Result<Recorded, StoreError> {
        if !matches!(event.change, IncidentChange::EvidenceAttached { .. }) {
            return Err(EvidenceProblem::Empty.into());
        }
        self.record_local_with(event, Some(picture)).await
    }

    /// The pictures this desk kept that the central does not hold yet, oldest first (at most `limit`).
    pub async fn evidence_to_upload(&self, limit: u32) -> Result<Vec<StoredEvidence>, StoreError> {
        let rows: Vec<(String, String, Vec<u8>, String)> = sqlx::query_as(
            "SELECT sha256, media_type, data, incident_id FROM evidence WHERE uploaded_ms IS NULL \
             ORDER BY kept_ms, sha256 LIMIT ?",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter().map(read_row).collect()
    }

    /// Notes that the central holds `digest`.
    pub async fn mark_evidence_uploaded(&self, digest: &ContentDigest) -> Result<(), StoreError> {
        sqlx::query("UPDATE evidence SET uploaded_ms = ? WHERE sha256 = ? AND uploaded_ms IS NULL")
            .bind(now_ms())
            .bind(digest.as_str())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// The picture named `digest`, if the store holds it.
    pub async fn evidence(&self, digest: &ContentDigest) -> Result<Option<StoredEvidence>, StoreError> {
        let row: Option<(String, String, Vec<u8>, String)> =
            sqlx::query_as("SELECT sha256, media_type, data, incident_id FROM evidence WHERE sha256 = ?")
                .bind(digest.as_str())
                .fetch_optional(&self.reader)
                .await?;
        row.map(read_row).transpose()
    }

    /// Keeps a picture fetched from the central for an entry of `incident`'s log, once checked to be the one
    /// named `digest`.
    pub async fn keep_fetched_evidence(
        &self,
        incident: IncidentId,
        digest: &ContentDigest,
        data: &[u8],
    ) -> Result<StoredEvidence, StoreError> {
        let picture = check_fetched(digest, data)?;
        let now = now_ms();
        sqlx::query(
            "INSERT INTO evidence (sha256, media_type, data, incident_id, kept_ms, uploaded_ms) VALUES (?, ?, ?, ?, ?, ?) \
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(digest.as_str())
        .bind(picture.media_type.mime())
        .bind(data)
        .bind(incident.0.to_string())
        .bind(now)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(StoredEvidence {
            digest: picture.digest,
            media_type: picture.media_type,
            incident_id: incident,
            data: data.to_vec(),
        })
    }
}
