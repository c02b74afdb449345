//! The desk's use cases: sign in to the central, report an incident, move it along the operator flow,
//! list what the screens show, and follow the sync state. It wires `siaga-store` and `siaga-sync` and
//! knows nothing of Tauri, so every use case is tested without a window; `src-tauri` only adapts it.
//!
//! Architecture Invariant: an operator's action is accepted when the local store committed it; the sync
//! engine carries it to the central afterwards, so no action waits on (or is lost with) the link.

mod error;
mod session;

pub use error::DeskError;
pub use session::Session;
// What the shell needs of the crates below, so that it depends on this crate only.
pub use siaga_store::IncidentFilter;
pub use siaga_sync::{Link, SyncStatus};

use siaga_domain::{
    Actor, Category, Channel, EventId, Incident, IncidentChange, IncidentEvent, IncidentId, Location, PoldaId,
};
use siaga_store::Store;
use siaga_sync::{CentralClient, SyncConfig, SyncEngine};
use std::path::PathBuf;
use std::sync::RwLock;
use time::OffsetDateTime;
use tokio::sync::watch;
use uuid::Uuid;

/// Where the desk keeps its data and which central it talks to.
#[derive(Debug, Clone)]
pub struct DeskConfig {
    /// The folder of the desk's store (`desk.sqlite`).
    pub data_dir: PathBuf,
    /// The central's base URL, e.g. `http://127.0.0.1:8110`.
    pub central_url: String,
}

/// A new report as operator 1 takes it down.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentDraft {
    pub channel: Channel,
    pub location: Location,
    pub description: String,
    pub category: Option<Category>,
}

/// The desk: its store, its link to the central, and who is signed in.
#[derive(Debug)]
pub struct Desk {
    store: Store,
    client: CentralClient,
    active: RwLock<Option<Active>>,
    offline_status: watch::Sender<SyncStatus>,
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
        std::fs::create_dir_all(&config.data_dir).map_err(|e| DeskError::DataDir(e.to_string()))?;
        let store = Store::open(&config.data_dir.join("desk.sqlite")).await?;
        let (offline_status, _) = watch::channel(SyncStatus::default());
        Ok(Desk {
            store,
            client: CentralClient::new(&config.central_url),
            active: RwLock::new(None),
            offline_status,
        })
    }

    /// Signs an operator in at the central and starts syncing their Polda.
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<Session, DeskError> {
        let tokens = self.client.login(username, password).await?;
        let session = Session::from_principal(&tokens.principal)?;
        let engine = SyncEngine::new(
            self.store.clone(),
            self.client.clone(),
            SyncConfig::new(session.polda),
        );
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(engine.clone().run(stopped));
        // Replacing a previous session drops it, which stops its engine.
        *self.active.write().map_err(|_| DeskError::Poisoned)? = Some(Active {
            session: session.clone(),
            engine,
            stop,
        });
        Ok(session)
    }

    /// Signs out: syncing stops; actions already accepted stay queued for the next session.
    pub fn sign_out(&self) -> Result<(), DeskError> {
        self.active.write().map_err(|_| DeskError::Poisoned)?.take();
        self.client.set_token(None);
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
            caller_number: None,
            reporter: None,
            location: draft.location,
            description: draft.description,
            proposed_category: draft.category,
            priority: None,
            polda: Some(session.polda),
        };
        self.act(incident, received).await
    }

    /// Records the signed-in operator's change to an incident and queues it for the central.
    pub async fn act(&self, incident: IncidentId, change: IncidentChange) -> Result<Incident, DeskError> {
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
        let recorded = self.store.record_local(&event).await?;
        engine.kick();
        Ok(recorded.incident().clone())
    }

    /// The incidents the screens list.
    pub async fn incidents(&self, filter: &IncidentFilter) -> Result<Vec<Incident>, DeskError> {
        Ok(self.store.incidents(filter).await?)
    }

    /// The store (for reads the use cases above do not cover yet).
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// The Polda of a desk whose operator has none (a national account): Metro Jaya's command room.
pub const DEFAULT_POLDA: PoldaId = PoldaId::MetroJaya;
