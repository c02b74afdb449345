//! The kiosk alert banner: across the top of every page while a station kiosk's emergency call waits
//! for an operator, with the station, how long it has waited (ticking), and an Acknowledge button. The
//! acknowledgement is an incident event: it syncs, and the banner clears on every desk.

use crate::app::CurrentPage;
use crate::desk_status::use_desk_status;
use crate::i18n::{elapsed, Msg};
use crate::ipc;
use crate::live::use_live;
use crate::pages::Page;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_domain::{IncidentChange, IncidentId};
use siaga_ipc::{ActCommand, ActRequest, Empty, OpenAlertInfo, OpenAlertsCommand};

/// The incident the map should fly to and open (set by "Show on map").
#[derive(Debug, Clone, Copy)]
pub struct MapFocus(pub RwSignal<Option<IncidentId>>);

/// The focus request provided by the app shell.
pub fn use_map_focus() -> RwSignal<Option<IncidentId>> {
    expect_context::<MapFocus>().0
}

/// The banner (nothing while no alert waits).
#[component]
pub fn AlertBanner() -> impl IntoView {
    let prefs = use_prefs();
    let live = use_live();
    let status = use_desk_status();
    let page = expect_context::<CurrentPage>().0;
    let focus = use_map_focus();
    let alerts = RwSignal::new(Vec::<OpenAlertInfo>::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let now_ms = RwSignal::new(js_sys::Date::now());

    let reload = move || {
        leptos::task::spawn_local(async move {
            if let Ok(open) = ipc::invoke::<OpenAlertsCommand>(&Empty {}).await {
                alerts.set(open);
            }
        });
    };
    // On every store change, and every few seconds as a safety net; the clock ticks every second.
    Effect::new(move |_| {
        live.incidents.track();
        reload();
    });
    Effect::new(move |_| {
        let tick = status.ticks.get();
        now_ms.set(js_sys::Date::now());
        if tick.is_multiple_of(5) {
            reload();
        }
    });

    let acknowledge = move |incident_id: IncidentId| {
        busy.set(true);
        error.set(None);
        let language = prefs.language.get_untracked();
        leptos::task::spawn_local(async move {
            let request = ActRequest {
                incident_id,
                change: IncidentChange::Acknowledged,
                language,
            };
            match ipc::invoke::<ActCommand>(&request).await {
                Ok(_) => alerts.update(|a| a.retain(|alert| alert.incident_id != incident_id)),
                Err(failure) => error.set(Some(failure.message)),
            }
            busy.set(false);
            reload();
        });
    };

    // The banner is rebuilt only when the alert on top or the count changes (its glow then plays once
    // more); the waiting time ticks inside it.
    let head =
        Memo::new(move |_| alerts.with(|open| open.first().cloned().map(|first| (first, open.len() - 1))));
    move || {
        let (first, more) = head.get()?;
        let received_ms = first.received_ms as f64;
        let waited = move || ((now_ms.get() - received_ms) / 1000.0) as i64;
        let place = first.station.clone().unwrap_or_else(|| first.kiosk_id.clone());
        let incident_id = first.incident_id;
        Some(view! {
            <div
                id="alert-banner"
                class="alert-banner"
                role="alert"
                data-incident=incident_id.to_string()
                data-kiosk=first.kiosk_id.clone()
            >
                <span class="alert-banner-icon" aria-hidden="true">"⚠"</span>
                <strong class="alert-banner-title">{move || prefs.t(Msg::AlertBannerTitle)}</strong>
                <span id="alert-banner-station" class="alert-banner-station">{place}</span>
                <span class="alert-banner-kiosk">{first.kiosk_id.clone()}</span>
                <span id="alert-banner-elapsed" class="alert-banner-elapsed">
                    {move || prefs.t(Msg::AlertWaiting)}
                    " "
                    {move || elapsed(waited(), prefs.language.get())}
                </span>
                {(more > 0).then(|| view! {
                    <span class="alert-banner-more">{format!("+{more} ")}{move || prefs.t(Msg::AlertMore)}</span>
                })}
                {move || error.get().map(|message| view! { <span class="alert-banner-error">{message}</span> })}
                <span class="alert-banner-actions">
                    <button
                        id="alert-show"
                        class="button ghost"
                        on:click=move |_| {
                            focus.set(Some(incident_id));
                            page.set(Page::Map);
                        }
                    >
                        {move || prefs.t(Msg::AlertShow)}
                    </button>
                    <button
                        id="alert-acknowledge"
                        class="button primary"
                        disabled=move || busy.get()
                        on:click=move |_| acknowledge(incident_id)
                    >
                        {move || prefs.t(Msg::Acknowledge)}
                    </button>
                </span>
            </div>
        })
    }
}
