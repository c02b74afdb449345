//! What the map shows, kept fresh: the incidents under the filters (one request at a time, again after
//! a change that came meanwhile) and the kiosks with their lights (on a change, and every 5 s).

use super::filters::StatusFilter;
use crate::desk_status::use_desk_status;
use crate::ipc;
use crate::live::use_live;
use crate::map::bridge::KioskPoint;
use crate::map::IncidentRows;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_domain::polda::PoldaId;
use siaga_domain::Category;
use siaga_ipc::{KioskView, KiosksCommand, KiosksRequest, MapIncidentsCommand, MapIncidentsRequest};
use wasm_bindgen::JsValue;

/// The most incidents the map asks for at once.
const MAP_LIMIT: u32 = 100_000;

/// The filter panel's choices.
#[derive(Debug, Clone, Copy)]
pub(super) struct MapFilters {
    pub status_filter: RwSignal<StatusFilter>,
    pub category: RwSignal<Option<Category>>,
    /// How far back, in hours (`None`: all).
    pub window_hours: RwSignal<Option<i64>>,
    pub polda: RwSignal<Option<PoldaId>>,
}

/// Keeps `rows` (and `shown`: how many, and whether the answer was cut at the limit) equal to the
/// store's incidents under `filters`, re-read on a filter change and whenever the store changes.
pub(super) fn follow_incidents(
    filters: MapFilters,
    rows: IncidentRows,
    shown: RwSignal<Option<(u32, bool)>>,
) {
    let live = use_live();
    let MapFilters {
        status_filter,
        category,
        window_hours,
        polda,
    } = filters;
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
}

/// The kiosks with their lights as map points, refreshed on a kiosk or incident change, on the stale
/// setting, and every 5 s; `kiosks` holds the full list for the kiosk panel.
pub(super) fn follow_kiosks(kiosks: RwSignal<Vec<KioskView>>) -> Memo<Vec<KioskPoint>> {
    let prefs = use_prefs();
    let live = use_live();
    let status = use_desk_status();
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
                    id: k.kiosk_id.to_string(),
                    name: k.station.clone(),
                    light: k.light.code(),
                    lon: k.lon,
                    lat: k.lat,
                })
                .collect::<Vec<_>>()
        })
    });
    kiosk_points
}
