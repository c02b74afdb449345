//! Build script of the desk shell: lets tauri-build read `tauri.conf.json` and generate the ACL for the
//! app's own commands, and records build facts that `app_info` reports.

fn main() {
    for (key, var) in [
        ("SIAGA_BUILD_TARGET", "TARGET"),
        ("SIAGA_BUILD_PROFILE", "PROFILE"),
    ] {
        let value = std::env::var(var).unwrap_or_else(|_| "unknown".to_owned());
        println!("cargo:rustc-env={key}={value}");
    }
    let manifest = tauri_build::AppManifest::new().commands(&[siaga_commands::APP_INFO]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed: is ui/dist built? run ./dev build-ui");
}

/// Names of the app's own commands; each one gets an `allow-<name>` permission.
mod siaga_commands {
    pub const APP_INFO: &str = "app_info";
}
