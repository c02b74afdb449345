//! A citizen's request moves through review to a letter: submitted → in review → validated → approved →
//! issued, or rejected on the way; the citizen may withdraw it until it is approved, and a supervisor may
//! revoke an issued letter. [`RequestStatus::apply`] is the one place that says which action is allowed
//! from which status and for which role; the central and the desk both use it.
//!
//! Who does what: SPKT officers and supervisors review and validate; a report of loss is approved by the
//! SPKT officer who reviewed it (it records what the citizen reported), an SKCK only by a supervisor (it
//! vouches for a record); issuing follows approval by either; only a supervisor revokes. Operators 1–3
//! work incidents, not letters; analysts see counts only; the 110 app (as [`Role::System`]) submits and
//! withdraws for its citizen.

use super::ServiceKind;
use crate::role::Role;
use crate::Language;
use serde::{Deserialize, Serialize};

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Waiting for an officer.
    Submitted,
    /// An officer has it open.
    InReview,
    /// The officer checked the identity and the facts (by the NIK, the photo, a video call).
    Validated,
    /// Approved: the letter may be issued.
    Approved,
    /// Refused, with a reason.
    Rejected,
    /// The letter exists and the citizen can download it.
    Issued,
    /// The citizen withdrew it.
    Withdrawn,
    /// The issued letter was revoked.
    Revoked,
}

impl RequestStatus {
    /// Every status, in flow order.
    pub const ALL: [RequestStatus; 8] = [
        RequestStatus::Submitted,
        RequestStatus::InReview,
        RequestStatus::Validated,
        RequestStatus::Approved,
        RequestStatus::Rejected,
        RequestStatus::Issued,
        RequestStatus::Withdrawn,
        RequestStatus::Revoked,
    ];

    /// The stable machine name.
    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Submitted => "submitted",
            RequestStatus::InReview => "in_review",
            RequestStatus::Validated => "validated",
            RequestStatus::Approved => "approved",
            RequestStatus::Rejected => "rejected",
            RequestStatus::Issued => "issued",
            RequestStatus::Withdrawn => "withdrawn",
            RequestStatus::Revoked => "revoked",
        }
    }

    /// The status from its machine name.
    pub fn parse(code: &str) -> Option<RequestStatus> {
        RequestStatus::ALL
            .into_iter()
            .find(|status| status.code() == code)
    }

    /// True while an officer still has work on it.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            RequestStatus::Submitted
                | RequestStatus::InReview
                | RequestStatus::Validated
                | RequestStatus::Approved
        )
    }

    /// The status's name for people.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (RequestStatus::Submitted, Language::Id) => "Diajukan",
            (RequestStatus::Submitted, Language::En) => "Submitted",
            (RequestStatus::InReview, Language::Id) => "Diperiksa",
            (RequestStatus::InReview, Language::En) => "In review",
            (RequestStatus::Validated, Language::Id) => "Tervalidasi",
            (RequestStatus::Validated, Language::En) => "Validated",
            (RequestStatus::Approved, Language::Id) => "Disetujui",
            (RequestStatus::Approved, Language::En) => "Approved",
            (RequestStatus::Rejected, Language::Id) => "Ditolak",
            (RequestStatus::Rejected, Language::En) => "Rejected",
            (RequestStatus::Issued, Language::Id) => "Terbit",
            (RequestStatus::Issued, Language::En) => "Issued",
            (RequestStatus::Withdrawn, Language::Id) => "Dibatalkan pemohon",
            (RequestStatus::Withdrawn, Language::En) => "Withdrawn",
            (RequestStatus::Revoked, Language::Id) => "Dicabut",
            (RequestStatus::Revoked, Language::En) => "Revoked",
        }
    }
}

/// Why a request is rejected (with a free-text note beside it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// The NIK or the stated identity does not check out.
    IdentityMismatch,
    /// The photo cannot be used on the letter.
    PhotoUnsuitable,
    /// Facts are missing or contradictory.
    Incomplete,
    /// The same request is already in hand.
    Duplicate,
    /// Another Polres is responsible.
    WrongPolres,
    /// The applicant has a record that bars the letter (SKCK).
    RecordFound,
    /// The citizen did not answer the validation call or come in.
    NoResponse,
    /// Anything else (the note says what).
    Other,
}

impl RejectReason {
    /// Every reason, in the order the desk lists them.
    pub const ALL: [RejectReason; 8] = [
        RejectReason::IdentityMismatch,
        RejectReason::PhotoUnsuitable,
        RejectReason::Incomplete,
        RejectReason::Duplicate,
        RejectReason::WrongPolres,
        RejectReason::RecordFound,
        RejectReason::NoResponse,
        RejectReason::Other,
    ];

    /// The reason's name for the officer and the citizen.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (RejectReason::IdentityMismatch, Language::Id) => "Identitas tidak sesuai",
            (RejectReason::IdentityMismatch, Language::En) => "Identity does not match",
            (RejectReason::PhotoUnsuitable, Language::Id) => "Foto tidak memenuhi syarat",
            (RejectReason::PhotoUnsuitable, Language::En) => "Photo unsuitable",
            (RejectReason::Incomplete, Language::Id) => "Data tidak lengkap atau bertentangan",
            (RejectReason::Incomplete, Language::En) => "Incomplete or contradictory data",
            (RejectReason::Duplicate, Language::Id) => "Permohonan ganda",
            (RejectReason::Duplicate, Language::En) => "Duplicate request",
            (RejectReason::WrongPolres, Language::Id) => "Bukan wilayah Polres ini",
            (RejectReason::WrongPolres, Language::En) => "Another Polres is responsible",
            (RejectReason::RecordFound, Language::Id) => "Tercatat dalam catatan kepolisian",
            (RejectReason::RecordFound, Language::En) => "A police record bars it",
            (RejectReason::NoResponse, Language::Id) => "Pemohon tidak dapat dihubungi",
            (RejectReason::NoResponse, Language::En) => "The applicant could not be reached",
            (RejectReason::Other, Language::Id) => "Lainnya",
            (RejectReason::Other, Language::En) => "Other",
        }
    }
}

/// What can be done to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestAction {
    /// An officer opens it.
    StartReview,
    /// The officer confirms identity and facts.
    Validate,
    /// Approved for a letter.
    Approve,
    /// Refused (a reason is required).
    Reject,
    /// The letter is made (by the central, which numbers and signs it).
    Issue,
    /// The citizen withdraws it.
    Withdraw,
    /// The issued letter is revoked (a reason is required).
    Revoke,
}

impl RequestAction {
    /// Every action.
    pub const ALL: [RequestAction; 7] = [
        RequestAction::StartReview,
        RequestAction::Validate,
        RequestAction::Approve,
        RequestAction::Reject,
        RequestAction::Issue,
        RequestAction::Withdraw,
        RequestAction::Revoke,
    ];

    /// The stable machine name.
    pub fn code(self) -> &'static str {
        match self {
            RequestAction::StartReview => "start_review",
            RequestAction::Validate => "validate",
            RequestAction::Approve => "approve",
            RequestAction::Reject => "reject",
            RequestAction::Issue => "issue",
            RequestAction::Withdraw => "withdraw",
            RequestAction::Revoke => "revoke",
        }
    }

    /// The action's name for people.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (RequestAction::StartReview, Language::Id) => "periksa",
            (RequestAction::StartReview, Language::En) => "start review",
            (RequestAction::Validate, Language::Id) => "validasi",
            (RequestAction::Validate, Language::En) => "validate",
            (RequestAction::Approve, Language::Id) => "setujui",
            (RequestAction::Approve, Language::En) => "approve",
            (RequestAction::Reject, Language::Id) => "tolak",
            (RequestAction::Reject, Language::En) => "reject",
            (RequestAction::Issue, Language::Id) => "terbitkan surat",
            (RequestAction::Issue, Language::En) => "issue the letter",
            (RequestAction::Withdraw, Language::Id) => "batalkan",
            (RequestAction::Withdraw, Language::En) => "withdraw",
            (RequestAction::Revoke, Language::Id) => "cabut surat",
            (RequestAction::Revoke, Language::En) => "revoke the letter",
        }
    }

    /// True when the action needs a reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, RequestAction::Reject | RequestAction::Revoke)
    }

    /// The roles that may take it for a request of `kind`.
    pub fn roles(self, kind: ServiceKind) -> &'static [Role] {
        const OFFICERS: &[Role] = &[Role::SpktOfficer, Role::Supervisor];
        const SUPERVISOR: &[Role] = &[Role::Supervisor];
        const APP: &[Role] = &[Role::System];
        match (self, kind) {
            (RequestAction::Approve, ServiceKind::Skck) => SUPERVISOR,
            (RequestAction::Revoke, _) => SUPERVISOR,
            (RequestAction::Withdraw, _) => APP,
            _ => OFFICERS,
        }
    }

    /// The statuses the action may start from.
    pub fn from(self) -> &'static [RequestStatus] {
        use RequestStatus::*;
        match self {
            RequestAction::StartReview => &[Submitted],
            RequestAction::Validate => &[InReview],
            RequestAction::Approve => &[Validated],
            RequestAction::Reject => &[Submitted, InReview, Validated],
            RequestAction::Issue => &[Approved],
            RequestAction::Withdraw => &[Submitted, InReview, Validated],
            RequestAction::Revoke => &[Issued],
        }
    }

    /// Where the action leads.
    pub fn to(self) -> RequestStatus {
        match self {
            RequestAction::StartReview => RequestStatus::InReview,
            RequestAction::Validate => RequestStatus::Validated,
            RequestAction::Approve => RequestStatus::Approved,
            RequestAction::Reject => RequestStatus::Rejected,
            RequestAction::Issue => RequestStatus::Issued,
            RequestAction::Withdraw => RequestStatus::Withdrawn,
            RequestAction::Revoke => RequestStatus::Revoked,
        }
    }
}

/// Why an action on a request is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceError {
    /// Not from this status.
    #[error("cannot {action:?} a request that is {status:?}")]
    WrongStatus {
        /// The action.
        action: RequestAction,
        /// Where the request stands.
        status: RequestStatus,
    },
    /// Not for this role.
    #[error("a {role} may not {action:?} a {kind:?} request")]
    NotAllowed {
        /// The action.
        action: RequestAction,
        /// The actor's role.
        role: Role,
        /// The request's kind.
        kind: ServiceKind,
    },
    /// A reject or revoke without a reason.
    #[error("{action:?} needs a reason")]
    ReasonMissing {
        /// The action.
        action: RequestAction,
    },
}

impl ServiceError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::WrongStatus { .. } => "wrong_status",
            ServiceError::NotAllowed { .. } => "role_not_allowed",
            ServiceError::ReasonMissing { .. } => "reason_missing",
        }
    }

    /// The reason for the officer.
    pub fn reason(&self, language: Language) -> String {
        let id = language == Language::Id;
        match self {
            ServiceError::WrongStatus { action, status } => {
                if id {
                    format!(
                        "Tidak dapat {}: permohonan berstatus {}.",
                        action.label(language),
                        status.label(language).to_lowercase()
                    )
                } else {
                    format!(
                        "Cannot {}: the request is {}.",
                        action.label(language),
                        status.label(language).to_lowercase()
                    )
                }
            }
            ServiceError::NotAllowed { action, role, kind } => {
                let who: Vec<&str> = action.roles(*kind).iter().map(|r| r.label(language)).collect();
                if id {
                    format!(
                        "{} tidak berwenang {}; yang berwenang: {}.",
                        role.label(language),
                        action.label(language),
                        who.join(", ")
                    )
                } else {
                    format!(
                        "A {} may not {}; who may: {}.",
                        role.label(language),
                        action.label(language),
                        who.join(", ")
                    )
                }
            }
            ServiceError::ReasonMissing { action } => {
                if id {
                    format!("Alasan wajib diisi untuk {}.", action.label(language))
                } else {
                    format!("A reason is required to {}.", action.label(language))
                }
            }
        }
    }
}

impl RequestStatus {
    /// The status after `action` by someone acting as `role` (a flow role: the app acts as
    /// [`Role::System`]), or why not. `has_reason` says whether a reason came with it.
    pub fn apply(
        self,
        action: RequestAction,
        role: Role,
        kind: ServiceKind,
        has_reason: bool,
    ) -> Result<RequestStatus, ServiceError> {
        if !action.roles(kind).contains(&role) {
            return Err(ServiceError::NotAllowed { action, role, kind });
        }
        if !action.from().contains(&self) {
            return Err(ServiceError::WrongStatus { action, status: self });
        }
        if action.needs_reason() && !has_reason {
            return Err(ServiceError::ReasonMissing { action });
        }
        Ok(action.to())
    }
}
