//! Which open incidents a new one may duplicate, for "close as duplicate" in the incident detail: the same
//! Polda, received within [`WINDOW_SECS`] of it, and near it — within [`NEAR_M`] when both have a point,
//! otherwise in the same district (or regency when no district is known). Nearest first, then closest in
//! time. The operator chooses; nothing is closed automatically.

use crate::incident::{Incident, IncidentId};
use crate::status::IncidentStatus;

/// How far apart in time two reports of one event may be received, in seconds (6 hours).
pub const WINDOW_SECS: i64 = 6 * 3600;

/// How far apart two reports of one event may be placed, in metres.
pub const NEAR_M: f64 = 2_000.0;

/// A possible original of the incident: its id, how far it is (metres, when both have a point) and how
/// far apart in time the two were received (seconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub id: IncidentId,
    pub distance_m: Option<f64>,
    pub apart_secs: i64,
}

/// How near `other` is to `target`: `Some(distance or None)` when near, `None` when not.
fn nearness(target: &Incident, other: &Incident) -> Option<Option<f64>> {
    let (a, b) = (&target.location, &other.location);
    if let (Some(p), Some(q)) = (a.point, b.point) {
        let distance = p.distance_m(q);
        return (distance <= NEAR_M).then_some(Some(distance));
    }
    let same_district = a.district.is_some() && a.district == b.district;
    let same_regency =
        (a.district.is_none() || b.district.is_none()) && a.regency.is_some() && a.regency == b.regency;
    (same_district || same_regency).then_some(None)
}

/// The open incidents among `others` that `target` may duplicate, best first, at most `limit`.
pub fn candidates<'a>(
    target: &Incident,
    others: impl IntoIterator<Item = &'a Incident>,
    limit: usize,
) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = others
        .into_iter()
        .filter(|other| {
            other.id != target.id && other.status != IncidentStatus::Closed && other.polda == target.polda
        })
        .filter_map(|other| {
            let apart_secs = (other.received_at - target.received_at).whole_seconds().abs();
            if apart_secs > WINDOW_SECS {
                return None;
            }
            let distance_m = nearness(target, other)?;
            Some(Candidate {
                id: other.id,
                distance_m,
                apart_secs,
            })
        })
        .collect();
    found.sort_by(|a, b| {
        let far = |c: &Candidate| c.distance_m.unwrap_or(NEAR_M);
        far(a).total_cmp(&far(b)).then(a.apart_secs.cmp(&b.apart_secs))
    });
    found.truncate(limit);
    found
}
