//! The Panggilan Video page: validation calls with reporters from the 110 app.

use super::planned::PlannedFeatures;
use crate::i18n::Msg;
use leptos::prelude::*;

/// Body of the Video page.
#[component]
pub fn VideoPage() -> impl IntoView {
    view! { <PlannedFeatures plans=[Msg::PageVideoPlan1, Msg::PageVideoPlan2, Msg::PageVideoPlan3] /> }
}
