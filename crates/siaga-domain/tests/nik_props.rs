//! Property tests of NIK parsing: every generated valid NIK parses back to its parts; every corrupted one
//! is rejected (or warned about) with the right reason.

use proptest::prelude::*;
use siaga_domain::nik::{Nik, NikError, NikWarning, Sex};
use siaga_domain::region::{self, DistrictCode};
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn all_districts() -> &'static [DistrictCode] {
    static DISTRICTS: OnceLock<Vec<DistrictCode>> = OnceLock::new();
    DISTRICTS.get_or_init(|| region::districts().map(|d| d.code).collect())
}

fn days_in_month(month: u8, yy: u8) -> u8 {
    match month {
        2 if yy.is_multiple_of(4) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A valid NIK's parts.
#[derive(Debug, Clone)]
struct Parts {
    district: DistrictCode,
    day: u8,
    month: u8,
    yy: u8,
    sex: Sex,
    serial: u16,
}

impl Parts {
    fn text(&self) -> String {
        let day = if self.sex == Sex::Female {
            self.day + 40
        } else {
            self.day
        };
        format!(
            "{}{day:02}{:02}{:02}{:04}",
            self.district.digits(),
            self.month,
            self.yy,
            self.serial
        )
    }
}

fn parts() -> impl Strategy<Value = Parts> {
    (
        0..all_districts().len(),
        1u8..=12,
        0u8..=99,
        any::<bool>(),
        1u16..=9999,
        any::<prop::sample::Index>(),
    )
        .prop_map(|(d, month, yy, female, serial, day)| Parts {
            district: all_districts()[d],
            day: 1 + day.index(days_in_month(month, yy) as usize) as u8,
            month,
            yy,
            sex: if female { Sex::Female } else { Sex::Male },
            serial,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn valid_niks_parse_back_to_their_parts(parts in parts()) {
        let parsed = Nik::parse(&parts.text()).unwrap();
        let nik = &parsed.nik;
        prop_assert_eq!(nik.district_code(), Some(parts.district));
        prop_assert_eq!(nik.province(), parts.district.province());
        prop_assert_eq!(nik.sex(), parts.sex);
        let birth = nik.birth_date();
        prop_assert_eq!((birth.day, birth.month, birth.year_of_century), (parts.day, parts.month, parts.yy));
        prop_assert_eq!(nik.serial(), parts.serial);
        prop_assert!(parsed.warnings.is_empty());
        prop_assert_eq!(parsed.district_name, region::district(parts.district).map(|d| d.name));
        prop_assert_eq!(nik.digits(), parts.text());
        prop_assert_eq!(nik.masked(), format!("{}**********", parts.district.digits()));
    }

    #[test]
    fn wrong_length_is_reported(parts in parts(), cut in 0usize..16, extra in 0u8..=9) {
        let text = parts.text();
        let shorter = format!("{}{}", &text[..cut], &text[cut + 1..]);
        prop_assert_eq!(Nik::parse(&shorter).unwrap_err(), NikError::WrongLength { found: 15 });
        let longer = format!("{text}{extra}");
        prop_assert_eq!(Nik::parse(&longer).unwrap_err(), NikError::WrongLength { found: 17 });
    }

    #[test]
    fn a_non_digit_is_reported_where_it_is(parts in parts(), at in 0usize..16, letter in "[a-zA-Z/+_]") {
        let mut text = parts.text();
        text.replace_range(at..at + 1, &letter);
        prop_assert_eq!(Nik::parse(&text).unwrap_err(), NikError::NotDigits { position: at + 1 });
    }

    #[test]
    fn an_unknown_province_is_rejected(parts in parts(), province in 0u8..=99) {
        let known: BTreeSet<u8> = region::provinces().map(|p| p.code.number()).collect();
        prop_assume!(!known.contains(&province));
        let text = format!("{province:02}{}", &parts.text()[2..]);
        prop_assert_eq!(Nik::parse(&text).unwrap_err(), NikError::UnknownProvince { code: format!("{province:02}") });
    }

    #[test]
    fn an_impossible_date_is_rejected(parts in parts(), day in 0u8..=99, month in 0u8..=99) {
        let real_day = if day > 40 { day - 40 } else { day };
        let possible = (1..=12).contains(&month) && real_day >= 1 && real_day <= days_in_month(month, parts.yy);
        prop_assume!(!possible);
        let text = parts.text();
        let text = format!("{}{day:02}{month:02}{}", &text[..6], &text[10..]);
        prop_assert_eq!(
            Nik::parse(&text).unwrap_err(),
            NikError::ImpossibleBirthDate { day, month, year_of_century: parts.yy }
        );
    }

    #[test]
    fn serial_zero_is_rejected(parts in parts()) {
        let text = format!("{}0000", &parts.text()[..12]);
        prop_assert_eq!(Nik::parse(&text).unwrap_err(), NikError::ZeroSerial);
    }

    #[test]
    fn an_unknown_district_is_a_warning(parts in parts(), number in 1u8..=99) {
        let regency = parts.district.regency();
        let district = DistrictCode::from_number(u32::from(regency.number()) * 100 + u32::from(number)).unwrap();
        prop_assume!(region::district(district).is_none());
        let text = format!("{}{}", district.digits(), &parts.text()[6..]);
        let parsed = Nik::parse(&text).unwrap();
        prop_assert_eq!(parsed.warnings, vec![NikWarning::UnknownDistrict(district)]);
        prop_assert!(parsed.regency_name.is_some());
        prop_assert_eq!(parsed.district_name, None);
    }
}
