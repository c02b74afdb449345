//! Keeping the desk's window alive on Linux, where the page runs in WebKitGTK's separate web process: should that
//! process end abnormally (a crash — Mesa's software rasteriser crashed WebKit's compositor thread now and then
//! under Xvfb —, its memory limit), the page is loaded again. The desk's state lives in the backend and its store,
//! so the operator is back at work, signed in, instead of in front of a blank window.
//!
//! Turning GL compositing off (`WEBKIT_DISABLE_COMPOSITING_MODE=1`) avoids that crash, but was measured to make the
//! map show a kiosk alert's red marker after 5.9 s instead of 0.17 s (`tests/e2e/tests/alerts.rs`): the shell
//! leaves WebKit's default alone (docs/toolchain.md).

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
