//! The sync engine (docs/decisions/0005-sync-protocol.md): pushes this desk's outbox in order, pulls its
//! Polda's feed (every Polda's, one after the other, for a national desk) until caught up (checking for
//! gaps), then follows the live WebSocket, falling back to backoff and retry whenever the link fails.
//!
//! The pull is the truth; a live notification is only a hint to pull. A refused event is recorded with
//! the central's reason (in Indonesian and English) and never silently dropped.
//!
//! Snapshots: an empty desk (cursor 0) facing more than one page of feed, and any desk whose cursor the
//! central no longer keeps (`410 cursor_expired`), takes the Polda's current incidents by snapshot pages
//! instead (fetching the next page while the store writes the current one), then continues the feed
//! from the high-water mark of the first page. What each commit changed is announced by the store itself
//! (`Store::changes`), for local and remote writes alike.

use crate::backoff::Backoff;
use crate::client::{decode_snapshot, CentralClient, ClientError, SnapshotChunk};
use futures_util::{SinkExt as _, StreamExt as _};
use siaga_api::sync::{check_continuity, EventEnvelope, FeedContinuity};
use siaga_api::{LiveClientFrame, LiveFilter, LiveServerFrame};
use siaga_domain::clock::now_ms;
use siaga_domain::{IncidentId, IncidentState, Language, PoldaId};
use siaga_store::{RemoteEvent, Store, StoreError};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch, Notify};
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::Message;

/// How the desk's link to the central stands, for the status bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Link {
    /// No contact: actions are kept locally.
    #[default]
    Offline,
    /// Exchanging the outbox and the feed.
    Syncing,
    /// Caught up and following the live stream.
    Online,
}

/// What the status bar shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncStatus {
    pub link: Link,
    /// This desk's actions not yet acknowledged by the central.
    pub pending: i64,
    /// Refusals not yet seen by an operator.
    pub unseen_rejections: i64,
    /// When the central last answered (ms since the epoch).
    pub last_contact_ms: Option<i64>,
    /// Why the link is down, if it is.
    pub last_error: Option<String>,
}

/// A sync round that stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The central could not be reached or failed; the round is retried later.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The local store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The live stream failed.
    #[error("live stream: {0}")]
    Live(String),
}

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoundReport {
    /// Events the central accepted.
    pub pushed: usize,
    /// Events the central refused.
    pub refused: usize,
    /// Feed events folded in.
    pub pulled: usize,
    /// Incidents refreshed from a snapshot after their events did not fold.
    pub resynced: usize,
    /// Incidents taken from snapshot pages (initial sync or full resync).
    pub snapshot: usize,
    /// Evidence pictures the central took.
    pub evidence_uploaded: usize,
    /// Evidence pictures the central refused this round (kept, offered again later).
    pub evidence_refused: usize,
}

/// Evidence pictures uploaded at most per round (each up to 2 MiB).
const EVIDENCE_PER_ROUND: u32 = 8;

/// Tuning of the engine.
#[derive(Debug, Clone)]
pub struct SyncConfig {
    /// The Poldas whose feeds this desk follows: its own, or every Polda for a national account.
    pub poldas: Vec<PoldaId>,
    /// Feed page size.
    pub page_size: u32,
    /// Snapshot page size (incidents per page and per store transaction).
    pub snapshot_page_size: u32,
    /// Whether an empty desk (cursor 0) facing more than one page of feed takes snapshot pages instead
    /// of folding the whole feed (faster; the events before the snapshot stay at the central). A cursor
    /// the central no longer keeps is resynced by snapshots either way.
    pub initial_snapshot: bool,
    /// First retry delay ceiling after a failure.
    pub retry_base: Duration,
    /// Largest retry delay ceiling.
    pub retry_max: Duration,
    /// A safety pull this often even when the live stream is quiet.
    pub idle_pull: Duration,
}

impl SyncConfig {
    /// Defaults for a desk following `poldas` (one for a Polda's desk, all for a national one).
    pub fn new(poldas: Vec<PoldaId>) -> SyncConfig {
        SyncConfig {
            poldas,
            page_size: 500,
            snapshot_page_size: 5_000,
            initial_snapshot: true,
            retry_base: Duration::from_millis(250),
            retry_max: Duration::from_secs(20),
            idle_pull: Duration::from_secs(15),
        }
    }
}

/// The engine; cheap to clone (all clones drive the same state).
#[derive(Debug, Clone)]
pub struct SyncEngine {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Store,
    client: CentralClient,
    config: SyncConfig,
    status: watch::Sender<SyncStatus>,
    kick: Notify,
    /// One round at a time (a kick during a round runs another after it).
    round: tokio::sync::Mutex<()>,
}

impl SyncEngine {
    /// An engine syncing `store` with the central behind `client`.
    pub fn new(store: Store, client: CentralClient, config: SyncConfig) -> SyncEngine {
        let (status, _) = watch::channel(SyncStatus::default());
        SyncEngine {
            inner: Arc::new(Inner {
                store,
                client,
                config,
                status,
                kick: Notify::new(),
                round: Default::default(),
            }),
        }
    }

    /// Follows the status.
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.inner.status.subscribe()
    }

    /// Asks for a push now (call after recording a local action).
    pub fn kick(&self) {
        self.inner.kick.notify_one();
    }

    /// The store it syncs.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// One round: push the outbox in order, then pull every followed feed until caught up.
    pub async fn sync_once(&self) -> Result<RoundReport, SyncError> {
        self.round(None).await
    }

    /// A round that pulls only `polda`'s feed (a live notification names the Polda it came from: a national
    /// desk need not ask all of them again), or every followed feed.
    async fn round(&self, only: Option<PoldaId>) -> Result<RoundReport, SyncError> {
        let _round = self.inner.round.lock().await;
        self.set_link(Link::Syncing, None).await;
        let mut report = RoundReport::default();
        let result = async {
            self.push_outbox(&mut report).await?;
            self.push_evidence(&mut report).await?;
            self.pull_feed(&mut report, only).await?;
            Ok::<_, SyncError>(())
        }
        .await;
        match result {
            Ok(()) => {
                self.set_link(Link::Online, None).await;
                Ok(report)
            }
            Err(err) => {
                self.set_link(Link::Offline, Some(err.to_string())).await;
                Err(err)
            }
        }
    }

    /// Runs until `shutdown` turns true: rounds, then the live stream, with backoff after failures.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let config = &self.inner.config;
        let mut backoff = Backoff::new(config.retry_base, config.retry_max);
        while !*shutdown.borrow() {
            if self.sync_once().await.is_ok() {
                backoff.reset();
                if let Err(err) = self.follow_live(&mut shutdown).await {
                    self.set_link(Link::Offline, Some(err.to_string())).await;
                }
            }
            if *shutdown.borrow() {
                break;
            }
            tokio::select! {
                _ = tokio::time::sleep(backoff.next_delay()) => {}
                _ = self.inner.kick.notified() => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    async fn push_outbox(&self, report: &mut RoundReport) -> Result<(), SyncError> {
        let store = &self.inner.store;
        loop {
            let pending = store.pending(100).await?;
            if pending.is_empty() {
                return Ok(());
            }
            for event in pending {
                store.note_attempt(event.id).await?;
                let envelope = EventEnvelope::outgoing(self.feed_of(&event).await, event.clone());
                match self.inner.client.append(&envelope).await {
                    Ok(result) => {
                        self.contact().await;
                        let seq = result.event.server_seq.unwrap_or_default();
                        store
                            .acknowledge(event.id, result.event.polda, seq as i64)
                            .await?;
                        report.pushed += 1;
                    }
                    Err(ClientError::Refused { body, .. }) => {
                        self.contact().await;
                        let (reason_id, reason_en) =
                            self.localised_reason(&event, &body.error, &body.message).await;
                        store
                            .reject(event.id, &body.error, &reason_id, &reason_en)
                            .await?;
                        report.refused += 1;
                    }
                    Err(err) => return Err(err.into()),
                }
            }
            self.refresh_counts().await;
        }
    }

    /// Uploads the evidence pictures this desk kept (decision 0022), after the events that name them. A picture
    /// the central refuses (its incident unknown there because its event was refused, say) stays kept here and
    /// is offered again in a later round; a fault ends the round like any other.
    async fn push_evidence(&self, report: &mut RoundReport) -> Result<(), SyncError> {
        let store = &self.inner.store;
        for picture in store.evidence_to_upload(EVIDENCE_PER_ROUND).await? {
            let uploaded = self
                .inner
                .client
                .upload_evidence(
                    picture.incident_id,
                    &picture.digest,
                    picture.media_type,
                    &picture.data,
                )
                .await;
            match uploaded {
                Ok(()) => {
                    self.contact().await;
                    store.mark_evidence_uploaded(&picture.digest).await?;
                    report.evidence_uploaded += 1;
                }
                Err(ClientError::Refused { .. }) => {
                    self.contact().await;
                    report.evidence_refused += 1;
                }
                Err(err) => return Err(err.into()),
            }
        }
        Ok(())
    }

    /// The refusal in both languages: the domain's own reason when the desk can reproduce the refusal on
    /// the confirmed snapshot or, when that is behind (another desk's change not pulled yet), on the
    /// central's current snapshot; else the central's sentence.
    async fn localised_reason(
        &self,
        event: &siaga_domain::IncidentEvent,
        code: &str,
        message: &str,
    ) -> (String, String) {
        let reproduce = |incident: siaga_domain::Incident| {
            let mut state = IncidentState::resume(incident, []);
            match state.apply(event) {
                Err(err) if err.code() == code => Some((err.reason(Language::Id), err.reason(Language::En))),
                _ => None,
            }
        };
        if let Ok(Some(confirmed)) = self.inner.store.confirmed_incident(event.incident_id).await {
            if let Some(reason) = reproduce(confirmed) {
                return reason;
            }
        }
        if let Ok(current) = self.inner.client.incident(event.incident_id).await {
            if let Some(reason) = reproduce(current) {
                return reason;
            }
        }
        (format!("Ditolak pusat 110: {message}"), message.to_owned())
    }

    /// The feed an outgoing event is meant for (informative: the central files it under the incident's
    /// Polda either way): the desk's Polda, or for a national desk the incident's as the desk sees it.
    async fn feed_of(&self, event: &siaga_domain::IncidentEvent) -> PoldaId {
        let poldas = &self.inner.config.poldas;
        if let [only] = poldas.as_slice() {
            return *only;
        }
        let seen = self.inner.store.incident(event.incident_id).await.ok().flatten();
        seen.and_then(|incident| incident.polda)
            .or_else(|| poldas.first().copied())
            .unwrap_or(PoldaId::MetroJaya)
    }

    /// Pulls `only`'s feed when the desk follows it, else every followed Polda's, until caught up.
    async fn pull_feed(&self, report: &mut RoundReport, only: Option<PoldaId>) -> Result<(), SyncError> {
        let followed = self.inner.config.poldas.as_slice();
        let one;
        let poldas = match only {
            Some(polda) if followed.contains(&polda) => {
                one = [polda];
                &one[..]
            }
            _ => followed,
        };
        for &polda in poldas {
            self.pull_polda_feed(polda, report).await?;
        }
        Ok(())
    }

    async fn pull_polda_feed(&self, polda: PoldaId, report: &mut RoundReport) -> Result<(), SyncError> {
        let store = &self.inner.store;
        let mut gap_retries = 0u32;
        let mut resyncs = 0u32;
        loop {
            let after = u64::try_from(store.cursor(polda).await?).unwrap_or_default();
            let page = match self
                .inner
                .client
                .feed(polda, after, self.inner.config.page_size)
                .await
            {
                Err(err) if err.is_cursor_expired() && resyncs < 3 => {
                    // The central no longer keeps the feed after our cursor: full resync.
                    resyncs += 1;
                    self.contact().await;
                    self.resync_by_snapshots(polda, report).await?;
                    continue;
                }
                other => other?,
            };
            self.contact().await;
            if after == 0 && page.has_more && resyncs == 0 && self.inner.config.initial_snapshot {
                // An empty desk facing more than a page of feed: snapshots are faster than the history.
                resyncs += 1;
                self.resync_by_snapshots(polda, report).await?;
                continue;
            }
            let valid: Vec<&EventEnvelope> = page.events.iter().filter(|e| e.validate().is_ok()).collect();
            let sequences = valid.iter().filter_map(|e| e.server_seq);
            let (upto, gap) = match check_continuity(after, sequences) {
                FeedContinuity::Contiguous { next_after } => (next_after.max(after), false),
                // Fold what continues the cursor; pull again from the hole (a writer may still commit it).
                FeedContinuity::Gap { missing } => (missing - 1, true),
            };
            let events: Vec<RemoteEvent> = valid
                .iter()
                .filter_map(|e| {
                    let seq = e.server_seq?;
                    (seq > after && seq <= upto).then(|| RemoteEvent {
                        polda: e.polda,
                        seq: seq as i64,
                        event: e.event.clone(),
                    })
                })
                .collect();
            let next_after = if gap { upto } else { page.next_after.max(upto) };
            let outcome = store.apply_remote(polda, &events, next_after as i64).await?;
            report.pulled += outcome.applied;
            for incident in outcome.diverged {
                if self.catch_up(incident).await? {
                    report.resynced += 1;
                }
            }
            if outcome.own > 0 {
                self.refresh_counts().await;
            }
            if gap {
                gap_retries += 1;
                if gap_retries > 20 {
                    // A sequence that never commits (a rolled-back writer): step over it.
                    store.apply_remote(polda, &[], upto as i64 + 1).await?;
                    gap_retries = 0;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            if !page.has_more {
                return Ok(());
            }
        }
    }

    /// Takes the Polda's current incidents by snapshot pages (an initial sync or a full resync), then
    /// moves the cursor to the high-water mark of the first page: every incident of every page contains
    /// the feed up to it, and each page says how much further each incident reaches, so the feed pulled
    /// next applies no event twice. The next page is fetched and decoded while the store writes the
    /// current one. This desk's pending events stay on top of the snapshots in the view.
    async fn resync_by_snapshots(&self, polda: PoldaId, report: &mut RoundReport) -> Result<(), SyncError> {
        let store = &self.inner.store;
        let (pages, mut incoming) = mpsc::channel::<Result<SnapshotChunk, ClientError>>(2);
        let client = self.inner.client.clone();
        let limit = self.inner.config.snapshot_page_size.max(1);
        let fetcher = tokio::spawn(async move {
            let mut after = None;
            loop {
                let chunk = match client.snapshot_raw(polda, after, limit).await {
                    Ok(bytes) => tokio::task::spawn_blocking(move || decode_snapshot(&bytes))
                        .await
                        .unwrap_or_else(|e| Err(ClientError::Decode(e.to_string()))),
                    Err(err) => Err(err),
                };
                let next = chunk
                    .as_ref()
                    .ok()
                    .and_then(|c| c.has_more.then_some(c.next_after).flatten());
                if pages.send(chunk).await.is_err() {
                    return;
                }
                match next {
                    Some(next) => after = Some(next),
                    None => return,
                }
            }
        });
        let result = async {
            let mut high_water = None;
            while let Some(chunk) = incoming.recv().await {
                let mut chunk = chunk?;
                self.contact().await;
                let mark = *high_water.get_or_insert(chunk.high_water as i64);
                for record in &mut chunk.records {
                    record.feed_seq = record.feed_seq.max(mark);
                }
                let written = store.apply_snapshot_page(polda, &chunk.records).await?;
                report.snapshot += written.len();
                if !written.is_empty() {}
            }
            let mark = high_water.ok_or_else(|| ClientError::Decode("no snapshot page".into()))?;
            store.finish_snapshot(polda, mark).await?;
            self.refresh_counts().await;
            Ok::<_, SyncError>(())
        }
        .await;
        drop(incoming);
        let _ = fetcher.await;
        result
    }

    /// Catches up an incident whose feed events did not fold onto its confirmed snapshot (e.g. one
    /// reassigned from another Polda, whose earlier events are in that Polda's feed): reads the central's
    /// snapshot of it *first*, then its whole log; the snapshot contains exactly the first `version`
    /// events of the log, which the store records by id as folded (this desk's own included), and the rest
    /// folds on top. So an event in the snapshot is never applied a second time when a feed brings it
    /// later, and this desk's events not yet in it stay on top in the view. False when the central's
    /// answers do not agree even on a second try (the incident is left as it was).
    async fn catch_up(&self, incident: IncidentId) -> Result<bool, SyncError> {
        let store = &self.inner.store;
        for _attempt in 0..2 {
            let snapshot = self.inner.client.incident(incident).await?;
            let log = self.inner.client.incident_events(incident).await?;
            let events: Vec<RemoteEvent> = log
                .into_iter()
                .filter(|e| e.validate().is_ok())
                .filter_map(|e| {
                    Some(RemoteEvent {
                        polda: e.polda,
                        seq: e.server_seq? as i64,
                        event: e.event,
                    })
                })
                .collect();
            match store.catch_up_incident(&snapshot, &events).await {
                Ok(_) => return Ok(true),
                Err(StoreError::Diverged(_)) => continue,
                Err(err) => return Err(err.into()),
            }
        }
        Ok(false)
    }

    /// Follows the live stream until it fails or shutdown; every notification triggers a pull.
    async fn follow_live(&self, shutdown: &mut watch::Receiver<bool>) -> Result<(), SyncError> {
        let client = &self.inner.client;
        let mut request = client
            .live_url()
            .into_client_request()
            .map_err(|e| SyncError::Live(e.to_string()))?;
        if let Some(token) = client.token() {
            let value = format!("Bearer {token}")
                .parse()
                .map_err(|_| SyncError::Live("bad token".into()))?;
            request.headers_mut().insert("authorization", value);
        }
        let connect = tokio_tungstenite::connect_async_tls_with_config(
            request,
            None,
            false,
            Some(tokio_tungstenite::Connector::Rustls(client.tls_config())),
        );
        let (mut socket, _) = tokio::time::timeout(Duration::from_secs(5), connect)
            .await
            .map_err(|_| SyncError::Live("connecting timed out".into()))?
            .map_err(|e| SyncError::Live(e.to_string()))?;
        let subscribe = LiveClientFrame::Subscribe {
            filter: LiveFilter {
                poldas: self.inner.config.poldas.clone(),
                ..Default::default()
            },
        };
        let text = serde_json::to_string(&subscribe).map_err(|e| SyncError::Live(e.to_string()))?;
        socket
            .send(Message::text(text))
            .await
            .map_err(|e| SyncError::Live(e.to_string()))?;
        let mut idle = tokio::time::interval(self.inner.config.idle_pull);
        idle.tick().await;
        loop {
            tokio::select! {
                frame = socket.next() => {
                    let frame = match frame {
                        Some(Ok(frame)) => frame,
                        Some(Err(err)) => return Err(SyncError::Live(err.to_string())),
                        None => return Err(SyncError::Live("the central closed the live stream".into())),
                    };
                    if let Message::Text(text) = frame {
                        match serde_json::from_str::<LiveServerFrame>(&text) {
                            // Subscribed: pull once more, for what was committed between the last pull
                            // and the subscription; Resync: pull, the feed is the truth; Notify: pull the
                            // feed of the Polda it came from.
                            Ok(LiveServerFrame::Subscribed { .. } | LiveServerFrame::Resync) => {
                                self.contact().await;
                                self.sync_once().await?;
                            }
                            Ok(LiveServerFrame::Notify { event, .. }) => {
                                self.contact().await;
                                self.round(Some(event.polda)).await?;
                            }
                            Ok(_) => self.contact().await,
                            Err(err) => return Err(SyncError::Live(format!("undecodable frame: {err}"))),
                        }
                    }
                }
                _ = self.inner.kick.notified() => { self.sync_once().await?; }
                _ = idle.tick() => {
                    let ping = serde_json::to_string(&LiveClientFrame::Ping).unwrap_or_default();
                    socket.send(Message::text(ping)).await.map_err(|e| SyncError::Live(e.to_string()))?;
                    self.sync_once().await?;
                }
                _ = shutdown.changed() => {
                    let _ = socket.close(None).await;
                    return Ok(());
                }
            }
        }
    }

    async fn contact(&self) {
        let now = now_ms();
        self.inner.status.send_modify(|s| s.last_contact_ms = Some(now));
    }

    /// Re-reads the pending and unseen-refusal counts into the status (after the desk changed them, e.g.
    /// an operator read a refusal).
    pub async fn refresh_counts(&self) {
        if let Ok((pending, unseen)) = self.inner.store.outbox_counts().await {
            self.inner.status.send_modify(|s| {
                s.pending = pending;
                s.unseen_rejections = unseen;
            });
        }
    }

    async fn set_link(&self, link: Link, error: Option<String>) {
        if link != Link::Syncing {
            // Counts change by pushing and pulling: read them when a round ends, not when it starts.
            self.refresh_counts().await;
        }
        self.inner.status.send_modify(|s| {
            s.link = link;
            s.last_error = error;
        });
    }
}
