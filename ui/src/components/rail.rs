//! The navigation rail: the product mark and one button per page; Insiden carries the number of calls
//! waiting to be classified, read again when the store announces a change.

use crate::app::CurrentPage;
use crate::desk_status::use_desk_status;
use crate::i18n::Msg;
use crate::ipc;
use crate::live::use_live;
use crate::pages::Page;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_domain::IncidentStatus;
use siaga_ipc::{Empty, QueueCountsCommand};

/// The left-hand navigation rail.
#[component]
pub fn NavRail() -> impl IntoView {
    let prefs = use_prefs();
    let CurrentPage(current) = expect_context::<CurrentPage>();
    let status = use_desk_status();
    let live = use_live();
    // Calls received and not yet classified (0 when signed out: the store is not the operator's then).
    let waiting = RwSignal::new(0u64);
    let signed_in = Memo::new(move |_| status.signed_in());
    Effect::new(move |_| {
        live.incidents.track();
        if !signed_in.get() {
            waiting.set(0);
            return;
        }
        leptos::task::spawn_local(async move {
            if let Ok(counts) = ipc::invoke::<QueueCountsCommand>(&Empty {}).await {
                let received = counts
                    .iter()
                    .find(|q| q.status == IncidentStatus::Received)
                    .map_or(0, |q| q.count);
                let _ = waiting.try_set(received);
            }
        });
    });
    let items = Page::ALL
        .into_iter()
        .map(|page| {
            let selected = move || current.get() == page;
            view! {
                <li class:bottom=page == Page::Settings>
                    <button
                        id=format!("nav-{}", page.key())
                        class="rail-item"
                        class:active=selected
                        aria-current=move || if selected() { "page" } else { "false" }
                        title=move || prefs.t(page.summary())
                        on:click=move |_| current.set(page)
                    >
                        <span class="rail-icon" inner_html=page.icon()></span>
                        {(page == Page::Incidents).then(|| view! {
                            <Show when=move || { waiting.get() > 0 }>
                                <span class="rail-badge" id="rail-waiting" title=move || prefs.t(Msg::RailWaiting)>
                                    {move || { let n = waiting.get(); if n > 999 { "999+".to_owned() } else { n.to_string() } }}
                                </span>
                            </Show>
                        })}
                        <span class="rail-label">{move || prefs.t(page.title())}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="rail" aria-label=move || prefs.t(Msg::NavLabel)>
            <div class="brand" title=move || prefs.t(Msg::AppTagline)>
                <img src="icon.svg" alt="" width="40" height="40" />
                <span class="brand-number">"110"</span>
            </div>
            <ul class="rail-items">{items}</ul>
        </nav>
    }
}
