//! Citizen-service letters as files: [`issue`] draws a letter ([`siaga_domain::service::LetterContent`])
//! as a one-page PDF in the official layout (kop surat, number, holder, body, signing officer, the SKCK's
//! photo, a QR code with the central's verification URL), signs its canonical content and the file's
//! bytes with the central's Ed25519 key, and [`verify_pdf`] checks a file against the published public
//! keys: any edit, appended update or swapped photo makes it `tampered`.
//!
//! The file's signature is the last line before `%%EOF`: `%siaga-signature <key id> <128 hex>`, over every
//! byte before that line. The canonical content and its own signature ride in the document information
//! dictionary (`/SiagaContent`, `/SiagaContentSignature`, `/SiagaKey`), so a verifier can say what the
//! letter states without a PDF renderer. No IO here: the central stores the bytes, the binary reads files.

pub mod layout;
pub mod metrics;
pub mod pdf;
pub mod sign;

pub use sign::{content_digest, LetterKey, PublicKey};

use siaga_domain::service::check::PhotoInfo;
use siaga_domain::service::LetterContent;

const SIGNATURE_PREFIX: &[u8] = b"%siaga-signature ";
const END: &[u8] = b"%%EOF\n";

/// A letter made: the file, the content's signature and digest, and the URL in its QR code.
#[derive(Debug, Clone)]
pub struct Issued {
    /// The PDF file.
    pub pdf: Vec<u8>,
    /// The canonical content's signature.
    pub content_signature: [u8; 64],
    /// The content digest the QR code carries ([`content_digest`]).
    pub digest: String,
    /// The verification URL in the QR code.
    pub verify_url: String,
}

/// The verification URL of a letter at the central `central_url` (`https://110.polda-diy.go.id`).
pub fn verify_url(central_url: &str, letter_id: &str, digest: &str) -> String {
    format!(
        "{}/v1/letters/{letter_id}/verify?d={digest}",
        central_url.trim_end_matches('/')
    )
}

fn qr_matrix(text: &str) -> Vec<Vec<bool>> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .expect("a verification URL fits a QR code");
    let width = code.width();
    // A quiet zone of four modules, as scanners expect.
    let quiet = 4;
    let side = width + 2 * quiet;
    let colors = code.to_colors();
    (0..side)
        .map(|row| {
            (0..side)
                .map(|col| {
                    let (r, c) = (row.wrapping_sub(quiet), col.wrapping_sub(quiet));
                    r < width && c < width && colors[r * width + c] == qrcode::Color::Dark
                })
                .collect()
        })
        .collect()
}

/// Draws, numbers and signs a letter. `photo` is the JPEG (already checked by the domain) for an SKCK.
pub fn issue(
    content: &LetterContent,
    photo: Option<(&[u8], PhotoInfo)>,
    central_url: &str,
    key: &LetterKey,
) -> Issued {
    let canonical = content.canonical();
    let digest = content_digest(&canonical);
    let content_signature = key.sign(&canonical);
    let url = verify_url(central_url, &content.letter_id, &digest);
    let drawn = layout::draw(content, photo.is_some(), &qr_matrix(&url), &url, &key.key_id());

    let mut doc = pdf::Document::default();
    let catalog = doc.reserve();
    let pages = doc.reserve();
    let page = doc.reserve();
    let regular =
        doc.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    let bold =
        doc.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
    let contents = doc.add_stream("", drawn.content.as_bytes());
    let image = match (photo, drawn.photo) {
        (Some((bytes, info)), Some(_)) => {
            let space = match info.components {
                1 => "/DeviceGray",
                4 => "/DeviceCMYK",
                _ => "/DeviceRGB",
            };
            let decode = if info.components == 4 {
                " /Decode [1 0 1 0 1 0 1 0]"
            } else {
                ""
            };
            Some(doc.add_stream(
                &format!(
                    "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace {space} /BitsPerComponent 8 /Filter /DCTDecode{decode}",
                    info.width, info.height
                ),
                bytes,
            ))
        }
        _ => None,
    };
    let xobjects = image.map_or_else(String::new, |id| format!(" /XObject << /Photo {id} 0 R >>"));
    doc.set(catalog, format!("<< /Type /Catalog /Pages {pages} 0 R >>"));
    doc.set(pages, format!("<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>"));
    doc.set(
        page,
        format!(
            "<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 {} {}] /Resources << /Font << /F1 {regular} 0 R /F2 {bold} 0 R >>{xobjects} >> /Contents {contents} 0 R >>",
            layout::PAGE_WIDTH,
            layout::PAGE_HEIGHT
        ),
    );
    let info = doc.add(format!(
        "<< /Title {} /Producer (Siaga 110) /SiagaLetterId {} /SiagaKey ({}) /SiagaContent {} /SiagaContentSignature {} >>",
        pdf::literal(&content.number.printed()),
        pdf::literal(&content.letter_id),
        key.key_id(),
        pdf::hex_string(&canonical),
        pdf::hex_string(&content_signature),
    ));
    let mut bytes = doc.write(catalog, info, &digest);
    let file_signature = key.sign(&bytes);
    bytes.extend_from_slice(SIGNATURE_PREFIX);
    bytes.extend_from_slice(format!("{} {}\n", key.key_id(), hex::encode(file_signature)).as_bytes());
    bytes.extend_from_slice(END);
    Issued {
        pdf: bytes,
        content_signature,
        digest,
        verify_url: url,
    }
}

/// Why a file is not a valid letter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The file does not end in a Siaga signature line.
    #[error("not a letter signed by a Siaga 110 central (no signature line at the end of the file)")]
    NotSigned,
    /// Signed by a key none of the given public keys is.
    #[error("signed with key {0}, which is not among the central's published keys")]
    UnknownKey(String),
    /// The signature does not match the bytes: the file was changed after signing.
    #[error("the file was changed after it was signed (tampered)")]
    Tampered,
}

/// A letter whose file signature checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedLetter {
    /// The key that signed it.
    pub key_id: String,
    /// The letter's id.
    pub letter_id: String,
    /// The canonical content's `key=value` lines, in order (the header line left out).
    pub fields: Vec<(String, String)>,
    /// The content digest its QR code should carry.
    pub digest: String,
}

fn hex_entry(text: &str, key: &str) -> Option<Vec<u8>> {
    let start = text.find(&format!("/{key} <"))? + key.len() + 3;
    let end = start + text[start..].find('>')?;
    hex::decode(&text[start..end]).ok()
}

/// Checks a letter file against the central's public keys.
pub fn verify_pdf(bytes: &[u8], keys: &[PublicKey]) -> Result<VerifiedLetter, VerifyError> {
    // A signature line that is not the file's last line means bytes were appended after signing (an
    // incremental update, say): that is a changed file, not an unsigned one.
    let signed_somewhere = bytes
        .windows(SIGNATURE_PREFIX.len())
        .any(|window| window == SIGNATURE_PREFIX);
    let unsigned = if signed_somewhere {
        VerifyError::Tampered
    } else {
        VerifyError::NotSigned
    };
    let Some(body) = bytes.strip_suffix(END) else {
        return Err(unsigned);
    };
    let line_start = body[..body.len().saturating_sub(1)]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |at| at + 1);
    let line = &body[line_start..];
    let signature_line = line
        .strip_prefix(SIGNATURE_PREFIX)
        .and_then(|rest| rest.strip_suffix(b"\n"))
        .and_then(|rest| std::str::from_utf8(rest).ok())
        .ok_or(unsigned)?;
    let (key_id, signature_hex) = signature_line.split_once(' ').ok_or(VerifyError::NotSigned)?;
    let signature = hex::decode(signature_hex).map_err(|_| VerifyError::NotSigned)?;
    let key = keys
        .iter()
        .find(|key| key.key_id() == key_id)
        .ok_or_else(|| VerifyError::UnknownKey(key_id.to_owned()))?;
    let signed = &body[..line_start];
    if !key.verifies(signed, &signature) {
        return Err(VerifyError::Tampered);
    }
    let text = String::from_utf8_lossy(signed);
    let canonical = hex_entry(&text, "SiagaContent").ok_or(VerifyError::Tampered)?;
    let content_signature = hex_entry(&text, "SiagaContentSignature").ok_or(VerifyError::Tampered)?;
    if !key.verifies(&canonical, &content_signature) {
        return Err(VerifyError::Tampered);
    }
    let canonical_text = String::from_utf8(canonical.clone()).map_err(|_| VerifyError::Tampered)?;
    let fields: Vec<(String, String)> = canonical_text
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let letter_id = fields
        .iter()
        .find(|(k, _)| k == "letter_id")
        .map(|(_, v)| v.clone())
        .ok_or(VerifyError::Tampered)?;
    Ok(VerifiedLetter {
        key_id: key_id.to_owned(),
        letter_id,
        fields,
        digest: content_digest(&canonical),
    })
}
