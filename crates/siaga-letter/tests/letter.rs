//! A letter as a citizen and an employer meet it: the PDF opens in a real reader (poppler), says what it
//! should in Indonesian, its QR code scans (zbar) to the verification URL, and any change to the file is
//! caught by the verifier, the CLI included.

use siaga_domain::nik::Sex;
use siaga_domain::polda::{polres, PolresId};
use siaga_domain::service::check::jpeg_info;
use siaga_domain::service::letter::{skck_valid_until, LetterContent, LetterNumber, Officer};
use siaga_domain::service::{LostItem, ServiceKind, SkckPurpose};
use siaga_letter::{issue, verify_pdf, LetterKey, VerifyError};
use std::path::Path;
use std::process::Command;
use time::macros::date;

const PHOTO: &[u8] = include_bytes!("../../siaga-sim/assets/pasfoto.jpg");
const CENTRAL: &str = "https://110.polda-diy.example";

fn skck() -> LetterContent {
    let id = PolresId("3471".parse().unwrap());
    let issued = date!(2026 - 12 - 04);
    LetterContent {
        letter_id: "0193a6f2-7c1d-7e55-9a3b-2f6e8d1c4b70".into(),
        request_id: "0193a6f0-0000-7000-8000-000000000001".into(),
        number: LetterNumber {
            kind: ServiceKind::Skck,
            polres: id,
            year: 2026,
            month: 12,
            sequence: 42,
        },
        polres_name: polres(id).unwrap().name,
        polda_name: "Polda Daerah Istimewa Yogyakarta".into(),
        full_name: "Siti Rahayu Ningsih".into(),
        nik: "3471055203900001".into(),
        sex: Sex::Female,
        birth_place: "Yogyakarta".into(),
        birth_date: date!(1990 - 03 - 12),
        address: "Jl. Malioboro No. 5, RT 01/RW 02, Sosromenduran, Gedongtengen, Kota Yogyakarta".into(),
        purpose: Some((
            SkckPurpose::JobApplication,
            Some("PT Kereta Api Indonesia".into()),
        )),
        loss: None,
        issued_on: issued,
        valid_until: Some(skck_valid_until(issued)),
        place: "Yogyakarta".into(),
        officer: Officer {
            name: "Budi Santoso".into(),
            rank: "AKP".into(),
            nrp: "78051234".into(),
        },
        photo_sha256: Some("ab".repeat(32)),
    }
}

fn loss() -> LetterContent {
    let mut content = skck();
    content.number.kind = ServiceKind::LossReport;
    content.purpose = None;
    content.valid_until = None;
    content.photo_sha256 = None;
    content.loss = Some((
        vec![LostItem::Wallet, LostItem::Ktp, LostItem::BankCard],
        "KRL Commuter Line, Stasiun Tugu Yogyakarta".into(),
        date!(2026 - 12 - 01),
        "Sekitar pukul 17.00 WIB saya turun dari KRL di Stasiun Tugu. Setelah keluar peron saya sadar dompet \
         berisi KTP-el dan kartu ATM sudah tidak ada di saku celana. Saya sudah mencari di sekitar peron."
            .into(),
    ));
    content
}

fn key() -> LetterKey {
    LetterKey::from_secret([42; 32])
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|err| panic!("{name} (poppler-utils / zbar-tools, installed by ./dev test): {err}"));
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    // SIAGA_LETTER_DIR keeps a copy of each letter the tests make, to look at.
    if let Some(keep) = std::env::var_os("SIAGA_LETTER_DIR") {
        std::fs::write(Path::new(&keep).join(name), bytes).unwrap();
    }
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn an_skck_reads_as_the_official_letter_and_its_qr_code_scans_to_the_verification_url() {
    let dir = tempfile::tempdir().unwrap();
    let info = jpeg_info(PHOTO).unwrap();
    let issued = issue(&skck(), Some((PHOTO, info)), CENTRAL, &key());
    let file = write(dir.path(), "skck.pdf", &issued.pdf);

    let pdfinfo = Command::new("pdfinfo").arg(&file).output().unwrap();
    assert!(pdfinfo.status.success());
    assert!(
        pdfinfo.stderr.is_empty(),
        "poppler complains: {}",
        String::from_utf8_lossy(&pdfinfo.stderr)
    );
    assert!(String::from_utf8_lossy(&pdfinfo.stdout).contains("Pages:           1"));

    let text = tool("pdftotext", &["-layout", &file, "-"]);
    for expected in [
        "KEPOLISIAN NEGARA REPUBLIK INDONESIA",
        "POLRESTA YOGYAKARTA",
        "SURAT KETERANGAN CATATAN KEPOLISIAN",
        "Nomor: SKCK/0042/XII/2026/INTELKAM/RES.3471",
        "Siti Rahayu Ningsih",
        "Perempuan",
        "Yogyakarta, 12 Maret 1990",
        "3471055203900001",
        "Melamar pekerjaan (PT Kereta Api Indonesia)",
        "Berlaku sampai",
        "3 Juni 2027",
        "Yogyakarta, 4 Desember 2026",
        "BUDI SANTOSO",
        "AKP NRP 78051234",
    ] {
        assert!(text.contains(expected), "{expected:?} not in the letter:\n{text}");
    }

    let png = dir.path().join("page");
    tool(
        "pdftoppm",
        &["-r", "150", "-png", "-singlefile", &file, png.to_str().unwrap()],
    );
    let scanned = tool(
        "zbarimg",
        &["--quiet", "--raw", &format!("{}.png", png.display())],
    );
    assert_eq!(scanned.trim(), issued.verify_url);
    assert_eq!(
        issued.verify_url,
        format!(
            "{CENTRAL}/v1/letters/0193a6f2-7c1d-7e55-9a3b-2f6e8d1c4b70/verify?d={}",
            issued.digest
        )
    );

    let verified = verify_pdf(&issued.pdf, &[key().public()]).unwrap();
    assert_eq!(verified.letter_id, "0193a6f2-7c1d-7e55-9a3b-2f6e8d1c4b70");
    assert_eq!(verified.digest, issued.digest);
    assert!(verified
        .fields
        .contains(&("full_name".into(), "Siti Rahayu Ningsih".into())));
}

#[test]
fn a_report_of_loss_lists_what_was_lost_and_wraps_the_chronology() {
    let dir = tempfile::tempdir().unwrap();
    let issued = issue(&loss(), None, CENTRAL, &key());
    let file = write(dir.path(), "loss.pdf", &issued.pdf);
    let text = tool("pdftotext", &[&file, "-"]);
    for expected in [
        "SURAT KETERANGAN TANDA LAPOR KEHILANGAN",
        "STPLK/0042/XII/2026/SPKT/RES.3471",
        "1. Dompet",
        "2. KTP-el",
        "3. Kartu ATM/bank",
        "1 Desember 2026",
        "bukan pengganti dokumen",
        "KA SPKT",
    ] {
        assert!(text.contains(expected), "{expected:?} not in the letter:\n{text}");
    }
    assert!(!text.contains("Berlaku sampai"));
}

#[test]
fn the_same_content_makes_the_same_bytes() {
    let info = jpeg_info(PHOTO).unwrap();
    let a = issue(&skck(), Some((PHOTO, info)), CENTRAL, &key());
    let b = issue(&skck(), Some((PHOTO, info)), CENTRAL, &key());
    assert_eq!(a.pdf, b.pdf);
}

#[test]
fn any_change_to_the_file_is_caught() {
    let info = jpeg_info(PHOTO).unwrap();
    let issued = issue(&skck(), Some((PHOTO, info)), CENTRAL, &key());
    let keys = [key().public()];
    let pdf = issued.pdf;

    // The name edited in the page's text.
    let text = String::from_utf8_lossy(&pdf).into_owned();
    let at = text.find("(Siti Rahayu Ningsih)").unwrap();
    let mut edited = pdf.clone();
    edited[at + 4] = b'a';
    assert_eq!(verify_pdf(&edited, &keys), Err(VerifyError::Tampered));

    // One byte of the photo flipped.
    let photo_at = pdf.windows(4).position(|w| w == &PHOTO[..4]).unwrap();
    let mut swapped = pdf.clone();
    swapped[photo_at + 600] ^= 0x01;
    assert_eq!(verify_pdf(&swapped, &keys), Err(VerifyError::Tampered));

    // An incremental update appended after the signature.
    let mut appended = pdf.clone();
    appended.extend_from_slice(b"9 0 obj\n<< /Title (palsu) >>\nendobj\n%%EOF\n");
    assert_eq!(verify_pdf(&appended, &keys), Err(VerifyError::Tampered));

    // The signature line removed, or the file cut short.
    let cut = &pdf[..pdf.len() - 200];
    assert_eq!(verify_pdf(cut, &keys), Err(VerifyError::NotSigned));
    assert_eq!(verify_pdf(b"", &keys), Err(VerifyError::NotSigned));

    // Signed by a key the central never published.
    let forged = issue(
        &skck(),
        Some((PHOTO, info)),
        CENTRAL,
        &LetterKey::from_secret([1; 32]),
    );
    assert!(matches!(
        verify_pdf(&forged.pdf, &keys),
        Err(VerifyError::UnknownKey(_))
    ));

    // Re-signed by the forger with content swapped in the information dictionary: still their key.
    assert!(verify_pdf(&pdf, &keys).is_ok());
}

#[test]
fn the_cli_says_valid_or_not_valid_with_its_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let issued = issue(&loss(), None, CENTRAL, &key());
    let good = write(dir.path(), "good.pdf", &issued.pdf);
    let mut edited = issued.pdf.clone();
    let at = String::from_utf8_lossy(&edited).find("(Tempat)").unwrap();
    edited[at + 1] = b'X';
    let bad = write(dir.path(), "bad.pdf", &edited);
    let keys = write(
        dir.path(),
        "keys.json",
        format!(
            r#"{{"keys":[{{"keyId":"{}","publicKey":"{}","active":true}}]}}"#,
            key().key_id(),
            key().public().to_hex()
        )
        .as_bytes(),
    );
    let cli = env!("CARGO_BIN_EXE_siaga-letter");
    let run = |file: &str| {
        Command::new(cli)
            .args(["verify", file, "--keys", &keys])
            .output()
            .unwrap()
    };
    let ok = run(&good);
    assert_eq!(ok.status.code(), Some(0));
    let out = String::from_utf8_lossy(&ok.stdout);
    assert!(out.starts_with("VALID"), "{out}");
    assert!(
        out.contains("nik: 347105**********"),
        "the CLI masks the NIK: {out}"
    );
    let refused = run(&bad);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stdout).contains("tampered"));
    let usage = Command::new(cli).args(["verify", &good]).output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
}
