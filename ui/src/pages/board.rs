//! The supervisor board on the Insiden page (`b`): every open stage with its count and the incident
//! waiting longest (overdue marked, Enter or a click opens it), the kiosk alerts no operator has taken,
//! each operator's open incidents, the last 24 hours of calls with the prank/empty share per hour, and the
//! numbers that call most. Advisory only: the desk never blocks a number. Re-read when the store announces
//! a change, never on a timer; the waiting times tick on the status bar's clock.

use crate::desk_status::use_desk_status;
use crate::i18n::{elapsed, Msg};
use crate::ipc;
use crate::live::use_live;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use siaga_domain::timezone::TimeZone;
use siaga_domain::{IncidentId, IncidentStatus, Priority};
use siaga_ipc::{Empty, OpenAlertInfo, OpenAlertsCommand, SupervisorBoard, SupervisorBoardCommand};

/// A stage's name on the board (the queue tabs' names).
fn stage_label(status: IncidentStatus) -> Msg {
    super::incidents::queue_label(status)
}

/// `ms` since the epoch as an hour on the desk's wall clock, e.g. `14:00`.
fn hour_label(ms: i64, zone: TimeZone) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .map(|at| format!("{:02}:00", at.to_offset(zone.utc_offset()).hour()))
        .unwrap_or_default()
}

/// The board. `open` shows an incident's detail (in its stage's queue).
#[component]
pub fn SupervisorBoardView(
    open: impl Fn(IncidentId, IncidentStatus) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let prefs = use_prefs();
    let status = use_desk_status();
    let live = use_live();
    let overdue = crate::overdue::use_overdue();
    let board = RwSignal::new(None::<SupervisorBoard>);
    let alerts = RwSignal::new(Vec::<OpenAlertInfo>::new());
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        live.incidents.track();
        leptos::task::spawn_local(async move {
            match ipc::invoke::<SupervisorBoardCommand>(&Empty {}).await {
                Ok(found) => {
                    if board.try_with_untracked(|shown| shown.as_ref() != Some(&found)) == Some(true) {
                        board.set(Some(found));
                    }
                    let _ = error.try_set(None);
                }
                Err(err) => {
                    let _ = error.try_set(Some(err.message));
                }
            }
            if let Ok(found) = ipc::invoke::<OpenAlertsCommand>(&Empty {}).await {
                if alerts.try_with_untracked(|shown| *shown != found) == Some(true) {
                    alerts.set(found);
                }
            }
        });
    });
    let zone = Memo::new(move |_| TimeZone::for_polda(status.polda()));
    // Seconds since `ms`, ticking with the status bar's clock.
    let waited = move |ms: i64| {
        status.ticks.track();
        ((js_sys::Date::now() - ms as f64) / 1000.0) as i64
    };
    view! {
        <section class="card supervisor-board" id="supervisor-board">
            <header class="card-header"><h2>{move || prefs.t(Msg::BoardTitle)}</h2></header>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <div class="board-stages" id="board-stages">
                {move || board.get().map(|b| b.stages.into_iter().map(|stage| {
                    let oldest = stage.oldest.zip(stage.oldest_since_ms);
                    let priority = stage.oldest_priority.unwrap_or(Priority::Medium);
                    view! {
                        <div class="board-stage" data-status=stage.status.code() data-count=stage.count>
                            <span class="board-stage-name">{move || prefs.t(stage_label(stage.status))}</span>
                            <strong class="board-count">{stage.count}</strong>
                            {oldest.map(|(id, since)| {
                                let is_overdue = move || overdue.get().is_overdue(stage.status, priority, waited(since));
                                view! {
                                    <button class="link board-oldest" class:overdue=is_overdue
                                        on:click=move |_| open(id, stage.status)>
                                        {move || prefs.t(Msg::BoardOldest)}" "
                                        {move || elapsed(waited(since), prefs.language.get())}
                                    </button>
                                }
                            })}
                        </div>
                    }
                }).collect_view())}
            </div>
            <div class="board-grid">
                <section class="board-part" id="board-alerts">
                    <h3>{move || prefs.t(Msg::BoardAlerts)}" "<span class="count">{move || alerts.with(Vec::len)}</span></h3>
                    <Show when=move || alerts.with(Vec::is_empty)>
                        <p class="muted">{move || prefs.t(Msg::BoardNoAlerts)}</p>
                    </Show>
                    <ul class="board-list">
                        {move || alerts.get().into_iter().map(|alert| view! {
                            <li class="board-alert">
                                <span>{alert.station.clone().unwrap_or_else(|| alert.kiosk_id.clone())}</span>
                                <span class="waiting">{move || elapsed(waited(alert.received_ms), prefs.language.get())}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
                <section class="board-part" id="board-operators">
                    <h3>{move || prefs.t(Msg::BoardOperators)}</h3>
                    <table class="board-table">
                        <tbody>
                            {move || board.get().map(|b| b.operators.into_iter().map(|load| {
                                let language = prefs.language.get();
                                let who = load.operator.clone().unwrap_or_else(|| prefs.t(Msg::BoardNobody).to_owned());
                                let role = load.role.map(|r| r.label(language)).unwrap_or_default();
                                view! {
                                    <tr class="board-operator" data-operator=load.operator.unwrap_or_default()>
                                        <td>{who}</td><td class="muted">{role}</td><td class="num">{load.open}</td>
                                    </tr>
                                }
                            }).collect_view())}
                        </tbody>
                    </table>
                </section>
                <section class="board-part" id="board-hours">
                    <h3>{move || prefs.t(Msg::BoardHours)}</h3>
                    <ul class="board-list">
                        {move || board.get().map(|b| b.hours.into_iter().map(|hour| {
                            let share = (hour.prank_or_empty * 100).checked_div(hour.calls).unwrap_or(0);
                            view! {
                                <li class="board-hour" data-calls=hour.calls data-prank=hour.prank_or_empty>
                                    <span class="mono">{hour_label(hour.hour_ms, zone.get())}</span>
                                    <span class="board-bar"><span class="board-bar-fill" style=format!("width: {share}%")></span></span>
                                    <span class="num">{format!("{share}% · {}/{}", hour.prank_or_empty, hour.calls)}</span>
                                </li>
                            }
                        }).collect_view())}
                    </ul>
                </section>
                <section class="board-part" id="board-frequent">
                    <h3>{move || prefs.t(Msg::BoardFrequent)}</h3>
                    <p class="muted small">{move || prefs.t(Msg::BoardAdvisory)}</p>
                    <table class="board-table">
                        <tbody>
                            {move || board.get().map(|b| b.frequent.into_iter().map(|caller| {
                                let mostly_prank = caller.prank_or_empty * 2 >= caller.calls;
                                view! {
                                    <tr class="board-caller" class:prank=mostly_prank data-calls=caller.calls>
                                        <td class="mono">{caller.number}</td>
                                        <td class="num">{caller.calls}</td>
                                        <td class="num">{move || format!("{} {}", caller.prank_or_empty, prefs.t(Msg::DetailCallerPrank))}</td>
                                    </tr>
                                }
                            }).collect_view())}
                        </tbody>
                    </table>
                </section>
            </div>
        </section>
    }
}
