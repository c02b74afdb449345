//! VP8 through libvpx (Debian's libvpx-dev, bindings from `env-libvpx-sys`): an [`Encoder`] tuned for a live
//! call (real-time deadline, constant bitrate, no look-ahead, error resilient, a key frame at least every two
//! seconds or when asked) and a [`Decoder`]. The unsafe calls stay in this module; each context is freed on
//! drop.

#![allow(unsafe_code)] // the FFI boundary to libvpx, kept to this module

use crate::frame::I420Frame;
use std::mem::MaybeUninit;
use std::os::raw::{c_int, c_long, c_uint, c_ulong};
use vpx_sys as vpx;

/// What libvpx refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodecError {
    /// The picture is not the size the encoder was made for.
    #[error("a {got_w}×{got_h} picture for a {want_w}×{want_h} encoder")]
    WrongSize {
        got_w: usize,
        got_h: usize,
        want_w: usize,
        want_h: usize,
    },
    /// libvpx answered an error.
    #[error("libvpx: {0}")]
    Vpx(String),
}

fn check(result: vpx::vpx_codec_err_t, what: &str) -> Result<(), CodecError> {
    if result == vpx::vpx_codec_err_t::VPX_CODEC_OK {
        Ok(())
    } else {
        Err(CodecError::Vpx(format!("{what}: {result:?}")))
    }
}

/// One encoded frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// The VP8 bitstream of the frame.
    pub data: Vec<u8>,
    /// Whether it is a key frame (decodable alone).
    pub keyframe: bool,
}

/// A VP8 encoder for `width`×`height` pictures.
pub struct Encoder {
    ctx: Box<vpx::vpx_codec_ctx_t>,
    /// The configuration it was made with; the bitrate in it changes with `set_bitrate`.
    cfg: vpx::vpx_codec_enc_cfg_t,
    width: usize,
    height: usize,
    pts: i64,
}

// The context is only touched through `&mut self`.
unsafe impl Send for Encoder {}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Encoder({}×{})", self.width, self.height)
    }
}

impl Encoder {
    /// An encoder at `kbps` kilobits a second for `fps` frames a second.
    pub fn new(width: usize, height: usize, kbps: u32, fps: u32) -> Result<Encoder, CodecError> {
        unsafe {
            let iface = vpx::vpx_codec_vp8_cx();
            let mut cfg = MaybeUninit::<vpx::vpx_codec_enc_cfg_t>::zeroed();
            check(
                vpx::vpx_codec_enc_config_default(iface, cfg.as_mut_ptr(), 0),
                "default configuration",
            )?;
            let mut cfg = cfg.assume_init();
            cfg.g_w = width as c_uint;
            cfg.g_h = height as c_uint;
            cfg.g_timebase = vpx::vpx_rational { num: 1, den: 1000 };
            cfg.g_threads = 1;
            cfg.g_lag_in_frames = 0;
            cfg.g_error_resilient = vpx::VPX_ERROR_RESILIENT_DEFAULT;
            cfg.rc_end_usage = vpx::vpx_rc_mode::VPX_CBR;
            cfg.rc_target_bitrate = kbps;
            cfg.rc_min_quantizer = 4;
            cfg.rc_max_quantizer = 56;
            cfg.kf_max_dist = fps.max(1) * 2;
            let mut ctx = Box::new(MaybeUninit::<vpx::vpx_codec_ctx_t>::zeroed().assume_init());
            check(
                vpx::vpx_codec_enc_init_ver(
                    ctx.as_mut(),
                    iface,
                    &cfg,
                    0,
                    vpx::VPX_ENCODER_ABI_VERSION as c_int,
                ),
                "encoder init",
            )?;
            // Fastest real-time speed.
            let speed: c_int = 16;
            check(
                vpx::vpx_codec_control_(
                    ctx.as_mut(),
                    vpx::vp8e_enc_control_id::VP8E_SET_CPUUSED as c_int,
                    speed,
                ),
                "speed",
            )?;
            Ok(Encoder {
                ctx,
                cfg,
                width,
                height,
                pts: 0,
            })
        }
    }

    /// The bitrate it aims at, in kilobits a second.
    pub fn bitrate(&self) -> u32 {
        self.cfg.rc_target_bitrate
    }

    /// Aims at `kbps` kilobits a second from the next frame on (a sender follows `bitrate::SendRate`).
    pub fn set_bitrate(&mut self, kbps: u32) -> Result<(), CodecError> {
        let mut cfg = self.cfg;
        cfg.rc_target_bitrate = kbps.max(1);
        // SAFETY: `ctx` was initialised by `vpx_codec_enc_init_ver` in `new` and `cfg` is the configuration it was
        // made with, changed in the bitrate only.
        unsafe {
            check(vpx::vpx_codec_enc_config_set(self.ctx.as_mut(), &cfg), "bitrate")?;
        }
        self.cfg = cfg;
        Ok(())
    }

    /// Encodes `frame` (a key frame when `keyframe`); the frames libvpx gave back (none when it dropped the
    /// picture to hold the bitrate).
    pub fn encode(&mut self, frame: &I420Frame, keyframe: bool) -> Result<Vec<Encoded>, CodecError> {
        if (frame.width, frame.height) != (self.width, self.height) {
            return Err(CodecError::WrongSize {
                got_w: frame.width,
                got_h: frame.height,
                want_w: self.width,
                want_h: self.height,
            });
        }
        let mut out = Vec::new();
        unsafe {
            let mut image = MaybeUninit::<vpx::vpx_image_t>::zeroed();
            let wrapped = vpx::vpx_img_wrap(
                image.as_mut_ptr(),
                vpx::vpx_img_fmt::VPX_IMG_FMT_I420,
                self.width as c_uint,
                self.height as c_uint,
                1,
                frame.data.as_ptr() as *mut u8,
            );
            if wrapped.is_null() {
                return Err(CodecError::Vpx("the picture does not wrap".into()));
            }
            let flags = if keyframe {
                vpx::VPX_EFLAG_FORCE_KF as vpx::vpx_enc_frame_flags_t
            } else {
                0
            };
            check(
                vpx::vpx_codec_encode(
                    self.ctx.as_mut(),
                    image.as_ptr(),
                    self.pts,
                    33,
                    flags,
                    vpx::VPX_DL_REALTIME as c_ulong,
                ),
                "encode",
            )?;
            self.pts += 33;
            let mut iter = std::ptr::null();
            loop {
                let packet = vpx::vpx_codec_get_cx_data(self.ctx.as_mut(), &mut iter);
                if packet.is_null() {
                    break;
                }
                if (*packet).kind == vpx::vpx_codec_cx_pkt_kind::VPX_CODEC_CX_FRAME_PKT {
                    let f = (*packet).data.frame;
                    let bytes = std::slice::from_raw_parts(f.buf as *const u8, f.sz as usize);
                    out.push(Encoded {
                        data: bytes.to_vec(),
                        keyframe: f.flags & vpx::VPX_FRAME_IS_KEY != 0,
                    });
                }
            }
        }
        Ok(out)
    }
}

impl Drop for Encoder {
    fn drop(&mut self) {
        unsafe {
            vpx::vpx_codec_destroy(self.ctx.as_mut());
        }
    }
}

/// A VP8 decoder.
pub struct Decoder {
    ctx: Box<vpx::vpx_codec_ctx_t>,
}

// The context is only touched through `&mut self`.
unsafe impl Send for Decoder {}

impl std::fmt::Debug for Decoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Decoder")
    }
}

impl Decoder {
    /// A decoder.
    pub fn new() -> Result<Decoder, CodecError> {
        unsafe {
            let mut ctx = Box::new(MaybeUninit::<vpx::vpx_codec_ctx_t>::zeroed().assume_init());
            check(
                vpx::vpx_codec_dec_init_ver(
                    ctx.as_mut(),
                    vpx::vpx_codec_vp8_dx(),
                    std::ptr::null(),
                    0,
                    vpx::VPX_DECODER_ABI_VERSION as c_int,
                ),
                "decoder init",
            )?;
            Ok(Decoder { ctx })
        }
    }

    /// Decodes one frame's bitstream; the pictures it gives (normally one). A frame that does not decode (a
    /// lost reference) is an error: ask the sender for a key frame.
    pub fn decode(&mut self, data: &[u8]) -> Result<Vec<I420Frame>, CodecError> {
        let mut out = Vec::new();
        unsafe {
            check(
                vpx::vpx_codec_decode(
                    self.ctx.as_mut(),
                    data.as_ptr(),
                    data.len() as c_uint,
                    std::ptr::null_mut(),
                    0 as c_long,
                ),
                "decode",
            )?;
            let mut iter = std::ptr::null();
            loop {
                let image = vpx::vpx_codec_get_frame(self.ctx.as_mut(), &mut iter);
                if image.is_null() {
                    break;
                }
                let image = &*image;
                let (w, h) = (image.d_w as usize & !1, image.d_h as usize & !1);
                let mut data = Vec::with_capacity(w * h * 3 / 2);
                for (plane, (pw, ph)) in [(0, (w, h)), (1, (w / 2, h / 2)), (2, (w / 2, h / 2))] {
                    let stride = image.stride[plane] as usize;
                    for row in 0..ph {
                        let start = image.planes[plane].add(row * stride);
                        data.extend_from_slice(std::slice::from_raw_parts(start, pw));
                    }
                }
                out.push(I420Frame {
                    width: w,
                    height: h,
                    data,
                });
            }
        }
        Ok(out)
    }
}

impl Drop for Decoder {
    fn drop(&mut self) {
        unsafe {
            vpx::vpx_codec_destroy(self.ctx.as_mut());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::barcode::Stamp;

    #[test]
    fn frames_survive_encoding_with_their_stamps_and_a_key_frame_comes_when_asked() {
        let mut encoder = Encoder::new(320, 240, 600, 30).unwrap();
        let mut decoder = Decoder::new().unwrap();
        let mut read = Vec::new();
        let mut keyframes = Vec::new();
        for n in 0..30u32 {
            let stamp = Stamp {
                frame: n,
                capture_ms: 1_796_353_200_000 + u64::from(n) * 33,
            };
            let picture = I420Frame::test_pattern(320, 240, stamp).unwrap();
            for encoded in encoder.encode(&picture, n == 20).unwrap() {
                if encoded.keyframe {
                    keyframes.push(n);
                }
                for decoded in decoder.decode(&encoded.data).unwrap() {
                    read.push(decoded.stamp());
                }
            }
        }
        assert_eq!(keyframes, [0, 20], "the first frame and the one asked for");
        let numbers: Vec<u32> = read.iter().flatten().map(|s| s.frame).collect();
        assert!(numbers.len() >= 28, "{read:?}");
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
        assert!(Encoder::new(320, 240, 600, 30)
            .unwrap()
            .encode(&I420Frame::grey(640, 480).unwrap(), false)
            .is_err());
    }

    #[test]
    fn a_lower_bitrate_makes_smaller_frames_from_the_next_frame_on() {
        let mut encoder = Encoder::new(320, 240, 800, 30).unwrap();
        let bytes_of = |encoder: &mut Encoder, from: u32| -> usize {
            (from..from + 60)
                .map(|n| {
                    let stamp = Stamp {
                        frame: n,
                        capture_ms: 1_796_353_200_000 + u64::from(n) * 33,
                    };
                    let picture = I420Frame::test_pattern(320, 240, stamp).unwrap();
                    encoder
                        .encode(&picture, false)
                        .unwrap()
                        .iter()
                        .map(|e| e.data.len())
                        .sum::<usize>()
                })
                .sum()
        };
        // The first 60 frames settle the rate control (the key frame); the next 60 are at 800 kbit/s.
        bytes_of(&mut encoder, 0);
        let high = bytes_of(&mut encoder, 60);
        encoder.set_bitrate(100).unwrap();
        assert_eq!(encoder.bitrate(), 100);
        bytes_of(&mut encoder, 120);
        let low = bytes_of(&mut encoder, 180);
        // This easy picture takes less than 800 kbit/s; at 100 kbit/s (25 000 bytes in two seconds) the quantiser
        // coarsens until CBR holds about the target.
        assert!(low * 2 < high, "{low} bytes at 100 kbit/s against {high} at 800");
        assert!(low < 40_000, "{low} bytes in two seconds at 100 kbit/s");
    }
}
