//! The map's filter panel: status, category, time window and Polda, with the count shown.

use super::legend::FoldButton;
use crate::i18n::Msg;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_domain::polda::PoldaId;
use siaga_domain::{Category, IncidentStatus};

/// Which statuses the map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StatusFilter {
    Open,
    Closed,
    All,
}

impl StatusFilter {
    pub(super) fn statuses(self) -> Vec<IncidentStatus> {
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
pub(super) const WINDOWS: [(&str, Msg, Option<i64>); 5] = [
    ("1h", Msg::MapWindowHour, Some(1)),
    ("6h", Msg::MapWindowSixHours, Some(6)),
    ("24h", Msg::MapWindowDay, Some(24)),
    ("7d", Msg::MapWindowWeek, Some(24 * 7)),
    ("all", Msg::MapFilterAll, None),
];

/// The filter panel, with the count of incidents shown.
#[component]
pub(super) fn Filters(
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
