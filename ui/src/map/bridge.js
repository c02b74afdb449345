// The map engine's side of the MapView bridge (see bridge.rs): the only code that talks to MapLibre GL JS.
// maplibre-gl.js (the CSP build, bundled into ui/dist by ./dev build-ui) defines `window.maplibregl`.
// Overlay data arrives from Rust: stations and kiosks as GeoJSON, incidents as compact rows (tens of
// thousands: turned into GeoJSON here, once, without a second copy through wasm). Colours, the category
// icons and kiosk lights come from Rust (`options.palette`), so Rust stays the one place that decides them.

const EMPTY = { type: "FeatureCollection", features: [] };
// What a click picks, most specific first.
const CLICKABLE = ["kiosks", "incidents", "incident-clusters", "stations"];
// How long a new incident pulses (ms), and how recent it must be to count as new.
const PULSE_MS = 6000;
const NEW_WITHIN_MS = 10 * 60 * 1000;

// Overlay layers go below the basemap's labels, so names stay readable over the markers.
const BELOW_LAYER = "label-sea";

function byPriority(palette, property) {
  const expression = ["match", property];
  for (const [rank, colour] of Object.entries(palette.priority)) {
    expression.push(Number(rank), colour);
  }
  expression.push(palette.priority["3"]);
  return expression;
}

function byCategory(palette) {
  const expression = ["match", ["get", "c"]];
  for (const [code, icon] of Object.entries(palette.categoryIcons)) {
    expression.push(code, icon);
  }
  expression.push(palette.defaultIcon);
  return expression;
}

function byLight(palette) {
  const expression = ["match", ["get", "light"]];
  for (const [light, colour] of Object.entries(palette.kiosk)) {
    expression.push(light, colour);
  }
  expression.push(palette.kiosk.offline);
  return expression;
}

function incidentLayers(theme, palette) {
  const ring = theme === "light" ? "#ffffff" : "#08101d";
  const alert = palette.kiosk.alerting;
  return [
    {
      id: "incident-clusters",
      type: "circle",
      source: "incidents",
      filter: ["has", "point_count"],
      paint: {
        "circle-color": byPriority(palette, ["get", "top"]),
        "circle-opacity": 0.85,
        "circle-radius": ["step", ["get", "point_count"], 13, 100, 17, 1000, 22, 10000, 28],
        "circle-stroke-color": ["case", [">", ["get", "alerts"], 0], alert, ring],
        "circle-stroke-width": ["case", [">", ["get", "alerts"], 0], 3, 1.5],
      },
    },
    {
      id: "incident-cluster-count",
      type: "symbol",
      source: "incidents",
      filter: ["has", "point_count"],
      layout: {
        "text-field": ["get", "point_count_abbreviated"],
        "text-font": ["Noto Sans Bold"],
        "text-size": 12,
        "text-allow-overlap": true,
      },
      paint: { "text-color": "#ffffff", "text-halo-color": "rgba(0,0,0,0.45)", "text-halo-width": 1 },
    },
    {
      id: "incident-alert-halo",
      type: "circle",
      source: "incidents",
      filter: ["all", ["!", ["has", "point_count"]], ["==", ["get", "a"], 1]],
      paint: { "circle-color": alert, "circle-opacity": 0.3, "circle-radius": 15 },
    },
    {
      id: "incidents",
      type: "symbol",
      source: "incidents",
      filter: ["!", ["has", "point_count"]],
      layout: {
        "icon-image": byCategory(palette),
        "icon-size": ["interpolate", ["linear"], ["zoom"], 8, 0.6, 14, 0.9],
        "icon-allow-overlap": true,
        "icon-ignore-placement": true,
        "symbol-sort-key": ["-", 5, ["get", "p"]],
      },
      paint: {
        "icon-color": byPriority(palette, ["get", "p"]),
        "icon-halo-color": ring,
        "icon-halo-width": 1.5,
      },
    },
    {
      id: "incidents-selected",
      type: "circle",
      source: "incidents",
      filter: ["==", ["get", "id"], ""],
      paint: {
        "circle-color": "rgba(0, 0, 0, 0)",
        "circle-radius": 14,
        "circle-stroke-color": "#e8b339",
        "circle-stroke-width": 3,
      },
    },
    {
      id: "incidents-pulse",
      type: "circle",
      source: "incidents-pulse",
      paint: {
        "circle-color": "rgba(0, 0, 0, 0)",
        "circle-radius": 10,
        "circle-stroke-color": byPriority(palette, ["get", "p"]),
        "circle-stroke-width": 3,
        "circle-stroke-opacity": 0.9,
      },
    },
    {
      id: "kiosks-alerting-halo",
      type: "circle",
      source: "kiosks",
      filter: ["==", ["get", "light"], "alerting"],
      paint: { "circle-color": alert, "circle-opacity": 0.35, "circle-radius": 18 },
    },
    {
      id: "kiosks",
      type: "circle",
      source: "kiosks",
      paint: {
        "circle-color": byLight(palette),
        "circle-radius": [
          "interpolate", ["linear"], ["zoom"],
          6, ["case", ["==", ["get", "light"], "alerting"], 7, 1.5],
          11, ["case", ["==", ["get", "light"], "alerting"], 9, 3],
          15, ["case", ["==", ["get", "light"], "alerting"], 11, 6],
        ],
        "circle-stroke-color": ring,
        "circle-stroke-width": ["interpolate", ["linear"], ["zoom"], 6, 0.5, 13, 1.5],
      },
    },
  ];
}

// Analytics cells (the Analitik page): Gi* classes as fills (hot red, cold blue, stronger at higher
// confidence) and the forecast's cells as an amber outline. Beneath every point layer.
function cellLayers(theme) {
  return [
    {
      id: "cells-fill",
      type: "fill",
      source: "cells",
      filter: ["!=", ["get", "giClass"], 0],
      paint: {
        "fill-color": [
          "match", ["get", "giClass"],
          3, "#d7301f", 2, "#fc8d59", 1, "#fdcc8a",
          -1, "#bdd7e7", -2, "#6baed6", -3, "#2171b5",
          "rgba(0, 0, 0, 0)",
        ],
        "fill-opacity": theme === "light" ? 0.55 : 0.6,
      },
    },
    {
      id: "cells-forecast",
      type: "line",
      source: "cells",
      filter: ["==", ["get", "forecast"], 1],
      paint: { "line-color": "#e8b339", "line-width": ["interpolate", ["linear"], ["zoom"], 9, 1, 14, 2.5] },
    },
  ];
}

function overlayLayers(theme, palette) {
  const ring = theme === "light" ? "#ffffff" : "#08101d";
  return [
    ...cellLayers(theme),
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
        // Stations are context: small and muted, so incidents and kiosks stand out over them.
        "circle-radius": ["interpolate", ["linear"], ["zoom"], 6, 1.2, 10, 2.5, 14, 5],
        "circle-stroke-color": ring,
        "circle-stroke-width": ["interpolate", ["linear"], ["zoom"], 6, 0.3, 12, 1],
        "circle-opacity": ["interpolate", ["linear"], ["zoom"], 6, 0.35, 9, 0.55],
      },
    },
    ...incidentLayers(theme, palette),
  ];
}

const INCIDENT_SOURCE = {
  type: "geojson",
  cluster: true,
  clusterRadius: 48,
  clusterMaxZoom: 13,
  // The most urgent priority (lowest rank) and the open alerts in each cluster.
  clusterProperties: { top: ["min", ["get", "p"]], alerts: ["+", ["get", "a"]] },
};

function addOverlays(state) {
  const { map } = state;
  for (const [id, data] of Object.entries(state.data)) {
    if (!map.getSource(id)) {
      map.addSource(id, id === "incidents" ? { ...INCIDENT_SOURCE, data } : { type: "geojson", data });
    }
  }
  for (const layer of overlayLayers(state.theme, state.palette)) {
    if (!map.getLayer(layer.id)) {
      map.addLayer(layer, map.getLayer(BELOW_LAYER) ? BELOW_LAYER : undefined);
    }
  }
  setSelected(state, state.selected);
  setSelectedIncident(state, state.selectedIncident);
}

// Turns the desk's compact incident rows into GeoJSON features (properties kept short: 50,000 of them).
function incidentFeatures(rows) {
  const features = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    features[i] = {
      type: "Feature",
      geometry: { type: "Point", coordinates: [r.lon, r.lat] },
      properties: { id: r.id, p: r.priority, c: r.category || "", s: r.status, a: r.alert ? 1 : 0 },
    };
  }
  return features;
}

function markReadyWhenIdle(state) {
  state.container.dataset.mapReady = "false";
  state.map.once("idle", () => {
    state.container.dataset.mapReady = "true";
    state.container.dataset.mapTheme = state.theme;
    state.onEvent("ready", null);
  });
}

// Calls `callback` once MapLibre GL JS (loaded async beside the UI by index.html) is there.
export function whenEngineLoaded(callback) {
  if (window.maplibregl) {
    callback();
    return;
  }
  const script = document.getElementById("maplibre-script");
  if (!script) {
    callback(); // No async tag (an older page): createMap reports the missing engine.
    return;
  }
  script.addEventListener("load", () => callback(), { once: true });
  script.addEventListener("error", () => callback(), { once: true });
}

// Creates the map in `container`. options: { styleUrl, theme, workerUrl, center: [lon, lat], zoom,
// palette: { priority: {rank: colour}, kiosk: {light: colour}, categoryIcons: {code: icon}, defaultIcon } }.
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
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");
  const state = {
    map,
    container,
    theme: options.theme,
    palette: options.palette,
    data: { cells: EMPTY, stations: EMPTY, incidents: EMPTY, "incidents-pulse": EMPTY, kiosks: EMPTY },
    selected: "",
    selectedIncident: "",
    onEvent,
    knownIncidents: null,
    pulseTimer: 0,
  };
  map.on("style.load", () => {
    addOverlays(state);
    markReadyWhenIdle(state);
  });
  map.on("error", (event) => {
    const message = event.error && event.error.message ? event.error.message : String(event.error);
    container.dataset.mapError = message;
    console.error("map:", message);
  });
  // One click handler: the most specific layer under the pointer wins (a kiosk over its incident over
  // a cluster over a station). A cluster zooms in instead of selecting.
  map.on("click", (event) => {
    const layers = CLICKABLE.filter((id) => map.getLayer(id));
    const hits = map.queryRenderedFeatures(event.point, { layers });
    for (const layer of layers) {
      const feature = hits.find((f) => f.layer.id === layer);
      if (!feature) {
        continue;
      }
      if (layer === "incident-clusters") {
        const source = map.getSource("incidents");
        source.getClusterExpansionZoom(feature.properties.cluster_id).then((zoom) => {
          map.easeTo({ center: feature.geometry.coordinates, zoom: Math.min(zoom, 16) });
        });
      } else {
        onEvent("click", { layer, id: String(feature.properties.id) });
      }
      return;
    }
  });
  for (const layer of CLICKABLE) {
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

// Loads the style again (a street extract was set or removed): overlays and their data come back.
export function reloadStyle(state, styleUrl, theme) {
  state.theme = theme;
  state.map.setStyle(styleUrl, { diff: false });
}

// Replaces the incidents: `rows` are the desk's map rows ({ id, lat, lon, priority, category, status,
// alert, receivedMs }). When `live` (a store change, not a filter change), incidents not shown before
// that arrived in the last minutes pulse for a while.
// Timing lands in the webview's performance timeline ("siaga-incidents-shown") and on the container
// (data-incidents-shown, data-incidents-render-ms) once the map has drawn them.
export function setIncidents(state, rows, nowMs, live) {
  const started = performance.now();
  const features = incidentFeatures(rows);
  const known = state.knownIncidents;
  const fresh = [];
  const next = new Set();
  for (let i = 0; i < rows.length; i++) {
    next.add(rows[i].id);
    if (live && known && !known.has(rows[i].id) && nowMs - rows[i].receivedMs < NEW_WITHIN_MS) {
      fresh.push(features[i]);
    }
  }
  state.knownIncidents = next;
  setData(state, "incidents", { type: "FeatureCollection", features });
  if (fresh.length > 0) {
    pulse(state, fresh);
  }
  state.container.dataset.incidentsShown = "pending";
  const root = document.documentElement;
  if (rows.length > 0 && !root.dataset.mapDataAt) {
    // The first time the map has drawn incidents: a start-up milestone for the window benchmark.
    state.map.once("idle", () => {
      root.dataset.mapDataAt ??= String(performance.now());
    });
  }
  const done = () => {
    const ms = performance.now() - started;
    performance.measure("siaga-incidents-shown", { start: started, duration: ms });
    state.container.dataset.incidentsShown = String(rows.length);
    state.container.dataset.incidentsRenderMs = ms.toFixed(1);
  };
  state.map.once("idle", done);
}

// Rings the given features with a growing, fading circle for PULSE_MS.
function pulse(state, features) {
  const { map } = state;
  setData(state, "incidents-pulse", { type: "FeatureCollection", features });
  const started = performance.now();
  cancelAnimationFrame(state.pulseTimer);
  const frame = (now) => {
    const t = now - started;
    if (t > PULSE_MS || !map.getLayer("incidents-pulse")) {
      setData(state, "incidents-pulse", EMPTY);
      return;
    }
    const phase = (t % 1200) / 1200;
    map.setPaintProperty("incidents-pulse", "circle-radius", 8 + 22 * phase);
    map.setPaintProperty("incidents-pulse", "circle-stroke-opacity", 0.9 * (1 - phase));
    state.pulseTimer = requestAnimationFrame(frame);
  };
  state.pulseTimer = requestAnimationFrame(frame);
}

// Rings the incident with this id ("" for none).
export function setSelectedIncident(state, id) {
  state.selectedIncident = id;
  if (state.map.getLayer("incidents-selected")) {
    state.map.setFilter("incidents-selected", ["all", ["!", ["has", "point_count"]], ["==", ["get", "id"], id]]);
  }
}

// Replaces the GeoJSON of an overlay source ("stations", "kiosks").
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

// A PNG (data URL) of the map shown in `#map-view`, taken inside a render frame (WebGL's buffer is still
// whole there), or "" when there is no map.
export function captureMapPng() {
  const container = document.querySelector("#map-view");
  const map = container && container.siagaMap;
  if (!map) {
    return Promise.resolve("");
  }
  return new Promise((resolve) => {
    map.once("render", () => resolve(map.getCanvas().toDataURL("image/png")));
    map.triggerRepaint();
  });
}

export function removeMap(state) {
  cancelAnimationFrame(state.pulseTimer);
  delete state.container.siagaMap;
  state.map.remove();
}
