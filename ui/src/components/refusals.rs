//! The central's refusals of this desk's actions, with the reason in the operator's language: opened
//! from the status bar's "refused by central" count; each one is marked as read by the operator, so
//! nothing the central refused is silently dropped.

use crate::desk_status::use_desk_status;
use crate::i18n::Msg;
use crate::ipc;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_domain::Language;
use siaga_ipc::{Empty, MarkRefusalReadCommand, MarkRefusalReadRequest, RefusalInfo, RefusalsCommand};

/// Whether the refusals panel is open.
#[derive(Debug, Clone, Copy)]
pub struct RefusalsOpen(pub RwSignal<bool>);

/// The list, shown while [`RefusalsOpen`] is set.
#[component]
pub fn RefusalsPanel() -> impl IntoView {
    let prefs = use_prefs();
    let status = use_desk_status();
    let open = expect_context::<RefusalsOpen>().0;
    let refusals = RwSignal::new(Vec::<RefusalInfo>::new());
    let load = move || {
        leptos::task::spawn_local(async move {
            if let Ok(list) = ipc::invoke::<RefusalsCommand>(&Empty {}).await {
                refusals.set(list);
            }
        });
    };
    Effect::new(move |_| {
        if open.get() {
            load();
        }
    });
    let mark_read = move |event_id| {
        leptos::task::spawn_local(async move {
            let _ = ipc::invoke::<MarkRefusalReadCommand>(&MarkRefusalReadRequest { event_id }).await;
            status.refresh();
            load();
        });
    };
    move || {
        open.get().then(|| {
            let language = prefs.language.get();
            let items = refusals
                .get()
                .into_iter()
                .map(|r| {
                    let reason = match language {
                        Language::Id => r.reason_id.clone(),
                        Language::En => r.reason_en.clone(),
                    };
                    let incident = r.incident_id.to_string();
                    let event_id = r.event_id;
                    view! {
                        <li class="refusal" data-code=r.code.clone()>
                            <p class="refusal-reason">{reason}</p>
                            <p class="muted mono">{incident[..8].to_owned()} " · " {r.code.clone()}</p>
                            <button class="button small" on:click=move |_| mark_read(event_id)>
                                {prefs.t(Msg::RefusalRead)}
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <aside id="refusals-panel" class="refusals-panel card" role="dialog">
                    <header class="card-header">
                        <h2>{prefs.t(Msg::RefusalsHeading)}</h2>
                        <button class="icon-button" aria-label=prefs.t(Msg::MapClose) on:click=move |_| open.set(false)>
                            "×"
                        </button>
                    </header>
                    <p class="muted">{prefs.t(Msg::RefusalsHint)}</p>
                    {move || refusals.with(Vec::is_empty).then(|| view! { <p class="muted">{prefs.t(Msg::RefusalsNone)}</p> })}
                    <ul class="refusal-list">{items}</ul>
                </aside>
            }
        })
    }
}
