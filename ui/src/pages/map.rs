//! The Peta page: the live map of the desk's incidents (clustered, coloured by priority, a symbol per
//! kind, new ones pulsing) and station kiosks (online, stale, offline, alerting) over the offline
//! basemap with the transit stations; filters by status, category, time and Polda; a click opens the
//! incident's, kiosk's or station's panel. Everything re-reads the store when the shell says it changed.

use crate::components::alert_banner::use_map_focus;
use crate::desk_status::use_desk_status;
use crate::i18n::{elapsed, Msg};
use crate::ipc;
use crate::live::use_live;
use crate::map::bridge::{Camera, KioskPoint, OverlayPoint};
use crate::map::style::{kiosk_colour, priority_colour, Family};
use crate::map::{IncidentRows, MapView};
use crate::prefs::{use_prefs, Prefs};
use leptos::prelude::*;
use siaga_domain::kiosk::KioskLight;
use siaga_domain::polda::PoldaId;
use siaga_domain::station::{station, stations, Station, TransitMode};
use siaga_domain::{region, Category, Incident, IncidentChange, IncidentId, IncidentStatus, Priority};
use siaga_ipc::{
    ActCommand, ActRequest, IncidentCommand, IncidentRequest, KioskView, KiosksCommand, KiosksRequest,
    MapIncidentsCommand, MapIncidentsRequest,
};
use wasm_bindgen::JsValue;

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

/// The most incidents the map asks for at once.
const MAP_LIMIT: u32 = 100_000;

/// The marker colour of a transit mode.
fn mode_colour(mode: TransitMode) -> &'static str {
    match mode {
        TransitMode::Mrt => "#14b8a6",
        TransitMode::Lrt => "#a78bfa",
        TransitMode::Krl => "#f97316",
        TransitMode::Brt => "#38bdf8",
    }
}

/// Which statuses the map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StatusFilter {
    Open,
    Closed,
    All,
}

impl StatusFilter {
    fn statuses(self) -> Vec<IncidentStatus> {
        match self {
            StatusFilter::Open => IncidentStatus::ALL
                .into_iter()
                .filter(|s| *s != IncidentStatus::Closed)
                .collect(),
            StatusFilter::Closed => vec![IncidentStatus::Closed],
            StatusFilter::All => Vec::new(),
        }
    }
}

/// How far back the map looks (by time received): key, label, hours (`None`: all).
const WINDOWS: [(&str, Msg, Option<i64>); 5] = [
    ("1h", Msg::MapWindowHour, Some(1)),
    ("6h", Msg::MapWindowSixHours, Some(6)),
    ("24h", Msg::MapWindowDay, Some(24)),
    ("7d", Msg::MapWindowWeek, Some(24 * 7)),
    ("all", Msg::MapFilterAll, None),
];

/// What the side panel shows.
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
    let live = use_live();
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

    // Incidents: re-read on any filter change and whenever the store changes, one request at a time
    // (a change during a request asks again once it is back).
    let in_flight = StoredValue::new(false);
    let again = StoredValue::new(false);
    let last_asked = StoredValue::new(None::<MapIncidentsRequest>);
    let request = move || MapIncidentsRequest {
        statuses: status_filter.get_untracked().statuses(),
        categories: category.get_untracked().into_iter().collect(),
        polda: polda.get_untracked(),
        since_ms: window_hours
            .get_untracked()
            .map(|h| js_sys::Date::now() as i64 - h * 3_600_000),
        limit: MAP_LIMIT,
    };
    fn fetch(
        request: impl Fn() -> MapIncidentsRequest + Copy + 'static,
        last_asked: StoredValue<Option<MapIncidentsRequest>>,
        rows: IncidentRows,
        shown: RwSignal<Option<(u32, bool)>>,
        in_flight: StoredValue<bool>,
        again: StoredValue<bool>,
    ) {
        // The page may have gone (another page opened) while a request or a retry timer was out: then
        // its values are disposed and there is nothing left to update.
        let Some(busy) = in_flight.try_get_value() else {
            return;
        };
        if busy {
            again.set_value(true);
            return;
        }
        in_flight.set_value(true);
        leptos::task::spawn_local(async move {
            let answer = ipc::invoke_raw::<MapIncidentsCommand>(&request()).await;
            if in_flight.try_get_value().is_none() {
                return;
            }
            if let Ok(answer) = answer {
                let incidents = js_sys::Reflect::get(&answer, &JsValue::from_str("incidents"))
                    .unwrap_or(JsValue::UNDEFINED);
                let truncated = js_sys::Reflect::get(&answer, &JsValue::from_str("truncated"))
                    .ok()
                    .and_then(|t| t.as_bool())
                    .unwrap_or(false);
                let count = js_sys::Array::from(&incidents).length();
                // A live change when the filters are what they were at the last answer.
                let asked = request();
                let live = last_asked.with_value(|last| {
                    last.as_ref().is_some_and(|l: &MapIncidentsRequest| {
                        l.statuses == asked.statuses
                            && l.categories == asked.categories
                            && l.polda == asked.polda
                    })
                });
                last_asked.set_value(Some(asked));
                rows.set(incidents, live);
                shown.set(Some((count, truncated)));
            }
            in_flight.set_value(false);
            if again.get_value() {
                // Changes arrived meanwhile: ask again, leaving the webview a breath between big answers.
                again.set_value(false);
                set_timeout(
                    move || fetch(request, last_asked, rows, shown, in_flight, again),
                    std::time::Duration::from_millis(250),
                );
            }
        });
    }
    Effect::new(move |_| {
        status_filter.track();
        category.track();
        window_hours.track();
        polda.track();
        live.incidents.track();
        fetch(request, last_asked, rows, shown, in_flight, again);
    });

    // Kiosks: on a kiosk or incident change (alerts light them), on the stale setting, and every 5 s
    // (a silent kiosk ages without any change).
    let load_kiosks = move || {
        let stale_after_secs = prefs.kiosk_stale_secs.get_untracked();
        leptos::task::spawn_local(async move {
            if let Ok(list) = ipc::invoke::<KiosksCommand>(&KiosksRequest { stale_after_secs }).await {
                kiosks.set(list);
            }
        });
    };
    Effect::new(move |_| {
        live.kiosks.track();
        live.incidents.track();
        prefs.kiosk_stale_secs.track();
        load_kiosks();
    });
    Effect::new(move |_| {
        if status.ticks.get().is_multiple_of(5) {
            load_kiosks();
        }
    });
    // A memo: the 5 s refresh mostly brings the same list, and the map redraws only on a real change.
    let kiosk_points = Memo::new(move |_| {
        kiosks.with(|list| {
            list.iter()
                .map(|k| KioskPoint {
                    id: k.kiosk_id.clone(),
                    name: k.station.clone(),
                    light: k.light.code(),
                    lon: k.lon,
                    lat: k.lat,
                })
                .collect::<Vec<_>>()
        })
    });

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
                    let kiosk = kiosks.with(|list| list.iter().find(|k| k.kiosk_id == id).cloned());
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

/// Where the map looks for a desk: its Polda for a Polda's account, Indonesia for a national one (or
/// before anyone signs in).
fn home_camera(own_polda: Option<Option<PoldaId>>) -> Camera {
    match own_polda.flatten() {
        Some(polda) => polda_camera(polda),
        None => PRESETS[0].2,
    }
}

/// A Polda's area: Greater Jakarta for Metro Jaya, else its home province around the headquarters.
fn polda_camera(polda: PoldaId) -> Camera {
    if polda == PoldaId::MetroJaya {
        return PRESETS[1].2;
    }
    let headquarters = polda.headquarters();
    Camera {
        lon: headquarters.lon(),
        lat: headquarters.lat(),
        zoom: 7.0,
    }
}

fn incident_id_of(text: &str) -> Option<IncidentId> {
    serde_wasm_bindgen::from_value(JsValue::from_str(text)).ok()
}

/// The filter panel, with the count of incidents shown.
#[component]
fn Filters(
    status_filter: RwSignal<StatusFilter>,
    category: RwSignal<Option<Category>>,
    window_hours: RwSignal<Option<i64>>,
    polda: RwSignal<Option<PoldaId>>,
    shown: RwSignal<Option<(u32, bool)>>,
) -> impl IntoView {
    let prefs = use_prefs();
    let statuses = [
        ("open", Msg::MapFilterOpen, StatusFilter::Open),
        ("closed", Msg::MapFilterClosed, StatusFilter::Closed),
        ("all", Msg::MapFilterAll, StatusFilter::All),
    ]
    .into_iter()
    .map(|(key, label, value)| {
        view! {
            <button
                id=format!("map-status-{key}")
                class="segment"
                class:active=move || status_filter.get() == value
                on:click=move |_| status_filter.set(value)
            >
                {move || prefs.t(label)}
            </button>
        }
    })
    .collect_view();
    let windows = WINDOWS
        .into_iter()
        .map(|(key, label, hours)| {
            view! {
                <button
                    id=format!("map-window-{key}")
                    class="segment"
                    class:active=move || window_hours.get() == hours
                    on:click=move |_| window_hours.set(hours)
                >
                    {move || prefs.t(label)}
                </button>
            }
        })
        .collect_view();
    let category_options = move || {
        let language = prefs.language.get();
        Category::ALL
            .iter()
            .map(|c| view! { <option value=c.code() selected=move || category.get() == Some(*c)>{c.label(language)}</option> })
            .collect_view()
    };
    let polda_options = move || {
        PoldaId::ALL
            .iter()
            .map(|p| view! { <option value=p.code() selected=move || polda.get() == Some(*p)>{p.name()}</option> })
            .collect_view()
    };
    view! {
        <section
            id="map-filters"
            class="map-filters map-panel"
            class:folded=move || !prefs.map_filters_open.get()
            aria-label=move || prefs.t(Msg::MapFilters)
        >
            <div class="map-panel-head">
                <h2>{move || prefs.t(Msg::MapFilters)}</h2>
                <FoldButton id="map-filters-toggle" open=prefs.map_filters_open />
            </div>
            <label class="filter-row">
                <span>{move || prefs.t(Msg::MapFilterStatus)}</span>
                <div class="segmented small">{statuses}</div>
            </label>
            <label class="filter-row">
                <span>{move || prefs.t(Msg::MapFilterWindow)}</span>
                <div class="segmented small">{windows}</div>
            </label>
            <label class="filter-row">
                <span>{move || prefs.t(Msg::MapFilterCategory)}</span>
                <select
                    id="map-category"
                    on:change=move |ev| category.set(event_target_value(&ev).parse().ok())
                >
                    <option value="" selected=move || category.get().is_none()>
                        {move || prefs.t(Msg::MapFilterAllCategories)}
                    </option>
                    {category_options}
                </select>
            </label>
            <label class="filter-row">
                <span>{move || prefs.t(Msg::MapFilterPolda)}</span>
                <select id="map-polda" on:change=move |ev| polda.set(event_target_value(&ev).parse().ok())>
                    <option value="" selected=move || polda.get().is_none()>
                        {move || prefs.t(Msg::MapFilterAllPoldas)}
                    </option>
                    {polda_options}
                </select>
            </label>
            <p id="map-shown" class="map-shown">
                {move || shown.get().map(|(count, truncated)| {
                    let more = if truncated { format!(" {}", prefs.t(Msg::MapTruncated)) } else { String::new() };
                    format!("{count} {}{more}", prefs.t(Msg::MapShown))
                })}
            </p>
        </section>
    }
}

/// Priorities, kinds, kiosk lights and stations.
#[component]
fn Legend() -> impl IntoView {
    let prefs = use_prefs();
    let priorities = Priority::ALL
        .into_iter()
        .map(|p| {
            view! {
                <li>
                    <span class="legend-dot" style=format!("background:{}", priority_colour(p))></span>
                    {move || format!("{} · {}", p.rank(), p.label(prefs.language.get()))}
                </li>
            }
        })
        .collect_view();
    let kinds = Family::ALL
        .into_iter()
        .map(|family| {
            view! {
                <li>
                    <span class="legend-glyph">{family.glyph()}</span>
                    {move || prefs.t(family_label(family))}
                </li>
            }
        })
        .collect_view();
    let lights = KioskLight::ALL
        .into_iter()
        .map(|light| {
            view! {
                <li>
                    <span class="legend-dot" style=format!("background:{}", kiosk_colour(light))></span>
                    {move || light.label(prefs.language.get())}
                </li>
            }
        })
        .collect_view();
    let modes = TransitMode::ALL
        .into_iter()
        .map(|mode| {
            view! {
                <li>
                    <span class="legend-dot small" style=format!("background:{}", mode_colour(mode))></span>
                    {move || mode.label(prefs.language.get())}
                </li>
            }
        })
        .collect_view();
    view! {
        <section
            id="map-legend"
            class="map-legend map-panel"
            class:folded=move || !prefs.map_legend_open.get()
            aria-label=move || prefs.t(Msg::MapLegend)
        >
            <button
                id="map-legend-toggle"
                class="panel-toggle legend-toggle"
                aria-expanded=move || prefs.map_legend_open.get().to_string()
                title=move || prefs.t(if prefs.map_legend_open.get() { Msg::MapFold } else { Msg::MapUnfold })
                on:click=move |_| prefs.map_legend_open.update(|open| *open = !*open)
            >
                {move || if prefs.map_legend_open.get() { "▾".to_owned() } else { format!("▸ {}", prefs.t(Msg::MapLegendButton)) }}
            </button>
            <div>
                <h2>{move || prefs.t(Msg::MapLegendPriority)}</h2>
                <ul>{priorities}</ul>
            </div>
            <div>
                <h2>{move || prefs.t(Msg::MapLegendKinds)}</h2>
                <ul>{kinds}</ul>
            </div>
            <div>
                <h2>{move || prefs.t(Msg::MapLegendKiosks)}</h2>
                <ul>{lights}</ul>
                <h2 class="legend-gap">{move || prefs.t(Msg::MapLegendStations)}</h2>
                <ul>{modes}</ul>
            </div>
        </section>
    }
}

/// The ▾/▸ button that folds a map panel away (the choice is remembered in the preferences).
#[component]
fn FoldButton(id: &'static str, open: RwSignal<bool>) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <button
            id=id
            class="panel-toggle"
            aria-expanded=move || open.get().to_string()
            title=move || prefs.t(if open.get() { Msg::MapFold } else { Msg::MapUnfold })
            aria-label=move || prefs.t(if open.get() { Msg::MapFold } else { Msg::MapUnfold })
            on:click=move |_| open.update(|open| *open = !*open)
        >
            {move || if open.get() { "▾" } else { "▸" }}
        </button>
    }
}

fn family_label(family: Family) -> Msg {
    match family {
        Family::Violence => Msg::FamilyViolence,
        Family::Property => Msg::FamilyProperty,
        Family::Traffic => Msg::FamilyTraffic,
        Family::Danger => Msg::FamilyDanger,
        Family::Medical => Msg::FamilyMedical,
        Family::Disaster => Msg::FamilyDisaster,
        Family::Disorder => Msg::FamilyDisorder,
        Family::Report => Msg::FamilyReport,
    }
}

fn local_time(prefs: Prefs, ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    let locale = prefs.language.get().tag();
    date.to_locale_string(locale, &JsValue::UNDEFINED).into()
}

/// An incident's details, re-read when the store changes, with Acknowledge for an open kiosk alert.
#[component]
fn IncidentCard(id: IncidentId, on_close: impl Fn() + Clone + 'static) -> impl IntoView {
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
fn KioskCard(kiosk: KioskView, on_close: impl Fn() + 'static) -> impl IntoView {
    let prefs = use_prefs();
    let colour = kiosk_colour(kiosk.light);
    let heartbeat = kiosk.last_heartbeat_ms;
    view! {
        <aside id="map-selection" class="map-selection map-panel" data-kiosk=kiosk.kiosk_id.clone()>
            <header>
                <h2>{kiosk.station.clone()}</h2>
                <button class="icon-button" aria-label=move || prefs.t(Msg::MapClose) on:click=move |_| on_close()>
                    "×"
                </button>
            </header>
            <dl>
                <dt>{move || prefs.t(Msg::KioskId)}</dt>
                <dd class="mono">{kiosk.kiosk_id.clone()}</dd>
                <dt>{move || prefs.t(Msg::KioskLightLabel)}</dt>
                <dd id="kiosk-light">
                    <span class="legend-dot" style=format!("background:{colour}")></span>
                    {move || kiosk.light.label(prefs.language.get())}
                </dd>
                <dt>{move || prefs.t(Msg::KioskDevice)}</dt>
                <dd>{kiosk.status.clone()}</dd>
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
