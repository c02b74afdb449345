//! The desk's overdue thresholds (how long each priority may wait in a stage), loaded from the desk once
//! and shared by the queues, the board and the Pengaturan card that changes them.

use crate::ipc;
use leptos::prelude::*;
use siaga_domain::queue::OverdueThresholds;
use siaga_ipc::{Empty, OverdueThresholdsCommand};

/// The thresholds in force (the defaults until the desk answers).
#[derive(Debug, Clone, Copy)]
pub struct Overdue(pub RwSignal<OverdueThresholds>);

impl Overdue {
    /// Loads the desk's thresholds and provides them to the app.
    pub fn provide() {
        let thresholds = RwSignal::new(OverdueThresholds::default());
        leptos::task::spawn_local(async move {
            if let Ok(stored) = ipc::invoke::<OverdueThresholdsCommand>(&Empty {}).await {
                thresholds.set(stored);
            }
        });
        provide_context(Overdue(thresholds));
    }
}

/// The thresholds provided by the app shell.
pub fn use_overdue() -> RwSignal<OverdueThresholds> {
    expect_context::<Overdue>().0
}
