//! `app_info`: who the running desk is (version and build facts), for the status bar and About panel.

use siaga_domain::Language;
use siaga_ipc::{AppInfo, AppInfoRequest};

/// Answers the UI with the build facts of this binary, the platform named in the UI's language.
#[tauri::command]
pub fn app_info(request: AppInfoRequest) -> AppInfo {
    build_info(request.language)
}

/// The build facts, independent of Tauri so they can be checked without a window.
pub fn build_info(language: Language) -> AppInfo {
    AppInfo {
        product_name: "Siaga 110".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        build_profile: env!("SIAGA_BUILD_PROFILE").to_owned(),
        target: env!("SIAGA_BUILD_TARGET").to_owned(),
        platform_label: siaga_desk::text::platform_label(std::env::consts::OS, language),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use siaga_ipc::{AppInfoCommand, IpcCommand};

    #[test]
    fn registered_name_matches_the_shared_constant() {
        // The UI invokes `AppInfoCommand::NAME`; the handler is registered under the function's name.
        assert_eq!(AppInfoCommand::NAME, stringify!(app_info));
    }

    #[test]
    fn reports_the_workspace_version_and_a_localised_platform() {
        let id = build_info(Language::Id);
        assert_eq!(id.version, env!("CARGO_PKG_VERSION"));
        assert!(
            id.platform_label.starts_with("Sistem operasi"),
            "{}",
            id.platform_label
        );
        let en = build_info(Language::En);
        assert!(
            en.platform_label.ends_with("operating system"),
            "{}",
            en.platform_label
        );
        assert!(!en.target.is_empty() && en.target != "unknown");
    }
}
