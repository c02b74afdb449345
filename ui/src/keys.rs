//! Keyboard shortcuts: one window listener per component that offers some, removed with it. A shortcut
//! is a single key without Ctrl/Alt/Meta; while the operator types in a field only Escape counts, so
//! typing a report never triggers one. The same keys in both languages.

use leptos::prelude::*;
use wasm_bindgen::JsCast as _;

/// True while the focus is in a field the operator types into.
pub fn typing() -> bool {
    let Some(active) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
    else {
        return false;
    };
    matches!(active.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
}

/// Calls `handle` with each shortcut key (`"j"`, `"Escape"`, `"?"`, …) pressed while the calling
/// component is mounted; when it answers true, the key does nothing else.
pub fn on_shortcut(handle: impl Fn(&str) -> bool + 'static) {
    let listener = window_event_listener(leptos::ev::keydown, move |event: web_sys::KeyboardEvent| {
        if event.ctrl_key() || event.alt_key() || event.meta_key() || event.repeat() {
            return;
        }
        let key = event.key();
        if key != "Escape" && typing() {
            return;
        }
        if handle(&key) {
            event.prevent_default();
        }
    });
    on_cleanup(move || listener.remove());
}

/// Moves the focus to the element with `id` (a field the shortcut opens).
pub fn focus(id: &str) {
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// Takes the focus out of the field that has it (after a step taken from it, so single keys work again).
pub fn blur() {
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.blur();
    }
}
