//! Personal data for people who may not see it (analysts, see [`crate::Role::sees_personal_data`]):
//! phone numbers and NIKs masked wherever they appear, in their own fields and inside free text, and an
//! incident stripped of its reporter's identity. Pure; the central applies it on every route and on
//! the WebSocket.

use crate::nik::redact_niks;
use crate::Incident;

/// Digits a phone number has at least (Indonesian numbers have 10–13; a landline with its area code 9+).
const PHONE_MIN_DIGITS: usize = 9;

/// A phone number for someone who may not see it: only the operator prefix (the first 4 digits, e.g.
/// `0812`, which says the network, not the person) and the last 2 digits stay, and only for a number of
/// 10 digits or more; a shorter one is masked whole, so no short number is ever shown in full. A leading
/// `+` and separators stay.
pub fn mask_phone(text: &str) -> String {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let keep = |i: usize| digits >= 10 && (i < 4 || i + 2 >= digits);
    let mut seen = 0;
    text.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                let shown = keep(seen);
                seen += 1;
                if shown {
                    c
                } else {
                    '*'
                }
            } else if matches!(c, '+' | ' ' | '-') {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Free text with every NIK and phone number in it masked: NIKs first, as [`redact_niks`] finds them
/// (in groups too: `3171 0152 0890 0123`, `3171.0152.0890.0123`), keeping their 6 region digits; then a run
/// of digits (a leading `+`, single spaces or hyphens between digits allowed, so `0812-3456-7890` counts)
/// of [`PHONE_MIN_DIGITS`] or more is masked as a phone number ([`mask_phone`]). Shorter runs — house
/// numbers, times, dates, sums, coordinates (a `.` ends a phone number's run) — stay.
pub fn redact_personal_numbers(text: &str) -> String {
    let text = redact_niks(text);
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_run = chars[i].is_ascii_digit()
            || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        if !starts_run {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < chars.len() {
            let continues = chars[i].is_ascii_digit()
                || (matches!(chars[i], ' ' | '-')
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit));
            if !continues {
                break;
            }
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        let digits = run.chars().filter(char::is_ascii_digit).count();
        if digits >= PHONE_MIN_DIGITS {
            out.push_str(&mask_phone(&run));
        } else {
            out.push_str(&run);
        }
    }
    out
}

/// The incident without personal data: no caller number, no reporter name or NIK (the reporter stays,
/// so that one was recorded still shows), and NIKs and phone numbers masked in every free text
/// (description, address, notes, closure summary, SPKT desk, unit).
pub fn without_personal_data(incident: &Incident) -> Incident {
    let mut incident = incident.clone();
    incident.caller_number = None;
    if let Some(reporter) = &mut incident.reporter {
        reporter.name = None;
        reporter.nik = None;
    }
    let redact = |text: &mut String| *text = redact_personal_numbers(text);
    redact(&mut incident.description);
    incident.location.address.iter_mut().for_each(redact);
    incident.spkt_desk.iter_mut().for_each(redact);
    incident.handling_unit.iter_mut().for_each(redact);
    incident.notes.iter_mut().for_each(|note| redact(&mut note.text));
    if let Some(closure) = &mut incident.closure {
        redact(&mut closure.summary);
    }
    if let Some(validation) = &mut incident.validation {
        redact(&mut validation.reason);
    }
    incident
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_keep_only_the_prefix_and_two_digits_and_short_ones_nothing() {
        assert_eq!(mask_phone("081234567890"), "0812******90");
        assert_eq!(mask_phone("+6281234567890"), "+6281*******90");
        assert_eq!(mask_phone("0812-3456-7890"), "0812-****-**90");
        assert_eq!(
            mask_phone("1234567"),
            "*******",
            "a short number is never shown whole"
        );
        assert_eq!(mask_phone("110"), "***");
        assert_eq!(mask_phone("021555"), "******");
        assert_eq!(mask_phone("bukan nomor"), "***** *****");
        // Found by the fuzzer (`personal_numbers`): `PhoneNumber::masked` kept the last three digits, so a
        // three-digit number showed whole; it is this mask now.
        let short = crate::incident::PhoneNumber::parse("112").unwrap();
        assert_eq!(short.masked(), "***");
    }

    #[test]
    fn niks_and_phone_numbers_in_free_text_are_masked_and_ordinary_numbers_stay() {
        assert_eq!(
            redact_personal_numbers("Pelapor 3171015208900123 hubungi 081234567890 atau +62 812 3456 7890."),
            "Pelapor 317101********** hubungi 0812******90 atau +62 81* **** **90."
        );
        assert_eq!(
            redact_personal_numbers("NIK 3171 0152 0890 0123"),
            "NIK 3171 01** **** ****"
        );
        // Found by the fuzzer (`personal_numbers`): dotted groups hid a NIK from the phone scan.
        assert_eq!(
            redact_personal_numbers("NIK 3171.0152.0890.0123, Rp 1.500.000"),
            "NIK 3171.01**.****.****, Rp 1.500.000"
        );
        assert_eq!(
            redact_personal_numbers("telp 0812-3456-7890"),
            "telp 0812-****-**90"
        );
        let ordinary =
            "Jl. Sudirman No. 12, RT 003/RW 05, pukul 10.30, 04-12-2026, Rp 1.500.000, -6.175392, 106.827153";
        assert_eq!(redact_personal_numbers(ordinary), ordinary);
        assert_eq!(redact_personal_numbers("tanpa angka"), "tanpa angka");
        assert_eq!(redact_personal_numbers(""), "");
        assert_eq!(redact_personal_numbers("+"), "+");
        assert_eq!(redact_personal_numbers("ñ 0812345678 ñ"), "ñ 0812****78 ñ");
    }

    #[test]
    fn an_incident_loses_its_reporters_identity_and_the_numbers_in_its_texts() {
        use crate::event::{IncidentChange, IncidentEvent};
        use crate::flow::IncidentState;
        use crate::incident::{Actor, Channel, EventId, IncidentId, Location, PhoneNumber, Reporter};
        use crate::{Nik, PoldaId, Role};
        const NIK: &str = "3471014506900001";
        let event = IncidentEvent {
            id: EventId(uuid::Uuid::from_u128(1)),
            incident_id: IncidentId(uuid::Uuid::from_u128(2)),
            at: time::OffsetDateTime::from_unix_timestamp(1_767_600_000).unwrap(),
            actor: Actor::new("op1", Role::Operator1),
            change: IncidentChange::Received {
                channel: Channel::Call110,
                caller_number: Some(PhoneNumber::parse("081234567890").unwrap()),
                reporter: Some(Reporter {
                    name: Some("Sri Wahyuni".into()),
                    nik: Some(Nik::parse(NIK).unwrap().nik),
                }),
                location: Location {
                    address: Some(format!("Jl. Malioboro 12, pelapor {NIK}")),
                    ..Location::default()
                },
                description: "Pelapor (hp 0813-9876-5432) melihat copet".to_owned(),
                proposed_category: None,
                priority: None,
                polda: Some(PoldaId::DaerahIstimewaYogyakarta),
            },
        };
        let mut state = IncidentState::receive(&event).unwrap();
        state
            .apply(&IncidentEvent {
                id: EventId(uuid::Uuid::from_u128(3)),
                change: IncidentChange::ReportValidated {
                    outcome: crate::incident::ValidationOutcome::NotValid,
                    reason: format!("NIK {NIK} bukan milik pelapor"),
                    call: None,
                },
                ..event.clone()
            })
            .unwrap();
        let incident = state.into_incident();
        let masked = without_personal_data(&incident);
        assert_eq!(
            masked.validation.as_ref().map(|v| v.reason.as_str()),
            Some("NIK 347101********** bukan milik pelapor"),
            "the validation's reason is free text too"
        );
        assert_eq!(masked.caller_number, None);
        let reporter = masked
            .reporter
            .as_ref()
            .expect("that a reporter was recorded stays");
        assert_eq!((&reporter.name, &reporter.nik), (&None, &None));
        assert_eq!(masked.description, "Pelapor (hp 0813-****-**32) melihat copet");
        assert_eq!(
            masked.location.address.as_deref(),
            Some("Jl. Malioboro 12, pelapor 347101**********")
        );
        assert_eq!(
            (masked.id, masked.version, masked.status),
            (incident.id, incident.version, incident.status)
        );
        let text = serde_json::to_string(&masked).unwrap();
        for personal in [NIK, "081234567890", "Sri", "9876"] {
            assert!(!text.contains(personal), "{personal} in {text}");
        }
    }
}
