//! The map: [`MapView`], a Leptos component around the MapLibre GL JS bridge ([`bridge`]). It follows
//! the app's theme, shows the stations, incidents and kiosks it is given, flies where its camera signal
//! says and reports clicks. [`style`] decides colours and symbols.

pub mod bridge;
pub mod style;

use crate::i18n::Msg;
use crate::prefs::use_prefs;
use bridge::{Camera, KioskPoint, MapBridge, MapEvent, OverlayPoint};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// The incidents to draw: the rows of the latest `map_incidents` answer (kept as a JS value, never
/// decoded in wasm) and a revision bumped on every new answer.
#[derive(Debug, Clone, Copy)]
pub struct IncidentRows {
    pub rows: StoredValue<Option<JsValue>, LocalStorage>,
    pub revision: RwSignal<u64>,
    /// Whether incidents new in these rows arrived live (they pulse) rather than through a filter change.
    pub live: StoredValue<bool>,
}

impl IncidentRows {
    /// No rows yet.
    pub fn new() -> IncidentRows {
        IncidentRows {
            rows: StoredValue::new_local(None),
            revision: RwSignal::new(0),
            live: StoredValue::new(false),
        }
    }

    /// Replaces the rows; `live` when they follow a change in the store (new incidents then pulse), not
    /// a change of filter.
    pub fn set(self, rows: JsValue, live: bool) {
        self.rows.set_value(Some(rows));
        self.live.set_value(live);
        self.revision.update(|r| *r += 1);
    }
}

impl Default for IncidentRows {
    fn default() -> Self {
        IncidentRows::new()
    }
}

/// Grid cells drawn under every other overlay (the Analitik page's hotspots and forecast): a GeoJSON
/// FeatureCollection kept as a JS value and a revision bumped on every new one.
#[derive(Debug, Clone, Copy)]
pub struct CellLayer {
    pub collection: StoredValue<Option<JsValue>, LocalStorage>,
    pub revision: RwSignal<u64>,
}

impl CellLayer {
    /// No cells yet.
    pub fn new() -> CellLayer {
        CellLayer {
            collection: StoredValue::new_local(None),
            revision: RwSignal::new(0),
        }
    }

    /// Replaces the cells.
    pub fn set(self, collection: JsValue) {
        self.collection.set_value(Some(collection));
        self.revision.update(|r| *r += 1);
    }
}

impl Default for CellLayer {
    fn default() -> Self {
        CellLayer::new()
    }
}

/// The live map. `camera` is where it looks (a change flies there); `stations`, `incidents` and
/// `kiosks` its overlays; `selected` the station to ring and `selected_incident` the incident;
/// `on_feature` receives the layer and id of a clicked marker; `cells`, when given, are drawn beneath them.
#[component]
pub fn MapView(
    #[prop(into)] camera: Signal<Camera>,
    stations: Vec<OverlayPoint>,
    incidents: IncidentRows,
    #[prop(into)] kiosks: Signal<Vec<KioskPoint>>,
    #[prop(into)] selected: Signal<Option<String>>,
    #[prop(into)] selected_incident: Signal<Option<String>>,
    #[prop(into)] on_feature: Callback<(String, String)>,
    #[prop(optional)] cells: Option<CellLayer>,
) -> impl IntoView {
    let prefs = use_prefs();
    let streets = crate::streets::use_streets_revision();
    let container = NodeRef::<leptos::html::Div>::new();
    let map = StoredValue::new_local(None::<MapBridge>);
    let failed = RwSignal::new(false);
    // The engine's script loads beside the UI (index.html): the map is created once it is there.
    let engine_loaded = RwSignal::new(false);
    bridge::when_engine_loaded(move || {
        let _ = engine_loaded.try_set(true);
    });

    Effect::new(move |_| {
        let Some(element) = container.get() else {
            return;
        };
        if !engine_loaded.get() {
            return;
        }
        if map.with_value(Option::is_some) {
            return;
        }
        let theme = prefs.theme.get_untracked();
        let on_event = move |event| {
            if let MapEvent::Clicked { layer, id } = event {
                on_feature.run((layer, id));
            }
        };
        match MapBridge::create(
            &element,
            theme.key(),
            streets.revision.get_untracked(),
            camera.get_untracked(),
            &style::palette(),
            on_event,
        ) {
            Ok(created) => {
                created.set_stations(&stations);
                created.set_kiosks(&kiosks.get_untracked());
                if let Some(rows) = incidents.rows.get_value() {
                    created.set_incidents(&rows, false);
                }
                if let Some(collection) = cells.and_then(|c| c.collection.get_value()) {
                    created.set_cells(&collection);
                }
                map.set_value(Some(created));
            }
            Err(message) => {
                web_sys::console::error_1(&format!("map: {message}").into());
                failed.set(true);
            }
        }
    });
    Effect::new(move |_| {
        let theme = prefs.theme.get();
        map.with_value(|map| {
            if let Some(map) = map {
                map.set_theme(theme.key(), streets.revision.get_untracked());
            }
        });
    });
    // A street extract set or removed in Pengaturan: the style (with or without streets) loads again.
    Effect::new(move |previous: Option<u64>| {
        let revision = streets.revision.get();
        if previous.is_some_and(|p| p != revision) {
            map.with_value(|map| {
                if let Some(map) = map {
                    map.reload_style(prefs.theme.get_untracked().key(), revision);
                }
            });
        }
        revision
    });
    Effect::new(move |_| {
        let id = selected.get();
        map.with_value(|map| {
            if let Some(map) = map {
                map.select_station(id.as_deref());
            }
        });
    });
    Effect::new(move |_| {
        let id = selected_incident.get();
        map.with_value(|map| {
            if let Some(map) = map {
                map.select_incident(id.as_deref());
            }
        });
    });
    Effect::new(move |_| {
        incidents.revision.track();
        map.with_value(|map| {
            if let (Some(map), Some(rows)) = (map, incidents.rows.get_value()) {
                map.set_incidents(&rows, incidents.live.get_value());
            }
        });
    });
    if let Some(cells) = cells {
        Effect::new(move |_| {
            cells.revision.track();
            map.with_value(|map| {
                if let (Some(map), Some(collection)) = (map, cells.collection.get_value()) {
                    map.set_cells(&collection);
                }
            });
        });
    }
    Effect::new(move |_| {
        let kiosks = kiosks.get();
        map.with_value(|map| {
            if let Some(map) = map {
                map.set_kiosks(&kiosks);
            }
        });
    });
    // Every set of the camera flies (the same preset again brings back a map the user panned away);
    // the first run is the map's own starting view.
    Effect::new(move |first_done: Option<()>| {
        let target = camera.get();
        if first_done.is_some() {
            map.with_value(|map| {
                if let Some(map) = map {
                    map.fly_to(target);
                }
            });
        }
    });
    on_cleanup(move || {
        // Removes the map and its WebGL context now rather than whenever the owner is disposed.
        let _ = map.try_update_value(|map| map.take());
    });

    view! {
        <div id="map-view" class="map-view" node_ref=container></div>
        <Show when=move || failed.get()>
            <div id="map-failed" class="map-failed" role="alert">{move || prefs.t(Msg::MapFailed)}</div>
        </Show>
    }
}
