//! The Rust side of the video decoder: typed calls into `decoder.js`, which owns the WebCodecs `VideoDecoder`
//! that draws a call's VP8 frames into a canvas (decision 0006). Nothing else in the UI touches WebCodecs.

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
