//! The Layanan Warga page: citizens' SKCK and report-of-loss requests from the 110 app for the desk's
//! Polda, in queues by stage with their waiting time; a request's detail beside the list: what the citizen
//! stated against what the NIK says (mismatches and the central's flags highlighted), the photo on
//! demand (each view is recorded at the central), the loss's chronology, the history, and the steps the
//! domain allows this officer now (the reason shown otherwise): review, validate, approve, reject with a
//! reason, issue (the signing officer's name, rank and NRP, remembered on this desk), revoke; the issued
//! letter's number, its verification URL and a button that saves the signed PDF.

use crate::desk_status::use_desk_status;
use crate::i18n::{elapsed, Msg};
use crate::ipc;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_domain::service::iso_date::format as iso;
use siaga_domain::service::letter::{Officer, RANKS};
use siaga_domain::service::state::RejectReason;
use siaga_domain::service::{RequestAction, RequestDetails, RequestStatus, ServiceKind};
use siaga_domain::{Language, Role};
use siaga_ipc::{
    ServiceActCommand, ServiceActRequest, ServiceFileRequest, ServiceLetterSaveCommand,
    ServiceNikRevealCommand, ServicePhotoCommand, ServiceRequestInfo, ServicesCommand, ServicesRequest,
};

/// The page's queues: each open stage, then everything finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Queue {
    Stage(RequestStatus),
    Done,
}

const QUEUES: [Queue; 5] = [
    Queue::Stage(RequestStatus::Submitted),
    Queue::Stage(RequestStatus::InReview),
    Queue::Stage(RequestStatus::Validated),
    Queue::Stage(RequestStatus::Approved),
    Queue::Done,
];

impl Queue {
    fn holds(self, status: RequestStatus) -> bool {
        match self {
            Queue::Stage(stage) => stage == status,
            Queue::Done => !status.is_open(),
        }
    }

    fn key(self) -> &'static str {
        match self {
            Queue::Stage(status) => status.code(),
            Queue::Done => "done",
        }
    }

    fn label(self, language: Language) -> &'static str {
        match self {
            Queue::Stage(status) => status.label(language),
            Queue::Done => Msg::CitizenDone.text(language),
        }
    }
}

fn format_date(iso: &str) -> String {
    // YYYY-MM-DD → DD-MM-YYYY, as Indonesian forms write it.
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}-{m}-{y}"),
        _ => iso.to_owned(),
    }
}

const OFFICER_KEY: &str = "siaga.letterOfficer";

fn remembered_officer() -> Officer {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(OFFICER_KEY).ok().flatten())
        .and_then(|text| {
            let mut parts = text.splitn(3, '|');
            Some(Officer {
                rank: parts.next()?.to_owned(),
                nrp: parts.next()?.to_owned(),
                name: parts.next()?.to_owned(),
            })
        })
        .unwrap_or(Officer {
            name: String::new(),
            rank: "AIPTU".into(),
            nrp: String::new(),
        })
}

fn remember_officer(officer: &Officer) {
    // rank|nrp|name: neither a rank nor an NRP holds a `|`.
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(
            OFFICER_KEY,
            &format!("{}|{}|{}", officer.rank, officer.nrp, officer.name),
        );
    }
}

/// Body of the Citizen page.
#[component]
pub fn CitizenPage() -> impl IntoView {
    let prefs = use_prefs();
    let status = use_desk_status();
    let requests = RwSignal::new(None::<Vec<ServiceRequestInfo>>);
    let offline = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let queue = RwSignal::new(QUEUES[0]);
    let kind = RwSignal::new(None::<ServiceKind>);
    let polres = RwSignal::new(String::new());
    let selected = RwSignal::new(None::<String>);
    let load = move || {
        let language = prefs.language.get_untracked();
        leptos::task::spawn_local(async move {
            match ipc::invoke::<ServicesCommand>(&ServicesRequest { language }).await {
                Ok(info) => {
                    error.set(None);
                    offline.set(info.offline_reason);
                    requests.set(Some(info.requests));
                }
                Err(err) => {
                    requests.set(Some(Vec::new()));
                    error.set(Some(err.message));
                }
            }
        });
    };
    load();
    // Refresh every 10 s (the status bar's clock ticks each second).
    Effect::new(move |_| {
        let tick = status.ticks.get();
        if tick > 0 && tick.is_multiple_of(10) {
            load();
        }
    });
    let role = Memo::new(move |_| {
        status.info.with(|i| {
            i.as_ref()
                .and_then(|i| i.session.as_ref())
                .and_then(|s| s.flow_role)
        })
    });
    // The kind and Polres filters, applied to the queues and their counts.
    let passes = move |r: &ServiceRequestInfo| {
        kind.get().is_none_or(|k| r.kind == k) && polres.with(|p| p.is_empty() || *p == r.polres_name)
    };
    let shown = Memo::new(move |_| {
        let queue = queue.get();
        let mut list: Vec<ServiceRequestInfo> = requests
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|r| queue.holds(r.status) && passes(r))
            .collect();
        // Open queues: the longest waiting first; finished: the latest first.
        match queue {
            Queue::Stage(_) => list.sort_by_key(|r| r.submitted_at_ms),
            Queue::Done => list.sort_by_key(|r| std::cmp::Reverse(r.updated_at_ms)),
        }
        list
    });
    let count = move |q: Queue| {
        requests.with(|list| {
            list.as_ref().map_or(0, |list| {
                list.iter().filter(|r| q.holds(r.status) && passes(r)).count()
            })
        })
    };
    let polres_names = Memo::new(move |_| {
        let mut names: Vec<String> = requests.with(|list| {
            list.as_ref().map_or_else(Vec::new, |list| {
                list.iter().map(|r| r.polres_name.clone()).collect()
            })
        });
        names.sort();
        names.dedup();
        names
    });
    let current = Memo::new(move |_| {
        let id = selected.get()?;
        requests.with(|list| {
            list.as_ref()?
                .iter()
                .find(|r| r.request.id.to_string() == id)
                .cloned()
        })
    });
    let on_changed = move |updated: ServiceRequestInfo| {
        requests.update(|list| {
            if let Some(list) = list {
                if let Some(slot) = list.iter_mut().find(|r| r.request.id == updated.request.id) {
                    *slot = updated;
                }
            }
        });
    };

    view! {
        <div class="citizen-layout" class:with-detail=move || current.get().is_some()>
            <section class="card citizen-list" id="citizen-list">
                <header class="card-header">
                    <h2>{move || prefs.t(Msg::CitizenQueueTitle)}</h2>
                    <div class="chips" id="citizen-kind">
                        <button class="chip" class:active=move || kind.get().is_none() on:click=move |_| kind.set(None)>
                            {move || prefs.t(Msg::CitizenKindAll)}
                        </button>
                        <button id="citizen-kind-skck" class="chip" class:active=move || kind.get() == Some(ServiceKind::Skck)
                            on:click=move |_| kind.set(Some(ServiceKind::Skck))>"SKCK"</button>
                        <button id="citizen-kind-loss" class="chip" class:active=move || kind.get() == Some(ServiceKind::LossReport)
                            on:click=move |_| kind.set(Some(ServiceKind::LossReport))>{move || prefs.t(Msg::CitizenKindLoss)}</button>
                    </div>
                </header>
                <nav class="segmented queue-tabs" id="citizen-queues">
                    {QUEUES.into_iter().map(|q| view! {
                        <button id=format!("citizen-queue-{}", q.key()) class="segment" class:active=move || queue.get() == q
                            on:click=move |_| { queue.set(q); }>
                            {move || q.label(prefs.language.get())}
                            " " <span class="count">{move || count(q)}</span>
                        </button>
                    }).collect_view()}
                </nav>
                <label class="inline-filter">{move || prefs.t(Msg::CitizenPolres)}
                    <select id="citizen-polres" on:change=move |ev| polres.set(event_target_value(&ev))>
                        <option value="">{move || prefs.t(Msg::CitizenKindAll)}</option>
                        {move || polres_names.get().into_iter().map(|name| {
                            let selected = polres.get_untracked() == name;
                            view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                {move || offline.get().map(|reason| view! { <p id="citizen-offline" class="notice">{reason}</p> })}
                {move || error.get().map(|e| view! { <p id="citizen-error" class="form-error" role="alert">{e}</p> })}
                {move || match requests.get() {
                    None => Some(view! { <p class="muted">{prefs.t(Msg::Loading)}</p> }.into_any()),
                    Some(_) if shown.with(Vec::is_empty) => Some(view! { <p id="citizen-empty" class="muted">{prefs.t(Msg::CitizenEmpty)}</p> }.into_any()),
                    Some(_) => None,
                }}
                <ul class="rows">
                    <For each=move || shown.get() key=|r| (r.request.id, r.version) let:r>
                        {
                            let id = r.request.id.to_string();
                            let id_for_select = id.clone();
                            let id_for_class = id.clone();
                            let submitted = r.submitted_at_ms as f64;
                            let open = r.status.is_open();
                            let waiting = move || {
                                status.ticks.track();
                                elapsed(((js_sys::Date::now() - submitted) / 1000.0) as i64, prefs.language.get())
                            };
                            let flagged = !r.flags.is_empty();
                            view! {
                                <li class="citizen-row incident-row" data-id=id.clone() data-status=r.status.code() data-kind=r.kind.code()
                                    class:selected=move || selected.get().as_deref() == Some(id_for_class.as_str())
                                    on:click=move |_| selected.set(Some(id_for_select.clone()))>
                                    <span class="kind-tag">{match r.kind { ServiceKind::Skck => "SKCK", ServiceKind::LossReport => "STPLK" }}</span>
                                    <div class="incident-main">
                                        <div class="incident-title">
                                            <strong>{r.request.applicant.full_name.clone()}</strong>
                                            <span class="status-tag">{move || r.status.label(prefs.language.get())}</span>
                                            {flagged.then(|| view! { <span class="flag-tag" title=move || prefs.t(Msg::CitizenFlagged)>"!"</span> })}
                                            {open.then(|| view! { <span class="waiting" title=move || prefs.t(Msg::QueueWaiting)>{waiting}</span> })}
                                        </div>
                                        <p class="incident-text">{r.polres_name.clone()}</p>
                                    </div>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </section>
            {move || current.get().map(|r| view! {
                <RequestDetail request=r role=role.get() on_close=move || selected.set(None) on_changed=on_changed />
            })}
        </div>
    }
}

/// The detail of one request with the steps this officer may take.
#[component]
fn RequestDetail(
    request: ServiceRequestInfo,
    role: Option<Role>,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
    on_changed: impl Fn(ServiceRequestInfo) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let prefs = use_prefs();
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let photo = RwSignal::new(None::<String>);
    // The applicant's NIK whole, once the officer revealed it (the view shows it masked).
    let revealed_nik = RwSignal::new(None::<String>);
    let reason = RwSignal::new(RejectReason::IdentityMismatch);
    let note = RwSignal::new(String::new());
    let stored = remembered_officer();
    let officer_name = RwSignal::new(stored.name);
    let officer_rank = RwSignal::new(stored.rank);
    let officer_nrp = RwSignal::new(stored.nrp);
    let id = request.request.id.to_string();
    let (status, kind, version) = (request.status, request.kind, request.version);
    let why_not = move |action: RequestAction| -> Option<String> {
        let language = prefs.language.get();
        let Some(role) = role else {
            return Some(prefs.t(Msg::CitizenOfficersOnly).to_owned());
        };
        status
            .apply(action, role, kind, true)
            .err()
            .map(|e| e.reason(language))
    };
    let act = {
        let id = id.clone();
        move |action: RequestAction| {
            let language = prefs.language.get_untracked();
            let needs_reason = action.needs_reason();
            let officer = (action == RequestAction::Issue).then(|| Officer {
                name: officer_name.get_untracked().trim().to_owned(),
                rank: officer_rank.get_untracked(),
                nrp: officer_nrp.get_untracked().trim().to_owned(),
            });
            if let Some(officer) = &officer {
                remember_officer(officer);
            }
            let request = ServiceActRequest {
                id: id.clone(),
                action,
                reason: needs_reason.then(|| reason.get_untracked()),
                note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
                officer,
                expected_version: version,
                language,
            };
            leptos::task::spawn_local(async move {
                match ipc::invoke::<ServiceActCommand>(&request).await {
                    Ok(updated) => {
                        error.set(None);
                        on_changed(updated);
                    }
                    Err(err) => error.set(Some(err.message)),
                }
            });
        }
    };
    let show_photo = {
        let id = id.clone();
        move || {
            let language = prefs.language.get_untracked();
            let request = ServiceFileRequest {
                id: id.clone(),
                language,
            };
            leptos::task::spawn_local(async move {
                match ipc::invoke::<ServicePhotoCommand>(&request).await {
                    Ok(info) => photo.set(Some(info.data_url)),
                    Err(err) => error.set(Some(err.message)),
                }
            });
        }
    };
    let reveal_nik = {
        let id = id.clone();
        move || {
            let request = ServiceFileRequest {
                id: id.clone(),
                language: prefs.language.get_untracked(),
            };
            leptos::task::spawn_local(async move {
                match ipc::invoke::<ServiceNikRevealCommand>(&request).await {
                    Ok(info) => revealed_nik.set(Some(info.nik)),
                    Err(err) => error.set(Some(err.message)),
                }
            });
        }
    };
    let save_letter = {
        let id = id.clone();
        move || {
            let language = prefs.language.get_untracked();
            let request = ServiceFileRequest {
                id: id.clone(),
                language,
            };
            leptos::task::spawn_local(async move {
                match ipc::invoke::<ServiceLetterSaveCommand>(&request).await {
                    Ok(saved) => {
                        error.set(None);
                        notice.set(Some(saved.path));
                    }
                    Err(err) => error.set(Some(err.message)),
                }
            });
        }
    };
    let applicant = request.request.applicant.clone();
    let sex = request.nik_sex;
    let mismatch = request.birth_date_mismatch;
    let flags = request.flags.clone();
    let details = request.request.details.clone();
    let history = request.history.clone();
    let letter = request.letter.clone();
    let step_button = move |action: RequestAction, label: Msg, primary: bool| {
        let act = act.clone();
        view! {
            <button id=format!("citizen-{}", action.code()) class=if primary { "button small" } else { "button small ghost" }
                disabled=move || why_not(action).is_some()
                title=move || why_not(action).unwrap_or_default()
                on:click=move |_| act(action)>
                {move || prefs.t(label)}
            </button>
        }
    };
    let issue_button = step_button.clone();
    let refuse_button = step_button.clone();
    view! {
        <section class="card incident-detail citizen-detail" id="citizen-detail" data-id=id.clone() data-status=status.code()>
            <header class="card-header">
                <h2>{move || kind.label(prefs.language.get())}</h2>
                <button id="citizen-detail-close" class="icon-button" aria-label=move || prefs.t(Msg::MapClose) on:click=move |_| on_close()>"×"</button>
            </header>
            <p class="muted">{request.polres_name.clone()} " · " {move || status.label(prefs.language.get())}</p>
            {(!flags.is_empty()).then(|| view! {
                <ul id="citizen-flags" class="flags">
                    {flags.iter().map(|f| { let f = f.clone(); view! { <li>{move || f.message(prefs.language.get())}</li> } }).collect_view()}
                </ul>
            })}
            <h3>{move || prefs.t(Msg::CitizenApplicant)}</h3>
            <dl class="facts">
                <dt>{move || prefs.t(Msg::CitizenName)}</dt><dd>{applicant.full_name.clone()}</dd>
                <dt>"NIK"</dt>
                <dd>
                    <span id="citizen-nik" data-revealed=move || revealed_nik.get().is_some().to_string()>
                        {let masked = applicant.nik.clone(); move || revealed_nik.get().unwrap_or_else(|| masked.clone())}
                    </span>
                    {move || revealed_nik.get().is_none().then(|| { let reveal = reveal_nik.clone(); view! {
                        " " <button id="citizen-reveal-nik" class="button small ghost" on:click=move |_| reveal()>{prefs.t(Msg::CitizenRevealNik)}</button>
                    }})}
                </dd>
                <dt>{move || prefs.t(Msg::CitizenBorn)}</dt>
                <dd class:mismatch=mismatch>{format!("{}, {}", applicant.birth_place, format_date(&iso(applicant.birth_date)))}</dd>
                <dt>{move || prefs.t(Msg::CitizenAddress)}</dt><dd>{applicant.address.clone()}</dd>
            </dl>
            <h3>{move || prefs.t(Msg::CitizenNikSays)}</h3>
            <dl class="facts" id="citizen-nik-check">
                <dt>{move || prefs.t(Msg::CitizenRegion)}</dt><dd>{request.nik_region.clone()}</dd>
                <dt>{move || prefs.t(Msg::CitizenBirthDate)}</dt><dd class:mismatch=mismatch>{format_date(&request.nik_birth_date)}</dd>
                <dt>{move || prefs.t(Msg::CitizenAge)}</dt><dd>{request.nik_age}</dd>
                <dt>{move || prefs.t(Msg::CitizenSex)}</dt>
                <dd>{move || match sex { siaga_domain::nik::Sex::Male => prefs.t(Msg::CitizenMale), siaga_domain::nik::Sex::Female => prefs.t(Msg::CitizenFemale) }}</dd>
            </dl>
            {request.has_photo.then(|| view! {
                <div class="citizen-photo">
                    {move || match photo.get() {
                        Some(url) => view! { <img id="citizen-photo" src=url alt=prefs.t(Msg::CitizenPhoto) /> }.into_any(),
                        None => { let show = show_photo.clone(); view! {
                            <button id="citizen-show-photo" class="button small ghost" on:click=move |_| show()>{prefs.t(Msg::CitizenShowPhoto)}</button>
                        }.into_any() }
                    }}
                </div>
            })}
            <h3>{move || prefs.t(Msg::CitizenRequest)}</h3>
            {match details {
                RequestDetails::Skck(skck) => view! {
                    <dl class="facts">
                        <dt>{move || prefs.t(Msg::CitizenPurpose)}</dt>
                        <dd>{move || skck.purpose.label(prefs.language.get()).to_owned()}{skck.purpose_note.clone().map(|n| format!(" ({n})"))}</dd>
                    </dl>
                }.into_any(),
                RequestDetails::LossReport(loss) => view! {
                    <dl class="facts">
                        <dt>{move || prefs.t(Msg::CitizenLost)}</dt>
                        <dd>{move || loss.items.iter().map(|i| i.label(prefs.language.get())).collect::<Vec<_>>().join(", ")}</dd>
                        <dt>{move || prefs.t(Msg::CitizenPlace)}</dt><dd>{loss.place.clone()}</dd>
                        <dt>{move || prefs.t(Msg::CitizenLostOn)}</dt><dd>{format_date(&iso(loss.lost_on))}</dd>
                    </dl>
                    <p class="chronology">{loss.chronology.clone()}</p>
                }.into_any(),
            }}
            {letter.map(|letter| {
                let save = save_letter.clone();
                view! {
                    <h3>{move || prefs.t(Msg::CitizenLetter)}</h3>
                    <dl class="facts" id="citizen-letter">
                        <dt>{move || prefs.t(Msg::CitizenNumber)}</dt><dd id="citizen-letter-number">{letter.number.clone()}</dd>
                        <dt>{move || prefs.t(Msg::CitizenIssuedOn)}</dt><dd>{format_date(&letter.issued_on)}</dd>
                        {letter.valid_until.clone().map(|until| view! { <dt>{move || prefs.t(Msg::CitizenValidUntil)}</dt><dd>{format_date(&until)}</dd> })}
                        <dt>{move || prefs.t(Msg::CitizenVerifyAt)}</dt><dd class="wrap">{letter.verify_url.clone()}</dd>
                    </dl>
                    {letter.revoked.then(|| view! { <p class="form-error">{move || prefs.t(Msg::CitizenRevoked)}</p> })}
                    <button id="citizen-save-letter" class="button small" on:click=move |_| save()>{move || prefs.t(Msg::CitizenSaveLetter)}</button>
                    {move || notice.get().map(|path| view! { <p id="citizen-saved" class="muted">{prefs.t(Msg::CitizenSavedTo)} " " <span class="mono">{path}</span></p> })}
                }
            })}
            <h3>{move || prefs.t(Msg::CitizenSteps)}</h3>
            <div class="row-actions wrap" id="citizen-actions">
                {step_button(RequestAction::StartReview, Msg::CitizenStartReview, true)}
                {step_button(RequestAction::Validate, Msg::CitizenValidate, true)}
                {step_button(RequestAction::Approve, Msg::CitizenApprove, true)}
            </div>
            <Show when=move || why_not(RequestAction::Issue).is_none()>
                <div class="form-grid" id="citizen-issue-form">
                    <label>{move || prefs.t(Msg::CitizenOfficerName)}
                        <input id="citizen-officer-name" type="text" maxlength="80" prop:value=move || officer_name.get()
                            on:input=move |ev| officer_name.set(event_target_value(&ev)) /></label>
                    <label>{move || prefs.t(Msg::CitizenOfficerRank)}
                        <select id="citizen-officer-rank" on:change=move |ev| officer_rank.set(event_target_value(&ev))>
                            {RANKS.iter().map(|rank| view! { <option value=*rank selected=move || officer_rank.get() == *rank>{*rank}</option> }).collect_view()}
                        </select></label>
                    <label>"NRP"
                        <input id="citizen-officer-nrp" type="text" inputmode="numeric" maxlength="8" prop:value=move || officer_nrp.get()
                            on:input=move |ev| officer_nrp.set(event_target_value(&ev)) /></label>
                    {issue_button(RequestAction::Issue, Msg::CitizenIssue, true)}
                </div>
            </Show>
            <Show when=move || why_not(RequestAction::Reject).is_none() || why_not(RequestAction::Revoke).is_none()>
                <div class="form-grid" id="citizen-refuse-form">
                    <label>{move || prefs.t(Msg::CitizenReason)}
                        <select id="citizen-reason" on:change=move |ev| {
                            let code = event_target_value(&ev);
                            if let Some(r) = RejectReason::ALL.into_iter().find(|r| reason_code(*r) == code) { reason.set(r); }
                        }>
                            {RejectReason::ALL.into_iter().map(|r| view! {
                                <option value=reason_code(r) selected=move || reason.get() == r>{move || r.label(prefs.language.get())}</option>
                            }).collect_view()}
                        </select></label>
                    <label>{move || prefs.t(Msg::CitizenNote)}
                        <input id="citizen-note" type="text" maxlength="500" prop:value=move || note.get()
                            on:input=move |ev| note.set(event_target_value(&ev)) /></label>
                    {refuse_button(RequestAction::Reject, Msg::CitizenReject, false)}
                    {refuse_button(RequestAction::Revoke, Msg::CitizenRevoke, false)}
                </div>
            </Show>
            {move || error.get().map(|e| view! { <p id="citizen-detail-error" class="form-error" role="alert">{e}</p> })}
            <h3>{move || prefs.t(Msg::CitizenHistory)}</h3>
            <ol class="timeline" id="citizen-history">
                {history.into_iter().map(|step| {
                    let when = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(step.at_ms as f64));
                    let stamp = format!("{:02}-{:02}-{} {:02}:{:02}", when.get_date(), when.get_month() + 1, when.get_full_year(), when.get_hours(), when.get_minutes());
                    view! {
                        <li>
                            <span class="timeline-when">{stamp}</span>
                            <span>{move || step.status.label(prefs.language.get())}</span>
                            <span class="timeline-who">{format!("{} · ", step.actor)}{move || step.role.label(prefs.language.get())}</span>
                            {step.reason.map(|r| view! { <span>{move || r.label(prefs.language.get())}</span> })}
                            {step.note.clone().map(|n| view! { <span class="muted">{n}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The reason's place in [`RejectReason::ALL`], as the select's value.
fn reason_code(reason: RejectReason) -> String {
    RejectReason::ALL
        .iter()
        .position(|r| *r == reason)
        .unwrap_or_default()
        .to_string()
}
