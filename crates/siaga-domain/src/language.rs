//! The languages Siaga speaks to its users: Bahasa Indonesia first, English second.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A user-interface language. Indonesian is the default everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Bahasa Indonesia (BCP 47 `id`).
    #[default]
    Id,
    /// English (BCP 47 `en`).
    En,
}

impl Language {
    /// Every supported language, default first.
    pub const ALL: [Language; 2] = [Language::Id, Language::En];

    /// The BCP 47 tag, as used in `<html lang>` and stored settings.
    pub fn tag(self) -> &'static str {
        match self {
            Language::Id => "id",
            Language::En => "en",
        }
    }

    /// The language's own name for itself, as shown in a language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::Id => "Bahasa Indonesia",
            Language::En => "English",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A language tag Siaga does not speak.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported language tag {0:?} (expected \"id\" or \"en\")")]
pub struct UnsupportedLanguage(pub String);

impl FromStr for Language {
    type Err = UnsupportedLanguage;

    /// Accepts a BCP 47 tag, ignoring case and any region (`id-ID`, `en-GB`).
    fn from_str(tag: &str) -> Result<Self, Self::Err> {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "id" | "in" => Ok(Language::Id),
            "en" => Ok(Language::En),
            _ => Err(UnsupportedLanguage(tag.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(tag: &str, expect: Option<Language>) {
        assert_eq!(tag.parse::<Language>().ok(), expect, "tag {tag:?}");
    }

    #[test]
    fn parses_tags_with_regions_and_case() {
        check("id", Some(Language::Id));
        check("id-ID", Some(Language::Id));
        check("in", Some(Language::Id)); // the deprecated ISO 639 code older systems still send
        check("EN", Some(Language::En));
        check("en_GB", Some(Language::En));
        check("jv", None);
        check("", None);
    }

    #[test]
    fn default_is_indonesian_and_tags_round_trip() {
        assert_eq!(Language::default(), Language::Id);
        for lang in Language::ALL {
            assert_eq!(lang.tag().parse::<Language>(), Ok(lang));
        }
    }
}
