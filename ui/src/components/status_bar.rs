//! The status bar: link to the 110 central API, the signed-in operator, the desk's version and a clock.

use crate::app::use_app_info;
use crate::i18n::Msg;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use std::time::Duration;

/// The bar along the bottom of the window.
#[component]
pub fn StatusBar() -> impl IntoView {
    let prefs = use_prefs();
    let info = use_app_info();
    let clock = RwSignal::new(now_text(prefs));
    // The handle lives as long as the shell, which lives as long as the window.
    let _ = set_interval_with_handle(move || clock.set(now_text(prefs)), Duration::from_secs(1));
    let version = move || match info.get() {
        Some(Ok(info)) => format!("v{} · {}", info.version, info.build_profile),
        Some(Err(_)) => prefs.t(Msg::CoreUnreachable).to_owned(),
        None => prefs.t(Msg::Loading).to_owned(),
    };
    view! {
        <footer class="statusbar">
            <span
                id="connection-state"
                class="status-item connection offline"
                data-state="offline"
                title=move || prefs.t(Msg::CentralOfflineHint)
            >
                <span class="dot"></span>
                {move || prefs.t(Msg::CentralLabel)} ": " {move || prefs.t(Msg::CentralOffline)}
            </span>
            <span id="operator" class="status-item">
                {move || prefs.t(Msg::OperatorLabel)} ": "
                <span class="muted">{move || prefs.t(Msg::OperatorNone)}</span>
            </span>
            <span class="spacer"></span>
            <span id="app-version" class="status-item" class:error=move || matches!(info.get(), Some(Err(_)))>
                {move || prefs.t(Msg::VersionLabel)} " " {version}
            </span>
            <span id="clock" class="status-item mono">{move || clock.get()}</span>
        </footer>
    }
}

fn now_text(prefs: crate::prefs::Prefs) -> String {
    let locale = match prefs.language.get_untracked() {
        siaga_domain::Language::Id => "id-ID",
        siaga_domain::Language::En => "en-GB",
    };
    let now = js_sys::Date::new_0();
    String::from(now.to_locale_time_string(locale))
}
