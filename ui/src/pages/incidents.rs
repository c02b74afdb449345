//! The Insiden page: take down a new report and work the incidents this desk holds along the operator
//! flow. Everything is kept on the desk first, so it works while the central is down.

use super::incident_detail::IncidentDetail;
use crate::desk_status::{use_desk_status, use_sign_in_open};
use crate::i18n::{elapsed, Msg};
use crate::ipc;
use crate::keys;
use crate::live::use_live;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_domain::queue::{is_overdue, STAGES};
use siaga_domain::station::stations;
use siaga_domain::{Category, CloseReason, Incident, IncidentChange, IncidentId, IncidentStatus};
use siaga_ipc::{
    ActCommand, ActRequest, Empty, IncidentsCommand, IncidentsRequest, QueueCount, QueueCountsCommand,
    ReportIncidentCommand, ReportIncidentRequest,
};

/// Body of the Incidents page.
#[component]
pub fn IncidentsPage() -> impl IntoView {
    let prefs = use_prefs();
    let status = use_desk_status();
    let live = use_live();
    let sign_in_open = use_sign_in_open();
    let incidents = RwSignal::new(Vec::<Incident>::new());
    // The incident whose detail is open (keyed so that another one opens a fresh panel).
    let selected = RwSignal::new(None::<IncidentId>);
    // The queue shown: one open stage of the flow (oldest waiting first), or every incident.
    let stage = RwSignal::new(None::<IncidentStatus>);
    let counts = RwSignal::new(Vec::<QueueCount>::new());
    let reload = move || {
        let shown_stage = stage.get_untracked();
        leptos::task::spawn_local(async move {
            if let Ok(list) = ipc::invoke::<IncidentsCommand>(&IncidentsRequest {
                statuses: shown_stage.into_iter().collect(),
                limit: 200,
                queue: shown_stage.is_some(),
            })
            .await
            {
                // Only a change re-renders the list.
                if incidents.try_with_untracked(|shown| *shown != list) == Some(true) {
                    incidents.set(list);
                }
            }
            if let Ok(found) = ipc::invoke::<QueueCountsCommand>(&Empty {}).await {
                if counts.try_with_untracked(|shown| *shown != found) == Some(true) {
                    counts.set(found);
                }
            }
        });
    };
    Effect::new(move |_| {
        stage.track();
        reload();
    });
    // n: a new report (the detail steps aside); ?: the list of shortcuts.
    let help = RwSignal::new(false);
    keys::on_shortcut(move |key| match key {
        "n" => {
            selected.set(None);
            keys::focus("report-description");
            true
        }
        "?" => {
            help.update(|open| *open = !*open);
            true
        }
        "Escape" if help.get_untracked() => {
            help.set(false);
            true
        }
        _ => false,
    });
    // The list follows the store: re-read when the shell says it changed, after a sign-in, and every 15 s
    // as a safety net (not every second: on a large store that is a sort of every incident each time).
    let signed_in = Memo::new(move |_| status.signed_in());
    Effect::new(move |_| {
        live.incidents.track();
        signed_in.track();
        reload();
    });
    Effect::new(move |_| {
        if status.ticks.get().is_multiple_of(15) {
            reload();
        }
    });
    view! {
        <Show
            when=move || status.signed_in()
            fallback=move || view! {
                <section class="card" id="incidents-signed-out">
                    <p>{move || prefs.t(Msg::SignInRequired)}</p>
                    <button class="button primary" on:click=move |_| sign_in_open.set(true)>{move || prefs.t(Msg::SignIn)}</button>
                </section>
            }
        >
            <div class="incidents-layout" class:with-detail=move || selected.get().is_some()>
                <ReportForm on_saved=reload />
                <div class="incident-queues">
                    <QueueTabs stage=stage counts=counts />
                    <IncidentList incidents=incidents on_changed=reload selected=selected />
                </div>
                {move || selected.get().map(|id| view! {
                    <IncidentDetail id=id on_close=move || selected.set(None) />
                })}
            </div>
            <Show when=move || help.get()>
                <ShortcutHelp on_close=move || help.set(false) />
            </Show>
        </Show>
    }
}

/// The shortcuts of the Insiden page (`?`), the same in both languages.
const SHORTCUTS: [(&str, Msg); 9] = [
    ("n", Msg::KeyNewReport),
    ("j / ↓", Msg::KeyNext),
    ("k / ↑", Msg::KeyPrevious),
    ("c", Msg::KeyClassify),
    ("p", Msg::KeyPrank),
    ("e", Msg::KeyEmpty),
    ("0–5", Msg::KeyQueues),
    ("Esc", Msg::KeyClose),
    ("?", Msg::KeyHelp),
];

/// The overlay listing the page's shortcuts.
#[component]
fn ShortcutHelp(on_close: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <div class="overlay" id="shortcut-help" role="dialog" aria-modal="true" on:click=move |_| on_close()>
            <section class="card shortcut-card" on:click=|ev| ev.stop_propagation()>
                <header class="card-header"><h2>{move || prefs.t(Msg::KeyTitle)}</h2></header>
                <dl class="shortcuts">
                    {SHORTCUTS.into_iter().map(|(key, what)| view! {
                        <dt><kbd>{key}</kbd></dt>
                        <dd>{move || prefs.t(what)}</dd>
                    }).collect_view()}
                </dl>
            </section>
        </div>
    }
}

/// A stage's short name on its queue tab.
fn queue_label(status: IncidentStatus) -> Msg {
    match status {
        IncidentStatus::Received => Msg::QueueReceived,
        IncidentStatus::Classified => Msg::QueueClassified,
        IncidentStatus::Forwarded => Msg::QueueForwarded,
        IncidentStatus::HandedToSpkt => Msg::QueueAtSpkt,
        IncidentStatus::InProgress | IncidentStatus::Closed => Msg::QueueHandling,
    }
}

/// The queues: every incident, or one open stage of the flow, each with how many wait in it.
#[component]
fn QueueTabs(stage: RwSignal<Option<IncidentStatus>>, counts: RwSignal<Vec<QueueCount>>) -> impl IntoView {
    let prefs = use_prefs();
    // 0: every incident; 1–5: the stages in the flow's order.
    keys::on_shortcut(move |key| match key.parse::<usize>() {
        Ok(0) => {
            stage.set(None);
            true
        }
        Ok(n) if n <= STAGES.len() => {
            stage.set(Some(STAGES[n - 1]));
            true
        }
        _ => false,
    });
    view! {
        <nav class="segmented queue-tabs" id="queue-tabs" aria-label=move || prefs.t(Msg::QueuesLabel)>
            <button id="queue-all" class="segment" class:active=move || stage.get().is_none()
                on:click=move |_| stage.set(None)>
                {move || prefs.t(Msg::QueueAll)}
            </button>
            {STAGES.into_iter().map(|status| {
                let count = move || counts.with(|c| c.iter().find(|q| q.status == status).map_or(0, |q| q.count));
                view! {
                    <button id=format!("queue-{}", status.code()) class="segment" class:active=move || stage.get() == Some(status)
                        on:click=move |_| stage.set(Some(status))>
                        {move || prefs.t(queue_label(status))}
                        " "
                        <span class="count">{count}</span>
                    </button>
                }
            }).collect_view()}
        </nav>
    }
}

/// The new-report form (operator 1 takes down a call).
#[component]
fn ReportForm(on_saved: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let prefs = use_prefs();
    let status = use_desk_status();
    let description = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let station = RwSignal::new(stations().first().map(|s| s.id).unwrap_or_default().to_owned());
    let message = RwSignal::new(None::<(bool, String)>);
    let submit = move || {
        let text = description.get_untracked().trim().to_owned();
        let language = prefs.language.get_untracked();
        if text.is_empty() {
            message.set(Some((false, Msg::DescriptionRequired.text(language).to_owned())));
            return;
        }
        let place = stations()
            .iter()
            .find(|s| s.id == station.get_untracked())
            .map(|s| s.point);
        let Some(point) = place else { return };
        let category = Category::ALL
            .iter()
            .copied()
            .find(|c| c.code() == category.get_untracked());
        let request = ReportIncidentRequest {
            description: text,
            category,
            lat: point.lat(),
            lon: point.lon(),
            language,
        };
        leptos::task::spawn_local(async move {
            match ipc::invoke::<ReportIncidentCommand>(&request).await {
                Ok(_) => {
                    description.set(String::new());
                    message.set(Some((true, Msg::ReportSaved.text(language).to_owned())));
                    status.refresh();
                    on_saved();
                }
                Err(err) => message.set(Some((false, err.message))),
            }
        });
    };
    view! {
        <form id="report-form" class="card" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <header class="card-header"><h2>{move || prefs.t(Msg::NewReport)}</h2></header>
            <label class="field">
                <span>{move || prefs.t(Msg::ReportDescription)}</span>
                <textarea id="report-description" rows="3" prop:value=move || description.get()
                    on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            </label>
            <label class="field">
                <span>{move || prefs.t(Msg::ReportCategory)}</span>
                <select id="report-category" on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="">{move || prefs.t(Msg::ReportCategoryNone)}</option>
                    {Category::ALL.iter().map(|c| {
                        let c = *c;
                        view! { <option value=c.code()>{move || c.label(prefs.language.get())}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{move || prefs.t(Msg::ReportPlace)}</span>
                <select id="report-station" on:change=move |ev| station.set(event_target_value(&ev))>
                    {stations().iter().map(|s| view! {
                        <option value=s.id>{format!("{} — {}", s.name, s.lines.first().copied().unwrap_or_default())}</option>
                    }).collect_view()}
                </select>
            </label>
            {move || message.get().map(|(ok, text)| view! {
                <p id="report-message" class=if ok { "form-ok" } else { "form-error" } role="status">{text}</p>
            })}
            <div class="form-actions">
                <button id="report-submit" type="submit" class="button primary">{move || prefs.t(Msg::ReportSubmit)}</button>
            </div>
        </form>
    }
}

/// The incidents on this desk, most urgent first, with the next steps of the flow.
#[component]
fn IncidentList(
    incidents: RwSignal<Vec<Incident>>,
    on_changed: impl Fn() + Copy + Send + Sync + 'static,
    selected: RwSignal<Option<IncidentId>>,
) -> impl IntoView {
    let prefs = use_prefs();
    let status = use_desk_status();
    let error = RwSignal::new(None::<String>);
    let act = move |incident_id: IncidentId, change: IncidentChange| {
        let language = prefs.language.get_untracked();
        leptos::task::spawn_local(async move {
            match ipc::invoke::<ActCommand>(&ActRequest {
                incident_id,
                change,
                language,
            })
            .await
            {
                Ok(_) => error.set(None),
                Err(err) => error.set(Some(err.message)),
            }
            status.refresh();
            on_changed();
        });
    };
    // j/k (or the arrows) walk the list and open the detail; c, p and e act on the selected incident.
    keys::on_shortcut(move |key| {
        let list = incidents.get_untracked();
        let at = selected
            .get_untracked()
            .and_then(|id| list.iter().position(|i| i.id == id));
        let chosen = at.map(|n| &list[n]);
        match key {
            "j" | "ArrowDown" => {
                let next = at.map_or(0, |n| (n + 1).min(list.len().saturating_sub(1)));
                if let Some(incident) = list.get(next) {
                    selected.set(Some(incident.id));
                }
                true
            }
            "k" | "ArrowUp" => {
                if let Some(incident) = at.and_then(|n| list.get(n.saturating_sub(1))) {
                    selected.set(Some(incident.id));
                }
                true
            }
            // The selected incident may have left this queue (classified from the received queue).
            "Escape" if selected.get_untracked().is_some() => {
                selected.set(None);
                true
            }
            "c" | "p" | "e" => {
                let Some(incident) = chosen else { return false };
                let change = match key {
                    "c" => IncidentChange::Classified {
                        category: incident.category.unwrap_or(Category::Other),
                        priority: None,
                    },
                    "p" => IncidentChange::Closed {
                        reason: CloseReason::Prank,
                        summary: String::new(),
                    },
                    _ => IncidentChange::Closed {
                        reason: CloseReason::Empty,
                        summary: String::new(),
                    },
                };
                act(incident.id, change);
                true
            }
            _ => false,
        }
    });
    view! {
        <section class="card incident-list" id="incident-list">
            <header class="card-header"><h2>{move || prefs.t(Msg::IncidentListTitle)}</h2></header>
            {move || error.get().map(|e| view! { <p id="incident-error" class="form-error" role="alert">{e}</p> })}
            <Show when=move || incidents.with(Vec::is_empty)>
                <p class="muted">{move || prefs.t(Msg::IncidentListEmpty)}</p>
            </Show>
            <ul class="rows">
                <For each=move || incidents.get() key=|i| (i.id, i.version) let:incident>
                    {
                        let id = incident.id;
                        let language = prefs.language;
                        let category = incident.category;
                        let received = incident.status == IncidentStatus::Received;
                        let updated_ms = (incident.updated_at.unix_timestamp_nanos() / 1_000_000) as f64;
                        // Ticks with the status bar's clock (once a second).
                        let waiting = move || {
                            status.ticks.track();
                            Some(((js_sys::Date::now() - updated_ms) / 1000.0) as i64)
                        };
                        view! {
                            <li class="incident-row" data-id=id.to_string() data-status=incident.status.code()
                                class:selected=move || selected.get() == Some(id)
                                class:overdue=move || waiting().is_some_and(|secs| is_overdue(incident.status, incident.priority, secs))>
                                <span class=format!("priority p{}", incident.priority.rank())>{incident.priority.rank()}</span>
                                <div class="incident-main">
                                    <div class="incident-title">
                                        <strong>{move || category.map(|c| c.label(language.get())).unwrap_or_else(|| Msg::ReportCategoryNone.text(language.get()))}</strong>
                                        <span class="status-tag">{move || incident.status.label(language.get())}</span>
                                        {move || waiting().filter(|_| STAGES.contains(&incident.status)).map(|secs| view! {
                                            <span class="waiting" title=move || prefs.t(Msg::QueueWaiting)>{elapsed(secs, language.get())}</span>
                                        })}
                                    </div>
                                    <p class="incident-text">{incident.description.clone()}</p>
                                </div>
                                <div class="row-actions">
                                    <button class="button small ghost details" on:click=move |_| selected.set(Some(id))>
                                        {move || prefs.t(Msg::ActionDetails)}
                                    </button>
                                <Show when=move || received>
                                        <button class="button small classify" on:click=move |_| act(id, IncidentChange::Classified {
                                            category: category.unwrap_or(Category::Other), priority: None })>
                                            {move || prefs.t(Msg::ActionClassify)}
                                            " " <kbd>"c"</kbd>
                                        </button>
                                        <button class="button small ghost prank" on:click=move |_| act(id, IncidentChange::Closed {
                                            reason: CloseReason::Prank, summary: String::new() })>
                                            {move || prefs.t(Msg::ActionPrank)}
                                            " " <kbd>"p"</kbd>
                                        </button>
                                </Show>
                                </div>
                            </li>
                        }
                    }
                </For>
            </ul>
        </section>
    }
}
