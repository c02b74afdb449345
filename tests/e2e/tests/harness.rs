//! The harness itself: a test that fails (and so drops its desk without closing it) leaves no driver,
//! WebKitWebDriver or app window behind to hold ports and CPU for the tests after it.

use anyhow::{bail, Result};
use siaga_e2e::{group_alive, Desk};
use std::time::{Duration, Instant};

/// The command names of the processes in process group `group`.
fn members(group: u32) -> Vec<String> {
    let out = std::process::Command::new("pgrep")
        .args(["-g", &group.to_string(), "-l"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    out.lines()
        .filter_map(|line| line.split_whitespace().nth(1).map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn a_desk_dropped_by_a_failing_test_leaves_no_process_behind() -> Result<()> {
    let desk = Desk::launch().await?;
    let group = desk.process_group();
    let running = members(group);
    for expected in ["tauri-driver", "WebKitWebDriver", "siaga"] {
        if !running.iter().any(|name| name.starts_with(expected)) {
            bail!("{expected} should run in the desk's process group, found {running:?}");
        }
    }
    // What a panicking test does: the desk goes out of scope without `close`.
    drop(desk);
    let deadline = Instant::now() + Duration::from_secs(10);
    while group_alive(group) {
        if Instant::now() > deadline {
            bail!("still running after the desk was dropped: {:?}", members(group));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}
