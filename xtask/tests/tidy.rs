//! Runs the tidy checks over the real repository, so `cargo test` fails on an undocumented module.

use std::path::Path;

#[test]
fn every_rust_module_starts_with_a_doc_line() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let problems = xtask::tidy::missing_module_docs(root).unwrap();
    assert!(
        problems.is_empty(),
        "undocumented modules:\n{}",
        problems.join("\n")
    );
}
