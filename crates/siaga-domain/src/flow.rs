//! The operator flow of Perkap 20/2014 as a state machine over append-only incident events:
//! received → checked and classified by operator 1 (or closed as prank/empty) → forwarded by operator 2 →
//! handed by operator 3 to the Polres SPKT desk → being handled → closed; plus notes, reassignment and
//! reopening. [`rule`] says, for every action, from which states and by which roles it may happen;
//! [`IncidentState::apply`] enforces it and is idempotent per event id.

use crate::category::Priority;
use crate::event::{IncidentChange, IncidentEvent};
use crate::incident::{Acknowledgement, CloseReason, Closure, EventId, Incident, IncidentId, Location, Note};
use crate::polda::{self, PoldaId, PolresId};
use crate::role::Role;
use crate::Language;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// The longest description, note or summary accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;
/// The longest short text (desk, unit, reason), in characters.
pub const MAX_SHORT_TEXT_CHARS: usize = 500;

pub use crate::status::IncidentStatus;

/// A kind of change, as the rules see it (an event's change plus, for closing, the kind of reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Record a new report.
    Receive,
    /// Check and classify a received report.
    Classify,
    /// Change the category of a classified incident.
    Reclassify,
    /// Correct or complete the location.
    Locate,
    /// Forward to a Polda/Polres.
    Forward,
    /// Hand to the Polres SPKT desk.
    HandToSpkt,
    /// Start handling on the ground.
    StartHandling,
    /// Close as a prank or empty call.
    CloseAsPrankOrEmpty,
    /// Close as a duplicate of another incident.
    CloseAsDuplicate,
    /// Close after handling (resolved or unfounded).
    CloseAsHandled,
    /// Give to another Polres.
    Reassign,
    /// Open a closed incident again.
    Reopen,
    /// Add a note.
    AddNote,
    /// Take over an alert (stops it sounding on every desk).
    Acknowledge,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 14] = [
        Action::Receive,
        Action::Classify,
        Action::Reclassify,
        Action::Locate,
        Action::Forward,
        Action::HandToSpkt,
        Action::StartHandling,
        Action::CloseAsPrankOrEmpty,
        Action::CloseAsDuplicate,
        Action::CloseAsHandled,
        Action::Reassign,
        Action::Reopen,
        Action::AddNote,
        Action::Acknowledge,
    ];

    /// The action's name for people (a verb phrase).
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (Action::Receive, Language::Id) => "mencatat laporan baru",
            (Action::Receive, Language::En) => "record a new report",
            (Action::Classify, Language::Id) => "memeriksa dan mengklasifikasi",
            (Action::Classify, Language::En) => "check and classify",
            (Action::Reclassify, Language::Id) => "mengubah klasifikasi",
            (Action::Reclassify, Language::En) => "reclassify",
            (Action::Locate, Language::Id) => "memperbaiki lokasi",
            (Action::Locate, Language::En) => "correct the location",
            (Action::Forward, Language::Id) => "meneruskan ke Polres",
            (Action::Forward, Language::En) => "forward to a Polres",
            (Action::HandToSpkt, Language::Id) => "menyerahkan ke SPKT Polres",
            (Action::HandToSpkt, Language::En) => "hand to the Polres SPKT",
            (Action::StartHandling, Language::Id) => "mulai menangani",
            (Action::StartHandling, Language::En) => "start handling",
            (Action::CloseAsPrankOrEmpty, Language::Id) => "menutup sebagai panggilan iseng/kosong",
            (Action::CloseAsPrankOrEmpty, Language::En) => "close as a prank or empty call",
            (Action::CloseAsDuplicate, Language::Id) => "menutup sebagai duplikat",
            (Action::CloseAsDuplicate, Language::En) => "close as a duplicate",
            (Action::CloseAsHandled, Language::Id) => "menutup setelah ditangani",
            (Action::CloseAsHandled, Language::En) => "close after handling",
            (Action::Reassign, Language::Id) => "mengalihkan ke Polres lain",
            (Action::Reassign, Language::En) => "reassign to another Polres",
            (Action::Reopen, Language::Id) => "membuka kembali",
            (Action::Reopen, Language::En) => "reopen",
            (Action::AddNote, Language::Id) => "menambah catatan",
            (Action::AddNote, Language::En) => "add a note",
            (Action::Acknowledge, Language::Id) => "menanggapi peringatan",
            (Action::Acknowledge, Language::En) => "acknowledge the alert",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label(Language::En))
    }
}

impl IncidentChange {
    /// The action this change is, for the rules.
    pub fn action(&self) -> Action {
        match self {
            IncidentChange::Received { .. } => Action::Receive,
            IncidentChange::Classified { .. } => Action::Classify,
            IncidentChange::Located { .. } => Action::Locate,
            IncidentChange::Forwarded { .. } => Action::Forward,
            IncidentChange::HandedToSpkt { .. } => Action::HandToSpkt,
            IncidentChange::HandlingStarted { .. } => Action::StartHandling,
            IncidentChange::Closed { reason, .. } => match reason {
                CloseReason::Prank | CloseReason::Empty => Action::CloseAsPrankOrEmpty,
                CloseReason::Duplicate { .. } => Action::CloseAsDuplicate,
                CloseReason::Resolved | CloseReason::Unfounded => Action::CloseAsHandled,
            },
            IncidentChange::Reassigned { .. } => Action::Reassign,
            IncidentChange::Reopened { .. } => Action::Reopen,
            IncidentChange::NoteAdded { .. } => Action::AddNote,
            IncidentChange::Acknowledged => Action::Acknowledge,
        }
    }
}

/// When an action may happen: from which states (none for `Receive`, which starts an incident) and by
/// which roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The states the incident may be in.
    pub from: &'static [IncidentStatus],
    /// The roles that may do it.
    pub roles: &'static [Role],
}

use IncidentStatus as S;

const OPEN: &[IncidentStatus] = &[
    S::Received,
    S::Classified,
    S::Forwarded,
    S::HandedToSpkt,
    S::InProgress,
];
const EVERY_STATUS: &[IncidentStatus] = &IncidentStatus::ALL;
const WORKERS: &[Role] = &[
    Role::Operator1,
    Role::Operator2,
    Role::Operator3,
    Role::SpktOfficer,
    Role::Supervisor,
    Role::System,
];

/// The rule for an action: the table of the operator flow.
pub fn rule(action: Action) -> Rule {
    let (from, roles): (&'static [IncidentStatus], &'static [Role]) = match action {
        Action::Receive => (&[], &[Role::Operator1, Role::Supervisor, Role::System]),
        Action::Classify => (&[S::Received], &[Role::Operator1, Role::Supervisor]),
        Action::Reclassify => (
            &[S::Classified, S::Forwarded, S::HandedToSpkt, S::InProgress],
            &[Role::Operator1, Role::Supervisor],
        ),
        Action::Locate => (
            OPEN,
            &[
                Role::Operator1,
                Role::Operator2,
                Role::Operator3,
                Role::SpktOfficer,
                Role::Supervisor,
            ],
        ),
        Action::Forward => (&[S::Classified], &[Role::Operator2, Role::Supervisor]),
        Action::HandToSpkt => (&[S::Forwarded], &[Role::Operator3, Role::Supervisor]),
        Action::StartHandling => (&[S::HandedToSpkt], &[Role::SpktOfficer, Role::Supervisor]),
        Action::CloseAsPrankOrEmpty => (
            &[S::Received, S::Classified],
            &[Role::Operator1, Role::Supervisor],
        ),
        Action::CloseAsDuplicate => (
            &[S::Received, S::Classified, S::Forwarded],
            &[Role::Operator1, Role::Operator2, Role::Supervisor],
        ),
        Action::CloseAsHandled => (&[S::InProgress], &[Role::SpktOfficer, Role::Supervisor]),
        Action::Reassign => (
            &[S::Forwarded, S::HandedToSpkt, S::InProgress],
            &[Role::Operator2, Role::Supervisor],
        ),
        Action::Reopen => (&[S::Closed], &[Role::Supervisor]),
        Action::AddNote => (EVERY_STATUS, WORKERS),
        Action::Acknowledge => (
            OPEN,
            &[
                Role::Operator1,
                Role::Operator2,
                Role::Operator3,
                Role::Supervisor,
            ],
        ),
    };
    Rule { from, roles }
}

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
            TransitionError::SameAssignment { .. } => "same_assignment",
            TransitionError::DuplicateOfItself => "duplicate_of_itself",
            TransitionError::AlreadyAcknowledged { .. } => "already_acknowledged",
            TransitionError::InconsistentLocation => "inconsistent_location",
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
        }
    }
}

/// Checks the rule table alone: may `role` do `action` to an incident in `status` (`None`: not yet received)?
pub fn check(status: Option<IncidentStatus>, action: Action, role: Role) -> Result<(), TransitionError> {
    let rule = rule(action);
    match status {
        None if action != Action::Receive => return Err(TransitionError::NotReceivedYet { action }),
        Some(status) if !rule.from.contains(&status) => {
            return Err(TransitionError::NotAllowedFrom { action, status });
        }
        _ => {}
    }
    if !rule.roles.contains(&role) {
        return Err(TransitionError::RoleNotAllowed { action, role });
    }
    Ok(())
}

/// What applying an event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The incident changed.
    Changed,
    /// The event had been applied before; nothing changed.
    AlreadyApplied,
}

/// An incident plus the ids of the events already applied to it, so that a repeated event has no effect.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentState {
    incident: Incident,
    applied: BTreeSet<EventId>,
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

fn text(value: &str, field: TextField, max: usize, required: bool) -> Result<(), TransitionError> {
    if required && value.trim().is_empty() {
        return Err(TransitionError::MissingText { field });
    }
    if value.chars().count() > max {
        return Err(TransitionError::TextTooLong { field, max });
    }
    Ok(())
}

fn check_location(location: &Location) -> Result<(), TransitionError> {
    if !location.is_consistent() {
        return Err(TransitionError::InconsistentLocation);
    }
    if let Some(address) = &location.address {
        text(address, TextField::Description, MAX_SHORT_TEXT_CHARS, false)?;
    }
    Ok(())
}

fn check_assignment(polda: PoldaId, polres: PolresId) -> Result<(), TransitionError> {
    match polres.polda() {
        None => Err(TransitionError::UnknownPolres { polres }),
        Some(actual) if actual != polda => Err(TransitionError::PolresOutsidePolda { polres, polda }),
        Some(_) => Ok(()),
    }
}

/// The Polda whose area a location lies in, from the most precise code known.
pub fn polda_for_location(location: &Location) -> Option<PoldaId> {
    if let Some(district) = location.district {
        if let Some(j) = polda::jurisdiction_for_district(district) {
            return Some(j.polda);
        }
    }
    if let Some(regency) = location.regency {
        if let Some(polda) = polda::polda_for_regency(regency) {
            return Some(polda);
        }
    }
    location.province.and_then(polda::polda_for_province)
}

impl IncidentState {
    /// Starts an incident from its receipt event.
    pub fn receive(event: &IncidentEvent) -> Result<IncidentState, TransitionError> {
        let action = event.change.action();
        check(None, action, event.actor.role)?;
        let IncidentChange::Received {
            channel,
            caller_number,
            reporter,
            location,
            description,
            proposed_category,
            priority,
            polda,
        } = &event.change
        else {
            return Err(TransitionError::NotReceivedYet { action });
        };
        text(description, TextField::Description, MAX_TEXT_CHARS, false)?;
        check_location(location)?;
        let priority = priority
            .or(proposed_category.map(|c| c.default_priority()))
            .unwrap_or(Priority::Medium);
        let incident = Incident {
            id: event.incident_id,
            channel: channel.clone(),
            caller_number: caller_number.clone(),
            reporter: reporter.clone(),
            location: location.clone(),
            category: *proposed_category,
            priority,
            description: description.clone(),
            status: IncidentStatus::Received,
            polda: polda.or_else(|| polda_for_location(location)),
            polres: None,
            spkt_desk: None,
            handling_unit: None,
            closure: None,
            acknowledged: None,
            notes: Vec::new(),
            received_at: event.at,
            updated_at: event.at,
            version: 1,
        };
        Ok(IncidentState {
            incident,
            applied: BTreeSet::from([event.id]),
        })
    }

    /// Resumes from a stored snapshot and the ids of the events it already contains.
    pub fn resume(incident: Incident, applied: impl IntoIterator<Item = EventId>) -> IncidentState {
        IncidentState {
            incident,
            applied: applied.into_iter().collect(),
        }
    }

    /// The incident as it stands.
    pub fn incident(&self) -> &Incident {
        &self.incident
    }

    /// The incident, giving up the applied-event set.
    pub fn into_incident(self) -> Incident {
        self.incident
    }

    /// True when the event with this id has been applied.
    pub fn has_applied(&self, event: EventId) -> bool {
        self.applied.contains(&event)
    }

    /// Applies one event: checks the rules, then changes the incident. An event whose id was applied
    /// before changes nothing and is not checked again.
    pub fn apply(&mut self, event: &IncidentEvent) -> Result<Applied, TransitionError> {
        if self.applied.contains(&event.id) {
            return Ok(Applied::AlreadyApplied);
        }
        let incident = &self.incident;
        if event.incident_id != incident.id {
            return Err(TransitionError::WrongIncident {
                expected: incident.id,
                found: event.incident_id,
            });
        }
        let mut action = event.change.action();
        if action == Action::Receive {
            return Err(TransitionError::AlreadyReceived {
                incident: incident.id,
            });
        }
        if action == Action::Classify && incident.status != IncidentStatus::Received {
            action = Action::Reclassify;
        }
        check(Some(incident.status), action, event.actor.role)?;
        let next = self.changed(event)?;
        self.incident = next;
        self.incident.version += 1;
        self.incident.updated_at = self.incident.updated_at.max(event.at);
        self.applied.insert(event.id);
        Ok(Applied::Changed)
    }

    /// The incident after a change whose rule already passed; validates the change's own fields.
    fn changed(&self, event: &IncidentEvent) -> Result<Incident, TransitionError> {
        let mut next = self.incident.clone();
        match &event.change {
            IncidentChange::Received { .. } => {
                return Err(TransitionError::AlreadyReceived { incident: next.id });
            }
            IncidentChange::Classified { category, priority } => {
                next.category = Some(*category);
                next.priority = priority.unwrap_or(category.default_priority());
                if next.status == IncidentStatus::Received {
                    next.status = IncidentStatus::Classified;
                }
            }
            IncidentChange::Located { location } => {
                check_location(location)?;
                next.location = location.clone();
            }
            IncidentChange::Forwarded { polda, polres } => {
                check_assignment(*polda, *polres)?;
                next.polda = Some(*polda);
                next.polres = Some(*polres);
                next.status = IncidentStatus::Forwarded;
            }
            IncidentChange::HandedToSpkt { desk } => {
                text(desk, TextField::SpktDesk, MAX_SHORT_TEXT_CHARS, true)?;
                next.spkt_desk = Some(desk.clone());
                next.status = IncidentStatus::HandedToSpkt;
            }
            IncidentChange::HandlingStarted { unit } => {
                text(unit, TextField::Unit, MAX_SHORT_TEXT_CHARS, true)?;
                next.handling_unit = Some(unit.clone());
                next.status = IncidentStatus::InProgress;
            }
            IncidentChange::Closed { reason, summary } => {
                let summary_required = matches!(reason, CloseReason::Resolved | CloseReason::Unfounded);
                text(summary, TextField::Summary, MAX_TEXT_CHARS, summary_required)?;
                match reason {
                    CloseReason::Duplicate { of } if *of == next.id => {
                        return Err(TransitionError::DuplicateOfItself)
                    }
                    CloseReason::Prank => next.category = Some(crate::Category::PrankCall),
                    CloseReason::Empty => next.category = Some(crate::Category::EmptyCall),
                    _ => {}
                }
                next.closure = Some(Closure {
                    reason: *reason,
                    summary: summary.clone(),
                    by: event.actor.clone(),
                    at: event.at,
                });
                next.status = IncidentStatus::Closed;
            }
            IncidentChange::Reassigned {
                polda,
                polres,
                reason,
            } => {
                text(reason, TextField::Reason, MAX_SHORT_TEXT_CHARS, true)?;
                check_assignment(*polda, *polres)?;
                if next.polres == Some(*polres) {
                    return Err(TransitionError::SameAssignment { polres: *polres });
                }
                next.polda = Some(*polda);
                next.polres = Some(*polres);
                next.spkt_desk = None;
                next.handling_unit = None;
                next.status = IncidentStatus::Forwarded;
            }
            IncidentChange::Reopened { reason } => {
                text(reason, TextField::Reason, MAX_SHORT_TEXT_CHARS, true)?;
                let closure = next.closure.take();
                // Triage closures go back to operator 1; closures after handling go back to the SPKT desk.
                next.status = match closure.map(|c| c.reason) {
                    Some(CloseReason::Resolved | CloseReason::Unfounded) if next.spkt_desk.is_some() => {
                        IncidentStatus::HandedToSpkt
                    }
                    _ => IncidentStatus::Received,
                };
                next.handling_unit = None;
                if next.status == IncidentStatus::Received {
                    next.polres = None;
                    next.spkt_desk = None;
                }
            }
            IncidentChange::Acknowledged => {
                if let Some(first) = &next.acknowledged {
                    return Err(TransitionError::AlreadyAcknowledged {
                        by: first.by.id.clone(),
                    });
                }
                next.acknowledged = Some(Acknowledgement {
                    by: event.actor.clone(),
                    at: event.at,
                });
            }
            IncidentChange::NoteAdded { text: note } => {
                text(note, TextField::Note, MAX_TEXT_CHARS, true)?;
                next.notes.push(Note {
                    event_id: event.id,
                    author: event.actor.clone(),
                    at: event.at,
                    text: note.clone(),
                });
            }
        }
        Ok(next)
    }

    /// The rules an incident must always satisfy, as the list of those it breaks (empty when sound).
    pub fn violations(&self) -> Vec<&'static str> {
        let i = &self.incident;
        let mut found = Vec::new();
        if (i.status == IncidentStatus::Closed) != i.closure.is_some() {
            found.push("closed if and only if it has a closure");
        }
        if matches!(
            i.status,
            S::Classified | S::Forwarded | S::HandedToSpkt | S::InProgress
        ) && i.category.is_none()
        {
            found.push("a classified incident has a category");
        }
        if matches!(i.status, S::Forwarded | S::HandedToSpkt | S::InProgress) {
            match (i.polres, i.polda) {
                (Some(polres), Some(polda)) if polres.polda() == Some(polda) => {}
                _ => found.push("a forwarded incident has a Polres of its Polda"),
            }
        }
        if matches!(i.status, S::HandedToSpkt | S::InProgress) && i.spkt_desk.is_none() {
            found.push("an incident at the SPKT names the desk");
        }
        if i.status == S::InProgress && i.handling_unit.is_none() {
            found.push("an incident being handled names the unit");
        }
        if matches!(
            i.status,
            S::Received | S::Classified | S::Forwarded | S::HandedToSpkt
        ) && i.handling_unit.is_some()
        {
            found.push("an incident not yet handled names no unit");
        }
        if i.version != self.applied.len() as u64 {
            found.push("the version counts the applied events");
        }
        if i.updated_at < i.received_at {
            found.push("updated no earlier than received");
        }
        if !i.location.is_consistent() {
            found.push("the location's codes nest");
        }
        found
    }
}

/// Builds an incident from its log, first event first. Events repeated in the log have no second effect.
pub fn replay<'a>(events: impl IntoIterator<Item = &'a IncidentEvent>) -> Result<IncidentState, ReplayError> {
    let mut events = events.into_iter().enumerate();
    let (_, first) = events.next().ok_or(ReplayError::Empty)?;
    let refused = |position: usize, event: &IncidentEvent, error| ReplayError::Refused {
        position,
        event: event.id,
        error,
    };
    let mut state = IncidentState::receive(first).map_err(|e| refused(0, first, e))?;
    for (position, event) in events {
        state.apply(event).map_err(|e| refused(position, event, e))?;
    }
    Ok(state)
}
