//! The Windows installer made on this Debian machine (decision 0021): `./dev test` cross-builds the desk and
//! makes its NSIS installer with `makensis` (uncompressed, from the debug build); `./dev bundle-windows` makes the
//! release one. Read with 7-Zip, it must hold the desk (a 64-bit Windows program), the WebView2 loader it needs
//! beside it, the licence, the icon and the uninstaller, and nothing of this machine.
//!
//! The installer is `SIAGA_WINDOWS_INSTALLER`, else the one `./dev test` made under the shared target folder.

use anyhow::{bail, ensure, Context, Result};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn installer() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("SIAGA_WINDOWS_INSTALLER") {
        return Ok(PathBuf::from(path));
    }
    let app = PathBuf::from(
        std::env::var_os("SIAGA_APP_BIN")
            .context("SIAGA_APP_BIN must name the siaga binary (./dev test sets it)")?,
    );
    // <target>/debug/siaga → <target>/x86_64-pc-windows-gnu/debug/bundle/nsis/
    let target = app
        .parent()
        .and_then(Path::parent)
        .context("SIAGA_APP_BIN is not in a target folder")?;
    let dir = target.join("x86_64-pc-windows-gnu/debug/bundle/nsis");
    let found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| {
            format!(
                "no {} (./dev test makes the Windows installer first)",
                dir.display()
            )
        })?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().and_then(|e| e.to_str()) == Some("exe"))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => bail!("no installer in {}", dir.display()),
        _ => bail!("more than one installer in {}: {found:?}", dir.display()),
    }
}

/// The files 7-Zip lists in the installer.
fn listed(installer: &Path) -> Result<BTreeSet<String>> {
    let out = Command::new("7z")
        .args(["l", "-slt", "-ba"])
        .arg(installer)
        .output()
        .context("running 7z (./dev setup installs p7zip-full)")?;
    ensure!(
        out.status.success(),
        "7z could not read {}: {}",
        installer.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.strip_prefix("Path = "))
        .map(str::to_owned)
        .collect())
}

/// The machine a PE file is built for (`0x8664`: x86-64), and whether it is PE32+.
fn pe_machine(bytes: &[u8]) -> Option<(u16, bool)> {
    if bytes.get(..2)? != b"MZ" {
        return None;
    }
    let at = u32::from_le_bytes(bytes.get(0x3c..0x40)?.try_into().ok()?) as usize;
    if bytes.get(at..at + 4)? != b"PE\0\0" {
        return None;
    }
    let machine = u16::from_le_bytes(bytes.get(at + 4..at + 6)?.try_into().ok()?);
    let magic = u16::from_le_bytes(bytes.get(at + 24..at + 26)?.try_into().ok()?);
    Some((machine, magic == 0x20b))
}

#[test]
fn the_windows_installer_holds_the_desk_its_webview_loader_and_an_uninstaller() -> Result<()> {
    let installer = installer()?;
    let bytes = std::fs::read(&installer)?;
    ensure!(
        pe_machine(&bytes).is_some(),
        "the installer is not a Windows program"
    );

    let files = listed(&installer)?;
    let ours: BTreeSet<&str> = files
        .iter()
        .map(String::as_str)
        .filter(|name| !name.starts_with("$PLUGINSDIR"))
        .collect();
    assert_eq!(
        ours,
        BTreeSet::from([
            "siaga.exe",
            "WebView2Loader.dll",
            "LICENSE.txt",
            "icon.ico",
            "uninstall.exe"
        ]),
        "the installer's own files (NSIS's plugins aside)"
    );
    // The WebView2 runtime's installer is carried only when a Polda supplied it (decision 0021).
    let carries_webview2 = files.iter().any(|name| name.contains("webview2-installer"));
    let supplied = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../packaging/windows/webview2/MicrosoftEdgeWebView2RuntimeInstallerX64.exe")
        .exists();
    assert_eq!(carries_webview2, supplied);

    let out = tempfile::tempdir()?;
    let status = Command::new("7z")
        .args(["e", "-y", "-bso0"])
        .arg(format!("-o{}", out.path().display()))
        .arg(&installer)
        .args(["siaga.exe", "LICENSE.txt"])
        .status()?;
    ensure!(status.success(), "7z could not extract the desk");
    let desk = std::fs::read(out.path().join("siaga.exe"))?;
    assert_eq!(
        pe_machine(&desk),
        Some((0x8664, true)),
        "the desk is a 64-bit Windows program (PE32+, x86-64)"
    );
    let licence = std::fs::read_to_string(out.path().join("LICENSE.txt"))?;
    ensure!(
        licence.contains("Apache License") && licence.contains("Version 2.0"),
        "the licence page is Apache-2.0"
    );
    Ok(())
}
