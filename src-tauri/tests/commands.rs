//! Every IPC command through the shell's real handler setup (`siaga_app::configure`, Tauri's mock runtime,
//! the real capability file): a valid request reaches its handler and the answer decodes as the command's
//! response type (or as an `IpcError` the UI can show); an invalid one is refused before any handler.
//! And the main window is granted exactly the commands of siaga-ipc's table (the generated `desk-commands` set).

use serde_json::{json, Value};
use siaga_app::configure;
use siaga_desk::{Desk, DeskConfig};
use siaga_ipc::*;
use std::sync::Arc;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::Manager;

const SOME_ID: &str = "01936b2e-6a5c-7d3e-9f10-2b3c4d5e6f70";

/// A request the command's handler must accept (the UI would send it), written as the UI sends it.
fn valid_request(name: &str) -> Value {
    match name {
        "app_info" | "streets_archive" | "choose_streets_archive" | "remove_streets_archive" => {
            json!({ "language": "en" })
        }
        "sign_in" => json!({ "username": "budi", "password": "bukan sandinya", "language": "en" }),
        "sign_out" | "sync_status" | "refusals" | "open_alerts" | "notification_prefs" | "queue_counts"
        | "legacy_numbers" | "supervisor_board" | "overdue_thresholds" | "analytics_cancel" => {
            json!({})
        }
        "report_incident" => json!({
            "description": "Penjambretan di halte", "category": null, "lat": -6.2, "lon": 106.82, "dialed": "112", "language": "en"
        }),
        "places" => json!({ "query": "kel menteng", "limit": 8 }),
        "number_history" => json!({ "number": "0812 3456 7890" }),
        "audit_log" => json!({ "language": "id" }),
        "set_overdue_thresholds" => json!({
            "thresholds": { "criticalSecs": 60, "highSecs": 180, "mediumSecs": 600, "lowSecs": 1800 }, "language": "en"
        }),
        "incidents" => json!({ "statuses": ["received"], "limit": 50 }),
        "act" => json!({
            "incidentId": SOME_ID, "change": { "type": "note_added", "text": "Pelaku dua orang" }, "language": "en"
        }),
        "mark_refusal_read" => json!({ "eventId": SOME_ID }),
        "map_incidents" => json!({ "statuses": [], "limit": 1000 }),
        "incident" | "incident_timeline" | "caller_history" | "duplicate_candidates" => {
            json!({ "id": SOME_ID, "language": "en" })
        }
        "kiosks" => json!({ "staleAfterSecs": 30 }),
        "set_notification_prefs" => json!({ "muted": ["fire"], "language": "en" }),
        "analytics" => json!({ "category": "theft", "periodDays": 30, "cellM": 250 }),
        "analytics_results_export" => json!({
            "analysis": { "category": null, "periodDays": 7, "cellM": 500 }, "mapPng": "", "language": "en"
        }),
        "research_export" => {
            json!({ "periodDays": 30, "k": 5, "cellM": 250, "rounding": "hour", "language": "en" })
        }
        "services" => json!({ "language": "id" }),
        "service_act" => json!({
            "id": SOME_ID, "action": "reject", "reason": "other", "note": "tidak datang",
            "expectedVersion": 3, "language": "en"
        }),
        "service_photo" | "service_letter_save" | "service_nik_reveal" => {
            json!({ "id": SOME_ID, "language": "en" })
        }
        "video_calls" => json!({ "language": "id" }),
        "video_ring" => json!({ "incident": SOME_ID, "language": "en" }),
        "video_join" | "video_phase" | "video_hang_up" => json!({ "callId": SOME_ID, "language": "en" }),
        "video_frames" => json!({ "callId": SOME_ID, "after": 0 }),
        "video_snapshot" => json!({
            "incident": SOME_ID, "callId": SOME_ID, "jpeg": "data:image/jpeg;base64,/9j/", "language": "id"
        }),
        "evidence_picture" => json!({ "incident": SOME_ID, "sha256": "00".repeat(32), "language": "en" }),
        "desk_setup" => json!({ "language": "id" }),
        // A form that breaks a rule (plain http to another computer): nothing is saved, so `restart_desk`
        // after it is refused rather than restarting the test.
        "check_central" | "save_desk_setup" => json!({
            "form": { "centralUrl": "http://10.0.0.2:8110", "fingerprint": "", "polda": "diy", "polres": 3404, "language": "id" },
            "language": "en"
        }),
        "restart_desk" => json!({}),
        // Nothing is offered to a desk that is not signed in: download and install are refused.
        "update_status" | "check_update" | "download_update" | "install_update" => {
            json!({ "language": "en" })
        }
        other => panic!("no valid request written for the command {other:?}: add one here"),
    }
}

fn invoke(
    webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    name: &str,
    body: Value,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: name.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("the app's origin"),
        body: InvokeBody::Json(body),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(webview, request).map(|answer| answer.deserialize::<Value>().expect("a JSON answer"))
}

/// Calls command `C` with its valid request and with a malformed one.
fn check<C: IpcCommand>(webview: &tauri::WebviewWindow<tauri::test::MockRuntime>) {
    let name = C::NAME;
    let request = valid_request(name);
    serde_json::from_value::<C::Request>(request.clone())
        .unwrap_or_else(|e| panic!("{name}: the test's request is not a {name} request: {e}"));
    match invoke(webview, name, json!({ "request": request })) {
        Ok(answer) => {
            serde_json::from_value::<C::Response>(answer.clone())
                .unwrap_or_else(|e| panic!("{name}: the answer {answer} is not its response type: {e}"));
        }
        Err(refusal) => {
            let error: IpcError = serde_json::from_value(refusal.clone()).unwrap_or_else(|e| {
                panic!("{name}: a valid request was refused before its handler: {refusal} ({e})")
            });
            assert!(
                !error.code.is_empty() && !error.message.is_empty(),
                "{name}: {error:?}"
            );
        }
    }
    let refusal = invoke(webview, name, json!({ "request": 42 }))
        .expect_err(&format!("{name}: a malformed request was accepted"));
    assert!(
        serde_json::from_value::<IpcError>(refusal.clone()).is_err(),
        "{name}: a malformed request reached the handler: {refusal}"
    );
}

macro_rules! check_every_command {
    ($($name:ident: $marker:ident($request:ty) -> $response:ty, $doc:literal;)*) => {
        fn check_every_command(webview: &tauri::WebviewWindow<tauri::test::MockRuntime>) -> usize {
            $( check::<$marker>(webview); )*
            [$(stringify!($name)),*].len()
        }
    };
}
siaga_ipc::ipc_command_table!(check_every_command);

#[test]
fn every_command_answers_a_valid_request_and_refuses_a_malformed_one() {
    let data = tempfile::tempdir().unwrap();
    let config = DeskConfig {
        data_dir: data.path().to_path_buf(),
        // Nothing listens here: commands that need the central answer with an error, as offline.
        central_url: "http://127.0.0.1:9".into(),
        central_trust: siaga_desk::CentralTrust::SystemRoots,
        update_platform: None,
        store_key: siaga_desk::store_key::KeyPlace::Files(data.path().join("keys")),
    };
    let desk = tauri::async_runtime::block_on(Desk::open(&config)).expect("a desk store");
    let setup = siaga_app::commands::SetupState {
        config_dir: data.path().join("config"),
        loaded: Err(siaga_desk::setup::SetupProblem::Missing),
        from_environment: false,
        saved: Default::default(),
    };
    // The file dialog answers with a file that is not there: the choice is refused like a missing file.
    let picker = siaga_app::file_dialog::FilePicker::answering(Some(data.path().join("missing.pmtiles")));
    let app = configure(mock_builder(), Arc::new(desk), setup, picker)
        .build(tauri::generate_context!())
        .expect("the app builds with the mock runtime");
    let webview = match app.get_webview_window("main") {
        Some(window) => window,
        None => tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("the main window"),
    };
    let checked = check_every_command(&webview);
    assert_eq!(checked, COMMAND_NAMES.len());
    // An unknown command is refused.
    assert!(invoke(&webview, "drop_database", json!({ "request": {} })).is_err());
}

#[test]
fn the_window_is_granted_exactly_the_declared_commands() {
    // Read at run time: the shared target dir may hold a test binary built from another checkout.
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let capability: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/capabilities/default.json")).unwrap())
            .unwrap();
    let granted: Vec<&str> = capability["permissions"]
        .as_array()
        .expect("a permissions list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        granted,
        [
            "desk-commands",
            "core:event:allow-listen",
            "core:event:allow-unlisten"
        ],
        "the main window gets the command set and listening to events, nothing else"
    );
    let set = std::fs::read_to_string(format!("{dir}/permissions/desk-commands.toml")).unwrap();
    let mut in_set: Vec<String> = set
        .lines()
        .filter_map(|line| line.trim().strip_prefix("\"allow-"))
        .map(|rest| rest.trim_end_matches([',', '"']).to_owned())
        .collect();
    in_set.sort();
    let mut declared: Vec<String> = COMMAND_NAMES.iter().map(|name| name.replace('_', "-")).collect();
    declared.sort();
    assert_eq!(
        in_set, declared,
        "permissions/desk-commands.toml must allow every command of siaga-ipc's table, and nothing else"
    );
}
