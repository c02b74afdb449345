//! The call's audio: its format (Opus at 48 kHz, mono, 20 ms frames), the reporter's test tone and how to hear
//! it again. [`TestTone`] makes a sine at a set frequency frame after frame (what the simulator's reporter sends
//! as its voice), and [`dominant_frequency`] finds the strongest frequency in decoded samples (tests check the
//! tone came through). Pure arithmetic, no codec: [`crate::opus`] encodes and decodes.

/// The call's sample rate.
pub const SAMPLE_RATE: u32 = 48_000;
/// Samples in one 20 ms frame at [`SAMPLE_RATE`], mono.
pub const FRAME_SAMPLES: usize = 960;
/// RTP ticks of one frame (Opus's RTP clock is 48 kHz whatever the sample rate).
pub const FRAME_TICKS: u64 = 960;

/// A sine tone at a quarter of full scale, frame after frame without a seam.
#[derive(Debug, Clone)]
pub struct TestTone {
    hz: f64,
    sample: u64,
}

impl TestTone {
    pub fn new(hz: f64) -> TestTone {
        TestTone { hz, sample: 0 }
    }

    /// The next 20 ms.
    pub fn next_frame(&mut self) -> Vec<i16> {
        let step = std::f64::consts::TAU * self.hz / f64::from(SAMPLE_RATE);
        let frame = (0..FRAME_SAMPLES as u64)
            .map(|i| ((self.sample + i) as f64 * step).sin() * 8192.0)
            .map(|v| v as i16)
            .collect();
        self.sample += FRAME_SAMPLES as u64;
        frame
    }
}

/// The strongest frequency in `samples` (at `rate` a second), to the hertz, between 50 Hz and 4 kHz: the
/// Goertzel power at each whole hertz around the coarse peak of a 10 Hz scan.
pub fn dominant_frequency(samples: &[i16], rate: u32) -> f64 {
    let power = |hz: f64| {
        let coeff = 2.0 * (std::f64::consts::TAU * hz / f64::from(rate)).cos();
        let (mut s1, mut s2) = (0.0f64, 0.0f64);
        for &x in samples {
            let s0 = f64::from(x) + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        s1 * s1 + s2 * s2 - coeff * s1 * s2
    };
    let best = |candidates: &mut dyn Iterator<Item = f64>| {
        candidates
            .map(|hz| (hz, power(hz)))
            .fold((0.0, f64::MIN), |a, b| if b.1 > a.1 { b } else { a })
            .0
    };
    let coarse = best(&mut (5..=400).map(|tens| f64::from(tens) * 10.0));
    best(&mut (-10..=10).map(|d| coarse + f64::from(d)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tone_is_found_at_its_frequency_and_a_frame_is_twenty_milliseconds() {
        let mut tone = TestTone::new(440.0);
        let frame = tone.next_frame();
        assert_eq!(frame.len(), 960);
        let mut samples = frame;
        samples.extend(tone.next_frame());
        assert_eq!(dominant_frequency(&samples, SAMPLE_RATE), 440.0);
        let mut other = TestTone::new(1000.0);
        assert_eq!(dominant_frequency(&other.next_frame(), SAMPLE_RATE), 1000.0);
    }
}
