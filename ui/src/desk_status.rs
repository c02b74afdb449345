//! The desk's link to the central and who is signed in, as the UI follows them: asked of the shell
//! every second (`sync_status`) and shared through context.

use crate::ipc;
use leptos::prelude::*;
use siaga_ipc::{Empty, SyncStatusCommand, SyncStatusInfo};
use std::time::Duration;

/// The latest `sync_status` answer (`None` until the first arrives) and a counter bumped on every
/// answer, which lists use to refresh themselves.
#[derive(Debug, Clone, Copy)]
pub struct DeskStatus {
    pub info: RwSignal<Option<SyncStatusInfo>>,
    pub ticks: RwSignal<u64>,
}

impl DeskStatus {
    /// Starts polling the shell and provides the status to the app.
    pub fn provide() -> DeskStatus {
        let status = DeskStatus {
            info: RwSignal::new(None),
            ticks: RwSignal::new(0),
        };
        status.refresh();
        let _ = set_interval_with_handle(move || status.refresh(), Duration::from_secs(1));
        provide_context(status);
        status
    }

    /// Asks the shell now (after a sign-in or an action, so the bar does not lag).
    pub fn refresh(self) {
        leptos::task::spawn_local(async move {
            if let Ok(info) = ipc::invoke::<SyncStatusCommand>(&Empty {}).await {
                // Only a change re-renders what shows it (the answer is mostly the same as a second ago).
                if self.info.with_untracked(|shown| shown.as_ref() != Some(&info)) {
                    self.info.set(Some(info));
                }
                self.ticks.update(|t| *t += 1);
            }
        });
    }

    /// True when an operator is signed in.
    pub fn signed_in(self) -> bool {
        self.info
            .with(|i| i.as_ref().is_some_and(|i| i.session.is_some()))
    }

    /// The signed-in operator's role in the flow (`None`: signed out, or a role outside the flow).
    pub fn flow_role(self) -> Option<siaga_domain::Role> {
        self.info.with(|i| {
            i.as_ref()
                .and_then(|i| i.session.as_ref())
                .and_then(|s| s.flow_role)
        })
    }

    /// The signed-in account's Polda (`None`: signed out, or a national account).
    pub fn polda(self) -> Option<siaga_domain::PoldaId> {
        self.info
            .with(|i| i.as_ref().and_then(|i| i.session.as_ref()).and_then(|s| s.polda))
    }
}

/// The desk status provided by the app shell.
pub fn use_desk_status() -> DeskStatus {
    expect_context::<DeskStatus>()
}

/// Whether the sign-in dialog is open.
#[derive(Debug, Clone, Copy)]
pub struct SignInOpen(pub RwSignal<bool>);

/// The sign-in dialog switch provided by the app shell.
pub fn use_sign_in_open() -> RwSignal<bool> {
    expect_context::<SignInOpen>().0
}
