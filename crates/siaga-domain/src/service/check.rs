//! What a citizen's request must satisfy before the central stores it, and what is only flagged for the
//! officer who reviews it. A submission is checked whole: every problem is reported at once, each with a
//! stable code and a reason in Indonesian and English, and nothing is stored unless there is none.
//!
//! Refused: a NIK that does not parse; a birth date that is not the one the NIK encodes; an applicant under
//! 17 for an SKCK (it needs a KTP); a missing, non-JPEG, oversize or implausibly sized photo for an SKCK;
//! empty, oversize or unprintable texts (the letter is printed with the PDF standard fonts, so text must be
//! Latin-1; control characters are never accepted); a loss in the future, over ten years ago or listing
//! an item twice. Flagged: a NIK from another regency than the Polres's, a NIK region code that has since
//! been renumbered, and lost items whose letter is made only at the office.

use super::{LostItem, RequestDetails, Submission};
use crate::nik::{Nik, NikError};
use crate::polda::PolresId;
use crate::Language;
use serde::{Deserialize, Serialize};
use time::Date;

/// The largest photo accepted, in bytes.
pub const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;
/// The smallest photo side, in pixels (a pas foto scanned or taken by a phone is far larger).
pub const MIN_PHOTO_SIDE: u16 = 200;
/// The largest photo side, in pixels.
pub const MAX_PHOTO_SIDE: u16 = 8000;

/// A text field of a submission, named in problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Field {
    /// The applicant's full name.
    FullName,
    /// The place of birth.
    BirthPlace,
    /// The address.
    Address,
    /// The SKCK's purpose note.
    PurposeNote,
    /// Where the loss happened.
    Place,
    /// The chronology of the loss.
    Chronology,
}

impl Field {
    /// The field's name for people.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (Field::FullName, Language::Id) => "nama lengkap",
            (Field::FullName, Language::En) => "full name",
            (Field::BirthPlace, Language::Id) => "tempat lahir",
            (Field::BirthPlace, Language::En) => "place of birth",
            (Field::Address, Language::Id) => "alamat",
            (Field::Address, Language::En) => "address",
            (Field::PurposeNote, Language::Id) => "keterangan keperluan",
            (Field::PurposeNote, Language::En) => "purpose note",
            (Field::Place, Language::Id) => "tempat kehilangan",
            (Field::Place, Language::En) => "place of loss",
            (Field::Chronology, Language::Id) => "kronologi",
            (Field::Chronology, Language::En) => "chronology",
        }
    }

    /// The fewest and most characters the field takes.
    pub fn bounds(self) -> (usize, usize) {
        match self {
            Field::FullName => (2, 100),
            Field::BirthPlace => (2, 60),
            Field::Address => (5, 200),
            Field::PurposeNote => (3, 200),
            Field::Place => (3, 200),
            Field::Chronology => (20, 2000),
        }
    }
}

/// Why a submission is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The NIK does not parse.
    Nik(NikError),
    /// The stated birth date is not the NIK's.
    BirthDateContradictsNik {
        /// The date the NIK encodes (day, month, two-digit year).
        nik_says: (u8, u8, u8),
    },
    /// The birth date is in the future or before 1900.
    ImpossibleBirthDate,
    /// An SKCK needs a KTP, which is issued at 17.
    TooYoungForSkck {
        /// Age in whole years.
        age: i32,
    },
    /// A text is empty or too short.
    TooShort(Field),
    /// A text is longer than the field takes.
    TooLong(Field),
    /// A text holds characters the letter cannot print (outside Latin-1) or control characters.
    Unprintable(Field),
    /// A name holds something other than letters, spaces and `.`, `'`, `-`, `,`.
    NotAName(Field),
    /// `Other` as SKCK purpose without saying what.
    PurposeNoteMissing,
    /// An SKCK needs a photo.
    PhotoMissing,
    /// The photo is not a JPEG image.
    PhotoNotJpeg,
    /// The photo is larger than [`MAX_PHOTO_BYTES`].
    PhotoTooLarge {
        /// Its size in bytes.
        bytes: usize,
    },
    /// The photo's sides are outside [`MIN_PHOTO_SIDE`]..=[`MAX_PHOTO_SIDE`].
    PhotoSize {
        /// Width in pixels.
        width: u16,
        /// Height in pixels.
        height: u16,
    },
    /// A report of loss lists nothing.
    NothingLost,
    /// A report of loss lists an item twice.
    ItemRepeated(LostItem),
    /// The loss is dated after today.
    LossInFuture,
    /// The loss is dated more than ten years ago.
    LossTooOld,
    /// The Polres does not exist.
    UnknownPolres,
}

impl Problem {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Nik(_) => "nik_invalid",
            Problem::BirthDateContradictsNik { .. } => "birth_date_contradicts_nik",
            Problem::ImpossibleBirthDate => "birth_date_impossible",
            Problem::TooYoungForSkck { .. } => "too_young_for_skck",
            Problem::TooShort(_) => "text_too_short",
            Problem::TooLong(_) => "text_too_long",
            Problem::Unprintable(_) => "text_unprintable",
            Problem::NotAName(_) => "not_a_name",
            Problem::PurposeNoteMissing => "purpose_note_missing",
            Problem::PhotoMissing => "photo_missing",
            Problem::PhotoNotJpeg => "photo_not_jpeg",
            Problem::PhotoTooLarge { .. } => "photo_too_large",
            Problem::PhotoSize { .. } => "photo_size",
            Problem::NothingLost => "nothing_lost",
            Problem::ItemRepeated(_) => "item_repeated",
            Problem::LossInFuture => "loss_in_future",
            Problem::LossTooOld => "loss_too_old",
            Problem::UnknownPolres => "unknown_polres",
        }
    }

    /// The reason for the citizen or officer.
    pub fn reason(&self, language: Language) -> String {
        let id = language == Language::Id;
        match self {
            Problem::Nik(err) => err.reason(language),
            Problem::BirthDateContradictsNik { nik_says: (d, m, y) } => {
                if id {
                    format!("Tanggal lahir tidak sesuai NIK: NIK menyatakan {d:02}-{m:02}-..{y:02}.")
                } else {
                    format!("The birth date contradicts the NIK, which says {d:02}-{m:02}-..{y:02}.")
                }
            }
            Problem::ImpossibleBirthDate => {
                if id {
                    "Tanggal lahir tidak mungkin (di masa depan atau sebelum 1900).".into()
                } else {
                    "The birth date is impossible (in the future or before 1900).".into()
                }
            }
            Problem::TooYoungForSkck { age } => {
                if id {
                    format!("SKCK hanya untuk pemilik KTP (17 tahun ke atas); usia pemohon {age} tahun.")
                } else {
                    format!("An SKCK is only for KTP holders (17 or older); the applicant is {age}.")
                }
            }
            Problem::TooShort(field) => {
                let (min, _) = field.bounds();
                if id {
                    format!(
                        "{} wajib diisi (paling sedikit {min} karakter).",
                        capital(field.label(language))
                    )
                } else {
                    format!(
                        "The {} is required (at least {min} characters).",
                        field.label(language)
                    )
                }
            }
            Problem::TooLong(field) => {
                let (_, max) = field.bounds();
                if id {
                    format!(
                        "{} terlalu panjang (paling banyak {max} karakter).",
                        capital(field.label(language))
                    )
                } else {
                    format!(
                        "The {} is too long (at most {max} characters).",
                        field.label(language)
                    )
                }
            }
            Problem::Unprintable(field) => {
                if id {
                    format!(
                        "{} memuat karakter yang tidak dapat dicetak pada surat (gunakan huruf Latin).",
                        capital(field.label(language))
                    )
                } else {
                    format!(
                        "The {} holds characters the letter cannot print (use Latin letters).",
                        field.label(language)
                    )
                }
            }
            Problem::NotAName(field) => {
                if id {
                    format!(
                        "{} hanya boleh berisi huruf, spasi dan tanda . ' - ,",
                        capital(field.label(language))
                    )
                } else {
                    format!(
                        "The {} may hold only letters, spaces and . ' - ,",
                        field.label(language)
                    )
                }
            }
            Problem::PurposeNoteMissing => {
                if id {
                    "Keperluan \"Lainnya\" harus dijelaskan.".into()
                } else {
                    "A purpose of \"Other\" needs a note saying what it is.".into()
                }
            }
            Problem::PhotoMissing => {
                if id {
                    "SKCK memerlukan pas foto.".into()
                } else {
                    "An SKCK needs a passport photo.".into()
                }
            }
            Problem::PhotoNotJpeg => {
                if id {
                    "Foto harus berupa gambar JPEG.".into()
                } else {
                    "The photo must be a JPEG image.".into()
                }
            }
            Problem::PhotoTooLarge { bytes } => {
                let mib = *bytes as f64 / 1_048_576.0;
                if id {
                    format!("Foto terlalu besar ({mib:.1} MiB); paling besar 2 MiB.")
                } else {
                    format!("The photo is too large ({mib:.1} MiB); at most 2 MiB.")
                }
            }
            Problem::PhotoSize { width, height } => {
                if id {
                    format!(
                        "Ukuran foto {width}×{height} piksel tidak dapat dipakai (sisi {MIN_PHOTO_SIDE}–{MAX_PHOTO_SIDE} piksel)."
                    )
                } else {
                    format!(
                        "A {width}×{height} pixel photo cannot be used (sides of {MIN_PHOTO_SIDE}–{MAX_PHOTO_SIDE} pixels)."
                    )
                }
            }
            Problem::NothingLost => {
                if id {
                    "Sebutkan barang atau dokumen yang hilang.".into()
                } else {
                    "Name what was lost.".into()
                }
            }
            Problem::ItemRepeated(item) => {
                if id {
                    format!("{} disebut lebih dari sekali.", item.label(language))
                } else {
                    format!("{} is listed more than once.", item.label(language))
                }
            }
            Problem::LossInFuture => {
                if id {
                    "Tanggal kehilangan tidak boleh di masa depan.".into()
                } else {
                    "The date of the loss is in the future.".into()
                }
            }
            Problem::LossTooOld => {
                if id {
                    "Kehilangan lebih dari 10 tahun lalu dilaporkan langsung di Polres.".into()
                } else {
                    "A loss more than 10 years ago is reported in person at the Polres.".into()
                }
            }
            Problem::UnknownPolres => {
                if id {
                    "Polres tidak dikenal.".into()
                } else {
                    "Unknown Polres.".into()
                }
            }
        }
    }

    /// The field the problem is about, when it is one text field.
    pub fn field(&self) -> Option<Field> {
        match self {
            Problem::TooShort(f) | Problem::TooLong(f) | Problem::Unprintable(f) | Problem::NotAName(f) => {
                Some(*f)
            }
            _ => None,
        }
    }
}

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What the officer should look at; a flag never refuses a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum Flag {
    /// The NIK was issued in another regency than the Polres's (the citizen may have moved; an SKCK is
    /// normally made where one lives).
    NikRegionElsewhere {
        /// The regency the NIK names.
        nik_regency: String,
    },
    /// The NIK's regency or district code is no longer current (renumbered since).
    NikRegionOutdated,
    /// These lost items need the letter made at the Polres, in person.
    OfficeVisitNeeded {
        /// The items.
        items: Vec<LostItem>,
    },
}

impl Flag {
    /// What the flag says, for the officer (and, for an office visit, the citizen).
    pub fn message(&self, language: Language) -> String {
        let id = language == Language::Id;
        match self {
            Flag::NikRegionElsewhere { nik_regency } => {
                if id {
                    format!("NIK terbit di {nik_regency}, bukan di wilayah Polres ini.")
                } else {
                    format!("The NIK was issued in {nik_regency}, outside this Polres.")
                }
            }
            Flag::NikRegionOutdated => {
                if id {
                    "Kode wilayah NIK sudah tidak berlaku (pemekaran); periksa KTP.".into()
                } else {
                    "The NIK's region code is no longer current; check the KTP.".into()
                }
            }
            Flag::OfficeVisitNeeded { items } => {
                let names: Vec<&str> = items.iter().map(|item| item.label(language)).collect();
                if id {
                    format!(
                        "Surat kehilangan {} dibuat langsung di Polres: datang dengan dokumen pendukung asli.",
                        names.join(", ")
                    )
                } else {
                    format!(
                        "The letter for a lost {} is made in person at the Polres: bring the original supporting papers.",
                        names.join(", ")
                    )
                }
            }
        }
    }
}

/// A JPEG photo's facts, read from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoInfo {
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
    /// Colour components: 1 (grey), 3 (YCbCr) or 4 (CMYK).
    pub components: u8,
}

/// Reads a JPEG's size from its frame header. `None` when the bytes are not a JPEG with a frame.
pub fn jpeg_info(bytes: &[u8]) -> Option<PhotoInfo> {
    if bytes.len() < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8 {
        return None;
    }
    let mut at = 2usize;
    loop {
        // Markers may be padded with 0xFF.
        while *bytes.get(at)? == 0xFF && *bytes.get(at + 1)? == 0xFF {
            at += 1;
        }
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        at += 2;
        match marker {
            0xD8 | 0x01 | 0xD0..=0xD7 => continue,
            0xD9 | 0xDA => return None, // end of image or scan before any frame header
            _ => {}
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
        if length < 2 {
            return None;
        }
        let is_frame = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_frame {
            let segment = bytes.get(at + 2..at + length)?;
            if segment.len() < 6 {
                return None;
            }
            let height = u16::from_be_bytes([segment[1], segment[2]]);
            let width = u16::from_be_bytes([segment[3], segment[4]]);
            let components = segment[5];
            if !matches!(components, 1 | 3 | 4) {
                return None;
            }
            return Some(PhotoInfo {
                width,
                height,
                components,
            });
        }
        at += length;
    }
}

/// A submission that passed: what the NIK says and the flags for the officer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedSubmission {
    /// The NIK, parsed.
    pub nik: Nik,
    /// The photo, when one came.
    pub photo: Option<PhotoInfo>,
    /// What the officer should look at.
    pub flags: Vec<Flag>,
}

fn is_latin1_printable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{A0}'..='\u{FF}')
}

fn check_text(problems: &mut Vec<Problem>, field: Field, text: &str, multiline: bool) {
    let (min, max) = field.bounds();
    let trimmed = text.trim();
    let count = trimmed.chars().count();
    if count < min {
        problems.push(Problem::TooShort(field));
    } else if count > max {
        problems.push(Problem::TooLong(field));
    } else if !trimmed
        .chars()
        .all(|c| is_latin1_printable(c) || (multiline && c == '\n'))
    {
        problems.push(Problem::Unprintable(field));
    }
}

fn check_name(problems: &mut Vec<Problem>, field: Field, text: &str) {
    let before = problems.len();
    check_text(problems, field, text, false);
    if problems.len() == before
        && !text
            .trim()
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '\'' | '-' | ','))
    {
        problems.push(Problem::NotAName(field));
    }
}

/// The same day `years` years earlier (28 February for a 29 February).
fn years_before(today: Date, years: i32) -> Date {
    let day = if today.month() == time::Month::February && today.day() == 29 {
        28
    } else {
        today.day()
    };
    Date::from_calendar_date(today.year() - years, today.month(), day).unwrap_or(today)
}

fn age_on(birth: Date, today: Date) -> i32 {
    let mut age = today.year() - birth.year();
    if (today.month() as u8, today.day()) < (birth.month() as u8, birth.day()) {
        age -= 1;
    }
    age
}

/// Checks a submission as of `today` (the central's date in the Polres's zone). `photo` is the photo's
/// bytes when one came. Every problem is returned at once.
pub fn check_submission(
    submission: &Submission,
    photo: Option<&[u8]>,
    today: Date,
) -> Result<CheckedSubmission, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut flags = Vec::new();
    let applicant = &submission.applicant;
    let polres = crate::polda::polres(submission.polres);
    if polres.is_none() {
        problems.push(Problem::UnknownPolres);
    }

    let birth = applicant.birth_date;
    let birth_possible = birth <= today && birth.year() >= 1900;
    if !birth_possible {
        problems.push(Problem::ImpossibleBirthDate);
    }
    let nik = match Nik::parse(&applicant.nik) {
        Ok(parsed) => {
            let encoded = parsed.nik.birth_date();
            let stated = (
                birth.day(),
                birth.month() as u8,
                (birth.year().rem_euclid(100)) as u8,
            );
            if birth_possible && (encoded.day, encoded.month, encoded.year_of_century) != stated {
                problems.push(Problem::BirthDateContradictsNik {
                    nik_says: (encoded.day, encoded.month, encoded.year_of_century),
                });
            }
            if !parsed.warnings.is_empty() {
                flags.push(Flag::NikRegionOutdated);
            }
            if let (Some(regency), Some(polres)) = (parsed.nik.regency_code(), submission.polres_regency()) {
                if regency != polres.regency() {
                    flags.push(Flag::NikRegionElsewhere {
                        nik_regency: parsed
                            .regency_name
                            .map_or_else(|| regency.to_string(), str::to_owned),
                    });
                }
            }
            Some(parsed.nik)
        }
        Err(err) => {
            problems.push(Problem::Nik(err));
            None
        }
    };
    check_name(&mut problems, Field::FullName, &applicant.full_name);
    check_name(&mut problems, Field::BirthPlace, &applicant.birth_place);
    check_text(&mut problems, Field::Address, &applicant.address, false);

    let photo_info = match photo {
        None => None,
        Some(bytes) if bytes.len() > MAX_PHOTO_BYTES => {
            problems.push(Problem::PhotoTooLarge { bytes: bytes.len() });
            None
        }
        Some(bytes) => match jpeg_info(bytes) {
            None => {
                problems.push(Problem::PhotoNotJpeg);
                None
            }
            Some(info) => {
                let side_ok = |side: u16| (MIN_PHOTO_SIDE..=MAX_PHOTO_SIDE).contains(&side);
                if !side_ok(info.width) || !side_ok(info.height) {
                    problems.push(Problem::PhotoSize {
                        width: info.width,
                        height: info.height,
                    });
                }
                Some(info)
            }
        },
    };

    match &submission.details {
        RequestDetails::Skck(skck) => {
            if birth_possible {
                let age = age_on(birth, today);
                if age < 17 {
                    problems.push(Problem::TooYoungForSkck { age });
                }
            }
            if photo.is_none() {
                problems.push(Problem::PhotoMissing);
            }
            match (&skck.purpose_note, skck.purpose) {
                (None, super::SkckPurpose::Other) => problems.push(Problem::PurposeNoteMissing),
                (Some(note), _) => check_text(&mut problems, Field::PurposeNote, note, false),
                (None, _) => {}
            }
        }
        RequestDetails::LossReport(loss) => {
            if loss.items.is_empty() {
                problems.push(Problem::NothingLost);
            }
            let mut seen = Vec::new();
            for item in &loss.items {
                if seen.contains(item) {
                    if !problems.contains(&Problem::ItemRepeated(*item)) {
                        problems.push(Problem::ItemRepeated(*item));
                    }
                } else {
                    seen.push(*item);
                }
            }
            let office: Vec<LostItem> = seen.iter().copied().filter(|i| i.needs_office_visit()).collect();
            if !office.is_empty() {
                flags.push(Flag::OfficeVisitNeeded { items: office });
            }
            if loss.lost_on > today {
                problems.push(Problem::LossInFuture);
            } else if loss.lost_on < years_before(today, 10) {
                problems.push(Problem::LossTooOld);
            }
            check_text(&mut problems, Field::Place, &loss.place, false);
            check_text(&mut problems, Field::Chronology, &loss.chronology, true);
        }
    }

    match nik {
        Some(nik) if problems.is_empty() => Ok(CheckedSubmission {
            nik,
            photo: photo_info,
            flags,
        }),
        _ => Err(problems),
    }
}

impl Submission {
    fn polres_regency(&self) -> Option<PolresId> {
        crate::polda::polres(self.polres).map(|p| p.id)
    }
}
