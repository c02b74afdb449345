//! The console's queues: the open stages of the operator flow in their order, and how long an incident
//! may wait in a stage before the console marks it overdue (by priority: a priority-1 call waits a
//! minute at most unless the desk's Pengaturan says otherwise: [`OverdueThresholds`]).

use crate::category::Priority;
use crate::status::IncidentStatus;
use crate::Language;
use serde::{Deserialize, Serialize};

/// The open stages, in the order an incident goes through them.
pub const STAGES: [IncidentStatus; 5] = [
    IncidentStatus::Received,
    IncidentStatus::Classified,
    IncidentStatus::Forwarded,
    IncidentStatus::HandedToSpkt,
    IncidentStatus::InProgress,
];

/// How long an incident of each priority may wait in one stage, in seconds, before it is overdue; a
/// desk setting (Pengaturan). [`Default`] is 1 / 3 / 10 / 30 minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OverdueThresholds {
    pub critical_secs: u32,
    pub high_secs: u32,
    pub medium_secs: u32,
    pub low_secs: u32,
}

impl Default for OverdueThresholds {
    fn default() -> Self {
        OverdueThresholds {
            critical_secs: 60,
            high_secs: 3 * 60,
            medium_secs: 10 * 60,
            low_secs: 30 * 60,
        }
    }
}

/// The shortest and longest wait a threshold may name, in seconds (10 s, 24 h).
pub const THRESHOLD_RANGE: std::ops::RangeInclusive<u32> = 10..=86_400;

/// Thresholds that cannot be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ThresholdError {
    /// A threshold outside [`THRESHOLD_RANGE`].
    #[error("the {0:?} threshold is outside 10 s – 24 h")]
    OutOfRange(Priority),
    /// A more urgent priority allowed to wait longer than a less urgent one.
    #[error("{0:?} would wait longer than {1:?}")]
    OutOfOrder(Priority, Priority),
}

impl ThresholdError {
    /// The reason, for the operator in their language.
    pub fn reason(self, language: Language) -> String {
        match (self, language) {
            (ThresholdError::OutOfRange(p), Language::Id) => {
                format!("Batas prioritas {} harus antara 10 detik dan 24 jam.", p.rank())
            }
            (ThresholdError::OutOfRange(p), Language::En) => {
                format!(
                    "The priority {} limit must be between 10 seconds and 24 hours.",
                    p.rank()
                )
            }
            (ThresholdError::OutOfOrder(a, b), Language::Id) => format!(
                "Prioritas {} tidak boleh menunggu lebih lama daripada prioritas {}.",
                a.rank(),
                b.rank()
            ),
            (ThresholdError::OutOfOrder(a, b), Language::En) => format!(
                "Priority {} may not wait longer than priority {}.",
                a.rank(),
                b.rank()
            ),
        }
    }
}

impl OverdueThresholds {
    /// How long an incident of `priority` may wait in one stage, in seconds.
    pub fn after_secs(&self, priority: Priority) -> i64 {
        i64::from(match priority {
            Priority::Critical => self.critical_secs,
            Priority::High => self.high_secs,
            Priority::Medium => self.medium_secs,
            Priority::Low => self.low_secs,
        })
    }

    /// Each threshold within [`THRESHOLD_RANGE`], and a more urgent priority never waiting longer.
    pub fn check(&self) -> Result<(), ThresholdError> {
        for priority in Priority::ALL {
            let secs = u32::try_from(self.after_secs(priority)).unwrap_or(u32::MAX);
            if !THRESHOLD_RANGE.contains(&secs) {
                return Err(ThresholdError::OutOfRange(priority));
            }
        }
        for pair in Priority::ALL.windows(2) {
            if self.after_secs(pair[0]) > self.after_secs(pair[1]) {
                return Err(ThresholdError::OutOfOrder(pair[0], pair[1]));
            }
        }
        Ok(())
    }

    /// True when an open incident of `priority` has waited `waiting_secs` in its stage for too long.
    pub fn is_overdue(&self, status: IncidentStatus, priority: Priority, waiting_secs: i64) -> bool {
        STAGES.contains(&status) && waiting_secs > self.after_secs(priority)
    }
}

/// How long an incident of `priority` may wait in one stage by default, in seconds.
pub fn overdue_after_secs(priority: Priority) -> i64 {
    OverdueThresholds::default().after_secs(priority)
}

/// True when an open incident of `priority` has waited `waiting_secs` in its stage for too long, by the
/// default thresholds.
pub fn is_overdue(status: IncidentStatus, priority: Priority, waiting_secs: i64) -> bool {
    OverdueThresholds::default().is_overdue(status, priority, waiting_secs)
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

    #[test]
    fn a_desk_may_set_its_own_thresholds_within_bounds_and_in_order() {
        assert_eq!(OverdueThresholds::default().check(), Ok(()));
        let tight = OverdueThresholds {
            critical_secs: 30,
            ..OverdueThresholds::default()
        };
        assert_eq!(tight.check(), Ok(()));
        assert!(tight.is_overdue(IncidentStatus::Received, Priority::Critical, 31));
        assert!(!is_overdue(IncidentStatus::Received, Priority::Critical, 31));
        let too_short = OverdueThresholds {
            critical_secs: 5,
            ..OverdueThresholds::default()
        };
        assert_eq!(
            too_short.check(),
            Err(ThresholdError::OutOfRange(Priority::Critical))
        );
        let too_long = OverdueThresholds {
            low_secs: 86_401,
            ..OverdueThresholds::default()
        };
        assert_eq!(too_long.check(), Err(ThresholdError::OutOfRange(Priority::Low)));
        let backwards = OverdueThresholds {
            high_secs: 1_000,
            ..OverdueThresholds::default()
        };
        let refused = backwards.check().unwrap_err();
        assert_eq!(
            refused,
            ThresholdError::OutOfOrder(Priority::High, Priority::Medium)
        );
        assert_eq!(
            refused.reason(Language::Id),
            "Prioritas 2 tidak boleh menunggu lebih lama daripada prioritas 3."
        );
        // A desk's stored setting that is not the struct is refused when read, not half-used.
        assert!(serde_json::from_str::<OverdueThresholds>(r#"{"criticalSecs": 60}"#).is_err());
    }
}
