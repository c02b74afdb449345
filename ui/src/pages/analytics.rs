//! The Analitik page: hotspots and the next week's forecast on the map, the hour × weekday clock, the
//! categories' trends, the crime-prone districts and the traffic view — computed by the desk over its own
//! incidents (`analytics`; decision 0012). Prank and empty calls never count as crime.

use crate::desk_status::use_desk_status;
use crate::i18n::Msg;
use crate::ipc;
use crate::map::bridge::Camera;
use crate::map::{CellLayer, IncidentRows, MapView};
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_domain::Category;
use siaga_ipc::{
    AnalyticsCommand, AnalyticsRequest, AnalyticsResultsExportCommand, AnalyticsView, ResearchExportCommand,
    ResearchExportInfo, ResearchExportRequest, ResultsExportInfo, ResultsExportRequest,
};

const PERIODS: [u32; 4] = [7, 30, 90, 365];
const CELLS: [u32; 3] = [250, 500, 1000];
const DAYS: [Msg; 7] = [
    Msg::DayMon,
    Msg::DayTue,
    Msg::DayWed,
    Msg::DayThu,
    Msg::DayFri,
    Msg::DaySat,
    Msg::DaySun,
];

/// The cells as the map's GeoJSON layer.
fn cell_collection(view: &AnalyticsView) -> wasm_bindgen::JsValue {
    use serde::Serialize;
    siaga_ipc::cells_geojson(&view.cells)
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(wasm_bindgen::JsValue::NULL)
}

/// Body of the Analytics page.
#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let prefs = use_prefs();
    let period = RwSignal::new(30u32);
    let cell = RwSignal::new(500u32);
    let category = RwSignal::new(None::<Category>);
    let view_data = RwSignal::new(None::<AnalyticsView>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let started_ms = RwSignal::new(0.0);
    let cells = CellLayer::new();
    let status = use_desk_status();
    let national = move || {
        status.info.with(|i| {
            i.as_ref()
                .and_then(|i| i.session.as_ref())
                .is_some_and(|s| s.polda.is_none())
        })
    };
    let elapsed = move || {
        status.ticks.track();
        ((js_sys::Date::now() - started_ms.get()) / 1000.0)
            .max(0.0)
            .round()
    };
    let camera = RwSignal::new(Camera {
        lon: 106.835,
        lat: -6.22,
        zoom: 10.3,
    });
    // A national desk may narrow the analysis to one Polda; a Polda desk always analyses its own.
    let polda = RwSignal::new(None::<siaga_domain::PoldaId>);
    let compute = move || {
        let request = AnalyticsRequest {
            category: category.get_untracked(),
            period_days: period.get_untracked(),
            cell_m: cell.get_untracked(),
            polda: polda.get_untracked(),
        };
        busy.set(true);
        started_ms.set(js_sys::Date::now());
        leptos::task::spawn_local(async move {
            match ipc::invoke::<AnalyticsCommand>(&request).await {
                Ok(result) => {
                    cells.set(cell_collection(&result));
                    view_data.set(Some(result));
                    error.set(None);
                    busy.set(false);
                }
                // Stopped by the analyst or by a newer request: that one's answer is what counts.
                Err(e) if e.code == "cancelled" => {}
                Err(e) => {
                    error.set(Some(e.message));
                    busy.set(false);
                }
            }
        });
    };
    let cancel = move |_| {
        busy.set(false);
        leptos::task::spawn_local(async move {
            let _ = ipc::invoke::<siaga_ipc::AnalyticsCancelCommand>(&siaga_ipc::Empty {}).await;
        });
    };
    // Computed on open and on every change of filter; new incidents wait for "Recompute" (a shift's
    // analysis does not jump while the analyst reads it).
    Effect::new(move |_| {
        period.track();
        polda.track();
        cell.track();
        category.track();
        compute();
    });

    let summary = move || {
        view_data.get().map(|v| {
            let outside = v.outside_polda;
            view! {
                <div class="analytics-summary" id="analytics-summary"
                     data-points=v.points data-hot=v.hot_cells data-cold=v.cold_cells data-forecast=v.forecast_cells>
                    <span><strong>{v.points}</strong>" "{prefs.t(Msg::AnalyticsIncidents)}</span>
                    <span><strong>{v.hot_cells}</strong>" "{prefs.t(Msg::AnalyticsHotCells)}</span>
                    <span><strong>{v.cold_cells}</strong>" "{prefs.t(Msg::AnalyticsColdCells)}</span>
                    <span><strong>{v.forecast_cells}</strong>" "{prefs.t(Msg::AnalyticsForecastCells)}</span>
                    <span class="muted">{format!("UTM {} · {} m", v.utm_zone, v.cell_m)}</span>
                    <Show when=move || outside != 0>
                        <span class="muted" id="analytics-outside">{v.outside_polda}" "{prefs.t(Msg::AnalyticsOutside)}</span>
                    </Show>
                </div>
            }
        })
    };

    let heatmap = move || {
        let v = view_data.get()?;
        let max = v.heatmap.iter().copied().max().unwrap_or(0).max(1);
        let hours = (0..24).map(|h| view! { <span class="hm-hour">{if h % 3 == 0 { format!("{h:02}") } else { String::new() }}</span> }).collect_view();
        let rows = DAYS
            .iter()
            .enumerate()
            .map(|(d, day)| {
                let cells = (0..24)
                    .map(|h| {
                        let n = v.heatmap[d * 24 + h];
                        let alpha = f64::from(n) / f64::from(max);
                        view! {
                            <span class="hm-cell" title=format!("{n}") data-count=n
                                  style=format!("background: rgba(215, 48, 31, {:.3})", 0.06 + 0.94 * alpha)></span>
                        }
                    })
                    .collect_view();
                view! { <span class="hm-day">{prefs.t(*day)}</span>{cells} }
            })
            .collect_view();
        Some(view! {
            <section class="card wide analytics-card" id="analytics-heatmap">
                <div class="card-header"><h2>{prefs.t(Msg::AnalyticsHeatmap)}" ("{v.time_zone.clone()}")"</h2></div>
                <div class="heatmap"><span></span>{hours}{rows}</div>
            </section>
        })
    };

    let trends = move || {
        let v = view_data.get()?;
        let language = prefs.language.get();
        let rows = v
            .trends
            .iter()
            .map(|t| {
                let (mark, class) = if t.p < 0.05 && t.recent > t.before {
                    (format!("▲ {}", prefs.t(Msg::AnalyticsRise)), "trend-rise")
                } else if t.p < 0.05 {
                    (format!("▼ {}", prefs.t(Msg::AnalyticsFall)), "trend-fall")
                } else {
                    (prefs.t(Msg::AnalyticsSteady).to_string(), "muted")
                };
                view! {
                    <tr data-category=t.category.code()>
                        <td>{t.category.label(language)}</td>
                        <td>{t.recent}</td>
                        <td>{t.before}</td>
                        <td class=class title=format!("p = {:.4}", t.p)>{mark}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <section class="card wide analytics-card" id="analytics-trends">
                <div class="card-header"><h2>{prefs.t(Msg::AnalyticsTrends)}</h2></div>
                <table class="table">
                    <thead><tr>
                        <th>{prefs.t(Msg::AnalyticsCategory)}</th><th>{prefs.t(Msg::AnalyticsRecent)}</th>
                        <th>{prefs.t(Msg::AnalyticsBefore)}</th><th>{prefs.t(Msg::AnalyticsChange)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                {(!v.marked_periods.is_empty()).then(|| view! {
                    <p class="muted small" id="analytics-marked">{prefs.t(Msg::AnalyticsMarked)}" "{v.marked_periods.join(", ")}</p>
                })}
            </section>
        })
    };

    let areas = move || {
        let v = view_data.get()?;
        let rows = v
            .areas
            .iter()
            .map(|a| {
                let (lat, lon) = (a.lat, a.lon);
                view! {
                    <tr class="area-row" data-code=a.code.clone()
                        on:click=move |_| camera.set(Camera { lon, lat, zoom: 13.0 })>
                        <td><strong>{a.name.clone()}</strong><span class="muted">" · "{a.regency.clone()}</span></td>
                        <td>{a.count}</td>
                        <td class="nowrap">{format!("{:.0} %", a.hot_share * 100.0)}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <section class="card wide analytics-card" id="analytics-areas">
                <div class="card-header"><h2>{prefs.t(Msg::AnalyticsAreas)}</h2></div>
                <p class="muted small">{prefs.t(Msg::AnalyticsAreasHint)}</p>
                <table class="table">
                    <thead><tr>
                        <th>{prefs.t(Msg::AnalyticsDistrict)}</th><th>{prefs.t(Msg::AnalyticsCount)}</th>
                        <th>{prefs.t(Msg::AnalyticsInHot)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        })
    };

    let traffic = move || {
        let v = view_data.get()?;
        let max = v
            .traffic
            .iter()
            .flat_map(|t| t.hours.iter().copied())
            .max()
            .unwrap_or(0)
            .max(1);
        let body = if v.traffic.is_empty() {
            view! { <p class="muted">{prefs.t(Msg::AnalyticsNoTraffic)}</p> }.into_any()
        } else {
            v.traffic
                .iter()
                .map(|t| {
                    let hours = t
                        .hours
                        .iter()
                        .enumerate()
                        .map(|(h, &n)| {
                            let alpha = f64::from(n) / f64::from(max);
                            view! { <span class="hm-cell" title=format!("{h:02}:00 · {n}")
                                style=format!("background: rgba(232, 179, 57, {:.3})", 0.06 + 0.94 * alpha)></span> }
                        })
                        .collect_view();
                    view! { <div class="traffic-row"><span class="traffic-name">{t.district.clone()}" ("{t.total}")"</span><div class="traffic-hours">{hours}</div></div> }
                })
                .collect_view()
                .into_any()
        };
        Some(view! {
            <section class="card wide analytics-card" id="analytics-traffic">
                <div class="card-header"><h2>{prefs.t(Msg::AnalyticsTraffic)}</h2></div>
                {body}
            </section>
        })
    };

    let empty = move || view_data.get().is_some_and(|v| v.points == 0);

    // The page's results as files (the map as the analyst sees it included).
    let results_saved = RwSignal::new(None::<ResultsExportInfo>);
    let export_results = move |_| {
        let analysis = AnalyticsRequest {
            category: category.get_untracked(),
            period_days: period.get_untracked(),
            cell_m: cell.get_untracked(),
            polda: polda.get_untracked(),
        };
        let language = prefs.language.get_untracked();
        leptos::task::spawn_local(async move {
            let map_png = crate::map::bridge::capture_map_png().await;
            match ipc::invoke::<AnalyticsResultsExportCommand>(&ResultsExportRequest {
                analysis,
                map_png,
                language,
            })
            .await
            {
                Ok(info) => {
                    results_saved.set(Some(info));
                    error.set(None);
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };

    // The research export: analysts and supervisors only (the desk checks too).
    let may_export = move || {
        status.info.with(|i| {
            i.as_ref()
                .and_then(|i| i.session.as_ref())
                .is_some_and(|s| matches!(s.role.as_str(), "analyst" | "supervisor"))
        })
    };
    let k = RwSignal::new(5u32);
    let rounding = RwSignal::new("hour".to_string());
    let exported = RwSignal::new(None::<ResearchExportInfo>);
    let export_error = RwSignal::new(None::<String>);
    let exporting = RwSignal::new(false);
    let export = move |_| {
        let request = ResearchExportRequest {
            period_days: period.get_untracked(),
            k: k.get_untracked(),
            cell_m: cell.get_untracked(),
            rounding: rounding.get_untracked(),
            language: prefs.language.get_untracked(),
        };
        exporting.set(true);
        leptos::task::spawn_local(async move {
            match ipc::invoke::<ResearchExportCommand>(&request).await {
                Ok(info) => {
                    exported.set(Some(info));
                    export_error.set(None);
                }
                Err(e) => {
                    exported.set(None);
                    export_error.set(Some(e.message));
                }
            }
            exporting.set(false);
        });
    };
    let export_card = move || {
        may_export().then(|| view! {
            <section class="card wide analytics-card" id="analytics-export">
                <div class="card-header"><h2>{prefs.t(Msg::ExportTitle)}</h2></div>
                <p class="muted small">{prefs.t(Msg::ExportHint)}</p>
                <div class="analytics-toolbar">
                    <label class="field inline"><span>"k"</span>
                        <input id="export-k" type="number" min="2" max="1000" prop:value=move || k.get().to_string()
                            on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { k.set(v) } } />
                    </label>
                    <label class="field inline"><span>{prefs.t(Msg::ExportRounding)}</span>
                        <select id="export-rounding" on:change=move |ev| rounding.set(event_target_value(&ev))>
                            <option value="hour">{prefs.t(Msg::ExportHour)}</option>
                            <option value="day">{prefs.t(Msg::ExportDay)}</option>
                            <option value="week">{prefs.t(Msg::ExportWeek)}</option>
                        </select>
                    </label>
                    <button class="button primary" id="export-submit" disabled=move || exporting.get() on:click=export>
                        {prefs.t(Msg::ExportButton)}
                    </button>
                </div>
                {move || exported.get().map(|info| view! {
                    <p class="small" id="export-result" data-rows=info.rows data-folder=info.folder.clone()>
                        <strong>{prefs.t(Msg::ExportDone)}</strong>": "<code>{info.folder.clone()}</code><br/>
                        {info.rows}" "{prefs.t(Msg::ExportRows)}" · "{info.merged}" "{prefs.t(Msg::ExportMerged)}
                        " · "{info.suppressed}" "{prefs.t(Msg::ExportSuppressed)}
                    </p>
                })}
                {move || export_error.get().map(|e| view! { <p class="form-error" role="alert" id="export-error">{e}</p> })}
            </section>
        })
    };

    view! {
        <div class="analytics-page" id="analytics-page" data-busy=move || busy.get().to_string()>
            <div class="analytics-toolbar">
                <label class="field inline"><span>{move || prefs.t(Msg::AnalyticsPeriod)}</span>
                    <select id="analytics-period" on:change=move |ev| {
                        if let Ok(days) = event_target_value(&ev).parse() { period.set(days) }
                    }>
                        {PERIODS.iter().map(|&d| view! {
                            <option value=d selected=move || period.get() == d>{move || format!("{d} {}", prefs.t(Msg::AnalyticsDays))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field inline"><span>{move || prefs.t(Msg::AnalyticsCategory)}</span>
                    <select id="analytics-category" on:change=move |ev| category.set(event_target_value(&ev).parse().ok())>
                        <option value="">{move || prefs.t(Msg::AnalyticsAllCategories)}</option>
                        {move || {
                            let language = prefs.language.get();
                            Category::ALL.iter().filter(|c| !c.is_prank_or_empty()).map(|c| {
                                let c = *c;
                                view! { <option value=c.code() selected=move || category.get() == Some(c)>{c.label(language)}</option> }
                            }).collect_view()
                        }}
                    </select>
                </label>
                <label class="field inline"><span>{move || prefs.t(Msg::AnalyticsCellSize)}</span>
                    <select id="analytics-cell" on:change=move |ev| {
                        if let Ok(m) = event_target_value(&ev).parse() { cell.set(m) }
                    }>
                        {CELLS.iter().map(|&m| view! {
                            <option value=m selected=move || cell.get() == m>{format!("{m} m")}</option>
                        }).collect_view()}
                    </select>
                </label>
                <Show when=national>
                    <label class="field inline"><span>{move || prefs.t(Msg::AnalyticsPolda)}</span>
                        <select id="analytics-polda" on:change=move |ev| polda.set(event_target_value(&ev).parse().ok())>
                            <option value="">{move || prefs.t(Msg::AnalyticsAllPoldas)}</option>
                            {siaga_domain::PoldaId::ALL.iter().map(|p| {
                                let p = *p;
                                view! { <option value=p.code()>{p.name()}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
                <button class="button" id="analytics-recompute" disabled=move || busy.get() on:click=move |_| compute()>
                    {move || if busy.get() {
                        format!("{} {} s", prefs.t(Msg::AnalyticsComputing), elapsed())
                    } else {
                        prefs.t(Msg::AnalyticsRecompute).to_string()
                    }}
                </button>
                <Show when=move || busy.get()>
                    <button class="button ghost" id="analytics-cancel" on:click=cancel>{move || prefs.t(Msg::AnalyticsCancel)}</button>
                </Show>
                <button class="button ghost" id="analytics-results-export" on:click=export_results>
                    {move || prefs.t(Msg::ResultsExport)}
                </button>
                {summary}
            </div>
            {move || results_saved.get().map(|info| view! {
                <p class="small" id="results-export-result" data-folder=info.folder.clone() data-files=info.files.join(",")>
                    {prefs.t(Msg::ResultsSaved)}" "<code>{info.folder.clone()}</code>": "{info.files.join(", ")}
                </p>
            })}
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert" id="analytics-error">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <Show when=empty>
                <p class="muted" id="analytics-empty">{move || prefs.t(Msg::AnalyticsNoData)}</p>
            </Show>
            <div class="analytics-grid">
                <section class="analytics-map card wide">
                    <div class="analytics-map-frame">
                        <MapView
                            camera=camera
                            stations=Vec::new()
                            incidents=IncidentRows::new()
                            kiosks=Signal::derive(Vec::new)
                            selected=Signal::derive(|| None::<String>)
                            selected_incident=Signal::derive(|| None::<String>)
                            on_feature=Callback::new(|_| {})
                            cells=cells
                        />
                    </div>
                    <div class="analytics-legend">
                        <span><i class="sw" style="background:#d7301f"></i><i class="sw" style="background:#fc8d59"></i><i class="sw" style="background:#fdcc8a"></i>
                            {move || prefs.t(Msg::AnalyticsLegendHot)}</span>
                        <span><i class="sw" style="background:#bdd7e7"></i><i class="sw" style="background:#6baed6"></i><i class="sw" style="background:#2171b5"></i>
                            {move || prefs.t(Msg::AnalyticsLegendCold)}</span>
                        <span><i class="sw outline"></i>{move || prefs.t(Msg::AnalyticsLegendForecast)}</span>
                    </div>
                    <p class="muted small">{move || prefs.t(Msg::AnalyticsMethod)}</p>
                </section>
                <div class="analytics-side">
                    {heatmap}
                    {trends}
                    {areas}
                    {traffic}
                    {export_card}
                </div>
            </div>
        </div>
    }
}
