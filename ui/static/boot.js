// Loads the wasm UI. Kept out of index.html so the CSP needs no inline script; a dynamic import so that
// a missing or broken bundle is reported in the window instead of leaving it blank. When the shell has
// mounted, the static placeholder goes and the moment is noted for the window benchmark
// (data-shell-at, ms since the page's time origin).
import("./siaga_ui.js")
  .then((ui) => ui.default())
  .then(() => {
    document.getElementById("boot-shell")?.remove();
    document.documentElement.dataset.shellAt = String(performance.now());
  })
  .catch((error) => {
    const banner = document.createElement("div");
    banner.id = "fatal-error";
    banner.className = "fatal-error";
    banner.textContent = "Tampilan gagal dimuat / The interface failed to load: " + error;
    document.body.append(banner);
  });
