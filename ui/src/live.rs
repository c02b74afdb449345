//! Live updates: the shell emits `siaga:changed` when the desk's store commits a change, and screens
//! that show store data re-read it when these revisions move.

use crate::ipc;
use leptos::prelude::*;
use siaga_ipc::{ChangedEvent, CHANGED_EVENT};

/// Revisions bumped by the shell's change events.
#[derive(Debug, Clone, Copy)]
pub struct LiveChanges {
    /// Incidents changed.
    pub incidents: RwSignal<u64>,
    /// The kiosk list changed.
    pub kiosks: RwSignal<u64>,
}

impl LiveChanges {
    /// Starts listening and provides the revisions to the app.
    pub fn provide() -> LiveChanges {
        let live = LiveChanges {
            incidents: RwSignal::new(0),
            kiosks: RwSignal::new(0),
        };
        ipc::listen(CHANGED_EVENT, move |change: ChangedEvent| {
            if change.incidents {
                live.incidents.update(|n| *n += 1);
            }
            if change.kiosks {
                live.kiosks.update(|n| *n += 1);
            }
        });
        provide_context(live);
        live
    }
}

/// The live revisions provided by the app shell.
pub fn use_live() -> LiveChanges {
    expect_context::<LiveChanges>()
}
