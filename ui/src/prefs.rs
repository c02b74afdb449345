//! The user's display preferences (language, theme, when a silent kiosk counts as stale, which map panels
//! are folded): shared through
//! context, applied to `<html>`, and remembered in the webview's local storage between runs.

use leptos::prelude::*;
use siaga_domain::Language;

const LANGUAGE_KEY: &str = "siaga.language";
const THEME_KEY: &str = "siaga.theme";
const KIOSK_STALE_KEY: &str = "siaga.kioskStaleSecs";
const MAP_FILTERS_KEY: &str = "siaga.mapFiltersOpen";
const MAP_LEGEND_KEY: &str = "siaga.mapLegendOpen";

/// Light or dark colours. Command rooms are dim, so dark is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Dark,
    Light,
}

impl Theme {
    /// The value of `<html data-theme>` and of the stored preference.
    pub fn key(self) -> &'static str {
        match self {
            Theme::Dark => "dark",
            Theme::Light => "light",
        }
    }

    fn from_key(key: &str) -> Option<Theme> {
        match key {
            "dark" => Some(Theme::Dark),
            "light" => Some(Theme::Light),
            _ => None,
        }
    }

    /// The other theme.
    pub fn toggled(self) -> Theme {
        match self {
            Theme::Dark => Theme::Light,
            Theme::Light => Theme::Dark,
        }
    }
}

/// Reactive preferences, provided once by the app shell.
#[derive(Debug, Clone, Copy)]
pub struct Prefs {
    pub language: RwSignal<Language>,
    pub theme: RwSignal<Theme>,
    /// Seconds without a heartbeat after which a kiosk shows as stale.
    pub kiosk_stale_secs: RwSignal<i64>,
    /// Whether the map's filter panel is unfolded (it is until the user folds it).
    pub map_filters_open: RwSignal<bool>,
    /// Whether the map's legend is unfolded (folded until asked for: it would cover the map).
    pub map_legend_open: RwSignal<bool>,
    /// Whether this webview had a language chosen before this run (else the desk's setup may choose it).
    pub language_was_chosen: bool,
}

impl Prefs {
    /// Loads stored preferences (falling back to Indonesian and dark), and keeps `<html>` and storage in
    /// step with later changes.
    pub fn load_and_sync() -> Prefs {
        let chosen_language: Option<Language> = stored(LANGUAGE_KEY).and_then(|tag| tag.parse().ok());
        let language = chosen_language.unwrap_or_default();
        let theme = stored(THEME_KEY)
            .as_deref()
            .and_then(Theme::from_key)
            .unwrap_or_default();
        let stale = stored(KIOSK_STALE_KEY)
            .and_then(|s| s.parse().ok())
            .filter(|s| (5..=siaga_domain::kiosk::HEARTBEAT_TIMEOUT_SECS).contains(s))
            .unwrap_or(siaga_domain::kiosk::DEFAULT_STALE_AFTER_SECS);
        let prefs = Prefs {
            language: RwSignal::new(language),
            theme: RwSignal::new(theme),
            kiosk_stale_secs: RwSignal::new(stale),
            map_filters_open: RwSignal::new(stored(MAP_FILTERS_KEY).as_deref() != Some("false")),
            map_legend_open: RwSignal::new(stored(MAP_LEGEND_KEY).as_deref() == Some("true")),
            language_was_chosen: chosen_language.is_some(),
        };
        Effect::new(move |_| {
            store(MAP_FILTERS_KEY, &prefs.map_filters_open.get().to_string());
        });
        Effect::new(move |_| {
            store(MAP_LEGEND_KEY, &prefs.map_legend_open.get().to_string());
        });
        Effect::new(move |_| {
            store(KIOSK_STALE_KEY, &prefs.kiosk_stale_secs.get().to_string());
        });
        Effect::new(move |_| {
            let language = prefs.language.get();
            set_root_attribute("lang", language.tag());
            store(LANGUAGE_KEY, language.tag());
        });
        Effect::new(move |_| {
            let theme = prefs.theme.get();
            set_root_attribute("data-theme", theme.key());
            store(THEME_KEY, theme.key());
        });
        prefs
    }

    /// The text of `msg` in the current language (reactive when called inside a view closure).
    pub fn t(self, msg: crate::i18n::Msg) -> &'static str {
        msg.text(self.language.get())
    }
}

/// The preferences provided by the app shell.
pub fn use_prefs() -> Prefs {
    expect_context::<Prefs>()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn stored(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok()?
}

fn store(key: &str, value: &str) {
    // A webview without storage (private mode) just forgets the choice next run.
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}

fn set_root_attribute(name: &str, value: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute(name, value);
    }
}
