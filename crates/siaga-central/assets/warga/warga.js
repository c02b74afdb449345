// Layanan Warga 110: a citizen requests an SKCK or a report of loss, follows it and downloads the letter.
// No account: each request gets a receipt (128 random bits) made here before the first send; the
// request's id and the receipt together are the tracking code. They are kept in this browser's
// localStorage and sent only in POST bodies, never in URLs.
"use strict";

(function () {
  const DATA = JSON.parse(document.getElementById("form-data").textContent);
  const STORE_KEY = "siaga-warga-requests";
  const LANG_KEY = "siaga-warga-lang";

  const T = {
    id: {
      title: "Layanan Warga Polri", switch: "English", tabSkck: "Ajukan SKCK", tabLoss: "Lapor kehilangan",
      tabTrack: "Permohonan saya", who: "Data pemohon (sesuai KTP)", polres: "Polres yang menerbitkan",
      nik: "NIK (16 angka)", fullName: "Nama lengkap", birthPlace: "Tempat lahir", birthDate: "Tanggal lahir",
      address: "Alamat", skck: "SKCK", purpose: "Keperluan",
      purposeNote: "Keterangan keperluan (mis. nama perusahaan)",
      photo: "Pasfoto (JPEG, latar merah/biru, paling besar 2 MB)", loss: "Yang hilang",
      place: "Tempat kehilangan", lostOn: "Tanggal kehilangan", chronology: "Kronologi",
      send: "Kirim permohonan", sending: "Mengirim…",
      trackHint: "Permohonan yang dikirim dari peramban ini tampil di sini. Dari perangkat lain, tempel kode lacak Anda.",
      trackCode: "Kode lacak", trackAdd: "Lacak",
      footer: "Layanan Polri 110 — bebas pulsa, 24 jam. Jangan bagikan kode lacak Anda.",
      skckTitle: "Permohonan SKCK", skckHint: "Isi sesuai KTP. Petugas SPKT memeriksa permohonan Anda; surat yang terbit dapat diunduh di sini.",
      lossTitle: "Surat keterangan tanda lapor kehilangan", lossHint: "Ceritakan apa yang hilang, di mana dan kapan.",
      sent: "Permohonan terkirim.", keepCode: "Simpan kode lacak ini: dengan kode ini Anda mengikuti permohonan dan mengunduh surat dari perangkat mana pun.",
      toTrack: "Lihat permohonan saya", none: "Belum ada permohonan dari peramban ini.",
      submitted: "Diajukan", polresOf: "Polres", steps: "Riwayat", letter: "Surat", number: "Nomor",
      issuedOn: "Terbit", validUntil: "Berlaku sampai", verify: "Periksa keaslian", download: "Unduh surat (PDF)",
      saved: "Surat siap: simpan berkas ini.", revoked: "Surat ini telah dicabut.",
      notFound: "Permohonan tidak ditemukan: periksa kode lacak.", badCode: "Kode lacak tidak dikenali.",
      offline: "Tidak dapat menghubungi server 110. Periksa koneksi lalu coba lagi; data Anda tidak hilang.",
      chooseItem: "Pilih paling sedikit satu barang yang hilang.", photoBig: "Pasfoto lebih besar dari 2 MB.",
      photoType: "Pasfoto harus berkas JPEG.", remove: "Hapus dari daftar", reason: "Alasan",
      already_requested: "Permohonan yang sama untuk NIK ini sedang diproses. Ikuti permohonan itu.",
      id_conflict: "Permohonan dengan kode ini sudah ada dengan isi lain. Kirim ulang sebagai permohonan baru.",
      too_many_requests: "Terlalu banyak permintaan dari alamat ini. Coba lagi nanti.",
      payload_too_large: "Berkas terlalu besar.", failed: "Permohonan ditolak server:",
    },
    en: {
      title: "Police citizen services", switch: "Bahasa Indonesia", tabSkck: "Request an SKCK",
      tabLoss: "Report a loss", tabTrack: "My requests", who: "Applicant (as on the KTP)",
      polres: "Issuing Polres", nik: "NIK (16 digits)", fullName: "Full name", birthPlace: "Place of birth",
      birthDate: "Date of birth", address: "Address", skck: "SKCK", purpose: "Purpose",
      purposeNote: "About the purpose (e.g. the employer's name)",
      photo: "Passport photo (JPEG, red/blue background, at most 2 MB)", loss: "What was lost",
      place: "Where it was lost", lostOn: "Day it was lost", chronology: "What happened",
      send: "Send request", sending: "Sending…",
      trackHint: "Requests sent from this browser are listed here. From another device, paste your tracking code.",
      trackCode: "Tracking code", trackAdd: "Track",
      footer: "Polri 110 — toll-free, 24 hours. Do not share your tracking code.",
      skckTitle: "SKCK request", skckHint: "Fill in as on your KTP. An SPKT officer reviews it; the issued letter downloads here.",
      lossTitle: "Report of loss", lossHint: "Tell what was lost, where and when.",
      sent: "Request sent.", keepCode: "Keep this tracking code: it follows the request and downloads the letter from any device.",
      toTrack: "See my requests", none: "No requests from this browser yet.",
      submitted: "Submitted", polresOf: "Polres", steps: "History", letter: "Letter", number: "Number",
      issuedOn: "Issued", validUntil: "Valid until", verify: "Check it is genuine", download: "Download letter (PDF)",
      saved: "Letter ready: save this file.", revoked: "This letter was revoked.",
      notFound: "Request not found: check the tracking code.", badCode: "Not a tracking code.",
      offline: "Cannot reach the 110 server. Check the connection and try again; nothing you typed is lost.",
      chooseItem: "Choose at least one lost item.", photoBig: "The photo is larger than 2 MB.",
      photoType: "The photo must be a JPEG file.", remove: "Remove from the list", reason: "Reason",
      already_requested: "The same request for this NIK is already in hand. Follow that one.",
      id_conflict: "A request with this code exists with other content. Send it again as a new request.",
      too_many_requests: "Too many requests from this address. Try again later.",
      payload_too_large: "The file is too large.", failed: "The server refused the request:",
    },
  };

  let lang = localStorage.getItem(LANG_KEY) === "en" ? "en" : "id";
  let kind = "skck";
  let pending = null; // {id, receipt, body}: reused when the same content is sent again after a failure
  let pollTimer = null;

  const $ = (id) => document.getElementById(id);
  const t = (key) => T[lang][key] || key;
  const pick = (bilingual) => (bilingual ? bilingual[lang] : "");
  const el = (tag, props, ...children) => {
    const node = document.createElement(tag);
    const { dataset, ...rest } = props || {};
    Object.assign(node, rest);
    Object.assign(node.dataset, dataset || {}); // dataset itself cannot be assigned
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  };

  function randomHex(bytes) {
    const buf = new Uint8Array(bytes);
    crypto.getRandomValues(buf);
    return Array.from(buf, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function uuid4() {
    const hex = randomHex(16).split("");
    hex[12] = "4";
    hex[16] = "89ab"[parseInt(hex[16], 16) & 3];
    const s = hex.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }

  function saved() {
    try {
      const list = JSON.parse(localStorage.getItem(STORE_KEY) || "[]");
      return Array.isArray(list) ? list.filter((r) => r && r.id && r.receipt) : [];
    } catch (_) {
      return [];
    }
  }

  function remember(entry) {
    const list = saved().filter((r) => r.id !== entry.id);
    list.unshift(entry);
    localStorage.setItem(STORE_KEY, JSON.stringify(list));
  }

  function forget(id) {
    localStorage.setItem(STORE_KEY, JSON.stringify(saved().filter((r) => r.id !== id)));
  }

  function parseCode(text) {
    const m = /^\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([0-9a-f]{32})\s*$/i.exec(text);
    return m ? { id: m[1].toLowerCase(), receipt: m[2].toLowerCase() } : null;
  }

  function translate() {
    document.documentElement.lang = lang;
    for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
    $("form-title").textContent = t(kind === "skck" ? "skckTitle" : "lossTitle");
    $("form-hint").textContent = t(kind === "skck" ? "skckHint" : "lossHint");
    fillOptions();
    showVisitNotice();
  }

  function fillOptions() {
    const polres = $("polres");
    const chosen = polres.value;
    polres.replaceChildren(el("option", { value: "", textContent: "—" }));
    const groups = new Map();
    for (const p of DATA.polres) {
      if (!groups.has(p.polda)) groups.set(p.polda, el("optgroup", { label: p.polda }));
      groups.get(p.polda).append(el("option", { value: p.id, textContent: p.name }));
    }
    for (const group of groups.values()) polres.append(group);
    polres.value = chosen;

    const purpose = $("purpose");
    const purposeChosen = purpose.value;
    purpose.replaceChildren(...DATA.purposes.map((p) => el("option", { value: p.code, textContent: pick(p.label) })));
    if (purposeChosen) purpose.value = purposeChosen;

    const items = $("items");
    const ticked = new Set(Array.from(items.querySelectorAll("input:checked"), (i) => i.value));
    items.replaceChildren(
      ...DATA.items.map((item) => {
        const box = el("input", { type: "checkbox", name: "item", value: item.code, checked: ticked.has(item.code) });
        box.addEventListener("change", showVisitNotice);
        return el("label", { className: "item" }, box, " " + pick(item.label));
      }),
    );
  }

  // A loss whose letter is made only in person says so at once, before anything is sent.
  function showVisitNotice() {
    const ticked = new Set(Array.from($("items").querySelectorAll("input:checked"), (i) => i.value));
    const visit = DATA.items.filter((item) => item.officeVisit && ticked.has(item.code));
    const notice = $("loss-visit");
    notice.hidden = visit.length === 0;
    notice.textContent = visit.map((item) => pick(item.notice)).join(" ");
  }

  function showTab(tab) {
    for (const button of document.querySelectorAll("nav button")) {
      button.setAttribute("aria-current", button.dataset.tab === tab ? "page" : "false");
    }
    $("result").hidden = true;
    clearInterval(pollTimer);
    if (tab === "track") {
      $("panel-form").hidden = true;
      $("panel-track").hidden = false;
      renderTrack();
      pollTimer = setInterval(renderTrack, 20000);
      return;
    }
    kind = tab;
    $("panel-track").hidden = true;
    $("panel-form").hidden = false;
    $("skck-fields").hidden = kind !== "skck";
    $("loss-fields").hidden = kind !== "loss";
    showProblems([]);
    translate();
  }

  function showProblems(messages) {
    const list = $("problems");
    list.replaceChildren(...messages.map((m) => el("li", { textContent: m.text, dataset: { code: m.code || "" } })));
    list.hidden = messages.length === 0;
  }

  function readPhoto(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
  }

  async function buildBody() {
    const form = $("request-form");
    const value = (name) => form.elements[name].value.trim();
    const applicant = {
      nik: value("nik").replace(/[\s.-]/g, ""),
      fullName: value("fullName"),
      birthPlace: value("birthPlace"),
      birthDate: value("birthDate"),
      address: value("address"),
    };
    let details;
    let photo = null;
    const local = [];
    if (kind === "skck") {
      details = { kind: "skck", purpose: value("purpose") };
      if (value("purposeNote")) details.purposeNote = value("purposeNote");
      const file = $("photo").files[0];
      if (file) {
        if (file.size > DATA.maxPhotoBytes) local.push({ code: "photo_too_large", text: t("photoBig") });
        else if (file.type && file.type !== "image/jpeg") local.push({ code: "photo_not_jpeg", text: t("photoType") });
        else photo = await readPhoto(file);
      }
    } else {
      const items = Array.from($("items").querySelectorAll("input:checked"), (i) => i.value);
      if (items.length === 0) local.push({ code: "no_items", text: t("chooseItem") });
      details = {
        kind: "loss_report",
        items,
        place: value("place"),
        lostOn: value("lostOn"),
        chronology: value("chronology"),
      };
    }
    return { request: { polres: value("polres"), applicant, details }, photo, local };
  }

  async function submit(event) {
    event.preventDefault();
    const send = $("send");
    send.disabled = true;
    send.textContent = t("sending");
    try {
      const built = await buildBody();
      if (built.local.length) {
        showProblems(built.local);
        return;
      }
      const content = JSON.stringify([built.request, built.photo]);
      if (!pending || pending.content !== content) {
        pending = { id: uuid4(), receipt: randomHex(16), content };
      }
      const body = { request: { id: pending.id, ...built.request }, receipt: pending.receipt };
      if (built.photo) body.photoJpegBase64 = built.photo;
      let response;
      try {
        response = await fetch("/v1/public/services/requests", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
      } catch (_) {
        showProblems([{ code: "offline", text: t("offline") }]);
        return; // pending kept: sending again is the same request
      }
      const answer = await response.json().catch(() => ({}));
      if (response.status === 201 || response.status === 200) {
        remember({ id: pending.id, receipt: pending.receipt, kind, at: Date.now() });
        showSent(pending.id, pending.receipt);
        pending = null;
        $("request-form").reset();
        showVisitNotice();
        return;
      }
      if (response.status === 422 && Array.isArray(answer.problems)) {
        pending = null;
        showProblems(
          answer.problems.map((p) => ({ code: p.code, text: lang === "id" ? p.messageId : p.messageEn })),
        );
        return;
      }
      if (response.status === 413) answer.error = "payload_too_large";
      const known = T[lang][answer.error];
      showProblems([{ code: answer.error || "failed", text: known || `${t("failed")} ${answer.message || response.status}` }]);
      if (response.status !== 429) pending = null;
    } finally {
      send.disabled = false;
      send.textContent = t("send");
    }
  }

  function showSent(id, receipt) {
    $("panel-form").hidden = true;
    const result = $("result");
    const go = el("button", { type: "button", id: "to-track", textContent: t("toTrack") });
    go.addEventListener("click", () => showTab("track"));
    result.replaceChildren(
      el("h1", { textContent: t("sent") }),
      el("p", { textContent: t("keepCode") }),
      el("p", { className: "code" }, el("code", { id: "receipt-code", textContent: `${id}.${receipt}` })),
      go,
    );
    result.hidden = false;
  }

  function when(ms) {
    return new Date(ms).toLocaleString(lang === "id" ? "id-ID" : "en-GB", { dateStyle: "medium", timeStyle: "short" });
  }

  // A letter's day ("2026-12-04") as people write it: "4 Desember 2026" / "4 December 2026".
  function day(iso) {
    const [y, m, d] = iso.split("-").map(Number);
    return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(lang === "id" ? "id-ID" : "en-GB", {
      dateStyle: "long",
      timeZone: "UTC",
    });
  }

  async function post(path, entry) {
    return fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ requestId: entry.id, receipt: entry.receipt }),
    });
  }

  async function renderTrack() {
    const list = $("track-list");
    const entries = saved();
    if (entries.length === 0) {
      list.replaceChildren(el("p", { className: "hint", id: "track-empty", textContent: t("none") }));
      return;
    }
    const cards = await Promise.all(entries.map(card));
    list.replaceChildren(...cards);
  }

  async function card(entry) {
    const box = el("article", { className: "request", dataset: { id: entry.id } });
    const remove = el("button", { type: "button", className: "remove", textContent: t("remove") });
    remove.addEventListener("click", () => {
      forget(entry.id);
      renderTrack();
    });
    let response;
    try {
      response = await post("/v1/public/services/status", entry);
    } catch (_) {
      box.append(el("p", { className: "error", textContent: t("offline") }));
      return box;
    }
    if (!response.ok) {
      box.append(el("p", { className: "error", textContent: response.status === 404 ? t("notFound") : t("failed") + " " + response.status }), remove);
      return box;
    }
    const view = await response.json();
    box.dataset.status = view.status;
    box.append(
      el("h2", { textContent: pick(view.kindLabel) }),
      el("p", { className: "status", dataset: { status: view.status }, textContent: pick(view.statusLabel) }),
      el("p", { textContent: `${view.fullName} · ${view.polresName}` }),
      el("p", { className: "hint", textContent: `${t("submitted")}: ${when(view.submittedAtMs)}` }),
      el("p", { className: "hint" }, `${t("trackCode")}: `, el("code", { textContent: `${entry.id}.${entry.receipt}` })),
    );
    for (const notice of view.notices) box.append(el("p", { className: "notice", textContent: pick(notice) }));
    const steps = el("ol", { className: "steps" });
    for (const step of view.steps) {
      const line = el("li", { textContent: `${when(step.atMs)} — ${pick(step.statusLabel)}` });
      if (step.reason) line.append(el("div", { className: "reason", textContent: `${t("reason")}: ${pick(step.reason)}${step.note ? " — " + step.note : ""}` }));
      steps.append(line);
    }
    box.append(el("h3", { textContent: t("steps") }), steps);
    if (view.letter) box.append(letterPart(entry, view.letter));
    box.append(remove);
    return box;
  }

  function letterPart(entry, letter) {
    const part = el("div", { className: "letter" }, el("h3", { textContent: t("letter") }));
    part.append(el("p", { textContent: `${t("number")}: ${letter.number}` }));
    part.append(el("p", { textContent: `${t("issuedOn")}: ${day(letter.issuedOn)}${letter.validUntil ? ` · ${t("validUntil")}: ${day(letter.validUntil)}` : ""}` }));
    part.append(el("p", {}, el("a", { href: letter.verifyUrl, rel: "noopener", target: "_blank", textContent: t("verify") })));
    if (letter.revoked) {
      part.append(el("p", { className: "error", textContent: t("revoked") }));
      return part;
    }
    const download = el("button", { type: "button", className: "download", textContent: t("download") });
    download.addEventListener("click", async () => {
      download.disabled = true;
      try {
        const response = await post("/v1/public/services/letter", entry);
        if (!response.ok) {
          part.append(el("p", { className: "error", textContent: response.status === 410 ? t("revoked") : `${t("failed")} ${response.status}` }));
          return;
        }
        const blob = await response.blob();
        const link = el("a", {
          className: "letter-file",
          href: URL.createObjectURL(blob),
          download: `${letter.number.replace(/\//g, "-")}.pdf`,
          textContent: t("saved"),
        });
        part.append(link);
        link.click();
      } catch (_) {
        part.append(el("p", { className: "error", textContent: t("offline") }));
      } finally {
        download.disabled = false;
      }
    });
    part.append(download);
    return part;
  }

  function track(event) {
    event.preventDefault();
    const parsed = parseCode($("track-code").value);
    $("track-error").hidden = Boolean(parsed);
    $("track-error").textContent = parsed ? "" : t("badCode");
    if (!parsed) return;
    remember({ ...parsed, at: Date.now() });
    $("track-code").value = "";
    renderTrack();
  }

  $("lang").addEventListener("click", () => {
    lang = lang === "id" ? "en" : "id";
    localStorage.setItem(LANG_KEY, lang);
    translate();
    if (!$("panel-track").hidden) renderTrack();
  });
  for (const button of document.querySelectorAll("nav button")) {
    button.addEventListener("click", () => showTab(button.dataset.tab));
  }
  $("request-form").addEventListener("submit", submit);
  $("track-form").addEventListener("submit", track);
  showTab(saved().length ? "track" : "skck");
})();
