//! The desk as a field office gets it: the `.deb` the test command bundles is installed into this machine
//! with dpkg, the *installed* `/usr/bin/siaga` is started under Xvfb and opens on its first-run setup screen, its desktop
//! entry and icon are checked as a desktop would read them, its data lands in the user's data folder, and the
//! package is removed again, leaving none of its files behind (the user's data stays, as with any package).
//! The `.rpm` built beside it is read with `rpm -qlp`: the same files, the same dependencies.
//!
//! The packages come from `SIAGA_DEB` / `SIAGA_RPM`, else from `bundle/` beside `SIAGA_APP_BIN` (where
//! `./dev test` has `tauri bundle --debug` put them).

use anyhow::{bail, ensure, Context, Result};
use siaga_e2e::Desk;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The package's name (Tauri derives it from the product name).
const PACKAGE: &str = "siaga-110";
/// Where the package puts the desk.
const INSTALLED_BIN: &str = "/usr/bin/siaga";
/// The desktop entry the package installs.
const DESKTOP_ENTRY: &str = "/usr/share/applications/Siaga 110.desktop";

#[tokio::test(flavor = "current_thread")]
async fn the_installed_deb_opens_its_window_and_uninstalls_cleanly() -> Result<()> {
    let deb = package_file("SIAGA_DEB", "deb")?;
    let field = |name: &str| -> Result<String> {
        Ok(output("dpkg-deb", &["-f", path_str(&deb)?, name])?
            .trim()
            .to_owned())
    };
    assert_eq!(field("Package")?, PACKAGE);
    let depends = field("Depends")?;
    // GStreamer's plugins decode the call's VP8 (good) and Opus (base) for the webview's WebCodecs.
    for library in [
        "libwebkit2gtk-4.1-0",
        "libgtk-3-0",
        "libssl3",
        "gstreamer1.0-plugins-base",
        "gstreamer1.0-plugins-good",
    ] {
        ensure!(
            depends.contains(library),
            "the .deb must depend on {library}: {depends}"
        );
    }

    // A package left by an earlier failed run is replaced, as an upgrade would.
    as_root("dpkg", &["-i", path_str(&deb)?])?;
    let installed = Installed;
    let files: Vec<PathBuf> = output("dpkg", &["-L", PACKAGE])?
        .lines()
        .map(PathBuf::from)
        .filter(|path| path.is_file())
        .collect();
    for expected in [INSTALLED_BIN, DESKTOP_ENTRY] {
        ensure!(
            files.iter().any(|file| file == Path::new(expected)),
            "{PACKAGE} does not install {expected}: {files:?}"
        );
    }
    assert_eq!(
        output("dpkg", &["-S", INSTALLED_BIN])?.split(':').next(),
        Some(PACKAGE),
        "/usr/bin/siaga belongs to the package"
    );

    // The desktop entry as a menu reads it: valid, starting the installed desk, with an icon that exists.
    run("desktop-file-validate", &[DESKTOP_ENTRY])?;
    let entry = std::fs::read_to_string(DESKTOP_ENTRY)?;
    let key = |name: &str| {
        entry
            .lines()
            .find_map(|line| line.strip_prefix(&format!("{name}=")))
            .map(str::to_owned)
    };
    let exec = key("Exec").context("no Exec= in the desktop entry")?;
    let program = exec.split_whitespace().next().unwrap_or_default();
    ensure!(
        program == INSTALLED_BIN || which(program).as_deref() == Some(Path::new(INSTALLED_BIN)),
        "the menu entry starts {exec:?}, not the installed desk"
    );
    assert_eq!(key("Name").as_deref(), Some("Siaga 110"));
    let icon = key("Icon").context("no Icon= in the desktop entry")?;
    let icons: Vec<&PathBuf> = files
        .iter()
        .filter(|file| {
            file.starts_with("/usr/share/icons/hicolor")
                && file.file_stem().and_then(|stem| stem.to_str()) == Some(icon.as_str())
        })
        .collect();
    ensure!(
        icons
            .iter()
            .any(|file| file.to_string_lossy().contains("/128x128/")),
        "no 128×128 {icon} icon in the hicolor theme: {icons:?}"
    );

    // The installed desk itself, as a field office first meets it: no setup yet, so the setup screen; its
    // store goes to the user's data folder (no SIAGA_DATA_DIR).
    let desk = Desk::launch_first_run(Path::new(INSTALLED_BIN), &[]).await?;
    assert_eq!(desk.text("#setup-title").await?, "Pengaturan desk Siaga 110");
    let store = desk.xdg_data_home().join("siaga-110").join("desk.sqlite");
    ensure!(
        store.is_file(),
        "the installed desk keeps no store at {}",
        store.display()
    );
    desk.screenshot("installed-deb-first-run").await?;
    let windows = output("xdotool", &["search", "--name", "Siaga 110 — Pusat Komando"])?;
    ensure!(!windows.trim().is_empty(), "no window titled as the desk's");
    desk.close().await?;

    drop(installed); // dpkg -r
    let status = Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", PACKAGE])
        .output()?;
    let status = String::from_utf8_lossy(&status.stdout);
    ensure!(
        !status.contains("install ok installed"),
        "{PACKAGE} is still installed: {status}"
    );
    let left: Vec<&PathBuf> = files.iter().filter(|file| file.exists()).collect();
    ensure!(left.is_empty(), "removing {PACKAGE} left files behind: {left:?}");
    Ok(())
}

#[test]
fn the_rpm_holds_the_same_files_and_needs_the_same_libraries() -> Result<()> {
    let deb = package_file("SIAGA_DEB", "deb")?;
    let rpm = package_file("SIAGA_RPM", "rpm")?;
    let deb_files: BTreeSet<String> = output("dpkg-deb", &["-c", path_str(&deb)?])?
        .lines()
        .filter(|line| !line.starts_with('d')) // directories
        .filter_map(listed_path)
        .map(|path| format!("/{}", path.trim_start_matches("./")))
        .collect();
    let rpm_files: BTreeSet<String> = output("rpm", &["-qlp", path_str(&rpm)?])?
        .lines()
        .map(str::to_owned)
        .collect();
    ensure!(!deb_files.is_empty(), "the .deb lists no files");
    assert_eq!(
        rpm_files, deb_files,
        "the .rpm and the .deb install different files"
    );
    let name = output("rpm", &["-qp", "--queryformat", "%{NAME}", path_str(&rpm)?])?;
    assert_eq!(name.trim(), PACKAGE);
    let requires = output("rpm", &["-qpR", path_str(&rpm)?])?;
    for library in [
        "libwebkit2gtk-4.1.so.0",
        "libgtk-3.so.0",
        "openssl-libs",
        "dbus-libs",
        "gstreamer1-plugins-good",
    ] {
        ensure!(
            requires.contains(library),
            "the .rpm must require {library}: {requires}"
        );
    }
    Ok(())
}

/// The package is removed when this goes, however the test ends.
struct Installed;

impl Drop for Installed {
    fn drop(&mut self) {
        if let Err(error) = as_root("dpkg", &["-r", PACKAGE]) {
            #[allow(clippy::print_stderr)] // a drop cannot fail the test; the caller checks what is left
            {
                eprintln!("removing {PACKAGE}: {error:#}");
            }
        }
    }
}

/// The package of `kind` (`deb`, `rpm`): named by `variable`, else the one `tauri bundle --debug` put
/// beside the desk binary.
fn package_file(variable: &str, kind: &str) -> Result<PathBuf> {
    if let Some(path) = std::env::var_os(variable) {
        return Ok(PathBuf::from(path));
    }
    let app = std::env::var_os("SIAGA_APP_BIN")
        .context("SIAGA_APP_BIN must name the siaga binary (./dev test sets it)")?;
    let dir = Path::new(&app)
        .parent()
        .context("SIAGA_APP_BIN has no folder")?
        .join("bundle")
        .join(kind);
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| {
            format!(
                "no {} (bundle the desk first: `tauri bundle --debug --bundles deb,rpm`, as ./dev test does)",
                dir.display()
            )
        })?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().and_then(|ext| ext.to_str()) == Some(kind))
        .collect();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => bail!("no .{kind} in {}", dir.display()),
        _ => bail!(
            "more than one .{kind} in {}: {found:?}; name one in {variable}",
            dir.display()
        ),
    }
}

/// The path of one line of `dpkg-deb -c` (`-rw-r--r-- 0/0 168 2026-12-04 23:01 ./usr/share/…`; a path may
/// hold spaces): what follows the fifth field.
fn listed_path(line: &str) -> Option<&str> {
    let mut rest = line;
    for _ in 0..5 {
        rest = rest.trim_start();
        rest = &rest[rest.find(char::is_whitespace)?..];
    }
    Some(rest.trim_start())
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str().context("a package path that is not UTF-8")
}

/// Runs a command as root: directly when the test is root (CI), else through `sudo -n`.
fn as_root(program: &str, args: &[&str]) -> Result<()> {
    let is_root = output("id", &["-u"])?.trim() == "0";
    if is_root {
        run(program, args)
    } else {
        let mut with_sudo = vec!["-n", program];
        with_sudo.extend_from_slice(args);
        run("sudo", &with_sudo)
    }
}

fn run(program: &str, args: &[&str]) -> Result<()> {
    output(program, args).map(drop)
}

/// A command's standard output; its failure (with what it said) is an error.
fn output(program: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(program)
        .args(args)
        .output()
        .with_context(|| format!("running {program}"))?;
    if !out.status.success() {
        bail!(
            "{program} {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Where `program` is found on PATH.
fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|candidate| candidate.is_file())
    })
}
