//! The navigation rail: the product mark and one button per page.

use crate::app::CurrentPage;
use crate::i18n::Msg;
use crate::pages::Page;
use crate::prefs::use_prefs;
use leptos::prelude::*;

/// The left-hand navigation rail.
#[component]
pub fn NavRail() -> impl IntoView {
    let prefs = use_prefs();
    let CurrentPage(current) = expect_context::<CurrentPage>();
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
