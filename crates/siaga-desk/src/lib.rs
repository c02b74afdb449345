//! The desk's use cases: sign in to the central, report an incident, move it along the operator flow,
//! list what the screens show, and follow the sync state. It wires `siaga-store` and `siaga-sync` and
//! knows nothing of Tauri, so every use case is tested without a window; `src-tauri` only adapts it.
//!
//! Architecture Invariant: an operator's action is accepted when the local store committed it; the sync
//! engine carries it to the central afterwards, so no action waits on (or is lost with) the link.

pub mod analytics;
pub mod audit;
mod error;
pub mod evidence;
mod intake;
mod live;
pub mod notify;
pub mod places;
pub mod services;
mod session;
pub mod setup;
pub mod store_key;
pub mod streets;
pub mod text;
pub mod update;
pub mod video;

pub use error::{AnalyticsProblem, DeskError};
pub use intake::{report_channel, report_people, report_priority, MAX_REPORTER_NAME};
pub use notify::{DeskNotification, NotificationKind};
pub use session::Session;
pub use siaga_store::StoreChange;
// What the shell needs of the crates below, so that it depends on this crate only.
pub use siaga_store::IncidentFilter;
pub use siaga_sync::{Link, SyncStatus};
pub use siaga_tls::{CentralTrust, CertFingerprint};

use siaga_domain::clock::now_ms;
use siaga_domain::kiosk::KioskLight;
use siaga_domain::queue::OverdueThresholds;
use siaga_domain::{
    Actor, Category, Channel, EventId, Incident, IncidentChange, IncidentEvent, IncidentId, Language,
    Location, Role,
};
use siaga_ipc::{
    EventStanding, KioskView, MapIncident, MapIncidents, MapIncidentsRequest, NotificationPrefs,
    OpenAlertInfo, QueueCount, RefusalInfo, StreetsArchiveInfo, TimelineEntry,
};
use siaga_store::{MapFilter, Store};
use siaga_sync::{CentralClient, SyncConfig, SyncEngine};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use time::OffsetDateTime;
use tokio::sync::{broadcast, watch};
use uuid::Uuid;

/// How long sign-out waits for the central to sign the trail's last head.
const SIGN_OUT_HEAD_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Where the desk keeps its data and which central it talks to.
#[derive(Debug, Clone)]
pub struct DeskConfig {
    /// The folder of the desk's store (`desk.sqlite`).
    pub data_dir: PathBuf,
    /// The central's base URL, e.g. `http://127.0.0.1:8110`.
    pub central_url: String,
    /// How an `https://` central's certificate is trusted (pinned at first-run setup, or the system's CAs).
    pub central_trust: CentralTrust,
    /// The platform this desk was installed as (`linux-x86_64-deb`, …), for its updates; `None` for a desk
    /// not installed from a package (a developer's build), which offers none.
    pub update_platform: Option<String>,
    /// Where the key of the encrypted store is kept (`store_key`).
    pub store_key: store_key::KeyPlace,
}

/// A new report as operator 1 takes it down.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentDraft {
    pub channel: Channel,
    pub location: Location,
    pub description: String,
    pub category: Option<Category>,
    /// The number the call came from, when known.
    pub caller_number: Option<siaga_domain::incident::PhoneNumber>,
    /// The reporter, if they gave a name or NIK.
    pub reporter: Option<siaga_domain::incident::Reporter>,
    /// A priority raised above the category's default (`None`: the default).
    pub priority: Option<siaga_domain::Priority>,
}

/// The desk: its store, its link to the central, and who is signed in.
#[derive(Debug)]
pub struct Desk {
    store: Store,
    client: CentralClient,
    active: RwLock<Option<Active>>,
    offline_status: watch::Sender<SyncStatus>,
    notifications: broadcast::Sender<DeskNotification>,
    notification_prefs: Arc<RwLock<NotificationPrefs>>,
    streets: streets::Streets,
    /// Where research exports are written (`<data dir>/exports`).
    exports_dir: PathBuf,
    /// Bumped by every analysis and by a cancel: an analysis whose number is no longer current stops.
    analytics_generation: Arc<std::sync::atomic::AtomicU64>,
    /// The video calls this desk is in.
    calls: Arc<video::Calls>,
    /// Every frame of those calls.
    call_frames: broadcast::Sender<video::CallFrame>,
    /// Where the desk's update stands (decision 0021).
    update: Arc<RwLock<update::UpdateStatus>>,
    /// Where downloaded updates are kept (`<data dir>/updates`).
    updates_dir: PathBuf,
}

/// The signed-in operator and the sync engine running for them.
#[derive(Debug)]
struct Active {
    session: Session,
    engine: SyncEngine,
    stop: watch::Sender<bool>,
}

impl Drop for Active {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

impl Desk {
    /// Opens the desk's store; nobody is signed in yet.
    pub async fn open(config: &DeskConfig) -> Result<Desk, DeskError> {
        places::warm();
        std::fs::create_dir_all(&config.data_dir).map_err(|e| DeskError::DataDir(e.to_string()))?;
        let store_path = config.data_dir.join("desk.sqlite");
        let key = store_key::load_or_create(&config.store_key, &config.data_dir, &store_path)?;
        let store = Store::open_encrypted(&store_path, &key).await?;
        let (offline_status, _) = watch::channel(SyncStatus::default());
        let prefs = match store.setting(NOTIFICATION_PREFS_KEY).await? {
            // A setting this build cannot read falls back to the defaults rather than failing the desk.
            Some(value) => serde_json::from_value(value).unwrap_or_default(),
            None => NotificationPrefs::default(),
        };
        let streets = streets::Streets::load(load_streets_setting(&store, &config.data_dir).await?);
        Ok(Desk {
            streets,
            exports_dir: config.data_dir.join("exports"),
            analytics_generation: Arc::new(std::sync::atomic::AtomicU64::new(0)),
            store,
            client: CentralClient::with_trust(&config.central_url, config.central_trust),
            active: RwLock::new(None),
            offline_status,
            notifications: broadcast::channel(64).0,
            notification_prefs: Arc::new(RwLock::new(prefs)),
            calls: Arc::new(video::Calls::default()),
            call_frames: broadcast::channel(256).0,
            update: Arc::new(RwLock::new(update::UpdateStatus {
                platform: config.update_platform.clone(),
                ..Default::default()
            })),
            updates_dir: config.data_dir.join("updates"),
        })
    }

    /// Signs an operator in at the central and starts syncing their Polda.
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<Session, DeskError> {
        let tokens = self.client.login(username, password).await?;
        let session = Session::from_principal(&tokens.principal)?;
        let engine = SyncEngine::new(
            self.store.clone(),
            self.client.clone(),
            SyncConfig::new(session.poldas()),
        );
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(engine.clone().run(stopped.clone()));
        tokio::spawn(live::follow_routing(
            self.store.clone(),
            self.client.clone(),
            stopped.clone(),
        ));
        tokio::spawn(live::refresh_kiosks(
            self.store.clone(),
            self.client.clone(),
            session.poldas(),
            stopped.clone(),
        ));
        if matches!(
            Role::parse_principal(&session.role),
            Some(Role::SpktOfficer | Role::Supervisor)
        ) {
            tokio::spawn(live::follow_services(
                self.store.clone(),
                self.client.clone(),
                stopped.clone(),
            ));
        }
        tokio::spawn(update::follow(
            self.client.clone(),
            Arc::clone(&self.update),
            stopped.clone(),
        ));
        tokio::spawn(live::notify(
            self.store.clone(),
            Arc::clone(&self.notification_prefs),
            self.notifications.clone(),
            stopped,
        ));
        // Replacing a previous session drops it, which stops its engine.
        *self.active.write().map_err(|_| DeskError::Poisoned)? = Some(Active {
            session: session.clone(),
            engine,
            stop,
        });
        self.audit(&session, "sign_in", &session.operator, "").await?;
        if let Some(active) = self.active.read().map_err(|_| DeskError::Poisoned)?.as_ref() {
            // After the sign-in's entry, so the first signed head covers it.
            tokio::spawn(live::sign_own_heads(
                self.store.clone(),
                self.client.clone(),
                active.stop.subscribe(),
            ));
        }
        Ok(session)
    }

    /// Has the central sign the head of this desk's own audit trail now (it is also done after sign-in, every
    /// [`audit::OWN_HEAD_INTERVAL`] and at sign-out); the number signed, or `None` when nothing new.
    pub async fn sign_own_audit_head(&self) -> Result<Option<i64>, DeskError> {
        audit::sign_own_head(&self.store, &self.client).await
    }

    /// Appends to the desk's own audit trail (decision 0015) what `session`'s operator did.
    pub(crate) async fn audit(
        &self,
        session: &Session,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<(), DeskError> {
        let record = siaga_store::AuditRecord {
            actor: session.operator.clone(),
            role: session.role.clone(),
            polda: session.polda.map(|p| p.code().to_owned()),
            action: action.to_owned(),
            subject: subject.to_owned(),
            detail: detail.to_owned(),
        };
        Ok(self.store.record_audit(&record).await?)
    }

    /// Signs out: syncing stops and the session ends at the central (its refresh token and live socket
    /// too) when the central can be reached; actions already accepted stay queued for the next session.
    pub async fn sign_out(&self) -> Result<(), DeskError> {
        let ended = self.active.write().map_err(|_| DeskError::Poisoned)?.take();
        if let Some(active) = &ended {
            self.audit(&active.session, "sign_out", &active.session.operator, "")
                .await?;
        }
        drop(ended);
        // Best effort, while the tokens still work: the sign-out's entry under a signed head.
        let _ = tokio::time::timeout(SIGN_OUT_HEAD_WAIT, self.sign_own_audit_head()).await;
        // Best effort: offline, the tokens are forgotten here and lapse at the central at their expiry.
        let _ = self.client.logout().await;
        Ok(())
    }

    /// Who is signed in.
    pub fn session(&self) -> Option<Session> {
        let active = self.active.read().ok()?;
        active.as_ref().map(|active| active.session.clone())
    }

    /// Follows the sync state (offline while nobody is signed in).
    pub fn sync_status(&self) -> watch::Receiver<SyncStatus> {
        let engine = self
            .active
            .read()
            .ok()
            .and_then(|a| a.as_ref().map(|a| a.engine.status()));
        match engine {
            Some(status) => status,
            None => self.offline_status.subscribe(),
        }
    }

    /// Takes down a new report (the signed-in operator receives it).
    pub async fn report(&self, draft: IncidentDraft) -> Result<Incident, DeskError> {
        let session = self.session().ok_or(DeskError::NotSignedIn)?;
        let incident = IncidentId(Uuid::now_v7());
        let received = IncidentChange::Received {
            channel: draft.channel,
            caller_number: draft.caller_number,
            reporter: draft.reporter,
            location: draft.location,
            description: draft.description,
            proposed_category: draft.category,
            priority: draft.priority,
            // A national account's report goes to the Polda of its location.
            polda: session.polda,
        };
        self.act(incident, received).await
    }

    /// Records the signed-in operator's change to an incident and queues it for the central.
    pub async fn act(&self, incident: IncidentId, change: IncidentChange) -> Result<Incident, DeskError> {
        self.act_with(incident, change, None).await
    }

    /// [`Desk::act`] for a change that brings a picture (`EvidenceAttached`): both are kept in one transaction.
    pub(crate) async fn act_with(
        &self,
        incident: IncidentId,
        change: IncidentChange,
        picture: Option<&[u8]>,
    ) -> Result<Incident, DeskError> {
        let (session, engine) = {
            let slot = self.active.read().map_err(|_| DeskError::Poisoned)?;
            let active = slot.as_ref().ok_or(DeskError::NotSignedIn)?;
            (active.session.clone(), active.engine.clone())
        };
        let role = session.flow_role.ok_or(DeskError::ReadOnlyRole)?;
        let event = IncidentEvent {
            id: EventId(Uuid::now_v7()),
            incident_id: incident,
            at: OffsetDateTime::now_utc(),
            actor: Actor::new(session.operator.clone(), role),
            change,
        };
        let recorded = match picture {
            Some(bytes) => self.store.record_local_evidence(&event, bytes).await?,
            None => self.store.record_local(&event).await?,
        };
        engine.kick();
        Ok(recorded.incident().clone())
    }

    /// The legacy emergency numbers forwarded to 110, as the central last sent them (intake names the
    /// number dialed from it, offline too).
    pub async fn legacy_numbers(&self) -> Result<Vec<siaga_ipc::LegacyNumberInfo>, DeskError> {
        Ok(intake::legacy_numbers(&self.store)
            .await?
            .into_iter()
            .map(|entry| siaga_ipc::LegacyNumberInfo {
                number: entry.number,
                description: entry.description,
                forwarded: entry.forward_to_110,
            })
            .collect())
    }

    /// The supervisor board over the desk's store: stages, operators' open incidents, the last 24 hours of
    /// calls and the numbers that called most in the last 7 days (masked for a role that may not see them).
    pub async fn supervisor_board(&self) -> Result<siaga_ipc::SupervisorBoard, DeskError> {
        const HOUR_MS: i64 = 3_600_000;
        let session = self.session().ok_or(DeskError::NotSignedIn)?;
        let sees_numbers = Role::parse_principal(&session.role).is_some_and(Role::sees_personal_data);
        let now = now_ms();
        let stages = self.store.stage_loads().await?;
        let operators = self.store.operator_loads().await?;
        let this_hour = now - now.rem_euclid(HOUR_MS);
        let hours = self
            .store
            .calls_by_hour(this_hour - 23 * HOUR_MS, this_hour + HOUR_MS)
            .await?;
        let frequent = self.store.frequent_callers(now - 7 * 24 * HOUR_MS, 10).await?;
        Ok(siaga_ipc::SupervisorBoard {
            stages: stages
                .into_iter()
                .map(|stage| siaga_ipc::BoardStage {
                    status: stage.status,
                    count: stage.count,
                    oldest: stage
                        .oldest
                        .as_ref()
                        .and_then(|(id, ..)| id.parse().ok())
                        .map(IncidentId),
                    oldest_since_ms: stage.oldest.as_ref().map(|(_, since, _)| *since),
                    oldest_priority: stage
                        .oldest
                        .and_then(|(.., rank)| u8::try_from(rank).ok())
                        .and_then(siaga_domain::Priority::from_rank),
                })
                .collect(),
            operators: operators
                .into_iter()
                .map(|load| siaga_ipc::BoardOperator {
                    operator: load.operator,
                    role: load.role.as_deref().and_then(Role::parse_principal),
                    open: load.open,
                })
                .collect(),
            hours: hours
                .into_iter()
                .map(|hour| siaga_ipc::BoardHour {
                    hour_ms: hour.hour_ms,
                    calls: hour.calls,
                    prank_or_empty: hour.prank_or_empty,
                })
                .collect(),
            frequent: frequent
                .into_iter()
                .map(|caller| siaga_ipc::BoardCaller {
                    number: if sees_numbers {
                        caller.number
                    } else {
                        siaga_domain::personal::mask_phone(&caller.number)
                    },
                    calls: caller.calls,
                    prank_or_empty: caller.prank_or_empty,
                    last_ms: caller.last_ms,
                })
                .collect(),
        })
    }

    /// The incidents the screens list.
    pub async fn incidents(&self, filter: &IncidentFilter) -> Result<Vec<Incident>, DeskError> {
        Ok(self.store.incidents(filter).await?)
    }

    /// The Analitik page's numbers over the last `period_days` of the desk's incidents (decision 0012).
    ///
    /// A newer request, or [`Desk::cancel_analytics`], stops the one under way (`Cancelled`). A Polda desk always
    /// analyses its own Polda; a national desk the one the request names, or all.
    pub async fn analytics(
        &self,
        request: &siaga_ipc::AnalyticsRequest,
    ) -> Result<siaga_ipc::AnalyticsView, DeskError> {
        use std::sync::atomic::Ordering;
        analytics::check(request).map_err(DeskError::Analytics)?;
        let polda = self
            .session()
            .ok_or(DeskError::NotSignedIn)?
            .polda
            .or(request.polda);
        let generation = self.analytics_generation.fetch_add(1, Ordering::SeqCst) + 1;
        let until = now_ms();
        let since = until - i64::from(request.period_days) * 86_400_000;
        let points = self.store.analytics_points(since, until).await?;
        let request = *request;
        let current = Arc::clone(&self.analytics_generation);
        tokio::task::spawn_blocking(move || {
            let cancelled = move || current.load(Ordering::SeqCst) != generation;
            analytics::analyse_until(&points, polda, &request, since, until, &cancelled)
        })
        .await
        .map_err(|_| DeskError::Poisoned)?
        .map_err(DeskError::Analytics)
    }

    /// Stops the analysis under way, if any.
    pub fn cancel_analytics(&self) {
        self.analytics_generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }

    /// Writes the Analitik page's results (cells as GeoJSON and CSV, the clock, trends, areas and traffic as
    /// CSV, the map as PNG) into a new folder under the desk's `exports/`.
    pub async fn analytics_results_export(
        &self,
        request: &siaga_ipc::ResultsExportRequest,
    ) -> Result<siaga_ipc::ResultsExportInfo, DeskError> {
        let view = self.analytics(&request.analysis).await?;
        let png = analytics::png_from_data_url(&request.map_png);
        let files = analytics::results_files(&view, png);
        let folder = self
            .exports_dir
            .join(format!("analitik-{}", stamp_name(view.until_ms)?));
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(&folder)?;
            for (name, bytes) in &files {
                std::fs::write(folder.join(name), bytes)?;
            }
            Ok(())
        };
        write().map_err(|_| DeskError::Analytics(AnalyticsProblem::ExportWrite))?;
        // Every export leaves an entry in the desk's trail, this one too (aggregates, no personal data).
        let session = self.session().ok_or(DeskError::NotSignedIn)?;
        let detail = format!(
            "{} files, {} points, {} cells",
            files.len(),
            view.points,
            view.cells.len()
        );
        self.audit(&session, "results_export", &folder.display().to_string(), &detail)
            .await?;
        Ok(siaga_ipc::ResultsExportInfo {
            folder: folder.display().to_string(),
            files: files.iter().map(|(name, _)| (*name).to_string()).collect(),
        })
    }

    /// Writes an anonymised research export of the last `period_days` into a new folder under the desk's
    /// `exports/` and records it in the store. Analysts and supervisors only.
    pub async fn research_export(
        &self,
        request: &siaga_ipc::ResearchExportRequest,
    ) -> Result<siaga_ipc::ResearchExportInfo, DeskError> {
        let session = self.session().ok_or(DeskError::NotSignedIn)?;
        if !matches!(
            Role::parse_principal(&session.role),
            Some(Role::Analyst | Role::Supervisor)
        ) {
            return Err(DeskError::Analytics(AnalyticsProblem::ExportNotAllowed));
        }
        let rules = analytics::export_rules(request).map_err(DeskError::Analytics)?;
        let until = now_ms();
        let since = until - i64::from(request.period_days) * 86_400_000;
        let points = self.store.analytics_points(since, until).await?;
        let polda = session.polda;
        let export = tokio::task::spawn_blocking(move || analytics::research_export(&points, polda, rules))
            .await
            .map_err(|_| DeskError::Poisoned)?
            .map_err(DeskError::Analytics)?;
        let stamp = OffsetDateTime::from_unix_timestamp_nanos(i128::from(until) * 1_000_000)
            .map_err(|_| DeskError::Poisoned)?;
        let folder = self.exports_dir.join(format!("riset-{}", stamp_name(until)?));
        let source = format!(
            "Siaga 110 desk, {} the last {} days up to {}",
            polda.map_or_else(|| "all Poldas,".to_string(), |p| format!("{},", p.name())),
            request.period_days,
            stamp.date()
        );
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(&folder)?;
            std::fs::write(folder.join("incidents.parquet"), export.parquet())?;
            std::fs::write(folder.join("incidents.csv"), export.csv())?;
            std::fs::write(folder.join("README.md"), export.readme(&source))
        };
        write().map_err(|_| DeskError::Analytics(AnalyticsProblem::ExportWrite))?;
        self.store
            .record_export(&siaga_store::ExportRecord {
                at_ms: until,
                operator: session.operator.clone(),
                role: session.role.clone(),
                since_ms: since,
                until_ms: until,
                rules: format!("k={} cell={}m round={}", rules.k, rules.cell_m, request.rounding),
                rows: export.rows.len() as i64,
                folder: folder.display().to_string(),
            })
            .await?;
        let detail = format!("{} rows, k={}", export.rows.len(), rules.k);
        self.audit(
            &session,
            "research_export",
            &folder.display().to_string(),
            &detail,
        )
        .await?;
        Ok(siaga_ipc::ResearchExportInfo {
            folder: folder.display().to_string(),
            rows: export.rows.len() as u32,
            merged: export.merged as u32,
            suppressed: export.suppressed as u32,
        })
    }

    /// How many incidents wait in each open stage of the flow, in the flow's order.
    pub async fn queue_counts(&self) -> Result<Vec<QueueCount>, DeskError> {
        let counts = self.store.status_counts().await?;
        Ok(siaga_domain::queue::STAGES
            .iter()
            .map(|stage| QueueCount {
                status: *stage,
                count: counts
                    .iter()
                    .find(|(status, _)| status == stage)
                    .map_or(0, |(_, count)| *count),
            })
            .collect())
    }

    /// The incidents the map shows, as points.
    pub async fn map_incidents(&self, request: &MapIncidentsRequest) -> Result<MapIncidents, DeskError> {
        let limit = request.limit.min(MAX_MAP_INCIDENTS);
        let points = self
            .store
            .map_points(&MapFilter {
                statuses: request.statuses.clone(),
                categories: request.categories.clone(),
                polda: request.polda,
                received_since_ms: request.since_ms,
                // One more than asked tells whether the limit cut some off.
                limit: limit.saturating_add(1),
            })
            .await?;
        let truncated = points.len() > limit as usize;
        Ok(MapIncidents {
            incidents: points
                .into_iter()
                .take(limit as usize)
                .map(|p| MapIncident {
                    id: p.id,
                    lat: p.lat,
                    lon: p.lon,
                    priority: p.priority.rank(),
                    category: p.category,
                    status: p.status,
                    polda: p.polda,
                    received_ms: p.received_ms,
                    alert: p.alert_kiosk.is_some(),
                })
                .collect(),
            truncated,
        })
    }

    /// One incident as the desk shows it.
    pub async fn incident(&self, id: IncidentId) -> Result<Incident, DeskError> {
        self.store.incident(id).await?.ok_or(DeskError::NotFound)
    }

    /// The open incidents of the same Polda that incident `id` may duplicate (near it, received within six
    /// hours of it), nearest first: the choices of "close as duplicate".
    pub async fn duplicate_candidates(
        &self,
        id: IncidentId,
    ) -> Result<Vec<siaga_ipc::DuplicateCandidate>, DeskError> {
        let target = self.incident(id).await?;
        let window = time::Duration::seconds(siaga_domain::duplicate::WINDOW_SECS);
        // A point narrows the search to a box around it (0.02° is more than 2 km); a region-only report
        // looks at the Polda's recent open incidents.
        let bbox = target.location.point.map(|p| siaga_store::BoundingBox {
            south: p.lat() - 0.02,
            north: p.lat() + 0.02,
            west: p.lon() - 0.02,
            east: p.lon() + 0.02,
        });
        let open = self
            .store
            .incidents(&IncidentFilter {
                statuses: siaga_domain::queue::STAGES.to_vec(),
                polda: target.polda,
                bbox,
                updated_since: Some(target.received_at - window),
                limit: 2_000,
                ..Default::default()
            })
            .await?;
        let chosen = siaga_domain::duplicate::candidates(&target, &open, 10);
        Ok(chosen
            .into_iter()
            .filter_map(|candidate| {
                let incident = open.iter().find(|i| i.id == candidate.id)?;
                Some(siaga_ipc::DuplicateCandidate {
                    id: incident.id,
                    category: incident.category,
                    status: incident.status,
                    description: incident.description.chars().take(80).collect(),
                    distance_m: candidate.distance_m.map(|d| d.round() as u32),
                    apart_secs: candidate.apart_secs,
                })
            })
            .collect())
    }

    /// The earlier calls of an incident's caller number (advisory; roles that see masked numbers get none).
    pub async fn caller_history(&self, id: IncidentId) -> Result<siaga_ipc::CallerHistoryInfo, DeskError> {
        let session = self.session().ok_or(DeskError::NotSignedIn)?;
        let incident = self.incident(id).await?;
        let sees_numbers = Role::parse_principal(&session.role).is_some_and(|r| r.sees_personal_data());
        match incident.caller_number.filter(|_| sees_numbers) {
            Some(number) => self.history_of(&number, Some(id)).await,
            None => Ok(siaga_ipc::CallerHistoryInfo::default()),
        }
    }

    /// A number's earlier calls while the operator types it during intake (roles that see masked numbers
    /// get none; a text that is not a phone number has no history).
    pub async fn number_history(&self, number: &str) -> Result<siaga_ipc::CallerHistoryInfo, DeskError> {
        let session = self.session().ok_or(DeskError::NotSignedIn)?;
        let sees_numbers = Role::parse_principal(&session.role).is_some_and(|r| r.sees_personal_data());
        let number = siaga_domain::incident::PhoneNumber::parse(number)
            .ok()
            .filter(|_| sees_numbers);
        match number {
            Some(number) => self.history_of(&number, None).await,
            None => Ok(siaga_ipc::CallerHistoryInfo::default()),
        }
    }

    /// A number's history, leaving out incident `except` (the live call itself): from the store, and from
    /// the central when the desk is online — the central holds the Polda's whole history, the store what
    /// it synced — asked for [`CENTRAL_HISTORY_WAIT`] at most, so an offline or slow link never holds up
    /// intake.
    async fn history_of(
        &self,
        number: &siaga_domain::incident::PhoneNumber,
        except: Option<IncidentId>,
    ) -> Result<siaga_ipc::CallerHistoryInfo, DeskError> {
        let left_out = except.map(|id| id.to_string()).unwrap_or_default();
        let local = self.store.caller_history(number.as_str(), &left_out).await?;
        let mut info = siaga_ipc::CallerHistoryInfo {
            known: true,
            calls: local.calls,
            prank_or_empty: local.prank_or_empty,
            last_ms: local.last_ms,
            from_central: false,
        };
        if self.sync_status().borrow().link != Link::Online {
            return Ok(info);
        }
        let asked =
            tokio::time::timeout(CENTRAL_HISTORY_WAIT, self.client.caller_history(number.as_str())).await;
        if let Ok(Ok(central)) = asked {
            let live = except.and_then(|id| central.recent.iter().find(|call| call.incident_id == id));
            let calls = central.calls - u32::from(live.is_some());
            let prank = central.prank_or_empty - u32::from(live.is_some_and(|call| call.prank_or_empty));
            let last = match live {
                Some(live) => central
                    .recent
                    .iter()
                    .find(|call| call.incident_id != live.incident_id)
                    .map(|call| call.received_ms),
                None => central.last_ms,
            };
            if calls >= info.calls {
                info = siaga_ipc::CallerHistoryInfo {
                    known: true,
                    calls,
                    prank_or_empty: prank,
                    last_ms: last,
                    from_central: true,
                };
            }
        }
        Ok(info)
    }

    /// An incident's timeline: its events in order, each confirmed by the central, pending or refused.
    pub async fn incident_timeline(&self, id: IncidentId) -> Result<Vec<TimelineEntry>, DeskError> {
        let entries = self.store.timeline_of(id).await?;
        if entries.is_empty() {
            return Err(DeskError::NotFound);
        }
        Ok(entries
            .into_iter()
            .map(|(event, standing)| TimelineEntry {
                event,
                standing: match standing {
                    siaga_store::EventStanding::Confirmed => EventStanding::Confirmed,
                    siaga_store::EventStanding::Pending => EventStanding::Pending,
                    siaga_store::EventStanding::Refused => EventStanding::Refused,
                },
            })
            .collect())
    }

    /// The station kiosks with their lights at this moment, alerting first, then by station.
    pub async fn kiosks(&self, stale_after_secs: i64) -> Result<Vec<KioskView>, DeskError> {
        let alerts = self.store.open_alerts().await?;
        let now = now_ms();
        let mut kiosks: Vec<KioskView> = self
            .store
            .kiosks()
            .await?
            .into_iter()
            .map(|k| {
                let alert = alerts.iter().find(|a| a.kiosk_id == k.id.as_str());
                KioskView {
                    light: KioskLight::at(k.last_heartbeat_ms, now, alert.is_some(), stale_after_secs),
                    alert_incident: alert.map(|a| a.incident_id.clone()),
                    kiosk_id: k.id,
                    station: k.station,
                    polda: k.polda,
                    lat: k.lat,
                    lon: k.lon,
                    status: k.status,
                    battery_pct: k.battery_pct,
                    last_heartbeat_ms: k.last_heartbeat_ms,
                }
            })
            .collect();
        kiosks.sort_by(|a, b| {
            let rank = |k: &KioskView| KioskLight::ALL.iter().position(|l| *l == k.light);
            rank(a).cmp(&rank(b)).then_with(|| a.station.cmp(&b.station))
        });
        Ok(kiosks)
    }

    /// The kiosk alerts no operator has acknowledged, the longest waiting first.
    pub async fn open_alerts(&self) -> Result<Vec<OpenAlertInfo>, DeskError> {
        Ok(self
            .store
            .open_alerts()
            .await?
            .into_iter()
            .filter_map(|a| {
                Some(OpenAlertInfo {
                    incident_id: IncidentId(Uuid::parse_str(&a.incident_id).ok()?),
                    kiosk_id: a.kiosk_id,
                    station: a.station,
                    received_ms: a.received_ms,
                    category: a.category,
                })
            })
            .collect())
    }

    /// The central's refusals of this desk's actions that no operator has read yet, newest first.
    pub async fn refusals(&self) -> Result<Vec<RefusalInfo>, DeskError> {
        Ok(self
            .store
            .rejections(true)
            .await?
            .into_iter()
            .map(|r| RefusalInfo {
                event_id: r.event_id,
                incident_id: r.incident_id,
                code: r.code,
                reason_id: r.reason_id,
                reason_en: r.reason_en,
                at_ms: r.at_ms,
            })
            .collect())
    }

    /// Marks a refusal as read by the operator (it leaves the status bar's count).
    pub async fn mark_refusal_read(&self, event: EventId) -> Result<(), DeskError> {
        self.store.mark_rejection_seen(event).await?;
        let engine = self
            .active
            .read()
            .map_err(|_| DeskError::Poisoned)?
            .as_ref()
            .map(|a| a.engine.clone());
        if let Some(engine) = engine {
            engine.refresh_counts().await;
        }
        Ok(())
    }

    /// The operator's notification settings.
    pub fn notification_prefs(&self) -> NotificationPrefs {
        self.notification_prefs
            .read()
            .map(|p| p.clone())
            .unwrap_or_default()
    }

    /// Changes the notification settings and keeps them in the store.
    pub async fn set_notification_prefs(&self, prefs: NotificationPrefs) -> Result<(), DeskError> {
        let value = serde_json::to_value(&prefs).map_err(|e| DeskError::DataDir(e.to_string()))?;
        self.store.set_setting(NOTIFICATION_PREFS_KEY, &value).await?;
        *self.notification_prefs.write().map_err(|_| DeskError::Poisoned)? = prefs;
        Ok(())
    }

    /// How long each priority may wait in a stage before the queues mark it overdue (the defaults until a
    /// supervisor sets them; a stored value that no longer checks is ignored, not half-used).
    pub async fn overdue_thresholds(&self) -> Result<OverdueThresholds, DeskError> {
        Ok(self
            .store
            .setting(OVERDUE_THRESHOLDS_KEY)
            .await?
            .and_then(|value| serde_json::from_value::<OverdueThresholds>(value).ok())
            .filter(|thresholds| thresholds.check().is_ok())
            .unwrap_or_default())
    }

    /// Sets the overdue thresholds of this desk (a supervisor, in Pengaturan); refused whole when one is
    /// out of bounds or out of order.
    pub async fn set_overdue_thresholds(
        &self,
        thresholds: OverdueThresholds,
    ) -> Result<OverdueThresholds, DeskError> {
        let session = self.session().ok_or(DeskError::NotSignedIn)?;
        if session.flow_role != Some(Role::Supervisor) {
            return Err(DeskError::SupervisorOnly);
        }
        thresholds.check().map_err(DeskError::BadThresholds)?;
        let value = serde_json::to_value(thresholds).map_err(|e| DeskError::DataDir(e.to_string()))?;
        self.store.set_setting(OVERDUE_THRESHOLDS_KEY, &value).await?;
        Ok(thresholds)
    }

    /// The street map archive in use, for the tile server.
    pub fn streets_slot(&self) -> streets::StreetsSlot {
        self.streets.slot()
    }

    /// The street map setting and what its archive holds, problems in `language`.
    pub fn streets_archive(&self, language: Language) -> StreetsArchiveInfo {
        self.streets.info(language)
    }

    /// Points the map at the street archive at `path` (checked first), or at none, and remembers the
    /// choice in the store. On any error nothing changes.
    pub async fn set_streets_archive(&self, path: Option<&str>) -> Result<(), DeskError> {
        let store = &self.store;
        self.streets
            .set(path, async |setting| {
                let value = serde_json::to_value(&setting).map_err(|e| DeskError::DataDir(e.to_string()))?;
                store.set_setting(streets::SETTING_KEY, &value).await?;
                Ok(())
            })
            .await
    }

    /// Desktop notifications to show, while an operator is signed in (none after sign-out).
    pub fn notifications(&self) -> broadcast::Receiver<DeskNotification> {
        self.notifications.subscribe()
    }

    /// Follows what the store's writes change (the shell tells the screens).
    pub fn changes(&self) -> broadcast::Receiver<StoreChange> {
        self.store.changes()
    }

    /// The store (for reads the use cases above do not cover yet).
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// The most incidents one map request returns.
pub const MAX_MAP_INCIDENTS: u32 = 200_000;

const NOTIFICATION_PREFS_KEY: &str = "notification_prefs";

/// How long intake waits for the central's answer on a caller's history before it shows the store's.
pub const CENTRAL_HISTORY_WAIT: std::time::Duration = std::time::Duration::from_millis(1500);
const OVERDUE_THRESHOLDS_KEY: &str = "overdue_thresholds";

/// The street map setting from the store; on the first start after an upgrade, the one an older desk
/// kept in `streets.json` in the data folder, moved into the store.
async fn load_streets_setting(
    store: &Store,
    data_dir: &std::path::Path,
) -> Result<streets::Setting, DeskError> {
    if let Some(value) = store.setting(streets::SETTING_KEY).await? {
        // A setting this build cannot read is no setting rather than a desk that will not open.
        return Ok(serde_json::from_value(value).unwrap_or_default());
    }
    let legacy = data_dir.join(streets::LEGACY_SETTING_FILE);
    let Ok(bytes) = std::fs::read(&legacy) else {
        return Ok(streets::Setting::default());
    };
    let setting: streets::Setting = serde_json::from_slice(&bytes).unwrap_or_default();
    let value = serde_json::to_value(&setting).map_err(|e| DeskError::DataDir(e.to_string()))?;
    store.set_setting(streets::SETTING_KEY, &value).await?;
    // Moved: the store holds it now (a file left behind would be read again only if the store lost it).
    let _ = std::fs::remove_file(&legacy);
    Ok(setting)
}

/// A folder name's time part, `20261204-081251` (UTC).
fn stamp_name(ms: i64) -> Result<String, DeskError> {
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map_err(|_| DeskError::Poisoned)?;
    Ok(format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    ))
}
