//! The Kiosk page: every station kiosk the desk knows, with its station, line, state (online, stale,
//! offline, alerting), the device's own report, battery and last heartbeat; alerting kiosks first.

use crate::desk_status::use_desk_status;
use crate::i18n::{elapsed, Msg};
use crate::ipc;
use crate::live::use_live;
use crate::map::style::kiosk_colour;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_domain::kiosk::KioskLight;
use siaga_domain::station::stations;
use siaga_ipc::{KioskView, KiosksCommand, KiosksRequest};

/// The lines serving the station of this name (the central lists a kiosk's station by name).
fn lines_of(station_name: &str) -> String {
    stations()
        .iter()
        .filter(|s| s.name == station_name)
        .flat_map(|s| s.lines.iter().copied())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Body of the Kiosks page.
#[component]
pub fn KiosksPage() -> impl IntoView {
    let prefs = use_prefs();
    let live = use_live();
    let status = use_desk_status();
    let kiosks = RwSignal::new(None::<Vec<KioskView>>);
    let now_ms = RwSignal::new(js_sys::Date::now());
    let load = move || {
        let stale_after_secs = prefs.kiosk_stale_secs.get_untracked();
        leptos::task::spawn_local(async move {
            if let Ok(list) = ipc::invoke::<KiosksCommand>(&KiosksRequest { stale_after_secs }).await {
                kiosks.set(Some(list));
            }
        });
    };
    Effect::new(move |_| {
        live.kiosks.track();
        live.incidents.track();
        prefs.kiosk_stale_secs.track();
        load();
    });
    Effect::new(move |_| {
        let tick = status.ticks.get();
        now_ms.set(js_sys::Date::now());
        if tick.is_multiple_of(5) {
            load();
        }
    });

    let counts = move || {
        let list = kiosks.get().unwrap_or_default();
        let count = |light: KioskLight| list.iter().filter(|k| k.light == light).count();
        [
            (KioskLight::Alerting, Msg::KiosksSummaryAlerting),
            (KioskLight::Online, Msg::KiosksSummaryOnline),
            (KioskLight::Stale, Msg::KiosksSummaryStale),
            (KioskLight::Offline, Msg::KiosksSummaryOffline),
        ]
        .into_iter()
        .map(|(light, label)| {
            view! {
                <span class="kiosk-count" data-light=light.code()>
                    <span class="legend-dot" style=format!("background:{}", kiosk_colour(light))></span>
                    <strong>{count(light)}</strong>
                    " "
                    {prefs.t(label)}
                </span>
            }
        })
        .collect_view()
    };
    let rows = move || {
        let language = prefs.language.get();
        let now = now_ms.get();
        kiosks
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|k| {
                let heartbeat = k.last_heartbeat_ms.map_or_else(
                    || prefs.t(Msg::KioskNever).to_owned(),
                    |ms| elapsed(((now - ms as f64) / 1000.0) as i64, language),
                );
                let lines = lines_of(&k.station);
                view! {
                    <tr class="kiosk-row" data-kiosk=k.kiosk_id.to_string() data-light=k.light.code()>
                        <td>{k.station.clone()}</td>
                        <td>{lines}</td>
                        <td class="mono">{k.kiosk_id.to_string()}</td>
                        <td>
                            <span class="legend-dot" style=format!("background:{}", kiosk_colour(k.light))></span>
                            {k.light.label(language)}
                        </td>
                        <td class="kiosk-health" data-health=k.status.code()>{k.status.label(language)}</td>
                        <td>{k.battery_pct.map_or("—".to_owned(), |b| format!("{b}%"))}</td>
                        <td>{heartbeat}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card wide">
            <header class="card-header">
                <h2>{move || prefs.t(Msg::PageKiosks)}</h2>
                <div id="kiosk-counts" class="kiosk-counts">{counts}</div>
            </header>
            {move || match kiosks.get() {
                Some(list) if list.is_empty() => Some(view! { <p id="kiosks-empty" class="muted">{prefs.t(Msg::KiosksEmpty)}</p> }.into_any()),
                None => Some(view! { <p class="muted">{prefs.t(Msg::Loading)}</p> }.into_any()),
                Some(_) => None,
            }}
            <table id="kiosk-table" class="table">
                <thead>
                    <tr>
                        <th>{move || prefs.t(Msg::KioskStation)}</th>
                        <th>{move || prefs.t(Msg::MapStationLines)}</th>
                        <th>{move || prefs.t(Msg::KioskId)}</th>
                        <th>{move || prefs.t(Msg::KioskLightLabel)}</th>
                        <th>{move || prefs.t(Msg::KioskDevice)}</th>
                        <th>{move || prefs.t(Msg::KioskBattery)}</th>
                        <th>{move || prefs.t(Msg::KioskLastHeartbeat)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
