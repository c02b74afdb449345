//! The Panggilan Video page's IPC: the Polda's calls, ringing a reporter or joining a reporter's request, the
//! call's phase, hanging up, a still kept as evidence and an evidence picture shown, and the received frames as one binary answer (not JSON: `video_frames` answers
//! raw bytes in the layout [`encode_frames`] writes and [`decode_frames`] reads, which the webview hands to
//! WebCodecs).

use serde::{Deserialize, Serialize};
use siaga_domain::video::CallState;
use siaga_domain::{IncidentId, Language};

/// `video_calls`: the Polda's calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VideoCallsRequest {
    pub language: Language,
}

/// A call as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoCallInfo {
    pub call_id: String,
    pub incident_id: IncidentId,
    pub state: CallState,
    /// The account that rang, or the 110 app's account that asked.
    pub requested_by: String,
    pub reason: Option<String>,
    pub created_ms: i64,
    pub updated_ms: i64,
    /// Whether this desk is in the call.
    pub mine: bool,
}

/// `video_calls`' answer, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoCallsInfo {
    pub calls: Vec<VideoCallInfo>,
}

/// `video_ring`: ring an incident's reporter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VideoRingRequest {
    pub incident: IncidentId,
    pub language: Language,
}

/// `video_snapshot`: keep the reporter's video as the canvas shows it as evidence of the call's incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VideoSnapshotRequest {
    pub incident: IncidentId,
    pub call_id: String,
    /// The still, a `data:image/jpeg;base64,` URL.
    pub jpeg: String,
    pub language: Language,
}

/// `video_snapshot`'s answer: the kept picture's name (SHA-256, hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotKept {
    pub sha256: String,
}

/// `evidence_picture`: an evidence picture named in an incident's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EvidencePictureRequest {
    pub incident: IncidentId,
    pub sha256: String,
    pub language: Language,
}

/// `evidence_picture`'s answer: the picture as a `data:` URL for an `<img>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvidencePictureInfo {
    pub data_url: String,
}

/// `video_join`, `video_hang_up`, `video_phase`: which call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VideoCallRequest {
    pub call_id: String,
    pub language: Language,
}

/// `video_ring`'s and `video_join`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoCallStarted {
    pub call_id: String,
}

/// Where this desk's call stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VideoPhase {
    /// Waiting for the reporter to answer.
    Ringing,
    /// Answered; media is being set up.
    Connecting,
    /// Media flows.
    Connected,
    /// Over (see `state` and `reason`).
    Ended,
}

/// `video_phase`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoPhaseInfo {
    pub phase: VideoPhase,
    /// The call's final state, once ended.
    pub state: Option<CallState>,
    pub reason: Option<String>,
}

/// `video_frames`: the call's frames numbered after `after`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VideoFramesRequest {
    pub call_id: String,
    pub after: u64,
}

/// `video_frames`' answer as a type: raw bytes in the layout of [`encode_frames`] (the shell answers them as a
/// binary IPC response, an `ArrayBuffer` in the webview; the UI reads them with [`decode_frames`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VideoFramesBlob(pub Vec<u8>);

/// What a chunk of the call's media is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkKind {
    /// A VP8 frame of the reporter's video; its RTP time is at 90 kHz.
    Video {
        /// Whether it decodes alone.
        keyframe: bool,
    },
    /// An Opus packet of the reporter's voice (20 ms); its RTP time is at 48 kHz.
    Audio,
}

/// One received frame or audio packet in the binary answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameChunk {
    /// Its number in the call (from 1, in arrival order; video and audio counted together).
    pub seq: u64,
    pub kind: ChunkKind,
    /// Its RTP time (90 kHz for video, 48 kHz for audio).
    pub rtp_time: u64,
    /// The VP8 bitstream or the Opus packet.
    pub data: Vec<u8>,
}

/// Bytes of one chunk's header: seq (8), RTP time (8), flags (1: bit 0 key frame, bit 1 audio), length (4),
/// big-endian.
const HEADER: usize = 21;
const KEYFRAME: u8 = 1;
const AUDIO: u8 = 2;

/// The binary answer of `video_frames`: each chunk's header then its bytes.
pub fn encode_frames<'a>(chunks: impl IntoIterator<Item = (u64, ChunkKind, u64, &'a [u8])>) -> Vec<u8> {
    let mut out = Vec::new();
    for (seq, kind, rtp_time, data) in chunks {
        out.extend_from_slice(&seq.to_be_bytes());
        out.extend_from_slice(&rtp_time.to_be_bytes());
        out.push(match kind {
            ChunkKind::Video { keyframe } => u8::from(keyframe) * KEYFRAME,
            ChunkKind::Audio => AUDIO,
        });
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(data);
    }
    out
}

/// Reads [`encode_frames`]' bytes; a cut-off last chunk is left out.
pub fn decode_frames(mut bytes: &[u8]) -> Vec<FrameChunk> {
    let mut chunks = Vec::new();
    while bytes.len() >= HEADER {
        let number = |range: std::ops::Range<usize>| {
            let mut buf = [0u8; 8];
            buf[8 - range.len()..].copy_from_slice(&bytes[range]);
            u64::from_be_bytes(buf)
        };
        let (seq, rtp_time) = (number(0..8), number(8..16));
        let kind = if bytes[16] & AUDIO != 0 {
            ChunkKind::Audio
        } else {
            ChunkKind::Video {
                keyframe: bytes[16] & KEYFRAME != 0,
            }
        };
        let len = number(17..21) as usize;
        let Some(data) = bytes.get(HEADER..HEADER + len) else {
            break;
        };
        chunks.push(FrameChunk {
            seq,
            kind,
            rtp_time,
            data: data.to_vec(),
        });
        bytes = &bytes[HEADER + len..];
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_cross_the_bridge_whole_and_a_cut_one_is_dropped() {
        let bytes = encode_frames([
            (1, ChunkKind::Video { keyframe: true }, 0, &[1u8, 2, 3][..]),
            (2, ChunkKind::Video { keyframe: false }, 6000, &[][..]),
            (3, ChunkKind::Audio, 960, &[7u8; 80][..]),
            (4, ChunkKind::Video { keyframe: false }, 9000, &[9u8; 300][..]),
        ]);
        let chunks = decode_frames(&bytes);
        assert_eq!(chunks.len(), 4);
        assert_eq!(
            (chunks[0].seq, chunks[0].kind, chunks[0].data.as_slice()),
            (1, ChunkKind::Video { keyframe: true }, &[1u8, 2, 3][..])
        );
        assert_eq!((chunks[1].rtp_time, chunks[1].data.len()), (6000, 0));
        assert_eq!(
            (chunks[2].kind, chunks[2].rtp_time, chunks[2].data.len()),
            (ChunkKind::Audio, 960, 80)
        );
        assert_eq!(chunks[3].data, vec![9u8; 300]);
        assert_eq!(decode_frames(&bytes[..bytes.len() - 1]).len(), 3);
        assert!(decode_frames(&[]).is_empty());
        assert!(decode_frames(&[0u8; 20]).is_empty());
    }
}
