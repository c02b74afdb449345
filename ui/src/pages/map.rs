//! The Peta page: the live map of incidents and station kiosks (its engine lands with the map issue).

use super::planned::PlannedFeatures;
use crate::i18n::Msg;
use leptos::prelude::*;

/// Body of the Map page.
#[component]
pub fn MapPage() -> impl IntoView {
    view! { <PlannedFeatures plans=[Msg::PageMapPlan1, Msg::PageMapPlan2, Msg::PageMapPlan3] /> }
}
