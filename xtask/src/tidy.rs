//! Tidy: every Rust source file of ours opens with a `//!` module doc, so the next engineer learns what a
//! file is for before reading it.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Folders of the repository that hold our Rust code.
const SOURCE_ROOTS: &[&str] = &["crates", "src-tauri", "ui", "tests", "xtask"];
/// Folders never searched: build outputs and installed packages.
const SKIPPED_DIRS: &[&str] = &["target", "node_modules", "dist", "gen"];

/// Every `.rs` file under the source roots whose first line is not a `//!` doc line.
pub fn missing_module_docs(root: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    for dir in SOURCE_ROOTS {
        collect_rust_files(&root.join(dir), &mut files)?;
    }
    let mut problems = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
        if !starts_with_module_doc(&text) {
            let shown = file.strip_prefix(root).unwrap_or(&file).display().to_string();
            problems.push(format!(
                "{shown}: the first line must be a `//!` line saying what the module is for"
            ));
        }
    }
    Ok(problems)
}

/// True when the first line of a file is a `//!` doc comment.
pub fn starts_with_module_doc(text: &str) -> bool {
    text.lines().next().is_some_and(|line| line.starts_with("//!"))
}

fn collect_rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if path.is_dir() {
            if !SKIPPED_DIRS.contains(&name) && !name.starts_with('.') {
                collect_rust_files(&path, out)?;
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_doc_must_be_the_first_line() {
        assert!(starts_with_module_doc("//! What this is.\nfn main() {}"));
        assert!(!starts_with_module_doc("/// An item doc.\nfn main() {}"));
        assert!(!starts_with_module_doc("\n//! Too late.\n"));
        assert!(!starts_with_module_doc("use std::io;\n"));
        assert!(!starts_with_module_doc(""));
    }
}
