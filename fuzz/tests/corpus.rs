//! Every input of the committed corpus (`fuzz/corpus/<target>/`) and every reproducer of a crash the fuzzer
//! once found (`fuzz/regressions/<target>/`) through its target's check, on each `cargo test`: a decoder
//! change that brings back a fixed crash, or breaks an invariant on a known input, fails here without
//! libFuzzer. Each failure names its file.

use std::path::{Path, PathBuf};

fn inputs(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a readable corpus folder").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_committed_input_passes_its_targets_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut failures = Vec::new();
    for (name, check) in siaga_fuzz::TARGETS {
        let seeds = inputs(&root.join("corpus").join(name));
        assert!(!seeds.is_empty(), "fuzz/corpus/{name} has no seed inputs");
        for file in seeds.iter().chain(&inputs(&root.join("regressions").join(name))) {
            let bytes = std::fs::read(file).expect("a readable input");
            if std::panic::catch_unwind(|| check(&bytes)).is_err() {
                failures.push(file.strip_prefix(root).unwrap_or(file).display().to_string());
            }
        }
    }
    assert!(failures.is_empty(), "inputs that fail their check: {failures:#?}");
}

#[test]
fn every_target_has_its_fuzz_binary() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, _) in siaga_fuzz::TARGETS {
        let source = root.join("fuzz_targets").join(format!("{name}.rs"));
        let text = std::fs::read_to_string(&source).unwrap_or_default();
        assert!(
            text.contains(&format!("siaga_fuzz::{name}(")),
            "{} must hand libFuzzer's input to siaga_fuzz::{name}",
            source.display()
        );
    }
}
