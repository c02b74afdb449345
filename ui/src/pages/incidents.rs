//! The Insiden page: take down a new report and work the incidents this desk holds along the operator
//! flow. Everything is kept on the desk first, so it works while the central is down.

use super::board::SupervisorBoardView;
use super::incident_detail::IncidentDetail;
use crate::desk_status::{use_desk_status, use_sign_in_open};
use crate::i18n::{elapsed, Msg};
use crate::ipc;
use crate::keys;
use crate::live::use_live;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_domain::place::{PlaceHit, PlaceKind};
use siaga_domain::queue::STAGES;
use siaga_domain::station::stations;
use siaga_domain::{Category, CloseReason, Incident, IncidentChange, IncidentId, IncidentStatus};
use siaga_ipc::{
    ActCommand, ActRequest, Empty, IncidentsCommand, IncidentsRequest, PlaceChoice, PlacesCommand,
    PlacesRequest, QueueCount, QueueCountsCommand, ReportIncidentCommand, ReportIncidentRequest,
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
    // The supervisor board instead of the list (supervisors only, `b`).
    let board = RwSignal::new(false);
    let supervisor = Memo::new(move |_| status.flow_role() == Some(siaga_domain::Role::Supervisor));
    // Which queue the list on screen is (a tab's list arrives after the tab is chosen).
    let listed = RwSignal::new(String::new());
    // The list's filters: a category and a Polres (codes; empty: all).
    let filter_category = RwSignal::new(String::new());
    let filter_polres = RwSignal::new(String::new());
    let reload = move || {
        let shown_stage = stage.get_untracked();
        let categories = Category::ALL
            .iter()
            .copied()
            .filter(|c| c.code() == filter_category.get_untracked())
            .collect();
        let polres = filter_polres
            .get_untracked()
            .parse()
            .ok()
            .and_then(siaga_domain::region::RegencyCode::from_number)
            .map(siaga_domain::PolresId);
        leptos::task::spawn_local(async move {
            if let Ok(list) = ipc::invoke::<IncidentsCommand>(&IncidentsRequest {
                statuses: shown_stage.into_iter().collect(),
                limit: 200,
                queue: shown_stage.is_some(),
                categories,
                polres,
            })
            .await
            {
                // Only a change re-renders the list.
                if incidents.try_with_untracked(|shown| *shown != list) == Some(true) {
                    incidents.set(list);
                }
                let _ = listed.try_set(stage_code(shown_stage).to_owned());
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
        filter_category.track();
        filter_polres.track();
        reload();
    });
    // n: a new report (the detail steps aside); ?: the list of shortcuts.
    let help = RwSignal::new(false);
    keys::on_shortcut(move |key| match key {
        "n" => {
            selected.set(None);
            // After the detail has stepped aside and the form is shown again (a hidden field takes no focus).
            set_timeout(|| keys::focus("report-description"), std::time::Duration::ZERO);
            true
        }
        "?" => {
            help.update(|open| *open = !*open);
            true
        }
        "b" if supervisor.get_untracked() => {
            board.update(|shown| *shown = !*shown);
            true
        }
        "Escape" if help.get_untracked() => {
            help.set(false);
            true
        }
        _ => false,
    });
    // The list follows the store: re-read when the shell announces a change, and after a sign-in; never
    // on a timer (the waiting times tick on the status bar's clock without a re-read).
    let signed_in = Memo::new(move |_| status.signed_in());
    Effect::new(move |_| {
        live.incidents.track();
        signed_in.track();
        reload();
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
                    <QueueTabs stage=stage counts=counts board=board supervisor=supervisor />
                    <Show when=move || !board.get()>
                        <QueueFilters category=filter_category polres=filter_polres />
                    </Show>
                    <Show when=move || board.get() && supervisor.get()
                        fallback=move || view! { <IncidentList incidents=incidents on_changed=reload selected=selected stage=stage listed=listed /> }>
                        <SupervisorBoardView open=move |id, status| {
                            board.set(false);
                            stage.set(Some(status));
                            selected.set(Some(id));
                        } />
                    </Show>
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

/// A queue's code on the list (`data-stage`): a stage's status code, or `all`.
fn stage_code(stage: Option<IncidentStatus>) -> &'static str {
    stage.map_or("all", IncidentStatus::code)
}

/// The shortcuts of the Insiden page (`?`), the same in both languages.
const SHORTCUTS: [(&str, Msg); 24] = [
    ("Ctrl+K", Msg::KeyPalette),
    ("n", Msg::KeyNewReport),
    ("↓ / ↑ Enter", Msg::KeyPlace),
    ("Ctrl+Enter", Msg::KeySaveReport),
    ("j / ↓", Msg::KeyNext),
    ("k / ↑", Msg::KeyPrevious),
    ("c", Msg::KeyClassify),
    ("p", Msg::KeyPrank),
    ("e", Msg::KeyEmpty),
    ("r", Msg::KeyStepReclassify),
    ("l", Msg::KeyStepRelocate),
    ("f", Msg::KeyStepForward),
    ("g", Msg::KeyStepAgency),
    ("s", Msg::KeyStepSpkt),
    ("h", Msg::KeyStepHandle),
    ("x", Msg::KeyStepClose),
    ("d", Msg::KeyStepDuplicate),
    ("a", Msg::KeyStepReassign),
    ("o", Msg::KeyStepReopen),
    ("m", Msg::KeyStepNote),
    ("0–5", Msg::KeyQueues),
    ("b", Msg::KeyBoard),
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
pub(super) fn queue_label(status: IncidentStatus) -> Msg {
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
fn QueueTabs(
    stage: RwSignal<Option<IncidentStatus>>,
    counts: RwSignal<Vec<QueueCount>>,
    board: RwSignal<bool>,
    supervisor: Memo<bool>,
) -> impl IntoView {
    let prefs = use_prefs();
    // 0: every incident; 1–5: the stages in the flow's order.
    keys::on_shortcut(move |key| match key.parse::<usize>() {
        Ok(0) => {
            board.set(false);
            stage.set(None);
            true
        }
        Ok(n) if n <= STAGES.len() => {
            board.set(false);
            stage.set(Some(STAGES[n - 1]));
            true
        }
        _ => false,
    });
    view! {
        <nav class="segmented queue-tabs" id="queue-tabs" aria-label=move || prefs.t(Msg::QueuesLabel)>
            <button id="queue-all" class="segment" class:active=move || stage.get().is_none() && !board.get()
                on:click=move |_| { board.set(false); stage.set(None); }>
                {move || prefs.t(Msg::QueueAll)}
            </button>
            {STAGES.into_iter().map(|status| {
                let count = move || counts.with(|c| c.iter().find(|q| q.status == status).map_or(0, |q| q.count));
                view! {
                    <button id=format!("queue-{}", status.code()) class="segment" class:active=move || stage.get() == Some(status) && !board.get()
                        on:click=move |_| { board.set(false); stage.set(Some(status)); }>
                        {move || prefs.t(queue_label(status))}
                        " "
                        <span class="count">{count}</span>
                    </button>
                }
            }).collect_view()}
            <Show when=move || supervisor.get()>
                <button id="queue-board" class="segment" class:active=move || board.get()
                    on:click=move |_| board.update(|shown| *shown = !*shown)>
                    {move || prefs.t(Msg::BoardTab)}" "<kbd>"b"</kbd>
                </button>
            </Show>
        </nav>
    }
}

/// The Polres of `polda` (every Polres when `None`) as a list's choices: the regency code's number, and the
/// name; by name.
pub(super) fn polres_choices(polda: Option<siaga_domain::PoldaId>) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = siaga_domain::polda::polres_list()
        .into_iter()
        .filter(|p| polda.is_none() || Some(p.polda) == polda)
        .map(|p| (p.id.regency().number().to_string(), p.name))
        .collect();
    list.sort_by(|a, b| a.1.cmp(&b.1));
    list
}

/// The list's filters: one category, one Polres of the desk's Polda (every Polres for a national desk).
#[component]
fn QueueFilters(category: RwSignal<String>, polres: RwSignal<String>) -> impl IntoView {
    let prefs = use_prefs();
    let status = use_desk_status();
    let polres_options = Memo::new(move |_| polres_choices(status.polda()));
    view! {
        <div class="queue-filters" id="queue-filters">
            <select id="filter-category" aria-label=move || prefs.t(Msg::ReportCategory)
                on:change=move |ev| category.set(event_target_value(&ev))>
                <option value="">{move || prefs.t(Msg::FilterAllCategories)}</option>
                {Category::ALL.iter().map(|c| {
                    let c = *c;
                    view! { <option value=c.code()>{move || c.label(prefs.language.get())}</option> }
                }).collect_view()}
            </select>
            <select id="filter-polres" aria-label=move || prefs.t(Msg::DetailPolres)
                on:change=move |ev| polres.set(event_target_value(&ev))>
                <option value="">{move || prefs.t(Msg::FilterAllPolres)}</option>
                {move || polres_options.get().into_iter().map(|(code, name)| view! { <option value=code>{name}</option> }).collect_view()}
            </select>
        </div>
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
    // A place found by name (a village, district or regency; a station also sets the list below).
    let chosen = RwSignal::new(None::<PlaceHit>);
    let caller = RwSignal::new(String::new());
    let dialed = RwSignal::new(String::new());
    // A priority raised above the category's default (rank as text; empty: the default).
    let raised = RwSignal::new(String::new());
    let reporter_name = RwSignal::new(String::new());
    let reporter_nik = RwSignal::new(String::new());
    let optional = |text: String| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
    let message = RwSignal::new(None::<(bool, String)>);
    let submit = move || {
        let text = description.get_untracked().trim().to_owned();
        let language = prefs.language.get_untracked();
        if text.is_empty() {
            message.set(Some((false, Msg::DescriptionRequired.text(language).to_owned())));
            return;
        }
        let picked = chosen.get_untracked();
        let place = picked.as_ref().map(|hit| PlaceChoice {
            village: hit.village,
            district: hit.district,
            regency: hit.regency,
            label: format!("{}, {}", hit.name, hit.context),
        });
        // A village, district or regency has no point; a station (chosen by name or in the list) has.
        let point = match &picked {
            Some(hit) if hit.station.is_none() => None,
            _ => stations()
                .iter()
                .find(|s| s.id == station.get_untracked())
                .map(|s| s.point),
        };
        let proposed = Category::ALL
            .iter()
            .copied()
            .find(|c| c.code() == category.get_untracked());
        let request = ReportIncidentRequest {
            description: text,
            category: proposed,
            lat: point.map(|p| p.lat()),
            lon: point.map(|p| p.lon()),
            place,
            caller_number: optional(caller.get_untracked()),
            dialed: optional(dialed.get_untracked()),
            priority: raised
                .get_untracked()
                .parse::<u8>()
                .ok()
                .and_then(siaga_domain::Priority::from_rank),
            reporter_name: optional(reporter_name.get_untracked()),
            reporter_nik: optional(reporter_nik.get_untracked()),
            language,
        };
        leptos::task::spawn_local(async move {
            match ipc::invoke::<ReportIncidentCommand>(&request).await {
                Ok(_) => {
                    description.set(String::new());
                    // Every field is emptied for the next call, the category too (it is not the next call's).
                    category.set(String::new());
                    raised.set(String::new());
                    chosen.set(None);
                    caller.set(String::new());
                    dialed.set(String::new());
                    reporter_name.set(String::new());
                    reporter_nik.set(String::new());
                    message.set(Some((true, Msg::ReportSaved.text(language).to_owned())));
                    status.refresh();
                    on_saved();
                }
                Err(err) => message.set(Some((false, err.message))),
            }
        });
    };
    view! {
        // Ctrl+Enter saves the report from any field of the form (Enter alone picks a place in the search).
        <form id="report-form" class="card" on:submit=move |ev| { ev.prevent_default(); submit(); }
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                    ev.prevent_default();
                    submit();
                } else if ev.key() == "Escape" {
                    // Esc leaves the form (what was typed stays), so the page's keys work again.
                    keys::blur();
                }
            }>
            <header class="card-header"><h2>{move || prefs.t(Msg::NewReport)}</h2></header>
            <label class="field">
                <span>{move || prefs.t(Msg::ReportDescription)}</span>
                <textarea id="report-description" rows="3" prop:value=move || description.get()
                    on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            </label>
            <label class="field">
                <span>{move || prefs.t(Msg::ReportCategory)}</span>
                <select id="report-category" prop:value=move || category.get() on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="">{move || prefs.t(Msg::ReportCategoryNone)}</option>
                    {Category::ALL.iter().map(|c| {
                        let c = *c;
                        view! { <option value=c.code()>{move || c.label(prefs.language.get())}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{move || prefs.t(Msg::ReportCaller)}</span>
                <input id="report-caller" type="tel" inputmode="tel" autocomplete="off" maxlength="24"
                    prop:value=move || caller.get() on:input=move |ev| caller.set(event_target_value(&ev))/>
            </label>
            <NumberHistory number=caller/>
            <PlaceSearch chosen station/>
            // A village, district or regency chosen by name replaces the station list (it has no point).
            <label class="field" id="report-station-field"
                class:hidden=move || chosen.with(|hit| hit.as_ref().is_some_and(|h| h.station.is_none()))>
                <span>{move || prefs.t(Msg::ReportPlace)}</span>
                <select id="report-station" prop:value=move || station.get()
                    on:change=move |ev| { station.set(event_target_value(&ev)); chosen.set(None); }>
                    {stations().iter().map(|s| view! {
                        <option value=s.id>{format!("{} — {}", s.name, s.lines.first().copied().unwrap_or_default())}</option>
                    }).collect_view()}
                </select>
            </label>
            <div class="field-row">
                <label class="field">
                    <span>{move || prefs.t(Msg::ReportReporterName)}</span>
                    <input id="report-reporter-name" autocomplete="off" maxlength="100"
                        prop:value=move || reporter_name.get() on:input=move |ev| reporter_name.set(event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>{move || prefs.t(Msg::ReportReporterNik)}</span>
                    <input id="report-reporter-nik" inputmode="numeric" autocomplete="off" maxlength="24"
                        prop:value=move || reporter_nik.get() on:input=move |ev| reporter_nik.set(event_target_value(&ev))/>
                </label>
            </div>
            <NikCheck nik=reporter_nik chosen/>
            <DialedNumber dialed/>
            <RaisedPriority category raised/>
            {move || message.get().map(|(ok, text)| view! {
                <p id="report-message" class=if ok { "form-ok" } else { "form-error" } role="status">{text}</p>
            })}
            <div class="form-actions">
                <button id="report-submit" type="submit" class="button primary">{move || prefs.t(Msg::ReportSubmit)}" "<kbd>"Ctrl+Enter"</kbd></button>
            </div>
        </form>
    }
}

/// The report's priority: its category's default, or raised above it (never lowered at intake). Last in
/// the form with the number dialed, so a typical intake does not Tab through it.
#[component]
fn RaisedPriority(category: RwSignal<String>, raised: RwSignal<String>) -> impl IntoView {
    let prefs = use_prefs();
    let default = Memo::new(move |_| {
        category.with(|code| {
            Category::ALL
                .iter()
                .find(|c| c.code() == code)
                .map(|c| c.default_priority())
        })
    });
    // A new category may make the raise no raise at all.
    Effect::new(move |_| {
        default.track();
        raised.set(String::new());
    });
    view! {
        <label class="field">
            <span>{move || prefs.t(Msg::ReportPriority)}</span>
            <select id="report-priority" prop:value=move || raised.get() on:change=move |ev| raised.set(event_target_value(&ev))>
                <option value="">{move || match default.get() {
                    Some(p) => format!("{} {}", prefs.t(Msg::ReportPriorityDefault), p.rank()),
                    None => prefs.t(Msg::ReportPriorityNone).to_owned(),
                }}</option>
                {move || {
                    let default = default.get();
                    siaga_domain::Priority::ALL
                        .into_iter()
                        .filter(|p| default.is_none_or(|d| *p < d))
                        .map(|p| view! { <option value=p.rank().to_string()>{format!("{} {}", prefs.t(Msg::ReportPriorityRaise), p.rank())}</option> })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

/// The number the caller dialed (blank: 110), named from the routing table the desk keeps: a legacy
/// number forwarded to 110 says what it was; one the table does not forward, or does not know, is still
/// taken (the call did reach 110) with a note to check it; what no switch could forward is an error.
#[component]
fn DialedNumber(dialed: RwSignal<String>) -> impl IntoView {
    let prefs = use_prefs();
    let table = RwSignal::new(Vec::<siaga_ipc::LegacyNumberInfo>::new());
    // Read again as a legacy number is typed (a small list from the store): a table the central sent after
    // the page opened is used at once.
    Effect::new(move |_| {
        if !matches!(
            siaga_domain::incident::call_channel(&dialed.get()),
            Some(siaga_domain::Channel::LegacyNumber { .. })
        ) && !table.with_untracked(Vec::is_empty)
        {
            return;
        }
        leptos::task::spawn_local(async move {
            if let Ok(found) = ipc::invoke::<siaga_ipc::LegacyNumbersCommand>(&Empty {}).await {
                if table.try_with_untracked(|shown| *shown != found) == Some(true) {
                    let _ = table.try_set(found);
                }
            }
        });
    });
    let note = move || {
        let language = prefs.language.get();
        match siaga_domain::incident::call_channel(&dialed.get()) {
            None => Some((
                "invalid",
                siaga_domain::flow::TransitionError::BadDialedNumber.reason(language),
            )),
            Some(siaga_domain::Channel::LegacyNumber { dialed: number }) => {
                Some(
                    table.with(|table| match table.iter().find(|entry| entry.number == number) {
                        Some(entry) if entry.forwarded => (
                            "legacy",
                            format!(
                                "{number} · {} — {}",
                                entry.description,
                                prefs.t(Msg::ReportDialedForwarded)
                            ),
                        ),
                        Some(entry) => (
                            "not-forwarded",
                            format!(
                                "{number} · {} — {}",
                                entry.description,
                                prefs.t(Msg::ReportDialedNotForwarded)
                            ),
                        ),
                        None => (
                            "unknown",
                            format!("{number} — {}", prefs.t(Msg::ReportDialedUnknown)),
                        ),
                    }),
                )
            }
            Some(_) => None,
        }
    };
    view! {
        <label class="field">
            <span>{move || prefs.t(Msg::ReportDialed)}</span>
            <input id="report-dialed" type="tel" inputmode="tel" autocomplete="off" maxlength="24" placeholder="110"
                prop:value=move || dialed.get() on:input=move |ev| dialed.set(event_target_value(&ev))/>
        </label>
        {move || note().map(|(state, text)| view! {
            <p id="report-dialed-note" data-state=state
                class=if state == "legacy" { "dialed-note" } else { "dialed-note form-error" }>{text}</p>
        })}
    }
}

/// The earlier calls of the number being typed (advisory: no number is ever blocked), read again as the
/// number changes; in red when most of them were prank or empty calls.
#[component]
fn NumberHistory(number: RwSignal<String>) -> impl IntoView {
    let prefs = use_prefs();
    let history = RwSignal::new(None::<siaga_ipc::CallerHistoryInfo>);
    let asked = RwSignal::new(0u64);
    Effect::new(move |_| {
        let typed = number.get();
        let generation = asked.get_untracked() + 1;
        asked.set(generation);
        if typed.chars().filter(char::is_ascii_digit).count() < 6 {
            history.set(None);
            return;
        }
        leptos::task::spawn_local(async move {
            let found = ipc::invoke::<siaga_ipc::NumberHistoryCommand>(&siaga_ipc::NumberHistoryRequest {
                number: typed,
            })
            .await
            .ok()
            .filter(|h| h.known);
            if asked.try_get_untracked() == Some(generation) {
                history.set(found);
            }
        });
    });
    move || {
        history.get().map(|h| {
            let mostly_prank = h.calls > 0 && h.prank_or_empty * 2 >= h.calls;
            let text = if h.calls == 0 {
                prefs.t(Msg::DetailCallerFirst).to_owned()
            } else {
                format!(
                    "{} {} · {} {}",
                    h.calls,
                    prefs.t(Msg::DetailCallerCalls),
                    h.prank_or_empty,
                    prefs.t(Msg::DetailCallerPrank)
                )
            };
            view! {
                <p id="report-caller-history" data-calls=h.calls data-prank=h.prank_or_empty
                    class=if mostly_prank { "caller-history prank" } else { "caller-history" }>
                    <span class="muted">{prefs.t(Msg::DetailCallerHistory)}": "</span>{text}
                </p>
            }
        })
    }
}

/// Today in Western Indonesia (the birth date a NIK gives is resolved against it).
fn today() -> time::Date {
    let now_ms = js_sys::Date::now() as i128;
    time::OffsetDateTime::from_unix_timestamp_nanos(now_ms * 1_000_000)
        .map(|now| {
            now.to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC))
                .date()
        })
        .unwrap_or(time::Date::MIN)
}

/// What a NIK says, for the operator: where it was issued, the birth date (in the language's form), the age today
/// and the sex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NikFacts {
    pub region: String,
    pub born: String,
    pub age: i32,
    pub sex: Msg,
    /// The regency it was issued in.
    pub regency: Option<siaga_domain::region::RegencyCode>,
}

/// What the NIK `text` says, or why it is not a NIK (in `language`).
pub(super) fn nik_facts(text: &str, language: siaga_domain::Language) -> Result<NikFacts, String> {
    let parsed = siaga_domain::nik::Nik::parse(text).map_err(|error| error.reason(language))?;
    let today = today();
    let birth = parsed.nik.birth_date().resolve(today);
    let mut age = today.year() - birth.year();
    if (today.month() as u8, today.day()) < (birth.month() as u8, birth.day()) {
        age -= 1;
    }
    let sex = match parsed.nik.sex() {
        siaga_domain::nik::Sex::Male => Msg::CitizenMale,
        siaga_domain::nik::Sex::Female => Msg::CitizenFemale,
    };
    let region = [
        parsed.district_name,
        parsed.regency_name,
        Some(parsed.province_name),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let born = match language {
        siaga_domain::Language::Id => siaga_domain::service::letter::indonesian_date(birth),
        siaga_domain::Language::En => siaga_domain::service::iso_date::format(birth),
    };
    Ok(NikFacts {
        region,
        born,
        age,
        sex,
        regency: parsed.nik.regency_code(),
    })
}

/// The reporter's NIK read as it is typed: where it was issued, the birth date, age and sex it states,
/// or why it is not a NIK; and a note when it was issued outside the incident's regency.
#[component]
fn NikCheck(nik: RwSignal<String>, chosen: RwSignal<Option<PlaceHit>>) -> impl IntoView {
    let prefs = use_prefs();
    move || {
        let text = nik.get();
        if text.trim().is_empty() {
            return None;
        }
        let language = prefs.language.get();
        Some(match nik_facts(&text, language) {
            Err(reason) => view! {
                <p id="report-nik-check" class="nik-check form-error" data-state="invalid">{reason}</p>
            }
            .into_any(),
            Ok(facts) => {
                let elsewhere = chosen.with(|place| {
                    place
                        .as_ref()
                        .is_some_and(|place| facts.regency != Some(place.regency))
                });
                view! {
                    <p id="report-nik-check" class="nik-check" data-state=if elsewhere { "elsewhere" } else { "valid" }>
                        <span class="nik-region">{facts.region}</span>
                        " · " {prefs.t(Msg::ReportNikBorn)} " " {facts.born}
                        " · " {facts.age} " " {prefs.t(Msg::ReportNikYears)}
                        " · " {prefs.t(facts.sex)}
                        {elsewhere.then(|| view! { <span class="nik-elsewhere">{prefs.t(Msg::ReportNikElsewhere)}</span> })}
                    </p>
                }
                .into_any()
            }
        })
    }
}

fn place_kind_label(kind: PlaceKind) -> Msg {
    match kind {
        PlaceKind::Village => Msg::PlaceKindVillage,
        PlaceKind::District => Msg::PlaceKindDistrict,
        PlaceKind::Regency => Msg::PlaceKindRegency,
        PlaceKind::Station => Msg::PlaceKindStation,
    }
}

/// Finds the place as the operator types (villages, districts, regencies, stations; typos and old
/// spellings forgiven): ↓/↑ walk the list, Enter takes one, Esc closes it. A station also sets the
/// station list.
///
/// `prefix` names its elements (`{prefix}-place-search`, `-hits`, `-chosen`, `-clear`): the intake form
/// (`report`) and the detail's relocate step (`relocate`) each have one.
#[component]
pub(super) fn PlaceSearch(
    chosen: RwSignal<Option<PlaceHit>>,
    station: RwSignal<String>,
    #[prop(default = "report")] prefix: &'static str,
) -> impl IntoView {
    let prefs = use_prefs();
    let query = RwSignal::new(String::new());
    let hits = RwSignal::new(Vec::<PlaceHit>::new());
    let at = RwSignal::new(0usize);
    // Answers that arrive after a newer keystroke's are dropped.
    let asked = RwSignal::new(0u64);
    let search = move |text: String| {
        query.set(text.clone());
        let generation = asked.get_untracked() + 1;
        asked.set(generation);
        if text.trim().chars().count() < 2 {
            hits.set(Vec::new());
            return;
        }
        leptos::task::spawn_local(async move {
            let found = ipc::invoke::<PlacesCommand>(&PlacesRequest {
                query: text,
                limit: 8,
            })
            .await
            .unwrap_or_default();
            if asked.try_get_untracked() == Some(generation) {
                at.set(0);
                hits.set(found);
            }
        });
    };
    let take = move |hit: PlaceHit| {
        if let Some(id) = &hit.station {
            station.set(id.clone());
        }
        query.set(String::new());
        hits.set(Vec::new());
        chosen.set(Some(hit));
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let count = hits.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                at.set((at.get_untracked() + 1).min(count - 1));
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                at.set(at.get_untracked().saturating_sub(1));
            }
            "Enter" => {
                ev.prevent_default(); // Enter takes a place; it never sends the form from here
                if let Some(hit) = hits.with_untracked(|h| h.get(at.get_untracked()).cloned()) {
                    take(hit);
                }
            }
            "Escape" if count > 0 => {
                ev.stop_propagation();
                hits.set(Vec::new());
            }
            _ => {}
        }
    };
    let polres_name = |hit: &PlaceHit| {
        hit.polres
            .and_then(siaga_domain::polda::polres)
            .map(|p| p.name)
            .unwrap_or_default()
    };
    view! {
        <div class="field place-search">
            <label for=format!("{prefix}-place-search")><span>{move || prefs.t(Msg::ReportPlaceSearch)}</span></label>
            <input id=format!("{prefix}-place-search") type="search" autocomplete="off" spellcheck="false"
                placeholder=move || prefs.t(Msg::ReportPlaceSearchHint)
                role="combobox" aria-controls=format!("{prefix}-place-hits") aria-expanded=move || (!hits.with(Vec::is_empty)).to_string()
                prop:value=move || query.get()
                on:input=move |ev| search(event_target_value(&ev))
                on:keydown=on_key/>
            {move || (!hits.with(Vec::is_empty)).then(|| view! {
                <ul id=format!("{prefix}-place-hits") class="place-hits" role="listbox">
                    {hits.get().into_iter().enumerate().map(|(n, hit)| {
                        let kind = place_kind_label(hit.kind);
                        let polres = polres_name(&hit);
                        let picked = hit.clone();
                        view! {
                            <li role="option" class="place-hit" class:active=move || at.get() == n
                                data-kind=format!("{:?}", hit.kind).to_lowercase()
                                aria-selected=move || (at.get() == n).to_string()
                                on:mousedown=move |ev| { ev.prevent_default(); take(picked.clone()); }>
                                <span class="place-kind">{move || prefs.t(kind)}</span>
                                <strong>{hit.name.clone()}</strong>
                                <span class="place-context">{hit.context.clone()}</span>
                                <span class="place-polres">{polres}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {move || (hits.with(Vec::is_empty) && query.with(|q| q.trim().chars().count() >= 2) && asked.get() > 0)
                .then(|| view! { <p class="place-none muted">{move || prefs.t(Msg::ReportPlaceNone)}</p> })}
            {move || chosen.get().map(|hit| {
                let kind = place_kind_label(hit.kind);
                let polres = polres_name(&hit);
                view! {
                    <p id=format!("{prefix}-place-chosen") class="place-chosen" data-kind=format!("{:?}", hit.kind).to_lowercase()>
                        <span class="muted">{move || prefs.t(Msg::ReportPlaceChosen)}": "</span>
                        <span class="place-kind">{move || prefs.t(kind)}</span>" "
                        <strong>{hit.name.clone()}</strong>", "{hit.context.clone()}
                        " — "<span class="place-polres">{polres}</span>" "
                        <button type="button" class="link" id=format!("{prefix}-place-clear")
                            on:click=move |_| chosen.set(None)>{move || prefs.t(Msg::ReportPlaceClear)}</button>
                    </p>
                }
            })}
        </div>
    }
}

/// Classifying a call as the category it was taken down with (or "other"): a priority the operator raised
/// at intake stays (classifying alone never makes a call less urgent).
fn confirm_category(incident: &Incident) -> IncidentChange {
    let category = incident.category.unwrap_or(Category::Other);
    IncidentChange::Classified {
        category,
        priority: (incident.priority < category.default_priority()).then_some(incident.priority),
    }
}

/// The incidents on this desk, most urgent first, with the next steps of the flow.
#[component]
fn IncidentList(
    incidents: RwSignal<Vec<Incident>>,
    on_changed: impl Fn() + Copy + Send + Sync + 'static,
    selected: RwSignal<Option<IncidentId>>,
    /// The queue chosen, and the queue whose list is on screen (they differ while a tab's list is on its way).
    stage: RwSignal<Option<IncidentStatus>>,
    listed: RwSignal<String>,
) -> impl IntoView {
    let prefs = use_prefs();
    let status = use_desk_status();
    let overdue = crate::overdue::use_overdue();
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
                // The list may be gone (the board shown) by the time the answer comes.
                Ok(_) => {
                    let _ = error.try_set(None);
                }
                Err(err) => {
                    let _ = error.try_set(Some(err.message));
                }
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
        // j/k walk the list on screen only once it is the chosen queue's (never a stale one's first row).
        let current = listed.with_untracked(|l| l == stage_code(stage.get_untracked()));
        match key {
            "j" | "ArrowDown" | "k" | "ArrowUp" if !current => true,
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
                    "c" => confirm_category(incident),
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
        <section class="card incident-list" id="incident-list" data-stage=move || listed.get()>
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
                        let classify_change = StoredValue::new(confirm_category(&incident));
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
                                class:overdue=move || waiting().is_some_and(|secs| overdue.get().is_overdue(incident.status, incident.priority, secs))>
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
                                        <button class="button small classify" on:click=move |_| act(id, classify_change.get_value())>
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
