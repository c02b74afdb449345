//! NIK (Nomor Induk Kependudukan), the 16-digit national identity number: province (2), regency/city (2),
//! district (2), birth date DDMMYY with 40 added to the day for women, and a 4-digit serial. There is no
//! checksum. An unknown regency or district prefix is a warning, not an error: older NIKs carry codes
//! that have since been renumbered. Never log or show an unmasked NIK to an analyst: use [`mask_nik`].

use crate::region::{self, DistrictCode, ProvinceCode, RegencyCode};
use crate::Language;
use serde::{Deserialize, Serialize};
use std::fmt;
use time::{Date, Month};

/// Sex as encoded in a NIK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Day of birth as is.
    Male,
    /// Day of birth plus 40.
    Female,
}

/// A birth date as a NIK encodes it: day, month and the last two digits of the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NikBirthDate {
    /// Day of the month, 1–31 (already without the +40).
    pub day: u8,
    /// Month, 1–12.
    pub month: u8,
    /// Year modulo 100.
    pub year_of_century: u8,
}

impl NikBirthDate {
    /// The full date, choosing the century so that the date is not after `today` (a NIK holder is born
    /// in the last 100 years).
    pub fn resolve(self, today: Date) -> Date {
        let this_century = today.year() - today.year().rem_euclid(100);
        let mut year = this_century + i32::from(self.year_of_century);
        let month = Month::try_from(self.month).expect("month checked at parse");
        if Date::from_calendar_date(year, month, self.day).map_or(true, |d| d > today) {
            year -= 100;
        }
        Date::from_calendar_date(year, month, self.day)
            .or_else(|_| Date::from_calendar_date(year + 100, month, self.day))
            .expect("day checked at parse")
    }
}

/// A NIK that parsed: its 16 digits and what they say. `Debug` and `Display` show it masked.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Nik {
    digits: [u8; 16],
}

/// Why a text is not a NIK.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NikError {
    /// Not 16 digits long.
    #[error("a NIK has 16 digits, this has {found}")]
    WrongLength {
        /// How many characters were found (after removing spaces, dots and dashes).
        found: usize,
    },
    /// A character that is not a digit.
    #[error("a NIK has only digits; position {position} is not one")]
    NotDigits {
        /// 1-based position of the first offending character.
        position: usize,
    },
    /// The first two digits are no province.
    #[error("{code} is not a province code")]
    UnknownProvince {
        /// The two digits.
        code: String,
    },
    /// The birth date does not exist (day 0 or over 31/71, month 0 or over 12, 30 February, …).
    #[error("the birth date {day:02}-{month:02}-{year_of_century:02} does not exist (day as encoded, +40 for women)")]
    ImpossibleBirthDate {
        /// The day digits as encoded (may include the +40).
        day: u8,
        /// The month digits.
        month: u8,
        /// The year digits.
        year_of_century: u8,
    },
    /// The serial is 0000.
    #[error("the serial number 0000 is never issued")]
    ZeroSerial,
}

impl NikError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            NikError::WrongLength { .. } => "nik_wrong_length",
            NikError::NotDigits { .. } => "nik_not_digits",
            NikError::UnknownProvince { .. } => "nik_unknown_province",
            NikError::ImpossibleBirthDate { .. } => "nik_impossible_birth_date",
            NikError::ZeroSerial => "nik_zero_serial",
        }
    }

    /// The reason as a sentence in the user's language (never repeats the whole NIK).
    pub fn reason(&self, language: Language) -> String {
        match (self, language) {
            (NikError::WrongLength { found }, Language::Id) => {
                format!("NIK harus 16 digit, yang dimasukkan {found}.")
            }
            (NikError::WrongLength { found }, Language::En) => {
                format!("A NIK has 16 digits; this one has {found}.")
            }
            (NikError::NotDigits { position }, Language::Id) => {
                format!("NIK hanya berisi angka; karakter ke-{position} bukan angka.")
            }
            (NikError::NotDigits { position }, Language::En) => {
                format!("A NIK has only digits; character {position} is not one.")
            }
            (NikError::UnknownProvince { code }, Language::Id) => {
                format!("Kode provinsi {code} tidak dikenal.")
            }
            (NikError::UnknownProvince { code }, Language::En) => format!("Unknown province code {code}."),
            (NikError::ImpossibleBirthDate { .. }, Language::Id) => {
                "Tanggal lahir dalam NIK tidak mungkin.".into()
            }
            (NikError::ImpossibleBirthDate { .. }, Language::En) => {
                "The birth date in the NIK is impossible.".into()
            }
            (NikError::ZeroSerial, Language::Id) => "Nomor urut 0000 tidak pernah diterbitkan.".into(),
            (NikError::ZeroSerial, Language::En) => "Serial number 0000 is never issued.".into(),
        }
    }
}

/// Something odd about a NIK that does not make it invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NikWarning {
    /// The regency/city code is not in the current list (possibly renumbered since issue).
    UnknownRegency(RegencyCode),
    /// The district code is not in the current list (possibly renumbered since issue).
    UnknownDistrict(DistrictCode),
}

impl NikWarning {
    /// The warning as a sentence.
    pub fn message(self, language: Language) -> String {
        match (self, language) {
            (NikWarning::UnknownRegency(code), Language::Id) => {
                format!("Kode kabupaten/kota {code} tidak ada dalam daftar terkini (mungkin kode lama).")
            }
            (NikWarning::UnknownRegency(code), Language::En) => {
                format!("Regency/city code {code} is not in the current list (possibly an old code).")
            }
            (NikWarning::UnknownDistrict(code), Language::Id) => {
                format!("Kode kecamatan {code} tidak ada dalam daftar terkini (mungkin kode lama).")
            }
            (NikWarning::UnknownDistrict(code), Language::En) => {
                format!("District code {code} is not in the current list (possibly an old code).")
            }
        }
    }
}

/// A parsed NIK with region names and warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedNik {
    /// The NIK.
    pub nik: Nik,
    /// The province's name.
    pub province_name: &'static str,
    /// The regency/city's name, when the code is current.
    pub regency_name: Option<&'static str>,
    /// The district's name, when the code is current.
    pub district_name: Option<&'static str>,
    /// Unknown regency or district codes.
    pub warnings: Vec<NikWarning>,
}

fn days_in_month(month: u8, year_of_century: u8) -> u8 {
    match month {
        2 if year_of_century.is_multiple_of(4) => 29, // 2000 was a leap year; 1900 is out of any NIK holder's range
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Nik {
    /// Parses and validates a NIK. Spaces, dots and dashes between digits are ignored.
    pub fn parse(text: &str) -> Result<ParsedNik, NikError> {
        let compact: Vec<(usize, char)> = text
            .chars()
            .enumerate()
            .filter(|(_, c)| !matches!(c, ' ' | '.' | '-'))
            .collect();
        if let Some(&(position, _)) = compact.iter().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(NikError::NotDigits {
                position: position + 1,
            });
        }
        if compact.len() != 16 {
            return Err(NikError::WrongLength { found: compact.len() });
        }
        let mut digits = [0u8; 16];
        for (slot, (_, c)) in digits.iter_mut().zip(&compact) {
            *slot = *c as u8 - b'0';
        }
        let nik = Nik { digits };
        let two = |i: usize| digits[i] * 10 + digits[i + 1];

        let province = ProvinceCode::from_number(two(0))
            .and_then(region::province)
            .ok_or_else(|| NikError::UnknownProvince {
                code: format!("{:02}", two(0)),
            })?;

        let (day, month, year_of_century) = (two(6), two(8), two(10));
        let real_day = if day > 40 { day - 40 } else { day };
        let date_ok =
            (1..=12).contains(&month) && real_day >= 1 && real_day <= days_in_month(month, year_of_century);
        if !date_ok {
            return Err(NikError::ImpossibleBirthDate {
                day,
                month,
                year_of_century,
            });
        }
        if nik.serial() == 0 {
            return Err(NikError::ZeroSerial);
        }

        let mut warnings = Vec::new();
        let regency_code = nik.regency_code();
        let district_code = nik.district_code();
        let regency_name = match regency_code.and_then(region::regency) {
            Some(regency) => Some(regency.name),
            None => {
                if let Some(code) = regency_code {
                    warnings.push(NikWarning::UnknownRegency(code));
                }
                None
            }
        };
        let district_name = match district_code.and_then(region::district) {
            Some(district) => Some(district.name),
            None => {
                if let Some(code) = district_code {
                    warnings.push(NikWarning::UnknownDistrict(code));
                }
                None
            }
        };
        Ok(ParsedNik {
            nik,
            province_name: province.name,
            regency_name,
            district_name,
            warnings,
        })
    }

    /// The 16 digits. Personal data: show only to roles that may see it.
    pub fn digits(&self) -> String {
        self.digits.iter().map(|d| char::from(b'0' + d)).collect()
    }

    fn number(&self, range: std::ops::Range<usize>) -> u32 {
        self.digits[range].iter().fold(0, |n, &d| n * 10 + u32::from(d))
    }

    /// The province code (digits 1–2).
    pub fn province(&self) -> ProvinceCode {
        ProvinceCode::from_number(self.number(0..2) as u8).expect("checked at parse")
    }

    /// The regency/city code (digits 1–4); `None` when its regency digits are 00.
    pub fn regency_code(&self) -> Option<RegencyCode> {
        RegencyCode::from_number(self.number(0..4) as u16)
    }

    /// The district code (digits 1–6); `None` when its regency or district digits are 00.
    pub fn district_code(&self) -> Option<DistrictCode> {
        DistrictCode::from_number(self.number(0..6))
    }

    /// Female when the day digits are over 40.
    pub fn sex(&self) -> Sex {
        if self.number(6..8) > 40 {
            Sex::Female
        } else {
            Sex::Male
        }
    }

    /// The birth date as encoded (century not included).
    pub fn birth_date(&self) -> NikBirthDate {
        let day = self.number(6..8) as u8;
        NikBirthDate {
            day: if day > 40 { day - 40 } else { day },
            month: self.number(8..10) as u8,
            year_of_century: self.number(10..12) as u8,
        }
    }

    /// The serial number (digits 13–16), 1–9999.
    pub fn serial(&self) -> u16 {
        self.number(12..16) as u16
    }

    /// The NIK for display and logs: only the 6 region digits are kept, e.g. `317101**********`.
    pub fn masked(&self) -> String {
        mask_nik(&self.digits())
    }
}

/// Masks anything that may be a NIK for display and logs: keeps the first 6 digits (the region, which an
/// analyst may see) and replaces every later digit with `*`, so birth date and serial never show. Text
/// that is not a NIK is masked the same way, so a typo does not leak either.
pub fn mask_nik(text: &str) -> String {
    let mut seen = 0;
    text.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen > 6 {
                    return '*';
                }
            } else if !matches!(c, ' ' | '.' | '-') {
                return '*';
            }
            c
        })
        .collect()
}

/// Digits from which a number in free text is taken for a NIK: 16, less one for a slip of the keyboard.
pub const NIK_MIN_DIGITS: usize = 15;

/// Whether `c` may stand between two digits of one number as people type them: `3171 0152 0890 0123`,
/// `3171.0152.0890.0123`, `0812-3456-7890` (the separators [`Nik::parse`] also ignores).
fn joins_digits(c: char) -> bool {
    matches!(c, ' ' | '.' | '-')
}

/// `text` with each number in it passed through `replace` (which answers the number as it should read);
/// everything else is kept as it is. A number is a run of ASCII digits in which a single space, dot or
/// dash between two digits does not end the run, so a NIK or a phone number typed in groups is one
/// number; `replace` gets it with its separators. The one scan behind NIK masking and the research
/// export's removal of personal numbers.
pub fn replace_digit_runs(text: &str, replace: impl Fn(&str) -> String) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let joins = !run.is_empty() && joins_digits(c) && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_ascii_digit() || joins {
            run.push(c);
        } else {
            if !run.is_empty() {
                out.push_str(&replace(&run));
                run.clear();
            }
            out.push(c);
        }
    }
    if !run.is_empty() {
        out.push_str(&replace(&run));
    }
    out
}

/// How many digits a number found by [`replace_digit_runs`] has (its separators not counted).
pub fn digit_count(number: &str) -> usize {
    number.chars().filter(char::is_ascii_digit).count()
}

/// Masks every NIK-length number ([`NIK_MIN_DIGITS`] digits or more, typed in one run or in groups) inside
/// free text, e.g. a report's description shown in a desktop notification, keeping the 6 region digits of
/// each.
pub fn redact_niks(text: &str) -> String {
    replace_digit_runs(text, |number| {
        if digit_count(number) >= NIK_MIN_DIGITS {
            mask_nik(number)
        } else {
            number.to_owned()
        }
    })
}

impl fmt::Debug for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nik({})", self.masked())
    }
}

impl fmt::Display for Nik {
    /// Masked: use [`Nik::digits`] where the full number is needed and allowed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl Serialize for Nik {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.digits())
    }
}

impl<'de> Deserialize<'de> for Nik {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Nik::parse(&text)
            .map(|parsed| parsed.nik)
            .map_err(serde::de::Error::custom)
    }
}
