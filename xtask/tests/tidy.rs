//! Runs the tidy checks over the real repository, so `cargo test` fails on an undocumented module.

use std::path::Path;

#[test]
fn every_rust_module_starts_with_a_doc_line() {
    // Read at run time: the shared target dir may hold a test binary built from another checkout.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").unwrap();
    let root = Path::new(&manifest).parent().unwrap();
    let problems = xtask::tidy::missing_module_docs(root).unwrap();
    assert!(
        problems.is_empty(),
        "undocumented modules:\n{}",
        problems.join("\n")
    );
}
