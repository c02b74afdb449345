//! Letters at the central: the Ed25519 letter keys (made on first use, rotated by
//! `siaga-central rotate-letter-key`; retired keys stay published so their letters still verify), the
//! number series per Polres, kind and year (taken in the issuing transaction, so a number is never
//! repeated or skipped: a failed issue rolls its number back with it), the letter itself
//! (`siaga_letter::issue`), the public key list and the public verification route.
//!
//! The verification route is public by design: an employer scanning an SKCK has no account. It answers
//! only what the paper already shows, the NIK masked, and nothing for an id that was never issued.

use crate::error::{ApiError, ApiResult};
use crate::services::local_date;
use crate::store::Store;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use siaga_api::services::{LetterKeyInfo, LetterKeys, LetterVerification, Verdict};
use siaga_domain::nik::{mask_nik, Nik};
use siaga_domain::polda;
use siaga_domain::service::iso_date::format as iso;
use siaga_domain::service::letter::{
    indonesian_date, skck_valid_until, LetterContent, LetterNumber, Officer,
};
use siaga_domain::service::{RequestDetails, ServiceKind, Submission};
use siaga_domain::Language;
use siaga_letter::LetterKey;
use uuid::Uuid;

/// The active letter key, made (and stored) when there is none yet.
pub async fn active_key(tx: &mut sqlx::Transaction<'static, sqlx::Any>, now_ms: i64) -> ApiResult<LetterKey> {
    let row: Option<(String,)> = sqlx::query_as("SELECT secret_hex FROM letter_key WHERE active = 1")
        .fetch_optional(&mut **tx)
        .await?;
    if let Some((secret,)) = row {
        let bytes: [u8; 32] = hex::decode(secret)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| ApiError::internal(&"stored letter key is damaged"))?;
        return Ok(LetterKey::from_secret(bytes));
    }
    let key = new_key()?;
    store_key(tx, &key, now_ms).await?;
    Ok(key)
}

fn new_key() -> ApiResult<LetterKey> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|err| ApiError::internal(&err))?;
    Ok(LetterKey::from_secret(secret))
}

async fn store_key(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    key: &LetterKey,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO letter_key (key_id, public_key, secret_hex, active, created_ms) VALUES ($1, $2, $3, 1, $4)")
        .bind(key.key_id())
        .bind(key.public().to_hex())
        .bind(hex::encode(key.secret()))
        .bind(now_ms)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Retires the active key and makes a new one (`siaga-central rotate-letter-key`). Returns the new
/// key's id.
pub async fn rotate_key(store: &Store) -> anyhow::Result<String> {
    let _guard = store.write_guard().await;
    let mut tx = store.begin_write().await?;
    sqlx::query("UPDATE letter_key SET active = 0 WHERE active = 1")
        .execute(&mut *tx)
        .await?;
    let key = new_key().map_err(|err| anyhow::anyhow!("{err}"))?;
    store_key(&mut tx, &key, crate::store::now_ms()).await?;
    tx.commit().await?;
    Ok(key.key_id())
}

/// The next number in a series, taken inside the issuing transaction.
async fn next_sequence(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    polres: &str,
    kind: ServiceKind,
    year: i32,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO letter_series (polres, kind, year, next_sequence) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (polres, kind, year) DO NOTHING",
    )
    .bind(polres)
    .bind(kind.code())
    .bind(i64::from(year))
    .execute(&mut **tx)
    .await?;
    let (next,): (i64,) = sqlx::query_as(
        "UPDATE letter_series SET next_sequence = next_sequence + 1 \
         WHERE polres = $1 AND kind = $2 AND year = $3 RETURNING next_sequence - 1",
    )
    .bind(polres)
    .bind(kind.code())
    .bind(i64::from(year))
    .fetch_one(&mut **tx)
    .await?;
    Ok(next)
}

/// Numbers, draws, signs and stores the letter of request `id` inside the caller's transaction.
pub async fn issue_in(
    state: &AppState,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: &str,
    submission: &Submission,
    officer: &Officer,
    now_ms: i64,
) -> ApiResult<()> {
    use base64::Engine as _;
    let polres = polda::polres(submission.polres).ok_or_else(|| ApiError::internal(&"stored Polres"))?;
    let polda_name = polres.polda.name().to_owned();
    let issued_on = local_date(now_ms, submission.polres);
    let kind = submission.details.kind();
    let polres_code = submission.polres.regency().digits();
    let sequence = next_sequence(tx, &polres_code, kind, issued_on.year()).await?;
    let number = LetterNumber {
        kind,
        polres: submission.polres,
        year: issued_on.year(),
        month: issued_on.month() as u8,
        sequence: u32::try_from(sequence).map_err(|err| ApiError::internal(&err))?,
    };
    let nik = Nik::parse(&submission.applicant.nik).map_err(|_| ApiError::internal(&"stored NIK"))?;
    let (photo_base64,): (Option<String>,) =
        sqlx::query_as("SELECT photo_base64 FROM service_request WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    let photo = match photo_base64 {
        Some(text) => Some(
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .map_err(|err| ApiError::internal(&err))?,
        ),
        None => None,
    };
    let photo_info = photo.as_deref().and_then(siaga_domain::service::check::jpeg_info);
    let applicant = &submission.applicant;
    let letter_id = Uuid::now_v7().to_string();
    let place = siaga_domain::region::regency(submission.polres.regency())
        .map_or_else(|| polres.name.clone(), |regency| regency.short_name().to_owned());
    let content = LetterContent {
        letter_id: letter_id.clone(),
        request_id: id.to_owned(),
        number,
        polres_name: polres.name.clone(),
        polda_name,
        full_name: applicant.full_name.trim().to_owned(),
        nik: nik.nik.digits(),
        sex: nik.nik.sex(),
        birth_place: applicant.birth_place.trim().to_owned(),
        birth_date: applicant.birth_date,
        address: applicant.address.trim().to_owned(),
        purpose: match &submission.details {
            RequestDetails::Skck(skck) => Some((skck.purpose, skck.purpose_note.clone())),
            RequestDetails::LossReport(_) => None,
        },
        loss: match &submission.details {
            RequestDetails::LossReport(loss) => Some((
                loss.items.clone(),
                loss.place.trim().to_owned(),
                loss.lost_on,
                loss.chronology.trim().to_owned(),
            )),
            RequestDetails::Skck(_) => None,
        },
        issued_on,
        valid_until: (kind == ServiceKind::Skck).then(|| skck_valid_until(issued_on)),
        place,
        officer: Officer {
            name: officer.name.trim().to_owned(),
            rank: officer.rank.clone(),
            nrp: officer.nrp.clone(),
        },
        photo_sha256: photo.as_deref().map(|bytes| {
            use sha2::Digest as _;
            hex::encode(sha2::Sha256::digest(bytes))
        }),
    };
    let key = active_key(tx, now_ms).await?;
    let photo_pair = match (&photo, photo_info) {
        (Some(bytes), Some(info)) => Some((bytes.as_slice(), info)),
        _ => None,
    };
    let issued = siaga_letter::issue(&content, photo_pair, &state.services.public_url, &key);
    sqlx::query(
        "INSERT INTO letter (letter_id, request_id, number, polres, kind, year, sequence, canonical, digest, key_id, \
         pdf_base64, issued_on, valid_until, issued_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(&letter_id)
    .bind(id)
    .bind(content.number.printed())
    .bind(&polres_code)
    .bind(kind.code())
    .bind(i64::from(issued_on.year()))
    .bind(sequence)
    .bind(String::from_utf8_lossy(&content.canonical()).into_owned())
    .bind(&issued.digest)
    .bind(key.key_id())
    .bind(base64::engine::general_purpose::STANDARD.encode(&issued.pdf))
    .bind(iso(issued_on))
    .bind(content.valid_until.map(iso))
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// `GET /v1/letters/keys`: every key that signed letters here.
pub async fn keys(State(state): State<AppState>) -> ApiResult<Json<LetterKeys>> {
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT key_id, public_key, active, created_ms FROM letter_key ORDER BY created_ms, key_id",
    )
    .fetch_all(&state.store.pool)
    .await?;
    Ok(Json(LetterKeys {
        keys: rows
            .into_iter()
            .map(|(key_id, public_key, active, created_at_ms)| LetterKeyInfo {
                key_id,
                public_key,
                active: active != 0,
                created_at_ms,
            })
            .collect(),
    }))
}

/// The query of a verification URL.
#[derive(Debug, Deserialize)]
pub struct VerifyQuery {
    /// The content digest the QR code carries.
    pub d: Option<String>,
}

type VerifyRow = (String, String, Option<i64>);

async fn verdict(state: &AppState, letter_id: &str, digest: Option<&str>) -> ApiResult<LetterVerification> {
    let unknown = || LetterVerification {
        verdict: Verdict::Unknown,
        kind: None,
        number: None,
        polres_name: None,
        holder_name: None,
        nik_masked: None,
        issued_on: None,
        valid_until: None,
        revoked_at_ms: None,
        message_id: "Surat dengan kode ini tidak pernah diterbitkan oleh sentral 110 ini.".into(),
        message_en: "No letter with this code was issued by this 110 central.".into(),
    };
    let Ok(letter_id) = Uuid::parse_str(letter_id) else {
        return Ok(unknown());
    };
    let row: Option<VerifyRow> =
        sqlx::query_as("SELECT canonical, digest, revoked_ms FROM letter WHERE letter_id = $1")
            .bind(letter_id.to_string())
            .fetch_optional(&state.store.pool)
            .await?;
    let Some((canonical, stored_digest, revoked_at_ms)) = row else {
        return Ok(unknown());
    };
    let field = |key: &str| {
        canonical
            .lines()
            .find_map(|line| line.strip_prefix(key).and_then(|rest| rest.strip_prefix('=')))
            .map(str::to_owned)
    };
    let date = |key: &str| field(key).and_then(|text| siaga_domain::service::iso_date::parse(&text));
    let mut answer = LetterVerification {
        verdict: Verdict::Valid,
        kind: field("kind").as_deref().and_then(ServiceKind::parse),
        number: field("number"),
        polres_name: field("polres_name"),
        holder_name: field("full_name"),
        nik_masked: field("nik").map(|nik| mask_nik(&nik)),
        issued_on: date("issued_on"),
        valid_until: date("valid_until"),
        revoked_at_ms,
        message_id: String::new(),
        message_en: String::new(),
    };
    if digest != Some(stored_digest.as_str()) {
        return Ok(LetterVerification {
            verdict: Verdict::Tampered,
            message_id:
                "TIDAK SAH: kode QR tidak cocok dengan surat yang diterbitkan dengan kode ini. Surat ini \
                         telah diubah atau dipalsukan."
                    .into(),
            message_en:
                "NOT VALID: the QR code does not match the letter issued under this code. The letter was \
                         altered or forged."
                    .into(),
            ..unknown()
        });
    }
    if revoked_at_ms.is_some() {
        answer.verdict = Verdict::Revoked;
        answer.message_id =
            "DICABUT: surat ini pernah diterbitkan, tetapi telah dicabut dan tidak berlaku.".into();
        answer.message_en =
            "REVOKED: this letter was issued but has been revoked and is not in force.".into();
    } else {
        let polres = field("polres")
            .and_then(|code| code.parse().ok())
            .map(polda::PolresId);
        let now = state.services.now_ms();
        let today = polres.map_or_else(
            || time::OffsetDateTime::from_unix_timestamp(now / 1000).map_or(time::Date::MIN, |t| t.date()),
            |polres| local_date(now, polres),
        );
        if answer.valid_until.is_some_and(|until| until < today) {
            answer.message_id = "SAH, TETAPI MASA BERLAKU HABIS: surat ini asli, berlaku sampai ".to_owned()
                + &indonesian_date(answer.valid_until.expect("checked"))
                + ".";
            answer.message_en =
                "GENUINE BUT EXPIRED: this letter is genuine; it was valid until the date shown.".into();
        } else {
            answer.message_id =
                "SAH: surat ini diterbitkan oleh Polri melalui layanan 110 dan masih berlaku. \
                                 Cocokkan nama dengan KTP pemegang."
                    .into();
            answer.message_en =
                "VALID: this letter was issued by the police through the 110 service and is in \
                                 force. Check the name against the holder's KTP."
                    .into();
        }
    }
    Ok(answer)
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn page(answer: &LetterVerification) -> String {
    let colour = match answer.verdict {
        Verdict::Valid => "#1b7f3b",
        Verdict::Revoked | Verdict::Tampered => "#b3261e",
        Verdict::Unknown => "#6b6b6b",
    };
    let mut rows = String::new();
    let mut row = |label_id: &str, label_en: &str, value: Option<String>| {
        if let Some(value) = value {
            rows.push_str(&format!(
                "<tr><th>{label_id}<br><small>{label_en}</small></th><td>{}</td></tr>",
                escape_html(&value)
            ));
        }
    };
    row(
        "Jenis surat",
        "Letter",
        answer.kind.map(|k| k.label(Language::Id).to_owned()),
    );
    row("Nomor", "Number", answer.number.clone());
    row("Diterbitkan oleh", "Issued by", answer.polres_name.clone());
    row("Nama pemegang", "Holder", answer.holder_name.clone());
    row("NIK", "NIK", answer.nik_masked.clone());
    row(
        "Tanggal terbit",
        "Issued on",
        answer.issued_on.map(indonesian_date),
    );
    row(
        "Berlaku sampai",
        "Valid until",
        answer.valid_until.map(indonesian_date),
    );
    format!(
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Verifikasi surat 110</title><style>body{{font-family:sans-serif;margin:1.5rem;max-width:36rem}}\
         .verdict{{color:#fff;background:{colour};padding:1rem;border-radius:.5rem;font-size:1.1rem}}\
         th{{text-align:left;vertical-align:top;padding:.3rem .8rem .3rem 0;font-weight:600}}small{{color:#666;font-weight:400}}\
         </style></head><body><h1>Verifikasi surat layanan 110 Polri</h1>\
         <p class=\"verdict\" id=\"verdict\" data-verdict=\"{}\">{}<br><small style=\"color:#eee\">{}</small></p>\
         <table>{rows}</table></body></html>",
        serde_json::to_value(answer.verdict).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
        escape_html(&answer.message_id),
        escape_html(&answer.message_en),
    )
}

/// `GET /v1/letters/{letter_id}/verify?d=DIGEST`: JSON, or a small page for a browser (`Accept:
/// text/html`), always `200` with the verdict (valid, revoked, unknown, tampered).
pub async fn verify(
    State(state): State<AppState>,
    Path(letter_id): Path<String>,
    crate::error::QueryParams(query): crate::error::QueryParams<VerifyQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let answer = verdict(&state, &letter_id, query.d.as_deref()).await?;
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html {
        Ok(([(header::CACHE_CONTROL, "no-store")], Html(page(&answer))).into_response())
    } else {
        Ok(([(header::CACHE_CONTROL, "no-store")], Json(answer)).into_response())
    }
}
