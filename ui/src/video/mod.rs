//! The Rust side of the call's media: typed calls into `decoder.js`, which owns the WebCodecs `VideoDecoder`
//! that draws a call's VP8 frames into a canvas, and `audio.js`, whose `AudioDecoder` plays the reporter's Opus
//! voice and measures it on a meter (decision 0006). Nothing else in the UI touches WebCodecs or Web Audio.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/video/decoder.js")]
extern "C" {
    #[wasm_bindgen(js_name = createDecoder)]
    fn create_decoder_js(canvas: &web_sys::HtmlCanvasElement) -> js_sys::Promise;
    #[wasm_bindgen(js_name = decodeFrame)]
    fn decode_frame_js(
        state: &JsValue,
        bytes: &js_sys::Uint8Array,
        keyframe: bool,
        timestamp_us: f64,
    ) -> bool;
    #[wasm_bindgen(js_name = decoderFailed)]
    fn decoder_failed_js(state: &JsValue) -> bool;
    #[wasm_bindgen(js_name = closeDecoder)]
    fn close_decoder_js(state: &JsValue);
}

/// A VP8 decoder drawing into a canvas.
#[derive(Debug, Clone)]
pub struct Decoder {
    state: JsValue,
    /// Whether it has had a key frame since it was made (delta frames before one are not fed).
    started: bool,
}

impl Decoder {
    /// A decoder for `canvas`; the reason when this webview cannot decode VP8.
    pub async fn new(canvas: &web_sys::HtmlCanvasElement) -> Result<Decoder, String> {
        let state = wasm_bindgen_futures::JsFuture::from(create_decoder_js(canvas))
            .await
            .map_err(|e| e.as_string().unwrap_or_else(|| format!("{e:?}")))?;
        Ok(Decoder {
            state,
            started: false,
        })
    }

    /// Feeds one frame (RTP time at 90 kHz); false when the decoder failed and must be made again.
    pub fn decode(&mut self, data: &[u8], keyframe: bool, rtp_time: u64) -> bool {
        if decoder_failed_js(&self.state) {
            return false;
        }
        if !self.started && !keyframe {
            return true;
        }
        self.started = true;
        let bytes = js_sys::Uint8Array::from(data);
        decode_frame_js(&self.state, &bytes, keyframe, rtp_time as f64 * 1000.0 / 90.0)
    }

    /// Closes it.
    pub fn close(&self) {
        close_decoder_js(&self.state);
    }
}

#[wasm_bindgen(module = "/src/video/audio.js")]
extern "C" {
    #[wasm_bindgen(js_name = createAudio)]
    fn create_audio_js(meter: &web_sys::HtmlElement) -> js_sys::Promise;
    #[wasm_bindgen(js_name = decodeAudio)]
    fn decode_audio_js(state: &JsValue, bytes: &js_sys::Uint8Array, timestamp_us: f64) -> bool;
    #[wasm_bindgen(js_name = setMuted)]
    fn set_muted_js(state: &JsValue, muted: bool);
    #[wasm_bindgen(js_name = canPlay)]
    fn can_play_js(state: &JsValue) -> bool;
    #[wasm_bindgen(js_name = closeAudio)]
    fn close_audio_js(state: &JsValue);
}

/// The reporter's voice: an Opus decoder playing through the speakers and showing its level and pitch on a
/// meter element.
#[derive(Debug, Clone)]
pub struct AudioPlayer {
    state: JsValue,
}

impl AudioPlayer {
    /// A player for the meter `meter`; the reason when this webview cannot decode Opus.
    pub async fn new(meter: &web_sys::HtmlElement) -> Result<AudioPlayer, String> {
        let state = wasm_bindgen_futures::JsFuture::from(create_audio_js(meter))
            .await
            .map_err(|e| e.as_string().unwrap_or_else(|| format!("{e:?}")))?;
        Ok(AudioPlayer { state })
    }

    /// Feeds one packet (RTP time at 48 kHz); false when the decoder failed and must be made again.
    pub fn decode(&self, data: &[u8], rtp_time: u64) -> bool {
        let bytes = js_sys::Uint8Array::from(data);
        decode_audio_js(&self.state, &bytes, rtp_time as f64 * 1000.0 / 48.0)
    }

    /// Silences the speakers, or lets them play.
    pub fn set_muted(&self, muted: bool) {
        set_muted_js(&self.state, muted);
    }

    /// Whether this desk has a sound output (the meter works without).
    pub fn can_play(&self) -> bool {
        can_play_js(&self.state)
    }

    /// Closes it.
    pub fn close(&self) {
        close_audio_js(&self.state);
    }
}
