//! The top bar: the current page's title and summary, the language switch and the theme toggle.

use crate::app::CurrentPage;
use crate::i18n::Msg;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_domain::Language;

/// The bar above every page.
#[component]
pub fn TopBar() -> impl IntoView {
    let prefs = use_prefs();
    let CurrentPage(page) = expect_context::<CurrentPage>();
    let language_switch = Language::ALL
        .into_iter()
        .map(|language| {
            view! {
                <button
                    id=format!("topbar-language-{}", language.tag())
                    class="chip"
                    class:active=move || prefs.language.get() == language
                    title=language.native_name()
                    on:click=move |_| prefs.language.set(language)
                >
                    {language.tag().to_uppercase()}
                </button>
            }
        })
        .collect_view();
    view! {
        <header class="topbar">
            <div class="titles">
                <span class="app-title">
                    {move || prefs.t(Msg::AppName)} " · " {move || prefs.t(Msg::AppTagline)}
                </span>
                <h1 id="page-title">{move || prefs.t(page.get().title())}</h1>
                <p id="page-summary" class="summary">{move || prefs.t(page.get().summary())}</p>
            </div>
            <div class="topbar-actions">
                <div class="chips" role="group" aria-label=move || prefs.t(Msg::LanguageLabel)>
                    {language_switch}
                </div>
                <button
                    id="theme-toggle"
                    class="icon-button"
                    title=move || prefs.t(Msg::ThemeToggle)
                    aria-label=move || prefs.t(Msg::ThemeToggle)
                    on:click=move |_| prefs.theme.update(|theme| *theme = theme.toggled())
                >
                    <svg viewBox="0 0 24 24" aria-hidden="true">
                        <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" />
                    </svg>
                </button>
            </div>
        </header>
    }
}
