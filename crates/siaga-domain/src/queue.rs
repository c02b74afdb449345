//! The console's queues: the open stages of the operator flow in their order, and how long an incident
//! may wait in a stage before the console marks it overdue (by priority: a priority-1 call waits a
//! minute at most).

use crate::category::Priority;
use crate::status::IncidentStatus;

/// The open stages, in the order an incident goes through them.
pub const STAGES: [IncidentStatus; 5] = [
    IncidentStatus::Received,
    IncidentStatus::Classified,
    IncidentStatus::Forwarded,
    IncidentStatus::HandedToSpkt,
    IncidentStatus::InProgress,
];

/// How long an incident of `priority` may wait in one stage, in seconds, before it is overdue.
pub fn overdue_after_secs(priority: Priority) -> i64 {
    match priority {
        Priority::Critical => 60,
        Priority::High => 3 * 60,
        Priority::Medium => 10 * 60,
        Priority::Low => 30 * 60,
    }
}

/// True when an open incident of `priority` has waited `waiting_secs` in its stage for too long.
pub fn is_overdue(status: IncidentStatus, priority: Priority, waiting_secs: i64) -> bool {
    STAGES.contains(&status) && waiting_secs > overdue_after_secs(priority)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urgent_calls_are_overdue_first_and_closed_ones_never() {
        assert!(!is_overdue(IncidentStatus::Received, Priority::Critical, 60));
        assert!(is_overdue(IncidentStatus::Received, Priority::Critical, 61));
        assert!(!is_overdue(IncidentStatus::Received, Priority::Low, 61));
        assert!(is_overdue(IncidentStatus::InProgress, Priority::Low, 31 * 60));
        assert!(!is_overdue(IncidentStatus::Closed, Priority::Critical, 10_000));
        let mut order: Vec<i64> = Priority::ALL.iter().map(|p| overdue_after_secs(*p)).collect();
        let sorted = order.clone();
        order.sort_unstable();
        assert_eq!(order, sorted, "a more urgent priority never waits longer");
    }
}
