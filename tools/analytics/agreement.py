#!/usr/bin/env python3
"""Checks siaga-analytics against the tools analysts use today, on the same inputs.

    python tools/analytics/agreement.py --bin PATH/siaga-analytics [--work DIR]

Run by `./dev test` in a virtual environment with the pinned wheels of tools/analytics/requirements.txt
(PySAL's esda and libpysal, scikit-learn, scipy, pyproj). For two synthetic but city-shaped point sets — one
around Jakarta (UTM 48S) and one around Medan (47N, north of the equator) — it compares, with the tolerances
stated beside each check:

- the UTM projection with PROJ (pyproj), per point;
- the counts per grid cell with an independent binning of pyproj's coordinates;
- Getis-Ord Gi* z-scores with esda.G_Local(star=True) on queen-contiguity lattice weights (libpysal lat2W),
  the two-sided p-values with scipy.stats.norm, the FDR thresholds with esda.fdr, and the classes;
- the kernel density at every cell centre with scikit-learn's exact KernelDensity, and the bandwidth with
  the stated rule computed by numpy;
- the research export read back with pyarrow from a hostile input (NIKs and phone numbers in extra columns,
  in free text and typed as categories): only time, place and category, times rounded, and no NIK-like or
  phone-like string and no (cell, category) group under k anywhere.

Exits non-zero, naming the check, when any disagrees.
"""

from __future__ import annotations

import argparse
import csv
import pathlib
import subprocess
import sys
import tempfile

import numpy as np


def city(rng: np.random.Generator, centre: tuple[float, float], n: int) -> np.ndarray:
    """Points around a city centre: a few dense clusters over a sparser spread (degrees)."""
    lat0, lon0 = centre
    parts = [np.column_stack([rng.normal(lat0, 0.05, n // 2), rng.normal(lon0, 0.06, n // 2)])]
    for _ in range(6):
        c = (lat0 + rng.normal(0, 0.04), lon0 + rng.normal(0, 0.05))
        m = n // 12
        parts.append(np.column_stack([rng.normal(c[0], 0.004, m), rng.normal(c[1], 0.004, m)]))
    return np.concatenate(parts)


def write_csv(path: pathlib.Path, pts: np.ndarray) -> None:
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["lat", "lon", "time", "category"])
        for i, (lat, lon) in enumerate(pts):
            w.writerow([f"{lat:.7f}", f"{lon:.7f}", f"2024-03-{1 + i % 28:02d}T{i % 24:02d}:00:00+07:00", "pencurian"])


def run(binary: str, *args: str) -> str:
    done = subprocess.run([binary, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"siaga-analytics {' '.join(args)} failed:\n{done.stderr}")
    return done.stderr


def read_cells(path: pathlib.Path) -> dict[str, np.ndarray]:
    data = np.genfromtxt(path, delimiter=",", names=True)
    return {name: data[name] for name in data.dtype.names}


class Checks:
    def __init__(self) -> None:
        self.failed: list[str] = []

    def close(self, name: str, got: np.ndarray, want: np.ndarray, tolerance: float, what: str) -> None:
        worst = float(np.max(np.abs(np.asarray(got, float) - np.asarray(want, float)))) if len(got) else 0.0
        ok = worst <= tolerance
        print(f"  {'ok ' if ok else 'BAD'} {name}: largest difference {worst:.3g} (tolerance {tolerance:.3g} {what})")
        if not ok:
            self.failed.append(name)

    def equal(self, name: str, got, want) -> None:
        ok = np.array_equal(np.asarray(got), np.asarray(want))
        extra = "" if ok else f" ({int(np.sum(np.asarray(got) != np.asarray(want)))} differ)"
        print(f"  {'ok ' if ok else 'BAD'} {name}: identical{extra}" if ok else f"  BAD {name}{extra}")
        if not ok:
            self.failed.append(name)


def check_city(checks: Checks, binary: str, work: pathlib.Path, name: str, centre, seed: int) -> None:
    import esda
    import libpysal
    import pyproj
    from scipy import stats
    from sklearn.neighbors import KernelDensity

    rng = np.random.default_rng(seed)
    # Rounded as the CSV writes them (7 decimals, about 1 cm), so both sides project the same coordinates.
    pts = np.round(city(rng, centre, 20_000), 7)
    src = work / f"{name}.csv"
    write_csv(src, pts)
    print(f"{name}: {len(pts)} points around {centre}")

    # Projection: the zone of the median longitude, the hemisphere of the median latitude.
    zone = int(np.floor((np.median(pts[:, 1]) + 180) / 6)) + 1
    epsg = (32700 if np.median(pts[:, 0]) < 0 else 32600) + zone
    log = run(binary, "project", "--input", str(src), "--out", str(work / f"{name}-xy.csv"))
    checks.equal(f"{name} UTM zone (EPSG)", f"EPSG:{epsg}" in log, True)
    ours = np.genfromtxt(work / f"{name}-xy.csv", delimiter=",", names=True)
    x, y = pyproj.Transformer.from_crs(4326, epsg, always_xy=True).transform(pts[:, 1], pts[:, 0])
    checks.close(f"{name} UTM easting vs PROJ", ours["x"], x, 1e-3, "m")
    checks.close(f"{name} UTM northing vs PROJ", ours["y"], y, 1e-3, "m")

    # Binning and Gi*.
    cell = 250.0
    run(binary, "hotspots", "--input", str(src), "--cell", str(cell), "--out", str(work / f"{name}-gi.csv"))
    gi = read_cells(work / f"{name}-gi.csv")
    cols, rows = int(gi["column"].max()) + 1, int(gi["row"].max()) + 1
    x0 = gi["x"][0] - cell / 2
    y0 = gi["y"][0] - cell / 2
    cx = np.floor((x - x0) / cell)
    cy = np.floor((y - y0) / cell)
    inside = (cx >= 0) & (cy >= 0) & (cx < cols) & (cy < rows)
    counts = np.bincount((cy[inside] * cols + cx[inside]).astype(int), minlength=cols * rows).astype(float)
    checks.equal(f"{name} counts per {cell:.0f} m cell ({cols} x {rows})", gi["count"], counts)

    w = libpysal.weights.lat2W(rows, cols, rook=False)
    g = esda.G_Local(counts, w, transform="B", star=True, permutations=0)
    checks.close(f"{name} Gi* z vs esda.G_Local(star=True)", gi["z"], g.Zs, 1e-9, "absolute")
    want_p = 2 * stats.norm.sf(np.abs(g.Zs))
    checks.close(f"{name} Gi* p vs scipy.stats.norm", gi["p"], want_p, 1e-12, "absolute")
    classes = np.zeros(len(counts), dtype=int)
    for level, alpha in ((1, 0.10), (2, 0.05), (3, 0.01)):
        threshold = esda.fdr(want_p, alpha)
        classes = np.where(want_p < threshold, level, classes)
    classes = np.where(g.Zs > 0, classes, -classes)
    checks.equal(f"{name} hot/cold classes with esda.fdr at 90/95/99 %", gi["class"], classes)
    print(f"    {int(np.sum(classes > 0))} hot and {int(np.sum(classes < 0))} cold cells")

    # Kernel density with a given bandwidth, and the bandwidth rule.
    h = 600.0
    run(binary, "kde", "--input", str(src), "--cell", str(cell), "--bandwidth", str(h), "--out", str(work / f"{name}-kde.csv"))
    kd = read_cells(work / f"{name}-kde.csv")
    centres = np.column_stack([kd["x"], kd["y"]])
    sk = np.exp(KernelDensity(bandwidth=h, kernel="gaussian", rtol=0).fit(np.column_stack([x, y])).score_samples(centres))
    # Points trimmed off the grid's edge (0.1 % each side) are not in ours: compare to the peak, 0.5 % (cell/h = 0.42).
    checks.close(f"{name} KDE (h = {h:.0f} m) vs sklearn KernelDensity", kd["density"] / sk.max(), sk / sk.max(), 0.005, "of the peak")
    log = run(binary, "kde", "--input", str(src), "--cell", str(cell), "--out", str(work / f"{name}-kde-rule.csv"))
    ours_h = float(log.rsplit("bandwidth ", 1)[1].split()[0])
    spread = [min(np.std(a, ddof=1), (np.percentile(a, 75) - np.percentile(a, 25)) / 1.349) for a in (x, y)]
    want_h = np.sqrt(spread[0] * spread[1]) * len(x) ** (-1 / 6)
    checks.close(f"{name} bandwidth rule", np.array([ours_h]), np.array([want_h]), 1e-3, "m")


def check_export(checks: Checks, binary: str, work: pathlib.Path) -> None:
    import re

    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    rng = np.random.default_rng(5)
    src = work / "hostile.csv"
    with src.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["lat", "lon", "time", "category", "nik", "callerNumber", "description"])
        for i in range(3000):
            lat, lon = rng.normal(-6.2, 0.03), rng.normal(106.83, 0.03)
            category = rng.choice(["pencurian", "pencurian", "perampokan", "penipuan", "tawuran"])
            if i % 97 == 0:
                category = "3171014507900001"  # a NIK typed as the category, repeated in one place
                lat, lon = -6.1754, 106.8272
            if i % 89 == 0:
                category = "081234567890"
            w.writerow([f"{lat:.6f}", f"{lon:.6f}", f"2024-03-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:17+07:00",
                        category, "3171014507900001", "+6281234567890",
                        "Pelapor 3171014507900001, hp 081234567890, Jl. Merdeka"])
    out = work / "export"
    run(binary, "export", "--input", str(src), "--out", str(out), "--k", "5", "--cell", "250", "--round", "hour")
    table = pq.read_table(out / "incidents.parquet")
    print(f"export: {table.num_rows} rows read back with pyarrow; schema {table.schema.names}")
    checks.equal("export columns", table.schema.names, ["time", "lat", "lon", "category"])
    checks.equal("export time is a UTC timestamp", str(table.schema.field("time").type), "timestamp[ms, tz=UTC]")
    frame = table.to_pandas()
    millis = np.asarray(table.column("time").cast(pa.int64()))
    checks.equal("export times rounded to the hour", bool((millis % 3_600_000 == 0).all()), True)
    text = " ".join(frame["category"].astype(str)) + (out / "incidents.csv").read_text() + (out / "README.md").read_text()
    checks.equal("no NIK-like 16-digit string", re.search(r"\d{16}", text) is None, True)
    checks.equal("no phone number", re.search(r"(\+62|\b0)8\d{7,}", text) is None, True)
    groups = frame.groupby(["lat", "lon", "category"]).size()
    checks.equal(f"every (cell, category) group has at least k = 5 ({len(groups)} groups)", int(groups.min()) >= 5, True)
    from_csv = pacsv.read_csv(out / "incidents.csv").to_pandas()
    checks.equal("CSV holds the same rows", len(from_csv) == len(frame) and
                 bool((np.abs(from_csv["lat"].to_numpy() - frame["lat"].to_numpy()) < 1e-9).all()), True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", required=True, help="path of the siaga-analytics binary")
    parser.add_argument("--work", help="keep the inputs and outputs here (default: a temporary folder)")
    args = parser.parse_args()
    checks = Checks()
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(args.work or tmp)
        work.mkdir(parents=True, exist_ok=True)
        check_city(checks, args.bin, work, "jakarta", (-6.2, 106.83), 110)
        check_city(checks, args.bin, work, "medan", (3.59, 98.67), 2023)
        check_export(checks, args.bin, work)
    if checks.failed:
        sys.exit(f"disagreement with the reference tools: {', '.join(checks.failed)}")
    print("siaga-analytics agrees with PROJ, PySAL (esda, libpysal), scipy and scikit-learn; its export reads back in pyarrow and keeps the rules")


if __name__ == "__main__":
    main()
