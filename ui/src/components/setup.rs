//! The desk's setup screen (docs/decisions/0020): on a first run, or when the saved setup cannot be used, it
//! takes the whole window; from Pengaturan it changes the setup of a working desk. The central's address,
//! its certificate's fingerprint, the Polda and Polres of the desk, and the language; "Periksa sambungan" asks
//! that central before anything is saved, and saving restarts the desk on the new setup.

use crate::i18n::Msg;
use crate::ipc;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_domain::{Language, PoldaId};
use siaga_ipc::{
    CheckCentralCommand, DeskSetupForm, DeskSetupFormRequest, DeskSetupInfo, Empty, RestartDeskCommand,
    SaveDeskSetupCommand,
};

/// Whether Pengaturan asked for the setup screen over a working desk.
#[derive(Debug, Clone, Copy)]
pub struct SetupOpen(pub RwSignal<bool>);

/// The setup form; `info` is the shell's answer to `desk_setup`, `cancellable` when a working desk opened it.
#[component]
pub fn DeskSetupScreen(info: DeskSetupInfo, cancellable: bool) -> impl IntoView {
    let prefs = use_prefs();
    let current = info.current.clone();
    let central_url = RwSignal::new(
        current
            .as_ref()
            .map(|c| c.central_url.clone())
            .unwrap_or_default(),
    );
    let fingerprint = RwSignal::new(
        current
            .as_ref()
            .map(|c| c.fingerprint.clone())
            .unwrap_or_default(),
    );
    let polda = RwSignal::new(current.as_ref().map(|c| c.polda.clone()).unwrap_or_default());
    let polres = RwSignal::new(current.as_ref().and_then(|c| c.polres));
    // Field at fault and what to say; a check's outcome; whether the setup is saved and the restart pending.
    let error = RwSignal::new(None::<(String, String)>);
    let check = RwSignal::new(None::<(bool, String)>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let form = move || DeskSetupFormRequest {
        form: DeskSetupForm {
            central_url: central_url.get_untracked(),
            fingerprint: fingerprint.get_untracked(),
            polda: polda.get_untracked(),
            polres: polres.get_untracked(),
            language: prefs.language.get_untracked(),
        },
        language: prefs.language.get_untracked(),
    };
    let run_check = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        check.set(None);
        let request = form();
        leptos::task::spawn_local(async move {
            match ipc::invoke::<CheckCentralCommand>(&request).await {
                Ok(answer) => check.set(Some((answer.reachable, answer.message))),
                Err(err) => error.set(Some((err.code, err.message))),
            }
            busy.set(false);
        });
    };
    let save = move || {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let request = form();
        leptos::task::spawn_local(async move {
            match ipc::invoke::<SaveDeskSetupCommand>(&request).await {
                Ok(_) => {
                    saved.set(true);
                    // Long enough to read that it was saved; the window then comes back on the new setup.
                    set_timeout(
                        move || {
                            leptos::task::spawn_local(async move {
                                if let Err(err) = ipc::invoke::<RestartDeskCommand>(&Empty {}).await {
                                    error.set(Some((err.code, err.message)));
                                }
                            });
                        },
                        std::time::Duration::from_millis(1_500),
                    );
                }
                Err(err) => error.set(Some((err.code, err.message))),
            }
            busy.set(false);
        });
    };
    let field_error = move |field: &'static str| {
        move || {
            error
                .get()
                .filter(|(code, _)| code == &format!("setup_{field}"))
                .map(|(_, message)| view! { <p class="form-error" role="alert">{message}</p> })
        }
    };
    let other_error = move || {
        error
            .get()
            .filter(|(code, _)| !code.starts_with("setup_") || code == "setup_write")
            .map(|(_, message)| view! { <p id="setup-error" class="form-error" role="alert">{message}</p> })
    };
    let polda_options = move || {
        let chosen = polda.get();
        let mut poldas: Vec<PoldaId> = PoldaId::ALL.to_vec();
        poldas.sort_by_key(|p| p.name());
        poldas
            .into_iter()
            .map(|p| {
                let selected = chosen == p.code();
                view! { <option value=p.code() selected=selected>{p.name()}</option> }
            })
            .collect_view()
    };
    let polres_options = move || {
        let Ok(chosen_polda) = polda.get().parse::<PoldaId>() else {
            return Vec::new();
        };
        let chosen = polres.get();
        siaga_domain::polda::polres_list()
            .into_iter()
            .filter(|p| p.polda == chosen_polda)
            .map(|p| {
                let number = p.id.0.number();
                view! { <option value=number.to_string() selected=chosen == Some(number)>{p.name}</option> }
            })
            .collect::<Vec<_>>()
    };
    let problem = info.problem.clone();
    let path = info.path.clone();
    view! {
        <div id="desk-setup" class="setup-screen">
            <form
                class="card setup-card"
                on:submit=move |ev| {
                    ev.prevent_default();
                    save();
                }
            >
                <header class="card-header">
                    <h1 id="setup-title">{move || prefs.t(Msg::SetupTitle)}</h1>
                    <div class="segmented" role="group">
                        {Language::ALL.iter().map(|&language| view! {
                            <button type="button" id=format!("setup-language-{}", language.tag())
                                class="segment" class:active=move || prefs.language.get() == language
                                on:click=move |_| prefs.language.set(language)>
                                {language.tag().to_uppercase()}
                            </button>
                        }).collect_view()}
                    </div>
                </header>
                <p class="summary">{move || prefs.t(Msg::SetupSummary)}</p>
                {problem.map(|problem| view! { <p id="setup-problem" class="form-error" role="alert">{problem}</p> })}
                <label class="field">
                    <span>{move || prefs.t(Msg::SetupCentralUrl)}</span>
                    <input id="setup-central-url" placeholder="https://110.polres-sleman.local:8443"
                        spellcheck="false" autocomplete="off"
                        prop:value=move || central_url.get()
                        on:input=move |ev| central_url.set(event_target_value(&ev)) />
                    {field_error("centralUrl")}
                </label>
                <label class="field">
                    <span>{move || prefs.t(Msg::SetupFingerprint)}</span>
                    <input id="setup-fingerprint" class="mono" placeholder="AB:CD:…" spellcheck="false" autocomplete="off"
                        prop:value=move || fingerprint.get()
                        on:input=move |ev| fingerprint.set(event_target_value(&ev)) />
                    <small class="hint muted">{move || prefs.t(Msg::SetupFingerprintHint)}</small>
                    {field_error("fingerprint")}
                </label>
                <div class="field-row">
                    <label class="field">
                        <span>{move || prefs.t(Msg::SetupPolda)}</span>
                        <select id="setup-polda" on:change=move |ev| {
                            polda.set(event_target_value(&ev));
                            polres.set(None);
                        }>
                            <option value="" selected=move || polda.get().is_empty()>{move || prefs.t(Msg::SetupChoose)}</option>
                            {polda_options}
                        </select>
                        {field_error("polda")}
                    </label>
                    <label class="field">
                        <span>{move || prefs.t(Msg::SetupPolres)}</span>
                        <select id="setup-polres" on:change=move |ev| polres.set(event_target_value(&ev).parse().ok())>
                            <option value="" selected=move || polres.get().is_none()>{move || prefs.t(Msg::SetupPolresNone)}</option>
                            {polres_options}
                        </select>
                        {field_error("polres")}
                    </label>
                </div>
                {move || check.get().map(|(reachable, message)| view! {
                    <p id="setup-check-result" class=if reachable { "form-ok" } else { "form-error" } role="status">{message}</p>
                })}
                {other_error}
                <Show when=move || saved.get()>
                    <p id="setup-saved" class="form-ok" role="status">{move || prefs.t(Msg::SetupSaved)}</p>
                </Show>
                <p class="hint muted small">{move || prefs.t(Msg::SetupKeptAt)} " " <code>{path.clone()}</code></p>
                <div class="form-actions">
                    {cancellable.then(|| view! {
                        <button type="button" id="setup-cancel" class="button ghost"
                            on:click=move |_| { if let Some(open) = use_context::<SetupOpen>() { open.0.set(false) } }>
                            {move || prefs.t(Msg::Cancel)}
                        </button>
                    })}
                    <button type="button" id="setup-check" class="button" disabled=move || busy.get() on:click=run_check>
                        {move || prefs.t(Msg::SetupCheck)}
                    </button>
                    <button id="setup-save" type="submit" class="button primary" disabled=move || busy.get() || saved.get()>
                        {move || prefs.t(Msg::SetupSave)}
                    </button>
                </div>
            </form>
        </div>
    }
}
