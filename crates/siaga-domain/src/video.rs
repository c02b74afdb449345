//! A video validation call's life, as the central records it (decision 0006): who may move it where, and
//! what a session description must look like before it is stored and relayed. Pure rules; the media itself
//! is `siaga-video`'s.
//!
//! The desk rings the reporter (through the 110 app, which reaches the reporter's phone), or joins a call the
//! reporter asked for from the app (`Requested`, then the desk's offer makes it ring); the app answers or
//! declines; either side says when media flows and when it ends; the desk gives up on a reporter who does
//! not answer (`Unreachable`). Final states do not move again.

use crate::Language;
use serde::{Deserialize, Serialize};

/// Where a call stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    /// The reporter asked for a video call from the 110 app; it waits for an operator to join.
    Requested,
    /// The desk asked (or joined a request); the reporter's phone rings.
    Ringing,
    /// The reporter answered (their SDP answer is stored); media is being set up.
    Answered,
    /// Media flows.
    Connected,
    /// Hung up by either side.
    Ended,
    /// Media could not be set up, or the link was lost for good.
    Failed,
    /// The reporter never answered.
    Unreachable,
    /// The reporter (or the app, which cannot reach them) declined.
    Declined,
}

/// Which side of the call moves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallParty {
    /// The operator's desk.
    Desk,
    /// The reporter, through the 110 app.
    Reporter,
}

/// Why a call may not move so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a call that is {from:?} cannot become {to:?} by this side")]
pub struct CallTransitionError {
    /// Where it stands.
    pub from: CallState,
    /// Where it was asked to go.
    pub to: CallState,
}

impl CallState {
    /// Every state.
    pub const ALL: [CallState; 8] = [
        CallState::Requested,
        CallState::Ringing,
        CallState::Answered,
        CallState::Connected,
        CallState::Ended,
        CallState::Failed,
        CallState::Unreachable,
        CallState::Declined,
    ];

    /// Its code, as on the wire.
    pub fn code(self) -> &'static str {
        match self {
            CallState::Requested => "requested",
            CallState::Ringing => "ringing",
            CallState::Answered => "answered",
            CallState::Connected => "connected",
            CallState::Ended => "ended",
            CallState::Failed => "failed",
            CallState::Unreachable => "unreachable",
            CallState::Declined => "declined",
        }
    }

    /// The state of a code.
    pub fn parse(code: &str) -> Option<CallState> {
        CallState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the call is over.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            CallState::Ended | CallState::Failed | CallState::Unreachable | CallState::Declined
        )
    }

    /// The state for people.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (CallState::Requested, Language::Id) => "menunggu operator",
            (CallState::Requested, Language::En) => "waiting for an operator",
            (CallState::Ringing, Language::Id) => "berdering",
            (CallState::Ringing, Language::En) => "ringing",
            (CallState::Answered, Language::Id) => "dijawab",
            (CallState::Answered, Language::En) => "answered",
            (CallState::Connected, Language::Id) => "tersambung",
            (CallState::Connected, Language::En) => "connected",
            (CallState::Ended, Language::Id) => "selesai",
            (CallState::Ended, Language::En) => "ended",
            (CallState::Failed, Language::Id) => "gagal",
            (CallState::Failed, Language::En) => "failed",
            (CallState::Unreachable, Language::Id) => "tidak dapat dihubungi",
            (CallState::Unreachable, Language::En) => "unreachable",
            (CallState::Declined, Language::Id) => "ditolak",
            (CallState::Declined, Language::En) => "declined",
        }
    }

    /// The state after `party` moves the call to `to`. Answering is its own step (it carries the answer),
    /// so `Answered` is only reached through [`CallState::answer`].
    pub fn moved_to(self, to: CallState, party: CallParty) -> Result<CallState, CallTransitionError> {
        use CallParty::{Desk, Reporter};
        use CallState::*;
        let allowed = matches!(
            (self, to, party),
            (Requested, Ended, _)
                | (Ringing, Declined, Reporter)
                | (Ringing, Unreachable | Ended, Desk)
                | (Answered, Connected | Failed | Ended, _)
                | (Connected, Ended | Failed, _)
        );
        if allowed {
            Ok(to)
        } else {
            Err(CallTransitionError { from: self, to })
        }
    }

    /// The state after the desk joins a requested call with its offer.
    pub fn join(self) -> Result<CallState, CallTransitionError> {
        if self == CallState::Requested {
            Ok(CallState::Ringing)
        } else {
            Err(CallTransitionError {
                from: self,
                to: CallState::Ringing,
            })
        }
    }

    /// The state after the reporter answers.
    pub fn answer(self) -> Result<CallState, CallTransitionError> {
        if self == CallState::Ringing {
            Ok(CallState::Answered)
        } else {
            Err(CallTransitionError {
                from: self,
                to: CallState::Answered,
            })
        }
    }
}

/// The largest session description stored and relayed.
pub const MAX_SDP_BYTES: usize = 16 * 1024;

/// What is wrong with a session description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SdpProblem {
    /// Longer than [`MAX_SDP_BYTES`].
    #[error("the session description is longer than {MAX_SDP_BYTES} bytes")]
    TooLong,
    /// It does not start with `v=0`.
    #[error("the session description does not start with v=0")]
    NotSdp,
    /// A byte that is neither printable ASCII nor a line break.
    #[error("the session description holds a byte that is not printable ASCII or a line break")]
    BadByte,
    /// No video line.
    #[error("the session description has no video (m=video)")]
    NoVideo,
}

/// Checks a session description's form before it is stored and relayed (its meaning is the peers').
pub fn check_sdp(sdp: &str) -> Result<(), SdpProblem> {
    if sdp.len() > MAX_SDP_BYTES {
        return Err(SdpProblem::TooLong);
    }
    if !sdp.starts_with("v=0") {
        return Err(SdpProblem::NotSdp);
    }
    if sdp
        .bytes()
        .any(|b| !(b == b'\r' || b == b'\n' || (0x20..0x7f).contains(&b)))
    {
        return Err(SdpProblem::BadByte);
    }
    if !sdp.lines().any(|line| line.starts_with("m=video ")) {
        return Err(SdpProblem::NoVideo);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::CallParty::{Desk, Reporter};
    use super::CallState::*;
    use super::*;

    #[test]
    fn a_call_moves_only_as_its_sides_may() {
        assert_eq!(Requested.join(), Ok(Ringing));
        assert!(Ringing.join().is_err(), "joined once");
        assert!(
            Requested.answer().is_err(),
            "nothing to answer before the desk's offer"
        );
        assert_eq!(Requested.moved_to(Ended, Reporter), Ok(Ended));
        assert_eq!(Requested.moved_to(Ended, Desk), Ok(Ended));
        assert!(Requested.moved_to(Connected, Desk).is_err());
        assert_eq!(Ringing.answer(), Ok(Answered));
        assert!(Answered.answer().is_err(), "answered once");
        assert_eq!(Ringing.moved_to(Declined, Reporter), Ok(Declined));
        assert!(Ringing.moved_to(Declined, Desk).is_err());
        assert_eq!(Ringing.moved_to(Unreachable, Desk), Ok(Unreachable));
        assert!(Ringing.moved_to(Unreachable, Reporter).is_err());
        assert!(Ringing.moved_to(Connected, Desk).is_err(), "not before an answer");
        assert_eq!(Answered.moved_to(Connected, Reporter), Ok(Connected));
        assert_eq!(Connected.moved_to(Failed, Desk), Ok(Failed));
        for state in CallState::ALL.into_iter().filter(|s| s.is_final()) {
            for to in CallState::ALL {
                assert!(state.moved_to(to, Desk).is_err() && state.moved_to(to, Reporter).is_err());
            }
            assert!(state.answer().is_err() && state.join().is_err());
        }
        assert!(CallState::ALL
            .into_iter()
            .all(|s| CallState::parse(s.code()) == Some(s)));
    }

    #[test]
    fn a_session_description_must_look_like_one() {
        let sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n";
        assert_eq!(check_sdp(sdp), Ok(()));
        assert_eq!(check_sdp("hello"), Err(SdpProblem::NotSdp));
        assert_eq!(check_sdp("v=0\r\nm=audio 9 x\r\n"), Err(SdpProblem::NoVideo));
        assert_eq!(check_sdp(&format!("{sdp}a=x\u{0}\r\n")), Err(SdpProblem::BadByte));
        assert_eq!(check_sdp(&format!("{sdp}a=é\r\n")), Err(SdpProblem::BadByte));
        assert_eq!(
            check_sdp(&format!("{sdp}{}", "a=x\r\n".repeat(4000))),
            Err(SdpProblem::TooLong)
        );
    }
}
