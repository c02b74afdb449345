//! `POST /v1/events`: an event appended once (a repeated id answers the stored result), checked against
//! the incident's state by the domain's flow, stored with the next sequence number of its Polda, and
//! published (live hub, NATS outbox) after the commit.

use super::*;

/// How far ahead of the central's clock an event may be dated (desks' clocks drift).
const MAX_CLOCK_AHEAD_MS: i64 = 10 * 60 * 1000;

/// The stored result of an event with `event`'s id: `None` when there is none; a 409 when the id is taken
/// outside the caller's Polda or by an event with other content (an id is never reused).
async fn stored_result(
    state: &AppState,
    caller: &Caller,
    event: &IncidentEvent,
) -> ApiResult<Option<AppendResult>> {
    let event_id = event.id.to_string();
    let row: Option<(String, i64, i64, String, String)> = sqlx::query_as(
        "SELECT e.polda, e.seq, e.recorded_ms, e.body, i.snapshot FROM events e JOIN incidents i ON i.id = e.incident_id WHERE e.event_id = $1",
    )
    .bind(&event_id)
    .fetch_optional(&state.store.pool)
    .await?;
    let Some((polda, seq, recorded_ms, body, snapshot)) = row else {
        return Ok(None);
    };
    if !caller.sees(&polda) {
        return Err(ApiError::conflict(
            "event_id_taken",
            "an event with this id exists outside your Polda",
        ));
    }
    let stored = feed_event((polda, seq, recorded_ms, body))?;
    if stored.event != *event {
        return Err(ApiError::conflict(
            "event_id_taken",
            "an event with this id was recorded with other content; a new event needs a new id",
        ));
    }
    Ok(Some(AppendResult {
        event: stored,
        duplicate: true,
        incident: incident_of(&snapshot)?,
    }))
}

/// Why an append did not commit: a refusal to answer, or a race to re-read (a concurrent append of the
/// same event id or incident won).
enum Outcome {
    Done(Box<AppendResult>),
    Raced,
}

/// `POST /v1/events`: appends one event. A repeated event id answers the stored result (200) and
/// changes nothing; a new one is checked by the operator flow and committed with the next server
/// sequence of its Polda (201); a refused one changes nothing and says why (4xx).
pub async fn append(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<(StatusCode, Json<AppendResult>)> {
    let result = append_inner(&state, &caller, body).await;
    match &result {
        Ok((StatusCode::CREATED, _)) => Metrics::inc(&state.metrics.events_appended),
        Ok(_) => Metrics::inc(&state.metrics.events_duplicate),
        Err(err) if err.status.is_client_error() => Metrics::inc(&state.metrics.events_rejected),
        Err(_) => {}
    }
    result
}

async fn append_inner(
    state: &AppState,
    caller: &Caller,
    body: Value,
) -> ApiResult<(StatusCode, Json<AppendResult>)> {
    let event = parse_envelope(body)?;
    append_event(state, caller, event).await
}

/// Appends a parsed event for `caller` (whose name and role must be the event's actor): the stored
/// result for a known event id (200), or the committed result (201), or a refusal.
///
/// The work runs in a task of its own, to the end, even when the client goes away: a request dropped
/// while its `BEGIN IMMEDIATE` waits for SQLite's write lock could otherwise hand its pooled connection
/// back inside a transaction, and every later write on it would fail ("begin_with at non-zero transaction
/// depth", seen under the fault suite's connection resets).
pub async fn append_event(
    state: &AppState,
    caller: &Caller,
    event: IncidentEvent,
) -> ApiResult<(StatusCode, Json<AppendResult>)> {
    let (state, caller) = (state.clone(), caller.clone());
    tokio::spawn(async move { append_event_to_the_end(&state, &caller, event).await })
        .await
        .map_err(|err| ApiError::internal(&err))?
}

async fn append_event_to_the_end(
    state: &AppState,
    caller: &Caller,
    event: IncidentEvent,
) -> ApiResult<(StatusCode, Json<AppendResult>)> {
    // An event from the future would pin its incident to the top of every list: a desk's clock may run
    // a little fast, not this much.
    if event.at.unix_timestamp() * 1000 > now_ms() + MAX_CLOCK_AHEAD_MS {
        return Err(ApiError::unprocessable(
            "event_in_future",
            "the event is dated more than 10 minutes ahead of the central's clock; check this desk's clock",
        ));
    }
    // The actor first: nobody learns another's stored result by replaying their event id.
    if event.actor.id != caller.name || caller.role.flow_role() != Some(event.actor.role) {
        return Err(ApiError::forbidden(format!(
            "the event's actor must be the caller ({} as {})",
            caller.name,
            caller.role.code()
        )));
    }
    if let Some(stored) = stored_result(state, caller, &event).await? {
        return Ok((StatusCode::OK, Json(stored)));
    }
    for _attempt in 0..3 {
        match try_append(state, caller, &event).await? {
            Outcome::Done(result) => {
                if state.outbox {
                    // With NATS, every replica's live sessions (this one's too) are fed from JetStream.
                    state.outbox_wake.notify_one();
                }
                return Ok((StatusCode::CREATED, Json(*result)));
            }
            Outcome::Raced => {
                if let Some(stored) = stored_result(state, caller, &event).await? {
                    return Ok((StatusCode::OK, Json(stored)));
                }
            }
        }
    }
    Err(ApiError::conflict(
        "contended",
        "the incident changed concurrently; retry",
    ))
}

async fn try_append(state: &AppState, caller: &Caller, event: &IncidentEvent) -> ApiResult<Outcome> {
    let _guard = state.store.write_guard().await;
    let mut tx = state.store.begin_write().await?;
    let incident_id = event.incident_id.to_string();
    let lock = match state.store.backend {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let existing: Option<(String, String)> = sqlx::query_as(&format!(
        "SELECT polda, snapshot FROM incidents WHERE id = $1{lock}"
    ))
    .bind(&incident_id)
    .fetch_optional(&mut *tx)
    .await?;
    let is_new = existing.is_none();
    let incident = match existing {
        None => IncidentState::receive(event)
            .map_err(|err| refusal(&err))?
            .into_incident(),
        Some((polda, snapshot)) => {
            caller.check_scope(&polda, "incident")?;
            let mut current = IncidentState::resume(incident_of(&snapshot)?, []);
            current.apply(event).map_err(|err| refusal(&err))?;
            current.into_incident()
        }
    };
    let Some(polda) = incident.polda else {
        return Err(ApiError::unprocessable(
            "unknown_polda",
            "the incident's Polda is unknown: name the Polda or give a location inside one",
        ));
    };
    if is_new {
        caller.check_scope(polda.code(), "Polda")?;
    }
    let (seq,): (i64,) = sqlx::query_as(
        "INSERT INTO polda_seq (polda, seq) VALUES ($1, 1) ON CONFLICT (polda) DO UPDATE SET seq = polda_seq.seq + 1 RETURNING seq",
    )
    .bind(polda.code())
    .fetch_one(&mut *tx)
    .await?;
    let recorded_ms = now_ms();
    let body = serde_json::to_string(event).map_err(|err| ApiError::internal(&err))?;
    let inserted = sqlx::query(
        "INSERT INTO events (event_id, incident_id, polda, seq, kind, body, actor, recorded_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(event.id.to_string())
    .bind(&incident_id)
    .bind(polda.code())
    .bind(seq)
    .bind(event.change.action().to_string())
    .bind(body)
    .bind(&caller.name)
    .bind(recorded_ms)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(Outcome::Raced);
    }
    let snapshot = serde_json::to_string(&incident).map_err(|err| ApiError::internal(&err))?;
    let point = incident.location.point;
    let category = incident.category.map(|c| c.code()).unwrap_or("");
    // sqlx's `Any` binds a NULL double as float4, which poisons PostgreSQL's cached statement for the
    // next real float8; so a missing point is written as a literal NULL in its own statement.
    let point = point.map(|p| (p.lat(), p.lon()));
    let written = if is_new {
        let (lat, lon) = point_placeholders(point, 10);
        let sql = format!(
            "INSERT INTO incidents (id, polda, status, category, created_ms, updated_ms, version, snapshot, caller_number, lat, lon) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, {lat}, {lon}) ON CONFLICT (id) DO NOTHING"
        );
        let query = sqlx::query(&sql)
            .bind(&incident_id)
            .bind(polda.code())
            .bind(incident.status.code())
            .bind(category)
            .bind(ms(incident.received_at))
            .bind(ms(incident.updated_at))
            .bind(incident.version as i64)
            .bind(&snapshot)
            .bind(incident.caller_number.as_ref().map(|n| n.as_str().to_owned()));
        bind_point(query, point).execute(&mut *tx).await?
    } else {
        let (lat, lon) = point_placeholders(point, 8);
        let sql = format!(
            "UPDATE incidents SET polda = $2, status = $3, category = $4, updated_ms = $5, version = $6, snapshot = $7, \
             lat = {lat}, lon = {lon} WHERE id = $1"
        );
        let query = sqlx::query(&sql)
            .bind(&incident_id)
            .bind(polda.code())
            .bind(incident.status.code())
            .bind(category)
            .bind(ms(incident.updated_at))
            .bind(incident.version as i64)
            .bind(&snapshot);
        bind_point(query, point).execute(&mut *tx).await?
    };
    if written.rows_affected() == 0 {
        return Ok(Outcome::Raced);
    }
    let envelope = committed_envelope(polda, seq, event.clone());
    if state.outbox {
        let payload = serde_json::to_string(&crate::nats::OutboxPayload {
            event: envelope.clone(),
            incident: incident.clone(),
        })
        .map_err(|err| ApiError::internal(&err))?;
        sqlx::query("INSERT INTO outbox (event_id, subject, payload) VALUES ($1, $2, $3)")
            .bind(event.id.to_string())
            .bind(crate::nats::subject(polda, &incident_id))
            .bind(payload)
            .execute(&mut *tx)
            .await?;
    }
    let action = event.change.action().to_string();
    crate::audit::record_in(
        &mut tx,
        &crate::audit::Audit::by(
            caller,
            Some(polda.code()),
            "incident_event",
            &incident_id,
            &action,
        ),
        recorded_ms,
    )
    .await?;
    // Commit and hand to the live hub under one lock: a Polda's next sequence is only handed out after
    // this commit, so its notification cannot overtake this one.
    let order = state.publish_order.lock().await;
    tx.commit().await?;
    if !state.outbox {
        state
            .hub
            .publish(Committed::new(envelope.clone(), incident.clone()));
    }
    drop(order);
    Ok(Outcome::Done(Box::new(AppendResult {
        event: envelope,
        duplicate: false,
        incident,
    })))
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// The SQL for latitude and longitude: the next two placeholders, or literal NULLs. (sqlx's `Any` binds
/// a NULL double as float4, which poisons PostgreSQL's cached statement for the next real float8.)
fn point_placeholders(point: Option<(f64, f64)>, first: usize) -> (String, String) {
    match point {
        Some(_) => (format!("${first}"), format!("${}", first + 1)),
        None => (
            "CAST(NULL AS DOUBLE PRECISION)".to_owned(),
            "CAST(NULL AS DOUBLE PRECISION)".to_owned(),
        ),
    }
}

/// Binds the point's latitude and longitude last, when there is one.
fn bind_point(query: AnyQuery<'_>, point: Option<(f64, f64)>) -> AnyQuery<'_> {
    match point {
        Some((lat, lon)) => query.bind(lat).bind(lon),
        None => query,
    }
}
