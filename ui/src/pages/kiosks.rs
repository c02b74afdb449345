//! The Kiosk page: every station kiosk with its state and alarms.

use super::planned::PlannedFeatures;
use crate::i18n::Msg;
use leptos::prelude::*;

/// Body of the Kiosks page.
#[component]
pub fn KiosksPage() -> impl IntoView {
    view! { <PlannedFeatures plans=[Msg::PageKiosksPlan1, Msg::PageKiosksPlan2, Msg::PageKiosksPlan3] /> }
}
