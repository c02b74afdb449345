// Loads the wasm UI. Kept out of index.html so the CSP needs no inline script; a dynamic import so that
// a missing or broken bundle is reported in the window instead of leaving it blank.
import("./siaga_ui.js")
  .then((ui) => ui.default())
  .catch((error) => {
    const banner = document.createElement("div");
    banner.id = "fatal-error";
    banner.className = "fatal-error";
    banner.textContent = "Tampilan gagal dimuat / The interface failed to load: " + error;
    document.body.append(banner);
  });
