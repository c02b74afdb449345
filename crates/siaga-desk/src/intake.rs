//! Who is calling, as the operator takes it down during intake: the caller's number and, if they give
//! them, their name and NIK. Each is optional; what is given must be valid, and is refused with the
//! reason in the operator's language otherwise (nothing else of the report is lost: the form keeps it).

use crate::DeskError;
use siaga_domain::incident::{PhoneNumber, Reporter};
use siaga_domain::nik::Nik;

/// The longest reporter name taken.
pub const MAX_REPORTER_NAME: usize = 100;

fn given(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// The caller's number and the reporter, from what the operator typed.
pub fn report_people(
    caller_number: Option<&str>,
    reporter_name: Option<&str>,
    reporter_nik: Option<&str>,
) -> Result<(Option<PhoneNumber>, Option<Reporter>), DeskError> {
    let caller = given(caller_number)
        .map(|number| PhoneNumber::parse(number).map_err(|_| DeskError::BadCallerNumber))
        .transpose()?;
    let name = given(reporter_name)
        .map(|name| {
            if name.chars().count() > MAX_REPORTER_NAME || name.chars().any(char::is_control) {
                Err(DeskError::BadReporterName)
            } else {
                Ok(name.to_owned())
            }
        })
        .transpose()?;
    let nik = given(reporter_nik)
        .map(|nik| {
            Nik::parse(nik)
                .map(|parsed| parsed.nik)
                .map_err(DeskError::BadNik)
        })
        .transpose()?;
    let reporter = (name.is_some() || nik.is_some()).then_some(Reporter { name, nik });
    Ok((caller, reporter))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_given_must_be_valid_and_blank_is_nothing() {
        let (caller, reporter) =
            report_people(Some(" 0812-3456-7890 "), Some("Siti"), Some("3171015203900007")).unwrap();
        assert!(caller.is_some());
        let reporter = reporter.unwrap();
        assert_eq!(reporter.name.as_deref(), Some("Siti"));
        assert_eq!(reporter.nik.unwrap().digits(), "3171015203900007");
        assert_eq!(report_people(Some(" "), None, Some("")).unwrap(), (None, None));
        assert!(matches!(
            report_people(Some("halo"), None, None),
            Err(DeskError::BadCallerNumber)
        ));
        assert!(matches!(
            report_people(None, None, Some("31710152039000")),
            Err(DeskError::BadNik(_))
        ));
        assert!(matches!(
            report_people(None, Some(&"x".repeat(101)), None),
            Err(DeskError::BadReporterName)
        ));
    }
}
