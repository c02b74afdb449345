//! Emergency kiosks at transit stations: identity, the station they stand in, the credentials their device
//! uses, and whether they are alive (last heartbeat) and in what state.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A kiosk's id, e.g. `KIOSK-MRT-BHI-01`: letters, digits, `-` and `_`, 3 to 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KioskId(String);

/// Not a kiosk id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a kiosk id (3 to 64 letters, digits, '-' or '_')")]
pub struct BadKioskId(pub String);

impl KioskId {
    /// A checked id.
    pub fn parse(text: &str) -> Result<KioskId, BadKioskId> {
        let ok = (3..=64).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(KioskId(text.to_owned()))
        } else {
            Err(BadKioskId(text.to_owned()))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KioskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for KioskId {
    type Error = BadKioskId;
    fn try_from(text: String) -> Result<Self, BadKioskId> {
        KioskId::parse(&text)
    }
}

impl From<KioskId> for String {
    fn from(id: KioskId) -> String {
        id.0
    }
}

/// What a kiosk is doing, as the desk sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KioskState {
    /// Registered, never heard from.
    Provisioned,
    /// Heartbeats arrive; ready for a citizen.
    Online,
    /// A citizen pressed the button: an alert is open.
    Alerting,
    /// No heartbeat within the timeout.
    Offline,
    /// Taken out of service by the operator (repair, vandalism).
    Maintenance,
    /// Its credentials were revoked; everything it sends is refused.
    Disabled,
}

impl KioskState {
    /// The state's name for people.
    pub fn label(self, language: crate::Language) -> &'static str {
        use crate::Language::{En, Id};
        match (self, language) {
            (KioskState::Provisioned, Id) => "terdaftar",
            (KioskState::Provisioned, En) => "provisioned",
            (KioskState::Online, Id) => "daring",
            (KioskState::Online, En) => "online",
            (KioskState::Alerting, Id) => "ada panggilan darurat",
            (KioskState::Alerting, En) => "alerting",
            (KioskState::Offline, Id) => "luring",
            (KioskState::Offline, En) => "offline",
            (KioskState::Maintenance, Id) => "perawatan",
            (KioskState::Maintenance, En) => "maintenance",
            (KioskState::Disabled, Id) => "dinonaktifkan",
            (KioskState::Disabled, En) => "disabled",
        }
    }
}

/// What a kiosk last said of its own health in a heartbeat (`unknown` before the first one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KioskHealth {
    /// No heartbeat yet.
    Unknown,
    /// Screen, button, camera and link work.
    Ok,
    /// Works, with a fault a technician should see (e.g. a camera down).
    Degraded,
    /// Cannot take a citizen's call.
    Fault,
}

impl KioskHealth {
    /// The machine name, as in JSON and in the stores.
    pub fn code(self) -> &'static str {
        match self {
            KioskHealth::Unknown => "unknown",
            KioskHealth::Ok => "ok",
            KioskHealth::Degraded => "degraded",
            KioskHealth::Fault => "fault",
        }
    }

    /// The health's name for people.
    pub fn label(self, language: crate::Language) -> &'static str {
        use crate::Language::{En, Id};
        match (self, language) {
            (KioskHealth::Unknown, Id) => "belum melapor",
            (KioskHealth::Unknown, En) => "no report yet",
            (KioskHealth::Ok, Id) => "baik",
            (KioskHealth::Ok, En) => "working",
            (KioskHealth::Degraded, Id) => "sebagian terganggu",
            (KioskHealth::Degraded, En) => "partly degraded",
            (KioskHealth::Fault, Id) => "rusak",
            (KioskHealth::Fault, En) => "out of order",
        }
    }

    /// The health from its machine name.
    pub fn parse(code: &str) -> Option<KioskHealth> {
        [
            KioskHealth::Unknown,
            KioskHealth::Ok,
            KioskHealth::Degraded,
            KioskHealth::Fault,
        ]
        .into_iter()
        .find(|health| health.code() == code)
    }
}

/// How long a kiosk may stay silent before it counts as offline, in seconds.
pub const HEARTBEAT_TIMEOUT_SECS: i64 = 90;

/// How long a kiosk may stay silent before a desk shows it as stale, unless the operator set another
/// time (seconds; below [`HEARTBEAT_TIMEOUT_SECS`], after which it is offline).
pub const DEFAULT_STALE_AFTER_SECS: i64 = 30;

/// A kiosk as the desk's map and Kiosk page show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KioskLight {
    /// Heartbeats arrive.
    Online,
    /// No heartbeat for longer than the stale time: maybe a network hiccup.
    Stale,
    /// No heartbeat for longer than [`HEARTBEAT_TIMEOUT_SECS`], or never.
    Offline,
    /// A citizen pressed the button and no operator has acknowledged it yet.
    Alerting,
}

impl KioskLight {
    /// Every light, most urgent first.
    pub const ALL: [KioskLight; 4] = [
        KioskLight::Alerting,
        KioskLight::Offline,
        KioskLight::Stale,
        KioskLight::Online,
    ];

    /// The light at `now_ms` of a kiosk last heard at `last_heartbeat_ms`, with an open alert or not.
    /// An open alert wins over any silence: a pressed button must never look calm.
    pub fn at(
        last_heartbeat_ms: Option<i64>,
        now_ms: i64,
        open_alert: bool,
        stale_after_secs: i64,
    ) -> KioskLight {
        if open_alert {
            return KioskLight::Alerting;
        }
        let offline_ms = HEARTBEAT_TIMEOUT_SECS * 1000;
        let stale_ms = stale_after_secs.clamp(1, HEARTBEAT_TIMEOUT_SECS) * 1000;
        match last_heartbeat_ms.map(|last| now_ms.saturating_sub(last)) {
            None => KioskLight::Offline,
            Some(silent) if silent > offline_ms => KioskLight::Offline,
            Some(silent) if silent > stale_ms => KioskLight::Stale,
            Some(_) => KioskLight::Online,
        }
    }

    /// The light's name for people.
    pub fn label(self, language: crate::Language) -> &'static str {
        use crate::Language::{En, Id};
        match (self, language) {
            (KioskLight::Online, Id) => "daring",
            (KioskLight::Online, En) => "online",
            (KioskLight::Stale, Id) => "tidak ada kabar",
            (KioskLight::Stale, En) => "stale",
            (KioskLight::Offline, Id) => "luring",
            (KioskLight::Offline, En) => "offline",
            (KioskLight::Alerting, Id) => "panggilan darurat",
            (KioskLight::Alerting, En) => "alerting",
        }
    }

    /// Its stable code (`online`, `stale`, `offline`, `alerting`).
    pub fn code(self) -> &'static str {
        match self {
            KioskLight::Online => "online",
            KioskLight::Stale => "stale",
            KioskLight::Offline => "offline",
            KioskLight::Alerting => "alerting",
        }
    }
}

/// An emergency kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Kiosk {
    /// Its id.
    pub id: KioskId,
    /// The station it stands in (an id from `station::stations`).
    pub station_id: String,
    /// The id of the device credentials it authenticates with (never the secret itself).
    pub credentials_id: String,
    /// When it last sent a heartbeat.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_heartbeat: Option<time::OffsetDateTime>,
    /// Its recorded state.
    pub state: KioskState,
}

/// A kiosk message the desk refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KioskError {
    /// The kiosk's credentials were revoked.
    #[error("kiosk {0} is disabled")]
    Disabled(KioskId),
    /// The kiosk is in maintenance and may not raise alerts.
    #[error("kiosk {0} is in maintenance")]
    InMaintenance(KioskId),
    /// The station id is not in the station list.
    #[error("unknown station {0:?}")]
    UnknownStation(String),
}

impl Kiosk {
    /// A newly registered kiosk at a known station.
    pub fn provision(
        id: KioskId,
        station_id: &str,
        credentials_id: impl Into<String>,
    ) -> Result<Kiosk, KioskError> {
        if crate::station::station(station_id).is_none() {
            return Err(KioskError::UnknownStation(station_id.to_owned()));
        }
        Ok(Kiosk {
            id,
            station_id: station_id.to_owned(),
            credentials_id: credentials_id.into(),
            last_heartbeat: None,
            state: KioskState::Provisioned,
        })
    }

    /// The station it stands in.
    pub fn station(&self) -> Option<&'static crate::station::Station> {
        crate::station::station(&self.station_id)
    }

    /// Records a heartbeat (the newest time wins; an old heartbeat arriving late changes nothing).
    pub fn heartbeat(&mut self, at: time::OffsetDateTime) -> Result<(), KioskError> {
        if self.state == KioskState::Disabled {
            return Err(KioskError::Disabled(self.id.clone()));
        }
        self.last_heartbeat = Some(self.last_heartbeat.map_or(at, |last| last.max(at)));
        if matches!(self.state, KioskState::Provisioned | KioskState::Offline) {
            self.state = KioskState::Online;
        }
        Ok(())
    }

    /// Records that a citizen pressed the button.
    pub fn raise_alert(&mut self, at: time::OffsetDateTime) -> Result<(), KioskError> {
        match self.state {
            KioskState::Disabled => Err(KioskError::Disabled(self.id.clone())),
            KioskState::Maintenance => Err(KioskError::InMaintenance(self.id.clone())),
            _ => {
                self.heartbeat(at)?;
                self.state = KioskState::Alerting;
                Ok(())
            }
        }
    }

    /// Records that the alert was taken over by an operator; the kiosk is ready again.
    pub fn clear_alert(&mut self) {
        if self.state == KioskState::Alerting {
            self.state = KioskState::Online;
        }
    }

    /// The state to show at `now`: an online or alerting kiosk silent for longer than
    /// [`HEARTBEAT_TIMEOUT_SECS`] shows as offline (an alerting one keeps alerting: the alert stays open).
    pub fn state_at(&self, now: time::OffsetDateTime) -> KioskState {
        let silent = self
            .last_heartbeat
            .is_none_or(|last| (now - last).whole_seconds() > HEARTBEAT_TIMEOUT_SECS);
        match self.state {
            KioskState::Online if silent => KioskState::Offline,
            state => state,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;

    fn t(seconds: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_767_600_000 + seconds).unwrap()
    }

    fn check_id(text: &str, ok: bool) {
        assert_eq!(KioskId::parse(text).is_ok(), ok, "{text:?}");
    }

    #[test]
    fn ids() {
        check_id("KIOSK-MRT-BHI-01", true);
        check_id("k_1", true);
        check_id("k1", false);
        check_id("kiosk 1", false);
        check_id("kiosk/../1", false);
        check_id(&"k".repeat(65), false);
    }

    #[test]
    fn lights() {
        let now = 1_767_600_000_000;
        let light = |last: Option<i64>, alert| KioskLight::at(last.map(|s| now - s * 1000), now, alert, 30);
        assert_eq!(light(Some(5), false), KioskLight::Online);
        assert_eq!(light(Some(30), false), KioskLight::Online);
        assert_eq!(light(Some(31), false), KioskLight::Stale);
        assert_eq!(light(Some(90), false), KioskLight::Stale);
        assert_eq!(light(Some(91), false), KioskLight::Offline);
        assert_eq!(light(None, false), KioskLight::Offline);
        assert_eq!(
            light(None, true),
            KioskLight::Alerting,
            "an alert wins over silence"
        );
        assert_eq!(light(Some(1), true), KioskLight::Alerting);
        // A stale time beyond the offline timeout is cut to it; zero or less means one second.
        assert_eq!(
            KioskLight::at(Some(now - 200_000), now, false, 500),
            KioskLight::Offline
        );
        assert_eq!(
            KioskLight::at(Some(now - 2_000), now, false, 0),
            KioskLight::Stale
        );
        assert_eq!(serde_json::to_value(KioskLight::Stale).unwrap(), "stale");
    }

    #[test]
    fn lifecycle() {
        let id = KioskId::parse("KIOSK-MRT-BHI-01").unwrap();
        assert_eq!(
            Kiosk::provision(id.clone(), "mrt-nowhere", "cred-1"),
            Err(KioskError::UnknownStation("mrt-nowhere".into()))
        );
        let mut kiosk = Kiosk::provision(id.clone(), "mrt-bundaran-hi", "cred-1").unwrap();
        assert_eq!(kiosk.state_at(t(0)), KioskState::Provisioned);
        kiosk.heartbeat(t(0)).unwrap();
        assert_eq!(kiosk.state_at(t(60)), KioskState::Online);
        assert_eq!(kiosk.state_at(t(91)), KioskState::Offline);
        kiosk.heartbeat(t(-100)).unwrap();
        assert_eq!(
            kiosk.last_heartbeat,
            Some(t(0)),
            "a late old heartbeat changes nothing"
        );
        kiosk.raise_alert(t(30)).unwrap();
        assert_eq!(kiosk.state_at(t(500)), KioskState::Alerting);
        kiosk.clear_alert();
        assert_eq!(kiosk.state, KioskState::Online);
        kiosk.state = KioskState::Maintenance;
        assert_eq!(
            kiosk.raise_alert(t(40)),
            Err(KioskError::InMaintenance(id.clone()))
        );
        kiosk.state = KioskState::Disabled;
        assert_eq!(kiosk.heartbeat(t(50)), Err(KioskError::Disabled(id)));
        assert_eq!(kiosk.station().unwrap().name, "Bundaran HI");
        let json = serde_json::to_value(&kiosk).unwrap();
        assert_eq!(json["stationId"], "mrt-bundaran-hi");
        assert_eq!(serde_json::from_value::<Kiosk>(json).unwrap(), kiosk);
    }
}
