//! Evidence an incident keeps (decision 0022): today a still frame of a video validation call. Its bytes are
//! stored by the desk that took it and at the central under their SHA-256, and the incident's log names them by
//! that digest (`IncidentChange::EvidenceAttached`), so every desk of the Polda sees the entry in the timeline
//! and fetches the picture once. Pure: the digest's one written form, what a picture must be to be kept.

use crate::language::Language;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// The most bytes a piece of evidence may have (a 1280×720 JPEG still is about 150 KB).
pub const MAX_EVIDENCE_BYTES: u64 = 2 * 1024 * 1024;
/// The longest side of a picture kept as evidence, in pixels.
pub const MAX_PICTURE_SIDE: u16 = 4096;

/// A SHA-256 digest as 64 lowercase hex digits: the one name of a piece of evidence, on every desk and at the
/// central. Anything else is refused when read, so a digest in a log or a URL is always this form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ContentDigest(String);

impl ContentDigest {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        let digest = Sha256::digest(bytes);
        let mut hex = String::with_capacity(64);
        for byte in digest {
            hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
            hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
        }
        ContentDigest(hex)
    }

    /// Reads a digest: exactly 64 lowercase hex digits.
    pub fn parse(text: &str) -> Result<Self, EvidenceProblem> {
        let well_formed = text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if well_formed {
            Ok(ContentDigest(text.to_owned()))
        } else {
            Err(EvidenceProblem::BadDigest)
        }
    }

    /// The 64 hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 12 digits, enough to tell pieces apart on a screen.
    pub fn short(&self) -> &str {
        &self.0[..12]
    }
}

impl TryFrom<String> for ContentDigest {
    type Error = EvidenceProblem;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        ContentDigest::parse(&text)
    }
}

impl From<ContentDigest> for String {
    fn from(digest: ContentDigest) -> String {
        digest.0
    }
}

impl fmt::Display for ContentDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a piece of evidence is. One kind today; the wire names the media type so that more can come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MediaType {
    /// A JPEG picture (a still frame of a call).
    #[serde(rename = "image/jpeg")]
    Jpeg,
}

impl MediaType {
    /// The media type as HTTP names it.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Jpeg => "image/jpeg",
        }
    }

    /// The media type named by HTTP's `Content-Type` (parameters ignored), if it is one evidence may be.
    pub fn from_mime(content_type: &str) -> Option<MediaType> {
        let essence = content_type.split(';').next().unwrap_or_default().trim();
        essence
            .eq_ignore_ascii_case("image/jpeg")
            .then_some(MediaType::Jpeg)
    }
}

/// A picture checked to be kept as evidence: what the incident's log says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// Its name.
    pub digest: ContentDigest,
    /// What it is.
    pub media_type: MediaType,
    /// Its size in bytes.
    pub bytes: u64,
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
}

/// Checks that `bytes` are a picture that may be kept as evidence (a JPEG of sane size, whose frame header says
/// sides of 1 to [`MAX_PICTURE_SIDE`] pixels) and names it.
pub fn check_picture(bytes: &[u8]) -> Result<Picture, EvidenceProblem> {
    let size = bytes.len() as u64;
    if size == 0 {
        return Err(EvidenceProblem::Empty);
    }
    if size > MAX_EVIDENCE_BYTES {
        return Err(EvidenceProblem::TooLarge { bytes: size });
    }
    let info = crate::service::check::jpeg_info(bytes).ok_or(EvidenceProblem::NotJpeg)?;
    check_sides(info.width, info.height)?;
    Ok(Picture {
        digest: ContentDigest::of(bytes),
        media_type: MediaType::Jpeg,
        bytes: size,
        width: info.width,
        height: info.height,
    })
}

/// Checks the bytes fetched for `expected` (from the central, say) before they are kept or shown.
pub fn check_fetched(expected: &ContentDigest, bytes: &[u8]) -> Result<Picture, EvidenceProblem> {
    let picture = check_picture(bytes)?;
    if &picture.digest != expected {
        return Err(EvidenceProblem::DigestMismatch {
            expected: expected.clone(),
        });
    }
    Ok(picture)
}

/// Checks what an event says of a picture: a size and sides a kept picture could have.
pub fn check_described(bytes: u64, width: u16, height: u16) -> Result<(), EvidenceProblem> {
    if bytes == 0 || bytes > MAX_EVIDENCE_BYTES {
        return Err(EvidenceProblem::TooLarge { bytes });
    }
    check_sides(width, height)
}

fn check_sides(width: u16, height: u16) -> Result<(), EvidenceProblem> {
    let side_ok = |side: u16| (1..=MAX_PICTURE_SIDE).contains(&side);
    if side_ok(width) && side_ok(height) {
        Ok(())
    } else {
        Err(EvidenceProblem::BadSize { width, height })
    }
}

/// Why something is not accepted as evidence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceProblem {
    /// A name that is not 64 lowercase hex digits.
    #[error("not a SHA-256 digest in lowercase hex")]
    BadDigest,
    /// No bytes.
    #[error("the picture is empty")]
    Empty,
    /// More bytes than evidence may have.
    #[error("the picture has {bytes} bytes, more than {MAX_EVIDENCE_BYTES}")]
    TooLarge {
        /// How many.
        bytes: u64,
    },
    /// Not a JPEG.
    #[error("not a JPEG picture")]
    NotJpeg,
    /// Sides out of range.
    #[error("a picture of {width}×{height} pixels")]
    BadSize {
        /// Width.
        width: u16,
        /// Height.
        height: u16,
    },
    /// Bytes that are not the ones named.
    #[error("the bytes are not those of {expected}")]
    DigestMismatch {
        /// The name asked for.
        expected: ContentDigest,
    },
}

impl EvidenceProblem {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            EvidenceProblem::BadDigest => "bad_digest",
            EvidenceProblem::Empty => "empty",
            EvidenceProblem::TooLarge { .. } => "too_large",
            EvidenceProblem::NotJpeg => "not_jpeg",
            EvidenceProblem::BadSize { .. } => "bad_size",
            EvidenceProblem::DigestMismatch { .. } => "digest_mismatch",
        }
    }

    /// The problem as a sentence for the operator.
    pub fn message(&self, language: Language) -> String {
        match (self, language) {
            (EvidenceProblem::BadDigest, Language::Id) => {
                "Nama bukti tidak valid (harus SHA-256, 64 digit heksadesimal).".into()
            }
            (EvidenceProblem::BadDigest, Language::En) => {
                "The evidence's name is not valid (a SHA-256, 64 hex digits).".into()
            }
            (EvidenceProblem::Empty, Language::Id) => {
                "Cuplikan kosong: belum ada gambar video untuk disimpan.".into()
            }
            (EvidenceProblem::Empty, Language::En) => {
                "The snapshot is empty: there is no video picture to keep yet.".into()
            }
            (EvidenceProblem::TooLarge { bytes }, Language::Id) => format!(
                "Cuplikan terlalu besar ({} KB; paling besar {} KB).",
                bytes / 1024,
                MAX_EVIDENCE_BYTES / 1024
            ),
            (EvidenceProblem::TooLarge { bytes }, Language::En) => format!(
                "The snapshot is too large ({} KB; at most {} KB).",
                bytes / 1024,
                MAX_EVIDENCE_BYTES / 1024
            ),
            (EvidenceProblem::NotJpeg, Language::Id) => "Cuplikan bukan gambar JPEG.".into(),
            (EvidenceProblem::NotJpeg, Language::En) => "The snapshot is not a JPEG picture.".into(),
            (EvidenceProblem::BadSize { width, height }, Language::Id) => format!(
                "Ukuran gambar {width}×{height} piksel tidak diterima (sisi 1–{MAX_PICTURE_SIDE} piksel)."
            ),
            (EvidenceProblem::BadSize { width, height }, Language::En) => format!(
                "A picture of {width}×{height} pixels is not accepted (sides of 1–{MAX_PICTURE_SIDE} pixels)."
            ),
            (EvidenceProblem::DigestMismatch { expected }, Language::Id) => format!(
                "Gambar yang diterima bukan bukti {} (isi berbeda); tidak ditampilkan.",
                expected.short()
            ),
            (EvidenceProblem::DigestMismatch { expected }, Language::En) => format!(
                "The picture received is not evidence {} (its content differs); not shown.",
                expected.short()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smallest JPEG header `jpeg_info` reads: SOI, then a baseline frame header of `width`×`height`.
    fn jpeg(width: u16, height: u16) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08];
        bytes.extend_from_slice(&height.to_be_bytes());
        bytes.extend_from_slice(&width.to_be_bytes());
        bytes.extend_from_slice(&[0x01, 0x01, 0x11, 0x00, 0xFF, 0xD9]);
        bytes
    }

    #[test]
    fn a_digest_is_sha256_in_lowercase_hex_and_nothing_else_reads_as_one() {
        let digest = ContentDigest::of(b"abc");
        assert_eq!(
            digest.as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(ContentDigest::parse(digest.as_str()), Ok(digest.clone()));
        assert_eq!(digest.short(), "ba7816bf8f01");
        for bad in [
            "",
            "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a",
            "../../etc/passwd",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0",
            "za7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ] {
            assert_eq!(
                ContentDigest::parse(bad),
                Err(EvidenceProblem::BadDigest),
                "{bad}"
            );
        }
        let json = serde_json::to_string(&digest).unwrap();
        assert_eq!(serde_json::from_str::<ContentDigest>(&json).unwrap(), digest);
        assert!(serde_json::from_str::<ContentDigest>("\"abc\"").is_err());
    }

    #[test]
    fn a_picture_is_a_jpeg_of_sane_size_and_is_named_by_its_digest() {
        let bytes = jpeg(640, 480);
        let picture = check_picture(&bytes).unwrap();
        assert_eq!((picture.width, picture.height), (640, 480));
        assert_eq!(picture.bytes, bytes.len() as u64);
        assert_eq!(picture.digest, ContentDigest::of(&bytes));
        assert_eq!(check_picture(&[]), Err(EvidenceProblem::Empty));
        assert_eq!(
            check_picture(b"\x89PNG\r\n\x1a\n...."),
            Err(EvidenceProblem::NotJpeg)
        );
        assert_eq!(
            check_picture(&jpeg(0, 480)),
            Err(EvidenceProblem::BadSize {
                width: 0,
                height: 480
            })
        );
        assert_eq!(
            check_picture(&jpeg(5000, 480)),
            Err(EvidenceProblem::BadSize {
                width: 5000,
                height: 480
            })
        );
        let mut huge = jpeg(640, 480);
        huge.resize(MAX_EVIDENCE_BYTES as usize + 1, 0);
        assert_eq!(
            check_picture(&huge),
            Err(EvidenceProblem::TooLarge {
                bytes: MAX_EVIDENCE_BYTES + 1
            })
        );
    }

    #[test]
    fn fetched_bytes_must_be_the_ones_named() {
        let bytes = jpeg(640, 480);
        let named = ContentDigest::of(&bytes);
        assert!(check_fetched(&named, &bytes).is_ok());
        let other = jpeg(641, 480);
        assert_eq!(
            check_fetched(&named, &other),
            Err(EvidenceProblem::DigestMismatch {
                expected: named.clone()
            })
        );
        assert!(EvidenceProblem::DigestMismatch { expected: named }
            .message(Language::Id)
            .contains("bukan bukti"));
    }

    #[test]
    fn media_types_are_read_from_content_type() {
        assert_eq!(MediaType::from_mime("image/jpeg"), Some(MediaType::Jpeg));
        assert_eq!(MediaType::from_mime("Image/JPEG; q=1"), Some(MediaType::Jpeg));
        assert_eq!(MediaType::from_mime("image/png"), None);
        assert_eq!(MediaType::from_mime("text/html"), None);
        assert_eq!(serde_json::to_string(&MediaType::Jpeg).unwrap(), "\"image/jpeg\"");
    }
}
