//! The checker: reads the central's whole feed and every incident snapshot, then each desk's store, and
//! proves that every desk equals the central (confirmed snapshots equal, view equal to confirmed, the same
//! set of incidents), that no action a desk accepted is lost (each is in the central's feed, or refused
//! with a reason), and that nothing is applied twice (each event id once in the feed, versions and notes
//! counting each event once). A refusal is a verdict, counted apart, never as lost.

use crate::desk::Accepted;
use crate::inspect::{self, OutboxState};
use crate::FaultError;
use siaga_api::sync::EventEnvelope;
use siaga_api::IncidentPage;
use siaga_domain::flow::replay;
use siaga_domain::{EventId, Incident, IncidentChange, IncidentEvent, IncidentId, PoldaId};
use siaga_store::Store;
use siaga_sync::CentralClient;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

/// Everything the central holds for Polda Metro Jaya.
#[derive(Debug, Clone, Default)]
pub struct CentralState {
    /// The feed, in server order.
    pub feed: Vec<EventEnvelope>,
    /// Every incident's snapshot.
    pub incidents: BTreeMap<IncidentId, Incident>,
}

/// Reads the central's feed and snapshots over its API, signed in as `user`.
pub async fn read_central(url: &str, user: &str, password: &str) -> Result<CentralState, FaultError> {
    let client = CentralClient::new(url);
    let token = client.login(user, password).await?.access_token;
    let mut state = CentralState::default();
    let mut after = 0u64;
    loop {
        let page = client.feed(PoldaId::MetroJaya, after, 500).await?;
        after = page.next_after;
        state.feed.extend(page.events);
        if !page.has_more {
            break;
        }
    }
    let http = siaga_tls::client();
    let mut offset = 0usize;
    loop {
        let page: IncidentPage = http
            .get(format!(
                "{url}/v1/incidents?polda=metro_jaya&limit=500&offset={offset}"
            ))
            .bearer_auth(&token)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| FaultError::Check(format!("listing incidents: {e}")))?
            .json()
            .await
            .map_err(|e| FaultError::Check(format!("listing incidents: {e}")))?;
        offset += page.incidents.len();
        for incident in page.incidents {
            state.incidents.insert(incident.id, incident);
        }
        if !page.has_more {
            break;
        }
    }
    Ok(state)
}

/// What one desk left behind.
#[derive(Debug, Clone)]
pub struct DeskEvidence {
    /// Its name.
    pub name: String,
    /// Its account (the actor of its events).
    pub user: String,
    /// Its store file (no process may hold it any more).
    pub store: PathBuf,
    /// The actions it printed as accepted, over all its runs.
    pub printed: Vec<Accepted>,
}

/// The verdict.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    /// Actions the desks accepted (their stores' own logs).
    pub actions: usize,
    /// Of those, printed by the runners (the rest were committed just before a kill).
    pub printed: usize,
    /// Of those, in the central's feed.
    pub in_central: usize,
    /// Of those, refused by the central with a reason.
    pub refused: usize,
    /// Events in the central's feed.
    pub feed_events: usize,
    /// Incidents at the central.
    pub incidents: usize,
    /// Accepted actions neither in the central nor refused (each described).
    pub lost: Vec<String>,
    /// Effects found more than once (each described).
    pub duplicated: Vec<String>,
    /// Differences between a desk and the central (each described).
    pub unequal: Vec<String>,
}

impl Verdict {
    /// No action lost, none applied twice, every store equal to the central.
    pub fn is_clean(&self) -> bool {
        self.lost.is_empty() && self.duplicated.is_empty() && self.unequal.is_empty()
    }

    /// The first few problems of each kind, for a failure message.
    pub fn problems(&self, limit: usize) -> String {
        let mut out = String::new();
        for (kind, list) in [
            ("lost", &self.lost),
            ("duplicated", &self.duplicated),
            ("unequal", &self.unequal),
        ] {
            for problem in list.iter().take(limit) {
                out.push_str(&format!("{kind}: {problem}\n"));
            }
            if list.len() > limit {
                out.push_str(&format!("{kind}: … {} more\n", list.len() - limit));
            }
        }
        out
    }
}

/// Checks the central against itself: a gapless feed, each event once, each snapshot the replay of its
/// incident's events, versions and notes counting each event once.
fn check_central(central: &CentralState, verdict: &mut Verdict) -> HashMap<EventId, IncidentEvent> {
    verdict.feed_events = central.feed.len();
    verdict.incidents = central.incidents.len();
    let mut by_id: HashMap<EventId, IncidentEvent> = HashMap::new();
    let mut by_incident: BTreeMap<IncidentId, Vec<&IncidentEvent>> = BTreeMap::new();
    for (index, envelope) in central.feed.iter().enumerate() {
        let expected = index as u64 + 1;
        if envelope.server_seq != Some(expected) {
            verdict.lost.push(format!(
                "the central's feed has {:?} where sequence {expected} belongs",
                envelope.server_seq
            ));
        }
        if by_id.insert(envelope.event_id, envelope.event.clone()).is_some() {
            verdict.duplicated.push(format!(
                "event {} is in the central's feed more than once",
                envelope.event_id.0
            ));
        }
        by_incident
            .entry(envelope.incident_id)
            .or_default()
            .push(&envelope.event);
    }
    for (id, events) in &by_incident {
        let Some(snapshot) = central.incidents.get(id) else {
            verdict
                .unequal
                .push(format!("incident {} has events but no snapshot", id.0));
            continue;
        };
        match replay(events.iter().copied()) {
            Ok(state) if state.incident() == snapshot => {}
            Ok(_) => verdict.unequal.push(format!(
                "the central's snapshot of {} is not the replay of its feed",
                id.0
            )),
            Err(err) => verdict
                .unequal
                .push(format!("the central's feed of {} does not replay: {err}", id.0)),
        }
        if snapshot.version != events.len() as u64 {
            verdict.duplicated.push(format!(
                "incident {} has version {} after {} events",
                id.0,
                snapshot.version,
                events.len()
            ));
        }
        let notes = events
            .iter()
            .filter(|e| matches!(e.change, IncidentChange::NoteAdded { .. }))
            .count();
        let distinct: BTreeSet<EventId> = snapshot.notes.iter().map(|n| n.event_id).collect();
        if snapshot.notes.len() != notes || distinct.len() != notes {
            verdict.duplicated.push(format!(
                "incident {} shows {} notes ({} distinct) for {notes} note events",
                id.0,
                snapshot.notes.len(),
                distinct.len()
            ));
        }
    }
    for id in central.incidents.keys() {
        if !by_incident.contains_key(id) {
            verdict
                .unequal
                .push(format!("incident {} has a snapshot but no events", id.0));
        }
    }
    by_id
}

/// Checks one desk against the central.
async fn check_desk(
    central: &CentralState,
    in_feed: &HashMap<EventId, IncidentEvent>,
    desk: &DeskEvidence,
    verdict: &mut Verdict,
) -> Result<(), FaultError> {
    let name = &desk.name;
    let own = inspect::own_events(&desk.store).await?;
    for (id, count) in inspect::event_ids(&desk.store).await? {
        if count != 1 {
            verdict
                .duplicated
                .push(format!("{name} holds event {} {count} times", id.0));
        }
    }
    let store = Store::open(&desk.store).await?;
    let rejections: HashMap<EventId, siaga_store::Rejection> = store
        .rejections(false)
        .await?
        .into_iter()
        .map(|r| (r.event_id, r))
        .collect();

    // Every action the desk accepted is in the central's feed, or refused with a reason.
    verdict.actions += own.len();
    let own_ids: BTreeSet<String> = own.iter().map(|e| e.id().0.to_string()).collect();
    for event in &own {
        let id = event.id();
        match (event.state, in_feed.get(&id)) {
            (OutboxState::Acked, Some(central_copy)) if *central_copy == event.event => {
                verdict.in_central += 1;
            }
            (OutboxState::Acked, Some(_)) => verdict
                .unequal
                .push(format!("{name}: event {} differs from the central's copy", id.0)),
            (OutboxState::Acked, None) => verdict.lost.push(format!(
                "{name}: event {} was acknowledged but is not in the central's feed",
                id.0
            )),
            (OutboxState::Rejected, None) => match rejections.get(&id) {
                Some(r) if !r.code.is_empty() && !r.reason_id.is_empty() && !r.reason_en.is_empty() => {
                    verdict.refused += 1;
                }
                _ => verdict.lost.push(format!(
                    "{name}: event {} was refused without a recorded reason",
                    id.0
                )),
            },
            (OutboxState::Rejected, Some(_)) => verdict.duplicated.push(format!(
                "{name}: event {} is both refused at the desk and in the central's feed",
                id.0
            )),
            (OutboxState::Pending, _) => verdict.lost.push(format!(
                "{name}: event {} is still pending after the final sync",
                id.0
            )),
        }
        if event.state == OutboxState::Acked && !event.in_confirmed {
            verdict.unequal.push(format!(
                "{name}: acknowledged event {} never came back through the feed",
                id.0
            ));
        }
    }
    // Every line the runner printed is in its store (a commit survives SIGKILL).
    verdict.printed += desk.printed.len();
    for printed in &desk.printed {
        if !own_ids.contains(&printed.event) {
            verdict.lost.push(format!(
                "{name}: printed action {} ({}) is not in its store",
                printed.event, printed.action
            ));
        }
    }
    // Nothing at the central in this desk's name that the desk did not make.
    for envelope in &central.feed {
        if envelope.event.actor.id == desk.user && !own_ids.contains(&envelope.event_id.0.to_string()) {
            verdict.duplicated.push(format!(
                "{name}: the central holds event {} in its name that its store does not",
                envelope.event_id.0
            ));
        }
    }

    // The store equals the central.
    let summary = store.summary().await?;
    if summary.incidents != central.incidents.len() as i64 {
        verdict.unequal.push(format!(
            "{name} holds {} incidents, the central {}",
            summary.incidents,
            central.incidents.len()
        ));
    }
    for (id, snapshot) in &central.incidents {
        let confirmed = store.confirmed_incident(*id).await?;
        let view = store.incident(*id).await?;
        if confirmed.as_ref() != Some(snapshot) {
            verdict.unequal.push(format!(
                "{name}: confirmed {} differs from the central's (version {:?} vs {})",
                id.0,
                confirmed.as_ref().map(|c| c.version),
                snapshot.version
            ));
        }
        if view != confirmed {
            verdict.unequal.push(format!(
                "{name}: the view of {} differs from its confirmed snapshot",
                id.0
            ));
        }
    }
    store.close().await;
    Ok(())
}

/// The whole verdict over the central and every desk.
pub async fn verify(central: &CentralState, desks: &[DeskEvidence]) -> Result<Verdict, FaultError> {
    let mut verdict = Verdict::default();
    let in_feed = check_central(central, &mut verdict);
    for desk in desks {
        check_desk(central, &in_feed, desk, &mut verdict).await?;
    }
    Ok(verdict)
}

/// The central's count of appends answered with the stored result (a retry of an event it already had):
/// each is a reply that was lost after its commit. Counters restart with the process.
pub async fn duplicate_appends(url: &str) -> Option<u64> {
    let text = siaga_tls::client()
        .get(format!("{url}/metrics"))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix("siaga_events_duplicate_total "))
        .and_then(|n| n.trim().parse().ok())
}
