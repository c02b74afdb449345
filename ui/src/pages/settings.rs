//! The Pengaturan page: language, theme, desktop notifications (categories to mute), when a silent
//! kiosk counts as stale, and what the running desk is (from the `app_info` command).

use crate::app::use_app_info;
use crate::i18n::Msg;
use crate::notification_prefs::use_notification_settings;
use crate::prefs::{use_prefs, Theme};
use leptos::prelude::*;
use siaga_domain::kiosk::HEARTBEAT_TIMEOUT_SECS;
use siaga_domain::{Category, Language};

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
    let notifications = use_notification_settings();
    let mute_boxes = move || {
        let language = prefs.language.get();
        Category::ALL
            .iter()
            .map(|c| {
                let category = *c;
                view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            id=format!("mute-{}", category.code())
                            prop:checked=move || notifications.muted.with(|m| m.contains(&category))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                notifications.muted.update(|m| {
                                    m.retain(|x| *x != category);
                                    if on {
                                        m.push(category);
                                    }
                                });
                            }
                        />
                        {category.label(language)}
                    </label>
                }
            })
            .collect_view()
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
            <section class="card" id="notification-settings">
                <header class="card-header"><h2>{move || prefs.t(Msg::NotificationsHeading)}</h2></header>
                <p class="muted">{move || prefs.t(Msg::NotificationsHint)}</p>
                <h3>{move || prefs.t(Msg::NotificationsMuted)}</h3>
                <div class="check-grid">{mute_boxes}</div>
                {move || notifications.error.get().map(|m| view! { <p class="form-error">{m}</p> })}
            </section>
            <section class="card">
                <header class="card-header"><h2>{move || prefs.t(Msg::KioskStaleHeading)}</h2></header>
                <p class="muted">{move || prefs.t(Msg::KioskStaleHint)}</p>
                <label class="inline-field">
                    <input
                        id="kiosk-stale-secs"
                        type="number"
                        min="5"
                        max=HEARTBEAT_TIMEOUT_SECS
                        prop:value=move || prefs.kiosk_stale_secs.get().to_string()
                        on:change=move |ev| {
                            if let Ok(secs) = event_target_value(&ev).parse::<i64>() {
                                prefs.kiosk_stale_secs.set(secs.clamp(5, HEARTBEAT_TIMEOUT_SECS));
                            }
                        }
                    />
                    " "
                    {move || prefs.t(Msg::Seconds)}
                </label>
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
