//! The Peta page: the map of Indonesia with the transit stations, camera presets, a legend and the
//! data credits. Incidents and kiosks join it when the desk's store delivers them.

use crate::i18n::Msg;
use crate::map::bridge::{Camera, OverlayPoint};
use crate::map::MapView;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_domain::region;
use siaga_domain::station::{station, stations, Station, TransitMode};

/// Camera presets: element key, label, camera.
const PRESETS: [(&str, Msg, Camera); 3] = [
    (
        "national",
        Msg::MapPresetNational,
        Camera {
            lon: 118.0,
            lat: -2.4,
            zoom: 4.1,
        },
    ),
    (
        "jabodetabek",
        Msg::MapPresetJabodetabek,
        Camera {
            lon: 106.83,
            lat: -6.3,
            zoom: 9.2,
        },
    ),
    (
        "jakarta",
        Msg::MapPresetJakarta,
        Camera {
            lon: 106.835,
            lat: -6.2,
            zoom: 11.0,
        },
    ),
];

/// The marker colour of a transit mode.
fn mode_colour(mode: TransitMode) -> &'static str {
    match mode {
        TransitMode::Mrt => "#14b8a6",
        TransitMode::Lrt => "#a78bfa",
        TransitMode::Krl => "#f97316",
        TransitMode::Brt => "#38bdf8",
    }
}

/// Body of the Map page.
#[component]
pub fn MapPage() -> impl IntoView {
    let prefs = use_prefs();
    let camera = RwSignal::new(PRESETS[0].2);
    let selected = RwSignal::new(None::<&'static Station>);
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
        if layer == "stations" {
            selected.set(station(&id));
        }
    });

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
    let legend = TransitMode::ALL
        .into_iter()
        .map(|mode| {
            view! {
                <li>
                    <span class="legend-dot" style=format!("background:{}", mode_colour(mode))></span>
                    {move || mode.label(prefs.language.get())}
                </li>
            }
        })
        .collect_view();

    view! {
        <div class="map-page">
            <MapView
                camera=camera
                stations=markers
                selected=Signal::derive(move || selected.get().map(|s| s.id.to_owned()))
                on_feature=on_feature
            />
            <div class="map-toolbar map-panel segmented" role="group" aria-label=move || prefs.t(Msg::MapPresetsLabel)>
                {presets}
            </div>
            {move || selected.get().map(|s| view! { <StationCard station=s on_close=move || selected.set(None) /> })}
            <section class="map-legend map-panel" aria-label=move || prefs.t(Msg::MapLegend)>
                <h2>{move || prefs.t(Msg::MapLegendStations)}</h2>
                <ul>{legend}</ul>
            </section>
            <div id="map-credits" class="map-credits">{move || prefs.t(Msg::MapCredits)}</div>
        </div>
    }
}

/// Details of the station the user clicked.
#[component]
fn StationCard(station: &'static Station, on_close: impl Fn() + 'static) -> impl IntoView {
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
