//! Keeping the desk's window alive on Linux, where the page runs in WebKitGTK's separate web process.
//!
//! - Without a GPU (a virtual machine, a remote desktop, Xvfb) WebKit composites the page with Mesa's software
//!   rasteriser in a compositor thread of the web process, which crashes now and then (`swrast_dri.so`, seen
//!   in the e2e suite while the map reloaded its style). On a computer without a GPU render node the shell asks
//!   WebKit not to composite with GL (`WEBKIT_DISABLE_COMPOSITING_MODE=1`); the map's WebGL still draws. An
//!   operator who sets the variable decides for themselves.
//! - Should the web process still end abnormally (a crash, the memory limit), the page is loaded again: the
//!   desk's state lives in the backend and its store, so the operator is back where they were, signed in,
//!   instead of in front of a blank window.

use std::path::Path;

/// The variable WebKitGTK reads to keep compositing off the GPU.
const COMPOSITING_OFF: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Whether `dri` (normally `/dev/dri`) holds a GPU render node (`renderD128`, …).
pub fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// Turns WebKit's GL compositing off on a computer without a GPU render node, unless the variable is set. Call
/// it first thing in `main`, before any thread starts (it changes the process's environment).
pub fn prefer_software_compositing_without_gpu() {
    if cfg!(target_os = "linux")
        && std::env::var_os(COMPOSITING_OFF).is_none()
        && !has_render_node(Path::new("/dev/dri"))
    {
        std::env::set_var(COMPOSITING_OFF, "1");
    }
}

/// Loads the page again whenever the window's web process crashes or exceeds its memory limit.
#[cfg(target_os = "linux")]
pub fn reload_after_a_crash(window: &tauri::WebviewWindow) {
    let _ = window.with_webview(|webview| {
        use webkit2gtk::{WebProcessTerminationReason, WebViewExt as _};
        webview.inner().connect_web_process_terminated(|view, reason| {
            if matches!(
                reason,
                WebProcessTerminationReason::Crashed | WebProcessTerminationReason::ExceededMemoryLimit
            ) {
                #[allow(clippy::print_stderr)] // the one trace of it: there is no log file besides stderr
                {
                    eprintln!("siaga: the window's web process ended ({reason:?}); loading the page again");
                }
                view.reload();
            }
        });
    });
}

/// Other platforms' webviews recover on their own.
#[cfg(not(target_os = "linux"))]
pub fn reload_after_a_crash(_window: &tauri::WebviewWindow) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_node_is_a_renderd_entry_of_dri() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!has_render_node(&dir.path().join("missing")));
        std::fs::write(dir.path().join("card0"), b"").unwrap();
        assert!(!has_render_node(dir.path()), "a card without a render node");
        std::fs::write(dir.path().join("renderD128"), b"").unwrap();
        assert!(has_render_node(dir.path()));
    }
}
