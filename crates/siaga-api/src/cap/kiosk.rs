//! The kiosk profile of CAP: which `parameter`s a Siaga station kiosk sends, and [`KioskAlert`], the
//! emergency Siaga reads out of such an alert.

use super::*;
use siaga_domain::event::IncidentChange;
use siaga_domain::geo::Circle;
use siaga_domain::incident::{Channel, Location};
use siaga_domain::kiosk::KioskId;
use siaga_domain::{Category, Priority};
use time::OffsetDateTime;

// The kiosk profile.

/// The `parameter` naming the kiosk.
pub const PARAM_KIOSK_ID: &str = "siagaKioskId";
/// The `parameter` naming the station.
pub const PARAM_STATION_ID: &str = "siagaStationId";
/// The `parameter` with the category the citizen chose, if any.
pub const PARAM_CATEGORY: &str = "siagaCategory";

/// An emergency button pressed at a station kiosk, as Siaga reads it out of a CAP alert.
#[derive(Debug, Clone, PartialEq)]
pub struct KioskAlert {
    /// The CAP identifier (unique per kiosk).
    pub identifier: String,
    /// The kiosk.
    pub kiosk: KioskId,
    /// The station (an id from the station list).
    pub station_id: String,
    /// When the button was pressed.
    pub sent: OffsetDateTime,
    /// Actual, or Test/Exercise for drills.
    pub status: CapStatus,
    /// Where the kiosk stands (a CAP circle; radius 0 for a point).
    pub area: Circle,
    /// The station's name, as the area description.
    pub area_description: String,
    /// The category the citizen chose on the kiosk, if any.
    pub category: Option<Category>,
    /// What the citizen typed or said, if anything.
    pub description: Option<String>,
}

impl KioskAlert {
    /// The sender a kiosk uses: `<kiosk id>@kiosk.siaga110.id`.
    pub fn sender_for(kiosk: &KioskId) -> String {
        format!("{kiosk}@kiosk.siaga110.id")
    }

    /// The alert as CAP 1.2.
    pub fn to_cap(&self) -> CapAlert {
        let mut parameters = vec![
            CapValue::new(PARAM_KIOSK_ID, self.kiosk.as_str()),
            CapValue::new(PARAM_STATION_ID, self.station_id.clone()),
        ];
        if let Some(category) = self.category {
            parameters.push(CapValue::new(PARAM_CATEGORY, category.code()));
        }
        CapAlert {
            identifier: self.identifier.clone(),
            sender: KioskAlert::sender_for(&self.kiosk),
            sent: self.sent,
            status: self.status,
            msg_type: CapMsgType::Alert,
            source: None,
            scope: CapScope::Private,
            restriction: None,
            addresses: Some("siaga110".into()),
            codes: vec!["RFC8876".into()],
            note: None,
            references: None,
            incidents: None,
            infos: vec![CapInfo {
                language: Some("id-ID".into()),
                categories: vec![CapCategory::Security],
                event: "Tombol darurat kios stasiun".into(),
                response_types: vec![],
                urgency: CapUrgency::Immediate,
                severity: CapSeverity::Unknown,
                certainty: CapCertainty::Unknown,
                audience: None,
                event_codes: vec![],
                effective: None,
                onset: None,
                expires: None,
                sender_name: None,
                headline: None,
                description: self.description.clone(),
                instruction: None,
                web: None,
                contact: None,
                parameters,
                areas: vec![CapArea {
                    description: self.area_description.clone(),
                    polygons: vec![],
                    circles: vec![self.area],
                    geocodes: vec![],
                    altitude: None,
                    ceiling: None,
                }],
            }],
        }
    }

    /// Reads a kiosk alert out of a validated CAP alert: one info block, kiosk and station parameters,
    /// the sender matching the kiosk, and a circle for the position.
    pub fn from_cap(alert: &CapAlert) -> Result<KioskAlert, CapError> {
        let refuse = |why: &str| CapError::NotKioskAlert(why.to_owned());
        if alert.msg_type != CapMsgType::Alert {
            return Err(refuse("msgType must be Alert"));
        }
        let [info] = alert.infos.as_slice() else {
            return Err(refuse("exactly one <info> is required"));
        };
        let parameter = |name: &str| {
            info.parameters
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.value.as_str())
        };
        let kiosk =
            parameter(PARAM_KIOSK_ID).ok_or_else(|| refuse("the siagaKioskId parameter is missing"))?;
        let kiosk = KioskId::parse(kiosk).map_err(|e| refuse(&e.to_string()))?;
        if alert.sender != KioskAlert::sender_for(&kiosk) {
            return Err(refuse("the sender does not match the kiosk"));
        }
        let station_id =
            parameter(PARAM_STATION_ID).ok_or_else(|| refuse("the siagaStationId parameter is missing"))?;
        let category = parameter(PARAM_CATEGORY)
            .map(|c| c.parse::<Category>().map_err(|e| refuse(&e.to_string())))
            .transpose()?;
        let [area] = info.areas.as_slice() else {
            return Err(refuse("exactly one <area> is required"));
        };
        let [circle] = area.circles.as_slice() else {
            return Err(refuse("the area must be one circle (a point is radius 0)"));
        };
        Ok(KioskAlert {
            identifier: alert.identifier.clone(),
            kiosk,
            station_id: station_id.to_owned(),
            sent: alert.sent,
            status: alert.status,
            area: *circle,
            area_description: area.description.clone(),
            category,
            description: info.description.clone(),
        })
    }

    /// The receipt event change that opens an incident for this alert (applied by the `System` role):
    /// the kiosk channel, the kiosk's position, the station's regency/city when the station is known, and
    /// high priority unless the citizen chose a category.
    pub fn received_change(&self) -> IncidentChange {
        let station = siaga_domain::station::station(&self.station_id);
        let mut location = Location::at(self.area.center);
        if let Some(station) = station {
            location.regency = Some(station.regency);
            location.province = Some(station.regency.province());
        }
        location.address = Some(self.area_description.clone());
        let description = self.description.clone().unwrap_or_else(|| match station {
            Some(station) => format!(
                "Tombol darurat kios ditekan di {} ({})",
                station.name,
                station.lines.join(", ")
            ),
            None => format!("Tombol darurat kios ditekan di {}", self.area_description),
        });
        IncidentChange::Received {
            channel: Channel::StationKiosk {
                kiosk: self.kiosk.clone(),
            },
            caller_number: None,
            reporter: None,
            location,
            description,
            proposed_category: self.category,
            priority: if self.category.is_some() {
                None
            } else {
                Some(Priority::High)
            },
            polda: None,
        }
    }

    /// Reads an alert an authenticated kiosk sent, accepting plain CAP 1.2 where it suffices
    /// (docs/kiosk-cap-profile.md): the kiosk is the one signed in (`siagaKioskId`, when present, must
    /// name it — checked by the caller, which answers 403); a sender in the kiosk form
    /// (`…@kiosk.siaga110.id`) must be the kiosk's own, any other sender is taken as the device's; the
    /// station is `siagaStationId` when present; the place is the alert's first circle, else the kiosk's
    /// registered position; the place's name is the first `areaDesc`, else the registered station name.
    /// Only what a report cannot do without is required: `msgType` Alert and at least one `<info>`.
    pub fn from_cap_sent_by(
        alert: &CapAlert,
        kiosk: &KioskId,
        registered_position: siaga_domain::GeoPoint,
        registered_station: &str,
    ) -> Result<KioskAlert, CapError> {
        let refuse = |why: &str| CapError::NotKioskAlert(why.to_owned());
        if alert.msg_type != CapMsgType::Alert {
            return Err(refuse(
                "msgType must be Alert (Update, Cancel, Ack and Error are not read)",
            ));
        }
        let Some(info) = alert.infos.first() else {
            return Err(refuse("at least one <info> (what happened) is required"));
        };
        if alert.sender.ends_with("@kiosk.siaga110.id") && alert.sender != KioskAlert::sender_for(kiosk) {
            return Err(refuse("the sender is another kiosk's"));
        }
        let parameter = |name: &str| {
            info.parameters
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.value.as_str())
        };
        let category = parameter(PARAM_CATEGORY)
            .map(|c| c.parse::<Category>().map_err(|e| refuse(&e.to_string())))
            .transpose()?;
        let area = info.areas.first();
        let circle = area.and_then(|a| a.circles.first().copied());
        let area_description = area
            .map(|a| a.description.trim())
            .filter(|d| !d.is_empty())
            .unwrap_or(registered_station);
        Ok(KioskAlert {
            identifier: alert.identifier.clone(),
            kiosk: kiosk.clone(),
            station_id: parameter(PARAM_STATION_ID).unwrap_or_default().to_owned(),
            sent: alert.sent,
            status: alert.status,
            area: circle
                .unwrap_or_else(|| Circle::new(registered_position, 0.0).expect("a zero radius is a circle")),
            area_description: area_description.to_owned(),
            category,
            description: info.description.clone(),
        })
    }

    /// The kiosk an alert names in its `siagaKioskId` parameter, if it names one.
    pub fn named_kiosk(alert: &CapAlert) -> Option<&str> {
        alert
            .infos
            .first()?
            .parameters
            .iter()
            .find(|p| p.name == PARAM_KIOSK_ID)
            .map(|p| p.value.as_str())
    }

    /// Parses raw kiosk bytes straight to a kiosk alert.
    pub fn parse(bytes: &[u8]) -> Result<KioskAlert, CapError> {
        KioskAlert::from_cap(&CapAlert::parse(bytes)?)
    }
}
