//! The Insiden page: incident intake and the operator flow.

use super::planned::PlannedFeatures;
use crate::i18n::Msg;
use leptos::prelude::*;

/// Body of the Incidents page.
#[component]
pub fn IncidentsPage() -> impl IntoView {
    view! { <PlannedFeatures plans=[Msg::PageIncidentsPlan1, Msg::PageIncidentsPlan2, Msg::PageIncidentsPlan3] /> }
}
