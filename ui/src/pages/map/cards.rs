//! The side panels a click on the map opens: an incident (with Acknowledge for an open kiosk alert), a
//! kiosk, a station.

use crate::i18n::{elapsed, Msg};
use crate::ipc;
use crate::live::use_live;
use crate::map::style::{kiosk_colour, priority_colour};
use crate::prefs::{use_prefs, Prefs};
use leptos::prelude::*;
use siaga_domain::station::Station;
use siaga_domain::{region, Incident, IncidentChange, IncidentId};
use siaga_ipc::{ActCommand, ActRequest, IncidentCommand, IncidentRequest, KioskView};
use wasm_bindgen::JsValue;

pub(super) fn local_time(prefs: Prefs, ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    let locale = prefs.language.get().tag();
    date.to_locale_string(locale, &JsValue::UNDEFINED).into()
}

/// An incident's details, re-read when the store changes, with Acknowledge for an open kiosk alert.
#[component]
pub(super) fn IncidentCard(id: IncidentId, on_close: impl Fn() + Clone + 'static) -> impl IntoView {
    let prefs = use_prefs();
    let live = use_live();
    let incident = RwSignal::new(None::<Result<Incident, String>>);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        live.incidents.track();
        let language = prefs.language.get();
        leptos::task::spawn_local(async move {
            let answer = ipc::invoke::<IncidentCommand>(&IncidentRequest { id, language }).await;
            incident.set(Some(answer.map_err(|e| e.message)));
        });
    });
    let acknowledge = move |_| {
        let language = prefs.language.get_untracked();
        leptos::task::spawn_local(async move {
            let request = ActRequest {
                incident_id: id,
                change: IncidentChange::Acknowledged,
                language,
            };
            match ipc::invoke::<ActCommand>(&request).await {
                Ok(updated) => {
                    error.set(None);
                    incident.set(Some(Ok(updated)));
                }
                Err(failure) => error.set(Some(failure.message)),
            }
        });
    };
    let body = move || {
        let language = prefs.language.get();
        match incident.get() {
            None => view! { <p class="muted">{prefs.t(Msg::Loading)}</p> }.into_any(),
            Some(Err(message)) => view! { <p class="form-error">{message}</p> }.into_any(),
            Some(Ok(i)) => {
                let alerting = i.open_kiosk_alert().is_some();
                let category = i.category.map_or_else(
                    || prefs.t(Msg::ReportCategoryNone).to_owned(),
                    |c| c.label(language).to_owned(),
                );
                let received = local_time(prefs, (i.received_at.unix_timestamp_nanos() / 1_000_000) as f64);
                let acknowledged = i.acknowledged.as_ref().map(|a| {
                    format!(
                        "{} · {}",
                        a.by.id,
                        local_time(prefs, (a.at.unix_timestamp_nanos() / 1_000_000) as f64)
                    )
                });
                let notes = i
                    .notes
                    .iter()
                    .map(|n| view! { <li><span class="muted">{n.author.id.clone()}": "</span>{n.text.clone()}</li> })
                    .collect_view();
                view! {
                    <p class="incident-description">{i.description.clone()}</p>
                    <dl>
                        <dt>{prefs.t(Msg::FieldStatus)}</dt>
                        <dd id="incident-status">{i.status.label(language)}</dd>
                        <dt>{prefs.t(Msg::FieldPriority)}</dt>
                        <dd>
                            <span class="legend-dot" style=format!("background:{}", priority_colour(i.priority))></span>
                            {format!("{} · {}", i.priority.rank(), i.priority.label(language))}
                        </dd>
                        <dt>{prefs.t(Msg::FieldCategory)}</dt>
                        <dd>{category}</dd>
                        <dt>{prefs.t(Msg::FieldChannel)}</dt>
                        <dd>{i.channel.label(language)}</dd>
                        <dt>{prefs.t(Msg::FieldReceived)}</dt>
                        <dd>{received}</dd>
                        <dt>{prefs.t(Msg::FieldPolda)}</dt>
                        <dd>{i.polda.map(|p| p.name()).unwrap_or("—")}</dd>
                        <dt>{prefs.t(Msg::FieldAcknowledged)}</dt>
                        <dd id="incident-acknowledged">
                            {acknowledged.unwrap_or_else(|| prefs.t(Msg::NotAcknowledged).to_owned())}
                        </dd>
                    </dl>
                    {(!i.notes.is_empty()).then(|| view! {
                        <h3>{prefs.t(Msg::FieldNotes)}</h3>
                        <ul class="notes">{notes}</ul>
                    })}
                    {alerting.then(|| view! {
                        <button id="incident-acknowledge" class="button primary" on:click=acknowledge>
                            {prefs.t(Msg::Acknowledge)}
                        </button>
                    })}
                }
                .into_any()
            }
        }
    };
    view! {
        <aside id="map-selection" class="map-selection map-panel" data-incident=id.to_string()>
            <header>
                <h2>{move || prefs.t(Msg::IncidentDetail)}</h2>
                <button class="icon-button" aria-label=move || prefs.t(Msg::MapClose) on:click=move |_| on_close()>
                    "×"
                </button>
            </header>
            {body}
            {move || error.get().map(|message| view! { <p class="form-error">{message}</p> })}
        </aside>
    }
}

/// A kiosk's state.
#[component]
pub(super) fn KioskCard(kiosk: KioskView, on_close: impl Fn() + 'static) -> impl IntoView {
    let prefs = use_prefs();
    let colour = kiosk_colour(kiosk.light);
    let heartbeat = kiosk.last_heartbeat_ms;
    view! {
        <aside id="map-selection" class="map-selection map-panel" data-kiosk=kiosk.kiosk_id.to_string()>
            <header>
                <h2>{kiosk.station.clone()}</h2>
                <button class="icon-button" aria-label=move || prefs.t(Msg::MapClose) on:click=move |_| on_close()>
                    "×"
                </button>
            </header>
            <dl>
                <dt>{move || prefs.t(Msg::KioskId)}</dt>
                <dd class="mono">{kiosk.kiosk_id.to_string()}</dd>
                <dt>{move || prefs.t(Msg::KioskLightLabel)}</dt>
                <dd id="kiosk-light">
                    <span class="legend-dot" style=format!("background:{colour}")></span>
                    {move || kiosk.light.label(prefs.language.get())}
                </dd>
                <dt>{move || prefs.t(Msg::KioskDevice)}</dt>
                <dd id="kiosk-health" data-health=kiosk.status.code()>{move || kiosk.status.label(prefs.language.get())}</dd>
                <dt>{move || prefs.t(Msg::KioskLastHeartbeat)}</dt>
                <dd>
                    {move || match heartbeat {
                        Some(ms) => elapsed(((js_sys::Date::now() - ms as f64) / 1000.0) as i64, prefs.language.get()),
                        None => prefs.t(Msg::KioskNever).to_owned(),
                    }}
                </dd>
                <dt>{move || prefs.t(Msg::KioskBattery)}</dt>
                <dd>{kiosk.battery_pct.map_or("—".to_owned(), |b| format!("{b}%"))}</dd>
            </dl>
        </aside>
    }
}

/// Details of the station the user clicked.
#[component]
pub(super) fn StationCard(station: &'static Station, on_close: impl Fn() + 'static) -> impl IntoView {
    let prefs = use_prefs();
    let area = region::regency(station.regency).map_or("", |r| r.name);
    view! {
        <aside id="map-selection" class="map-selection map-panel">
            <header>
                <h2>{station.name}</h2>
                <button class="icon-button" aria-label=move || prefs.t(Msg::MapClose) on:click=move |_| on_close()>
                    "×"
                </button>
            </header>
            <dl>
                <dt>{move || prefs.t(Msg::MapStationMode)}</dt>
                <dd>{move || station.mode.label(prefs.language.get())}</dd>
                <dt>{move || prefs.t(Msg::MapStationLines)}</dt>
                <dd>{station.lines.join(", ")}</dd>
                <dt>{move || prefs.t(Msg::MapStationOperator)}</dt>
                <dd>{station.operator}</dd>
                <dt>{move || prefs.t(Msg::MapStationArea)}</dt>
                <dd>{area}</dd>
            </dl>
        </aside>
    }
}
