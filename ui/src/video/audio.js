// The reporter's voice on a video call (decision 0006): Opus packets from the desk decoded with WebCodecs
// AudioDecoder and played through Web Audio, each packet scheduled right after the one before. A meter beside
// the video shows what arrives: its level (dBFS) and the pitch of the last 100 ms (data-level, data-hz), so the
// operator sees sound is coming even with the speakers off. isConfigSupported is asked first, as for video.

const RATE = 48000;
// Samples the pitch is read over (100 ms).
const WINDOW = 4800;

// A player for the meter element `meter`; rejects when this webview cannot decode Opus.
export async function createAudio(meter) {
  const config = { codec: "opus", sampleRate: RATE, numberOfChannels: 1 };
  if (typeof AudioDecoder === "undefined") {
    throw new Error("no WebCodecs AudioDecoder");
  }
  const support = await AudioDecoder.isConfigSupported(config);
  if (!support.supported) {
    throw new Error("Opus cannot be decoded here");
  }
  const state = {
    decoder: null, context: null, gain: null, next: 0, muted: false, errors: 0, packets: 0,
    meter, recent: new Float32Array(WINDOW), filled: 0, shownAt: 0,
  };
  try {
    state.context = new AudioContext({ sampleRate: RATE });
    state.gain = state.context.createGain();
    state.gain.connect(state.context.destination);
  } catch (_) {
    // No sound output on this machine: the voice is still decoded and measured.
    state.context = null;
  }
  state.decoder = new AudioDecoder({
    output: (data) => {
      const samples = monoSamples(data);
      data.close();
      state.packets += 1;
      play(state, samples);
      measure(state, samples);
    },
    error: () => {
      state.errors += 1;
    },
  });
  state.decoder.configure(config);
  return state;
}

// The first channel of `data` as floats in [-1, 1]. Always asked as "f32-planar", plane 0: WebKitGTK 2.50 hands
// decoded Opus as interleaved stereo "f32" (even when configured mono), and copying that layout as it is crashes
// the web process ("double free or corruption"); the planar conversion is safe and gives exactly one channel.
function monoSamples(data) {
  const options = { planeIndex: 0, format: "f32-planar" };
  const out = new Float32Array(data.allocationSize(options) / 4);
  data.copyTo(out, options);
  return out;
}

// Schedules `samples` right after what is already queued (a little ahead of now when the queue ran dry).
function play(state, samples) {
  if (!state.context || samples.length === 0) {
    return;
  }
  try {
    const buffer = state.context.createBuffer(1, samples.length, RATE);
    buffer.copyToChannel(samples, 0);
    const source = state.context.createBufferSource();
    source.buffer = buffer;
    source.connect(state.gain);
    const now = state.context.currentTime;
    const at = state.next < now + 0.02 ? now + 0.06 : state.next;
    source.start(at);
    state.next = at + buffer.duration;
  } catch (_) {
    state.context = null;
  }
}

// Keeps the last 100 ms, and shows its level and pitch on the meter at most ten times a second.
function measure(state, samples) {
  const keep = Math.min(samples.length, WINDOW);
  state.recent.copyWithin(0, keep);
  state.recent.set(samples.subarray(samples.length - keep), WINDOW - keep);
  state.filled = Math.min(WINDOW, state.filled + keep);
  const now = performance.now();
  if (state.filled < WINDOW || now - state.shownAt < 100 || !state.meter) {
    return;
  }
  state.shownAt = now;
  let sum = 0;
  for (const v of state.recent) {
    sum += v * v;
  }
  const rms = Math.sqrt(sum / WINDOW);
  const db = rms > 0 ? Math.max(-90, 20 * Math.log10(rms)) : -90;
  // Rising zero crossings, placed between samples: whole periods between the first and the last.
  let first = -1;
  let last = -1;
  let crossings = 0;
  for (let i = 1; i < WINDOW; i += 1) {
    const a = state.recent[i - 1];
    const b = state.recent[i];
    if (a < 0 && b >= 0) {
      const at = i - 1 + a / (a - b);
      if (first < 0) {
        first = at;
      }
      last = at;
      crossings += 1;
    }
  }
  const hz = crossings > 1 && db > -60 ? ((crossings - 1) * RATE) / (last - first) : 0;
  state.meter.dataset.level = db.toFixed(0);
  state.meter.dataset.hz = hz.toFixed(0);
  const fill = state.meter.querySelector(".audio-fill");
  if (fill) {
    fill.style.width = `${Math.max(0, Math.min(100, ((db + 60) / 60) * 100)).toFixed(0)}%`;
  }
}

// Hands one Opus packet to the decoder; false when it cannot take it (closed or failed).
export function decodeAudio(state, bytes, timestampUs) {
  if (!state.decoder || state.decoder.state !== "configured" || state.errors > 0) {
    return false;
  }
  state.decoder.decode(new EncodedAudioChunk({ type: "key", timestamp: timestampUs, data: bytes }));
  return true;
}

// Silences the speakers (the voice is still decoded and measured) or lets them play again.
export function setMuted(state, muted) {
  state.muted = muted;
  if (state.gain) {
    state.gain.gain.value = muted ? 0 : 1;
  }
}

// Whether this desk can play sound at all (the meter still works without).
export function canPlay(state) {
  return state.context !== null;
}

// Closes the decoder and the sound output.
export function closeAudio(state) {
  if (state.decoder && state.decoder.state !== "closed") {
    state.decoder.close();
  }
  if (state.context) {
    state.context.close();
  }
}
