//! The Analitik page: crime patterns, hotspots and Kamtibmas forecasts.

use super::planned::PlannedFeatures;
use crate::i18n::Msg;
use leptos::prelude::*;

/// Body of the Analytics page.
#[component]
pub fn AnalyticsPage() -> impl IntoView {
    view! { <PlannedFeatures plans=[Msg::PageAnalyticsPlan1, Msg::PageAnalyticsPlan2, Msg::PageAnalyticsPlan3] /> }
}
