//! The letter a request ends in: its number (one series per Polres, kind and year, never repeating or
//! skipping: the central hands out the sequence), its date written in Indonesian, an SKCK's validity
//! (six months), the issuing officer, and [`LetterContent::canonical`], the exact bytes the central signs
//! and a verifier checks.

use super::iso_date::format as iso;
use super::{LostItem, ServiceKind, SkckPurpose};
use crate::polda::PolresId;
use crate::Language;
use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// How long an SKCK is valid, in months.
pub const SKCK_VALID_MONTHS: u8 = 6;

const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

const ROMAN: [&str; 12] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
];

/// A date as an Indonesian letter writes it: `4 Desember 2026`.
pub fn indonesian_date(date: Date) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MONTHS_ID[usize::from(date.month() as u8 - 1)],
        date.year()
    )
}

/// The month in Roman numerals, as letter numbers carry it (`XII`).
pub fn roman_month(month: Month) -> &'static str {
    ROMAN[usize::from(month as u8 - 1)]
}

/// The last day an SKCK issued on `issued` is valid: six months on, the day before (a letter of
/// 31 August is valid to 27 February, or 28 in a leap year).
pub fn skck_valid_until(issued: Date) -> Date {
    let months = u32::from(issued.month() as u8 - 1) + u32::from(SKCK_VALID_MONTHS);
    let year = issued.year() + (months / 12) as i32;
    let month = Month::try_from((months % 12) as u8 + 1).expect("1..=12");
    let last_day = time::util::days_in_month(month, year);
    let same_day = Date::from_calendar_date(year, month, issued.day().min(last_day)).expect("valid day");
    if issued.day() > last_day {
        same_day
    } else {
        same_day.previous_day().expect("not the first date")
    }
}

/// A letter's number in its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LetterNumber {
    /// Which letter.
    pub kind: ServiceKind,
    /// The issuing Polres.
    pub polres: PolresId,
    /// The year of issue (in the Polres's zone).
    pub year: i32,
    /// The month of issue (printed in Roman numerals).
    pub month: u8,
    /// The place in the Polres's series for the kind and year, from 1.
    pub sequence: u32,
}

impl LetterNumber {
    /// The number as printed: `SKCK/0042/XII/2026/INTELKAM/RES.3471` or
    /// `STPLK/0007/XII/2026/SPKT/RES.3471` (the regency code names the Polres unambiguously).
    pub fn printed(&self) -> String {
        let month = Month::try_from(self.month).map_or("?", roman_month);
        let (prefix, unit) = match self.kind {
            ServiceKind::Skck => ("SKCK", "INTELKAM"),
            ServiceKind::LossReport => ("STPLK", "SPKT"),
        };
        format!(
            "{prefix}/{:04}/{month}/{}/{unit}/RES.{}",
            self.sequence,
            self.year,
            self.polres.0.digits()
        )
    }
}

/// The officer who signs a letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Officer {
    /// Full name.
    pub name: String,
    /// Rank, e.g. `AIPTU`, `IPDA`, `AKP`.
    pub rank: String,
    /// NRP (Nomor Registrasi Pokok), 8 digits.
    pub nrp: String,
}

/// Polri ranks from brigadir to komisaris besar: those who sign letters at a Polres.
pub const RANKS: &[&str] = &[
    "BRIPDA",
    "BRIPTU",
    "BRIGPOL",
    "BRIPKA",
    "AIPDA",
    "AIPTU",
    "IPDA",
    "IPTU",
    "AKP",
    "KOMPOL",
    "AKBP",
    "KOMBES POL",
];

impl Officer {
    /// Why the officer's details cannot go on a letter, if they cannot.
    pub fn problem(&self, language: Language) -> Option<String> {
        let id = language == Language::Id;
        let name = self.name.trim();
        if name.chars().count() < 2
            || name.chars().count() > 80
            || !name
                .chars()
                .all(|c| c.is_alphabetic() && (c as u32) < 0x100 || matches!(c, ' ' | '.' | '\'' | '-' | ','))
        {
            return Some(if id {
                "Nama petugas harus 2–80 huruf Latin.".into()
            } else {
                "The officer's name must be 2–80 Latin letters.".into()
            });
        }
        if !RANKS.contains(&self.rank.as_str()) {
            return Some(if id {
                format!("Pangkat tidak dikenal; salah satu dari: {}.", RANKS.join(", "))
            } else {
                format!("Unknown rank; one of: {}.", RANKS.join(", "))
            });
        }
        if self.nrp.len() != 8 || !self.nrp.bytes().all(|b| b.is_ascii_digit()) {
            return Some(if id {
                "NRP terdiri dari 8 angka.".into()
            } else {
                "An NRP has 8 digits.".into()
            });
        }
        None
    }
}

/// Everything a letter states: what is printed and what is signed (its one serialised form is
/// [`LetterContent::canonical`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterContent {
    /// The letter's id (in its verification URL).
    pub letter_id: String,
    /// The request it answers.
    pub request_id: String,
    /// Its number.
    pub number: LetterNumber,
    /// The issuing Polres's name.
    pub polres_name: String,
    /// Its Polda's name.
    pub polda_name: String,
    /// The holder's full name.
    pub full_name: String,
    /// The holder's NIK (16 digits).
    pub nik: String,
    /// Sex, as the NIK encodes it.
    pub sex: crate::nik::Sex,
    /// Place of birth.
    pub birth_place: String,
    /// Date of birth.
    pub birth_date: Date,
    /// Address.
    pub address: String,
    /// An SKCK's purpose (and note).
    pub purpose: Option<(SkckPurpose, Option<String>)>,
    /// A report of loss: what, where, when and the chronology.
    pub loss: Option<(Vec<LostItem>, String, Date, String)>,
    /// The day of issue (in the Polres's zone).
    pub issued_on: Date,
    /// The last day an SKCK is valid.
    pub valid_until: Option<Date>,
    /// The city where it is signed (the Polres's regency).
    pub place: String,
    /// Who signs it.
    pub officer: Officer,
    /// The SHA-256 of the photo printed on it, hex (an SKCK).
    pub photo_sha256: Option<String>,
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n")
}

impl LetterContent {
    /// The canonical form the central signs: `siaga-letter/1` then one `key=value` line per field in a
    /// fixed order, values with `\` and newlines escaped, dates as ISO 8601. Two letters with the same
    /// content have the same bytes; any change to what is printed changes them.
    pub fn canonical(&self) -> Vec<u8> {
        let mut lines = vec![
            "siaga-letter/1".to_owned(),
            format!("letter_id={}", escape(&self.letter_id)),
            format!("request_id={}", escape(&self.request_id)),
            format!("kind={}", self.number.kind.code()),
            format!("number={}", self.number.printed()),
            format!("polres={}", self.number.polres.0.digits()),
            format!("polres_name={}", escape(&self.polres_name)),
            format!("polda_name={}", escape(&self.polda_name)),
            format!("full_name={}", escape(&self.full_name)),
            format!("nik={}", escape(&self.nik)),
            format!(
                "sex={}",
                match self.sex {
                    crate::nik::Sex::Male => "male",
                    crate::nik::Sex::Female => "female",
                }
            ),
            format!("birth_place={}", escape(&self.birth_place)),
            format!("birth_date={}", iso(self.birth_date)),
            format!("address={}", escape(&self.address)),
        ];
        if let Some((purpose, note)) = &self.purpose {
            lines.push(format!("purpose={}", purpose.label(Language::Id)));
            lines.push(format!("purpose_note={}", escape(note.as_deref().unwrap_or(""))));
        }
        if let Some((items, place, lost_on, chronology)) = &self.loss {
            let items: Vec<&str> = items.iter().map(|item| item.label(Language::Id)).collect();
            lines.push(format!("lost_items={}", items.join(";")));
            lines.push(format!("lost_place={}", escape(place)));
            lines.push(format!("lost_on={}", iso(*lost_on)));
            lines.push(format!("chronology={}", escape(chronology)));
        }
        lines.push(format!("issued_on={}", iso(self.issued_on)));
        if let Some(until) = self.valid_until {
            lines.push(format!("valid_until={}", iso(until)));
        }
        lines.push(format!("place={}", escape(&self.place)));
        lines.push(format!("officer_name={}", escape(&self.officer.name)));
        lines.push(format!("officer_rank={}", escape(&self.officer.rank)));
        lines.push(format!("officer_nrp={}", escape(&self.officer.nrp)));
        if let Some(hash) = &self.photo_sha256 {
            lines.push(format!("photo_sha256={hash}"));
        }
        let mut text = lines.join("\n");
        text.push('\n');
        text.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::RegencyCode;
    use time::macros::date;

    #[test]
    fn dates_read_as_an_indonesian_letter_writes_them() {
        assert_eq!(indonesian_date(date!(2026 - 12 - 04)), "4 Desember 2026");
        assert_eq!(indonesian_date(date!(2027 - 05 - 31)), "31 Mei 2027");
        assert_eq!(roman_month(Month::September), "IX");
    }

    #[test]
    fn an_skck_is_valid_six_months_less_a_day() {
        assert_eq!(skck_valid_until(date!(2026 - 12 - 04)), date!(2027 - 06 - 03));
        assert_eq!(skck_valid_until(date!(2026 - 08 - 31)), date!(2027 - 02 - 28));
        assert_eq!(skck_valid_until(date!(2027 - 08 - 31)), date!(2028 - 02 - 29));
        assert_eq!(skck_valid_until(date!(2026 - 07 - 01)), date!(2026 - 12 - 31));
    }

    #[test]
    fn numbers_name_the_series() {
        let polres = PolresId("3471".parse::<RegencyCode>().unwrap());
        let number = LetterNumber {
            kind: ServiceKind::LossReport,
            polres,
            year: 2026,
            month: 12,
            sequence: 7,
        };
        assert_eq!(number.printed(), "STPLK/0007/XII/2026/SPKT/RES.3471");
    }

    #[test]
    fn officers_need_a_known_rank_and_an_eight_digit_nrp() {
        let mut officer = Officer {
            name: "Budi Santoso".into(),
            rank: "AIPTU".into(),
            nrp: "78051234".into(),
        };
        assert_eq!(officer.problem(Language::Id), None);
        officer.nrp = "7805123".into();
        assert!(officer.problem(Language::Id).unwrap().contains("8 angka"));
        officer.nrp = "78051234".into();
        officer.rank = "JENDERAL".into();
        assert!(officer.problem(Language::En).unwrap().contains("Unknown rank"));
    }
}
