//! The sending side's bitrate, adapted to the loss the other side reports (decision 0006).
//!
//! [`SendRate`] is the loss-based half of Google Congestion Control (draft-ietf-rmcat-gcc-02 §6), with no IO:
//! the loss the other side's feedback reports, once a second, moves the target — above 10 % lost it falls by half
//! the loss, below 2 % it rises by 5 %, in between it holds — within a floor and a ceiling. The loss taken is the
//! median of the last three reports (the smaller with fewer), so one bad second (a burst, a report over few packets)
//! does not cut the picture; two do. A phone on a poor mobile link thus
//! sends less before its packets crowd each other out, and climbs back when the link clears. The sender's encoder
//! follows the target (`vp8::Encoder::set_bitrate`); str0m's NACK and PLI repair what is still lost.

/// Above this share lost, the rate falls.
pub const DECREASE_ABOVE: f32 = 0.10;
/// Below this share lost, the rate rises.
pub const INCREASE_BELOW: f32 = 0.02;
/// How much a clean report raises the rate.
const INCREASE_FACTOR: f64 = 1.05;
/// How many of the latest reports the loss is the median of.
const REPORTS_KEPT: usize = 3;

/// The rate a video sender aims at, in kilobits a second.
#[derive(Debug, Clone, PartialEq)]
pub struct SendRate {
    kbps: f64,
    floor: u32,
    ceiling: u32,
    /// The latest reports' fractions lost, oldest first.
    latest: Vec<f64>,
}

impl SendRate {
    /// Starting at `start` kbit/s, never below `floor` nor above `ceiling` (`start` is clamped between them; a
    /// floor above the ceiling is taken as the ceiling).
    pub fn new(start: u32, floor: u32, ceiling: u32) -> SendRate {
        let floor = floor.min(ceiling);
        SendRate {
            kbps: f64::from(start.clamp(floor, ceiling)),
            floor,
            ceiling,
            latest: Vec::with_capacity(REPORTS_KEPT),
        }
    }

    /// The target now, in whole kilobits a second.
    pub fn kbps(&self) -> u32 {
        self.kbps.round() as u32
    }

    /// Takes in one report's fraction lost (0.0–1.0; anything else is clamped, NaN is ignored) and
    /// gives the new target when it changed by at least a kilobit.
    pub fn on_loss_report(&mut self, fraction_lost: f32) -> Option<u32> {
        if fraction_lost.is_nan() {
            return None;
        }
        if self.latest.len() == REPORTS_KEPT {
            self.latest.remove(0);
        }
        self.latest.push(f64::from(fraction_lost.clamp(0.0, 1.0)));
        let lost = self.loss_heard();
        let before = self.kbps();
        let next = if lost > f64::from(DECREASE_ABOVE) {
            self.kbps * (1.0 - 0.5 * lost)
        } else if lost < f64::from(INCREASE_BELOW) {
            self.kbps * INCREASE_FACTOR
        } else {
            self.kbps
        };
        self.kbps = next.clamp(f64::from(self.floor), f64::from(self.ceiling));
        (self.kbps() != before).then(|| self.kbps())
    }

    /// The median of the latest reports; with fewer than three, the smallest.
    fn loss_heard(&self) -> f64 {
        let mut sorted = self.latest.clone();
        sorted.sort_by(f64::total_cmp);
        match sorted.len() {
            REPORTS_KEPT => sorted[REPORTS_KEPT / 2],
            _ => sorted.first().copied().unwrap_or(0.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heavy_loss_lowers_the_rate_by_half_the_loss_down_to_the_floor() {
        let mut rate = SendRate::new(500, 100, 500);
        assert_eq!(rate.on_loss_report(0.20), Some(450));
        assert_eq!(rate.on_loss_report(0.20), Some(405));
        for _ in 0..40 {
            rate.on_loss_report(0.30);
        }
        assert_eq!(rate.kbps(), 100);
        assert_eq!(rate.on_loss_report(0.30), None, "at the floor nothing changes");
    }

    #[test]
    fn moderate_loss_holds_and_a_clean_link_climbs_back_to_the_ceiling() {
        let mut rate = SendRate::new(200, 100, 500);
        assert_eq!(rate.on_loss_report(0.05), None);
        assert_eq!(rate.on_loss_report(0.10), None, "exactly 10 % holds");
        assert_eq!(rate.on_loss_report(0.02), None, "exactly 2 % holds");
        assert_eq!(
            rate.on_loss_report(0.0),
            None,
            "one clean report among lossy ones holds"
        );
        assert_eq!(
            rate.on_loss_report(0.0),
            Some(210),
            "two of three clean: it climbs"
        );
        let mut reports = 1;
        while rate.on_loss_report(0.01).is_some() {
            reports += 1;
        }
        assert_eq!(rate.kbps(), 500);
        // 200 → 500 at 5 % a report: 19 reports (about 19 s at one report a second).
        assert_eq!(reports, 19);
    }

    #[test]
    fn one_report_over_an_unrepaired_burst_does_not_cut_the_rate() {
        let mut rate = SendRate::new(500, 100, 500);
        for report in [0.0, 0.0, 0.50, 0.0, 0.03, 0.0] {
            assert_eq!(rate.on_loss_report(report), None, "after {report}");
        }
        // Two heavy reports of the last three do.
        rate.on_loss_report(0.40);
        assert_eq!(rate.on_loss_report(0.40), Some(400));
    }

    #[test]
    fn odd_reports_are_clamped_or_ignored() {
        let mut rate = SendRate::new(900, 100, 500);
        assert_eq!(rate.kbps(), 500, "the start is clamped to the ceiling");
        assert_eq!(rate.on_loss_report(f32::NAN), None);
        assert_eq!(rate.on_loss_report(7.0), Some(250), "all lost: half the rate");
        assert_eq!(
            rate.on_loss_report(-1.0),
            Some(263),
            "none lost, taken with the smaller of two"
        );
        let upside_down = SendRate::new(300, 800, 400);
        assert_eq!(upside_down.kbps(), 400);
    }
}
