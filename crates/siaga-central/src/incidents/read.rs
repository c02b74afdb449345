//! The reading routes: one event, one incident (Siaga JSON or NENA EIDO by `Accept`), an incident's
//! log, the filtered incident list, the change feed per Polda and the snapshot pages of an initial sync;
//! every answer scoped to the caller's Polda and shaped for what their role may see.

use super::*;

/// `GET /v1/events/{event_id}`.
pub async fn get_event(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(event_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let row: Option<EventRow> =
        sqlx::query_as("SELECT polda, seq, recorded_ms, body FROM events WHERE event_id = $1")
            .bind(&event_id)
            .fetch_optional(&state.store.pool)
            .await?;
    let row = row.ok_or_else(|| ApiError::not_found("event"))?;
    caller.check_scope(&row.0, "event")?;
    Ok(Json(shape_for(&caller, &feed_event(row)?)))
}

/// The media type of an incident as NENA EIDO JSON (decision 0007).
pub const EIDO_JSON: &str = "application/eido+json";

/// How the caller asked to get an incident (the `Accept` header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IncidentForm {
    Json,
    Eido,
}

impl IncidentForm {
    /// The form `accept` asks for: EIDO when it names `application/eido+json` (with a non-zero `q`),
    /// JSON when it is absent or accepts JSON (`application/json`, `application/*`, `*/*`); `None` when
    /// it accepts neither.
    fn from_accept(accept: Option<&str>) -> Option<IncidentForm> {
        let Some(accept) = accept.map(str::trim).filter(|a| !a.is_empty()) else {
            return Some(IncidentForm::Json);
        };
        let ranges: Vec<String> = accept
            .split(',')
            .filter(|range| {
                // A range refused with q=0 does not count.
                !range.split(';').skip(1).any(|param| {
                    let param = param.trim().to_ascii_lowercase();
                    param
                        .strip_prefix("q=")
                        .is_some_and(|q| q.parse::<f32>().is_ok_and(|q| q == 0.0))
                })
            })
            .map(|range| range.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
            .collect();
        if ranges.iter().any(|r| r == EIDO_JSON) {
            Some(IncidentForm::Eido)
        } else if ranges
            .iter()
            .any(|r| matches!(r.as_str(), "application/json" | "application/*" | "*/*"))
        {
            Some(IncidentForm::Json)
        } else {
            None
        }
    }
}

/// `GET /v1/incidents/{incident_id}`: as Siaga's JSON, or as NENA EIDO JSON for `Accept:
/// application/eido+json` (what a neighbouring PSAP or a CAD reads). Callers who may not see personal
/// data get the EIDO form of the incident without it.
pub async fn get_incident(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(incident_id): Path<String>,
    headers: axum::http::HeaderMap,
) -> ApiResult<axum::response::Response> {
    let accept = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    let form = IncidentForm::from_accept(accept).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_ACCEPTABLE,
            "not_acceptable",
            format!("an incident is served as application/json or {EIDO_JSON}"),
        )
    })?;
    let row: Option<(String, String)> = sqlx::query_as("SELECT polda, snapshot FROM incidents WHERE id = $1")
        .bind(&incident_id)
        .fetch_optional(&state.store.pool)
        .await?;
    let (polda, snapshot) = row.ok_or_else(|| ApiError::not_found("incident"))?;
    caller.check_scope(&polda, "incident")?;
    let incident = incident_of(&snapshot)?;
    Ok(match form {
        IncidentForm::Json => Json(shape_for(&caller, &incident)).into_response(),
        IncidentForm::Eido => {
            let incident = if caller.role.sees_personal_data() {
                incident
            } else {
                siaga_domain::personal::without_personal_data(&incident)
            };
            (
                [(axum::http::header::CONTENT_TYPE, EIDO_JSON)],
                siaga_api::eido::to_eido_json(&incident),
            )
                .into_response()
        }
    })
}

#[cfg(test)]
mod accept_tests {
    use super::IncidentForm::{self, Eido, Json};

    #[test]
    fn the_accept_header_chooses_eido_or_json() {
        let form = IncidentForm::from_accept;
        assert_eq!(form(None), Some(Json));
        assert_eq!(form(Some("")), Some(Json));
        assert_eq!(form(Some("application/json")), Some(Json));
        assert_eq!(form(Some("*/*")), Some(Json));
        assert_eq!(form(Some("application/eido+json")), Some(Eido));
        assert_eq!(
            form(Some("application/json;q=0.5, application/EIDO+json")),
            Some(Eido)
        );
        assert_eq!(
            form(Some("application/eido+json;q=0, application/json")),
            Some(Json)
        );
        assert_eq!(form(Some("application/xml")), None);
        assert_eq!(form(Some("text/html, application/xml;q=0.9")), None);
    }
}

/// `GET /v1/incidents/{incident_id}/events`: the incident's log in server order.
pub async fn incident_events(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(incident_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT polda FROM incidents WHERE id = $1")
        .bind(&incident_id)
        .fetch_optional(&state.store.pool)
        .await?;
    let (polda,) = row.ok_or_else(|| ApiError::not_found("incident"))?;
    caller.check_scope(&polda, "incident")?;
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT polda, seq, recorded_ms, body FROM events WHERE incident_id = $1 ORDER BY recorded_ms, seq",
    )
    .bind(&incident_id)
    .fetch_all(&state.store.pool)
    .await?;
    let events = rows.into_iter().map(feed_event).collect::<Result<Vec<_>, _>>()?;
    Ok(Json(shape_for(&caller, &events)))
}

/// Filters of `GET /v1/incidents`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IncidentQuery {
    /// Comma-separated statuses, e.g. `received,classified`.
    pub status: Option<String>,
    /// Comma-separated categories.
    pub category: Option<String>,
    /// Received at or after (Unix ms).
    pub since_ms: Option<i64>,
    /// Received before (Unix ms).
    pub until_ms: Option<i64>,
    /// `minLon,minLat,maxLon,maxLat`.
    pub bbox: Option<String>,
    /// A Polda code (a national caller may pick any; a Polda caller only its own).
    pub polda: Option<String>,
    /// Page size (default 100, at most the server's page limit).
    pub limit: Option<i64>,
    /// Rows to skip.
    pub offset: Option<i64>,
}

/// A bind argument of a dynamic query.
enum Arg {
    Text(String),
    Int(i64),
    Float(f64),
}

fn codes<T: DeserializeOwned>(list: &str, what: &'static str) -> Result<Vec<String>, ApiError> {
    list.split(',')
        .filter(|code| !code.is_empty())
        .map(|code| {
            serde_json::from_value::<T>(Value::String(code.to_owned()))
                .map(|_| code.to_owned())
                .map_err(|_| ApiError::bad_request("bad_query", format!("unknown {what} {code:?}")))
        })
        .collect()
}

/// Resolves the Polda a query is about: the caller's own, or the one asked for within scope.
fn query_polda(caller: &Caller, asked: Option<&str>) -> Result<Option<String>, ApiError> {
    match (asked, &caller.polda) {
        (Some(asked), _) => {
            asked
                .parse::<PoldaId>()
                .map_err(|_| ApiError::bad_request("bad_query", format!("unknown Polda {asked:?}")))?;
            if !caller.sees(asked) {
                return Err(ApiError::forbidden("a Polda account reads its own Polda only"));
            }
            Ok(Some(asked.to_owned()))
        }
        (None, own) => Ok(own.clone()),
    }
}

/// `GET /v1/incidents`.
pub async fn list_incidents(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    QueryParams(query): QueryParams<IncidentQuery>,
) -> ApiResult<Json<Value>> {
    let mut conditions = Vec::new();
    let mut args = Vec::new();
    let push = |condition: &str, arg: Arg, args: &mut Vec<Arg>, conditions: &mut Vec<String>| {
        args.push(arg);
        conditions.push(condition.replace('?', &format!("${}", args.len())));
    };
    if let Some(polda) = query_polda(&caller, query.polda.as_deref())? {
        push("polda = ?", Arg::Text(polda), &mut args, &mut conditions);
    }
    for (list, column, what) in [
        (query.status.as_deref(), "status", "status"),
        (query.category.as_deref(), "category", "category"),
    ] {
        let Some(list) = list else { continue };
        let wanted = if column == "status" {
            codes::<IncidentStatus>(list, what)?
        } else {
            codes::<Category>(list, what)?
        };
        if wanted.is_empty() {
            continue;
        }
        let mut placeholders = Vec::new();
        for code in wanted {
            args.push(Arg::Text(code));
            placeholders.push(format!("${}", args.len()));
        }
        conditions.push(format!("{column} IN ({})", placeholders.join(", ")));
    }
    if let Some(since) = query.since_ms {
        push("created_ms >= ?", Arg::Int(since), &mut args, &mut conditions);
    }
    if let Some(until) = query.until_ms {
        push("created_ms < ?", Arg::Int(until), &mut args, &mut conditions);
    }
    if let Some(bbox) = &query.bbox {
        // Every part a finite number in range: a junk, NaN or infinite part refuses the whole bbox.
        let parts: Option<Vec<f64>> = bbox
            .split(',')
            .map(|n| n.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
            .collect();
        let Some([min_lon, min_lat, max_lon, max_lat]) =
            parts.as_deref().and_then(|p| <[f64; 4]>::try_from(p).ok())
        else {
            return Err(ApiError::bad_request(
                "bad_query",
                "bbox is minLon,minLat,maxLon,maxLat: four finite numbers",
            ));
        };
        if ![min_lon, max_lon].iter().all(|v| (-180.0..=180.0).contains(v))
            || ![min_lat, max_lat].iter().all(|v| (-90.0..=90.0).contains(v))
        {
            return Err(ApiError::bad_request(
                "bad_query",
                "bbox longitudes are -180..180 and latitudes -90..90",
            ));
        }
        if min_lon > max_lon || min_lat > max_lat {
            return Err(ApiError::bad_request(
                "bad_query",
                "bbox minimums exceed maximums",
            ));
        }
        push("lon >= ?", Arg::Float(min_lon), &mut args, &mut conditions);
        push("lat >= ?", Arg::Float(min_lat), &mut args, &mut conditions);
        push("lon <= ?", Arg::Float(max_lon), &mut args, &mut conditions);
        push("lat <= ?", Arg::Float(max_lat), &mut args, &mut conditions);
    }
    let limit = query.limit.unwrap_or(100).clamp(1, state.limits.max_page);
    let offset = query.offset.unwrap_or(0).max(0);
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let sql = format!(
        "SELECT snapshot FROM incidents {filter} ORDER BY updated_ms DESC, id LIMIT {} OFFSET {offset}",
        limit + 1
    );
    let mut select = sqlx::query_as::<_, (String,)>(&sql);
    for arg in args {
        select = match arg {
            Arg::Text(text) => select.bind(text),
            Arg::Int(int) => select.bind(int),
            Arg::Float(float) => select.bind(float),
        };
    }
    let rows = select.fetch_all(&state.store.pool).await?;
    let has_more = rows.len() as i64 > limit;
    let incidents = rows
        .iter()
        .take(limit as usize)
        .map(|(snapshot,)| incident_of(snapshot))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(shape_for(&caller, &IncidentPage { incidents, has_more })))
}

/// Parameters of `GET /v1/feed`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FeedQuery {
    /// The Polda; defaults to the caller's (a national caller must name one).
    pub polda: Option<String>,
    /// Return events with a sequence above this (0 for the start).
    pub after: Option<i64>,
    /// Page size.
    pub limit: Option<i64>,
}

/// `GET /v1/feed`: one Polda's events in server order after a cursor.
pub async fn feed(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    QueryParams(query): QueryParams<FeedQuery>,
) -> ApiResult<Json<Value>> {
    let Some(polda_code) = query_polda(&caller, query.polda.as_deref())? else {
        return Err(ApiError::bad_request(
            "polda_required",
            "a national account names the Polda of the feed",
        ));
    };
    let polda: PoldaId = polda_code
        .parse()
        .map_err(|_| ApiError::bad_request("bad_query", "unknown Polda"))?;
    let after = query.after.unwrap_or(0).max(0);
    let limit = query.limit.unwrap_or(100).clamp(1, state.limits.max_page);
    if let Some(retention) = state.limits.feed_retention {
        let high_water = high_water(&state, &polda_code).await?;
        let oldest_kept = (high_water - retention.max(0)).max(0);
        if after < oldest_kept {
            return Err(ApiError::new(
                StatusCode::GONE,
                "cursor_expired",
                format!("the feed keeps sequences after {oldest_kept} only; resync by GET /v1/sync/snapshot"),
            ));
        }
    }
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT polda, seq, recorded_ms, body FROM events WHERE polda = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(&polda_code)
    .bind(after)
    .bind(limit + 1)
    .fetch_all(&state.store.pool)
    .await?;
    let has_more = rows.len() as i64 > limit;
    let events = rows
        .into_iter()
        .take(limit as usize)
        .map(feed_event)
        .collect::<Result<Vec<_>, _>>()?;
    let next_after = events
        .last()
        .and_then(|event| event.server_seq)
        .unwrap_or(after as u64);
    Ok(Json(shape_for(
        &caller,
        &FeedPage {
            polda,
            events,
            next_after,
            has_more,
        },
    )))
}

/// The last committed sequence of a Polda's feed (0 before its first event).
async fn high_water(state: &AppState, polda: &str) -> ApiResult<i64> {
    let seq: Option<(i64,)> = sqlx::query_as("SELECT seq FROM polda_seq WHERE polda = $1")
        .bind(polda)
        .fetch_optional(&state.store.pool)
        .await?;
    Ok(seq.map_or(0, |(seq,)| seq))
}

/// Parameters of `GET /v1/sync/snapshot`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SnapshotQuery {
    /// The Polda; defaults to the caller's (a national caller must name one).
    pub polda: Option<String>,
    /// Return incidents whose id sorts after this one (absent for the first page).
    pub after: Option<String>,
    /// Page size (default 1,000, at most the server's snapshot page limit).
    pub limit: Option<i64>,
}

/// `GET /v1/sync/snapshot`: one page of a Polda's current incident snapshots in id order, each with the
/// highest sequence of the Polda's feed it contains, and the Polda's high-water sequence read before the
/// page (so every incident here contains every event up to it). Shaped for the caller like every
/// incident read (analysts get personal data masked); for the others the stored snapshots are sent as
/// they are, without decoding and encoding them again.
pub async fn snapshot(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    QueryParams(query): QueryParams<SnapshotQuery>,
) -> ApiResult<axum::response::Response> {
    let Some(polda_code) = query_polda(&caller, query.polda.as_deref())? else {
        return Err(ApiError::bad_request(
            "polda_required",
            "a national account names the Polda of the snapshot",
        ));
    };
    let polda: PoldaId = polda_code
        .parse()
        .map_err(|_| ApiError::bad_request("bad_query", "unknown Polda"))?;
    let after = match query.after.as_deref() {
        None | Some("") => String::new(),
        Some(text) => text
            .parse::<uuid::Uuid>()
            .map_err(|_| ApiError::bad_request("bad_query", "after is an incident id"))?
            .to_string(),
    };
    let limit = query
        .limit
        .unwrap_or(1000)
        .clamp(1, state.limits.max_snapshot_page);
    // The high-water mark first: every event up to it is committed, so every row read after it has it.
    let high_water = high_water(&state, &polda_code).await?;
    // One statement: each row and its feed sequence come from the same read.
    let rows: Vec<(String, String, Option<i64>)> = sqlx::query_as(
        "SELECT i.id, i.snapshot, (SELECT MAX(e.seq) FROM events e WHERE e.incident_id = i.id AND e.polda = $1) \
         FROM incidents i WHERE i.polda = $1 AND i.id > $2 ORDER BY i.id LIMIT $3",
    )
    .bind(&polda_code)
    .bind(&after)
    .bind(limit + 1)
    .fetch_all(&state.store.pool)
    .await?;
    let has_more = rows.len() as i64 > limit;
    let rows = &rows[..rows.len().min(limit as usize)];
    let next_after = rows.last().map(|(id, _, _)| id.as_str());
    let polda_json = serde_json::to_string(&polda).map_err(|err| ApiError::internal(&err))?;
    let sees = caller.role.sees_personal_data();
    let capacity = rows.iter().map(|(_, s, _)| s.len() + 40).sum::<usize>() + 200;
    let mut body = String::with_capacity(capacity);
    body.push_str("{\"polda\":");
    body.push_str(&polda_json);
    body.push_str(",\"highWater\":");
    body.push_str(&high_water.max(0).to_string());
    body.push_str(",\"incidents\":[");
    for (index, (_, snapshot, feed_seq)) in rows.iter().enumerate() {
        if index > 0 {
            body.push(',');
        }
        body.push('{');
        if let Some(seq) = feed_seq {
            body.push_str("\"feedSeq\":");
            body.push_str(&seq.to_string());
            body.push(',');
        }
        body.push_str("\"incident\":");
        if sees {
            // Stored by this server from a serialised `Incident`: valid JSON of the wire type.
            body.push_str(snapshot);
        } else {
            let mut value: Value = serde_json::from_str(snapshot).map_err(|err| ApiError::internal(&err))?;
            mask_personal(&mut value);
            body.push_str(&value.to_string());
        }
        body.push('}');
    }
    body.push(']');
    if let Some(next) = next_after {
        body.push_str(",\"nextAfter\":");
        body.push_str(&Value::String(next.to_owned()).to_string());
    }
    body.push_str(",\"hasMore\":");
    body.push_str(if has_more { "true" } else { "false" });
    body.push('}');
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response())
}
