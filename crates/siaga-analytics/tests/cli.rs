//! The `siaga-analytics` binary as an analyst runs it: real files in a temporary folder, the real process.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_siaga-analytics"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path
}

/// A month-only city (as UK police exports are): a stable geography with a few hot streets, one record per row.
fn monthly_city(months: std::ops::Range<u32>, seed: u64) -> String {
    let mut s = seed;
    let mut uniform = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let hot = [
        (-6.175, 106.827),
        (-6.2, 106.85),
        (-6.23, 106.80),
        (-6.15, 106.88),
    ];
    let mut csv = String::from("Crime ID,lat,lon,time,category,Location\n");
    for month in months {
        for i in 0..400 {
            let (lat, lon) = if i % 3 == 0 {
                let (a, b) = hot[(uniform() * hot.len() as f64) as usize];
                (a + (uniform() - 0.5) * 0.004, b + (uniform() - 0.5) * 0.004)
            } else {
                (-6.3 + uniform() * 0.25, 106.7 + uniform() * 0.3)
            };
            let (year, m) = (2022 + month / 12, month % 12 + 1);
            csv.push_str(&format!(
                "x{i},{lat:.6},{lon:.6},{year}-{m:02},pencurian,\"Jl. Sudirman, Jakarta\"\n"
            ));
        }
    }
    csv
}

#[test]
fn forecast_on_month_only_data_prints_pai_and_pei_for_every_model() {
    let dir = tempfile::tempdir().unwrap();
    let train = write(dir.path(), "train.csv", &monthly_city(0..12, 7));
    let test = write(dir.path(), "test.csv", &monthly_city(12..13, 8));
    let out = run(&[
        "forecast",
        "--train",
        train.to_str().unwrap(),
        "--test",
        test.to_str().unwrap(),
        "--cell",
        "250",
        "--area",
        "0.05",
    ]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("time in months") && stdout.contains("UTM 48S (EPSG:32748)"),
        "{stdout}"
    );
    for model in ["kde", "counts", "blend"] {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(model))
            .unwrap_or_else(|| panic!("{model} missing:\n{stdout}"));
        let fields: Vec<f64> = line
            .split_whitespace()
            .skip(1)
            .take(3)
            .map(|f| f.parse().unwrap())
            .collect();
        let (pai, pei) = (fields[0], fields[1]);
        // A third of the events sit in four small hot spots: 5 % of the area must catch far more than 5 %.
        assert!(pai > 2.0 && (0.0..=1.0).contains(&pei), "{line}");
    }
    let json = run(&[
        "forecast",
        "--train",
        train.to_str().unwrap(),
        "--test",
        test.to_str().unwrap(),
        "--json",
    ]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["timeUnit"], "months");
    assert_eq!(value["models"].as_array().unwrap().len(), 3);
}

#[test]
fn bad_rows_are_named_by_line_and_column_and_the_rest_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = monthly_city(0..3, 3);
    body.push_str("y1,-6.2,,2022-04,pencurian,x\n");
    body.push_str("y2,-6.2,106.8,yesterday,pencurian,x\n");
    body.push_str("y3,95,106.8,2022-04,pencurian,x\n");
    let input = write(dir.path(), "in.csv", &body);
    let out_csv = dir.path().join("gi.csv");
    let out = run(&[
        "hotspots",
        "--input",
        input.to_str().unwrap(),
        "--out",
        out_csv.to_str().unwrap(),
    ]);
    let (_, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("line 1202, column lon: longitude is empty"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 1203, column time: \"yesterday\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 1204, column lat: latitude 95 is outside"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("3 of 1203 rows refused and left out (1 in lat, 1 in lon, 1 in time); 1200 rows used"),
        "{stderr}"
    );
    let cells = std::fs::read_to_string(&out_csv).unwrap();
    let total: f64 = cells
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(4).unwrap().parse::<f64>().unwrap())
        .sum();
    assert!((1190.0..=1200.0).contains(&total), "{total}"); // 0.1 % trimmed at each edge at most
    let strict = run(&["hotspots", "--input", input.to_str().unwrap(), "--strict"]);
    assert!(!strict.status.success() && text(&strict).1.contains("3 rows refused (--strict)"));
}

#[test]
fn unusable_inputs_and_parameters_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.csv", &monthly_city(0..2, 5));
    let header_only = write(dir.path(), "empty.csv", "lat,lon,time,category\n");
    let no_time = write(dir.path(), "no-time.csv", "lat,lon,category\n-6.2,106.8,x\n");
    let g = good.to_str().unwrap();
    let absent = dir.path().join("absent.csv");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["hotspots", "--input", no_time.to_str().unwrap()],
            "missing column time",
        ),
        (
            vec!["forecast", "--train", g, "--test", header_only.to_str().unwrap()],
            "no usable rows (0 read)",
        ),
        (
            vec!["hotspots", "--input", g, "--cell", "0"],
            "cell size must be a positive number",
        ),
        (
            vec!["hotspots", "--input", g, "--cell", "abc"],
            "--cell \"abc\" is not a number",
        ),
        (
            vec!["hotspots", "--input", g, "--radius", "1.5"],
            "--radius must be a whole number",
        ),
        (
            vec!["forecast", "--train", g, "--test", g, "--area", "0"],
            "area share must be in (0, 1]",
        ),
        (
            vec!["hotspots", "--input", absent.to_str().unwrap()],
            "cannot open",
        ),
        (
            vec!["kde", "--input", g, "--bandwidth", "-3"],
            "--bandwidth must be a positive number",
        ),
        (vec!["frobnicate"], "unknown command"),
        (
            vec!["hotspots", "--input", g, "--cel", "250"],
            "unknown option --cel",
        ),
    ];
    for (args, want) in cases {
        let out = run(&args);
        let (_, stderr) = text(&out);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(stderr.contains(want), "{args:?}: {stderr}");
    }
}

#[test]
fn near_repeat_says_how_much_more_likely_a_repeat_is_and_refuses_month_only_times() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = 99u64;
    let mut uniform = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut csv = String::from("lat,lon,time,category\n");
    for i in 0..1500 {
        let (lat, lon, day) = (
            -6.3 + uniform() * 0.2,
            106.7 + uniform() * 0.2,
            (uniform() * 300.0) as i64,
        );
        let date = |d: i64| {
            let (y, m, dd) = siaga_analytics::time::civil_from_days(19_723 + d); // from 2024-01-01
            format!("{y}-{m:02}-{dd:02}T10:00:00+07:00")
        };
        csv.push_str(&format!("{lat:.6},{lon:.6},{},pencurian\n", date(day)));
        if i % 3 == 0 {
            // Another theft within about 100 m a few days later.
            csv.push_str(&format!(
                "{:.6},{:.6},{},pencurian\n",
                lat + 0.0005,
                lon - 0.0004,
                date(day + 3)
            ));
        }
        if i % 10 == 0 {
            csv.push_str(&format!("{lat:.6},{lon:.6},{},tawuran\n", date(day)));
        }
    }
    let input = write(dir.path(), "daily.csv", &csv);
    let out = run(&[
        "near-repeat",
        "--input",
        input.to_str().unwrap(),
        "--category",
        "pencurian",
        "--permutations",
        "49",
    ]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("near repeats: 2000 events (pencurian)"),
        "{stdout}"
    );
    let summary = stdout.lines().last().unwrap();
    assert!(
        summary.starts_with("after an event, another within 200 m and 7 days is "),
        "{summary}"
    );
    let ratio: f64 = summary
        .split(" is ")
        .nth(1)
        .unwrap()
        .split('×')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(ratio > 5.0 && summary.contains("p = 0.020"), "{summary}");

    let monthly = write(
        dir.path(),
        "monthly.csv",
        "lat,lon,time,category\n-6.2,106.8,2024-01,x\n-6.2,106.8,2024-02,x\n",
    );
    let out = run(&["near-repeat", "--input", monthly.to_str().unwrap()]);
    assert!(!out.status.success() && text(&out).1.contains("only known to the month"));
    let out = run(&[
        "near-repeat",
        "--input",
        input.to_str().unwrap(),
        "--category",
        "begal",
    ]);
    assert!(
        !out.status.success()
            && text(&out)
                .1
                .contains("no category \"begal\" in the file (it has: pencurian, tawuran)")
    );
    let out = run(&[
        "near-repeat",
        "--input",
        input.to_str().unwrap(),
        "--distances",
        "400,200",
    ]);
    assert!(!out.status.success() && text(&out).1.contains("increasing"));
}

#[test]
fn patterns_show_the_weekly_clock_and_flag_a_real_rise() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("lat,lon,time,category\n");
    // Street robberies: 10 in the 28 days before, 40 in the last 28 days, all on Friday nights at 22:00.
    // Burglaries: 20 and 22 (no real change), daytime.
    let friday = |week: i64| {
        let (y, m, d) = siaga_analytics::time::civil_from_days(19_727 + 7 * week); // 2024-01-05, a Friday
        format!("{y}-{m:02}-{d:02}")
    };
    for i in 0..10 {
        csv.push_str(&format!("-6.2,106.8,{}T22:00:00,begal\n", friday(i % 4)));
    }
    for i in 0..40 {
        csv.push_str(&format!("-6.2,106.8,{}T22:00:00,begal\n", friday(4 + i % 4)));
    }
    for i in 0..20 {
        csv.push_str(&format!("-6.2,106.8,{}T10:00:00,pencurian\n", friday(i % 4)));
    }
    for i in 0..22 {
        csv.push_str(&format!("-6.2,106.8,{}T10:00:00,pencurian\n", friday(4 + i % 4)));
    }
    let input = write(dir.path(), "p.csv", &csv);
    let out = run(&["patterns", "--input", input.to_str().unwrap(), "--window", "28"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let friday_row = stdout.lines().find(|l| l.starts_with("Jum")).unwrap();
    let cells: Vec<u64> = friday_row
        .split_whitespace()
        .skip(1)
        .map(|c| c.parse().unwrap())
        .collect();
    assert_eq!(
        (cells[22], cells[10], cells.iter().sum::<u64>()),
        (50, 42, 92),
        "{friday_row}"
    );
    let begal = stdout.lines().find(|l| l.starts_with("begal")).unwrap();
    assert!(
        begal.contains("40") && begal.contains("10") && begal.ends_with("▲ rise"),
        "{begal}"
    );
    let pencurian = stdout.lines().find(|l| l.starts_with("pencurian")).unwrap();
    assert!(
        !pencurian.contains('▲') && !pencurian.contains('▼'),
        "{pencurian}"
    );
}
