//! The map's legend (priorities, kinds, kiosk lights, transit modes) and the buttons that fold a panel.

use crate::i18n::Msg;
use crate::map::style::{kiosk_colour, priority_colour, Family};
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_domain::kiosk::KioskLight;
use siaga_domain::station::TransitMode;
use siaga_domain::Priority;

/// The marker colour of a transit mode.
pub(super) fn mode_colour(mode: TransitMode) -> &'static str {
    match mode {
        TransitMode::Mrt => "#14b8a6",
        TransitMode::Lrt => "#a78bfa",
        TransitMode::Krl => "#f97316",
        TransitMode::Brt => "#38bdf8",
    }
}

/// Priorities, kinds, kiosk lights and stations.
#[component]
pub(super) fn Legend() -> impl IntoView {
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
pub(super) fn FoldButton(id: &'static str, open: RwSignal<bool>) -> impl IntoView {
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

pub(super) fn family_label(family: Family) -> Msg {
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
