//! The sign-in dialog: an operator's account at the central 110 API.

use crate::desk_status::{use_desk_status, use_sign_in_open};
use crate::i18n::Msg;
use crate::ipc;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_ipc::{SignInCommand, SignInRequest};

/// The modal sign-in dialog (shown while `SignInOpen` is true).
#[component]
pub fn SignInDialog() -> impl IntoView {
    let prefs = use_prefs();
    let status = use_desk_status();
    let open = use_sign_in_open();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move || {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let request = SignInRequest {
            username: username.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            language: prefs.language.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match ipc::invoke::<SignInCommand>(&request).await {
                Ok(_) => {
                    password.set(String::new());
                    open.set(false);
                    status.refresh();
                }
                Err(err) => error.set(Some(err.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <Show when=move || open.get()>
            <div class="modal-backdrop">
                <form
                    id="sign-in-dialog"
                    class="card modal"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        submit();
                    }
                >
                    <header class="card-header"><h2>{move || prefs.t(Msg::SignInTitle)}</h2></header>
                    <p class="summary">{move || prefs.t(Msg::SignInHint)}</p>
                    <label class="field">
                        <span>{move || prefs.t(Msg::Username)}</span>
                        <input id="sign-in-username" autocomplete="username" prop:value=move || username.get()
                            on:input=move |ev| username.set(event_target_value(&ev)) />
                    </label>
                    <label class="field">
                        <span>{move || prefs.t(Msg::Password)}</span>
                        <input id="sign-in-password" type="password" autocomplete="current-password"
                            prop:value=move || password.get()
                            on:input=move |ev| password.set(event_target_value(&ev)) />
                    </label>
                    <Show when=move || error.get().is_some()>
                        <p id="sign-in-error" class="form-error" role="alert">{move || error.get().unwrap_or_default()}</p>
                    </Show>
                    <div class="form-actions">
                        <button type="button" class="button ghost" on:click=move |_| open.set(false)>
                            {move || prefs.t(Msg::Cancel)}
                        </button>
                        <button id="sign-in-submit" type="submit" class="button primary" disabled=move || busy.get()>
                            {move || prefs.t(Msg::SignIn)}
                        </button>
                    </div>
                </form>
            </div>
        </Show>
    }
}
