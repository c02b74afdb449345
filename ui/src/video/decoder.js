// The video call's decoder (decision 0006): VP8 frames from the desk, decoded with WebCodecs into a canvas.
// WebKitGTK has no RTCPeerConnection but decodes VP8 with VideoDecoder. isConfigSupported is asked first:
// constructing a codec as the very first GStreamer use has crashed the web process.

// A decoder drawing into `canvas`; rejects when this webview cannot decode VP8.
export async function createDecoder(canvas) {
  const config = { codec: "vp8" };
  if (typeof VideoDecoder === "undefined") {
    throw new Error("no WebCodecs VideoDecoder");
  }
  const support = await VideoDecoder.isConfigSupported(config);
  if (!support.supported) {
    throw new Error("VP8 cannot be decoded here");
  }
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const state = { decoder: null, frames: 0, errors: 0 };
  state.decoder = new VideoDecoder({
    output: (frame) => {
      if (canvas.width !== frame.displayWidth || canvas.height !== frame.displayHeight) {
        canvas.width = frame.displayWidth;
        canvas.height = frame.displayHeight;
      }
      context.drawImage(frame, 0, 0);
      frame.close();
      state.frames += 1;
      canvas.dataset.frames = String(state.frames);
    },
    error: () => {
      state.errors += 1;
    },
  });
  state.decoder.configure(config);
  return state;
}

// Hands one frame to the decoder; false when it cannot take it (closed, or failed: start again at a key frame).
export function decodeFrame(state, bytes, keyframe, timestampUs) {
  if (!state.decoder || state.decoder.state !== "configured") {
    return false;
  }
  state.decoder.decode(new EncodedVideoChunk({ type: keyframe ? "key" : "delta", timestamp: timestampUs, data: bytes }));
  return true;
}

// Whether the decoder failed since it was made (it must be made again and fed from a key frame).
export function decoderFailed(state) {
  return state.errors > 0 || !state.decoder || state.decoder.state === "closed";
}

// Closes the decoder.
export function closeDecoder(state) {
  if (state.decoder && state.decoder.state !== "closed") {
    state.decoder.close();
  }
}
