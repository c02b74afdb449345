//! The Panggilan Video page: the Polda's video validation calls — reporters' requests from the 110 app with how
//! long they have waited, calls in progress, the latest ended ones — and the call this desk is in: the
//! reporter's video in a canvas (VP8 frames polled from the desk over binary IPC, decoded by WebCodecs in
//! `crate::video`) and voice (Opus, played, with a level meter and mute), the call's phase, hang-up, the report beside it (what was reported, the reporter's name, the
//! NIK masked and what it says: region, birth date, age, sex), a still of the video kept as evidence (decision
//! 0022), and the validation's outcome recorded on the incident with the call's id (decision 0006).

use crate::i18n::{elapsed, Msg};
use crate::ipc;
use crate::prefs::use_prefs;
use crate::video::{AudioPlayer, Decoder};
use leptos::prelude::*;
use siaga_domain::incident::ValidationOutcome;
use siaga_domain::video::CallState;
use siaga_domain::{IncidentChange, IncidentId};
use siaga_ipc::{
    ActCommand, ActRequest, IncidentCommand, IncidentRequest, VideoCallInfo, VideoCallRequest,
    VideoCallsCommand, VideoCallsRequest, VideoFramesCommand, VideoFramesRequest, VideoHangUpCommand,
    VideoJoinCommand, VideoPhase, VideoPhaseCommand, VideoPhaseInfo, VideoSnapshotCommand,
    VideoSnapshotRequest,
};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// The call this desk is in (shown on the Panggilan Video page), set by the page or by the incident detail's
/// "video call" button.
#[derive(Debug, Clone, Copy)]
pub struct ActiveCall(pub RwSignal<Option<(String, IncidentId)>>);

/// The active call, provided by the shell.
pub fn use_active_call() -> ActiveCall {
    expect_context::<ActiveCall>()
}

/// How often the list of calls is asked again.
const LIST_EVERY: Duration = Duration::from_secs(2);
/// How often the desk is asked for new frames.
const FRAMES_EVERY: Duration = Duration::from_millis(40);

fn state_text(state: CallState, language: siaga_domain::Language) -> &'static str {
    state.label(language)
}

/// Body of the Video page.
#[component]
pub fn VideoPage() -> impl IntoView {
    let prefs = use_prefs();
    let active = use_active_call().0;
    let calls = RwSignal::new(Vec::<VideoCallInfo>::new());
    let error = RwSignal::new(None::<String>);
    let now_ms = RwSignal::new(js_sys::Date::now() as i64);
    let refresh = move || {
        let language = prefs.language.get_untracked();
        leptos::task::spawn_local(async move {
            match ipc::invoke::<VideoCallsCommand>(&VideoCallsRequest { language }).await {
                Ok(list) => {
                    let _ = calls.try_set(list.calls);
                    let _ = error.try_set(None);
                }
                Err(err) => {
                    let _ = error.try_set(Some(err.message));
                }
            }
            let _ = now_ms.try_set(js_sys::Date::now() as i64);
        });
    };
    refresh();
    let list_timer = set_interval_with_handle(refresh, LIST_EVERY).ok();
    on_cleanup(move || {
        if let Some(timer) = list_timer {
            timer.clear();
        }
    });
    let join = move |call: VideoCallInfo| {
        let language = prefs.language.get_untracked();
        leptos::task::spawn_local(async move {
            let request = VideoCallRequest {
                call_id: call.call_id.clone(),
                language,
            };
            match ipc::invoke::<VideoJoinCommand>(&request).await {
                Ok(started) => active.set(Some((started.call_id, call.incident_id))),
                Err(err) => {
                    let _ = error.try_set(Some(err.message));
                }
            }
        });
    };
    let waiting = move || {
        calls.with(|c| {
            c.iter()
                .filter(|c| c.state == CallState::Requested)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let others = move || {
        calls.with(|c| {
            c.iter()
                .filter(|c| c.state != CallState::Requested)
                .take(12)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="video-page">
            {move || error.get().map(|e| view! { <p id="video-error" class="form-error" role="alert">{e}</p> })}
            <div class="video-layout">
                <section class="card" id="video-calls">
                    <header class="card-header"><h2>{move || prefs.t(Msg::VideoRequests)}</h2></header>
                    <ul class="video-list" id="video-requests">
                        {move || {
                            let language = prefs.language.get();
                            let list = waiting();
                            if list.is_empty() {
                                return view! { <li class="muted">{prefs.t(Msg::VideoNoRequests)}</li> }.into_any();
                            }
                            list.into_iter().map(|call| {
                                let waited = (now_ms.get() - call.created_ms) / 1000;
                                let id = call.call_id.clone();
                                let chosen = call.clone();
                                view! {
                                    <li class="video-row" data-id=id.clone() data-state=call.state.code()>
                                        <span class="video-row-what">{format!("{} · {}", prefs.t(Msg::VideoFromApp), short(&call.incident_id))}</span>
                                        <span class="waiting">{format!("{} {}", prefs.t(Msg::VideoWaiting), elapsed(waited, language))}</span>
                                        <button id=format!("video-join-{id}") class="button small" on:click=move |_| join(chosen.clone())>
                                            {prefs.t(Msg::VideoJoin)}
                                        </button>
                                    </li>
                                }
                            }).collect_view().into_any()
                        }}
                    </ul>
                    <h3>{move || prefs.t(Msg::VideoRecent)}</h3>
                    <ul class="video-list" id="video-recent">
                        {move || {
                            let language = prefs.language.get();
                            others().into_iter().map(|call| view! {
                                <li class="video-row" data-id=call.call_id.clone() data-state=call.state.code()>
                                    <span class="video-row-what">{short(&call.incident_id)}</span>
                                    <span class="video-state">{state_text(call.state, language)}</span>
                                    <span class="muted">{call.requested_by.clone()}</span>
                                </li>
                            }).collect_view()
                        }}
                    </ul>
                </section>
                {move || active.get().map(|(call_id, incident)| view! { <CallPanel call_id incident /> })}
            </div>
        </div>
    }
}

fn short(id: &IncidentId) -> String {
    id.to_string()
        .chars()
        .rev()
        .take(6)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect()
}

/// The call this desk is in: the reporter's video, its phase, hang-up, and the validation's outcome.
#[component]
fn CallPanel(call_id: String, incident: IncidentId) -> impl IntoView {
    let prefs = use_prefs();
    let active = use_active_call().0;
    let phase = RwSignal::new(None::<VideoPhaseInfo>);
    let problem = RwSignal::new(None::<String>);
    let recorded = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(String::from("valid"));
    let reason = RwSignal::new(String::new());
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let meter = NodeRef::<leptos::html::Div>::new();
    let muted = RwSignal::new(false);
    // Whether the canvas has drawn a frame of the reporter's video (a snapshot needs one).
    let frames_shown = RwSignal::new(false);
    // Why the voice cannot be played, or that there is no speaker to play it on.
    let voice_note = RwSignal::new(None::<String>);
    // The report beside the video: what was reported, and what the reporter's NIK says.
    let report = LocalResource::new(move || {
        let language = prefs.language.get();
        async move {
            ipc::invoke::<IncidentCommand>(&IncidentRequest {
                id: incident,
                language,
            })
            .await
            .ok()
        }
    });
    let decoder: Rc<RefCell<Option<Decoder>>> = Rc::new(RefCell::new(None));
    let player: Rc<RefCell<Option<AudioPlayer>>> = Rc::new(RefCell::new(None));
    // A player that could not be made is not tried again on every poll.
    let player_tried = Rc::new(RefCell::new(false));
    let last_seq = Rc::new(RefCell::new(0u64));
    let busy = Rc::new(RefCell::new(false));
    let poll = {
        let call_id = call_id.clone();
        let decoder = Rc::clone(&decoder);
        let player = Rc::clone(&player);
        move || {
            if *busy.borrow() {
                return;
            }
            *busy.borrow_mut() = true;
            let (call_id, decoder, player, player_tried, last_seq, busy) = (
                call_id.clone(),
                Rc::clone(&decoder),
                Rc::clone(&player),
                Rc::clone(&player_tried),
                Rc::clone(&last_seq),
                Rc::clone(&busy),
            );
            let language = prefs.language.get_untracked();
            leptos::task::spawn_local(async move {
                let request = VideoCallRequest {
                    call_id: call_id.clone(),
                    language,
                };
                // The panel may be gone by the time an answer comes (the operator went to another page): its
                // signals and nodes are disposed then, and touching them panics. Checked after every await.
                let now = ipc::invoke::<VideoPhaseCommand>(&request).await;
                if phase.is_disposed() {
                    return;
                }
                if let Ok(now) = now {
                    phase.set(Some(now));
                }
                if decoder.borrow().is_none() {
                    if let Some(canvas) = canvas.get_untracked() {
                        let element: web_sys::HtmlCanvasElement = canvas.unchecked_into();
                        let made = Decoder::new(&element).await;
                        if phase.is_disposed() {
                            if let Ok(made) = made {
                                made.close();
                            }
                            return;
                        }
                        match made {
                            Ok(made) => *decoder.borrow_mut() = Some(made),
                            Err(why) => {
                                let _ = problem.try_set(Some(why));
                            }
                        }
                    }
                }
                if !*player_tried.borrow() {
                    if let Some(meter) = meter.get_untracked() {
                        *player_tried.borrow_mut() = true;
                        let element: web_sys::HtmlElement = meter.unchecked_into();
                        let made = AudioPlayer::new(&element).await;
                        if phase.is_disposed() {
                            if let Ok(made) = made {
                                made.close();
                            }
                            return;
                        }
                        match made {
                            Ok(made) => {
                                made.set_muted(muted.get_untracked());
                                if !made.can_play() {
                                    let _ = voice_note.try_set(Some(prefs.t(Msg::VideoNoSpeaker).to_owned()));
                                }
                                *player.borrow_mut() = Some(made);
                            }
                            Err(why) => {
                                let _ =
                                    voice_note.try_set(Some(format!("{} {why}", prefs.t(Msg::VideoNoVoice))));
                            }
                        }
                    }
                }
                let after = *last_seq.borrow();
                let request = VideoFramesRequest { call_id, after };
                let answer = ipc::invoke_raw::<VideoFramesCommand>(&request).await;
                if phase.is_disposed() {
                    return;
                }
                if let Ok(bytes) = answer {
                    let bytes = js_sys::Uint8Array::new(&bytes).to_vec();
                    let mut slot = decoder.borrow_mut();
                    let mut voice = player.borrow_mut();
                    for chunk in siaga_ipc::decode_frames(&bytes) {
                        *last_seq.borrow_mut() = chunk.seq;
                        match chunk.kind {
                            siaga_ipc::ChunkKind::Video { keyframe } => {
                                if let Some(decoder) = slot.as_mut() {
                                    if !decoder.decode(&chunk.data, keyframe, chunk.rtp_time) {
                                        // Failed: made again, fed from the next key frame.
                                        decoder.close();
                                        *slot = None;
                                    }
                                }
                            }
                            siaga_ipc::ChunkKind::Audio => {
                                if let Some(player) = voice.as_ref() {
                                    if !player.decode(&chunk.data, chunk.rtp_time) {
                                        // Failed: made again at the next poll.
                                        player.close();
                                        *voice = None;
                                        *player_tried.borrow_mut() = false;
                                    }
                                }
                            }
                        }
                    }
                }
                if !frames_shown.get_untracked() {
                    let drawn = canvas.get_untracked().is_some_and(|canvas| {
                        let element: web_sys::HtmlCanvasElement = canvas.unchecked_into();
                        element.has_attribute("data-frames")
                    });
                    if drawn {
                        let _ = frames_shown.try_set(true);
                    }
                }
                *busy.borrow_mut() = false;
            });
        }
    };
    let frames_timer = set_interval_with_handle(poll, FRAMES_EVERY).ok();
    // The cleanup must be Send: the decoder is reached through a local stored value.
    let decoder_slot = StoredValue::new_local(Rc::clone(&decoder));
    let player_slot = StoredValue::new_local(Rc::clone(&player));
    on_cleanup(move || {
        if let Some(timer) = frames_timer {
            timer.clear();
        }
        decoder_slot.with_value(|decoder| {
            if let Some(decoder) = decoder.borrow().as_ref() {
                decoder.close();
            }
        });
        player_slot.with_value(|player| {
            if let Some(player) = player.borrow().as_ref() {
                player.close();
            }
        });
    });
    let hang_up = {
        let call_id = call_id.clone();
        move || {
            let request = VideoCallRequest {
                call_id: call_id.clone(),
                language: prefs.language.get_untracked(),
            };
            leptos::task::spawn_local(async move {
                let _ = ipc::invoke::<VideoHangUpCommand>(&request).await;
            });
        }
    };
    let record = {
        let call_id = call_id.clone();
        move || {
            let Some(chosen) = ValidationOutcome::parse(&outcome.get_untracked()) else {
                return;
            };
            let call = call_id.parse().ok();
            let language = prefs.language.get_untracked();
            let request = ActRequest {
                incident_id: incident,
                change: IncidentChange::ReportValidated {
                    outcome: chosen,
                    reason: reason.get_untracked(),
                    call,
                },
                language,
            };
            leptos::task::spawn_local(async move {
                match ipc::invoke::<ActCommand>(&request).await {
                    // The panel may be gone by now (another page): `try_set` lets that be.
                    Ok(_) => {
                        let _ = recorded.try_set(Some(chosen.label(language).to_owned()));
                        let _ = problem.try_set(None);
                    }
                    Err(err) => {
                        let _ = problem.try_set(Some(err.message));
                    }
                }
            });
        }
    };
    // The still of the reporter's video as the canvas shows it, kept as evidence of the incident.
    let snapshot_kept = RwSignal::new(None::<String>);
    let snapshot = {
        let call_id = call_id.clone();
        move || {
            let language = prefs.language.get_untracked();
            let Some(canvas) = canvas.get_untracked() else {
                return;
            };
            let element: web_sys::HtmlCanvasElement = canvas.unchecked_into();
            if !frames_shown.get_untracked() {
                problem.set(Some(prefs.t(Msg::VideoSnapshotNothing).to_owned()));
                return;
            }
            let jpeg = element
                .to_data_url_with_type_and_encoder_options(
                    "image/jpeg",
                    &wasm_bindgen::JsValue::from_f64(0.9),
                )
                .unwrap_or_default();
            let request = VideoSnapshotRequest {
                incident,
                call_id: call_id.clone(),
                jpeg,
                language,
            };
            leptos::task::spawn_local(async move {
                match ipc::invoke::<VideoSnapshotCommand>(&request).await {
                    Ok(kept) => {
                        let _ = snapshot_kept.try_set(Some(kept.sha256[..12].to_owned()));
                        let _ = problem.try_set(None);
                    }
                    Err(err) => {
                        let _ = problem.try_set(Some(err.message));
                    }
                }
            });
        }
    };
    let phase_code = move || {
        phase.with(|p| match p.as_ref().map(|p| p.phase) {
            None | Some(VideoPhase::Ringing) => "ringing",
            Some(VideoPhase::Connecting) => "connecting",
            Some(VideoPhase::Connected) => "connected",
            Some(VideoPhase::Ended) => "ended",
        })
    };
    let phase_text = move || {
        let language = prefs.language.get();
        phase.with(|p| match p {
            None => prefs.t(Msg::VideoRinging).to_owned(),
            Some(p) => match p.phase {
                VideoPhase::Ringing => prefs.t(Msg::VideoRinging).to_owned(),
                VideoPhase::Connecting => prefs.t(Msg::VideoConnecting).to_owned(),
                VideoPhase::Connected => prefs.t(Msg::VideoConnected).to_owned(),
                VideoPhase::Ended => {
                    let state = p.state.map(|s| s.label(language)).unwrap_or_default();
                    match &p.reason {
                        Some(reason) => format!("{} {state} ({reason})", prefs.t(Msg::VideoEnded)),
                        None => format!("{} {state}", prefs.t(Msg::VideoEnded)),
                    }
                }
            },
        })
    };
    view! {
        <section class="card video-call" id="video-call" data-call=call_id.clone() data-incident=incident.to_string()>
            <header class="card-header">
                <h2>{move || prefs.t(Msg::VideoCall)}</h2>
                <button id="video-close" class="icon-button" aria-label=move || prefs.t(Msg::MapClose) on:click=move |_| active.set(None)>"×"</button>
            </header>
            <p id="video-phase" data-phase=phase_code>{phase_text}</p>
            <div class="video-call-body">
            <div class="video-main">
            <canvas id="video-canvas" node_ref=canvas width="320" height="240" class="video-canvas"></canvas>
            {move || problem.get().map(|p| view! { <p id="video-problem" class="form-error" role="alert">{p}</p> })}
            <div id="video-audio" class="audio-meter" data-phase=phase_code node_ref=meter aria-label=move || prefs.t(Msg::VideoVoice)>
                <span class="audio-label">{move || prefs.t(Msg::VideoVoice)}</span>
                <div class="audio-bar"><div class="audio-fill"></div></div>
            </div>
            {move || voice_note.get().map(|note| view! { <p id="video-voice-note" class="summary">{note}</p> })}
            <div class="video-actions">
                <button id="video-mute" class="button small ghost" aria-pressed=move || muted.get().to_string()
                    on:click={
                        let player = Rc::clone(&player);
                        move |_| {
                            let now = !muted.get_untracked();
                            muted.set(now);
                            if let Some(player) = player.borrow().as_ref() {
                                player.set_muted(now);
                            }
                        }
                    }>
                    {move || prefs.t(if muted.get() { Msg::VideoUnmute } else { Msg::VideoMute })}
                </button>
                <button id="video-snapshot" class="button small" disabled=move || !frames_shown.get() on:click=move |_| snapshot()>
                    {move || prefs.t(Msg::VideoSnapshot)}
                </button>
                <button id="video-hang-up" class="button small danger" disabled=move || phase_code() == "ended" on:click=move |_| hang_up()>
                    {move || prefs.t(Msg::VideoHangUp)}
                </button>
            </div>
            // Below the buttons, so that the buttons stay where the operator's pointer is.
            {move || snapshot_kept.get().map(|short| view! { <p id="video-snapshot-kept" class="notice">{format!("{} {short}", prefs.t(Msg::VideoSnapshotKept))}</p> })}
            </div>
            <div class="video-side">
            {move || report.get().flatten().map(|i| {
                let language = prefs.language.get();
                let reporter = i.reporter.clone();
                let name = reporter.as_ref().and_then(|r| r.name.clone());
                let nik = reporter.as_ref().and_then(|r| r.nik.clone());
                view! {
                    <div class="video-report" id="video-report">
                        <h3>{prefs.t(Msg::VideoReport)}</h3>
                        <p class="incident-text">{i.description.clone()}</p>
                        <dl class="facts">
                            <dt>{prefs.t(Msg::DetailChannel)}</dt><dd>{i.channel.label(language)}</dd>
                            <dt>{prefs.t(Msg::CitizenName)}</dt><dd>{name.unwrap_or_else(|| "—".to_owned())}</dd>
                            <dt>"NIK"</dt>
                            <dd id="video-nik">{nik.as_ref().map(|n| n.masked()).unwrap_or_else(|| "—".to_owned())}</dd>
                            {nik.map(|n| match super::incidents::nik_facts(&n.digits(), language) {
                                Ok(facts) => view! {
                                    <dt>{prefs.t(Msg::CitizenNikSays)}</dt>
                                    <dd id="video-nik-check">
                                        {facts.region} " · " {prefs.t(Msg::ReportNikBorn)} " " {facts.born}
                                        " · " {facts.age} " " {prefs.t(Msg::ReportNikYears)} " · " {prefs.t(facts.sex)}
                                    </dd>
                                }.into_any(),
                                Err(reason) => view! { <dt>{prefs.t(Msg::CitizenNikSays)}</dt><dd class="form-error">{reason}</dd> }.into_any(),
                            })}
                        </dl>
                    </div>
                }
            })}
            <h3>{move || prefs.t(Msg::DetailValidation)}</h3>
            <div class="video-outcome">
                <select id="video-outcome" on:change=move |ev| outcome.set(event_target_value(&ev))>
                    {ValidationOutcome::ALL.into_iter().map(|o| view! {
                        <option value=o.code() selected=move || outcome.get() == o.code()>{move || o.label(prefs.language.get())}</option>
                    }).collect_view()}
                </select>
                <input id="video-outcome-reason" type="text" placeholder=move || prefs.t(Msg::DetailValidationReason)
                    prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev)) />
                <button id="video-record" class="button small" on:click=move |_| record()>{move || prefs.t(Msg::DetailValidate)}</button>
            </div>
            {move || recorded.get().map(|r| view! { <p id="video-recorded" class="notice">{format!("{} {r}", prefs.t(Msg::VideoRecorded))}</p> })}
            </div>
            </div>
        </section>
    }
}
