//! Station kiosks: registration (admin), heartbeats and CAP 1.2 alerts (the kiosk itself, for itself
//! only), and their last known state for the desks.

use crate::auth::{new_secret, token_hash, Caller};
use crate::error::{ApiError, ApiResult, JsonBody};
use crate::metrics::Metrics;
use crate::store::now_ms;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Extension, Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use sha2::Digest as _;
use siaga_api::cap::{CapAlert, CapError, CapStatus, KioskAlert};
use siaga_api::{AlertAccepted, Heartbeat, KioskCredentials, KioskState, RegisterKioskRequest};
use siaga_domain::kiosk::{KioskHealth, KioskId};
use siaga_domain::{
    Actor, Channel, EventId, IncidentChange, IncidentEvent, IncidentId, Location, PoldaId, Priority,
};

/// Checks that a Polda code names a real Polda (`metro_jaya`, `diy`, …).
pub fn check_polda(polda: &str) -> Result<PoldaId, ApiError> {
    polda
        .parse()
        .map_err(|_| ApiError::unprocessable("invalid_polda", format!("{polda:?} is not a Polda code")))
}

type KioskRow = (String, String, String, f64, f64, String, Option<i64>, Option<i64>);

/// A stored kiosk as the API types it; a row these types refuse is a damaged store (500), never passed on.
fn state_of(row: KioskRow) -> Result<KioskState, ApiError> {
    let (kiosk_id, station, polda, lat, lon, status, battery, last) = row;
    let damaged = |what: &str| ApiError::internal(&format!("stored kiosk {kiosk_id:?}: bad {what}"));
    Ok(KioskState {
        kiosk_id: KioskId::parse(&kiosk_id).map_err(|_| damaged("id"))?,
        station,
        polda: polda.parse().map_err(|_| damaged("Polda"))?,
        lat,
        lon,
        status: KioskHealth::parse(&status).ok_or_else(|| damaged("status"))?,
        battery_pct: battery.and_then(|b| u8::try_from(b).ok()),
        last_heartbeat_ms: last,
    })
}

const KIOSK_COLUMNS: &str = "id, station, polda, lat, lon, status, battery_pct, last_heartbeat_ms";

/// `GET /v1/kiosks`: the kiosks in the caller's scope with their last state.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<Vec<KioskState>>> {
    let rows: Vec<KioskRow> = match &caller.polda {
        Some(polda) => {
            sqlx::query_as(&format!(
                "SELECT {KIOSK_COLUMNS} FROM kiosks WHERE polda = $1 ORDER BY id"
            ))
            .bind(polda)
            .fetch_all(&state.store.pool)
            .await?
        }
        None => {
            sqlx::query_as(&format!("SELECT {KIOSK_COLUMNS} FROM kiosks ORDER BY id"))
                .fetch_all(&state.store.pool)
                .await?
        }
    };
    Ok(Json(rows.into_iter().map(state_of).collect::<Result<_, _>>()?))
}

/// `POST /v1/kiosks`: registers a kiosk in the admin's Polda; the secret is answered once.
pub async fn register(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody<RegisterKioskRequest>,
) -> ApiResult<(StatusCode, Json<KioskCredentials>)> {
    if !caller.sees(body.polda.code()) {
        return Err(ApiError::forbidden(
            "a Polda admin registers kiosks in its own Polda only",
        ));
    }
    if body.station.trim().is_empty() || body.station.chars().count() > 200 {
        return Err(ApiError::unprocessable(
            "invalid_station",
            "a station name is 1–200 characters",
        ));
    }
    if !(-90.0..=90.0).contains(&body.lat) || !(-180.0..=180.0).contains(&body.lon) {
        return Err(ApiError::unprocessable(
            "invalid_location",
            "latitude or longitude out of range",
        ));
    }
    let secret = new_secret()?;
    let _guard = state.store.write_guard().await;
    let inserted = sqlx::query(
        "INSERT INTO kiosks (id, station, polda, lat, lon, secret_hash, status, created_ms) VALUES ($1, $2, $3, $4, $5, $6, 'unknown', $7) ON CONFLICT (id) DO NOTHING",
    )
    .bind(body.kiosk_id.as_str())
    .bind(&body.station)
    .bind(body.polda.code())
    .bind(body.lat)
    .bind(body.lon)
    .bind(token_hash(&secret))
    .bind(now_ms())
    .execute(&state.store.pool)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(ApiError::conflict(
            "kiosk_exists",
            "a kiosk with this id is registered",
        ));
    }
    Ok((
        StatusCode::CREATED,
        Json(KioskCredentials {
            kiosk_id: body.kiosk_id,
            secret,
        }),
    ))
}

/// A kiosk may speak for itself only.
fn own_kiosk(caller: &Caller, kiosk_id: &str) -> Result<(), ApiError> {
    if caller.name == kiosk_id {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "a kiosk sends heartbeats and alerts for itself only",
        ))
    }
}

/// `POST /v1/kiosks/{kiosk_id}/heartbeat`.
pub async fn heartbeat(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(kiosk_id): Path<String>,
    JsonBody(body): JsonBody<Heartbeat>,
) -> ApiResult<Json<KioskState>> {
    own_kiosk(&caller, &kiosk_id)?;
    if body.status == KioskHealth::Unknown {
        return Err(ApiError::unprocessable(
            "invalid_status",
            "status is ok, degraded or fault",
        ));
    }
    if body.battery_pct.is_some_and(|b| b > 100) {
        return Err(ApiError::unprocessable(
            "invalid_battery",
            "battery is a percentage, 0–100",
        ));
    }
    {
        let _guard = state.store.write_guard().await;
        sqlx::query("UPDATE kiosks SET status = $1, battery_pct = $2, last_heartbeat_ms = $3 WHERE id = $4")
            .bind(body.status.code())
            .bind(body.battery_pct.map(i64::from))
            .bind(now_ms())
            .bind(&kiosk_id)
            .execute(&state.store.pool)
            .await?;
    }
    Metrics::inc(&state.metrics.kiosk_heartbeats);
    let row: KioskRow = sqlx::query_as(&format!("SELECT {KIOSK_COLUMNS} FROM kiosks WHERE id = $1"))
        .bind(&kiosk_id)
        .fetch_one(&state.store.pool)
        .await?;
    Ok(Json(state_of(row)?))
}

/// The incident and event ids of a kiosk alert, derived from the kiosk and the CAP identifier, so that a
/// repeated alert is the same event (and the append's idempotency answers it) even across a crash.
fn alert_ids(kiosk: &str, identifier: &str) -> (uuid::Uuid, uuid::Uuid) {
    let id = |salt: &str| {
        let digest = sha2::Sha256::digest(format!("{salt}\n{kiosk}\n{identifier}").as_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        uuid::Uuid::new_v8(bytes)
    };
    (id("incident"), id("event"))
}

/// `POST /v1/kiosks/{kiosk_id}/alerts`: a CAP 1.2 alert (RFC 8876 style) becomes an incident on the
/// kiosk's station, received by the system in the kiosk's Polda. Hostile XML is refused by the parser
/// (size, DOCTYPE, entities, depth); a repeated alert answers the same incident.
pub async fn alert(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(kiosk_id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<AlertAccepted>)> {
    own_kiosk(&caller, &kiosk_id)?;
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.contains("xml") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "a kiosk alert is CAP 1.2 XML (Content-Type: application/xml)",
        ));
    }
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                "the alert is larger than the server accepts",
            )
        } else {
            ApiError::bad_request("bad_body", rejection.body_text())
        }
    })?;
    let cap = CapAlert::parse(&body).map_err(|err| match err {
        CapError::TooLarge { .. } => {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", err.to_string())
        }
        other => ApiError::bad_request("invalid_cap", format!("not a CAP 1.2 alert: {other}")),
    })?;
    if KioskAlert::named_kiosk(&cap).is_some_and(|named| named != kiosk_id) {
        return Err(ApiError::forbidden("the alert names another kiosk"));
    }
    // Where and what the kiosk was registered as: the alert stands there, whatever it claims.
    let (lat, lon, station): (f64, f64, String) =
        sqlx::query_as("SELECT lat, lon, station FROM kiosks WHERE id = $1")
            .bind(&kiosk_id)
            .fetch_one(&state.store.pool)
            .await?;
    let position = siaga_domain::GeoPoint::new(lat, lon)
        .map_err(|_| ApiError::internal(&format!("kiosk {kiosk_id} has a position off the earth")))?;
    let kiosk = KioskId::parse(&kiosk_id).map_err(|_| ApiError::forbidden("not a kiosk id"))?;
    let alert = KioskAlert::from_cap_sent_by(&cap, &kiosk, position, &station).map_err(|err| {
        ApiError::bad_request(
            "invalid_cap",
            format!("a CAP 1.2 alert the kiosk profile cannot read: {err}"),
        )
    })?;
    if alert.status != CapStatus::Actual {
        // A drill: recorded, answered, never an incident.
        let _guard = state.store.write_guard().await;
        let inserted = sqlx::query(
            "INSERT INTO kiosk_drills (kiosk_id, alert_id, cap_status, received_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (kiosk_id, alert_id) DO NOTHING",
        )
        .bind(&kiosk_id)
        .bind(&alert.identifier)
        .bind(format!("{:?}", alert.status))
        .bind(now_ms())
        .execute(&state.store.pool)
        .await?;
        return Ok((
            StatusCode::ACCEPTED,
            Json(AlertAccepted {
                alert_id: alert.identifier,
                incident_id: None,
                duplicate: inserted.rows_affected() == 0,
                drill: true,
            }),
        ));
    }
    let polda: PoldaId = caller
        .polda
        .as_deref()
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| ApiError::internal(&"kiosk without a Polda"))?;
    let (incident_id, event_id) = alert_ids(&kiosk_id, &alert.identifier);
    let description = match &alert.description {
        Some(text) if !text.trim().is_empty() => format!("{}: {text}", alert.area_description),
        _ => format!("{}: tombol darurat kios", alert.area_description),
    };
    let event = IncidentEvent {
        id: EventId(event_id),
        incident_id: IncidentId(incident_id),
        at: alert.sent,
        actor: Actor::new(kiosk_id.clone(), siaga_domain::Role::System),
        change: IncidentChange::Received {
            channel: Channel::StationKiosk {
                kiosk: alert.kiosk.clone(),
            },
            caller_number: None,
            reporter: None,
            location: Location::at(position),
            description,
            proposed_category: alert.category,
            priority: Some(Priority::High),
            polda: Some(polda),
        },
    };
    let (status, Json(result)) = crate::incidents::append_event(&state, &caller, event).await?;
    let duplicate = result.duplicate;
    if !duplicate {
        Metrics::inc(&state.metrics.kiosk_alerts);
        let _guard = state.store.write_guard().await;
        sqlx::query(
            "INSERT INTO kiosk_alerts (kiosk_id, alert_id, incident_id, received_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (kiosk_id, alert_id) DO NOTHING",
        )
        .bind(&kiosk_id)
        .bind(&alert.identifier)
        .bind(incident_id.to_string())
        .bind(now_ms())
        .execute(&state.store.pool)
        .await?;
    }
    Ok((
        status,
        Json(AlertAccepted {
            alert_id: alert.identifier,
            incident_id: Some(incident_id.to_string()),
            duplicate,
            drill: false,
        }),
    ))
}
