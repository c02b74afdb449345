//! `siaga-letter-bench [N]`: letters issued per second (draw the PDF with its QR code and photo, sign the
//! content and the file) and letters verified per second (`verify_pdf` against two published keys), over N
//! letters (default 2,000), beside a baseline measured in the same run: Ed25519 signing and verifying the
//! same bytes alone, so the figures say what the layout and the parsing cost on top of the cryptography.
//! Run it in release: `cargo run --release -p siaga-letter --bin siaga-letter-bench`.
#![allow(clippy::print_stdout)]

use siaga_domain::nik::Sex;
use siaga_domain::polda::{polres, PolresId};
use siaga_domain::service::check::jpeg_info;
use siaga_domain::service::letter::{skck_valid_until, LetterContent, LetterNumber, Officer};
use siaga_domain::service::{ServiceKind, SkckPurpose};
use siaga_letter::{issue, verify_pdf, LetterKey};
use std::time::Instant;

const PHOTO: &[u8] = include_bytes!("../../../siaga-sim/assets/pasfoto.jpg");

fn content(sequence: u32) -> LetterContent {
    let id = PolresId("3471".parse().expect("a regency code"));
    let issued = time::macros::date!(2026 - 12 - 04);
    LetterContent {
        letter_id: format!("0193a6f2-7c1d-7e55-9a3b-{sequence:012}"),
        request_id: format!("0193a6f0-0000-7000-8000-{sequence:012}"),
        number: LetterNumber {
            kind: ServiceKind::Skck,
            polres: id,
            year: 2026,
            month: 12,
            sequence,
        },
        polres_name: polres(id).map_or_else(String::new, |p| p.name),
        polda_name: "Polda Daerah Istimewa Yogyakarta".into(),
        full_name: "Siti Rahayu Ningsih".into(),
        nik: "3471055203900001".into(),
        sex: Sex::Female,
        birth_place: "Yogyakarta".into(),
        birth_date: time::macros::date!(1990 - 03 - 12),
        address: "Jl. Malioboro No. 5, Sosromenduran, Gedongtengen, Kota Yogyakarta".into(),
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

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2_000);
    let key = LetterKey::from_secret([42; 32]);
    let keys = [LetterKey::from_secret([7; 32]).public(), key.public()];
    let info = jpeg_info(PHOTO).expect("the photo is a JPEG");

    let start = Instant::now();
    let letters: Vec<Vec<u8>> = (1..=n)
        .map(|i| {
            issue(
                &content(i),
                Some((PHOTO, info)),
                "https://110.polda-diy.go.id",
                &key,
            )
            .pdf
        })
        .collect();
    let issue_s = start.elapsed().as_secs_f64();
    let size = letters.iter().map(Vec::len).sum::<usize>() / letters.len();

    let start = Instant::now();
    let valid = letters
        .iter()
        .filter(|pdf| verify_pdf(pdf, &keys).is_ok())
        .count();
    let verify_s = start.elapsed().as_secs_f64();
    assert_eq!(valid, letters.len());

    // Baseline: the two signatures and the two verifications alone, over the same bytes.
    let start = Instant::now();
    let signatures: Vec<[u8; 64]> = letters.iter().map(|pdf| key.sign(pdf)).collect();
    let canonical = content(1).canonical();
    for _ in 0..n {
        std::hint::black_box(key.sign(&canonical));
    }
    let sign_s = start.elapsed().as_secs_f64();
    let start = Instant::now();
    for (pdf, signature) in letters.iter().zip(&signatures) {
        assert!(key.public().verifies(pdf, signature));
        std::hint::black_box(key.public().verifies(&canonical, signature));
    }
    let check_s = start.elapsed().as_secs_f64();

    let rate = |seconds: f64| f64::from(n) / seconds;
    println!(
        "letters: {n}, average PDF {:.1} KiB (with a {:.1} KiB photo)",
        size as f64 / 1024.0,
        PHOTO.len() as f64 / 1024.0
    );
    println!(
        "issue  (draw + QR + 2 signatures): {:>9.0} letters/s   baseline 2 Ed25519 signatures: {:>9.0}/s   ratio {:.2}",
        rate(issue_s),
        rate(sign_s),
        issue_s / sign_s
    );
    println!(
        "verify (parse + 2 verifications):  {:>9.0} letters/s   baseline 2 Ed25519 verifications: {:>6.0}/s   ratio {:.2}",
        rate(verify_s),
        rate(check_s),
        verify_s / check_s
    );
}
