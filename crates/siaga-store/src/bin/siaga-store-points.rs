//! `siaga-store-points --store desk.sqlite [--polda metro_jaya] [--since 2026-11-01] [--until 2026-12-01]`:
//! a desk store's placed, classified incidents as the CSV `siaga-analytics` reads (`lat,lon,time,category`, then
//! `polda,regency,district`), so every analysis of the command line runs on a desk's own data:
//! `siaga-store-points --store … > points.csv && siaga-analytics hotspots --input points.csv`.
//!
//! The store is opened read-only (beside a running desk). A desk's store is encrypted: `--key-stdin` reads its key
//! (64 hex digits) from standard input, e.g. from the keyring with
//! `secret-tool lookup service siaga-110 username desk-store:… | siaga-store-points --store … --key-stdin`. Prank and empty calls are left out (never crime), so
//! are unclassified calls; with `--polda`, incidents of other Poldas are counted on stderr, not written.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a command-line tool writes its CSV and its report

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::{bail, Context, Result};
use siaga_domain::PoldaId;
use siaga_store::Store;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

fn day_ms(text: &str) -> Result<i64> {
    siaga_domain::clock::day_start_ms(text).map_err(anyhow::Error::msg)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let usage = "usage: siaga-store-points --store desk.sqlite [--key-stdin] [--polda CODE] [--since YYYY-MM-DD] [--until YYYY-MM-DD]";
    let path = value("--store").context(usage)?;
    let polda: Option<PoldaId> = match value("--polda") {
        Some(code) => Some(
            code.parse()
                .map_err(|_| anyhow::anyhow!("unknown Polda {code:?} (e.g. metro_jaya)"))?,
        ),
        None => None,
    };
    let since = value("--since").map_or(Ok(i64::MIN / 2), |d| day_ms(&d))?;
    let until = value("--until").map_or(Ok(i64::MAX / 2), |d| day_ms(&d))?;
    if since >= until {
        bail!("--since must come before --until");
    }
    let key = if args.iter().any(|a| a == "--key-stdin") {
        let mut hex = String::new();
        std::io::stdin().read_line(&mut hex)?;
        Some(siaga_store::StoreKey::from_hex(&hex)?)
    } else {
        None
    };
    let store = Store::open_read_only(std::path::Path::new(&path), key.as_ref())
        .await
        .with_context(|| path.clone())?;
    let points = store.analytics_points(since, until).await?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "lat,lon,time,category,polda,regency,district")?;
    let (mut written, mut unclassified, mut prank) = (0u64, 0u64, 0u64);
    let mut outside: BTreeMap<String, u64> = BTreeMap::new();
    for p in &points {
        if polda.is_some() && p.polda != polda {
            *outside
                .entry(
                    p.polda
                        .map_or_else(|| "(none)".to_string(), |p| p.code().to_string()),
                )
                .or_default() += 1;
            continue;
        }
        let Some(category) = p.category else {
            unclassified += 1;
            continue;
        };
        if category.is_prank_or_empty() {
            prank += 1;
            continue;
        }
        let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(p.received_ms) * 1_000_000)?
            .format(&Rfc3339)?;
        let code = |c: Option<String>| c.unwrap_or_default();
        writeln!(
            out,
            "{},{},{at},{},{},{},{}",
            p.lat,
            p.lon,
            category.code(),
            code(p.polda.map(|p| p.code().to_string())),
            code(p.regency.map(|r| r.to_string())),
            code(p.district.map(|d| d.to_string()))
        )?;
        written += 1;
    }
    out.flush()?;
    let outside: Vec<String> = outside.iter().map(|(p, n)| format!("{n} of {p}")).collect();
    eprintln!(
        "{path}: {written} incidents written; left out: {prank} prank or empty, {unclassified} unclassified{}",
        if outside.is_empty() { String::new() } else { format!(", outside the Polda: {}", outside.join(", ")) }
    );
    Ok(())
}
