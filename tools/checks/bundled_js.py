#!/usr/bin/env python3
"""The desk's bundle (ui/dist) holds only our own files and files of npm packages pinned by package-lock.json,
each byte for byte as in the exact tarball the lock pins; the lock itself pins every package by a sha512
integrity from the npm registry, with no install scripts; the licences of what ships are permissive.

Run by `./dev test` after the UI build (`python3 tools/checks/bundled_js.py`). It reads the tarballs from npm's
own cache (`npm pack <name>@<version> --offline`, filled by `npm ci`), so it needs no network.

Advisories (`npm audit`) are not checked here: the registry the project's machines reach answers the advisory
endpoint (`POST /-/npm/v1/security/advisories/bulk`) with 405. `./dev audit` runs `npm audit` and
`cargo deny check advisories` on a machine that reaches the public registry and GitHub, before a release.
"""

import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "ui" / "dist"

# Files of npm packages the bundle ships: name in ui/dist -> (package, path inside the package). `./dev
# build-ui` copies exactly these.
SHIPPED = {
    "maplibre-gl.js": ("maplibre-gl", "dist/maplibre-gl-csp.js"),
    "maplibre-gl-csp-worker.js": ("maplibre-gl", "dist/maplibre-gl-csp-worker.js"),
    "maplibre-gl.css": ("maplibre-gl", "dist/maplibre-gl.css"),
    "maplibre-gl-LICENSE.txt": ("maplibre-gl", "LICENSE.txt"),
}
# Our own files: ui/static/* and what wasm-bindgen writes from siaga-ui, and the icon from assets/.
OURS = {path.name for path in (ROOT / "ui" / "static").iterdir()} | {
    "siaga_ui.js",
    "siaga_ui_bg.wasm",
    "snippets",  # wasm-bindgen's folder of the inline JavaScript of our own crates
    "icon.svg",
}
# Licences a shipped package (and what its bundle carries inside it) may have.
ALLOWED_LICENCES = {"MIT", "ISC", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "0BSD"}
# Packages whose licence the check cannot read from the lock, each with its reason.
LICENCE_EXCEPTIONS = {
    "@mapbox/jsonlint-lines-primitives": "declares no licence (a fork of zaach/jsonlint, MIT); it serves the "
    "style validator's command line and is not in maplibre-gl's dist files (no 'jsonlint' in them)",
}
# Packages allowed to run an install script, each with its reason. None today.
INSTALL_SCRIPTS: dict[str, str] = {}
REGISTRY = "https://registry.npmjs.org/"


def fail(problems: list[str]) -> None:
    for problem in problems:
        print(f"bundled JS: {problem}", file=sys.stderr)
    sys.exit(1)


def lock_packages() -> dict[str, dict]:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    return {path: entry for path, entry in lock["packages"].items() if path}


def package_name(path: str) -> str:
    return path.rsplit("node_modules/", 1)[1]


def check_lock(packages: dict[str, dict]) -> list[str]:
    problems = []
    for path, entry in packages.items():
        name = package_name(path)
        if entry.get("link"):
            problems.append(f"{name} is a link to {entry.get('resolved')}, not a registry package")
            continue
        integrity = entry.get("integrity", "")
        if not integrity.startswith("sha512-"):
            problems.append(f"{name} has no sha512 integrity in package-lock.json")
        resolved = entry.get("resolved")
        if resolved and not resolved.startswith(REGISTRY):
            problems.append(f"{name} resolves outside the npm registry: {resolved}")
        if entry.get("hasInstallScript") and name not in INSTALL_SCRIPTS:
            problems.append(f"{name} runs an install script (allow it in INSTALL_SCRIPTS with a reason, or drop it)")
    return problems


def bundled_with(packages: dict[str, dict], name: str) -> set[str]:
    """The package and every package it depends on (what a bundler may have put into its dist files)."""
    seen, pending = set(), [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        entry = packages.get(f"node_modules/{current}", {})
        pending.extend(entry.get("dependencies", {}))
    return seen


def tarball(name: str, version: str, folder: Path) -> Path:
    out = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--offline", "--json", "--pack-destination", str(folder)],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        fail([f"npm pack {name}@{version} --offline failed (is `npm ci` done?): {out.stderr.strip()[-300:]}"])
    return folder / json.loads(out.stdout)[0]["filename"]


def main() -> None:
    packages = lock_packages()
    problems = check_lock(packages)

    present = sorted(path.name for path in DIST.iterdir())
    if not present:
        fail([f"{DIST} is empty: build the UI first (./dev build-ui)"])
    for name in present:
        if name not in OURS and name not in SHIPPED:
            problems.append(f"ui/dist/{name} is neither ours nor a declared file of a pinned npm package")
    for name in SHIPPED:
        if name not in present:
            problems.append(f"ui/dist/{name} is missing")

    shipped_packages = {package for package, _ in SHIPPED.values()}
    licences = {}
    for package in sorted(shipped_packages):
        for inside in sorted(bundled_with(packages, package)):
            entry = packages.get(f"node_modules/{inside}")
            if entry is None:
                problems.append(f"{inside} (bundled by {package}) is not in package-lock.json")
                continue
            licence = entry.get("license", "(none)")
            if inside in LICENCE_EXCEPTIONS:
                continue
            licences[inside] = licence
            # An SPDX "A OR B" lets us take either.
            choices = {part.strip() for part in licence.strip("()").split(" OR ")}
            if not choices & ALLOWED_LICENCES:
                problems.append(f"{inside} {entry['version']} (bundled by {package}) has licence {licence}")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for package in sorted(shipped_packages):
            entry = packages[f"node_modules/{package}"]
            archive = tarball(package, entry["version"], folder)
            digest = "sha512-" + base64.b64encode(hashlib.sha512(archive.read_bytes()).digest()).decode()
            if digest != entry["integrity"]:
                problems.append(f"{package} {entry['version']}: the cached tarball does not match the lock's integrity")
                continue
            with tarfile.open(archive) as tar:
                for dist_name, (owner, inner) in SHIPPED.items():
                    if owner != package or dist_name not in present:
                        continue
                    member = tar.extractfile(f"package/{inner}")
                    expected = member.read() if member else None
                    if expected != (DIST / dist_name).read_bytes():
                        problems.append(
                            f"ui/dist/{dist_name} differs from {inner} of {package} {entry['version']} as the lock pins it"
                        )

    if problems:
        fail(problems)
    pinned = ", ".join(f"{p} {packages['node_modules/' + p]['version']}" for p in sorted(shipped_packages))
    print(
        f"bundled JS: {len(present)} files in ui/dist; {len(SHIPPED)} from {pinned} "
        f"byte for byte as pinned; {len(packages)} locked packages with sha512 integrity, no install scripts; "
        f"licences of what ships: {', '.join(sorted(set(licences.values())))}"
    )


if __name__ == "__main__":
    main()
