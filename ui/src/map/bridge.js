// The map engine's side of the MapView bridge (see bridge.rs): the only code that talks to MapLibre GL JS.
// maplibre-gl.js (the CSP build, bundled into ui/dist by ./dev build-ui) defines `window.maplibregl`.
// Overlay data arrives as GeoJSON built in Rust; colours come in each feature's `colour` property, so
// Rust stays the one place that decides them.

const EMPTY = { type: "FeatureCollection", features: [] };
const CLICKABLE = ["stations"];

// Overlay layers go below the basemap's labels, so names stay readable over the markers.
const BELOW_LAYER = "label-sea";

function overlayLayers(theme) {
  const ring = theme === "light" ? "#ffffff" : "#08101d";
  return [
    {
      id: "stations-selected",
      type: "circle",
      source: "stations",
      filter: ["==", ["get", "id"], ""],
      paint: {
        "circle-color": "rgba(0, 0, 0, 0)",
        "circle-radius": ["interpolate", ["linear"], ["zoom"], 6, 6, 14, 14],
        "circle-stroke-color": "#e8b339",
        "circle-stroke-width": 2.5,
      },
    },
    {
      id: "stations",
      type: "circle",
      source: "stations",
      minzoom: 6,
      paint: {
        "circle-color": ["get", "colour"],
        "circle-radius": ["interpolate", ["linear"], ["zoom"], 6, 1.5, 10, 3.5, 14, 7],
        "circle-stroke-color": ring,
        "circle-stroke-width": ["interpolate", ["linear"], ["zoom"], 6, 0.3, 12, 1.5],
        "circle-opacity": ["interpolate", ["linear"], ["zoom"], 6, 0.6, 9, 1],
      },
    },
  ];
}

function addOverlays(state) {
  const { map } = state;
  for (const [id, data] of Object.entries(state.data)) {
    if (!map.getSource(id)) {
      map.addSource(id, { type: "geojson", data });
    }
  }
  for (const layer of overlayLayers(state.theme)) {
    if (!map.getLayer(layer.id)) {
      map.addLayer(layer, map.getLayer(BELOW_LAYER) ? BELOW_LAYER : undefined);
    }
  }
  setSelected(state, state.selected);
}

function markReadyWhenIdle(state) {
  state.container.dataset.mapReady = "false";
  state.map.once("idle", () => {
    state.container.dataset.mapReady = "true";
    state.container.dataset.mapTheme = state.theme;
    state.onEvent("ready", null);
  });
}

// Creates the map in `container`. options: { styleUrl, theme, workerUrl, center: [lon, lat], zoom }.
// onEvent(kind, detail) receives "ready" (null) and "click" ({ layer, id }).
export function createMap(container, options, onEvent) {
  const maplibregl = window.maplibregl;
  if (!maplibregl) {
    throw new Error("maplibre-gl.js is not loaded");
  }
  maplibregl.setWorkerUrl(options.workerUrl);
  const map = new maplibregl.Map({
    container,
    style: options.styleUrl,
    center: options.center,
    zoom: options.zoom,
    minZoom: 2,
    maxZoom: 17,
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
    fadeDuration: 150,
  });
  map.touchZoomRotate.disableRotation();
  map.keyboard.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-right");
  const state = { map, container, theme: options.theme, data: { stations: EMPTY }, selected: "", onEvent };
  map.on("style.load", () => {
    addOverlays(state);
    markReadyWhenIdle(state);
  });
  map.on("error", (event) => {
    const message = event.error && event.error.message ? event.error.message : String(event.error);
    container.dataset.mapError = message;
    console.error("map:", message);
  });
  for (const layer of CLICKABLE) {
    map.on("click", layer, (event) => {
      const feature = event.features && event.features[0];
      if (feature) {
        onEvent("click", { layer, id: String(feature.properties.id) });
      }
    });
    map.on("mouseenter", layer, () => (map.getCanvas().style.cursor = "pointer"));
    map.on("mouseleave", layer, () => (map.getCanvas().style.cursor = ""));
  }
  // For end-to-end tests and debugging from the web inspector.
  container.siagaMap = map;
  return state;
}

// Switches to another style (the other theme); overlays and their data are added back.
export function setStyle(state, styleUrl, theme) {
  if (state.theme === theme) {
    return;
  }
  state.theme = theme;
  state.map.setStyle(styleUrl, { diff: false });
}

// Replaces the GeoJSON of an overlay source ("stations").
export function setData(state, source, data) {
  state.data[source] = data;
  const existing = state.map.getSource(source);
  if (existing) {
    existing.setData(data);
  }
}

// Rings the overlay feature with this id ("" for none).
export function setSelected(state, id) {
  state.selected = id;
  if (state.map.getLayer("stations-selected")) {
    state.map.setFilter("stations-selected", ["==", ["get", "id"], id]);
  }
}

export function flyTo(state, lon, lat, zoom) {
  state.map.flyTo({ center: [lon, lat], zoom, speed: 1.6, curve: 1.4, essential: true });
}

export function removeMap(state) {
  delete state.container.siagaMap;
  state.map.remove();
}
