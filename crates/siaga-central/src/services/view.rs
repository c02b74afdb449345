//! A stored request as the API shows it: the submission, where it stands, what its NIK says, the flags,
//! every step so far and the letter once issued. A row the types refuse is a damaged store (500).

use super::local_date;
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use siaga_api::services::{LetterSummary, NikCheck, ServiceRequestView, ServiceStep};
use siaga_domain::nik::Nik;
use siaga_domain::polda;
use siaga_domain::service::check::Flag;
use siaga_domain::service::state::{RejectReason, RequestStatus};
use siaga_domain::service::{iso_date, Submission};
use siaga_domain::{Language, Role};

type RequestRow = (String, String, String, String, Option<i64>, String, i64, i64, i64);
type StepRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
);
type LetterRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<i64>,
);

fn damaged(id: &str, what: &str) -> ApiError {
    ApiError::internal(&format!("stored citizen request {id}: bad {what}"))
}

/// The request `id` as the API shows it, or `None` when there is none.
pub async fn load_view(state: &AppState, id: &str) -> ApiResult<Option<ServiceRequestView>> {
    let row: Option<RequestRow> = sqlx::query_as(
        "SELECT body, status, polda, citizen_ref, LENGTH(photo_base64), flags, submitted_ms, updated_ms, version \
         FROM service_request WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&state.store.pool)
    .await?;
    let Some((body, status, polda, citizen_ref, photo_len, flags, submitted, updated, version)) = row else {
        return Ok(None);
    };
    let request: Submission = serde_json::from_str(&body).map_err(|_| damaged(id, "body"))?;
    let status = RequestStatus::parse(&status).ok_or_else(|| damaged(id, "status"))?;
    let polda: polda::PoldaId = polda.parse().map_err(|_| damaged(id, "Polda"))?;
    let flags: Vec<Flag> = serde_json::from_str(&flags).map_err(|_| damaged(id, "flags"))?;
    let parsed = Nik::parse(&request.applicant.nik).map_err(|_| damaged(id, "NIK"))?;
    let submitted_on = local_date(submitted, request.polres);
    let birth = parsed.nik.birth_date().resolve(submitted_on);
    let mut age = submitted_on.year() - birth.year();
    if (submitted_on.month() as u8, submitted_on.day()) < (birth.month() as u8, birth.day()) {
        age -= 1;
    }
    let region = [
        Some(parsed.province_name),
        parsed.regency_name,
        parsed.district_name,
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let nik_check = NikCheck {
        region,
        regency: parsed.nik.regency_code().map(|code| code.to_string()),
        birth_date: birth,
        age,
        sex: parsed.nik.sex(),
    };
    let steps: Vec<StepRow> = sqlx::query_as(
        "SELECT action, status, actor, role, reason, note, at_ms FROM service_step WHERE request_id = $1 ORDER BY version",
    )
    .bind(id)
    .fetch_all(&state.store.pool)
    .await?;
    let mut history = Vec::with_capacity(steps.len());
    for (action, status, actor, role, reason, note, at_ms) in steps {
        history.push(ServiceStep {
            action,
            status: RequestStatus::parse(&status).ok_or_else(|| damaged(id, "step status"))?,
            actor,
            role: Role::parse_principal(&role).ok_or_else(|| damaged(id, "step role"))?,
            reason: match reason {
                None => None,
                Some(code) => Some(
                    serde_json::from_value::<RejectReason>(serde_json::Value::String(code))
                        .map_err(|_| damaged(id, "step reason"))?,
                ),
            },
            note,
            at_ms,
        });
    }
    let letter: Option<LetterRow> = sqlx::query_as(
        "SELECT letter_id, number, issued_on, valid_until, digest, key_id, revoked_ms FROM letter WHERE request_id = $1",
    )
    .bind(id)
    .fetch_optional(&state.store.pool)
    .await?;
    let letter = match letter {
        None => None,
        Some((letter_id, number, issued_on, valid_until, digest, key_id, revoked_at_ms)) => {
            Some(LetterSummary {
                verify_url: siaga_letter::verify_url(&state.services.public_url, &letter_id, &digest),
                letter_id,
                number,
                issued_on: iso_date::parse(&issued_on).ok_or_else(|| damaged(id, "letter date"))?,
                valid_until: valid_until.as_deref().and_then(iso_date::parse),
                key_id,
                revoked_at_ms,
            })
        }
    };
    let polres_name = polda::polres(request.polres).map_or_else(String::new, |p| p.name);
    let flag_messages = flags.iter().map(|flag| flag.message(Language::Id)).collect();
    Ok(Some(ServiceRequestView {
        kind: request.details.kind(),
        request,
        status,
        polda,
        polres_name,
        citizen_ref,
        has_photo: photo_len.is_some_and(|len| len > 0),
        nik_check,
        flags,
        flag_messages,
        submitted_at_ms: submitted,
        updated_at_ms: updated,
        version,
        history,
        letter,
    }))
}
