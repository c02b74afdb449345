//! Place search per keystroke over the 83,762 villages and every district, regency and station: a list of
//! queries as operators type them, searched after each character, with the latency's median, p99 and
//! worst, beside the plain substring scan of the villages alone (`VillageIndex::search`) in the same run.
//!
//! `cargo bench -p siaga-domain --bench place_search` (prints figures; not a timed test).
#![allow(clippy::print_stdout)] // a benchmark's figures are its output

use siaga_domain::place::PlaceIndex;
use siaga_domain::region::VillageIndex;
use std::hint::black_box;
use std::time::{Duration, Instant};

const QUERIES: &[&str] = &[
    "kel menteng",
    "stasiun manggarai",
    "cibubur jaktim",
    "kebayoran baru",
    "tanah abang",
    "tjikini",
    "desa cibodas bogor",
    "kec gambir",
    "jatinegara",
    "pasar minggu",
    "kelapa gading",
    "sukamaju",
    "bekasi utara",
    "kota bekasi",
    "depok",
    "margonda",
    "lenteng agung",
    "kemayoran",
    "kebon jeruk",
    "cengkareng timur",
    "sleman",
    "malioboro",
    "sosromenduran",
    "gedongtengen",
    "wonokromo surabaya",
    "dago bandung",
    "cicendo",
    "kuta badung",
    "abepura",
    "medan baru",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

fn report(name: &str, mut times: Vec<Duration>) -> Duration {
    times.sort();
    let p99 = percentile(&times, 0.99);
    println!(
        "{name:<34} keystrokes {:>5}  median {:>9.3?}  p99 {:>9.3?}  worst {:>9.3?}",
        times.len(),
        percentile(&times, 0.5),
        p99,
        times.last().copied().unwrap_or_default()
    );
    p99
}

fn main() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/reference/desa.tsv"
    ))
    .expect("assets/reference/desa.tsv");
    let started = Instant::now();
    let villages = VillageIndex::parse(&text).expect("the village asset");
    let parsed = started.elapsed();
    let started = Instant::now();
    let index = PlaceIndex::build(&villages);
    println!(
        "villages {}  places {}  parse {:.0?}  build {:.0?}",
        villages.len(),
        index.len(),
        parsed,
        started.elapsed()
    );
    let mut slowest: Vec<(Duration, String)> = Vec::new();
    let mut ours = Vec::new();
    let mut baseline = Vec::new();
    for round in 0..3 {
        for query in QUERIES {
            for end in query.char_indices().map(|(i, c)| i + c.len_utf8()) {
                let typed = &query[..end];
                let started = Instant::now();
                black_box(index.search(black_box(typed), 10));
                let took = started.elapsed();
                let started = Instant::now();
                black_box(villages.search(black_box(typed), None, 10));
                let base = started.elapsed();
                if round > 0 {
                    slowest.push((took, typed.to_owned()));
                    ours.push(took);
                    baseline.push(base);
                }
            }
        }
    }
    slowest.sort_by_key(|(took, _)| std::cmp::Reverse(*took));
    let names: Vec<String> = slowest
        .iter()
        .take(5)
        .map(|(t, q)| format!("{q:?} {t:.1?}"))
        .collect();
    println!("slowest keystrokes: {}", names.join(", "));
    let p99 = report("place search (all kinds, typos)", ours);
    let base = report("village substring scan (baseline)", baseline);
    println!(
        "p99 ratio place search / substring scan: {:.2}",
        p99.as_secs_f64() / base.as_secs_f64()
    );
}
