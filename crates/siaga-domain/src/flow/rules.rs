//! The operator flow's rule table: the [`Action`]s an event can be, and for each the states it may
//! happen from and the roles that may do it ([`rule`]).

use crate::event::IncidentChange;
use crate::incident::CloseReason;
use crate::role::Role;
use crate::status::IncidentStatus;
use crate::Language;
use serde::{Deserialize, Serialize};
use std::fmt;

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
    /// Hand to another emergency service the category names (fire → fire service).
    HandToAgency,
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
    /// Add a note (or the record of a video call's move).
    AddNote,
    /// Take over an alert (stops it sounding on every desk).
    Acknowledge,
    /// Record what checking the report with its reporter found, or keep a still of the call as evidence.
    Validate,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 16] = [
        Action::Receive,
        Action::Classify,
        Action::Reclassify,
        Action::Locate,
        Action::Forward,
        Action::HandToAgency,
        Action::HandToSpkt,
        Action::StartHandling,
        Action::CloseAsPrankOrEmpty,
        Action::CloseAsDuplicate,
        Action::CloseAsHandled,
        Action::Reassign,
        Action::Reopen,
        Action::AddNote,
        Action::Acknowledge,
        Action::Validate,
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
            (Action::HandToAgency, Language::Id) => "menyerahkan ke instansi lain",
            (Action::HandToAgency, Language::En) => "hand to another emergency service",
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
            (Action::Validate, Language::Id) => "memvalidasi",
            (Action::Validate, Language::En) => "validate",
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
            IncidentChange::HandedToAgency { .. } => Action::HandToAgency,
            IncidentChange::HandedToSpkt { .. } => Action::HandToSpkt,
            IncidentChange::HandlingStarted { .. } => Action::StartHandling,
            IncidentChange::Closed { reason, .. } => match reason {
                CloseReason::Prank | CloseReason::Empty => Action::CloseAsPrankOrEmpty,
                CloseReason::Duplicate { .. } => Action::CloseAsDuplicate,
                CloseReason::Resolved | CloseReason::Unfounded => Action::CloseAsHandled,
            },
            IncidentChange::Reassigned { .. } => Action::Reassign,
            IncidentChange::Reopened { .. } => Action::Reopen,
            // A call's record is a line of the log like a note, by the operators or the system (the 110 app).
            IncidentChange::NoteAdded { .. } | IncidentChange::VideoCallMoved { .. } => Action::AddNote,
            IncidentChange::Acknowledged => Action::Acknowledge,
            // A still of the validation call is part of checking the report with its reporter.
            IncidentChange::ReportValidated { .. } | IncidentChange::EvidenceAttached { .. } => {
                Action::Validate
            }
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
        Action::HandToAgency => (
            &[S::Classified, S::Forwarded, S::HandedToSpkt, S::InProgress],
            &[Role::Operator2, Role::Supervisor],
        ),
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
        Action::Validate => (
            OPEN,
            &[
                Role::Operator1,
                Role::Operator2,
                Role::Operator3,
                Role::SpktOfficer,
                Role::Supervisor,
            ],
        ),
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
