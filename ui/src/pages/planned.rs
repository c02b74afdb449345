//! A card listing what a page will hold, for pages whose features land in later issues.

use crate::i18n::Msg;
use crate::prefs::use_prefs;
use leptos::prelude::*;

/// The "what this page will hold" card.
#[component]
pub fn PlannedFeatures(plans: [Msg; 3]) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <section class="card planned">
            <header class="card-header">
                <h2>{move || prefs.t(Msg::PlannedHeading)}</h2>
                <span class="badge">{move || prefs.t(Msg::PlannedBadge)}</span>
            </header>
            <ul class="plan-list">
                {plans.into_iter().map(|plan| view! { <li>{move || prefs.t(plan)}</li> }).collect_view()}
            </ul>
        </section>
    }
}
