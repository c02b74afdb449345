//! The Layanan Warga page: SKCK, lost-document letters and complaints from the 110 app.

use super::planned::PlannedFeatures;
use crate::i18n::Msg;
use leptos::prelude::*;

/// Body of the Citizen page.
#[component]
pub fn CitizenPage() -> impl IntoView {
    view! { <PlannedFeatures plans=[Msg::PageCitizenPlan1, Msg::PageCitizenPlan2, Msg::PageCitizenPlan3] /> }
}
