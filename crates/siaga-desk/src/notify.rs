//! Which changes deserve a desktop notification, decided without IO (the shell only shows them): a
//! kiosk alert no operator has acknowledged, and a new critical (priority 1) incident. Never for a
//! muted category, never twice for one incident, never for what was already old when the desk learned
//! of it (a resync must not ring a hundred bells). The banner and the map show muted alerts all the same.

use siaga_domain::{Category, Incident, IncidentId, IncidentStatus, Language, Priority};
use siaga_ipc::NotificationPrefs;
use std::collections::HashSet;

/// An incident older than this when the desk first sees it does not notify (ms).
pub const FRESH_FOR_MS: i64 = 5 * 60 * 1000;

/// Why a notification is raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    /// A citizen pressed a station kiosk's emergency button.
    KioskAlert,
    /// A new incident of priority 1 (critical).
    Critical,
}

/// A desktop notification to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskNotification {
    pub incident_id: IncidentId,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
}

/// Remembers what it notified, and decides for each changed incident.
#[derive(Debug, Default)]
pub struct Notifier {
    notified: HashSet<IncidentId>,
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(max_chars - 1).collect();
    short.push('…');
    short
}

fn category_label(category: Option<Category>, language: Language) -> &'static str {
    match (category, language) {
        (Some(category), language) => category.label(language),
        (None, Language::Id) => "belum diklasifikasi",
        (None, Language::En) => "not yet classified",
    }
}

impl Notifier {
    /// A notifier that has notified nothing yet.
    pub fn new() -> Notifier {
        Notifier::default()
    }

    /// The notification `incident` (as the desk now shows it) deserves at `now_ms`, if any. `station`
    /// is the name of the alerting kiosk's station when the desk knows it.
    pub fn consider(
        &mut self,
        incident: &Incident,
        station: Option<&str>,
        now_ms: i64,
        prefs: &NotificationPrefs,
        language: Language,
    ) -> Option<DeskNotification> {
        if self.notified.contains(&incident.id) {
            return None;
        }
        let received_ms = siaga_domain::clock::unix_ms(incident.received_at);
        if now_ms.saturating_sub(received_ms) > FRESH_FOR_MS {
            return None;
        }
        let kind = if incident.open_kiosk_alert().is_some() {
            NotificationKind::KioskAlert
        } else if incident.priority == Priority::Critical && incident.status == IncidentStatus::Received {
            NotificationKind::Critical
        } else {
            return None;
        };
        // Seen now, whether shown or muted: unmuting later does not ring for the past.
        self.notified.insert(incident.id);
        if incident.category.is_some_and(|c| prefs.muted.contains(&c)) {
            return None;
        }
        let id = language == Language::Id;
        let title = match kind {
            NotificationKind::KioskAlert => {
                let place = station
                    .map(str::to_owned)
                    .or_else(|| incident.open_kiosk_alert().map(|k| k.to_string()))
                    .unwrap_or_default();
                if id {
                    format!("Panggilan darurat kios: {place}")
                } else {
                    format!("Kiosk emergency call: {place}")
                }
            }
            NotificationKind::Critical if id => format!(
                "Insiden prioritas 1: {}",
                category_label(incident.category, language)
            ),
            NotificationKind::Critical => format!(
                "Priority 1 incident: {}",
                category_label(incident.category, language)
            ),
        };
        let hint = match (kind, id) {
            (NotificationKind::KioskAlert, true) => "Tanggapi di Siaga 110.",
            (NotificationKind::KioskAlert, false) => "Acknowledge it in Siaga 110.",
            (NotificationKind::Critical, true) => "Segera periksa di Siaga 110.",
            (NotificationKind::Critical, false) => "Check it in Siaga 110 now.",
        };
        let body = match incident.description.trim() {
            "" => hint.to_owned(),
            text => format!("{}\n{hint}", shorten(&siaga_domain::nik::redact_niks(text), 160)),
        };
        Some(DeskNotification {
            incident_id: incident.id,
            kind,
            title,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use siaga_domain::kiosk::KioskId;
    use siaga_domain::{Actor, Channel, EventId, IncidentChange, IncidentEvent, IncidentState, Role};
    use time::OffsetDateTime;
    use uuid::Uuid;

    const NOW_MS: i64 = 1_795_000_000_000;

    fn at(ms: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap()
    }

    fn incident(
        n: u128,
        channel: Channel,
        category: Option<Category>,
        priority: Option<Priority>,
        age_ms: i64,
    ) -> IncidentState {
        let event = IncidentEvent {
            id: EventId(Uuid::from_u128(n)),
            incident_id: IncidentId(Uuid::from_u128(n)),
            at: at(NOW_MS - age_ms),
            actor: Actor::new("sys", Role::System),
            change: IncidentChange::Received {
                channel,
                caller_number: None,
                reporter: None,
                location: Default::default(),
                description: "Bundaran HI: penumpang kecopetan, NIK 3171015208900123 disebut".into(),
                proposed_category: category,
                priority,
                polda: None,
            },
        };
        IncidentState::receive(&event).unwrap()
    }

    fn kiosk() -> Channel {
        Channel::StationKiosk {
            kiosk: KioskId::parse("KIOSK-MRT-BHI-01").unwrap(),
        }
    }

    #[test]
    fn a_fresh_kiosk_alert_rings_once_with_its_station() {
        let mut notifier = Notifier::new();
        let prefs = NotificationPrefs::default();
        let alert = incident(1, kiosk(), Some(Category::Theft), Some(Priority::High), 1_000);
        let shown = notifier
            .consider(
                alert.incident(),
                Some("Bundaran HI"),
                NOW_MS,
                &prefs,
                Language::Id,
            )
            .expect("a notification");
        assert_eq!(shown.kind, NotificationKind::KioskAlert);
        assert_eq!(shown.title, "Panggilan darurat kios: Bundaran HI");
        assert!(shown.body.ends_with("Tanggapi di Siaga 110."), "{}", shown.body);
        assert!(
            shown.body.contains("NIK 317101**********"),
            "a NIK never shows in full: {}",
            shown.body
        );
        assert_eq!(
            notifier.consider(
                alert.incident(),
                Some("Bundaran HI"),
                NOW_MS,
                &prefs,
                Language::Id
            ),
            None,
            "never twice"
        );
    }

    #[test]
    fn acknowledged_old_muted_and_ordinary_incidents_stay_quiet() {
        let prefs = NotificationPrefs {
            muted: vec![Category::Theft],
            ..Default::default()
        };
        let mut notifier = Notifier::new();
        let muted = incident(1, kiosk(), Some(Category::Theft), Some(Priority::High), 1_000);
        assert_eq!(
            notifier.consider(muted.incident(), None, NOW_MS, &prefs, Language::En),
            None
        );
        let unmuted = NotificationPrefs::default();
        assert_eq!(
            notifier.consider(muted.incident(), None, NOW_MS, &unmuted, Language::En),
            None,
            "unmuting does not ring for the past"
        );
        let old = incident(2, kiosk(), None, Some(Priority::High), FRESH_FOR_MS + 1);
        assert_eq!(
            notifier.consider(old.incident(), None, NOW_MS, &unmuted, Language::En),
            None
        );
        let ordinary = incident(3, Channel::Call110, Some(Category::Fraud), None, 0);
        assert_eq!(
            notifier.consider(ordinary.incident(), None, NOW_MS, &unmuted, Language::En),
            None
        );
        let mut acknowledged = incident(4, kiosk(), None, Some(Priority::High), 0);
        acknowledged
            .apply(&IncidentEvent {
                id: EventId(Uuid::from_u128(40)),
                incident_id: IncidentId(Uuid::from_u128(4)),
                at: at(NOW_MS),
                actor: Actor::new("op", Role::Operator1),
                change: IncidentChange::Acknowledged,
            })
            .unwrap();
        assert_eq!(
            notifier.consider(acknowledged.incident(), None, NOW_MS, &unmuted, Language::En),
            None
        );
    }

    #[test]
    fn a_new_critical_incident_rings_in_english_too() {
        let mut notifier = Notifier::new();
        let fire = incident(1, Channel::Call110, Some(Category::Fire), None, 0);
        let shown = notifier
            .consider(
                fire.incident(),
                None,
                NOW_MS,
                &NotificationPrefs::default(),
                Language::En,
            )
            .unwrap();
        assert_eq!(shown.kind, NotificationKind::Critical);
        assert_eq!(
            shown.title,
            "Priority 1 incident: Fire (forwarded to the fire service)"
        );
    }
}
