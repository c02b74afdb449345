//! The Analitik page's numbers, computed over the desk's own store with `siaga-analytics`.
//!
//! [`analyse`] is pure: the incidents of a period (prank and empty calls never count as crime; unclassified
//! calls are left out until classified) within the desk's Polda — those of other Poldas the store holds are
//! counted and reported, never mixed in — laid on a UTM grid; Getis-Ord Gi* with FDR classes; the forecast's
//! cells for the next seven days (the blend of decision 0012, chosen on the period's own folds, 5 % of the
//! grid); the hour × weekday clock in the Polda's time zone (WIB/WITA/WIT); each category's last seven days
//! against the seven before (exact binomial test); districts (or, where incidents carry no district code, their
//! regency/city) ranked by their incidents inside significant hot cells, then by all their incidents;
//! and traffic incidents by district and hour. `Desk::analytics` reads the store and runs it off the async
//! threads. [`research_export`] applies the export rules of `siaga_analytics::export` to the same scope.

use std::collections::HashMap;

use siaga_analytics::export::{Export, ExportRules, Rounding};
use siaga_analytics::forecast::{self, Event, TimeUnit, Timeline};
use siaga_analytics::gistar::{self, Inference};
use siaga_analytics::grid::Grid;
use siaga_analytics::temporal::rate_change;
use siaga_analytics::time::hour_and_weekday;
use siaga_analytics::utm::Projection;
use siaga_analytics::AnalyticsError;
use siaga_domain::timezone::TimeZone;
use siaga_domain::{Category, PoldaId};
use siaga_ipc::{AnalyticsCell, AnalyticsRequest, AnalyticsView, AreaRank, CategoryTrend, TrafficRow};
use siaga_store::AnalyticsPoint;

use crate::error::AnalyticsProblem;

const DAY_MS: i64 = 86_400_000;
/// Share of the grid the forecast flags.
pub const FORECAST_AREA: f64 = 0.05;
/// Districts listed on the page.
pub const AREAS_LISTED: usize = 15;
/// Districts in the traffic view.
pub const TRAFFIC_LISTED: usize = 10;

/// Checks a request's bounds.
pub fn check(request: &AnalyticsRequest) -> Result<(), AnalyticsProblem> {
    if !(1..=366).contains(&request.period_days) {
        return Err(AnalyticsProblem::Period);
    }
    if !(100..=5000).contains(&request.cell_m) {
        return Err(AnalyticsProblem::CellSize);
    }
    Ok(())
}

fn empty_view(
    request: &AnalyticsRequest,
    since_ms: i64,
    until_ms: i64,
    outside: u32,
    zone: TimeZone,
) -> AnalyticsView {
    AnalyticsView {
        points: 0,
        outside_polda: outside,
        since_ms,
        until_ms,
        utm_zone: String::new(),
        cell_m: request.cell_m,
        cells: Vec::new(),
        hot_cells: 0,
        cold_cells: 0,
        forecast_cells: 0,
        heatmap: vec![0; 7 * 24],
        time_zone: zone.abbreviation().into(),
        trends: Vec::new(),
        marked_periods: siaga_analytics::calendar::periods_between(
            since_ms.div_euclid(DAY_MS),
            until_ms.div_euclid(DAY_MS),
        )
        .into_iter()
        .map(|p| p.name)
        .collect(),
        areas: Vec::new(),
        traffic: Vec::new(),
    }
}

/// The page's numbers for `points` received in `[since_ms, until_ms)`, for a desk following `polda` (`None`:
/// a national desk).
pub fn analyse(
    points: &[AnalyticsPoint],
    polda: Option<PoldaId>,
    request: &AnalyticsRequest,
    since_ms: i64,
    until_ms: i64,
) -> Result<AnalyticsView, AnalyticsProblem> {
    analyse_until(points, polda, request, since_ms, until_ms, &|| false)
}

/// [`analyse`] that gives up with [`AnalyticsProblem::Cancelled`] once `cancelled` says so (asked between stages
/// and while the forecast chooses its parameters).
pub fn analyse_until(
    points: &[AnalyticsPoint],
    polda: Option<PoldaId>,
    request: &AnalyticsRequest,
    since_ms: i64,
    until_ms: i64,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<AnalyticsView, AnalyticsProblem> {
    check(request)?;
    let stop = || {
        if cancelled() {
            Err(AnalyticsProblem::Cancelled)
        } else {
            Ok(())
        }
    };
    let zone = TimeZone::for_polda(polda);
    let offset_s = i64::from(zone.utc_offset().whole_seconds());
    let in_scope = |p: &&AnalyticsPoint| polda.is_none() || p.polda == polda;
    let outside = points.iter().filter(|p| !in_scope(p)).count() as u32;
    let crimes: Vec<&AnalyticsPoint> = points
        .iter()
        .filter(in_scope)
        .filter(|p| p.category.is_some_and(|c| !c.is_prank_or_empty()))
        .filter(|p| request.category.is_none() || p.category == request.category)
        .collect();
    let mut view = empty_view(request, since_ms, until_ms, outside, zone);
    if crimes.is_empty() {
        return Ok(view);
    }
    view.points = crimes.len() as u32;
    let projection = Projection::for_points(crimes.iter().map(|p| (p.lat, p.lon))).expect("not empty");
    view.utm_zone = projection.name();
    let xy: Vec<(f64, f64)> = crimes.iter().map(|p| projection.forward(p.lat, p.lon)).collect();
    let grid = Grid::covering(&xy, f64::from(request.cell_m), forecast::TRIM).map_err(|e| match e {
        AnalyticsError::Parameter(_) => AnalyticsProblem::TooManyCells,
        _ => AnalyticsProblem::CellSize,
    })?;
    let counts = grid.counts(xy.iter().map(|&(x, y)| (x, y, 1.0)));
    // Sparse counts (a desk's first days, a rare category) get exact Poisson tails, not the normal approximation.
    let gi = gistar::gi_star_with(&counts, grid.columns, grid.rows, 1, Inference::Auto);
    stop()?;

    // Forecast for the next seven days, fitted on the period alone.
    let events: Vec<Event> = crimes
        .iter()
        .zip(&xy)
        .map(|(p, &(x, y))| Event {
            x,
            y,
            t: p.received_ms as f64 / DAY_MS as f64,
        })
        .collect();
    let timeline = Timeline {
        unit: TimeUnit::Day,
        train: events.iter().map(|e| e.t).collect(),
        test: Vec::new(),
        train_end: until_ms as f64 / DAY_MS as f64,
        horizon: 7.0,
    };
    let k = ((FORECAST_AREA * grid.len() as f64).round() as usize).clamp(1, grid.len());
    let (blend, _) = forecast::choose_blend_until(&grid, &events, &timeline, k, cancelled);
    stop()?;
    let scores = forecast::blend_scores(&grid, &events, timeline.train_end, TimeUnit::Day, &blend);
    let mut flagged = vec![false; grid.len()];
    for cell in forecast::top_cells(&scores, &counts, k) {
        flagged[cell] = scores[cell] > 0.0;
    }

    for cell in 0..grid.len() {
        if gi.class[cell] == 0 && !flagged[cell] {
            continue;
        }
        let (cx, cy) = grid.centre(cell);
        let half = grid.cell / 2.0;
        let corner = |dx: f64, dy: f64| {
            let (lat, lon) = projection.inverse(cx + dx * half, cy + dy * half);
            [lon, lat]
        };
        view.cells.push(AnalyticsCell {
            ring: [
                corner(-1.0, -1.0),
                corner(1.0, -1.0),
                corner(1.0, 1.0),
                corner(-1.0, 1.0),
            ],
            class: gi.class[cell],
            forecast: flagged[cell],
            count: counts[cell] as u32,
        });
    }
    view.hot_cells = gi.class.iter().filter(|&&c| c > 0).count() as u32;
    view.cold_cells = gi.class.iter().filter(|&&c| c < 0).count() as u32;
    view.forecast_cells = flagged.iter().filter(|&&f| f).count() as u32;

    // The weekly clock on the Polda's wall clock.
    let local_hour_day = |p: &AnalyticsPoint| hour_and_weekday(p.received_ms.div_euclid(1000) + offset_s);
    for p in &crimes {
        let (hour, day) = local_hour_day(p);
        view.heatmap[day as usize * 24 + hour as usize] += 1;
    }

    // Trends: the last seven days against the seven before (or halves of a shorter period).
    let window = (DAY_MS * 7).min((until_ms - since_ms) / 2).max(1);
    let mut by_category: HashMap<Category, (u64, u64)> = HashMap::new();
    for p in &crimes {
        let age = until_ms - p.received_ms;
        let entry = by_category
            .entry(p.category.expect("crimes have a category"))
            .or_default();
        match age / window {
            0 => entry.0 += 1,
            1 => entry.1 += 1,
            _ => {}
        }
    }
    let mut trends: Vec<CategoryTrend> = by_category
        .into_iter()
        .filter(|(_, (recent, before))| recent + before > 0)
        .map(|(category, (recent, before))| CategoryTrend {
            category,
            recent: recent as u32,
            before: before as u32,
            p: rate_change(recent, before).p,
        })
        .collect();
    trends.sort_by(|a, b| {
        a.p.total_cmp(&b.p)
            .then((b.recent + b.before).cmp(&(a.recent + a.before)))
    });
    view.trends = trends;

    // Crime-prone areas: districts where incidents carry the code, else their regency/city.
    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    enum AreaKey {
        District(siaga_domain::region::DistrictCode),
        Regency(siaga_domain::region::RegencyCode),
    }
    struct Area {
        count: u32,
        hot: u32,
        lat: f64,
        lon: f64,
    }
    let mut areas: HashMap<AreaKey, Area> = HashMap::new();
    for (p, &(x, y)) in crimes.iter().zip(&xy) {
        let key = match (p.district, p.regency) {
            (Some(d), _) => AreaKey::District(d),
            (None, Some(r)) => AreaKey::Regency(r),
            (None, None) => continue,
        };
        let area = areas.entry(key).or_insert(Area {
            count: 0,
            hot: 0,
            lat: 0.0,
            lon: 0.0,
        });
        area.count += 1;
        area.lat += p.lat;
        area.lon += p.lon;
        if grid.cell_of(x, y).is_some_and(|c| gi.class[c] > 0) {
            area.hot += 1;
        }
    }
    let regency_name = |code: siaga_domain::region::RegencyCode| {
        siaga_domain::region::regency(code).map_or_else(|| code.to_string(), |r| r.name.to_string())
    };
    let mut ranked: Vec<AreaRank> = areas
        .into_iter()
        .map(|(key, a)| {
            let (code, name, within) = match key {
                AreaKey::District(code) => (
                    code.to_string(),
                    siaga_domain::region::district(code)
                        .map_or_else(|| code.to_string(), |d| d.name.to_string()),
                    regency_name(code.regency()),
                ),
                AreaKey::Regency(code) => (
                    code.to_string(),
                    regency_name(code),
                    siaga_domain::region::province(code.province())
                        .map_or_else(String::new, |p| p.name.to_string()),
                ),
            };
            AreaRank {
                code,
                name,
                regency: within,
                count: a.count,
                hot_share: f64::from(a.hot) / f64::from(a.count),
                lat: a.lat / f64::from(a.count),
                lon: a.lon / f64::from(a.count),
            }
        })
        .collect();
    // Incidents inside significant hot cells first (where crime concentrates), then all incidents.
    let in_hot = |a: &AreaRank| (a.hot_share * f64::from(a.count)).round() as u32;
    ranked.sort_by(|a, b| {
        in_hot(b)
            .cmp(&in_hot(a))
            .then(b.count.cmp(&a.count))
            .then(a.code.cmp(&b.code))
    });
    ranked.truncate(AREAS_LISTED);
    view.areas = ranked;

    // Traffic: accidents and jams by district and hour.
    let mut traffic: HashMap<String, Vec<u32>> = HashMap::new();
    for p in crimes
        .iter()
        .filter(|p| matches!(p.category, Some(Category::TrafficAccident | Category::TrafficJam)))
    {
        let name = match (p.district.and_then(siaga_domain::region::district), p.regency) {
            (Some(d), _) => d.name.to_string(),
            (None, Some(r)) => regency_name(r),
            (None, None) => "—".to_string(),
        };
        let (hour, _) = local_hour_day(p);
        traffic.entry(name).or_insert_with(|| vec![0; 24])[hour as usize] += 1;
    }
    let mut traffic: Vec<TrafficRow> = traffic
        .into_iter()
        .map(|(district, hours)| TrafficRow {
            total: hours.iter().sum(),
            district,
            hours,
        })
        .collect();
    traffic.sort_by(|a, b| b.total.cmp(&a.total).then(a.district.cmp(&b.district)));
    traffic.truncate(TRAFFIC_LISTED);
    view.traffic = traffic;
    Ok(view)
}

/// The page's results as files: (name, contents). `map_png` is the picture's bytes, if any.
pub fn results_files(view: &AnalyticsView, map_png: Option<Vec<u8>>) -> Vec<(&'static str, Vec<u8>)> {
    let mut files = Vec::new();
    let mut geojson = serde_json::to_value(siaga_ipc::cells_geojson(&view.cells)).unwrap_or_default();
    geojson["properties"] = serde_json::json!({
        "sinceMs": view.since_ms, "untilMs": view.until_ms, "cellM": view.cell_m, "utmZone": view.utm_zone,
        "incidents": view.points, "giClasses": "+3/+2/+1 hot at 99/95/90 % (FDR), negative cold, 0 not significant",
    });
    files.push(("cells.geojson", geojson.to_string().into_bytes()));
    let mut cells = String::from("lat,lon,gi_class,forecast,count\n");
    for c in &view.cells {
        let lat = c.ring.iter().map(|p| p[1]).sum::<f64>() / 4.0;
        let lon = c.ring.iter().map(|p| p[0]).sum::<f64>() / 4.0;
        cells.push_str(&format!(
            "{lat:.6},{lon:.6},{},{},{}\n",
            c.class,
            u8::from(c.forecast),
            c.count
        ));
    }
    files.push(("cells.csv", cells.into_bytes()));
    let mut clock = format!("weekday,hour_{},count\n", view.time_zone.to_lowercase());
    for (i, n) in view.heatmap.iter().enumerate() {
        let day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][i / 24];
        clock.push_str(&format!("{day},{},{n}\n", i % 24));
    }
    files.push(("clock.csv", clock.into_bytes()));
    let mut trends = String::from("category,last_7_days,7_days_before,p\n");
    for t in &view.trends {
        trends.push_str(&format!(
            "{},{},{},{:.6}\n",
            t.category.code(),
            t.recent,
            t.before,
            t.p
        ));
    }
    files.push(("trends.csv", trends.into_bytes()));
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut areas = String::from("code,name,within,incidents,share_in_hot_cells,lat,lon\n");
    for a in &view.areas {
        areas.push_str(&format!(
            "{},{},{},{},{:.4},{:.6},{:.6}\n",
            a.code,
            quote(&a.name),
            quote(&a.regency),
            a.count,
            a.hot_share,
            a.lat,
            a.lon
        ));
    }
    files.push(("areas.csv", areas.into_bytes()));
    let mut traffic = format!("area,hour_{},incidents\n", view.time_zone.to_lowercase());
    for t in &view.traffic {
        for (hour, n) in t.hours.iter().enumerate().filter(|(_, n)| **n > 0) {
            traffic.push_str(&format!("{},{hour},{n}\n", quote(&t.district)));
        }
    }
    files.push(("traffic.csv", traffic.into_bytes()));
    if let Some(png) = map_png {
        files.push(("map.png", png));
    }
    files
}

/// The bytes of a `data:image/png;base64,` URL, when it holds a PNG.
pub fn png_from_data_url(url: &str) -> Option<Vec<u8>> {
    let data = url.strip_prefix("data:image/png;base64,")?;
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in data.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out.starts_with(b"\x89PNG\r\n\x1a\n").then_some(out)
}

/// The research export's rules from a request, checked.
pub fn export_rules(request: &siaga_ipc::ResearchExportRequest) -> Result<ExportRules, AnalyticsProblem> {
    check(&AnalyticsRequest {
        category: None,
        period_days: request.period_days,
        cell_m: request.cell_m,
        polda: None,
    })?;
    let rounding = Rounding::parse(&request.rounding).ok_or(AnalyticsProblem::ExportRules)?;
    if !(2..=1000).contains(&request.k) {
        return Err(AnalyticsProblem::ExportRules);
    }
    Ok(ExportRules {
        k: request.k as usize,
        cell_m: f64::from(request.cell_m),
        rounding,
    })
}

/// The anonymised export of the in-scope crimes among `points` (same scope rules as [`analyse`]; categories by
/// their codes).
pub fn research_export(
    points: &[AnalyticsPoint],
    polda: Option<PoldaId>,
    rules: ExportRules,
) -> Result<Export, AnalyticsProblem> {
    let rows = points
        .iter()
        .filter(|p| polda.is_none() || p.polda == polda)
        .filter_map(|p| {
            let category = p.category.filter(|c| !c.is_prank_or_empty())?;
            Some((p.lat, p.lon, p.received_ms.div_euclid(1000), category.code()))
        });
    siaga_analytics::export::anonymise(rows, rules).map_err(|_| AnalyticsProblem::ExportRules)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(
        lat: f64,
        lon: f64,
        day: i64,
        category: Category,
        polda: PoldaId,
        district: &str,
    ) -> AnalyticsPoint {
        AnalyticsPoint {
            lat,
            lon,
            received_ms: 1_767_225_600_000 + day * DAY_MS + 3 * 3_600_000, // 2026-01-01 03:00 UTC = 10:00 WIB
            category: Some(category),
            polda: Some(polda),
            regency: None,
            district: district.parse().ok(),
        }
    }

    fn request() -> AnalyticsRequest {
        AnalyticsRequest {
            category: None,
            period_days: 30,
            cell_m: 250,
            polda: None,
        }
    }

    #[test]
    fn a_cluster_is_hot_forecast_and_its_district_leads_and_other_poldas_are_reported() {
        let mut points = Vec::new();
        let mut s = 5u64;
        let mut u = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        for i in 0..600 {
            let day = (u() * 30.0) as i64;
            if i % 3 == 0 {
                // Around Monas (Gambir, 31.71.01).
                points.push(point(
                    -6.1754 + (u() - 0.5) * 0.003,
                    106.8272 + (u() - 0.5) * 0.003,
                    day,
                    Category::Theft,
                    PoldaId::MetroJaya,
                    "31.71.01",
                ));
            } else {
                points.push(point(
                    -6.3 + u() * 0.2,
                    106.7 + u() * 0.25,
                    day,
                    Category::Theft,
                    PoldaId::MetroJaya,
                    "31.74.01",
                ));
            }
        }
        points.push(point(
            -6.2,
            106.8,
            3,
            Category::PrankCall,
            PoldaId::MetroJaya,
            "31.71.01",
        ));
        points.push(point(
            -7.8,
            110.36,
            3,
            Category::Theft,
            PoldaId::DaerahIstimewaYogyakarta,
            "34.71.01",
        ));
        let since = 1_767_225_600_000;
        let view = analyse(
            &points,
            Some(PoldaId::MetroJaya),
            &request(),
            since,
            since + 30 * DAY_MS,
        )
        .unwrap();
        assert_eq!(
            (
                view.points,
                view.outside_polda,
                view.utm_zone.as_str(),
                view.time_zone.as_str()
            ),
            (600, 1, "48S", "WIB")
        );
        assert!(view.hot_cells > 0 && view.forecast_cells > 0);
        // Monas's cell is hot at 99 % and flagged for next week; its ring surrounds it.
        let monas = view
            .cells
            .iter()
            .find(|c| {
                c.ring[0][0] <= 106.8272
                    && c.ring[2][0] >= 106.8272
                    && c.ring[0][1] <= -6.1754
                    && c.ring[2][1] >= -6.1754
            })
            .expect("Monas's cell is drawn");
        assert!(monas.class == 3 && monas.forecast, "{monas:?}");
        assert_eq!(view.areas[0].code, "31.71.01");
        assert!(
            view.areas[0].hot_share > 0.5 && view.areas[0].name == "Gambir",
            "{:?}",
            view.areas[0]
        );
        // Every incident at 10:00 WIB.
        assert_eq!(view.heatmap.iter().sum::<u32>(), 600);
        assert!(view
            .heatmap
            .iter()
            .enumerate()
            .all(|(i, &n)| n == 0 || i % 24 == 10));
        assert_eq!(view.trends.len(), 1);
        assert!(view.traffic.is_empty());
    }

    #[test]
    fn without_district_codes_areas_are_regencies_and_traffic_is_counted_by_local_hour() {
        let mut points = Vec::new();
        for i in 0..40 {
            let mut p = point(
                -6.2 + f64::from(i) * 1e-4,
                106.8,
                i64::from(i % 20),
                Category::TrafficAccident,
                PoldaId::MetroJaya,
                "",
            );
            p.regency = "31.74".parse().ok();
            points.push(p);
        }
        let since = 1_767_225_600_000;
        let view = analyse(
            &points,
            Some(PoldaId::MetroJaya),
            &request(),
            since,
            since + 30 * DAY_MS,
        )
        .unwrap();
        assert_eq!(view.areas.len(), 1);
        assert_eq!((view.areas[0].code.as_str(), view.areas[0].count), ("31.74", 40));
        assert!(
            view.areas[0].name.contains("Jakarta Selatan"),
            "{:?}",
            view.areas[0]
        );
        assert_eq!(view.traffic.len(), 1);
        assert_eq!((view.traffic[0].total, view.traffic[0].hours[10]), (40, 40));
    }

    #[test]
    fn the_research_export_keeps_the_desks_scope_and_never_counts_prank_calls() {
        let mut points = Vec::new();
        for i in 0..12 {
            points.push(point(
                -6.1754,
                106.8272,
                i,
                Category::Theft,
                PoldaId::MetroJaya,
                "31.71.01",
            ));
        }
        for i in 0..8 {
            points.push(point(
                -6.1754,
                106.8272,
                i,
                Category::PrankCall,
                PoldaId::MetroJaya,
                "31.71.01",
            ));
            points.push(point(
                -7.8,
                110.36,
                i,
                Category::Theft,
                PoldaId::DaerahIstimewaYogyakarta,
                "34.71.01",
            ));
        }
        let rules = ExportRules::default();
        let export = research_export(&points, Some(PoldaId::MetroJaya), rules).unwrap();
        assert_eq!(export.rows.len(), 12);
        assert!(export
            .rows
            .iter()
            .all(|r| r.category == "theft" && r.time_ms % 3_600_000 == 0));
        let request = |k, rounding: &str| siaga_ipc::ResearchExportRequest {
            period_days: 30,
            k,
            cell_m: 250,
            rounding: rounding.into(),
            language: siaga_domain::Language::Id,
        };
        assert_eq!(
            export_rules(&request(1, "hour")),
            Err(AnalyticsProblem::ExportRules)
        );
        assert_eq!(
            export_rules(&request(5, "month")),
            Err(AnalyticsProblem::ExportRules)
        );
        assert_eq!(
            export_rules(&request(5, "week")).unwrap().rounding,
            Rounding::Week
        );
    }

    #[test]
    fn results_become_files_and_only_a_real_png_is_kept() {
        let since = 1_767_225_600_000;
        let points: Vec<AnalyticsPoint> = (0..40)
            .map(|i| {
                point(
                    -6.1754,
                    106.8272,
                    i % 7,
                    Category::Theft,
                    PoldaId::MetroJaya,
                    "31.71.01",
                )
            })
            .collect();
        let view = analyse(
            &points,
            Some(PoldaId::MetroJaya),
            &request(),
            since,
            since + 30 * DAY_MS,
        )
        .unwrap();
        // "\x89PNG\r\n\x1a\n" and one more byte, base64.
        let png = png_from_data_url("data:image/png;base64,iVBORw0KGgoA").unwrap();
        assert_eq!(png.len(), 9);
        assert_eq!(
            png_from_data_url("data:image/png;base64,aGVsbG8="),
            None,
            "not a PNG"
        );
        assert_eq!(png_from_data_url("data:text/html;base64,iVBORw0KGgo="), None);
        let files = results_files(&view, Some(png));
        let names: Vec<&str> = files.iter().map(|f| f.0).collect();
        assert_eq!(
            names,
            [
                "cells.geojson",
                "cells.csv",
                "clock.csv",
                "trends.csv",
                "areas.csv",
                "traffic.csv",
                "map.png"
            ]
        );
        let geojson: serde_json::Value = serde_json::from_slice(&files[0].1).unwrap();
        assert_eq!(geojson["features"].as_array().unwrap().len(), view.cells.len());
        let clock = String::from_utf8(files[2].1.clone()).unwrap();
        assert_eq!(clock.lines().count(), 1 + 7 * 24);
        assert!(clock.starts_with("weekday,hour_wib,count"));
        let areas = String::from_utf8(files[4].1.clone()).unwrap();
        assert!(areas.contains("31.71.01,\"Gambir\""), "{areas}");
    }

    #[test]
    fn a_cancelled_analysis_gives_up() {
        let points: Vec<AnalyticsPoint> = (0..50)
            .map(|i| {
                point(
                    -6.1754 + f64::from(i as i32) * 1e-4,
                    106.8272,
                    i % 9,
                    Category::Theft,
                    PoldaId::MetroJaya,
                    "",
                )
            })
            .collect();
        let since = 1_767_225_600_000;
        let stopped = analyse_until(&points, None, &request(), since, since + 30 * DAY_MS, &|| true);
        assert_eq!(stopped.unwrap_err(), AnalyticsProblem::Cancelled);
        assert!(analyse_until(&points, None, &request(), since, since + 30 * DAY_MS, &|| false).is_ok());
    }

    #[test]
    fn bounds_are_checked_and_an_empty_period_is_an_empty_page() {
        for (period_days, cell_m, problem) in [
            (0, 250, AnalyticsProblem::Period),
            (400, 250, AnalyticsProblem::Period),
            (7, 50, AnalyticsProblem::CellSize),
        ] {
            let r = AnalyticsRequest {
                category: None,
                period_days,
                cell_m,
                polda: None,
            };
            assert_eq!(analyse(&[], None, &r, 0, DAY_MS).unwrap_err(), problem);
        }
        let view = analyse(&[], Some(PoldaId::MetroJaya), &request(), 0, DAY_MS).unwrap();
        assert_eq!((view.points, view.cells.len(), view.heatmap.len()), (0, 0, 168));
    }
}
