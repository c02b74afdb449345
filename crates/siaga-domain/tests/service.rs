//! Citizen services: what a submission must satisfy, what is flagged, and who may move a request where.

use siaga_domain::polda::PolresId;
use siaga_domain::role::Role;
use siaga_domain::service::check::{check_submission, jpeg_info, Field, Flag, Problem};
use siaga_domain::service::state::{RequestAction, RequestStatus, ServiceError};
use siaga_domain::service::{
    Applicant, LossDetails, LostItem, RequestDetails, ServiceKind, SkckDetails, SkckPurpose, Submission,
};
use siaga_domain::Language;
use time::macros::date;
use time::Date;
use uuid::Uuid;

const TODAY: Date = date!(2026 - 12 - 04);

/// A minimal baseline JPEG header (SOI, APP0, SOF0 with the given size, EOI): enough for the size check.
fn jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    bytes.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    bytes.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    bytes
}

fn polres(code: &str) -> PolresId {
    PolresId(code.parse().unwrap())
}

/// A woman born 12 March 1990 in Kota Yogyakarta (day 12 + 40 = 52).
fn skck() -> Submission {
    Submission {
        id: Uuid::nil(),
        polres: polres("3471"),
        applicant: Applicant {
            nik: "3471055203900001".into(),
            full_name: "Siti Rahayu".into(),
            birth_place: "Yogyakarta".into(),
            birth_date: date!(1990 - 03 - 12),
            address: "Jl. Malioboro No. 5, Yogyakarta".into(),
        },
        details: RequestDetails::Skck(SkckDetails {
            purpose: SkckPurpose::JobApplication,
            purpose_note: None,
        }),
    }
}

fn loss(items: Vec<LostItem>) -> Submission {
    Submission {
        details: RequestDetails::LossReport(LossDetails {
            items,
            place: "Stasiun Tugu Yogyakarta".into(),
            lost_on: date!(2026 - 12 - 01),
            chronology: "Dompet hilang saat turun dari KRL sekitar pukul 17.00.".into(),
        }),
        ..skck()
    }
}

fn problems(submission: &Submission, photo: Option<&[u8]>) -> Vec<&'static str> {
    match check_submission(submission, photo, TODAY) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.iter().map(Problem::code).collect(),
    }
}

#[test]
fn a_well_formed_skck_passes_and_the_nik_is_read() {
    let photo = jpeg(400, 600);
    let checked = check_submission(&skck(), Some(&photo), TODAY).unwrap();
    assert_eq!(checked.nik.sex(), siaga_domain::nik::Sex::Female);
    assert_eq!(checked.photo.unwrap().width, 400);
    assert!(checked.flags.is_empty(), "{:?}", checked.flags);
}

#[test]
fn a_birth_date_the_nik_contradicts_is_refused_naming_the_nik_date() {
    let mut submission = skck();
    submission.applicant.birth_date = date!(1990 - 03 - 21);
    let photo = jpeg(400, 600);
    let err = check_submission(&submission, Some(&photo), TODAY).unwrap_err();
    assert_eq!(err[0].code(), "birth_date_contradicts_nik");
    assert!(
        err[0].reason(Language::Id).contains("12-03-..90"),
        "{}",
        err[0].reason(Language::Id)
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut submission = skck();
    submission.applicant.nik = "34710552039".into();
    submission.applicant.full_name = "R2D2 <script>".into();
    submission.applicant.address = "x".repeat(201);
    let codes = problems(&submission, None);
    assert_eq!(
        codes,
        vec!["nik_invalid", "not_a_name", "text_too_long", "photo_missing"]
    );
}

#[test]
fn photos_must_be_jpegs_of_a_usable_size_and_weight() {
    let submission = skck();
    assert_eq!(
        problems(&submission, Some(b"\x89PNG\r\n\x1a\n....")),
        vec!["photo_not_jpeg"]
    );
    assert_eq!(problems(&submission, Some(&jpeg(120, 160))), vec!["photo_size"]);
    let mut heavy = jpeg(400, 600);
    heavy.resize(2 * 1024 * 1024 + 1, 0);
    assert_eq!(problems(&submission, Some(&heavy)), vec!["photo_too_large"]);
    // A truncated header is not a JPEG, and never a panic.
    let whole = jpeg(400, 600);
    for cut in 0..whole.len() - 2 {
        assert!(jpeg_info(&whole[..cut]).is_none(), "cut at {cut}");
    }
}

#[test]
fn texts_the_letter_cannot_print_are_refused() {
    let mut submission = skck();
    submission.applicant.birth_place = "Jogja\u{0}".into();
    submission.applicant.address = "Jl. 日本 5".into();
    let err = check_submission(&submission, Some(&jpeg(400, 600)), TODAY).unwrap_err();
    assert_eq!(err.len(), 2);
    assert_eq!(err[0], Problem::Unprintable(Field::BirthPlace));
    assert_eq!(err[1], Problem::Unprintable(Field::Address));
    assert!(err[1].reason(Language::Id).starts_with("Alamat memuat"));
}

#[test]
fn an_skck_needs_a_ktp_holder() {
    let mut submission = skck();
    submission.applicant.nik = "3471055203100001".into();
    submission.applicant.birth_date = date!(2010 - 03 - 12);
    assert_eq!(
        problems(&submission, Some(&jpeg(400, 600))),
        vec!["too_young_for_skck"]
    );
}

#[test]
fn a_loss_report_lists_each_item_once_and_says_which_need_the_office() {
    assert_eq!(problems(&loss(vec![]), None), vec!["nothing_lost"]);
    assert_eq!(
        problems(&loss(vec![LostItem::Ktp, LostItem::Ktp]), None),
        vec!["item_repeated"]
    );
    let checked = check_submission(
        &loss(vec![LostItem::Wallet, LostItem::Bpkb, LostItem::Passport]),
        None,
        TODAY,
    )
    .unwrap();
    assert_eq!(
        checked.flags,
        vec![Flag::OfficeVisitNeeded {
            items: vec![LostItem::Bpkb, LostItem::Passport]
        }]
    );
    let mut future = loss(vec![LostItem::Sim]);
    if let RequestDetails::LossReport(details) = &mut future.details {
        details.lost_on = date!(2026 - 12 - 05);
    }
    assert_eq!(problems(&future, None), vec!["loss_in_future"]);
}

#[test]
fn a_nik_from_another_regency_is_flagged_not_refused() {
    let mut submission = skck();
    submission.polres = polres("3404"); // Polresta Sleman
    let checked = check_submission(&submission, Some(&jpeg(400, 600)), TODAY).unwrap();
    assert!(
        matches!(&checked.flags[..], [Flag::NikRegionElsewhere { nik_regency }] if nik_regency.contains("Yogyakarta"))
    );
}

#[test]
fn the_flow_goes_from_submission_to_letter_and_no_step_is_skipped() {
    use RequestAction::*;
    use RequestStatus::*;
    let kind = ServiceKind::LossReport;
    let mut status = Submitted;
    for action in [StartReview, Validate, Approve, Issue] {
        status = status.apply(action, Role::SpktOfficer, kind, false).unwrap();
    }
    assert_eq!(status, Issued);
    assert_eq!(
        Submitted.apply(Issue, Role::SpktOfficer, kind, false),
        Err(ServiceError::WrongStatus {
            action: Issue,
            status: Submitted
        })
    );
    assert_eq!(
        Issued
            .apply(Withdraw, Role::System, kind, false)
            .unwrap_err()
            .code(),
        "wrong_status"
    );
}

#[test]
fn only_a_supervisor_approves_an_skck_or_revokes_a_letter() {
    use RequestAction::*;
    use RequestStatus::*;
    let err = Validated
        .apply(Approve, Role::SpktOfficer, ServiceKind::Skck, false)
        .unwrap_err();
    assert_eq!(err.code(), "role_not_allowed");
    assert!(
        err.reason(Language::Id).contains("Supervisor"),
        "{}",
        err.reason(Language::Id)
    );
    assert_eq!(
        Validated.apply(Approve, Role::Supervisor, ServiceKind::Skck, false),
        Ok(Approved)
    );
    assert_eq!(
        Issued
            .apply(Revoke, Role::Supervisor, ServiceKind::Skck, false)
            .unwrap_err()
            .code(),
        "reason_missing"
    );
    assert_eq!(
        Issued.apply(Revoke, Role::Supervisor, ServiceKind::Skck, true),
        Ok(Revoked)
    );
    for role in [
        Role::Operator1,
        Role::Operator2,
        Role::Operator3,
        Role::Analyst,
        Role::Admin,
    ] {
        for action in RequestAction::ALL {
            for status in RequestStatus::ALL {
                assert!(status.apply(action, role, ServiceKind::LossReport, true).is_err());
            }
        }
    }
}

#[test]
fn the_citizen_withdraws_until_approval_and_officers_cannot_withdraw_for_them() {
    use RequestAction::*;
    use RequestStatus::*;
    for status in [Submitted, InReview, Validated] {
        assert_eq!(
            status.apply(Withdraw, Role::System, ServiceKind::Skck, false),
            Ok(Withdrawn)
        );
    }
    assert!(Approved
        .apply(Withdraw, Role::System, ServiceKind::Skck, false)
        .is_err());
    assert!(Submitted
        .apply(Withdraw, Role::Supervisor, ServiceKind::Skck, false)
        .is_err());
    assert!(Submitted
        .apply(StartReview, Role::System, ServiceKind::Skck, false)
        .is_err());
}
