//! Table tests of NIK parsing, validation and masking.

use siaga_domain::nik::{mask_nik, Nik, NikError, NikWarning, Sex};
use siaga_domain::Language;
use time::macros::date;

/// What a NIK parses to: (province name, regency name, district name, sex, dd-mm-yy, serial, warnings).
type Parts = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Sex,
    (u8, u8, u8),
    u16,
    Vec<NikWarning>,
);

fn check(text: &str, expect: Result<Parts, NikError>) {
    let got = Nik::parse(text).map(|p| {
        let b = p.nik.birth_date();
        (
            p.province_name,
            p.regency_name,
            p.district_name,
            p.nik.sex(),
            (b.day, b.month, b.year_of_century),
            p.nik.serial(),
            p.warnings,
        )
    });
    assert_eq!(got, expect, "{text:?}");
}

const JAKARTA: &str = "Daerah Khusus Ibukota Jakarta";
const JAKPUS: Option<&str> = Some("Kota Administrasi Jakarta Pusat");

#[test]
fn valid_niks() {
    check(
        "3171011208900001",
        Ok((JAKARTA, JAKPUS, Some("Gambir"), Sex::Male, (12, 8, 90), 1, vec![])),
    );
    check(
        "3171015208900001",
        Ok((
            JAKARTA,
            JAKPUS,
            Some("Gambir"),
            Sex::Female,
            (12, 8, 90),
            1,
            vec![],
        )),
    );
    check(
        "3171 0152 0890 0001",
        Ok((
            JAKARTA,
            JAKPUS,
            Some("Gambir"),
            Sex::Female,
            (12, 8, 90),
            1,
            vec![],
        )),
    );
    check(
        "31.71.01-520890-0001",
        Ok((
            JAKARTA,
            JAKPUS,
            Some("Gambir"),
            Sex::Female,
            (12, 8, 90),
            1,
            vec![],
        )),
    );
    check(
        "3276017101059999",
        Ok((
            "Jawa Barat",
            Some("Kota Depok"),
            Some("Pancoran Mas"),
            Sex::Female,
            (31, 1, 5),
            9999,
            vec![],
        )),
    );
    check(
        "9601012902000001",
        Ok((
            "Papua Barat Daya",
            Some("Kabupaten Sorong"),
            Some("Makbon"),
            Sex::Male,
            (29, 2, 0),
            1,
            vec![],
        )),
    );
    check(
        "3171016902040001",
        Ok((
            JAKARTA,
            JAKPUS,
            Some("Gambir"),
            Sex::Female,
            (29, 2, 4),
            1,
            vec![],
        )),
    );
}

#[test]
fn old_region_codes_are_warnings() {
    let district = "31.71.99".parse().unwrap();
    check(
        "3171991208900001",
        Ok((
            JAKARTA,
            JAKPUS,
            None,
            Sex::Male,
            (12, 8, 90),
            1,
            vec![NikWarning::UnknownDistrict(district)],
        )),
    );
    let regency = "31.99".parse().unwrap();
    let district = "31.99.01".parse().unwrap();
    check(
        "3199011208900001",
        Ok((
            JAKARTA,
            None,
            None,
            Sex::Male,
            (12, 8, 90),
            1,
            vec![
                NikWarning::UnknownRegency(regency),
                NikWarning::UnknownDistrict(district),
            ],
        )),
    );
}

#[test]
fn invalid_niks() {
    check("317101120890001", Err(NikError::WrongLength { found: 15 }));
    check("31710112089000011", Err(NikError::WrongLength { found: 17 }));
    check("", Err(NikError::WrongLength { found: 0 }));
    check("317101120890000O", Err(NikError::NotDigits { position: 16 }));
    check("3171０11208900001", Err(NikError::NotDigits { position: 5 }));
    check("x", Err(NikError::NotDigits { position: 1 }));
    check(
        "1071011208900001",
        Err(NikError::UnknownProvince { code: "10".into() }),
    );
    check(
        "0071011208900001",
        Err(NikError::UnknownProvince { code: "00".into() }),
    );
    check(
        "3971011208900001",
        Err(NikError::UnknownProvince { code: "39".into() }),
    );
    check(
        "3171010008900001",
        Err(NikError::ImpossibleBirthDate {
            day: 0,
            month: 8,
            year_of_century: 90,
        }),
    );
    check(
        "3171013208900001",
        Err(NikError::ImpossibleBirthDate {
            day: 32,
            month: 8,
            year_of_century: 90,
        }),
    );
    check(
        "3171014008900001",
        Err(NikError::ImpossibleBirthDate {
            day: 40,
            month: 8,
            year_of_century: 90,
        }),
    );
    check(
        "3171017208900001",
        Err(NikError::ImpossibleBirthDate {
            day: 72,
            month: 8,
            year_of_century: 90,
        }),
    );
    check(
        "3171011213900001",
        Err(NikError::ImpossibleBirthDate {
            day: 12,
            month: 13,
            year_of_century: 90,
        }),
    );
    check(
        "3171011200900001",
        Err(NikError::ImpossibleBirthDate {
            day: 12,
            month: 0,
            year_of_century: 90,
        }),
    );
    check(
        "3171013002900001",
        Err(NikError::ImpossibleBirthDate {
            day: 30,
            month: 2,
            year_of_century: 90,
        }),
    );
    check(
        "3171012902010001",
        Err(NikError::ImpossibleBirthDate {
            day: 29,
            month: 2,
            year_of_century: 1,
        }),
    );
    check(
        "3171017102010001",
        Err(NikError::ImpossibleBirthDate {
            day: 71,
            month: 2,
            year_of_century: 1,
        }),
    );
    check(
        "3171013104900001",
        Err(NikError::ImpossibleBirthDate {
            day: 31,
            month: 4,
            year_of_century: 90,
        }),
    );
    check("3171011208900000", Err(NikError::ZeroSerial));
}

#[test]
fn birth_dates_resolve_their_century() {
    let today = date!(2026 - 11 - 29);
    let resolve = |nik: &str| Nik::parse(nik).unwrap().nik.birth_date().resolve(today);
    assert_eq!(resolve("3171011208900001"), date!(1990 - 08 - 12));
    assert_eq!(resolve("3171011208050001"), date!(2005 - 08 - 12));
    assert_eq!(resolve("3171011208260001"), date!(2026 - 08 - 12));
    assert_eq!(resolve("3171011212260001"), date!(1926 - 12 - 12));
    assert_eq!(resolve("3171012902000001"), date!(2000 - 02 - 29));
}

#[test]
fn masking_never_shows_birth_date_or_serial() {
    let nik = Nik::parse("3171015208900123").unwrap().nik;
    assert_eq!(nik.masked(), "317101**********");
    assert_eq!(format!("{nik}"), "317101**********");
    assert_eq!(format!("{nik:?}"), "Nik(317101**********)");
    assert_eq!(mask_nik("3171 0152 0890 0123"), "3171 01** **** ****");
    assert_eq!(mask_nik("31710152089O0123"), "317101*****\u{2a}****");
    assert_eq!(mask_nik("abc"), "***");
    assert_eq!(nik.digits(), "3171015208900123");
}

#[test]
fn nik_json_is_the_digits_and_is_validated() {
    let nik = Nik::parse("3171015208900123").unwrap().nik;
    assert_eq!(serde_json::to_string(&nik).unwrap(), "\"3171015208900123\"");
    assert_eq!(serde_json::from_str::<Nik>("\"3171015208900123\"").unwrap(), nik);
    assert!(serde_json::from_str::<Nik>("\"3171015208900000\"").is_err());
}

#[test]
fn errors_have_reasons_in_both_languages() {
    let errors = [
        NikError::WrongLength { found: 15 },
        NikError::NotDigits { position: 3 },
        NikError::UnknownProvince { code: "10".into() },
        NikError::ImpossibleBirthDate {
            day: 32,
            month: 1,
            year_of_century: 90,
        },
        NikError::ZeroSerial,
    ];
    for error in errors {
        let (id, en) = (error.reason(Language::Id), error.reason(Language::En));
        assert!(!id.is_empty() && id != en, "{error:?}");
        assert!(!error.code().is_empty());
    }
    assert_eq!(
        NikError::WrongLength { found: 15 }.reason(Language::Id),
        "NIK harus 16 digit, yang dimasukkan 15."
    );
}

#[test]
fn niks_in_free_text_are_masked() {
    use siaga_domain::nik::redact_niks;
    assert_eq!(
        redact_niks("NIK 3171015208900123, telp 081234567890"),
        "NIK 317101**********, telp 081234567890"
    );
    assert_eq!(redact_niks("tanpa nomor"), "tanpa nomor");
    assert_eq!(redact_niks("31710152089001234"), "317101***********");
}

/// Found by the fuzzer (`personal_numbers`): a NIK typed in groups, as `Nik::parse` reads it, reached the
/// desktop notification whole.
#[test]
fn niks_typed_in_groups_are_masked_in_free_text_too() {
    use siaga_domain::nik::redact_niks;
    assert_eq!(
        redact_niks("NIK 3171 0152 0890 0123 hilang"),
        "NIK 3171 01** **** **** hilang"
    );
    assert_eq!(
        redact_niks("ktp: 3171.0152.0890.0123."),
        "ktp: 3171.01**.****.****."
    );
    assert_eq!(redact_niks("3171-0152-0890-0123"), "3171-01**-****-****");
    let ordinary = "pukul 10.30, 04-12-2026, Rp 1.500.000, telp 0812-3456-7890";
    assert_eq!(redact_niks(ordinary), ordinary, "shorter numbers stay");
}
