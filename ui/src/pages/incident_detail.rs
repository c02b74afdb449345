//! The incident detail panel of the Insiden page: the facts, every step of the operator flow the
//! operator's role may take from here (classify or reclassify with the priority raised, correct the
//! location by a place found by name, forward to a
//! Polres, hand to the SPKT, start handling, close as handled with a summary, close as a duplicate of a
//! nearby recent incident, reassign to another Polres, reopen, add a note) — each offered only when the domain's flow allows it, with
//! the flow's reason shown otherwise — and the timeline from the desk's event log, in the incident's own
//! time zone, each event marked confirmed by the central, waiting in the outbox, or refused; an evidence entry shows
//! its picture (decision 0022).

use crate::desk_status::use_desk_status;
use crate::i18n::Msg;
use crate::ipc;
use crate::keys;
use crate::live::use_live;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_domain::flow::{check, Action};
use siaga_domain::incident::ValidationOutcome;
use siaga_domain::polda::{polres, polres_list, PolresId};
use siaga_domain::timezone::TimeZone;
use siaga_domain::{
    Category, CloseReason, Incident, IncidentChange, IncidentId, IncidentStatus, Language, Priority,
};
use siaga_ipc::{
    ActCommand, ActRequest, DuplicateCandidate, DuplicateCandidatesCommand, EventStanding,
    EvidencePictureCommand, EvidencePictureRequest, IncidentCommand, IncidentRequest,
    IncidentTimelineCommand, IncidentTimelineRequest, TimelineEntry,
};

/// What a timeline line says besides its action: the note, the desk, the unit, the summary…
fn change_detail(change: &IncidentChange, language: Language) -> String {
    match change {
        IncidentChange::Received { description, .. } => description.clone(),
        IncidentChange::Classified { category, .. } => category.label(language).to_owned(),
        IncidentChange::Located { location } => location.address.clone().unwrap_or_default(),
        IncidentChange::Forwarded { polres: id, .. } | IncidentChange::Reassigned { polres: id, .. } => {
            polres(*id).map(|p| p.name).unwrap_or_default()
        }
        IncidentChange::HandedToAgency { agency } => agency.label(language).to_owned(),
        IncidentChange::HandedToSpkt { desk } => desk.clone(),
        IncidentChange::HandlingStarted { unit } => unit.clone(),
        IncidentChange::Closed { reason, summary } => {
            if summary.is_empty() {
                reason.label(language).to_owned()
            } else {
                format!("{}: {summary}", reason.label(language))
            }
        }
        IncidentChange::Reopened { reason } => reason.clone(),
        IncidentChange::Acknowledged => String::new(),
        IncidentChange::NoteAdded { text } => text.clone(),
        IncidentChange::ReportValidated { outcome, reason, .. } => {
            if reason.is_empty() {
                outcome.label(language).to_owned()
            } else {
                format!("{}: {reason}", outcome.label(language))
            }
        }
        IncidentChange::EvidenceAttached {
            sha256,
            bytes,
            width,
            height,
            ..
        } => format!(
            "{width}×{height} · {} KB · {}",
            bytes.div_ceil(1024),
            sha256.short()
        ),
        IncidentChange::VideoCallMoved { call, reason, .. } => {
            let call = call.simple().to_string();
            let short = &call[call.len() - 6..];
            if reason.is_empty() {
                short.to_owned()
            } else {
                format!("{short}: {reason}")
            }
        }
    }
}

/// An evidence picture of a timeline entry: asked of the desk (kept there, or fetched from the central once);
/// why it cannot be shown, with a retry, when it cannot.
#[component]
fn EvidencePicture(incident: IncidentId, sha256: String) -> impl IntoView {
    let prefs = use_prefs();
    let attempt = RwSignal::new(0u32);
    let picture = LocalResource::new({
        let sha256 = sha256.clone();
        move || {
            attempt.track();
            let request = EvidencePictureRequest {
                incident,
                sha256: sha256.clone(),
                language: prefs.language.get(),
            };
            async move { ipc::invoke::<EvidencePictureCommand>(&request).await }
        }
    });
    view! {
        <figure class="timeline-evidence" data-sha256=sha256>
            {move || match picture.get() {
                None => view! { <p class="muted">{prefs.t(Msg::EvidenceLoading)}</p> }.into_any(),
                Some(Ok(shown)) => view! { <img class="evidence-picture" src=shown.data_url alt=prefs.t(Msg::TimelineEvidence) /> }.into_any(),
                Some(Err(err)) => view! {
                    <p class="form-error evidence-problem" role="alert">{err.message}</p>
                    <button class="button small ghost evidence-retry" on:click=move |_| attempt.update(|n| *n += 1)>
                        {prefs.t(Msg::EvidenceRetry)}
                    </button>
                }.into_any(),
            }}
        </figure>
    }
}

fn standing_text(standing: EventStanding) -> Msg {
    match standing {
        EventStanding::Confirmed => Msg::StandingConfirmed,
        EventStanding::Pending => Msg::StandingPending,
        EventStanding::Refused => Msg::StandingRefused,
    }
}

/// The detail's step keys: the key, the step, and the field it puts the focus in. The same in both
/// languages; listed in the Insiden page's help (`?`) and on each step's button.
pub const STEP_KEYS: [(&str, Action, &str); 12] = [
    ("r", Action::Reclassify, "detail-category"),
    ("l", Action::Locate, "relocate-place-search"),
    ("f", Action::Forward, "detail-polres"),
    ("g", Action::HandToAgency, "detail-agency-button"),
    ("s", Action::HandToSpkt, "detail-spkt-desk"),
    ("h", Action::StartHandling, "detail-unit"),
    ("x", Action::CloseAsHandled, "detail-summary"),
    ("d", Action::CloseAsDuplicate, "detail-duplicate-of"),
    ("a", Action::Reassign, "detail-reassign-polres"),
    ("o", Action::Reopen, "detail-reopen-reason"),
    ("m", Action::AddNote, "detail-note"),
    ("v", Action::Validate, "detail-validation-outcome"),
];

/// One flow step: its inputs and a button when the flow allows it now; otherwise only the step's name,
/// greyed, with the flow's reason.
#[component]
fn Step(
    action: Action,
    button_id: &'static str,
    label: Msg,
    /// The step's shortcut, shown on its button.
    key: &'static str,
    why_not: Signal<Option<String>>,
    on_press: impl Fn() + Copy + Send + Sync + 'static,
    children: ChildrenFn,
) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <div class="detail-step" data-action=format!("{action:?}") data-allowed=move || why_not.get().is_none().to_string()>
            <Show when=move || why_not.get().is_none()>
                <div class="detail-step-inputs">{children()}</div>
            </Show>
            <button
                id=button_id
                class="button small"
                disabled=move || why_not.get().is_some()
                title=move || why_not.get().unwrap_or_default()
                on:click=move |_| on_press()
            >
                {move || prefs.t(label)}
                " " <kbd>{key}</kbd>
            </button>
            {move || why_not.get().filter(|why| !why.is_empty()).map(|why| view! { <p class="why-not muted">{why}</p> })}
        </div>
    }
}

/// The detail of incident `id`.
#[component]
pub fn IncidentDetail(id: IncidentId, on_close: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let prefs = use_prefs();
    let status = use_desk_status();
    let live = use_live();
    let incident = RwSignal::new(None::<Incident>);
    let timeline = RwSignal::new(Vec::<TimelineEntry>::new());
    let history = RwSignal::new(None::<siaga_ipc::CallerHistoryInfo>);
    let error = RwSignal::new(None::<String>);
    let load = move || {
        let language = prefs.language.get_untracked();
        leptos::task::spawn_local(async move {
            // The panel may close (or move on with j/k) while each answer is on its way: every signal is
            // touched with try_, which does nothing once the panel is gone, never a panic.
            match ipc::invoke::<IncidentCommand>(&IncidentRequest { id, language }).await {
                Ok(found) => {
                    if incident.try_with_untracked(|shown| shown.as_ref() != Some(&found)) == Some(true) {
                        let _ = incident.try_set(Some(found));
                    }
                }
                Err(err) => {
                    let _ = error.try_set(Some(err.message));
                }
            }
            if let Ok(found) =
                ipc::invoke::<siaga_ipc::CallerHistoryCommand>(&IncidentRequest { id, language }).await
            {
                if history.try_get_untracked().flatten() != Some(found) {
                    let _ = history.try_set(Some(found));
                }
            }
            if let Ok(entries) =
                ipc::invoke::<IncidentTimelineCommand>(&IncidentTimelineRequest { id, language }).await
            {
                if timeline.try_with_untracked(|shown| *shown != entries) == Some(true) {
                    let _ = timeline.try_set(entries);
                }
            }
        });
    };
    // Follows the store: re-read when the shell announces a change (and when the outbox state moves).
    let pending = Memo::new(move |_| status.info.with(|i| i.as_ref().map(|i| i.pending)));
    Effect::new(move |_| {
        live.incidents.track();
        pending.track();
        load();
    });
    let role = Memo::new(move |_| status.flow_role());
    // Why `action` cannot be taken now (None: it can).
    let why_not = move |action: Action| {
        Signal::derive(move || {
            let language = prefs.language.get();
            let Some(status) = incident.with(|i| i.as_ref().map(|i| i.status)) else {
                return Some(String::new());
            };
            let Some(role) = role.get() else {
                return Some(prefs.t(Msg::DetailReadOnly).to_owned());
            };
            check(Some(status), action, role)
                .err()
                .map(|e| e.reason(language))
        })
    };
    let act = move |change: IncidentChange| {
        let language = prefs.language.get_untracked();
        leptos::task::spawn_local(async move {
            match ipc::invoke::<ActCommand>(&ActRequest {
                incident_id: id,
                change,
                language,
            })
            .await
            {
                Ok(updated) => {
                    let _ = error.try_set(None);
                    let _ = incident.try_set(Some(updated));
                    // The step's field let go of the focus, so the next step's key works at once.
                    keys::blur();
                }
                Err(err) => {
                    let _ = error.try_set(Some(err.message));
                }
            }
            status.refresh();
            if incident.try_get_untracked().is_some() {
                load();
            }
        });
    };
    let polres_choice = RwSignal::new(String::new());
    let spkt_desk = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let close_kind = RwSignal::new("resolved".to_owned());
    let summary = RwSignal::new(String::new());
    let reopen_reason = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let validation_outcome = RwSignal::new(String::from("valid"));
    let validation_reason = RwSignal::new(String::new());
    let category_choice = RwSignal::new(String::new());
    let priority_choice = RwSignal::new(String::new());
    let duplicate_of = RwSignal::new(String::new());
    let reassign_polres = RwSignal::new(String::new());
    let reassign_reason = RwSignal::new(String::new());
    let received = Memo::new(move |_| {
        incident.with(|i| i.as_ref().is_some_and(|i| i.status == IncidentStatus::Received))
    });
    // The reclassify step starts on the incident's category.
    Effect::new(move |_| {
        let category = incident.with(|i| i.as_ref().and_then(|i| i.category));
        if let Some(category) = category {
            category_choice.set(category.code().to_owned());
        }
    });
    // What the incident may duplicate (the first is chosen): asked when the step's list takes the focus
    // (`d`, or a click), not with every detail — on a large store it is the detail's costliest question.
    let candidates = RwSignal::new(Vec::<DuplicateCandidate>::new());
    let candidates_asked = RwSignal::new(false);
    let load_candidates = move || {
        let language = prefs.language.get_untracked();
        leptos::task::spawn_local(async move {
            if let Ok(found) =
                ipc::invoke::<DuplicateCandidatesCommand>(&IncidentRequest { id, language }).await
            {
                let first = found.first().map(|c| c.id.to_string()).unwrap_or_default();
                let _ = candidates_asked.try_set(true);
                if candidates.try_with_untracked(|shown| *shown != found) == Some(true) {
                    let _ = candidates.try_set(found);
                    let _ = duplicate_of.try_set(first);
                }
            }
        });
    };
    let every_polres = polres_list()
        .into_iter()
        .map(|p| {
            (
                p.id.regency().number().to_string(),
                format!("{} — {}", p.name, p.polda.name()),
            )
        })
        .collect::<Vec<_>>();
    let zone = Memo::new(move |_| TimeZone::for_polda(incident.with(|i| i.as_ref().and_then(|i| i.polda))));
    let polres_options = Memo::new(move |_| {
        super::incidents::polres_choices(incident.with(|i| i.as_ref().and_then(|i| i.polda)))
    });
    let forward = move || {
        let Some(polda) = incident.with_untracked(|i| i.as_ref().and_then(|i| i.polda)) else {
            return;
        };
        let chosen = polres_choice.get_untracked();
        let Some(code) = chosen
            .parse()
            .ok()
            .and_then(siaga_domain::region::RegencyCode::from_number)
        else {
            error.set(Some(prefs.t(Msg::DetailChoosePolres).to_owned()));
            return;
        };
        act(IncidentChange::Forwarded {
            polda,
            polres: PolresId(code),
        });
    };
    // The forward step starts on the Polres responsible for the place, when the place names one of the
    // incident's Polda (the operator may choose another).
    Effect::new(move |_| {
        let responsible = incident.with(|i| {
            let i = i.as_ref()?;
            i.polres.or_else(|| {
                let by_place = match (i.location.district, i.location.regency) {
                    (Some(district), _) => siaga_domain::polda::jurisdiction_for_district(district),
                    (None, Some(regency)) => siaga_domain::polda::jurisdiction_for_regency(regency),
                    _ => None,
                }?;
                (Some(by_place.polda) == i.polda).then_some(by_place.polres)
            })
        });
        if let Some(polres) = responsible {
            if polres_choice.get_untracked().is_empty() {
                polres_choice.set(polres.regency().number().to_string());
            }
        }
    });
    // Each step's key puts the focus in its field (Enter there takes the step; Ctrl+Enter in the summary).
    keys::on_shortcut(move |key| {
        let Some((action, field)) = STEP_KEYS
            .iter()
            .find(|(k, ..)| *k == key)
            .map(|(_, a, f)| (*a, *f))
        else {
            return false;
        };
        let action = if action == Action::Reclassify && received.get_untracked() {
            Action::Classify
        } else {
            action
        };
        if why_not(action).get_untracked().is_none() {
            keys::focus(field);
        }
        true
    });
    let on_enter = move |ev: &leptos::ev::KeyboardEvent, with_ctrl: bool, step: &dyn Fn()| {
        if ev.key() == "Enter" && (!with_ctrl || ev.ctrl_key() || ev.meta_key()) && !ev.shift_key() {
            ev.prevent_default();
            step();
        }
    };
    let hand_to_spkt = move || {
        act(IncidentChange::HandedToSpkt {
            desk: spkt_desk.get_untracked(),
        });
    };
    let start_handling = move || {
        act(IncidentChange::HandlingStarted {
            unit: unit.get_untracked(),
        });
    };
    let close_handled = move || {
        act(IncidentChange::Closed {
            reason: if close_kind.get_untracked() == "unfounded" {
                CloseReason::Unfounded
            } else {
                CloseReason::Resolved
            },
            summary: summary.get_untracked(),
        });
    };
    // Relocate: a place found by name (as at intake) becomes the incident's location as soon as it is taken.
    let new_place = RwSignal::new(None::<siaga_domain::place::PlaceHit>);
    let unused_station = RwSignal::new(String::new());
    Effect::new(move |_| {
        let Some(hit) = new_place.get() else { return };
        let mut location = match (hit.village, hit.district) {
            (Some(village), _) => siaga_domain::Location::in_village(village),
            (None, Some(district)) => siaga_domain::Location::in_district(district),
            (None, None) => siaga_domain::Location {
                province: Some(hit.regency.province()),
                regency: Some(hit.regency),
                ..siaga_domain::Location::default()
            },
        };
        location.point = hit.point;
        location.address = Some(format!("{}, {}", hit.name, hit.context));
        new_place.set(None);
        act(IncidentChange::Located { location });
    });
    // The other emergency service the category names (a fire: the fire service), if any.
    let agency = Memo::new(move |_| {
        incident.with(|i| {
            i.as_ref()
                .and_then(|i| i.category)
                .and_then(Category::forwarded_to)
        })
    });
    let hand_to_agency = move || {
        if let Some(agency) = agency.get_untracked() {
            act(IncidentChange::HandedToAgency { agency });
        }
    };
    let why_not_agency = Signal::derive(move || {
        let handed = incident.with(|i| {
            i.as_ref()
                .is_some_and(|i| agency.get().is_some_and(|a| i.agencies.contains(&a)))
        });
        match agency.get() {
            None => Some(prefs.t(Msg::DetailNoAgency).to_owned()),
            Some(_) if handed => Some(prefs.t(Msg::DetailAgencyDone).to_owned()),
            Some(_) => why_not(Action::HandToAgency).get(),
        }
    });
    let reclassify = move || {
        let language = prefs.language.get_untracked();
        let Some(category) = Category::ALL
            .iter()
            .copied()
            .find(|c| c.code() == category_choice.get_untracked())
        else {
            error.set(Some(Msg::DetailChooseCategory.text(language).to_owned()));
            return;
        };
        let priority = priority_choice
            .get_untracked()
            .parse::<u8>()
            .ok()
            .and_then(Priority::from_rank);
        act(IncidentChange::Classified { category, priority });
    };
    let close_duplicate = move || {
        let language = prefs.language.get_untracked();
        let Some(of) = duplicate_of.get_untracked().parse().ok().map(IncidentId) else {
            error.set(Some(Msg::DetailNoDuplicate.text(language).to_owned()));
            return;
        };
        act(IncidentChange::Closed {
            reason: CloseReason::Duplicate { of },
            summary: String::new(),
        });
    };
    let reassign = move || {
        let language = prefs.language.get_untracked();
        let chosen = reassign_polres
            .get_untracked()
            .parse()
            .ok()
            .and_then(siaga_domain::region::RegencyCode::from_number)
            .map(PolresId);
        let Some((polres, polda)) = chosen.and_then(|p| Some((p, p.polda()?))) else {
            error.set(Some(Msg::DetailChoosePolres.text(language).to_owned()));
            return;
        };
        act(IncidentChange::Reassigned {
            polda,
            polres,
            reason: reassign_reason.get_untracked(),
        });
    };
    let reopen = move || {
        act(IncidentChange::Reopened {
            reason: reopen_reason.get_untracked(),
        });
    };
    let validate = move || {
        let Some(outcome) = ValidationOutcome::parse(&validation_outcome.get_untracked()) else {
            return;
        };
        act(IncidentChange::ReportValidated {
            outcome,
            reason: validation_reason.get_untracked(),
            call: None,
        });
        validation_reason.set(String::new());
    };
    let current_page = expect_context::<crate::app::CurrentPage>().0;
    let active_call = super::video::use_active_call().0;
    let video_call = move || {
        let language = prefs.language.get_untracked();
        let (current, active) = (current_page, active_call);
        leptos::task::spawn_local(async move {
            // This desk's call on this incident still going on: open it rather than ring again (the central would
            // refuse a second call while one is in progress).
            if let Some((call_id, incident)) = active.get_untracked() {
                if incident == id {
                    let asked = siaga_ipc::VideoCallRequest { call_id, language };
                    let phase = ipc::invoke::<siaga_ipc::VideoPhaseCommand>(&asked).await;
                    if phase.is_ok_and(|info| info.phase != siaga_ipc::VideoPhase::Ended) {
                        current.set(super::Page::Video);
                        return;
                    }
                }
            }
            let request = siaga_ipc::VideoRingRequest {
                incident: id,
                language,
            };
            match ipc::invoke::<siaga_ipc::VideoRingCommand>(&request).await {
                Ok(started) => {
                    active.set(Some((started.call_id, id)));
                    current.set(super::Page::Video);
                }
                Err(err) => {
                    let _ = error.try_set(Some(err.message));
                }
            }
        });
    };
    let add_note = move || {
        act(IncidentChange::NoteAdded {
            text: note.get_untracked(),
        });
        note.set(String::new());
    };
    view! {
        <section class="card incident-detail" id="incident-detail" data-id=id.to_string()
            data-status=move || incident.with(|i| i.as_ref().map(|i| i.status.code()).unwrap_or_default())>
            <header class="card-header">
                <h2>{move || incident.with(|i| i.as_ref().and_then(|i| i.category).map(|c| c.label(prefs.language.get()).to_owned()))
                    .unwrap_or_else(|| prefs.t(Msg::ReportCategoryNone).to_owned())}</h2>
                <button id="incident-detail-close" class="icon-button" aria-label=move || prefs.t(Msg::MapClose) on:click=move |_| on_close()>"×"</button>
            </header>
            {move || error.get().map(|e| view! { <p id="detail-error" class="form-error" role="alert">{e}</p> })}
            {move || incident.get().map(|i| {
                let language = prefs.language.get();
                let place = i.location.address.clone().or_else(|| i.location.point.map(|p| format!("{:.5}, {:.5}", p.lat(), p.lon())));
                let jurisdiction = match (i.polda, i.polres) {
                    (Some(polda), Some(id)) => format!("{} · {}", polda.name(), polres(id).map(|p| p.name).unwrap_or_default()),
                    (Some(polda), None) => polda.name().to_owned(),
                    _ => "—".to_owned(),
                };
                view! {
                    <dl class="detail-facts">
                        <dt>{prefs.t(Msg::DetailStatus)}</dt>
                        <dd id="detail-status" data-status=i.status.code()>{i.status.label(language)}</dd>
                        <dt>{prefs.t(Msg::DetailPriority)}</dt>
                        <dd><span class=format!("priority p{}", i.priority.rank())>{i.priority.rank()}</span></dd>
                        <dt>{prefs.t(Msg::DetailReceived)}</dt>
                        <dd id="detail-received">{zone.get().wall_clock(i.received_at)}</dd>
                        <dt>{prefs.t(Msg::DetailPlace)}</dt>
                        <dd id="detail-place">{place.unwrap_or_else(|| "—".to_owned())}</dd>
                        <dt>{prefs.t(Msg::DetailJurisdiction)}</dt>
                        <dd id="detail-jurisdiction">{jurisdiction}</dd>
                        {(!i.agencies.is_empty()).then(|| view! {
                            <dt>{prefs.t(Msg::DetailAgencies)}</dt>
                            <dd id="detail-agencies">{i.agencies.iter().map(|a| a.label(language)).collect::<Vec<_>>().join(", ")}</dd>
                        })}
                        {i.validation.as_ref().map(|v| view! {
                            <dt>{prefs.t(Msg::DetailValidation)}</dt>
                            <dd id="detail-validation" data-outcome=v.outcome.code()>
                                {if v.reason.is_empty() { v.outcome.label(language).to_owned() } else { format!("{}: {}", v.outcome.label(language), v.reason) }}
                                {format!(" · {}", v.by.id)}
                            </dd>
                        })}
                        <dt>{prefs.t(Msg::DetailChannel)}</dt>
                        <dd id="detail-channel">{i.channel.label(language)}</dd>
                        <dt>{prefs.t(Msg::DetailCaller)}</dt>
                        <dd class="mono">{i.caller_number.as_ref().map(|n| n.as_str().to_owned()).unwrap_or_else(|| "—".to_owned())}</dd>
                        {move || history.get().filter(|h| h.known).map(|h| {
                            let mostly_prank = h.calls > 0 && h.prank_or_empty * 2 >= h.calls;
                            let last = h.last_ms.map(|ms| {
                                let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok();
                                at.map(|at| zone.get().wall_clock(at)).unwrap_or_default()
                            });
                            view! {
                                <dt>{prefs.t(Msg::DetailCallerHistory)}</dt>
                                <dd id="detail-caller-history" data-calls=h.calls data-prank=h.prank_or_empty
                                    class=if mostly_prank { "caller-history prank" } else { "caller-history" }>
                                    {if h.calls == 0 {
                                        prefs.t(Msg::DetailCallerFirst).to_owned()
                                    } else {
                                        format!("{} {} · {} {}{}", h.calls, prefs.t(Msg::DetailCallerCalls), h.prank_or_empty,
                                            prefs.t(Msg::DetailCallerPrank),
                                            last.map(|l| format!(" · {} {l}", prefs.t(Msg::DetailCallerLast))).unwrap_or_default())
                                    }}
                                </dd>
                            }
                        })}
                    </dl>
                    <p class="incident-text" id="detail-description">{i.description.clone()}</p>
                }
            })}
            // Ringing the reporter for a video validation call, where the report may still be validated.
            <Show when=move || why_not(Action::Validate).get().is_none()>
                <p class="detail-video">
                    <button id="detail-video-call" class="button small" on:click=move |_| video_call()>
                        {move || prefs.t(Msg::DetailVideoCall)}
                    </button>
                </p>
            </Show>
            <h3>{move || prefs.t(Msg::DetailSteps)}</h3>
            <div class="detail-steps">
                <Step action=Action::Reclassify button_id="detail-reclassify" label=Msg::DetailReclassify key="r"
                    why_not=Signal::derive(move || if received.get() { why_not(Action::Classify).get() } else { why_not(Action::Reclassify).get() })
                    on_press=reclassify>
                    <select id="detail-category" aria-label=move || prefs.t(Msg::ReportCategory)
                        on:change=move |ev| category_choice.set(event_target_value(&ev))
                        on:keydown=move |ev| on_enter(&ev, false, &reclassify)>
                        <option value="">{move || prefs.t(Msg::DetailChooseCategory)}</option>
                        {Category::ALL.iter().map(|c| {
                            let c = *c;
                            view! { <option value=c.code() selected=move || category_choice.get() == c.code()>{move || c.label(prefs.language.get())}</option> }
                        }).collect_view()}
                    </select>
                    <select id="detail-priority" aria-label=move || prefs.t(Msg::DetailPriority)
                        on:change=move |ev| priority_choice.set(event_target_value(&ev))
                        on:keydown=move |ev| on_enter(&ev, false, &reclassify)>
                        <option value="">{move || prefs.t(Msg::DetailPriorityDefault)}</option>
                        {Priority::ALL.into_iter().map(|p| view! { <option value=p.rank().to_string()>{p.rank()}</option> }).collect_view()}
                    </select>
                </Step>
                <Step action=Action::Locate button_id="detail-relocate" label=Msg::DetailRelocate key="l"
                    why_not=why_not(Action::Locate) on_press=move || keys::focus("relocate-place-search")>
                    <super::incidents::PlaceSearch chosen=new_place station=unused_station prefix="relocate" />
                </Step>
                <Step action=Action::Forward button_id="detail-forward" label=Msg::DetailForward key="f" why_not=why_not(Action::Forward) on_press=forward>
                    <select id="detail-polres" aria-label=move || prefs.t(Msg::DetailPolres)
                        on:change=move |ev| polres_choice.set(event_target_value(&ev))
                        on:keydown=move |ev| on_enter(&ev, false, &forward)>
                        <option value="">{move || prefs.t(Msg::DetailChoosePolres)}</option>
                        {move || polres_options.get().into_iter().map(|(code, name)| {
                            let chosen = code.clone();
                            view! { <option value=code selected=move || polres_choice.get() == chosen>{name}</option> }
                        }).collect_view()}
                    </select>
                </Step>
                // Only for a category that names another service (a fire: the fire service).
                <Show when=move || agency.get().is_some()>
                    <Step action=Action::HandToAgency button_id="detail-agency-button" label=Msg::DetailHandToAgency key="g"
                        why_not=why_not_agency on_press=hand_to_agency>
                        <span id="detail-agency" class="detail-agency">
                            {move || agency.get().map(|a| a.label(prefs.language.get()).to_owned()).unwrap_or_default()}
                        </span>
                    </Step>
                </Show>
                <Step action=Action::HandToSpkt button_id="detail-spkt" label=Msg::DetailHandToSpkt key="s" why_not=why_not(Action::HandToSpkt)
                    on_press=hand_to_spkt>
                    <input id="detail-spkt-desk" type="text" placeholder=move || prefs.t(Msg::DetailSpktDesk)
                        prop:value=spkt_desk on:input=move |ev| spkt_desk.set(event_target_value(&ev))
                        on:keydown=move |ev| on_enter(&ev, false, &hand_to_spkt) />
                </Step>
                <Step action=Action::StartHandling button_id="detail-handle" label=Msg::DetailStartHandling key="h" why_not=why_not(Action::StartHandling)
                    on_press=start_handling>
                    <input id="detail-unit" type="text" placeholder=move || prefs.t(Msg::DetailUnit)
                        prop:value=unit on:input=move |ev| unit.set(event_target_value(&ev))
                        on:keydown=move |ev| on_enter(&ev, false, &start_handling) />
                </Step>
                <Step action=Action::CloseAsHandled button_id="detail-close-handled" label=Msg::DetailCloseHandled key="x" why_not=why_not(Action::CloseAsHandled)
                    on_press=close_handled>
                    <select id="detail-close-reason" on:change=move |ev| close_kind.set(event_target_value(&ev))>
                        <option value="resolved">{move || CloseReason::Resolved.label(prefs.language.get())}</option>
                        <option value="unfounded">{move || CloseReason::Unfounded.label(prefs.language.get())}</option>
                    </select>
                    <textarea id="detail-summary" rows="2" placeholder=move || prefs.t(Msg::DetailSummary)
                        prop:value=summary on:input=move |ev| summary.set(event_target_value(&ev))
                        on:keydown=move |ev| on_enter(&ev, true, &close_handled)></textarea>
                </Step>
                <Step action=Action::CloseAsDuplicate button_id="detail-close-duplicate" label=Msg::DetailCloseDuplicate key="d"
                    why_not=why_not(Action::CloseAsDuplicate) on_press=close_duplicate>
                    <select id="detail-duplicate-of" aria-label=move || prefs.t(Msg::DetailDuplicateOf)
                        on:focus=move |_| load_candidates()
                        on:change=move |ev| duplicate_of.set(event_target_value(&ev))
                        on:keydown=move |ev| on_enter(&ev, false, &close_duplicate)>
                        {move || {
                            let language = prefs.language.get();
                            let list = candidates.get();
                            if list.is_empty() {
                                let text = if candidates_asked.get() { Msg::DetailNoDuplicate } else { Msg::DetailDuplicateSearch };
                                return view! { <option value="">{prefs.t(text)}</option> }.into_any();
                            }
                            list.into_iter().map(|c| {
                                let value = c.id.to_string();
                                let chosen = value.clone();
                                let what = c.category.map(|k| k.label(language).to_owned()).unwrap_or_else(|| Msg::ReportCategoryNone.text(language).to_owned());
                                let far = c.distance_m.map(|m| format!(" · {m} m")).unwrap_or_default();
                                let label = format!("{what}{far} · {} · {}", crate::i18n::elapsed(c.apart_secs, language), c.description);
                                view! { <option value=value selected=move || duplicate_of.get() == chosen>{label}</option> }
                            }).collect_view().into_any()
                        }}
                    </select>
                </Step>
                <Step action=Action::Reassign button_id="detail-reassign" label=Msg::DetailReassign key="a"
                    why_not=why_not(Action::Reassign) on_press=reassign>
                    <select id="detail-reassign-polres" aria-label=move || prefs.t(Msg::DetailPolres)
                        on:change=move |ev| reassign_polres.set(event_target_value(&ev))>
                        <option value="">{move || prefs.t(Msg::DetailChoosePolres)}</option>
                        {every_polres.clone().into_iter().map(|(code, name)| view! { <option value=code>{name}</option> }).collect_view()}
                    </select>
                    <input id="detail-reassign-reason" type="text" placeholder=move || prefs.t(Msg::DetailReason)
                        prop:value=reassign_reason on:input=move |ev| reassign_reason.set(event_target_value(&ev))
                        on:keydown=move |ev| on_enter(&ev, false, &reassign) />
                </Step>
                <Step action=Action::Reopen button_id="detail-reopen" label=Msg::DetailReopen key="o" why_not=why_not(Action::Reopen)
                    on_press=reopen>
                    <input id="detail-reopen-reason" type="text" placeholder=move || prefs.t(Msg::DetailReason)
                        prop:value=reopen_reason on:input=move |ev| reopen_reason.set(event_target_value(&ev))
                        on:keydown=move |ev| on_enter(&ev, false, &reopen) />
                </Step>
                <Step action=Action::Validate button_id="detail-validate" label=Msg::DetailValidate key="v"
                    why_not=why_not(Action::Validate) on_press=validate>
                    <select id="detail-validation-outcome" aria-label=move || prefs.t(Msg::DetailValidation)
                        on:change=move |ev| validation_outcome.set(event_target_value(&ev))
                        on:keydown=move |ev| on_enter(&ev, false, &validate)>
                        {ValidationOutcome::ALL.into_iter().map(|o| {
                            view! { <option value=o.code() selected=move || validation_outcome.get() == o.code()>{move || o.label(prefs.language.get())}</option> }
                        }).collect_view()}
                    </select>
                    <input id="detail-validation-reason" type="text" placeholder=move || prefs.t(Msg::DetailValidationReason)
                        prop:value=validation_reason on:input=move |ev| validation_reason.set(event_target_value(&ev))
                        on:keydown=move |ev| on_enter(&ev, false, &validate) />
                </Step>
                <Step action=Action::AddNote button_id="detail-add-note" label=Msg::DetailAddNote key="m" why_not=why_not(Action::AddNote)
                    on_press=add_note>
                    <input id="detail-note" type="text" placeholder=move || prefs.t(Msg::DetailNote)
                        prop:value=note on:input=move |ev| note.set(event_target_value(&ev))
                        on:keydown=move |ev| on_enter(&ev, false, &add_note) />
                </Step>
            </div>
            <h3>{move || prefs.t(Msg::DetailTimeline)}</h3>
            <ol class="timeline" id="detail-timeline">
                {move || {
                    let language = prefs.language.get();
                    let zone = zone.get();
                    timeline.get().into_iter().map(|entry| {
                        let action = entry.event.change.action();
                        let detail = change_detail(&entry.event.change, language);
                        let (what, evidence) = match &entry.event.change {
                            IncidentChange::EvidenceAttached { sha256, .. } => (
                                prefs.t(Msg::TimelineEvidence).to_owned(),
                                Some(view! { <EvidencePicture incident=entry.event.incident_id sha256=sha256.to_string() /> }),
                            ),
                            IncidentChange::VideoCallMoved { state, .. } => (
                                format!("{} {}", prefs.t(Msg::TimelineVideoCall), state.label(language)),
                                None,
                            ),
                            _ => (action.label(language).to_owned(), None),
                        };
                        view! {
                            <li class="timeline-entry" data-action=format!("{action:?}") data-standing=format!("{:?}", entry.standing)>
                                <span class="timeline-time">{zone.wall_clock(entry.event.at)}</span>
                                <span class="timeline-who">{format!("{} · {}", entry.event.actor.id, entry.event.actor.role.label(language))}</span>
                                <span class="timeline-what">{what}</span>
                                <span class="timeline-detail">{detail}</span>
                                {evidence}
                                <span class=format!("timeline-standing standing-{:?}", entry.standing).to_lowercase()>{prefs.t(standing_text(entry.standing))}</span>
                            </li>
                        }
                    }).collect_view()
                }}
            </ol>
        </section>
    }
}
