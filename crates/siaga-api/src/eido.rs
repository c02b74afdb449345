//! Incidents on the wire, shaped after the NENA-STA-021 Emergency Incident Data Object (EIDO) JSON:
//! an `incidentComponent` plus call, location, person, agency, emergency-resource and notes components,
//! with NENA field names where they fit. What EIDO has no field for (Polda/Polres codes, the Kemendagri
//! region codes, the reporter's NIK, the closure, the event version) travels in `siagaExtension`, so
//! [`to_eido`] and [`from_eido`] round-trip an [`Incident`] exactly.

use serde::{Deserialize, Serialize};
use siaga_domain::category::{Category, Priority};
use siaga_domain::flow::IncidentStatus;
use siaga_domain::incident::{
    Actor, Channel, Closure, EventId, Incident, IncidentId, Location, Note, PhoneNumber, Reporter,
};
use siaga_domain::polda::{self, PoldaId, PolresId};
use siaga_domain::{GeoPoint, Language};
use time::OffsetDateTime;
use uuid::Uuid;

/// The domain part of NENA-style identifiers minted by Siaga.
pub const ID_DOMAIN: &str = "siaga110.id";
const INCIDENT_URN: &str = "urn:emergency:uid:incidentid:";
const CALL_URN: &str = "urn:emergency:uid:callid:";
const MESSAGE_URN: &str = "urn:emergency:uid:eidomessageid:";

/// An EIDO-shaped incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EidoIncident {
    /// Identifies this message (incident id and version).
    pub eido_message_identifier: String,
    /// When the incident last changed.
    #[serde(with = "time::serde::rfc3339")]
    pub last_update_time_stamp: OffsetDateTime,
    /// The incident itself.
    pub incident_component: IncidentComponent,
    /// The call or report that opened it.
    pub call_component: Vec<CallComponent>,
    /// Where it is.
    pub location_component: Vec<LocationComponent>,
    /// The reporter, when identified.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub person_component: Vec<PersonComponent>,
    /// The Polda and Polres responsible.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agency_component: Vec<AgencyComponent>,
    /// The unit handling it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emergency_resource_component: Vec<EmergencyResourceComponent>,
    /// Notes, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes_component: Vec<NotesComponent>,
    /// What EIDO has no field for.
    pub siaga_extension: SiagaExtension,
}

/// EIDO `incidentComponent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IncidentComponent {
    /// `urn:emergency:uid:incidentid:<uuid>:siaga110.id`.
    pub incident_tracking_identifier: String,
    /// The incident's UUID.
    pub local_incident_identifier: String,
    /// The category code (Siaga's Kamtibmas registry), absent until classified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_type_local_registry_text: Option<String>,
    /// The status in EIDO's common terms: `Pending`, `Dispatched`, `Active`, `Closed`.
    pub incident_status_common_registry_text: String,
    /// The status in Siaga's terms (`received`, `handed_to_spkt`, …).
    pub incident_status_local_registry_text: String,
    /// `critical`, `high`, `medium` or `low`.
    pub incident_priority_text: String,
    /// What the reporter said.
    pub incident_description_text: String,
    /// When the report arrived.
    #[serde(with = "time::serde::rfc3339")]
    pub incident_creation_time_stamp: OffsetDateTime,
    /// How it was closed, in words (closed incidents only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_disposition_text: Option<String>,
}

/// EIDO `callComponent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallComponent {
    /// `urn:emergency:uid:callid:<incident uuid>:siaga110.id`.
    pub call_identifier: String,
    /// The channel in words.
    pub call_type_description: String,
    /// The caller's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_callback_number: Option<String>,
    /// The number dialed, for a legacy number forwarded to 110.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_dialed_number: Option<String>,
    /// The channel, typed.
    pub siaga_channel: Channel,
}

/// EIDO `locationComponent` (position as GeoJSON, address in words).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocationComponent {
    /// The position, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_by_value: Option<GeoJsonPoint>,
    /// Province, regency/city, district and village names and the free-text address, joined by ", ".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub civic_address_text: Option<String>,
}

/// A GeoJSON point (`coordinates` is longitude, latitude).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeoJsonPoint {
    /// Always `Point`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `[longitude, latitude]`.
    pub coordinates: [f64; 2],
}

/// EIDO `personComponent` (the reporter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonComponent {
    /// Always `reporter`.
    pub person_role_text: String,
    /// The name they gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_name_full_text: Option<String>,
}

/// EIDO `agencyComponent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgencyComponent {
    /// `polda:<code>`, `polres:<regency code>` or `agency:<code>` (another emergency service it was handed to).
    pub agency_identifier: String,
    /// E.g. `Polda Metro Jaya`.
    pub agency_name: String,
    /// `responsible_polda`, `responsible_polres` or `assisting_agency`.
    pub agency_role_text: String,
}

/// EIDO `emergencyResourceComponent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyResourceComponent {
    /// The unit, as the SPKT named it.
    pub emergency_resource_text: String,
}

/// EIDO `notesComponent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotesComponent {
    /// When it was written.
    #[serde(with = "time::serde::rfc3339")]
    pub note_date_time_stamp: OffsetDateTime,
    /// The text.
    pub note_text: String,
    /// Who wrote it (account id).
    pub note_author_text: String,
    /// The author's role.
    pub siaga_author_role: siaga_domain::Role,
    /// The event that added it.
    pub siaga_event_id: EventId,
}

/// Siaga's fields that EIDO has no place for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SiagaExtension {
    /// How many events built this incident.
    pub version: u64,
    /// The responsible Polda.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polda: Option<PoldaId>,
    /// The responsible Polres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polres: Option<PolresId>,
    /// The Kemendagri codes and free-text address of the location.
    pub region: RegionCodes,
    /// The reporter's NIK (16 digits; personal data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter_nik: Option<siaga_domain::Nik>,
    /// Whether a reporter was recorded at all (a reporter may give neither name nor NIK).
    #[serde(default)]
    pub has_reporter: bool,
    /// The SPKT desk it was handed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spkt_desk: Option<String>,
    /// The closure, while closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closure: Option<Closure>,
    /// Who acknowledged the alert, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged: Option<siaga_domain::incident::Acknowledgement>,
    /// The latest check of the report with its reporter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation: Option<siaga_domain::incident::Validation>,
}

/// The region codes of a location.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionCodes {
    /// Province.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<siaga_domain::region::ProvinceCode>,
    /// Regency/city.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regency: Option<siaga_domain::region::RegencyCode>,
    /// District.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<siaga_domain::region::DistrictCode>,
    /// Village.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub village: Option<siaga_domain::region::VillageCode>,
    /// The free-text address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// An EIDO document that does not describe a Siaga incident.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EidoError {
    /// A field has a value Siaga does not know.
    #[error("{field}: {problem}")]
    BadField {
        /// The JSON field, e.g. `incidentComponent.incidentTrackingIdentifier`.
        field: &'static str,
        /// What was wrong.
        problem: String,
    },
    /// The document is not EIDO-shaped JSON.
    #[error("not an EIDO incident: {0}")]
    Json(String),
}

fn bad(field: &'static str, problem: impl Into<String>) -> EidoError {
    EidoError::BadField {
        field,
        problem: problem.into(),
    }
}

fn common_status(status: IncidentStatus) -> &'static str {
    match status {
        IncidentStatus::Received | IncidentStatus::Classified => "Pending",
        IncidentStatus::Forwarded | IncidentStatus::HandedToSpkt => "Dispatched",
        IncidentStatus::InProgress => "Active",
        IncidentStatus::Closed => "Closed",
    }
}

fn priority_text(priority: Priority) -> &'static str {
    match priority {
        Priority::Critical => "critical",
        Priority::High => "high",
        Priority::Medium => "medium",
        Priority::Low => "low",
    }
}

fn civic_text(location: &Location) -> Option<String> {
    use siaga_domain::region;
    let mut parts: Vec<String> = Vec::new();
    if let Some(address) = &location.address {
        parts.push(address.clone());
    }
    if let Some(district) = location.district.and_then(region::district) {
        parts.push(format!("Kec. {}", district.name));
    }
    if let Some(regency) = location.regency.and_then(region::regency) {
        parts.push(regency.name.to_owned());
    }
    if let Some(province) = location.province.and_then(region::province) {
        parts.push(province.name.to_owned());
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// An agency's stable code (`fire_service`), as its JSON form.
fn agency_code(agency: siaga_domain::category::Agency) -> String {
    serde_json::to_value(agency)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The incident as an EIDO-shaped document.
pub fn to_eido(incident: &Incident) -> EidoIncident {
    let id = incident.id.0;
    let mut agencies = Vec::new();
    if let Some(polda) = incident.polda {
        agencies.push(AgencyComponent {
            agency_identifier: format!("polda:{}", polda.code()),
            agency_name: polda.name().to_owned(),
            agency_role_text: "responsible_polda".into(),
        });
    }
    if let Some(polres) = incident.polres {
        agencies.push(AgencyComponent {
            agency_identifier: format!("polres:{polres}"),
            agency_name: polda::polres(polres)
                .map(|p| p.name)
                .unwrap_or_else(|| polres.to_string()),
            agency_role_text: "responsible_polres".into(),
        });
    }
    for agency in &incident.agencies {
        agencies.push(AgencyComponent {
            agency_identifier: format!("agency:{}", agency_code(*agency)),
            agency_name: agency.label(Language::En).to_owned(),
            agency_role_text: "assisting_agency".into(),
        });
    }
    let dialed = match &incident.channel {
        Channel::LegacyNumber { dialed } => Some(dialed.clone()),
        _ => None,
    };
    EidoIncident {
        eido_message_identifier: format!("{MESSAGE_URN}{id}-v{}:{ID_DOMAIN}", incident.version),
        last_update_time_stamp: incident.updated_at,
        incident_component: IncidentComponent {
            incident_tracking_identifier: format!("{INCIDENT_URN}{id}:{ID_DOMAIN}"),
            local_incident_identifier: id.to_string(),
            incident_type_local_registry_text: incident.category.map(|c| c.code().to_owned()),
            incident_status_common_registry_text: common_status(incident.status).into(),
            incident_status_local_registry_text: incident.status.code().into(),
            incident_priority_text: priority_text(incident.priority).into(),
            incident_description_text: incident.description.clone(),
            incident_creation_time_stamp: incident.received_at,
            incident_disposition_text: incident
                .closure
                .as_ref()
                .map(|c| c.reason.label(Language::En).to_owned()),
        },
        call_component: vec![CallComponent {
            call_identifier: format!("{CALL_URN}{id}:{ID_DOMAIN}"),
            call_type_description: incident.channel.label(Language::En),
            call_callback_number: incident.caller_number.as_ref().map(|n| n.as_str().to_owned()),
            call_dialed_number: dialed,
            siaga_channel: incident.channel.clone(),
        }],
        location_component: vec![LocationComponent {
            location_by_value: incident.location.point.map(|p| GeoJsonPoint {
                kind: "Point".into(),
                coordinates: [p.lon(), p.lat()],
            }),
            civic_address_text: civic_text(&incident.location),
        }],
        person_component: incident
            .reporter
            .iter()
            .map(|r| PersonComponent {
                person_role_text: "reporter".into(),
                person_name_full_text: r.name.clone(),
            })
            .collect(),
        agency_component: agencies,
        emergency_resource_component: incident
            .handling_unit
            .iter()
            .map(|unit| EmergencyResourceComponent {
                emergency_resource_text: unit.clone(),
            })
            .collect(),
        notes_component: incident
            .notes
            .iter()
            .map(|n| NotesComponent {
                note_date_time_stamp: n.at,
                note_text: n.text.clone(),
                note_author_text: n.author.id.clone(),
                siaga_author_role: n.author.role,
                siaga_event_id: n.event_id,
            })
            .collect(),
        siaga_extension: SiagaExtension {
            version: incident.version,
            polda: incident.polda,
            polres: incident.polres,
            region: RegionCodes {
                province: incident.location.province,
                regency: incident.location.regency,
                district: incident.location.district,
                village: incident.location.village,
                address: incident.location.address.clone(),
            },
            reporter_nik: incident.reporter.as_ref().and_then(|r| r.nik.clone()),
            has_reporter: incident.reporter.is_some(),
            spkt_desk: incident.spkt_desk.clone(),
            closure: incident.closure.clone(),
            acknowledged: incident.acknowledged.clone(),
            validation: incident.validation.clone(),
        },
    }
}

/// The incident an EIDO-shaped document describes.
pub fn from_eido(eido: &EidoIncident) -> Result<Incident, EidoError> {
    let component = &eido.incident_component;
    let tracking = component
        .incident_tracking_identifier
        .strip_prefix(INCIDENT_URN)
        .and_then(|rest| rest.split(':').next())
        .ok_or_else(|| {
            bad(
                "incidentComponent.incidentTrackingIdentifier",
                "not urn:emergency:uid:incidentid:…",
            )
        })?;
    let id = Uuid::parse_str(tracking)
        .map_err(|e| bad("incidentComponent.incidentTrackingIdentifier", e.to_string()))?;
    let category = component
        .incident_type_local_registry_text
        .as_deref()
        .map(|code| {
            code.parse::<Category>()
                .map_err(|e| bad("incidentComponent.incidentTypeLocalRegistryText", e.to_string()))
        })
        .transpose()?;
    let status = IncidentStatus::ALL
        .into_iter()
        .find(|s| s.code() == component.incident_status_local_registry_text)
        .ok_or_else(|| {
            bad(
                "incidentComponent.incidentStatusLocalRegistryText",
                "unknown status",
            )
        })?;
    let priority = Priority::ALL
        .into_iter()
        .find(|p| priority_text(*p) == component.incident_priority_text)
        .ok_or_else(|| bad("incidentComponent.incidentPriorityText", "unknown priority"))?;
    let call = eido
        .call_component
        .first()
        .ok_or_else(|| bad("callComponent", "at least one call is required"))?;
    let caller_number = call
        .call_callback_number
        .as_deref()
        .map(|n| PhoneNumber::parse(n).map_err(|e| bad("callComponent.callCallbackNumber", e.to_string())))
        .transpose()?;
    let point = eido
        .location_component
        .first()
        .and_then(|l| l.location_by_value.as_ref())
        .map(|p| {
            if p.kind != "Point" {
                return Err(bad(
                    "locationComponent.locationByValue",
                    "only GeoJSON points are accepted",
                ));
            }
            GeoPoint::new(p.coordinates[1], p.coordinates[0])
                .map_err(|e| bad("locationComponent.locationByValue", e.to_string()))
        })
        .transpose()?;
    let ext = &eido.siaga_extension;
    let location = Location {
        point,
        province: ext.region.province,
        regency: ext.region.regency,
        district: ext.region.district,
        village: ext.region.village,
        address: ext.region.address.clone(),
    };
    let reporter = ext.has_reporter.then(|| Reporter {
        name: eido
            .person_component
            .first()
            .and_then(|p| p.person_name_full_text.clone()),
        nik: ext.reporter_nik.clone(),
    });
    let notes = eido
        .notes_component
        .iter()
        .map(|n| Note {
            event_id: n.siaga_event_id,
            author: Actor::new(n.note_author_text.clone(), n.siaga_author_role),
            at: n.note_date_time_stamp,
            text: n.note_text.clone(),
        })
        .collect();
    let agencies = eido
        .agency_component
        .iter()
        .filter(|a| a.agency_role_text == "assisting_agency")
        .map(|a| {
            let code = a.agency_identifier.strip_prefix("agency:").unwrap_or_default();
            serde_json::from_value(serde_json::Value::String(code.to_owned())).map_err(|_| {
                bad(
                    "agencyComponent.agencyIdentifier",
                    format!("unknown agency {}", a.agency_identifier),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Incident {
        id: IncidentId(id),
        channel: call.siaga_channel.clone(),
        caller_number,
        reporter,
        location,
        category,
        priority,
        description: component.incident_description_text.clone(),
        status,
        polda: ext.polda,
        polres: ext.polres,
        spkt_desk: ext.spkt_desk.clone(),
        handling_unit: eido
            .emergency_resource_component
            .first()
            .map(|r| r.emergency_resource_text.clone()),
        closure: ext.closure.clone(),
        acknowledged: ext.acknowledged.clone(),
        validation: ext.validation.clone(),
        notes,
        agencies,
        received_at: component.incident_creation_time_stamp,
        updated_at: eido.last_update_time_stamp,
        version: ext.version,
    })
}

/// Reads an EIDO-shaped JSON document.
pub fn parse_eido_json(json: &str) -> Result<Incident, EidoError> {
    let eido: EidoIncident = serde_json::from_str(json).map_err(|e| EidoError::Json(e.to_string()))?;
    from_eido(&eido)
}

/// Writes an incident as EIDO-shaped JSON.
pub fn to_eido_json(incident: &Incident) -> String {
    serde_json::to_string(&to_eido(incident)).expect("EIDO serialises")
}

#[cfg(test)]
mod tests {
    use super::*;
    use siaga_domain::event::{IncidentChange, IncidentEvent};
    use siaga_domain::flow::IncidentState;
    use siaga_domain::incident::CloseReason;
    use siaga_domain::kiosk::KioskId;
    use siaga_domain::{Nik, Role};

    fn at(minutes: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_767_600_000 + minutes * 60).unwrap()
    }

    fn event(n: u128, role: Role, change: IncidentChange) -> IncidentEvent {
        IncidentEvent {
            id: EventId(Uuid::from_u128(0x1000 + n)),
            incident_id: IncidentId(Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001)),
            at: at(n as i64),
            actor: Actor::new(format!("u-{}", role.code()), role),
            change,
        }
    }

    /// A kiosk alert from MRT Bundaran HI, worked through to closure with a note.
    fn worked_incident() -> Incident {
        let mut location = Location::in_village("3171011001".parse().unwrap());
        location.point = Some(GeoPoint::new(-6.1918, 106.8229).unwrap());
        location.address = Some("Stasiun MRT Bundaran HI, pintu masuk utara".into());
        let log = [
            event(
                1,
                Role::System,
                IncidentChange::Received {
                    channel: Channel::StationKiosk {
                        kiosk: KioskId::parse("KIOSK-MRT-BHI-01").unwrap(),
                    },
                    caller_number: None,
                    reporter: Some(Reporter {
                        name: Some("Siti".into()),
                        nik: Some(Nik::parse("3171015208900123").unwrap().nik),
                    }),
                    location,
                    description: "Tombol darurat ditekan; penumpang melaporkan copet".into(),
                    proposed_category: Some(Category::Theft),
                    priority: Some(Priority::High),
                    polda: None,
                },
            ),
            event(8, Role::Operator1, IncidentChange::Acknowledged),
            event(
                2,
                Role::Operator1,
                IncidentChange::Classified {
                    category: Category::Theft,
                    priority: None,
                },
            ),
            event(
                3,
                Role::Operator2,
                IncidentChange::Forwarded {
                    polda: PoldaId::MetroJaya,
                    polres: PolresId("31.71".parse().unwrap()),
                },
            ),
            event(
                4,
                Role::Operator3,
                IncidentChange::HandedToSpkt {
                    desk: "SPKT Polres Metro Jakarta Pusat".into(),
                },
            ),
            event(
                5,
                Role::SpktOfficer,
                IncidentChange::HandlingStarted {
                    unit: "Patroli Sabhara 2".into(),
                },
            ),
            event(
                6,
                Role::Operator3,
                IncidentChange::NoteAdded {
                    text: "Pelapor menunggu di pos keamanan".into(),
                },
            ),
            event(
                9,
                Role::Operator1,
                IncidentChange::ReportValidated {
                    outcome: siaga_domain::incident::ValidationOutcome::Valid,
                    reason: "Wajah sesuai foto KTP".into(),
                    call: None,
                },
            ),
            event(
                7,
                Role::SpktOfficer,
                IncidentChange::Closed {
                    reason: CloseReason::Resolved,
                    summary: "Pelaku diamankan".into(),
                },
            ),
        ];
        siaga_domain::flow::replay(&log).unwrap().into_incident()
    }

    fn received_only() -> Incident {
        let receipt = event(
            1,
            Role::Operator1,
            IncidentChange::Received {
                channel: Channel::LegacyNumber { dialed: "112".into() },
                caller_number: Some(PhoneNumber::parse("081234567890").unwrap()),
                reporter: None,
                location: Location::default(),
                description: String::new(),
                proposed_category: None,
                priority: None,
                polda: Some(PoldaId::JawaTimur),
            },
        );
        IncidentState::receive(&receipt).unwrap().into_incident()
    }

    #[test]
    fn incidents_round_trip_through_eido_json() {
        for incident in [worked_incident(), received_only()] {
            let json = to_eido_json(&incident);
            assert_eq!(parse_eido_json(&json).unwrap(), incident, "{json}");
        }
    }

    #[test]
    fn eido_uses_nena_field_names() {
        let json = serde_json::to_value(to_eido(&worked_incident())).unwrap();
        let component = &json["incidentComponent"];
        assert_eq!(
            component["incidentTrackingIdentifier"],
            "urn:emergency:uid:incidentid:01900000-0000-7000-8000-000000000001:siaga110.id"
        );
        assert_eq!(component["incidentTypeLocalRegistryText"], "theft");
        assert_eq!(component["incidentStatusCommonRegistryText"], "Closed");
        assert_eq!(component["incidentDispositionText"], "resolved");
        assert_eq!(json["callComponent"][0]["siagaChannel"]["kind"], "station_kiosk");
        assert_eq!(
            json["locationComponent"][0]["locationByValue"]["coordinates"][0],
            106.8229
        );
        assert_eq!(
            json["locationComponent"][0]["civicAddressText"],
            "Stasiun MRT Bundaran HI, pintu masuk utara, Kec. Gambir, Kota Administrasi Jakarta Pusat, Daerah Khusus Ibukota Jakarta"
        );
        assert_eq!(
            json["agencyComponent"][1]["agencyName"],
            "Polres Metro Jakarta Pusat"
        );
        assert_eq!(
            json["emergencyResourceComponent"][0]["emergencyResourceText"],
            "Patroli Sabhara 2"
        );
        assert_eq!(
            json["notesComponent"][0]["noteText"],
            "Pelapor menunggu di pos keamanan"
        );
        assert_eq!(json["siagaExtension"]["region"]["village"], "31.71.01.1001");
        assert_eq!(
            json["eidoMessageIdentifier"],
            "urn:emergency:uid:eidomessageid:01900000-0000-7000-8000-000000000001-v9:siaga110.id"
        );
        assert_eq!(json["siagaExtension"]["validation"]["outcome"], "valid");
        let legacy = serde_json::to_value(to_eido(&received_only())).unwrap();
        assert_eq!(legacy["callComponent"][0]["callDialedNumber"], "112");
        assert_eq!(
            legacy["callComponent"][0]["callTypeDescription"],
            "Call to 112 forwarded to 110"
        );
    }

    /// Sets the JSON value at `pointer` (RFC 6901) in a valid document and expects a refusal mentioning
    /// `expect`.
    fn check(pointer: &str, value: serde_json::Value, expect: &str) {
        let mut json = serde_json::to_value(to_eido(&worked_incident())).unwrap();
        *json
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("no {pointer}")) = value;
        let err = parse_eido_json(&json.to_string()).unwrap_err();
        assert!(
            err.to_string().contains(expect),
            "{err} should mention {expect:?}"
        );
    }

    #[test]
    fn malformed_eido_is_refused_with_the_field() {
        use serde_json::json;
        let tracking = "/incidentComponent/incidentTrackingIdentifier";
        check(tracking, json!("urn:x:1"), "incidentTrackingIdentifier");
        check(
            tracking,
            json!("urn:emergency:uid:incidentid:nope:siaga110.id"),
            "incidentTrackingIdentifier",
        );
        check(
            "/incidentComponent/incidentTypeLocalRegistryText",
            json!("begal"),
            "incidentTypeLocalRegistryText",
        );
        check(
            "/incidentComponent/incidentStatusLocalRegistryText",
            json!("lost"),
            "incidentStatusLocalRegistryText",
        );
        check(
            "/incidentComponent/incidentPriorityText",
            json!("urgent"),
            "incidentPriorityText",
        );
        check("/callComponent", json!([]), "callComponent");
        check(
            "/locationComponent/0/locationByValue/coordinates",
            json!([106.8, -96.0]),
            "latitude",
        );
        check(
            "/locationComponent/0/locationByValue/type",
            json!("Polygon"),
            "GeoJSON points",
        );
        check("/siagaExtension/polda", json!("atlantis"), "not an EIDO incident");
        check(
            "/siagaExtension/reporterNik",
            json!("3171015208900000"),
            "not an EIDO incident",
        );
        assert!(matches!(parse_eido_json("{"), Err(EidoError::Json(_))));
    }
}
