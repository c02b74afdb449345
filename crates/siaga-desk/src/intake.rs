//! Who is calling, as the operator takes it down during intake: the number dialed (110 or a legacy
//! number forwarded to it), the caller's number and, if they give them, their name and NIK. Each is
//! optional; what is given must be valid, and is refused with the reason in the operator's language
//! otherwise (nothing else of the report is lost: the form keeps it). The routing table of legacy numbers
//! is kept in the store as the central last sent it, so intake reads it offline.

use crate::DeskError;
use siaga_domain::incident::{call_channel, Channel, PhoneNumber, Reporter};
use siaga_domain::nik::Nik;
use siaga_store::Store;

/// The store setting holding the routing table of legacy numbers as the central last sent it.
pub const ROUTING_SETTING: &str = "routing_table";

/// The channel of a phone call from the number dialed as typed: blank or 110 is a 110 call, another
/// number a legacy number forwarded to 110. A number missing from the routing table is still taken (the
/// call did reach 110); the form says so beside the field.
pub fn report_channel(dialed: Option<&str>) -> Result<Channel, DeskError> {
    call_channel(dialed.unwrap_or_default()).ok_or(DeskError::BadDialedNumber)
}

/// The priority of a new report: the category's default, or one the operator raised above it; a lower
/// one is refused (a call is never made less urgent than its kind at intake). Without a category the
/// operator's choice stands.
pub fn report_priority(
    category: Option<siaga_domain::Category>,
    chosen: Option<siaga_domain::Priority>,
) -> Result<Option<siaga_domain::Priority>, DeskError> {
    match (category.map(siaga_domain::Category::default_priority), chosen) {
        (Some(default), Some(chosen)) if chosen > default => Err(DeskError::PriorityBelowDefault),
        (_, chosen) => Ok(chosen),
    }
}

/// The routing table as the store keeps it (empty before the central first sent it).
pub async fn legacy_numbers(store: &Store) -> Result<Vec<siaga_api::RoutingEntry>, DeskError> {
    Ok(store
        .setting(ROUTING_SETTING)
        .await?
        .and_then(|value| serde_json::from_value(value).ok())
        .unwrap_or_default())
}

/// Keeps the central's routing table in the store; written only when it changed.
pub async fn keep_legacy_numbers(store: &Store, table: &[siaga_api::RoutingEntry]) -> Result<(), DeskError> {
    if legacy_numbers(store).await? != table {
        let value = serde_json::to_value(table).map_err(|e| DeskError::DataDir(e.to_string()))?;
        store.set_setting(ROUTING_SETTING, &value).await?;
    }
    Ok(())
}

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

    #[test]
    fn a_priority_may_be_raised_above_the_categorys_never_lowered() {
        use siaga_domain::{Category, Priority};
        assert_eq!(report_priority(Some(Category::Theft), None).unwrap(), None);
        let default = Category::Theft.default_priority();
        assert_eq!(
            report_priority(Some(Category::Theft), Some(Priority::Critical)).unwrap(),
            Some(Priority::Critical)
        );
        assert_eq!(
            report_priority(Some(Category::Theft), Some(default)).unwrap(),
            Some(default)
        );
        let refused = report_priority(Some(Category::Fire), Some(Priority::Low)).unwrap_err();
        assert_eq!(refused.code(), "priority_below_default");
        assert!(refused
            .message(siaga_domain::Language::Id)
            .contains("tidak boleh lebih rendah"));
        assert_eq!(
            report_priority(None, Some(Priority::Low)).unwrap(),
            Some(Priority::Low)
        );
    }

    #[test]
    fn the_number_dialed_makes_the_channel() {
        assert_eq!(report_channel(None).unwrap(), Channel::Call110);
        assert_eq!(report_channel(Some(" ")).unwrap(), Channel::Call110);
        assert_eq!(
            report_channel(Some("112")).unwrap(),
            Channel::LegacyNumber { dialed: "112".into() }
        );
        let refused = report_channel(Some("11 2x")).unwrap_err();
        assert_eq!(refused.code(), "bad_dialed_number");
        assert!(refused
            .message(siaga_domain::Language::Id)
            .starts_with("Nomor yang dihubungi tidak valid"));
    }

    #[tokio::test]
    async fn the_routing_table_is_kept_for_offline_intake() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("desk.sqlite")).await.unwrap();
        assert!(legacy_numbers(&store).await.unwrap().is_empty());
        let table = vec![siaga_api::RoutingEntry {
            number: "112".into(),
            description: "national emergency number (legacy)".into(),
            forward_to_110: true,
        }];
        keep_legacy_numbers(&store, &table).await.unwrap();
        drop(store);
        let reopened = Store::open(&dir.path().join("desk.sqlite")).await.unwrap();
        assert_eq!(legacy_numbers(&reopened).await.unwrap(), table);
    }
}
