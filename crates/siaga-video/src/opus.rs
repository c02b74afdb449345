//! Opus through libopus (Debian's libopus-dev): the call's audio, 48 kHz mono in 20 ms frames. An [`Encoder`]
//! set for speech (the simulator's reporter sends its test tone) and a [`Decoder`] (tests read the tone back).
//! The desk decodes nothing itself: the webview's WebCodecs `AudioDecoder` plays what arrives. The unsafe calls
//! stay in this module; each state is freed on drop.

#![allow(unsafe_code)] // the FFI boundary to libopus, kept to this module

use crate::audio::{FRAME_SAMPLES, SAMPLE_RATE};
use std::os::raw::c_int;
use std::ptr::NonNull;
/// The longest packet one frame encodes to (RFC 6716 allows 1275 bytes).
const MAX_PACKET: usize = 1275;
/// `OPUS_APPLICATION_VOIP`: tuned for speech.
const APPLICATION_VOIP: c_int = 2048;

#[repr(C)]
struct OpusEncoder {
    _opaque: [u8; 0],
}
#[repr(C)]
struct OpusDecoder {
    _opaque: [u8; 0],
}

#[link(name = "opus")]
extern "C" {
    fn opus_encoder_create(
        fs: i32,
        channels: c_int,
        application: c_int,
        error: *mut c_int,
    ) -> *mut OpusEncoder;
    fn opus_encode(st: *mut OpusEncoder, pcm: *const i16, frame_size: c_int, data: *mut u8, max: i32) -> i32;
    fn opus_encoder_destroy(st: *mut OpusEncoder);
    fn opus_decoder_create(fs: i32, channels: c_int, error: *mut c_int) -> *mut OpusDecoder;
    fn opus_decode(
        st: *mut OpusDecoder,
        data: *const u8,
        len: i32,
        pcm: *mut i16,
        frame_size: c_int,
        decode_fec: c_int,
    ) -> c_int;
    fn opus_decoder_destroy(st: *mut OpusDecoder);
}

/// What libopus refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpusError {
    /// A frame that is not [`FRAME_SAMPLES`] samples long.
    #[error("a frame of {0} samples, not {FRAME_SAMPLES}")]
    WrongLength(usize),
    /// libopus answered an error code.
    #[error("libopus error {0}")]
    Opus(i32),
}

/// An Opus encoder: 48 kHz, mono, speech.
pub struct Encoder(NonNull<OpusEncoder>);

// The state is only touched through `&mut self`.
unsafe impl Send for Encoder {}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("opus::Encoder")
    }
}

impl Encoder {
    pub fn new() -> Result<Encoder, OpusError> {
        let mut error = 0;
        // SAFETY: plain arguments and a valid out-pointer; a null answer is turned into the error code.
        let state = unsafe { opus_encoder_create(SAMPLE_RATE as i32, 1, APPLICATION_VOIP, &mut error) };
        NonNull::new(state).map(Encoder).ok_or(OpusError::Opus(error))
    }

    /// Encodes one 20 ms frame of samples into one packet.
    pub fn encode(&mut self, samples: &[i16]) -> Result<Vec<u8>, OpusError> {
        if samples.len() != FRAME_SAMPLES {
            return Err(OpusError::WrongLength(samples.len()));
        }
        let mut packet = vec![0u8; MAX_PACKET];
        // SAFETY: the state is live; `samples` holds frame_size samples and `packet` MAX_PACKET bytes.
        let written = unsafe {
            opus_encode(
                self.0.as_ptr(),
                samples.as_ptr(),
                FRAME_SAMPLES as c_int,
                packet.as_mut_ptr(),
                MAX_PACKET as i32,
            )
        };
        if written < 0 {
            return Err(OpusError::Opus(written));
        }
        packet.truncate(written as usize);
        Ok(packet)
    }
}

impl Drop for Encoder {
    fn drop(&mut self) {
        // SAFETY: made by opus_encoder_create, destroyed once.
        unsafe { opus_encoder_destroy(self.0.as_ptr()) }
    }
}

/// An Opus decoder: 48 kHz, mono.
pub struct Decoder(NonNull<OpusDecoder>);

// The state is only touched through `&mut self`.
unsafe impl Send for Decoder {}

impl std::fmt::Debug for Decoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("opus::Decoder")
    }
}

impl Decoder {
    pub fn new() -> Result<Decoder, OpusError> {
        let mut error = 0;
        // SAFETY: plain arguments and a valid out-pointer; a null answer is turned into the error code.
        let state = unsafe { opus_decoder_create(SAMPLE_RATE as i32, 1, &mut error) };
        NonNull::new(state).map(Decoder).ok_or(OpusError::Opus(error))
    }

    /// Decodes one packet into its samples.
    pub fn decode(&mut self, packet: &[u8]) -> Result<Vec<i16>, OpusError> {
        // 120 ms is the longest a packet can hold.
        let mut samples = vec![0i16; FRAME_SAMPLES * 6];
        // SAFETY: the state is live; `packet` is read for its length, `samples` holds frame_size samples.
        let decoded = unsafe {
            opus_decode(
                self.0.as_ptr(),
                packet.as_ptr(),
                packet.len() as i32,
                samples.as_mut_ptr(),
                samples.len() as c_int,
                0,
            )
        };
        if decoded < 0 {
            return Err(OpusError::Opus(decoded));
        }
        samples.truncate(decoded as usize);
        Ok(samples)
    }
}

impl Drop for Decoder {
    fn drop(&mut self) {
        // SAFETY: made by opus_decoder_create, destroyed once.
        unsafe { opus_decoder_destroy(self.0.as_ptr()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::{dominant_frequency, TestTone};

    #[test]
    fn the_test_tone_survives_encoding_at_its_frequency() {
        let (mut encoder, mut decoder) = (Encoder::new().unwrap(), Decoder::new().unwrap());
        let mut tone = TestTone::new(440.0);
        let mut heard = Vec::new();
        for _ in 0..25 {
            let packet = encoder.encode(&tone.next_frame()).unwrap();
            assert!(!packet.is_empty() && packet.len() < 400, "{} bytes", packet.len());
            heard.extend(decoder.decode(&packet).unwrap());
        }
        // The codec's first frames settle; the last 200 ms are the tone.
        let hz = dominant_frequency(&heard[heard.len() - 9600..], SAMPLE_RATE);
        assert!((hz - 440.0).abs() < 5.0, "{hz} Hz");
        assert_eq!(encoder.encode(&[0; 10]), Err(OpusError::WrongLength(10)));
        assert!(
            decoder.decode(&[0xff; 3]).is_err(),
            "garbage is refused, not played"
        );
    }
}
