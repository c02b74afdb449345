//! `video_calls`, `video_ring`, `video_join`, `video_phase`, `video_hang_up`, `video_frames`, `video_snapshot`,
//! `evidence_picture` (the incident timeline's too): the Panggilan Video page's calls into the desk's video and
//! evidence use cases. `video_frames` answers raw bytes (a binary IPC response), not
//! JSON.

use super::{ipc_error, DeskState};
use siaga_desk::video::CallPhase;
use siaga_ipc::{
    Empty, EvidencePictureInfo, EvidencePictureRequest, IpcError, SnapshotKept, VideoCallInfo,
    VideoCallRequest, VideoCallStarted, VideoCallsInfo, VideoCallsRequest, VideoFramesRequest, VideoPhase,
    VideoPhaseInfo, VideoRingRequest, VideoSnapshotRequest,
};
use tauri::State;

/// The Polda's calls at the central.
#[tauri::command]
pub async fn video_calls(
    desk: State<'_, DeskState>,
    request: VideoCallsRequest,
) -> Result<VideoCallsInfo, IpcError> {
    let calls = desk
        .0
        .video_calls()
        .await
        .map_err(|e| ipc_error(&e, request.language))?;
    Ok(VideoCallsInfo {
        calls: calls
            .into_iter()
            .filter_map(|call| {
                Some(VideoCallInfo {
                    mine: desk.0.call_phase(&call.call_id).is_some(),
                    incident_id: siaga_domain::IncidentId(call.incident_id.parse().ok()?),
                    call_id: call.call_id,
                    state: call.state,
                    requested_by: call.requested_by,
                    reason: call.reason,
                    created_ms: call.created_ms,
                    updated_ms: call.updated_ms,
                })
            })
            .collect(),
    })
}

/// Rings an incident's reporter.
#[tauri::command]
pub async fn video_ring(
    desk: State<'_, DeskState>,
    request: VideoRingRequest,
) -> Result<VideoCallStarted, IpcError> {
    let call_id = desk
        .0
        .ring_reporter(request.incident)
        .await
        .map_err(|e| ipc_error(&e, request.language))?;
    Ok(VideoCallStarted { call_id })
}

/// Joins a call a reporter asked for.
#[tauri::command]
pub async fn video_join(
    desk: State<'_, DeskState>,
    request: VideoCallRequest,
) -> Result<VideoCallStarted, IpcError> {
    let call_id = desk
        .0
        .join_call(&request.call_id)
        .await
        .map_err(|e| ipc_error(&e, request.language))?;
    Ok(VideoCallStarted { call_id })
}

/// Where this desk's call stands.
#[tauri::command]
pub fn video_phase(
    desk: State<'_, DeskState>,
    request: VideoCallRequest,
) -> Result<VideoPhaseInfo, IpcError> {
    let phase = desk.0.call_phase(&request.call_id).ok_or_else(|| IpcError {
        code: "not_found".into(),
        message: match request.language {
            siaga_domain::Language::Id => "Panggilan ini bukan panggilan meja ini.".into(),
            siaga_domain::Language::En => "This call is not one of this desk's.".into(),
        },
    })?;
    let now = phase.borrow().clone();
    Ok(match now {
        CallPhase::Ringing => VideoPhaseInfo {
            phase: VideoPhase::Ringing,
            state: None,
            reason: None,
        },
        CallPhase::Connecting => VideoPhaseInfo {
            phase: VideoPhase::Connecting,
            state: None,
            reason: None,
        },
        CallPhase::Connected => VideoPhaseInfo {
            phase: VideoPhase::Connected,
            state: None,
            reason: None,
        },
        CallPhase::Ended(state, reason) => VideoPhaseInfo {
            phase: VideoPhase::Ended,
            state: Some(state),
            reason: Some(reason).filter(|r| !r.is_empty()),
        },
    })
}

/// Keeps the still the page made of its canvas as evidence of the call's incident.
#[tauri::command]
pub async fn video_snapshot(
    desk: State<'_, DeskState>,
    request: VideoSnapshotRequest,
) -> Result<SnapshotKept, IpcError> {
    let kept = async {
        let jpeg = siaga_desk::evidence::jpeg_from_data_url(&request.jpeg)?;
        desk.0
            .keep_snapshot(request.incident, &request.call_id, &jpeg)
            .await
    };
    let digest = kept.await.map_err(|e| ipc_error(&e, request.language))?;
    Ok(SnapshotKept {
        sha256: digest.to_string(),
    })
}

/// An evidence picture named in an incident's timeline.
#[tauri::command]
pub async fn evidence_picture(
    desk: State<'_, DeskState>,
    request: EvidencePictureRequest,
) -> Result<EvidencePictureInfo, IpcError> {
    let picture = async {
        let digest = siaga_desk::evidence::digest_named(&request.sha256)?;
        desk.0.evidence_picture(request.incident, &digest).await
    };
    let picture = picture.await.map_err(|e| ipc_error(&e, request.language))?;
    Ok(EvidencePictureInfo {
        data_url: picture.data_url(),
    })
}

/// Hangs up this desk's call.
#[tauri::command]
pub fn video_hang_up(desk: State<'_, DeskState>, request: VideoCallRequest) -> Empty {
    desk.0.hang_up(&request.call_id);
    Empty {}
}

/// The call's frames after a number, as raw bytes for the webview's decoder.
#[tauri::command]
pub fn video_frames(desk: State<'_, DeskState>, request: VideoFramesRequest) -> tauri::ipc::Response {
    let frames = desk.0.call_frames_after(&request.call_id, request.after);
    tauri::ipc::Response::new(siaga_ipc::encode_frames(
        frames
            .iter()
            .map(|(seq, f)| (*seq, f.kind, f.rtp_time, &f.data[..])),
    ))
}
