//! The Pengaturan page: language, theme, desktop notifications (categories to mute), when a silent
//! kiosk counts as stale, how long each priority may wait in a queue before it is overdue (supervisors
//! change it for the desk), the Polda's audit trail verified on this desk (supervisors), the street map (an OpenStreetMap PMTiles extract, through the
//! `streets_archive` / `choose_streets_archive` / `remove_streets_archive` commands), this desk's setup (its central and Polda, and the way
//! back to the setup screen), and what the running desk is (from `app_info`).

use crate::app::use_app_info;
use crate::i18n::Msg;
use crate::ipc;
use crate::notification_prefs::use_notification_settings;
use crate::prefs::{use_prefs, Theme};
use crate::streets::use_streets_revision;
use leptos::prelude::*;
use siaga_domain::kiosk::HEARTBEAT_TIMEOUT_SECS;
use siaga_domain::{Category, Language};
use siaga_ipc::{
    ChooseStreetsArchiveCommand, RemoveStreetsArchiveCommand, StreetsArchiveCommand, StreetsArchiveFacts,
    StreetsArchiveRequest,
};

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
    let about_row = move |msg: Msg, id: &'static str, value: fn(&siaga_ipc::AppInfo) -> String| {
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
            <DeskSetupCard />
            <UpdateCard />
            <OverdueCard />
            <AuditCard />
            <StreetsCard />
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

/// The desk's updates from its central (decision 0021): this version, what is offered and what is new, what
/// was refused and why; download, then install (the installer restarts the desk).
#[component]
fn UpdateCard() -> impl IntoView {
    use siaga_ipc::{
        CheckUpdateCommand, DownloadUpdateCommand, InstallUpdateCommand, UpdateInfo, UpdateRequest,
        UpdateStatusCommand,
    };
    let prefs = use_prefs();
    let info = RwSignal::new(None::<UpdateInfo>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let request = move || UpdateRequest {
        language: prefs.language.get_untracked(),
    };
    Effect::new(move |_| {
        let language = prefs.language.get();
        leptos::task::spawn_local(async move {
            if let Ok(answer) = ipc::invoke::<UpdateStatusCommand>(&UpdateRequest { language }).await {
                info.set(Some(answer));
            }
        });
    });
    let act = move |which: &'static str| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let request = request();
        leptos::task::spawn_local(async move {
            let answer = match which {
                "check" => ipc::invoke::<CheckUpdateCommand>(&request).await,
                "download" => ipc::invoke::<DownloadUpdateCommand>(&request).await,
                _ => ipc::invoke::<InstallUpdateCommand>(&request).await.map(|_| {
                    info.get_untracked()
                        .unwrap_or_else(|| unreachable!("installing needs an offer"))
                }),
            };
            match answer {
                Ok(answer) => info.set(Some(answer)),
                Err(err) => {
                    error.set(Some(err.message));
                    // What the desk now knows (a refused package is no longer ready).
                    if let Ok(answer) = ipc::invoke::<UpdateStatusCommand>(&request).await {
                        info.set(Some(answer));
                    }
                }
            }
            busy.set(false);
        });
    };
    let body = move || {
        let info = info.get()?;
        let platform = match &info.platform {
            Some(platform) => format!("{} · {platform}", info.current_version),
            None => format!("{} · {}", info.current_version, prefs.t(Msg::UpdateNotPackaged)),
        };
        let checked = info
            .checked_ms
            .map(|ms| crate::i18n::date_time(ms, prefs.language.get()))
            .unwrap_or_else(|| prefs.t(Msg::UpdateNeverChecked).to_owned());
        let offer = info.offer.clone().map(|offer| {
            let ready = info.ready;
            view! {
                <div id="update-offer" class="update-offer">
                    <h3>{prefs.t(Msg::UpdateAvailable)} " " <span id="update-offer-version">{offer.version.clone()}</span></h3>
                    <p id="update-notes">{offer.notes.clone()}</p>
                    <p class="muted small">{offer.package.clone()} " · " {format!("{:.1} MB", offer.size as f64 / 1_000_000.0)}</p>
                    <div class="form-actions">
                        {if ready {
                            view! {
                                <span id="update-ready" class="form-ok">{prefs.t(Msg::UpdateReady)}</span>
                                <button id="update-install" type="button" class="button primary"
                                    disabled=move || busy.get() on:click=move |_| act("install")>
                                    {prefs.t(Msg::UpdateInstall)}
                                </button>
                            }.into_any()
                        } else {
                            view! {
                                <button id="update-download" type="button" class="button primary"
                                    disabled=move || busy.get() on:click=move |_| act("download")>
                                    {prefs.t(Msg::UpdateDownload)}
                                </button>
                            }.into_any()
                        }}
                    </div>
                </div>
            }
        });
        let refused = info
            .refused
            .clone()
            .map(|why| view! { <p id="update-refused" class="form-error" role="alert">{why}</p> });
        Some(view! {
            <dl class="facts">
                <dt>{prefs.t(Msg::AboutVersion)}</dt><dd id="update-current">{platform}</dd>
                <dt>{prefs.t(Msg::UpdateChecked)}</dt><dd id="update-checked">{checked}</dd>
                <dt>{prefs.t(Msg::UpdateKeys)}</dt><dd class="wrap">{info.trusted_keys.join(", ")}</dd>
            </dl>
            {offer}
            {refused}
        })
    };
    view! {
        <section class="card" id="update-card">
            <header class="card-header"><h2>{move || prefs.t(Msg::UpdateHeading)}</h2></header>
            <p class="muted">{move || prefs.t(Msg::UpdateHint)}</p>
            {body}
            // A refusal already shown with the status is not said twice.
            {move || error.get()
                .filter(|m| info.with(|i| i.as_ref().and_then(|i| i.refused.as_ref()) != Some(m)))
                .map(|m| view! { <p id="update-error" class="form-error" role="alert">{m}</p> })}
            <div class="form-actions">
                <button id="update-check" type="button" class="button" disabled=move || busy.get()
                    on:click=move |_| act("check")>
                    {move || prefs.t(Msg::UpdateCheckNow)}
                </button>
            </div>
        </section>
    }
}

/// This desk's setup: its central, how that central's certificate is trusted, its Polda and Polres; and the
/// way back to the setup screen (a field office moving to another central).
#[component]
fn DeskSetupCard() -> impl IntoView {
    let prefs = use_prefs();
    let setup = expect_context::<crate::app::SetupInfoResource>().0;
    let open = expect_context::<crate::components::setup::SetupOpen>().0;
    let facts = move || {
        let info = setup.get().and_then(Result::ok)?;
        if info.from_environment {
            return Some(
                view! { <p id="desk-setup-facts" class="muted">{prefs.t(Msg::SetupFromEnvironment)}</p> }
                    .into_any(),
            );
        }
        let current = info.current?;
        let polda = current
            .polda
            .parse::<siaga_domain::PoldaId>()
            .map(|p| p.name())
            .unwrap_or_default();
        let polres = current
            .polres
            .and_then(|number| {
                siaga_domain::polda::polres_list()
                    .into_iter()
                    .find(|p| p.id.0.number() == number)
            })
            .map(|p| format!(" · {}", p.name))
            .unwrap_or_default();
        let trust = if current.fingerprint.is_empty() {
            prefs.t(Msg::SetupSystemCa).to_owned()
        } else {
            format!("{}: {}", prefs.t(Msg::SetupPinned), current.fingerprint)
        };
        Some(
            view! {
                <dl id="desk-setup-facts" class="facts">
                    <dt>{prefs.t(Msg::SetupCentralUrl)}</dt><dd>{current.central_url}</dd>
                    <dt>{prefs.t(Msg::SetupFingerprint)}</dt><dd class="wrap">{trust}</dd>
                    <dt>{prefs.t(Msg::SetupPolda)}</dt><dd>{polda}{polres}</dd>
                </dl>
            }
            .into_any(),
        )
    };
    view! {
        <section class="card" id="desk-setup-card">
            <header class="card-header"><h2>{move || prefs.t(Msg::SetupThisDesk)}</h2></header>
            {facts}
            // A central named by the environment (./dev run, tests) wins over a saved setup: nothing to change here.
            <Show when=move || !setup.get().and_then(Result::ok).is_some_and(|info| info.from_environment)>
                <div class="form-actions">
                    <button id="desk-setup-change" type="button" class="button" on:click=move |_| open.set(true)>
                        {move || prefs.t(Msg::SetupChange)}
                    </button>
                </div>
            </Show>
        </section>
    }
}

/// How long each priority may wait in a stage before the queues mark it overdue, in seconds; a
/// supervisor saves them for the desk, refused whole with the reason when out of bounds or out of order.
#[component]
fn OverdueCard() -> impl IntoView {
    use siaga_domain::queue::{OverdueThresholds, THRESHOLD_RANGE};
    use siaga_domain::Priority;
    let prefs = use_prefs();
    let status = crate::desk_status::use_desk_status();
    let kept = crate::overdue::use_overdue();
    let draft = RwSignal::new(kept.get_untracked());
    Effect::new(move |_| draft.set(kept.get()));
    let message = RwSignal::new(None::<(bool, String)>);
    let supervisor = Memo::new(move |_| status.flow_role() == Some(siaga_domain::Role::Supervisor));
    let set = move |priority: Priority, secs: u32| {
        draft.update(|d| match priority {
            Priority::Critical => d.critical_secs = secs,
            Priority::High => d.high_secs = secs,
            Priority::Medium => d.medium_secs = secs,
            Priority::Low => d.low_secs = secs,
        });
    };
    let save = move || {
        let language = prefs.language.get_untracked();
        let request = siaga_ipc::SetOverdueThresholdsRequest {
            thresholds: draft.get_untracked(),
            language,
        };
        leptos::task::spawn_local(async move {
            match ipc::invoke::<siaga_ipc::SetOverdueThresholdsCommand>(&request).await {
                Ok(saved) => {
                    kept.set(saved);
                    message.set(Some((true, Msg::OverdueSaved.text(language).to_owned())));
                }
                Err(err) => message.set(Some((false, err.message))),
            }
        });
    };
    view! {
        <section class="card" id="overdue-settings">
            <header class="card-header"><h2>{move || prefs.t(Msg::OverdueHeading)}</h2></header>
            <p class="muted">{move || prefs.t(Msg::OverdueHint)}</p>
            <div class="overdue-fields">
                {Priority::ALL.into_iter().map(|priority| view! {
                    <label class="inline-field">
                        <span class=format!("priority p{}", priority.rank())>{priority.rank()}</span>
                        <input id=format!("overdue-p{}", priority.rank()) type="number"
                            min=*THRESHOLD_RANGE.start() max=*THRESHOLD_RANGE.end()
                            disabled=move || !supervisor.get()
                            prop:value=move || draft.get().after_secs(priority).to_string()
                            on:change=move |ev| {
                                // What cannot be read as a number is kept as 0, which the check refuses with its reason.
                                set(priority, event_target_value(&ev).trim().parse().unwrap_or(0));
                            }/>
                        " " {move || prefs.t(Msg::Seconds)}
                    </label>
                }).collect_view()}
            </div>
            <Show when=move || supervisor.get()
                fallback=move || view! { <p class="muted">{move || prefs.t(Msg::OverdueSupervisorOnly)}</p> }>
                <div class="form-actions">
                    <button id="overdue-save" class="button primary" on:click=move |_| save()>{move || prefs.t(Msg::OverdueSave)}</button>
                    <button id="overdue-reset" class="button ghost"
                        on:click=move |_| draft.set(OverdueThresholds::default())>{move || prefs.t(Msg::OverdueDefaults)}</button>
                </div>
            </Show>
            {move || message.get().map(|(ok, text)| view! {
                <p id="overdue-message" class=if ok { "form-ok" } else { "form-error" } role="status">{text}</p>
            })}
        </section>
    }
}

/// The Polda's audit trail, for supervisors: read whole from the central and verified on this desk (every
/// link, every signed head it has kept), the verdict first, then the newest entries. Read on demand: each read
/// is itself an entry of the trail.
#[component]
fn AuditCard() -> impl IntoView {
    let prefs = use_prefs();
    let status = crate::desk_status::use_desk_status();
    let supervisor = Memo::new(move |_| status.flow_role() == Some(siaga_domain::Role::Supervisor));
    let result = RwSignal::new(None::<Result<siaga_ipc::AuditLog, String>>);
    let busy = RwSignal::new(false);
    let check = move || {
        let language = prefs.language.get_untracked();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let request = siaga_ipc::AuditLogRequest { language };
            let answer = ipc::invoke::<siaga_ipc::AuditLogCommand>(&request).await;
            result.set(Some(answer.map_err(|e| e.message)));
            busy.set(false);
        });
    };
    let when = move |ms: i64| {
        let locale = match prefs.language.get_untracked() {
            Language::Id => "id-ID",
            Language::En => "en-GB",
        };
        let at = js_sys::Date::new(&(ms as f64).into());
        format!(
            "{} {}",
            String::from(at.to_locale_date_string(locale, &js_sys::Object::new())),
            String::from(at.to_locale_time_string(locale))
        )
    };
    let verdict = move |log: &siaga_ipc::AuditLog| match &log.broken {
        Some(problem) => view! {
            <p id="audit-verdict" class="form-error" role="status">
                <strong>{prefs.t(Msg::AuditBroken)}</strong>" — "{problem.reason.clone()}
            </p>
        }
        .into_any(),
        None => {
            let signed = log
                .last_signed_ms
                .map(|ms| format!(" · {} {}", prefs.t(Msg::AuditLastSigned), when(ms)))
                .unwrap_or_default();
            view! {
                <p id="audit-verdict" class="form-ok" role="status">
                    <strong>{prefs.t(Msg::AuditIntact)}</strong>
                    {format!(": {} {} · {} {}{signed}", log.entries, prefs.t(Msg::AuditEntries),
                        log.heads_kept, prefs.t(Msg::AuditHeads))}
                </p>
            }
            .into_any()
        }
    };
    view! {
        <Show when=move || supervisor.get()>
            <section class="card" id="audit-trail">
                <header class="card-header"><h2>{move || prefs.t(Msg::AuditHeading)}</h2></header>
                <p class="muted">{move || prefs.t(Msg::AuditHint)}</p>
                <div class="form-actions">
                    <button id="audit-check" class="button primary" disabled=move || busy.get()
                        on:click=move |_| check()>{move || prefs.t(Msg::AuditCheck)}</button>
                </div>
                {move || result.get().map(|answer| match answer {
                    Err(message) => view! { <p id="audit-message" class="form-error" role="status">{message}</p> }.into_any(),
                    Ok(log) => view! {
                        {verdict(&log)}
                        <div class="audit-table">
                            <table id="audit-rows">
                                <thead><tr>
                                    <th>{prefs.t(Msg::AuditColNumber)}</th>
                                    <th>{prefs.t(Msg::AuditColTime)}</th>
                                    <th>{prefs.t(Msg::AuditColActor)}</th>
                                    <th>{prefs.t(Msg::AuditColAction)}</th>
                                    <th>{prefs.t(Msg::AuditColSubject)}</th>
                                </tr></thead>
                                <tbody>
                                    {log.rows.iter().map(|row| {
                                        let bad = log.broken.as_ref().is_some_and(|b| b.seq == row.seq);
                                        view! {
                                            <tr class:audit-bad=bad data-seq=row.seq.to_string()>
                                                <td>{row.seq}</td>
                                                <td>{when(row.at_ms)}</td>
                                                <td>{format!("{} ({})", row.actor, row.role)}</td>
                                                <td>{format!("{} {}", row.action, row.detail)}</td>
                                                <td class="mono">{row.subject.clone()}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                })}
            </section>
        </Show>
    }
}

/// The street map card: the file in use, "Choose file…" (the system's file dialog, opened by the shell:
/// the page never names a path) and Remove, and what the file holds or why it cannot be used. A change
/// bumps the streets revision, which makes the map reload its style.
#[component]
fn StreetsCard() -> impl IntoView {
    let prefs = use_prefs();
    let revision = use_streets_revision();
    let info = LocalResource::new(move || {
        let language = prefs.language.get();
        async move { ipc::invoke::<StreetsArchiveCommand>(&StreetsArchiveRequest { language }).await }
    });
    let busy = RwSignal::new(false);
    let choosing = RwSignal::new(false);
    // The last choice or removal: what to confirm, or the shell's refusal.
    let outcome = RwSignal::new(None::<Result<Msg, String>>);
    let choose = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        choosing.set(true);
        outcome.set(None);
        let request = StreetsArchiveRequest {
            language: prefs.language.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match ipc::invoke::<ChooseStreetsArchiveCommand>(&request).await {
                Ok(choice) if choice.chosen => {
                    outcome.set(Some(Ok(Msg::StreetsSaved)));
                    revision.changed(choice.info.facts.is_some());
                    info.refetch();
                }
                Ok(_) => outcome.set(Some(Ok(Msg::StreetsCancelled))),
                Err(err) => outcome.set(Some(Err(err.message))),
            }
            choosing.set(false);
            busy.set(false);
        });
    };
    let remove = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        outcome.set(None);
        let request = StreetsArchiveRequest {
            language: prefs.language.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match ipc::invoke::<RemoveStreetsArchiveCommand>(&request).await {
                Ok(now) => {
                    outcome.set(Some(Ok(Msg::StreetsRemoved)));
                    revision.changed(now.facts.is_some());
                    info.refetch();
                }
                Err(err) => outcome.set(Some(Err(err.message))),
            }
            busy.set(false);
        });
    };
    let path = move || match info.get() {
        Some(Ok(current)) => current.path,
        _ => None,
    };
    let state = move || {
        let language = prefs.language.get();
        match info.get() {
            None => view! { <p class="summary">{Msg::Loading.text(language)}</p> }.into_any(),
            Some(Err(err)) => view! { <p class="form-error">{err.message}</p> }.into_any(),
            Some(Ok(current)) => match (current.facts, current.problem) {
                (_, Some(problem)) => view! {
                    <p class="form-error" data-code=problem.code>{problem.message}</p>
                }
                .into_any(),
                (Some(facts), None) => facts_view(&facts, language).into_any(),
                (None, None) => view! { <p class="summary">{Msg::StreetsNone.text(language)}</p> }.into_any(),
            },
        }
    };
    view! {
        <section class="card streets">
            <header class="card-header"><h2>{move || prefs.t(Msg::StreetsHeading)}</h2></header>
            <p class="summary">{move || prefs.t(Msg::StreetsHint)}</p>
            {move || path().map(|path| view! {
                <dl class="facts">
                    <dt>{prefs.t(Msg::StreetsPathLabel)}</dt>
                    <dd id="streets-path" class="path">{path}</dd>
                </dl>
            })}
            <div class="form-actions">
                <button
                    id="streets-remove"
                    type="button"
                    class="button ghost"
                    disabled=move || busy.get() || path().is_none()
                    on:click=remove
                >
                    {move || prefs.t(Msg::StreetsRemove)}
                </button>
                <button id="streets-choose" type="button" class="button primary" disabled=move || busy.get() on:click=choose>
                    {move || prefs.t(Msg::StreetsChoose)}
                </button>
            </div>
            <div id="streets-status" class="streets-status" role="status" aria-live="polite">
                {move || choosing.get().then(|| view! { <p class="summary">{prefs.t(Msg::StreetsChoosing)}</p> })}
                {move || match outcome.get() {
                    Some(Ok(msg)) => view! { <p class="summary">{prefs.t(msg)}</p> }.into_any(),
                    Some(Err(message)) => view! { <p class="form-error" role="alert">{message}</p> }.into_any(),
                    None => ().into_any(),
                }}
                {state}
            </div>
        </section>
    }
}

/// What the configured archive holds.
fn facts_view(facts: &StreetsArchiveFacts, language: Language) -> impl IntoView {
    let [west, south, east, north] = facts.bounds;
    let tiles = if facts.tile_count == 0 {
        Msg::StreetsTilesUnknown.text(language).to_owned()
    } else {
        grouped(facts.tile_count, language)
    };
    view! {
        <dl class="facts">
            <dt>{Msg::StreetsZooms.text(language)}</dt>
            <dd id="streets-zooms">{format!("{}–{}", facts.min_zoom, facts.max_zoom)}</dd>
            <dt>{Msg::StreetsTiles.text(language)}</dt>
            <dd id="streets-tiles">{tiles}</dd>
            <dt>{Msg::StreetsSize.text(language)}</dt>
            <dd id="streets-size">{file_size(facts.file_size, language)}</dd>
            <dt>{Msg::StreetsBounds.text(language)}</dt>
            <dd id="streets-bounds">{format!("{west:.3}, {south:.3}, {east:.3}, {north:.3}")}</dd>
            <dt>{Msg::StreetsCompression.text(language)}</dt>
            <dd id="streets-compression">{facts.tile_compression.clone()}</dd>
        </dl>
        <p class="summary">{Msg::StreetsCredit.text(language)}</p>
    }
}

/// `1234567` as `1.234.567` (Indonesian) or `1,234,567` (English).
fn grouped(n: u64, language: Language) -> String {
    let separator = match language {
        Language::Id => '.',
        Language::En => ',',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// A file size in kB, MB or GB with one decimal, the decimal mark of `language`.
fn file_size(bytes: u64, language: Language) -> String {
    let (value, unit) = if bytes >= 1_000_000_000 {
        (bytes as f64 / 1e9, "GB")
    } else if bytes >= 1_000_000 {
        (bytes as f64 / 1e6, "MB")
    } else {
        (bytes as f64 / 1e3, "kB")
    };
    let text = format!("{value:.1} {unit}");
    match language {
        Language::Id => text.replace('.', ","),
        Language::En => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(grouped(1_234_567, Language::Id), "1.234.567");
        assert_eq!(grouped(1_234_567, Language::En), "1,234,567");
        assert_eq!(grouped(999, Language::En), "999");
        assert_eq!(file_size(2_345_000_000, Language::Id), "2,3 GB");
        assert_eq!(file_size(12_300_000, Language::En), "12.3 MB");
        assert_eq!(file_size(1_500, Language::Id), "1,5 kB");
    }
}
