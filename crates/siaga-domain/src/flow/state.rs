//! The operator flow's state machine: [`IncidentState`] applies events after [`check`]ing them against the
//! rule table and validating their texts, location and assignment, once per event id; [`replay`] builds
//! an incident from its log.

use super::error::{ReplayError, TextField, TransitionError};
use super::rules::{rule, Action};
use crate::category::Priority;
use crate::event::{IncidentChange, IncidentEvent};
use crate::incident::{Acknowledgement, CloseReason, Closure, EventId, Incident, Location, Note};
use crate::polda::{self, PoldaId, PolresId};
use crate::role::Role;
use crate::status::IncidentStatus;
use std::collections::BTreeSet;

/// The longest description, note or summary accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;
/// The longest short text (desk, unit, reason), in characters.
pub const MAX_SHORT_TEXT_CHARS: usize = 500;
/// The longest name, in characters (Indonesian names are long, but not this long).
pub const MAX_NAME_CHARS: usize = 200;

use IncidentStatus as S;

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
        if !channel.is_well_formed() {
            return Err(TransitionError::BadDialedNumber);
        }
        text(description, TextField::Description, MAX_TEXT_CHARS, false)?;
        if let Some(name) = reporter.as_ref().and_then(|r| r.name.as_ref()) {
            text(name, TextField::ReporterName, MAX_NAME_CHARS, false)?;
        }
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
            validation: None,
            notes: Vec::new(),
            agencies: Vec::new(),
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
                // Forwarding stays within the incident's Polda (a handover is a reassignment).
                if let Some(from) = next.polda.filter(|from| from != polda) {
                    return Err(TransitionError::OtherPolda {
                        from,
                        to: *polda,
                        action: Action::Forward,
                    });
                }
                next.polda = Some(*polda);
                next.polres = Some(*polres);
                next.status = IncidentStatus::Forwarded;
            }
            IncidentChange::HandedToAgency { agency } => {
                if next.category.and_then(crate::Category::forwarded_to) != Some(*agency) {
                    return Err(TransitionError::AgencyNotForCategory { agency: *agency });
                }
                if next.agencies.contains(agency) {
                    return Err(TransitionError::AlreadyHandedToAgency { agency: *agency });
                }
                next.agencies.push(*agency);
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
                // A handover to another Polda is a supervisor's decision.
                if let Some(from) = next.polda.filter(|from| from != polda) {
                    if event.actor.role != Role::Supervisor {
                        return Err(TransitionError::OtherPolda {
                            from,
                            to: *polda,
                            action: Action::Reassign,
                        });
                    }
                }
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
            IncidentChange::ReportValidated {
                outcome,
                reason,
                call,
            } => {
                text(reason, TextField::Reason, MAX_TEXT_CHARS, outcome.needs_reason())?;
                next.validation = Some(crate::incident::Validation {
                    outcome: *outcome,
                    reason: reason.trim().to_owned(),
                    call: *call,
                    by: event.actor.clone(),
                    at: event.at,
                });
            }
            IncidentChange::EvidenceAttached {
                bytes, width, height, ..
            } => {
                crate::evidence::check_described(*bytes, *width, *height)
                    .map_err(TransitionError::BadEvidence)?;
            }
            IncidentChange::VideoCallMoved { reason, .. } => {
                text(reason, TextField::Reason, MAX_TEXT_CHARS, false)?;
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
