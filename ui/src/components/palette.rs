//! The command palette (Ctrl+K from anywhere, even while typing): every page and every action of the
//! operator flow that has a shortcut, found by typing part of its name in either language or its key.
//! Also the one shortcut that works from every page: `n`, a new call on the Insiden page.
//! ↓/↑ walk the list, Enter runs the entry, Esc closes. An action runs as its own shortcut would (the
//! page it belongs to is opened first), so the palette never holds a second copy of what an action does.

use crate::app::CurrentPage;
use crate::i18n::Msg;
use crate::pages::Page;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_domain::Language;
use std::time::Duration;

/// What an entry does: open a page, or press a page's shortcut there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Run {
    Open(Page),
    Press(Page, &'static str),
}

/// The actions the palette offers besides the pages: the key, what it does, where.
const ACTIONS: [(&str, Msg, Page); 21] = [
    ("n", Msg::KeyNewReport, Page::Incidents),
    ("j", Msg::KeyNext, Page::Incidents),
    ("k", Msg::KeyPrevious, Page::Incidents),
    ("c", Msg::KeyClassify, Page::Incidents),
    ("p", Msg::KeyPrank, Page::Incidents),
    ("e", Msg::KeyEmpty, Page::Incidents),
    ("r", Msg::KeyStepReclassify, Page::Incidents),
    ("l", Msg::KeyStepRelocate, Page::Incidents),
    ("f", Msg::KeyStepForward, Page::Incidents),
    ("g", Msg::KeyStepAgency, Page::Incidents),
    ("s", Msg::KeyStepSpkt, Page::Incidents),
    ("h", Msg::KeyStepHandle, Page::Incidents),
    ("x", Msg::KeyStepClose, Page::Incidents),
    ("d", Msg::KeyStepDuplicate, Page::Incidents),
    ("a", Msg::KeyStepReassign, Page::Incidents),
    ("o", Msg::KeyStepReopen, Page::Incidents),
    ("m", Msg::KeyStepNote, Page::Incidents),
    ("1", Msg::QueueReceived, Page::Incidents),
    ("2", Msg::QueueClassified, Page::Incidents),
    ("3", Msg::QueueForwarded, Page::Incidents),
    ("?", Msg::KeyHelp, Page::Incidents),
];

/// One line of the palette.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    run: Run,
    label: Msg,
    key: Option<&'static str>,
}

fn entries() -> Vec<Entry> {
    Page::ALL
        .into_iter()
        .map(|page| Entry {
            run: Run::Open(page),
            label: page.title(),
            key: None,
        })
        .chain(ACTIONS.into_iter().map(|(key, label, page)| Entry {
            run: Run::Press(page, key),
            label,
            key: Some(key),
        }))
        .collect()
}

/// Lower case without accents' worth of trouble: the palette matches plain words.
fn fold(text: &str) -> String {
    text.to_lowercase()
}

/// Whether the entry matches what was typed: every word of the query in its name (in either language, so
/// an English word finds an entry on an Indonesian desk), or the query is its key.
fn matches(entry: &Entry, query: &str) -> bool {
    let query = fold(query.trim());
    if query.is_empty() || entry.key == Some(query.as_str()) {
        return true;
    }
    let page_word = match entry.run {
        Run::Open(_) => " halaman page",
        Run::Press(..) => "",
    };
    let haystack = fold(&format!(
        "{} {}{page_word}",
        entry.label.text(Language::Id),
        entry.label.text(Language::En)
    ));
    query.split_whitespace().all(|word| haystack.contains(word))
}

/// Presses `key` on the window as the operator would, for the page's own shortcut listener.
fn press(key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    if let (Some(window), Ok(event)) = (
        web_sys::window(),
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init),
    ) {
        let _ = window.dispatch_event(&event);
    }
}

/// How many times (every 20 ms) a key waits for its page to be on screen: 2 s.
const PAGE_WAIT_TRIES: u32 = 100;

/// Presses `key` once `page` is on screen (its shortcut listeners are registered as it mounts), looking
/// every 20 ms, `tries` times at most.
fn press_on(page: Page, key: &'static str, tries: u32) {
    let shown = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!("#page[data-page='{}'] > *", page.key()))
                .ok()
                .flatten()
        })
        .is_some();
    if shown {
        set_timeout(move || press(key), Duration::ZERO);
    } else if tries > 0 {
        set_timeout(move || press_on(page, key, tries - 1), Duration::from_millis(20));
    }
}

/// The palette overlay and its Ctrl+K listener.
#[component]
pub fn CommandPalette() -> impl IntoView {
    let prefs = use_prefs();
    let page = expect_context::<CurrentPage>().0;
    let open = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let at = RwSignal::new(0usize);
    let shown = Memo::new(move |_| {
        let query = query.get();
        entries()
            .into_iter()
            .filter(|entry| matches(entry, &query))
            .collect::<Vec<_>>()
    });
    let listener = window_event_listener(leptos::ev::keydown, move |event: web_sys::KeyboardEvent| {
        // n, from any other page: a new call on the Insiden page (which answers n itself).
        let plain = !(event.ctrl_key() || event.alt_key() || event.meta_key() || event.repeat());
        if plain && event.key() == "n" && !crate::keys::typing() && page.get_untracked() != Page::Incidents {
            event.prevent_default();
            page.set(Page::Incidents);
            press_on(Page::Incidents, "n", PAGE_WAIT_TRIES);
            return;
        }
        if (event.ctrl_key() || event.meta_key()) && event.key().eq_ignore_ascii_case("k") {
            event.prevent_default();
            query.set(String::new());
            at.set(0);
            open.set(!open.get_untracked());
            if open.get_untracked() {
                set_timeout(|| crate::keys::focus("palette-input"), Duration::from_millis(0));
            }
        }
    });
    on_cleanup(move || listener.remove());
    let run = move |entry: &Entry| {
        open.set(false);
        match entry.run {
            Run::Open(target) => page.set(target),
            Run::Press(target, key) => {
                page.set(target);
                press_on(target, key, PAGE_WAIT_TRIES);
            }
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let count = shown.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                at.set((at.get_untracked() + 1).min(count - 1));
            }
            "ArrowUp" => {
                ev.prevent_default();
                at.set(at.get_untracked().saturating_sub(1));
            }
            "Enter" => {
                ev.prevent_default();
                if let Some(entry) = shown.with_untracked(|list| list.get(at.get_untracked()).cloned()) {
                    run(&entry);
                }
            }
            "Escape" => {
                ev.prevent_default();
                ev.stop_propagation();
                open.set(false);
            }
            _ => {}
        }
    };
    view! {
        <Show when=move || open.get()>
            <div class="overlay" id="command-palette" role="dialog" aria-modal="true" on:click=move |_| open.set(false)>
                <section class="card palette-card" on:click=|ev| ev.stop_propagation()>
                    <input id="palette-input" type="search" autocomplete="off" spellcheck="false"
                        role="combobox" aria-controls="palette-list" aria-expanded="true"
                        placeholder=move || prefs.t(Msg::PalettePlaceholder)
                        prop:value=move || query.get()
                        on:input=move |ev| { query.set(event_target_value(&ev)); at.set(0); }
                        on:keydown=on_key/>
                    <ul id="palette-list" class="palette-list" role="listbox">
                        {move || shown.get().into_iter().enumerate().map(|(n, entry)| {
                            let picked = entry.clone();
                            let kind = match entry.run {
                                Run::Open(_) => Msg::PalettePage,
                                Run::Press(..) => Msg::PaletteAction,
                            };
                            view! {
                                <li role="option" class="palette-entry" class:active=move || at.get() == n
                                    aria-selected=move || (at.get() == n).to_string()
                                    on:mousedown=move |ev| { ev.prevent_default(); run(&picked); }>
                                    <span class="palette-kind">{move || prefs.t(kind)}</span>
                                    <span class="palette-label">{move || prefs.t(entry.label)}</span>
                                    {entry.key.map(|key| view! { <kbd>{key}</kbd> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            </div>
        </Show>
    }
}
