//! The status bar: the link to the 110 central (online / syncing / offline, actions waiting, last
//! contact), the signed-in operator, the desk's version and a clock.

use crate::app::use_app_info;
use crate::desk_status::{use_desk_status, use_sign_in_open};
use crate::i18n::Msg;
use crate::ipc;
use crate::prefs::{use_prefs, Prefs};
use leptos::prelude::*;
use siaga_domain::Language;
use siaga_ipc::{Empty, LinkState, SignOutCommand};
use std::time::Duration;

/// The bar along the bottom of the window.
#[component]
pub fn StatusBar() -> impl IntoView {
    let prefs = use_prefs();
    let info = use_app_info();
    let status = use_desk_status();
    let current_page = expect_context::<crate::app::CurrentPage>().0;
    let sign_in_open = use_sign_in_open();
    let refusals_open = expect_context::<crate::components::refusals::RefusalsOpen>().0;
    let clock = RwSignal::new(time_text(prefs, js_sys::Date::new_0()));
    // Hours and minutes: the text (and so the window) changes once a minute, not every second, which keeps
    // an idle desk idle. The handle lives as long as the shell, which lives as long as the window.
    let _ = set_interval_with_handle(
        move || {
            let now = time_text(prefs, js_sys::Date::new_0());
            if clock.with_untracked(|shown| *shown != now) {
                clock.set(now);
            }
        },
        Duration::from_secs(1),
    );
    let version = move || match info.get() {
        Some(Ok(info)) => format!("v{} · {}", info.version, info.build_profile),
        Some(Err(_)) => prefs.t(Msg::CoreUnreachable).to_owned(),
        None => prefs.t(Msg::Loading).to_owned(),
    };
    let link = move || {
        status
            .info
            .with(|i| i.as_ref().map_or(LinkState::Offline, |i| i.link))
    };
    let link_key = move || match link() {
        LinkState::Offline => "offline",
        LinkState::Syncing => "syncing",
        LinkState::Online => "online",
    };
    let link_text = move || match link() {
        LinkState::Offline => prefs.t(Msg::CentralOffline),
        LinkState::Syncing => prefs.t(Msg::CentralSyncing),
        LinkState::Online => prefs.t(Msg::CentralOnline),
    };
    let pending = move || status.info.with(|i| i.as_ref().map_or(0, |i| i.pending));
    let rejected = move || {
        status
            .info
            .with(|i| i.as_ref().map_or(0, |i| i.unseen_rejections))
    };
    let last_contact = move || {
        status
            .info
            .with(|i| i.as_ref().and_then(|i| i.last_contact_ms))
            .map(|ms| {
                format!(
                    "{} {}",
                    prefs.t(Msg::LastContact),
                    time_text(prefs, js_sys::Date::new(&(ms as f64).into()))
                )
            })
    };
    let session = move || status.info.with(|i| i.as_ref().and_then(|i| i.session.clone()));
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            let _ = ipc::invoke::<SignOutCommand>(&Empty {}).await;
            status.refresh();
        });
    };
    view! {
        <footer class="statusbar">
            <span
                id="connection-state"
                class=move || format!("status-item connection {}", link_key())
                data-state=link_key
                data-pending=move || pending().to_string()
                title=move || prefs.t(if link() == LinkState::Online { Msg::CentralOnlineHint } else { Msg::CentralOfflineHint })
            >
                <span class="dot"></span>
                {move || prefs.t(Msg::CentralLabel)} ": " {link_text}
                <Show when=move || { pending() > 0 }>
                    <span id="pending-count" class="pill">{move || format!("{} {}", pending(), prefs.t(Msg::PendingActions))}</span>
                </Show>
                <Show when=move || { rejected() > 0 }>
                    <button
                        id="rejected-count"
                        class="pill danger pill-button"
                        on:click=move |_| refusals_open.update(|open| *open = !*open)
                    >
                        {move || format!("{} {}", rejected(), prefs.t(Msg::RejectedActions))}
                    </button>
                </Show>
            </span>
            <span id="last-contact" class="status-item muted">{move || last_contact().unwrap_or_default()}</span>
            <span id="operator" class="status-item">
                {move || prefs.t(Msg::OperatorLabel)} ": "
                {move || match session() {
                    Some(session) => view! {
                        <span id="operator-name">{session.operator.clone()}</span>
                        <span class="muted">" · " {session.role.clone()}</span>
                        <button id="sign-out" class="link-button" on:click=sign_out>{move || prefs.t(Msg::SignOut)}</button>
                    }.into_any(),
                    None => view! {
                        <span class="muted">{move || prefs.t(Msg::OperatorNone)}</span>
                        <button id="sign-in-open" class="link-button" on:click=move |_| sign_in_open.set(true)>
                            {move || prefs.t(Msg::SignIn)}
                        </button>
                    }.into_any(),
                }}
            </span>
            <span class="spacer"></span>
            {move || status.info.get().and_then(|info| info.update_offered).map(|version| view! {
                <button id="update-badge" class="pill pill-button" title={prefs.t(Msg::UpdateAvailable)}
                    on:click=move |_| current_page.set(crate::pages::Page::Settings)>
                    {prefs.t(Msg::UpdateBadge)} " " {version}
                </button>
            })}
            <span id="app-version" class="status-item" class:error=move || matches!(info.get(), Some(Err(_)))>
                {move || prefs.t(Msg::VersionLabel)} " " {version}
            </span>
            <span id="clock" class="status-item mono">{move || clock.get()}</span>
        </footer>
    }
}

/// A time of day in the UI's language, to the minute, e.g. `10.02`.
fn time_text(prefs: Prefs, at: js_sys::Date) -> String {
    let locale = match prefs.language.get_untracked() {
        Language::Id => "id-ID",
        Language::En => "en-GB",
    };
    let options = js_sys::Object::new();
    for key in ["hour", "minute"] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &"2-digit".into());
    }
    String::from(at.to_locale_time_string_with_options(locale, &options))
}
