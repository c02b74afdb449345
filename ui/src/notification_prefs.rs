//! The operator's notification settings as the UI edits them: loaded from the desk (which keeps them in
//! its store and decides the notifications), and sent back when the muted categories or the UI's
//! language change (notifications are written in the UI's language).

use crate::ipc;
use crate::prefs::Prefs;
use leptos::prelude::*;
use siaga_domain::Category;
use siaga_ipc::{Empty, NotificationPrefs, NotificationPrefsCommand, SetNotificationPrefsCommand};

/// The muted categories, once loaded from the desk.
#[derive(Debug, Clone, Copy)]
pub struct NotificationSettings {
    pub muted: RwSignal<Vec<Category>>,
    pub loaded: RwSignal<bool>,
    /// The desk's answer to the last change, if it failed.
    pub error: RwSignal<Option<String>>,
}

impl NotificationSettings {
    /// Loads the settings, keeps the desk in step, and provides them to the app.
    pub fn provide(prefs: Prefs) -> NotificationSettings {
        let settings = NotificationSettings {
            muted: RwSignal::new(Vec::new()),
            loaded: RwSignal::new(false),
            error: RwSignal::new(None),
        };
        leptos::task::spawn_local(async move {
            if let Ok(stored) = ipc::invoke::<NotificationPrefsCommand>(&Empty {}).await {
                settings.muted.set(stored.muted);
            }
            settings.loaded.set(true);
        });
        Effect::new(move |_| {
            let muted = settings.muted.get();
            let language = prefs.language.get();
            if !settings.loaded.get() {
                return;
            }
            leptos::task::spawn_local(async move {
                let request = NotificationPrefs { muted, language };
                let answer = ipc::invoke::<SetNotificationPrefsCommand>(&request).await;
                settings.error.set(answer.err().map(|e| e.message));
            });
        });
        provide_context(settings);
        settings
    }
}

/// The notification settings provided by the app shell.
pub fn use_notification_settings() -> NotificationSettings {
    expect_context::<NotificationSettings>()
}
