//! Video validation calls on the wire (decision 0006): the desk rings the reporter with its SDP offer
//! (`POST /v1/incidents/{id}/video-calls`) — or the reporter asks for a call from the 110 app
//! (`POST /v1/incidents/{id}/video-call-requests`) and the desk joins it with its offer
//! (`POST /v1/video-calls/{id}/offer`) —, the 110 app of the incident's Polda finds the ringing calls
//! (`GET /v1/video-calls?state=ringing`) and answers with its SDP answer or declines, and either side says when
//! media flows and when it ends (`POST /v1/video-calls/{id}/state`). The central stores each call and its
//! state; the session descriptions it relays are checked for form only.

use serde::{Deserialize, Serialize};
use siaga_domain::video::CallState;

/// `POST /v1/incidents/{incident_id}/video-calls` and `POST /v1/video-calls/{call_id}/offer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VideoCallRequest {
    /// The desk's SDP offer.
    pub offer: String,
}

/// `POST /v1/video-calls/{call_id}/answer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VideoCallAnswer {
    /// The reporter's SDP answer.
    pub answer: String,
}

/// `POST /v1/video-calls/{call_id}/state`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VideoCallStateRequest {
    /// The state the call moves to.
    pub state: CallState,
    /// Why (a failure's cause, a decline's reason); at most 500 characters.
    #[serde(default)]
    pub reason: String,
}

/// A call as the central holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoCallView {
    /// The call's id.
    pub call_id: String,
    /// The incident it validates.
    pub incident_id: String,
    /// The incident's Polda.
    pub polda: String,
    /// Where it stands.
    pub state: CallState,
    /// The desk's SDP offer (none while a reporter's request waits for an operator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<String>,
    /// The reporter's SDP answer, once answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// Why it ended so, if said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The account that rang, or the 110 app's account that asked.
    pub requested_by: String,
    /// When it was asked (Unix ms).
    pub created_ms: i64,
    /// When it last moved (Unix ms).
    pub updated_ms: i64,
}

/// `GET /v1/video-calls`: calls newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoCallList {
    /// The calls.
    pub calls: Vec<VideoCallView>,
}

/// `GET /v1/video-relay`: the TURN servers a call party may relay its media through, with credentials of its
/// own that lapse at `expiresMs` (coturn's shared-secret scheme: the server checks them without asking the
/// central). Empty when the central names no TURN server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoRelay {
    /// The servers.
    pub servers: Vec<RelayServer>,
    /// When the credentials lapse (Unix ms).
    pub expires_ms: i64,
}

/// One TURN server and the credentials to use there.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelayServer {
    /// `host:port` (UDP).
    pub address: String,
    /// The user name: the expiry (Unix seconds) and the account, `1796353200:op1-diy`.
    pub username: String,
    /// The password for it.
    pub password: String,
}

impl std::fmt::Debug for RelayServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayServer")
            .field("address", &self.address)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}
