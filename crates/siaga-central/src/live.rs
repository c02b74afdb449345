//! The live stream: committed events fan out through a [`Hub`] to every WebSocket session whose
//! subscription matches (NENA-STA-024 style subscribe/notify). A notification is a hint; the feed is the
//! truth, and a session that falls behind is told to `resync` rather than silently losing events.

use crate::auth::Caller;
use crate::metrics::Metrics;
use crate::personal::shape_for;
use crate::AppState;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Extension, State};
use axum::response::Response;
use siaga_api::sync::EventEnvelope;
use siaga_api::{ErrorBody, LiveClientFrame, LiveFilter, LiveServerFrame};
use siaga_domain::Incident;
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};
use tokio::sync::broadcast;

/// A committed event with the incident after it.
#[derive(Debug, Clone)]
pub struct Committed {
    /// The committed event (with its Polda and server sequence).
    pub event: EventEnvelope,
    /// The incident after the event.
    pub incident: Incident,
    /// The `notify` frame as sent, serialised once for all sessions: [full, masked].
    texts: [OnceLock<Arc<str>>; 2],
}

impl Committed {
    /// A committed event and the incident after it.
    pub fn new(event: EventEnvelope, incident: Incident) -> Committed {
        Committed {
            event,
            incident,
            texts: [OnceLock::new(), OnceLock::new()],
        }
    }

    /// The `notify` frame's text for `caller` (masked for analysts), serialised at most twice in all.
    fn notify_text(&self, caller: &Caller) -> Arc<str> {
        let masked = !caller.role.sees_personal_data();
        self.texts[usize::from(masked)]
            .get_or_init(|| {
                let frame = LiveServerFrame::Notify {
                    event: Box::new(self.event.clone()),
                    incident: Box::new(self.incident.clone()),
                };
                Arc::from(shape_for(caller, &frame).to_string())
            })
            .clone()
    }
}

/// Fans committed events out to live sessions in this process.
#[derive(Debug, Clone)]
pub struct Hub {
    sender: broadcast::Sender<Arc<Committed>>,
    /// Hashes of tokens whose session just ended (logout), so the live sessions they opened close at once.
    ended: broadcast::Sender<Arc<str>>,
}

impl Default for Hub {
    fn default() -> Hub {
        Hub::new(4096)
    }
}

impl Hub {
    /// A hub that buffers `capacity` events per slow session before telling it to resync.
    pub fn new(capacity: usize) -> Hub {
        Hub {
            sender: broadcast::channel(capacity).0,
            ended: broadcast::channel(256).0,
        }
    }

    /// Sends a committed event to every session.
    pub fn publish(&self, committed: Committed) {
        let _ = self.sender.send(Arc::new(committed));
    }

    /// A receiver of everything published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Committed>> {
        self.sender.subscribe()
    }

    /// Tells this process's live sessions that the tokens hashed `hashes` no longer hold (a logout).
    /// Sessions of other processes, and tokens that expire, are caught by [`TOKEN_RECHECK`].
    pub fn sessions_ended(&self, hashes: &[String]) {
        for hash in hashes {
            let _ = self.ended.send(Arc::from(hash.as_str()));
        }
    }
}

/// How often a live session checks that its token still holds (expiry, a logout at another replica).
pub const TOKEN_RECHECK: std::time::Duration = std::time::Duration::from_secs(5);

/// The access token a live session was opened with (put beside the caller by the authoriser).
#[derive(Debug, Clone)]
pub struct SessionToken(pub String);

/// Whether a committed event matches a filter.
pub fn matches(filter: &LiveFilter, committed: &Committed) -> bool {
    (filter.poldas.is_empty() || filter.poldas.contains(&committed.event.polda))
        && (filter.statuses.is_empty() || filter.statuses.contains(&committed.incident.status))
        && (filter.categories.is_empty()
            || committed
                .incident
                .category
                .is_some_and(|category| filter.categories.contains(&category)))
}

/// `GET /v1/live`: upgrades to a WebSocket session.
pub async fn live(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(token): Extension<SessionToken>,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade.on_upgrade(move |socket| session(state, caller, token, socket))
}

/// Tells the client its session ended and closes the socket (close code 4401, "unauthorized").
async fn close_ended(socket: &mut WebSocket, caller: &Caller, why: &str) {
    let _ = send(socket, caller, &error_frame("session_ended", why)).await;
    let _ = socket
        .send(Message::Close(Some(axum::extract::ws::CloseFrame {
            code: 4401,
            reason: "session ended".into(),
        })))
        .await;
}

async fn send(socket: &mut WebSocket, caller: &Caller, frame: &LiveServerFrame) -> bool {
    let text = shape_for(caller, frame).to_string();
    socket.send(Message::Text(text.into())).await.is_ok()
}

fn error_frame(code: &str, message: impl Into<String>) -> LiveServerFrame {
    LiveServerFrame::Error {
        body: ErrorBody {
            error: code.to_owned(),
            message: message.into(),
        },
    }
}

/// Narrows a requested filter to the caller's scope, or says why it cannot be.
fn scoped(caller: &Caller, mut filter: LiveFilter) -> Result<LiveFilter, LiveServerFrame> {
    if let Some(own) = &caller.polda {
        if filter.poldas.iter().any(|polda| polda.code() != own) {
            return Err(error_frame(
                "forbidden",
                "a Polda account subscribes to its own Polda only",
            ));
        }
        if filter.poldas.is_empty() {
            let own = own
                .parse()
                .map_err(|_| error_frame("internal", "account Polda unknown"))?;
            filter.poldas.push(own);
        }
    }
    Ok(filter)
}

async fn session(state: AppState, caller: Caller, token: SessionToken, mut socket: WebSocket) {
    state.metrics.live_sessions.fetch_add(1, Ordering::Relaxed);
    let mut events = state.hub.subscribe();
    let mut ended = state.hub.ended.subscribe();
    let own_hash = crate::auth::token_hash(&token.0);
    let mut recheck = tokio::time::interval(TOKEN_RECHECK);
    let mut filter: Option<LiveFilter> = None;
    loop {
        tokio::select! {
            hash = ended.recv() => {
                let mine = match hash {
                    Ok(hash) => *hash == *own_hash,
                    // Missed some: check the token itself.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        crate::auth::resolve_token(&state.store, &token.0, crate::auth::TokenKind::Access).await.is_err()
                    }
                    Err(broadcast::error::RecvError::Closed) => false,
                };
                if mine {
                    close_ended(&mut socket, &caller, "signed out").await;
                    break;
                }
            }
            _ = recheck.tick() => {
                if let Err(err) = crate::auth::resolve_token(&state.store, &token.0, crate::auth::TokenKind::Access).await {
                    close_ended(&mut socket, &caller, &err.to_string()).await;
                    break;
                }
            }
            incoming = socket.recv() => {
                let Some(Ok(message)) = incoming else { break };
                let text = match message {
                    Message::Text(text) => text,
                    Message::Close(_) => break,
                    _ => continue,
                };
                let reply = match serde_json::from_str::<LiveClientFrame>(text.as_str()) {
                    Ok(LiveClientFrame::Ping) => LiveServerFrame::Pong,
                    Ok(LiveClientFrame::Subscribe { filter: requested }) => match scoped(&caller, requested) {
                        Ok(granted) => {
                            filter = Some(granted.clone());
                            LiveServerFrame::Subscribed { filter: granted }
                        }
                        Err(frame) => frame,
                    },
                    Err(err) => error_frame("malformed_frame", format!("not a live frame: {err}")),
                };
                if !send(&mut socket, &caller, &reply).await {
                    break;
                }
            }
            committed = events.recv() => {
                let committed = match committed {
                    Ok(committed) => committed,
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        if !send(&mut socket, &caller, &LiveServerFrame::Resync).await { break; }
                        continue;
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                };
                let Some(filter) = &filter else { continue };
                if !caller.sees(committed.event.polda.code()) || !matches(filter, &committed) {
                    continue;
                }
                let text = committed.notify_text(&caller);
                if socket.send(Message::Text(text.as_ref().into())).await.is_err() {
                    break;
                }
                Metrics::inc(&state.metrics.live_notifications);
            }
        }
    }
    state.metrics.live_sessions.fetch_sub(1, Ordering::Relaxed);
}
