//! Why the operator flow refuses an event: [`TransitionError`] with its stable code and its reason for
//! the operator in Indonesian or English, the [`TextField`] it names, and [`ReplayError`] for a log.

use super::rules::{rule, Action};
use crate::incident::{EventId, IncidentId};
use crate::polda::{self, PoldaId, PolresId};
use crate::role::Role;
use crate::status::IncidentStatus;
use crate::Language;
use serde::{Deserialize, Serialize};

/// A text field an event must fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextField {
    /// The report's description.
    Description,
    /// A note.
    Note,
    /// A closing summary.
    Summary,
    /// The SPKT desk.
    SpktDesk,
    /// The handling unit.
    Unit,
    /// The reason for a reassignment or reopening.
    Reason,
    /// The reporter's name.
    ReporterName,
}

impl TextField {
    fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (TextField::Description, Language::Id) => "uraian laporan",
            (TextField::Description, Language::En) => "description",
            (TextField::Note, Language::Id) => "catatan",
            (TextField::Note, Language::En) => "note",
            (TextField::Summary, Language::Id) => "ringkasan penutupan",
            (TextField::Summary, Language::En) => "closing summary",
            (TextField::SpktDesk, Language::Id) => "petugas/meja SPKT",
            (TextField::SpktDesk, Language::En) => "SPKT desk",
            (TextField::Unit, Language::Id) => "unit yang menangani",
            (TextField::Unit, Language::En) => "handling unit",
            (TextField::Reason, Language::Id) => "alasan",
            (TextField::Reason, Language::En) => "reason",
            (TextField::ReporterName, Language::Id) => "nama pelapor",
            (TextField::ReporterName, Language::En) => "reporter's name",
        }
    }
}

/// Why an event may not be applied. Every variant has a reason in Indonesian and English
/// ([`TransitionError::reason`]) and a stable [`code`](TransitionError::code).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The first event of an incident must be its receipt.
    #[error("the incident has not been received yet; cannot {action}")]
    NotReceivedYet {
        /// What was attempted.
        action: Action,
    },
    /// A second receipt for an incident that exists.
    #[error("incident {incident} has already been received")]
    AlreadyReceived {
        /// The incident.
        incident: IncidentId,
    },
    /// The event belongs to another incident.
    #[error("event for incident {found} applied to incident {expected}")]
    WrongIncident {
        /// The incident being changed.
        expected: IncidentId,
        /// The incident the event names.
        found: IncidentId,
    },
    /// The role may not do this.
    #[error("role {role} may not {action}")]
    RoleNotAllowed {
        /// What was attempted.
        action: Action,
        /// The actor's role.
        role: Role,
    },
    /// The incident's state does not allow this.
    #[error("cannot {action} an incident that is {status}")]
    NotAllowedFrom {
        /// What was attempted.
        action: Action,
        /// The incident's status.
        status: IncidentStatus,
    },
    /// A required text is empty.
    #[error("the {field:?} must not be empty")]
    MissingText {
        /// Which text.
        field: TextField,
    },
    /// A text is too long.
    #[error("the {field:?} is longer than {max} characters")]
    TextTooLong {
        /// Which text.
        field: TextField,
        /// The limit.
        max: usize,
    },
    /// The Polres does not exist.
    #[error("unknown Polres {polres}")]
    UnknownPolres {
        /// The Polres named.
        polres: PolresId,
    },
    /// The Polres does not belong to the Polda named with it.
    #[error("{polres} does not belong to {polda}")]
    PolresOutsidePolda {
        /// The Polres named.
        polres: PolresId,
        /// The Polda named.
        polda: PoldaId,
    },
    /// A move of the incident to another Polda that the flow does not allow: forwarding stays within the
    /// incident's Polda; a handover to another Polda is a reassignment by a supervisor.
    #[error("the incident of {from} cannot go to {to} this way")]
    OtherPolda {
        /// The incident's Polda.
        from: PoldaId,
        /// The Polda asked for.
        to: PoldaId,
        /// Forwarding or reassigning.
        action: Action,
    },
    /// A reassignment to the Polres already responsible.
    #[error("the incident is already assigned to {polres}")]
    SameAssignment {
        /// The Polres.
        polres: PolresId,
    },
    /// An incident closed as a duplicate of itself.
    #[error("an incident cannot duplicate itself")]
    DuplicateOfItself,
    /// The alert was already acknowledged (the first acknowledgement wins).
    #[error("the alert was already acknowledged by {by}")]
    AlreadyAcknowledged {
        /// Who acknowledged it first.
        by: String,
    },
    /// Region codes that do not nest.
    #[error("the location's region codes do not nest (village in district in regency in province)")]
    InconsistentLocation,
    /// A hand-over to an agency the incident's category does not name (only a fire goes to the fire service).
    #[error("the category does not go to {agency:?}")]
    AgencyNotForCategory {
        /// The agency asked for.
        agency: crate::category::Agency,
    },
    /// A second hand-over to the same agency.
    #[error("already handed to {agency:?}")]
    AlreadyHandedToAgency {
        /// The agency.
        agency: crate::category::Agency,
    },
    /// A legacy number that is not a number the switch could have forwarded (2–15 digits, not 110).
    #[error("the number dialed is not a legacy emergency number")]
    BadDialedNumber,
    /// Evidence described with a size or sides no kept picture has.
    #[error("evidence: {0}")]
    BadEvidence(crate::evidence::EvidenceProblem),
}

impl TransitionError {
    /// A stable machine-readable code, e.g. `role_not_allowed`.
    pub fn code(&self) -> &'static str {
        match self {
            TransitionError::NotReceivedYet { .. } => "not_received_yet",
            TransitionError::AlreadyReceived { .. } => "already_received",
            TransitionError::WrongIncident { .. } => "wrong_incident",
            TransitionError::RoleNotAllowed { .. } => "role_not_allowed",
            TransitionError::NotAllowedFrom { .. } => "illegal_transition",
            TransitionError::MissingText { .. } => "missing_text",
            TransitionError::TextTooLong { .. } => "text_too_long",
            TransitionError::UnknownPolres { .. } => "unknown_polres",
            TransitionError::PolresOutsidePolda { .. } => "polres_outside_polda",
            TransitionError::OtherPolda { .. } => "other_polda",
            TransitionError::SameAssignment { .. } => "same_assignment",
            TransitionError::DuplicateOfItself => "duplicate_of_itself",
            TransitionError::AlreadyAcknowledged { .. } => "already_acknowledged",
            TransitionError::InconsistentLocation => "inconsistent_location",
            TransitionError::BadDialedNumber => "bad_dialed_number",
            TransitionError::BadEvidence(_) => "bad_evidence",
            TransitionError::AgencyNotForCategory { .. } => "agency_not_for_category",
            TransitionError::AlreadyHandedToAgency { .. } => "already_handed_to_agency",
        }
    }

    /// The reason, as a sentence for the operator in their language.
    pub fn reason(&self, language: Language) -> String {
        let polres_name = |id: &PolresId| {
            polda::polres(*id)
                .map(|p| p.name)
                .unwrap_or_else(|| id.to_string())
        };
        let allowed = |action: &Action| {
            rule(*action)
                .roles
                .iter()
                .map(|r| r.label(language))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (self, language) {
            (TransitionError::NotReceivedYet { action }, Language::Id) => {
                format!(
                    "Laporan belum tercatat sebagai diterima; tidak dapat {}.",
                    action.label(language)
                )
            }
            (TransitionError::NotReceivedYet { action }, Language::En) => {
                format!(
                    "The report has not been recorded as received; cannot {}.",
                    action.label(language)
                )
            }
            (TransitionError::AlreadyReceived { incident }, Language::Id) => {
                format!("Laporan {incident} sudah tercatat diterima.")
            }
            (TransitionError::AlreadyReceived { incident }, Language::En) => {
                format!("Report {incident} has already been received.")
            }
            (TransitionError::WrongIncident { expected, found }, Language::Id) => {
                format!("Kejadian ini milik laporan {found}, bukan {expected}.")
            }
            (TransitionError::WrongIncident { expected, found }, Language::En) => {
                format!("This event belongs to report {found}, not {expected}.")
            }
            (TransitionError::RoleNotAllowed { action, role }, Language::Id) => format!(
                "{} tidak berwenang {}; yang berwenang: {}.",
                role.label(language),
                action.label(language),
                allowed(action)
            ),
            (TransitionError::RoleNotAllowed { action, role }, Language::En) => format!(
                "{} may not {}; allowed: {}.",
                role.label(language),
                action.label(language),
                allowed(action)
            ),
            (TransitionError::NotAllowedFrom { action, status }, Language::Id) => {
                format!(
                    "Tidak dapat {} laporan yang berstatus {}.",
                    action.label(language),
                    status.label(language)
                )
            }
            (TransitionError::NotAllowedFrom { action, status }, Language::En) => {
                format!(
                    "Cannot {} a report that is {}.",
                    action.label(language),
                    status.label(language)
                )
            }
            (TransitionError::MissingText { field }, Language::Id) => {
                format!("Isian {} wajib diisi.", field.label(language))
            }
            (TransitionError::MissingText { field }, Language::En) => {
                format!("The {} is required.", field.label(language))
            }
            (TransitionError::TextTooLong { field, max }, Language::Id) => {
                format!("Isian {} melebihi {max} karakter.", field.label(language))
            }
            (TransitionError::TextTooLong { field, max }, Language::En) => {
                format!("The {} is longer than {max} characters.", field.label(language))
            }
            (TransitionError::UnknownPolres { polres }, Language::Id) => {
                format!("Polres {polres} tidak dikenal.")
            }
            (TransitionError::UnknownPolres { polres }, Language::En) => format!("Unknown Polres {polres}."),
            (TransitionError::PolresOutsidePolda { polres, polda }, Language::Id) => {
                format!("{} tidak berada di bawah {}.", polres_name(polres), polda.name())
            }
            (TransitionError::PolresOutsidePolda { polres, polda }, Language::En) => {
                format!("{} does not report to {}.", polres_name(polres), polda.name())
            }
            (TransitionError::OtherPolda { from, to, action: Action::Forward }, Language::Id) => format!(
                "Laporan {} hanya dapat diteruskan ke Polres di wilayahnya; untuk menyerahkannya ke {}, pengawas mengalihkannya.",
                from.name(),
                to.name()
            ),
            (TransitionError::OtherPolda { from, to, action: Action::Forward }, Language::En) => format!(
                "A report of {} is forwarded to a Polres of its own area only; to hand it to {}, a supervisor reassigns it.",
                from.name(),
                to.name()
            ),
            (TransitionError::OtherPolda { from, to, .. }, Language::Id) => format!(
                "Hanya pengawas yang dapat menyerahkan laporan {} ke {}.",
                from.name(),
                to.name()
            ),
            (TransitionError::OtherPolda { from, to, .. }, Language::En) => format!(
                "Only a supervisor may hand a report of {} over to {}.",
                from.name(),
                to.name()
            ),
            (TransitionError::SameAssignment { polres }, Language::Id) => {
                format!("Laporan sudah ditangani {}.", polres_name(polres))
            }
            (TransitionError::SameAssignment { polres }, Language::En) => {
                format!("The report is already assigned to {}.", polres_name(polres))
            }
            (TransitionError::DuplicateOfItself, Language::Id) => {
                "Laporan tidak dapat menjadi duplikat dirinya sendiri.".into()
            }
            (TransitionError::DuplicateOfItself, Language::En) => {
                "A report cannot be a duplicate of itself.".into()
            }
            (TransitionError::AlreadyAcknowledged { by }, Language::Id) => {
                format!("Peringatan ini sudah ditanggapi oleh {by}.")
            }
            (TransitionError::AlreadyAcknowledged { by }, Language::En) => {
                format!("This alert was already acknowledged by {by}.")
            }
            (TransitionError::InconsistentLocation, Language::Id) => {
                "Kode wilayah lokasi tidak saling sesuai (desa–kecamatan–kabupaten/kota–provinsi).".into()
            }
            (TransitionError::InconsistentLocation, Language::En) => {
                "The location's region codes do not nest (village–district–regency/city–province).".into()
            }
            (TransitionError::AgencyNotForCategory { agency }, Language::Id) => format!(
                "Kategori laporan ini tidak diteruskan ke {}; klasifikasikan ulang bila perlu.",
                agency.label(language)
            ),
            (TransitionError::AgencyNotForCategory { agency }, Language::En) => format!(
                "This report's category does not go to the {}; reclassify it if need be.",
                agency.label(language)
            ),
            (TransitionError::AlreadyHandedToAgency { agency }, Language::Id) => {
                format!("Laporan sudah diserahkan ke {}.", agency.label(language))
            }
            (TransitionError::AlreadyHandedToAgency { agency }, Language::En) => {
                format!("The report was already handed to the {}.", agency.label(language))
            }
            (TransitionError::BadDialedNumber, Language::Id) => {
                "Nomor yang dihubungi tidak valid: tulis 110 atau nomor lama yang diteruskan ke 110 (2–15 angka).".into()
            }
            (TransitionError::BadDialedNumber, Language::En) => {
                "The number dialed is not valid: 110, or a legacy number forwarded to 110 (2–15 digits).".into()
            }
            (TransitionError::BadEvidence(problem), language) => problem.message(language),
        }
    }
}

/// A log that does not replay.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    /// The log has no event.
    #[error("the event log is empty")]
    Empty,
    /// An event was refused.
    #[error("event {position} ({event}) was refused: {error}")]
    Refused {
        /// Its 0-based position in the log.
        position: usize,
        /// Its id.
        event: EventId,
        /// Why.
        #[source]
        error: TransitionError,
    },
}
