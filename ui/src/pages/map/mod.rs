//! The Peta page: the live map of the desk's incidents (clustered, coloured by priority, a symbol per
//! kind, new ones pulsing) and station kiosks (online, stale, offline, alerting) over the offline
//! basemap with the transit stations; filters by status, category, time and Polda; a click opens the
//! incident's, kiosk's or station's panel. Everything re-reads the store when the shell says it changed.
//!
//! Parts: `camera` (presets and each desk's home view), `filters` (the filter panel), `legend` (the
//! legend and the fold buttons), `cards` (the incident, kiosk and station panels).

mod camera;
mod cards;
mod data;
mod filters;
mod legend;

use crate::components::alert_banner::use_map_focus;
use crate::desk_status::use_desk_status;
use crate::i18n::Msg;
use crate::ipc;
use crate::map::bridge::{Camera, OverlayPoint};
use crate::map::{IncidentRows, MapView};
use crate::prefs::use_prefs;
use camera::{home_camera, polda_camera, PRESETS};
use cards::{IncidentCard, KioskCard, StationCard};
use data::{follow_incidents, follow_kiosks, MapFilters};
use filters::{Filters, StatusFilter};
use legend::{mode_colour, Legend};
use leptos::prelude::*;
use siaga_domain::polda::PoldaId;
use siaga_domain::station::{station, stations, Station};
use siaga_domain::{Category, IncidentId};
use siaga_ipc::{IncidentCommand, IncidentRequest, KioskView};
use wasm_bindgen::JsValue;

#[derive(Debug, Clone, PartialEq)]
enum Selection {
    Station(&'static Station),
    Incident(IncidentId),
    Kiosk(String),
}

/// Body of the Map page.
#[component]
pub fn MapPage() -> impl IntoView {
    let prefs = use_prefs();
    let status = use_desk_status();
    let focus = use_map_focus();
    let streets = crate::streets::use_streets_revision();
    // The desk's own ground: Indonesia for a national account, else its Polda; the map opens there and
    // goes back there when another account signs in.
    let own_polda = Memo::new(move |_| {
        status
            .info
            .with(|info| info.as_ref().and_then(|i| i.session.as_ref()).map(|s| s.polda))
    });
    let camera = RwSignal::new(home_camera(own_polda.get_untracked()));
    Effect::new(move |previous: Option<Option<Option<PoldaId>>>| {
        let now = own_polda.get();
        if previous.is_some_and(|p| p != now) {
            camera.set(home_camera(now));
        }
        now
    });
    let selection = RwSignal::new(None::<Selection>);

    let status_filter = RwSignal::new(StatusFilter::Open);
    let category = RwSignal::new(None::<Category>);
    let window_hours = RwSignal::new(Some(24_i64));
    let polda = RwSignal::new(None::<PoldaId>);
    let rows = IncidentRows::new();
    let shown = RwSignal::new(None::<(u32, bool)>);
    let kiosks = RwSignal::new(Vec::<KioskView>::new());

    follow_incidents(
        MapFilters {
            status_filter,
            category,
            window_hours,
            polda,
        },
        rows,
        shown,
    );
    let kiosk_points = follow_kiosks(kiosks);

    // "Show on map" from the alert banner: fly to the incident and open it.
    Effect::new(move |_| {
        let Some(id) = focus.get() else { return };
        focus.set(None);
        let language = prefs.language.get_untracked();
        leptos::task::spawn_local(async move {
            if let Ok(incident) = ipc::invoke::<IncidentCommand>(&IncidentRequest { id, language }).await {
                if let Some(point) = incident.location.point {
                    camera.set(Camera {
                        lon: point.lon(),
                        lat: point.lat(),
                        zoom: 15.0,
                    });
                }
                selection.set(Some(Selection::Incident(id)));
            }
        });
    });

    let markers = stations()
        .iter()
        .map(|s| OverlayPoint {
            id: s.id.to_owned(),
            name: s.name.to_owned(),
            colour: mode_colour(s.mode),
            lon: s.point.lon(),
            lat: s.point.lat(),
        })
        .collect();
    let on_feature = Callback::new(move |(layer, id): (String, String)| {
        let picked = match layer.as_str() {
            "stations" => station(&id).map(Selection::Station),
            "incidents" => incident_id_of(&id).map(Selection::Incident),
            "kiosks" => Some(Selection::Kiosk(id)),
            _ => None,
        };
        selection.set(picked);
    });

    let own_preset = move || {
        let polda = own_polda.get().flatten()?;
        let target = polda_camera(polda);
        Some(view! {
            <button
                id="map-preset-polda"
                class="segment"
                class:active=move || camera.get() == target
                on:click=move |_| camera.set(target)
            >
                {polda.name()}
            </button>
        })
    };
    let presets = PRESETS
        .into_iter()
        .map(|(key, label, target)| {
            view! {
                <button
                    id=format!("map-preset-{key}")
                    class="segment"
                    class:active=move || camera.get() == target
                    on:click=move |_| camera.set(target)
                >
                    {move || prefs.t(label)}
                </button>
            }
        })
        .collect_view();

    view! {
        <div class="map-page">
            <MapView
                camera=camera
                stations=markers
                incidents=rows
                kiosks=kiosk_points
                selected=Signal::derive(move || match selection.get() {
                    Some(Selection::Station(s)) => Some(s.id.to_owned()),
                    _ => None,
                })
                selected_incident=Signal::derive(move || match selection.get() {
                    Some(Selection::Incident(id)) => Some(id.to_string()),
                    _ => None,
                })
                on_feature=on_feature
            />
            <div class="map-toolbar map-panel segmented" role="group" aria-label=move || prefs.t(Msg::MapPresetsLabel)>
                {own_preset}
                {presets}
            </div>
            <Filters status_filter category window_hours polda shown />
            {move || match selection.get() {
                Some(Selection::Station(s)) => {
                    Some(view! { <StationCard station=s on_close=move || selection.set(None) /> }.into_any())
                }
                Some(Selection::Incident(id)) => {
                    Some(view! { <IncidentCard id on_close=move || selection.set(None) /> }.into_any())
                }
                Some(Selection::Kiosk(id)) => {
                    let kiosk = kiosks.with(|list| list.iter().find(|k| k.kiosk_id.as_str() == id).cloned());
                    kiosk.map(|kiosk| {
                        view! { <KioskCard kiosk on_close=move || selection.set(None) /> }.into_any()
                    })
                }
                None => None,
            }}
            <Legend />
            <div id="map-credits" class="map-credits">
                {move || prefs.t(Msg::MapCredits)}
                {move || streets.active.get().then(|| format!("; {}", prefs.t(Msg::StreetsCredit)))}
            </div>
        </div>
    }
}

/// The incident id a map feature carries as its text.
fn incident_id_of(text: &str) -> Option<IncidentId> {
    serde_wasm_bindgen::from_value(JsValue::from_str(text)).ok()
}
