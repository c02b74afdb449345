//! The desk's sentences that are not errors, in the operator's language (decision 0010): the shell
//! passes facts in and shows what comes back, and writes no sentence of its own.

use siaga_domain::Language;

/// The operating system named as a sentence, e.g. "Sistem operasi Linux" / "Linux operating system".
/// `os` is Rust's `std::env::consts::OS` of the running binary.
pub fn platform_label(os: &str, language: Language) -> String {
    let name = match os {
        "linux" => "Linux",
        "windows" => "Windows",
        "macos" => "macOS",
        other => other,
    };
    match language {
        Language::Id => format!("Sistem operasi {name}"),
        Language::En => format!("{name} operating system"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_platform_is_named_in_each_language() {
        assert_eq!(platform_label("windows", Language::Id), "Sistem operasi Windows");
        assert_eq!(platform_label("linux", Language::En), "Linux operating system");
        assert_eq!(
            platform_label("freebsd", Language::En),
            "freebsd operating system"
        );
    }
}
