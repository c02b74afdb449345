//! The desk's pages, one component per file, and the [`Page`] enum the navigation rail is built from.

mod analytics;
mod board;
mod citizen;
mod incident_detail;
mod incidents;
mod kiosks;
mod map;
mod settings;
mod video;

pub use video::ActiveCall;

use crate::i18n::Msg;
use leptos::prelude::*;

/// A page reachable from the navigation rail, in the rail's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Page {
    #[default]
    Map,
    Incidents,
    Kiosks,
    Video,
    Citizen,
    Analytics,
    Settings,
}

impl Page {
    /// Every page, in navigation order.
    pub const ALL: [Page; 7] = [
        Page::Map,
        Page::Incidents,
        Page::Kiosks,
        Page::Video,
        Page::Citizen,
        Page::Analytics,
        Page::Settings,
    ];

    /// A stable key used in element ids (`nav-<key>`, `page-<key>`), which tests rely on.
    pub fn key(self) -> &'static str {
        match self {
            Page::Map => "map",
            Page::Incidents => "incidents",
            Page::Kiosks => "kiosks",
            Page::Video => "video",
            Page::Citizen => "citizen",
            Page::Analytics => "analytics",
            Page::Settings => "settings",
        }
    }

    /// The page's name in the rail and its heading.
    pub fn title(self) -> Msg {
        match self {
            Page::Map => Msg::PageMap,
            Page::Incidents => Msg::PageIncidents,
            Page::Kiosks => Msg::PageKiosks,
            Page::Video => Msg::PageVideo,
            Page::Citizen => Msg::PageCitizen,
            Page::Analytics => Msg::PageAnalytics,
            Page::Settings => Msg::PageSettings,
        }
    }

    /// One line under the heading saying what the page is for.
    pub fn summary(self) -> Msg {
        match self {
            Page::Map => Msg::PageMapSummary,
            Page::Incidents => Msg::PageIncidentsSummary,
            Page::Kiosks => Msg::PageKiosksSummary,
            Page::Video => Msg::PageVideoSummary,
            Page::Citizen => Msg::PageCitizenSummary,
            Page::Analytics => Msg::PageAnalyticsSummary,
            Page::Settings => Msg::PageSettingsSummary,
        }
    }

    /// The rail icon: a 24×24 stroked SVG drawn in `currentColor`.
    pub fn icon(self) -> &'static str {
        match self {
            Page::Map => concat!(
                r#"<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M9 4 3 6v14l6-2 6 2 6-2V4l-6 2-6-2z"/>"#,
                r#"<path d="M9 4v14M15 6v14"/></svg>"#
            ),
            Page::Incidents => concat!(
                r#"<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3 2 20h20L12 3z"/>"#,
                r#"<path d="M12 10v4M12 17h.01"/></svg>"#
            ),
            Page::Kiosks => concat!(
                r#"<svg viewBox="0 0 24 24" aria-hidden="true"><rect x="6" y="2" width="12" height="14" rx="2"/>"#,
                r#"<path d="M9 20h6M12 16v4M10 7h4"/></svg>"#
            ),
            Page::Video => concat!(
                r#"<svg viewBox="0 0 24 24" aria-hidden="true"><rect x="2" y="6" width="14" height="12" rx="2"/>"#,
                r#"<path d="m16 10 6-3v10l-6-3z"/></svg>"#
            ),
            Page::Citizen => concat!(
                r#"<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 2h9l5 5v15H6z"/>"#,
                r#"<path d="M14 2v6h6M9 13h8M9 17h6"/></svg>"#
            ),
            Page::Analytics => concat!(
                r#"<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 21h18"/>"#,
                r#"<path d="M6 17v-5M11 17V7M16 17v-8M21 17V4"/></svg>"#
            ),
            Page::Settings => concat!(
                r#"<svg viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="3"/>"#,
                r#"<path d="M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1"/></svg>"#
            ),
        }
    }
}

/// The body of the current page.
#[component]
pub fn PageBody(page: Page) -> impl IntoView {
    match page {
        Page::Map => map::MapPage().into_any(),
        Page::Incidents => incidents::IncidentsPage().into_any(),
        Page::Kiosks => kiosks::KiosksPage().into_any(),
        Page::Video => video::VideoPage().into_any(),
        Page::Citizen => citizen::CitizenPage().into_any(),
        Page::Analytics => analytics::AnalyticsPage().into_any(),
        Page::Settings => settings::SettingsPage().into_any(),
    }
}
