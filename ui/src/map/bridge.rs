//! The Rust side of the map bridge: typed calls into `bridge.js`, which owns the MapLibre GL JS map.
//! Nothing else in the UI touches the map engine (docs/decisions/0001-map-engine.md), so another engine
//! can replace it behind these few functions.

use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/map/bridge.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = createMap)]
    fn create_map(
        container: &web_sys::HtmlElement,
        options: &JsValue,
        on_event: &js_sys::Function,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = setStyle)]
    fn set_style(state: &JsValue, style_url: &str, theme: &str);
    #[wasm_bindgen(js_name = reloadStyle)]
    fn reload_style(state: &JsValue, style_url: &str, theme: &str);
    #[wasm_bindgen(js_name = setData)]
    fn set_data(state: &JsValue, source: &str, data: &JsValue);
    #[wasm_bindgen(js_name = setSelected)]
    fn set_selected(state: &JsValue, id: &str);
    #[wasm_bindgen(js_name = setIncidents)]
    fn set_incidents(state: &JsValue, rows: &JsValue, now_ms: f64, live: bool);
    #[wasm_bindgen(js_name = setSelectedIncident)]
    fn set_selected_incident(state: &JsValue, id: &str);
    #[wasm_bindgen(js_name = flyTo)]
    fn fly_to(state: &JsValue, lon: f64, lat: f64, zoom: f64);
    #[wasm_bindgen(js_name = removeMap)]
    fn remove_map(state: &JsValue);
    #[wasm_bindgen(js_name = captureMapPng)]
    fn capture_map_png_js() -> js_sys::Promise;
    #[wasm_bindgen(js_name = whenEngineLoaded)]
    fn when_engine_loaded_js(callback: &JsValue);
}

/// A PNG data URL of the map on the page (`""` when there is none).
pub async fn capture_map_png() -> String {
    wasm_bindgen_futures::JsFuture::from(capture_map_png_js())
        .await
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Runs `then` once the map engine's script has loaded (at once if it has).
pub fn when_engine_loaded(then: impl FnOnce() + 'static) {
    when_engine_loaded_js(&Closure::once_into_js(then));
}

/// Where the map looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    pub lon: f64,
    pub lat: f64,
    pub zoom: f64,
}

/// What the map reports back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapEvent {
    /// The style and the tiles in view are loaded (again, after a theme switch).
    Ready,
    /// The user clicked a feature of an overlay layer.
    Clicked { layer: String, id: String },
}

/// A point of an overlay layer, as GeoJSON properties the layers read.
#[derive(Debug, Clone, Serialize)]
pub struct OverlayPoint {
    pub id: String,
    pub name: String,
    /// CSS colour of the marker.
    pub colour: &'static str,
    pub lon: f64,
    pub lat: f64,
}

/// A station kiosk on the map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KioskPoint {
    pub id: String,
    pub name: String,
    /// `online`, `stale`, `offline` or `alerting` (`KioskLight::code`).
    pub light: &'static str,
    #[serde(skip)]
    pub lon: f64,
    #[serde(skip)]
    pub lat: f64,
}

/// The colours and icons the overlay layers use, decided in Rust (`crate::map::style`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Palette {
    /// Priority rank ("1" … "4") → colour.
    pub priority: std::collections::BTreeMap<String, &'static str>,
    /// Kiosk light code → colour.
    pub kiosk: std::collections::BTreeMap<&'static str, &'static str>,
    /// Category code → sprite icon.
    pub category_icons: std::collections::BTreeMap<&'static str, &'static str>,
    /// The icon of an unclassified incident.
    pub default_icon: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Options<'a> {
    style_url: &'a str,
    theme: &'a str,
    worker_url: &'a str,
    center: [f64; 2],
    zoom: f64,
    palette: &'a Palette,
}

#[derive(Serialize)]
struct FeatureCollection<'a, P> {
    #[serde(rename = "type")]
    kind: &'static str,
    features: Vec<Feature<'a, P>>,
}

#[derive(Serialize)]
struct Feature<'a, P> {
    #[serde(rename = "type")]
    kind: &'static str,
    geometry: PointGeometry,
    properties: &'a P,
}

fn points<'a, P>(items: &'a [P], place: impl Fn(&P) -> [f64; 2]) -> FeatureCollection<'a, P> {
    FeatureCollection {
        kind: "FeatureCollection",
        features: items
            .iter()
            .map(|item| Feature {
                kind: "Feature",
                geometry: PointGeometry {
                    kind: "Point",
                    coordinates: place(item),
                },
                properties: item,
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct PointGeometry {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: [f64; 2],
}

/// The origin of the `tiles://` protocol as this webview addresses it: `tiles://localhost` where the app
/// itself is served from a custom scheme (Linux, macOS), `http://tiles.localhost` where it is served
/// over `http` (Windows).
pub fn tiles_origin() -> &'static str {
    let protocol = web_sys::window()
        .and_then(|w| w.location().protocol().ok())
        .unwrap_or_default();
    if protocol.starts_with("http") {
        "http://tiles.localhost"
    } else {
        "tiles://localhost"
    }
}

/// The URL of the style of `theme` (`dark` or `light`) at street-map revision `revision` (the query
/// only makes the webview fetch the style again after the street extract changed; the server ignores it).
pub fn style_url(theme: &str, revision: u64) -> String {
    format!("{}/styles/{theme}.json?v={revision}", tiles_origin())
}

/// A live map. Dropping it removes the map and frees its WebGL context.
#[allow(missing_debug_implementations)] // Holds JS handles.
pub struct MapBridge {
    state: JsValue,
    _on_event: Closure<dyn FnMut(String, JsValue)>,
}

#[derive(serde::Deserialize)]
struct ClickDetail {
    layer: String,
    id: String,
}

impl MapBridge {
    /// Creates a map in `container` with the style of `theme`, looking at `camera`.
    pub fn create(
        container: &web_sys::HtmlElement,
        theme: &str,
        revision: u64,
        camera: Camera,
        palette: &Palette,
        mut on_event: impl FnMut(MapEvent) + 'static,
    ) -> Result<MapBridge, String> {
        let options = Options {
            style_url: &style_url(theme, revision),
            theme,
            worker_url: "maplibre-gl-csp-worker.js",
            center: [camera.lon, camera.lat],
            zoom: camera.zoom,
            palette,
        };
        let options = options
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| e.to_string())?;
        let on_event = Closure::<dyn FnMut(String, JsValue)>::new(move |kind: String, detail: JsValue| {
            match kind.as_str() {
                "ready" => on_event(MapEvent::Ready),
                "click" => {
                    if let Ok(ClickDetail { layer, id }) = serde_wasm_bindgen::from_value(detail) {
                        on_event(MapEvent::Clicked { layer, id });
                    }
                }
                _ => {}
            }
        });
        let state = create_map(container, &options, on_event.as_ref().unchecked_ref())
            .map_err(|e| e.as_string().unwrap_or_else(|| format!("{e:?}")))?;
        Ok(MapBridge {
            state,
            _on_event: on_event,
        })
    }

    /// Switches to the style of `theme`, keeping the overlays.
    pub fn set_theme(&self, theme: &str, revision: u64) {
        set_style(&self.state, &style_url(theme, revision), theme);
    }

    /// Loads the style of `theme` again at street-map `revision` (an extract was set or removed).
    pub fn reload_style(&self, theme: &str, revision: u64) {
        reload_style(&self.state, &style_url(theme, revision), theme);
    }

    /// Replaces the points of the transit-station overlay.
    pub fn set_stations(&self, stations: &[OverlayPoint]) {
        let collection = points(stations, |p| [p.lon, p.lat]);
        if let Ok(data) = collection.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) {
            set_data(&self.state, "stations", &data);
        }
    }

    /// Replaces the analytics cells (`siaga_ipc::cells_geojson`: polygons with `giClass` and `forecast`).
    pub fn set_cells(&self, collection: &JsValue) {
        set_data(&self.state, "cells", collection);
    }

    /// Replaces the kiosk overlay.
    pub fn set_kiosks(&self, kiosks: &[KioskPoint]) {
        let collection = points(kiosks, |k| [k.lon, k.lat]);
        if let Ok(data) = collection.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) {
            set_data(&self.state, "kiosks", &data);
        }
    }

    /// Replaces the incidents with `rows`, the `incidents` array of a `map_incidents` answer as it came
    /// over IPC (not decoded in wasm: the shim builds the layer's data from it directly). When `live`,
    /// incidents not shown before that arrived in the last minutes pulse.
    pub fn set_incidents(&self, rows: &JsValue, live: bool) {
        set_incidents(&self.state, rows, js_sys::Date::now(), live);
    }

    /// Rings the incident with this id, or none.
    pub fn select_incident(&self, id: Option<&str>) {
        set_selected_incident(&self.state, id.unwrap_or_default());
    }

    /// Rings the station marker with this id, or none.
    pub fn select_station(&self, id: Option<&str>) {
        set_selected(&self.state, id.unwrap_or_default());
    }

    /// Flies the camera to `camera`.
    pub fn fly_to(&self, camera: Camera) {
        fly_to(&self.state, camera.lon, camera.lat, camera.zoom);
    }
}

impl Drop for MapBridge {
    fn drop(&mut self) {
        remove_map(&self.state);
    }
}
