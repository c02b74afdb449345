//! Tauri IPC between the Leptos UI and the desk's Rust shell: one request type and one response type
//! per command, with the command's name beside them.
//!
//! A command is described by [`IpcCommand`]: the UI's `invoke` helper and the shell's handler both name
//! the same constant, so a rename cannot break one side silently.

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use siaga_domain::Language;

/// A Tauri command: its registered name and the types that cross the bridge.
pub trait IpcCommand {
    /// The name under which the shell registers the command (`#[tauri::command] fn <NAME>`).
    const NAME: &'static str;
    /// The arguments object the UI sends.
    type Request: Serialize + DeserializeOwned;
    /// What the shell answers on success.
    type Response: Serialize + DeserializeOwned;
}

/// Asks the shell who it is: version and build facts for the status bar and the About panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppInfoRequest {
    /// The language the UI is showing, so the answer's human-readable parts match it.
    pub language: Language,
}

/// The build facts of the running desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The product name as shown to users.
    pub product_name: String,
    /// Semantic version of the desk (the workspace version).
    pub version: String,
    /// `debug` or `release`.
    pub build_profile: String,
    /// The target triple the shell was built for, e.g. `x86_64-unknown-linux-gnu`.
    pub target: String,
    /// The operating system as a sentence in the requested language.
    pub platform_label: String,
}

/// `app_info`: [`AppInfoRequest`] → [`AppInfo`].
#[derive(Debug)]
pub enum AppInfoCommand {}

impl IpcCommand for AppInfoCommand {
    const NAME: &'static str = "app_info";
    type Request = AppInfoRequest;
    type Response = AppInfo;
}

/// A command's failure as the UI receives it: a stable code for logic and a message in the UI's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    /// Machine-readable reason, e.g. `invalid_request`.
    pub code: String,
    /// What to tell the user, already translated.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_uses_camel_case_and_rejects_unknown_fields() {
        let json = serde_json::to_value(AppInfoRequest {
            language: Language::En,
        })
        .unwrap();
        assert_eq!(json, serde_json::json!({ "language": "en" }));
        let err = serde_json::from_value::<AppInfoRequest>(serde_json::json!({ "language": "id", "x": 1 }));
        assert!(err.is_err(), "an unknown field must be refused");
    }

    #[test]
    fn app_info_round_trips_in_camel_case() {
        let info = AppInfo {
            product_name: "Siaga 110".into(),
            version: "0.1.0".into(),
            build_profile: "debug".into(),
            target: "x86_64-unknown-linux-gnu".into(),
            platform_label: "Linux".into(),
        };
        let json = serde_json::to_value(&info).unwrap();
        assert_eq!(json["productName"], "Siaga 110");
        assert_eq!(json["buildProfile"], "debug");
        assert_eq!(serde_json::from_value::<AppInfo>(json).unwrap(), info);
    }
}
