//! The street map setting as the UI follows it: [`StreetsRevision`], a counter bumped each time the
//! setting changes, so the map can reload its style (the `tiles://` styles gain or lose the `streets`
//! source on their next load; a `?v=<revision>` query keeps a cached style from being reused), and
//! whether an extract is in use, for the map's OpenStreetMap credit.

use crate::ipc;
use leptos::prelude::*;
use siaga_domain::Language;
use siaga_ipc::{StreetsArchiveCommand, StreetsArchiveRequest};

/// The street map setting as the map needs it; provided once by the app shell.
#[derive(Debug, Clone, Copy)]
pub struct StreetsRevision {
    /// 0 for the style the app started with, then bumped after every successful change.
    pub revision: RwSignal<u64>,
    /// True while an extract is in use (its data then needs the "© OpenStreetMap" credit).
    pub active: RwSignal<bool>,
}

impl StreetsRevision {
    /// Creates the state, asks the shell whether an extract is in use, and provides it to the app.
    pub fn provide() -> StreetsRevision {
        let streets = StreetsRevision {
            revision: RwSignal::new(0),
            active: RwSignal::new(false),
        };
        leptos::task::spawn_local(async move {
            let request = StreetsArchiveRequest {
                language: Language::default(),
            };
            if let Ok(info) = ipc::invoke::<StreetsArchiveCommand>(&request).await {
                streets.active.set(info.facts.is_some());
            }
        });
        provide_context(streets);
        streets
    }

    /// Tells the map the setting changed (`active`: whether an extract is now in use).
    pub fn changed(self, active: bool) {
        self.active.set(active);
        self.revision.update(|n| *n += 1);
    }
}

/// The street map state provided by the app shell.
pub fn use_streets_revision() -> StreetsRevision {
    expect_context::<StreetsRevision>()
}
