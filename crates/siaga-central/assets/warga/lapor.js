// The citizen's 110 report page: send a report, then answer the operator's video validation call with the
// browser's own WebRTC. The report's id and a receipt (128 random bits) are chosen here before the first send and
// kept in this browser only; with them the page asks the central for its report's call: every 3 s for the first
// three minutes (an operator who validates calls soon), then every 10 s, so that an hour of waiting stays within the
// central's per-address budget (600 lookups an hour); a 429 is waited out as its Retry-After says.
"use strict";

const TEXT = {
  id: {
    title: "Lapor ke Polri 110", switch: "English", heading: "Laporkan kejadian",
    hint: "Dalam keadaan darurat, telepon 110. Setelah mengirim, tetap buka halaman ini: operator 110 dapat memvalidasi laporan Anda lewat panggilan video.",
    description: "Apa yang terjadi?", name: "Nama (boleh dikosongkan)", nik: "NIK (boleh dikosongkan)",
    where: "Lokasi", polda: "Provinsi (Polda)", locate: "Pakai lokasi saya", lat: "Lintang", lon: "Bujur", send: "Kirim laporan",
    sent: "Laporan terkirim. Tetap di halaman ini: operator 110 dapat menghubungi Anda.",
    ringing: "Operator 110 memanggil Anda (panggilan video)",
    ringingHint: "Perlihatkan wajah dan KTP Anda ke kamera bila diminta.", answer: "Jawab", decline: "Tolak",
    hangUp: "Tutup panggilan", footer: "Layanan Polri 110 — bebas pulsa, 24 jam.",
    connecting: "Menyambungkan…", connected: "Tersambung dengan operator 110", ended: "Panggilan selesai.",
    noCamera: "Kamera atau mikrofon tidak dapat dipakai: ", failed: "Panggilan gagal: ",
    missing: "Tulis apa yang terjadi dan lokasinya (lintang −90…90, bujur −180…180).",
    refused: "Laporan ditolak: ", offline: "Tidak dapat menghubungi 110. Coba lagi.",
    noPosition: "Lokasi tidak dapat dibaca; tulis lintang dan bujurnya.",
  },
  en: {
    title: "Report to Polri 110", switch: "Bahasa Indonesia", heading: "Report an incident",
    hint: "In an emergency, call 110. After sending, keep this page open: a 110 operator may validate your report in a video call.",
    description: "What happened?", name: "Name (optional)", nik: "NIK (optional)", where: "Location",
    polda: "Province (Polda)", locate: "Use my location", lat: "Latitude", lon: "Longitude", send: "Send report",
    sent: "Report sent. Keep this page open: a 110 operator may call you.",
    ringing: "A 110 operator is calling you (video call)",
    ringingHint: "Show your face and ID card to the camera when asked.", answer: "Answer", decline: "Decline",
    hangUp: "Hang up", footer: "Polri 110 — free, 24 hours.", connecting: "Connecting…",
    connected: "Connected to the 110 operator", ended: "The call has ended.",
    noCamera: "The camera or microphone cannot be used: ", failed: "The call failed: ",
    missing: "Say what happened and where (latitude −90…90, longitude −180…180).",
    refused: "The report was refused: ", offline: "110 cannot be reached. Try again.",
    noPosition: "Your position cannot be read; type its latitude and longitude.",
  },
};

let language = "id";
const $ = (id) => document.getElementById(id);
const t = (key) => TEXT[language][key];

function translate() {
  document.documentElement.lang = language;
  for (const element of document.querySelectorAll("[data-t]")) {
    element.textContent = t(element.dataset.t);
  }
}

function show(id, text) {
  const element = $(id);
  element.textContent = text;
  element.hidden = !text;
}

function randomHex(bytes) {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  return { status: response.status, answer };
}

// The report in progress (id and receipt survive a reload of the page).
let report = JSON.parse(localStorage.getItem("siaga-lapor") || "null");
let peer = null;
let answering = false;

async function send(event) {
  event.preventDefault();
  const lat = Number($("report-lat").value.replace(",", "."));
  const lon = Number($("report-lon").value.replace(",", "."));
  const description = $("report-description").value.trim();
  if (!description || !$("report-lat").value || !$("report-lon").value || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    show("report-error", t("missing"));
    return;
  }
  const draft = { reportId: crypto.randomUUID(), receipt: randomHex(16) };
  const body = {
    ...draft, description, name: $("report-name").value, nik: $("report-nik").value, polda: $("report-polda").value, lat, lon,
  };
  $("report-send").disabled = true;
  try {
    const { status, answer } = await post("/v1/public/reports", body);
    if (status === 200 || status === 201) {
      report = { incidentId: answer.incidentId, receipt: draft.receipt };
      localStorage.setItem("siaga-lapor", JSON.stringify(report));
      follow();
    } else {
      show("report-error", t("refused") + (answer.message || status));
    }
  } catch (_) {
    show("report-error", t("offline"));
  } finally {
    $("report-send").disabled = false;
  }
}

const FOLLOWED_AT = Date.now();

function follow() {
  $("panel-report").hidden = true;
  $("panel-call").hidden = false;
  $("report-sent").dataset.incident = report.incidentId;
  poll();
}

let call = null;

async function poll() {
  let wait = Date.now() - FOLLOWED_AT < 180000 ? 3000 : 10000;
  try {
    const response = await fetch("/v1/public/video-call", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(report),
    });
    if (response.status === 429) {
      wait = Math.max(wait, 1000 * Number(response.headers.get("retry-after") || 60));
    } else if (response.ok) {
      showCall((await response.json()).call || null);
    }
  } catch (_) {
    // Offline for a moment: asked again at the next turn.
  }
  setTimeout(poll, wait);
}

function showCall(current) {
  call = current;
  const state = call && call.state;
  $("call-ringing").hidden = !(state === "ringing" && !peer && !answering);
  if (peer && ["ended", "failed", "unreachable", "declined"].includes(state)) {
    finish(t("ended"));
  }
}

async function move(state, reason) {
  if (call) {
    await post("/v1/public/video-call", { ...report, callId: call.callId, state: { state, reason: reason || "" } }).catch(() => {});
  }
}

async function answerCall() {
  if (!call || !call.offer || answering) {
    return;
  }
  answering = true;
  $("call-ringing").hidden = true;
  $("call-live").hidden = false;
  show("call-state", t("connecting"));
  let media;
  try {
    media = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
  } catch (error) {
    show("call-error", t("noCamera") + error.message);
    await move("declined", "kamera tidak tersedia");
    answering = false;
    return;
  }
  $("call-self").srcObject = media;
  peer = new RTCPeerConnection();
  window.siagaPeer = peer;
  for (const track of media.getTracks()) {
    peer.addTrack(track, media);
  }
  peer.addEventListener("connectionstatechange", () => {
    if (peer && peer.connectionState === "connected") {
      show("call-state", t("connected"));
      move("connected");
    } else if (peer && peer.connectionState === "failed") {
      finish(t("failed") + peer.connectionState);
      move("failed", "koneksi gagal di peramban pelapor");
    }
  });
  try {
    await peer.setRemoteDescription({ type: "offer", sdp: call.offer });
    await peer.setLocalDescription(await peer.createAnswer());
    if (peer.iceGatheringState !== "complete") {
      await new Promise((resolve) => {
        peer.addEventListener("icegatheringstatechange", () => peer.iceGatheringState === "complete" && resolve());
        setTimeout(resolve, 3000);
      });
    }
    const { status, answer } = await post("/v1/public/video-call", { ...report, callId: call.callId, answer: peer.localDescription.sdp });
    if (status !== 200) {
      finish(t("failed") + (answer.message || status));
    }
  } catch (error) {
    finish(t("failed") + error.message);
    move("failed", String(error.message).slice(0, 200));
  }
}

function finish(text) {
  if (peer) {
    peer.close();
    for (const sender of peer.getSenders()) {
      if (sender.track) sender.track.stop();
    }
  }
  peer = null;
  answering = false;
  $("call-live").hidden = true;
  $("call-ringing").hidden = true;
  show("call-ended", text);
}

function locate() {
  navigator.geolocation.getCurrentPosition(
    (position) => {
      $("report-lat").value = position.coords.latitude.toFixed(5);
      $("report-lon").value = position.coords.longitude.toFixed(5);
    },
    () => show("report-error", t("noPosition")),
    { timeout: 10000 },
  );
}

document.addEventListener("DOMContentLoaded", () => {
  for (const polda of JSON.parse($("poldas").textContent)) {
    const option = document.createElement("option");
    option.value = polda.code;
    option.textContent = polda.name;
    $("report-polda").append(option);
  }
  translate();
  $("lang").addEventListener("click", () => {
    language = language === "id" ? "en" : "id";
    translate();
  });
  $("report-form").addEventListener("submit", send);
  $("report-locate").addEventListener("click", locate);
  $("call-answer").addEventListener("click", answerCall);
  $("call-decline").addEventListener("click", () => {
    move("declined", "ditolak pelapor");
    finish(t("ended"));
  });
  $("call-hang-up").addEventListener("click", () => {
    move("ended", "pelapor menutup panggilan");
    finish(t("ended"));
  });
  if (report) {
    follow();
  }
});
