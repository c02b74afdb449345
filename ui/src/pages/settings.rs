//! The Pengaturan page: language, theme, and what the running desk is (from the `app_info` command).

use crate::app::use_app_info;
use crate::i18n::Msg;
use crate::prefs::{use_prefs, Theme};
use leptos::prelude::*;
use siaga_domain::Language;

/// Body of the Settings page.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let prefs = use_prefs();
    let info = use_app_info();
    let language_buttons = Language::ALL
        .into_iter()
        .map(|language| {
            view! {
                <button
                    id=format!("language-{}", language.tag())
                    class="segment"
                    class:active=move || prefs.language.get() == language
                    aria-pressed=move || (prefs.language.get() == language).to_string()
                    on:click=move |_| prefs.language.set(language)
                >
                    {language.native_name()}
                </button>
            }
        })
        .collect_view();
    let theme_buttons = [(Theme::Dark, Msg::ThemeDark), (Theme::Light, Msg::ThemeLight)]
        .into_iter()
        .map(|(theme, label)| {
            view! {
                <button
                    id=format!("theme-{}", theme.key())
                    class="segment"
                    class:active=move || prefs.theme.get() == theme
                    aria-pressed=move || (prefs.theme.get() == theme).to_string()
                    on:click=move |_| prefs.theme.set(theme)
                >
                    {move || prefs.t(label)}
                </button>
            }
        })
        .collect_view();
    let about_row = move |msg: Msg, id: &'static str, value: fn(&siaga_wire::ipc::AppInfo) -> String| {
        view! {
            <dt>{move || prefs.t(msg)}</dt>
            <dd id=id>
                {move || match info.get() {
                    Some(Ok(info)) => value(&info),
                    Some(Err(err)) => err.message,
                    None => prefs.t(Msg::Loading).to_owned(),
                }}
            </dd>
        }
    };
    view! {
        <div class="settings-grid">
            <section class="card">
                <header class="card-header"><h2>{move || prefs.t(Msg::LanguageLabel)}</h2></header>
                <div class="segmented" role="group">{language_buttons}</div>
            </section>
            <section class="card">
                <header class="card-header"><h2>{move || prefs.t(Msg::ThemeLabel)}</h2></header>
                <div class="segmented" role="group">{theme_buttons}</div>
            </section>
            <section class="card about">
                <header class="card-header"><h2>{move || prefs.t(Msg::AboutHeading)}</h2></header>
                <dl class="facts">
                    {about_row(Msg::AboutProduct, "about-product", |i| i.product_name.clone())}
                    {about_row(Msg::AboutVersion, "about-version", |i| i.version.clone())}
                    {about_row(Msg::AboutProfile, "about-profile", |i| i.build_profile.clone())}
                    {about_row(Msg::AboutTarget, "about-target", |i| i.target.clone())}
                    {about_row(Msg::AboutPlatform, "about-platform", |i| i.platform_label.clone())}
                </dl>
            </section>
        </div>
    }
}
