//! Build script of the desk shell: lets tauri-build read `tauri.conf.json` and generate the ACL for the
//! app's own commands, records build facts that `app_info` reports, and embeds the map's assets (the
//! basemap archive, glyphs and sprite made by `tools/mapgen`, the styles in `assets/map`) for the `tiles://`
//! protocol.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    for (key, var) in [
        ("SIAGA_BUILD_TARGET", "TARGET"),
        ("SIAGA_BUILD_PROFILE", "PROFILE"),
    ] {
        let value = std::env::var(var).unwrap_or_else(|_| "unknown".to_owned());
        println!("cargo:rustc-env={key}={value}");
    }
    // The app embeds the built UI and the generated basemap; say what to run rather than fail deep inside
    // tauri-build (`cargo build`/`cargo test` at the root leave this crate out: it is not a default member).
    let root = manifest_dir().join("..");
    for (needed, made_by) in [
        ("ui/dist/index.html", "the wasm UI"),
        ("assets/generated/basemap.pmtiles", "the offline basemap"),
    ] {
        if !root.join(needed).exists() {
            panic!("siaga-app embeds {made_by}, and {needed} is missing: run `./dev build-ui` first");
        }
    }
    println!("cargo:rerun-if-changed=../crates/siaga-ipc/src/ipc_command_table.in");
    embed_map_assets();
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed: is ui/dist built? run ./dev build-ui");
}

// The app's own commands, each granted an `allow-<name>` permission: read from the one table that
// declares them (siaga-ipc's), included here so the build script needs no crate of ours.
include!("../crates/siaga-ipc/src/ipc_command_table.in");

macro_rules! command_names {
    ($($name:ident: $marker:ident($request:ty) -> $response:ty, $doc:literal;)*) => {
        &[$(stringify!($name)),*]
    };
}

/// Names of the app's own commands.
const COMMANDS: &[&str] = ipc_command_table!(command_names);

/// Writes `$OUT_DIR/map_assets.rs`: `BASEMAP`, `GLYPHS`, `SPRITE` and `STYLES` as `include_bytes!`/`include_str!`.
fn embed_map_assets() {
    let root = manifest_dir().join("..");
    let generated = root.join("assets/generated");
    let basemap = generated.join("basemap.pmtiles");
    assert!(
        basemap.exists(),
        "{} is missing: run ./dev build-ui (it runs tools/mapgen)",
        basemap.display()
    );
    let mut code = String::new();
    let mut watch = vec![basemap.clone(), generated.join("glyphs"), root.join("assets/map")];
    writeln!(
        code,
        "pub static BASEMAP: &[u8] = include_bytes!({:?});",
        absolute(&basemap)
    )
    .unwrap();

    code.push_str("pub static GLYPHS: &[(&str, &str, &[u8])] = &[\n");
    for stack in sorted_entries(&generated.join("glyphs")) {
        let stack_name = file_name(&stack);
        for range in sorted_entries(&stack) {
            let Some(range_name) = file_name(&range).strip_suffix(".pbf").map(str::to_owned) else {
                continue;
            };
            writeln!(
                code,
                "    ({stack_name:?}, {range_name:?}, include_bytes!({:?})),",
                absolute(&range)
            )
            .unwrap();
            watch.push(range);
        }
        watch.push(stack);
    }
    code.push_str("];\n");

    code.push_str("pub static SPRITE: &[(&str, &[u8])] = &[\n");
    let sprite = generated.join("sprite");
    for file in sorted_entries(&sprite) {
        writeln!(
            code,
            "    ({:?}, include_bytes!({:?})),",
            file_name(&file),
            absolute(&file)
        )
        .unwrap();
        watch.push(file);
    }
    watch.push(sprite);
    code.push_str("];\n");

    code.push_str("pub static STYLES: &[(&str, &str)] = &[\n");
    for style in sorted_entries(&root.join("assets/map")) {
        let Some(name) = file_name(&style).strip_suffix(".json").map(str::to_owned) else {
            continue;
        };
        writeln!(code, "    ({name:?}, include_str!({:?})),", absolute(&style)).unwrap();
        watch.push(style);
    }
    code.push_str("];\n");

    for path in watch {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("map_assets.rs");
    std::fs::write(out, code).expect("writing map_assets.rs");
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    entries.sort();
    entries
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .expect("a UTF-8 file name")
        .to_owned()
}

fn absolute(path: &Path) -> String {
    path.canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_str()
        .expect("a UTF-8 path")
        .to_owned()
}

/// This crate's folder, read when the script runs: one target dir serves every checkout on a machine,
/// so a path baked in at compile time (`env!`) could name another checkout.
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .expect("cargo sets CARGO_MANIFEST_DIR for build scripts")
}
