//! Forecasting next period's hot cells, and scoring forecasts by PAI and PEI.
//!
//! **Scores.** A forecast ranks the grid's cells; the top `k = area share × cells` are "flagged". With `n` of the
//! test period's `N` events inside flagged cells, the predictive accuracy index is `PAI = (n / N) / (k / cells)`
//! (Chainey et al. 2008) and the predictive efficiency index `PEI = n / n*`, where `n*` is the most events any
//! choice of `k` cells could have caught (Hunt 2016). The study area is the training events' grid
//! ([`Grid::covering`] with 0.1 % trimmed each side); `N` counts the test events inside it (those outside are
//! reported). Ties are broken by a model's smoother term, then by cell index, so results are reproducible.
//!
//! **Models.**
//! - `kde` — the baseline: a Gaussian KDE of all training events with the bandwidth rule of [`kde::bandwidth`].
//! - `counts` — training events per cell (ties broken by the KDE): the naive "where it happened before".
//! - `blend` — the stronger model, a learned blend of a long-term density and a recent, near-repeat term:
//!   `score = α · LT / ΣLT + (1 − α) · ST / ΣST`, with `LT` a KDE of all training events at bandwidth `h_long`
//!   and `ST = Σᵢ K_{h_short}(c − xᵢ) · exp(−ageᵢ / τ)` (an event's own cell when `h_short = 0`; no decay when
//!   `τ = ∞`). Short `τ` and `h_short` are the near-repeat effect (a burglary raises the risk next door for a few
//!   weeks); long `τ` with large `h_long` is the stable geography of crime. The four parameters are chosen on the
//!   training period only: rolling-origin folds cut its last horizons off as validation periods (up to six),
//!   each fitted on what came before, and the combination with the best mean hit rate at the same area share wins.
//!
//! **Time.** Data known only to the month (UK police exports, for one) is handled in months ([`TimeUnit`]):
//! folds are whole months and `τ` is converted from days; finer data is handled in days. [`Timeline`] derives
//! the unit, the end of training and the horizon (the test period's length) from the times themselves.

use rayon::prelude::*;

use crate::grid::Grid;
use crate::kde;
use crate::time::{month_index, Moment, Resolution};
use crate::AnalyticsError;

/// Trimmed from each side of the training extent when laying the study grid.
pub const TRIM: f64 = 0.001;

const DAYS_PER_MONTH: f64 = 30.436_875;

/// The unit event times are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Months since January 1970, for data that only knows the month.
    Month,
    /// Days since 1970-01-01.
    Day,
}

impl TimeUnit {
    pub fn days(self) -> f64 {
        match self {
            Self::Month => DAYS_PER_MONTH,
            Self::Day => 1.0,
        }
    }
}

/// An event on the plane (metres) at a time in the timeline's unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    pub x: f64,
    pub y: f64,
    pub t: f64,
}

/// The training and test times on one clock, and what the forecast is for.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub unit: TimeUnit,
    pub train: Vec<f64>,
    pub test: Vec<f64>,
    /// The (exclusive) end of the training period: its last time plus one step of the data's resolution.
    pub train_end: f64,
    /// How long the test period is (in the unit).
    pub horizon: f64,
}

impl Timeline {
    /// Puts both periods on one clock: months when every time is only known to the month (or sits at midnight on
    /// the 1st), days otherwise.
    pub fn of(train: &[Moment], test: &[Moment]) -> Result<Self, AnalyticsError> {
        if train.is_empty() {
            return Err(AnalyticsError::Empty("the training period has no events".into()));
        }
        if test.is_empty() {
            return Err(AnalyticsError::Empty("the test period has no events".into()));
        }
        let all = || train.iter().chain(test);
        let month_start = |m: &Moment| {
            m.resolution == Resolution::Month
                || (m.seconds.rem_euclid(86_400) == 0
                    && crate::time::civil_from_days(m.seconds.div_euclid(86_400)).2 == 1)
        };
        let monthly = all().all(month_start);
        let daily = all().all(|m| m.seconds.rem_euclid(86_400) == 0);
        let (unit, step) = match (monthly, daily) {
            (true, _) => (TimeUnit::Month, 1.0),
            (false, true) => (TimeUnit::Day, 1.0),
            (false, false) => (TimeUnit::Day, 1.0 / 86_400.0),
        };
        let on_clock = |m: &Moment| match unit {
            TimeUnit::Month => month_index(m.seconds) as f64,
            TimeUnit::Day => m.seconds as f64 / 86_400.0,
        };
        let train: Vec<f64> = train.iter().map(on_clock).collect();
        let test: Vec<f64> = test.iter().map(on_clock).collect();
        let max = |v: &[f64]| v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let min = |v: &[f64]| v.iter().cloned().fold(f64::INFINITY, f64::min);
        let train_end = max(&train) + step;
        let horizon = (max(&test) + step - min(&test)).max(step);
        Ok(Self {
            unit,
            train,
            test,
            train_end,
            horizon,
        })
    }
}

/// The blend's parameters (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Blend {
    /// Bandwidth of the recent term in metres; 0 = the event's own cell.
    pub h_short: f64,
    /// Decay time of the recent term in days; infinite = no decay.
    pub tau_days: f64,
    /// Bandwidth of the long-term density in metres.
    pub h_long: f64,
    /// Weight of the long-term density, 0–1.
    pub alpha: f64,
}

impl std::fmt::Display for Blend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tau = if self.tau_days.is_finite() {
            format!("{:.0} days", self.tau_days)
        } else {
            "none".into()
        };
        write!(
            f,
            "h_short {:.0} m, decay {tau}, h_long {:.0} m, α {:.2}",
            self.h_short, self.h_long, self.alpha
        )
    }
}

/// One model's score on the test period.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelScore {
    pub name: &'static str,
    /// Test events inside the flagged cells.
    pub hits: f64,
    pub pai: f64,
    pub pei: f64,
    /// How the model was set up (bandwidth, chosen parameters).
    pub detail: String,
}

/// Everything a forecast run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub grid: Grid,
    /// Cells flagged (k).
    pub flagged: usize,
    pub test_inside: usize,
    pub test_outside: usize,
    /// The most test events any `k` cells hold.
    pub best_hits: f64,
    pub models: Vec<ModelScore>,
    pub blend: Blend,
    /// Validation folds the blend was chosen on (0: too little history, defaults used).
    pub folds: usize,
    pub kde_bandwidth: f64,
}

/// The `k` highest-scoring cells; ties broken by the higher `tiebreak` score, then by the lower cell index.
pub fn top_cells(scores: &[f64], tiebreak: &[f64], k: usize) -> Vec<usize> {
    let k = k.min(scores.len());
    if k == 0 {
        return Vec::new();
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    let better = |a: &usize, b: &usize| {
        scores[*b]
            .total_cmp(&scores[*a])
            .then(tiebreak[*b].total_cmp(&tiebreak[*a]))
            .then(a.cmp(b))
    };
    order.select_nth_unstable_by(k - 1, better);
    order.truncate(k);
    order
}

fn hits(scores: &[f64], tiebreak: &[f64], k: usize, truth: &[f64]) -> f64 {
    top_cells(scores, tiebreak, k).iter().map(|&c| truth[c]).sum()
}

fn normalised(mut v: Vec<f64>) -> Vec<f64> {
    let total: f64 = v.iter().sum();
    if total > 0.0 {
        v.iter_mut().for_each(|x| *x /= total);
    }
    v
}

fn recent_term(grid: &Grid, events: &[Event], now: f64, h_short: f64, tau: f64) -> Vec<f64> {
    let weighted = events.iter().map(|e| {
        let w = if tau.is_finite() {
            (-(now - e.t).max(0.0) / tau).exp()
        } else {
            1.0
        };
        (e.x, e.y, w)
    });
    normalised(kde::intensity(grid, weighted, h_short))
}

fn long_term(grid: &Grid, events: &[Event], h_long: f64) -> Vec<f64> {
    normalised(kde::intensity(
        grid,
        events.iter().map(|e| (e.x, e.y, 1.0)),
        h_long,
    ))
}

/// The blend's score of every cell for the period starting at `now` (in the timeline's unit).
pub fn blend_scores(grid: &Grid, events: &[Event], now: f64, unit: TimeUnit, blend: &Blend) -> Vec<f64> {
    let recent = recent_term(grid, events, now, blend.h_short, blend.tau_days / unit.days());
    let long = long_term(grid, events, blend.h_long);
    recent
        .iter()
        .zip(&long)
        .map(|(r, l)| blend.alpha * l + (1.0 - blend.alpha) * r)
        .collect()
}

/// The parameter combinations the blend is chosen among, for cells of `cell` metres.
pub fn candidates(cell: f64) -> Vec<Blend> {
    let mut out = Vec::new();
    for h_short in [0.0, 0.5, 1.0, 2.0].map(|f| f * cell) {
        for tau_days in [7.0, 30.0, 90.0, 180.0, 365.0, 730.0, 1461.0, f64::INFINITY] {
            for h_long in [1.0, 2.0, 4.0].map(|f| f * cell) {
                for alpha in [0.0, 0.25, 0.5, 0.75, 1.0] {
                    out.push(Blend {
                        h_short,
                        tau_days,
                        h_long,
                        alpha,
                    });
                }
            }
        }
    }
    out
}

/// Parameters used when the training period is too short to hold out a validation period.
pub fn default_blend(cell: f64) -> Blend {
    Blend {
        h_short: cell,
        tau_days: 90.0,
        h_long: 2.0 * cell,
        alpha: 0.5,
    }
}

/// Chooses the blend on rolling-origin folds of the training period. Returns it and the number of folds used.
pub fn choose_blend(grid: &Grid, train: &[Event], timeline: &Timeline, k: usize) -> (Blend, usize) {
    choose_blend_until(grid, train, timeline, k, &|| false)
}

/// [`choose_blend`] that stops early (answering the defaults and 0 folds) once `cancelled` says so; it is asked
/// between parameter groups, a few hundred times per fold.
pub fn choose_blend_until(
    grid: &Grid,
    train: &[Event],
    timeline: &Timeline,
    k: usize,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> (Blend, usize) {
    const MAX_FOLDS: usize = 6;
    const MIN_FIT: usize = 30;
    const MIN_VALIDATION: usize = 10;
    let first = train.iter().map(|e| e.t).fold(f64::INFINITY, f64::min);
    let h = timeline.horizon;
    let mut folds = Vec::new();
    for f in 1..=MAX_FOLDS {
        let cut = timeline.train_end - f as f64 * h;
        let fit: Vec<Event> = train.iter().copied().filter(|e| e.t < cut).collect();
        let truth = grid.counts(
            train
                .iter()
                .filter(|e| e.t >= cut && e.t < cut + h)
                .map(|e| (e.x, e.y, 1.0)),
        );
        let validating: f64 = truth.iter().sum();
        if fit.len() < MIN_FIT || validating < MIN_VALIDATION as f64 || cut - first < h {
            break;
        }
        folds.push((cut, fit, truth, validating));
    }
    let cell = grid.cell;
    if folds.is_empty() {
        return (default_blend(cell), 0);
    }
    let all = candidates(cell);
    let mut rate = vec![0.0; all.len()];
    for (cut, fit, truth, validating) in &folds {
        let longs: Vec<(f64, Vec<f64>)> = [1.0, 2.0, 4.0]
            .iter()
            .map(|f| f * cell)
            .map(|h| (h, long_term(grid, fit, h)))
            .collect();
        // One recent term per (h_short, τ), then every (h_long, α) against it.
        let mut at = 0;
        while at < all.len() {
            if cancelled() {
                return (default_blend(cell), 0);
            }
            let (h_short, tau_days) = (all[at].h_short, all[at].tau_days);
            let end = at
                + all[at..]
                    .iter()
                    .take_while(|b| b.h_short == h_short && b.tau_days == tau_days)
                    .count();
            let recent = recent_term(grid, fit, *cut, h_short, tau_days / timeline.unit.days());
            let found: Vec<f64> = all[at..end]
                .par_iter()
                .map(|b| {
                    let long = &longs
                        .iter()
                        .find(|(h, _)| *h == b.h_long)
                        .expect("a long term per bandwidth")
                        .1;
                    let scores: Vec<f64> = recent
                        .iter()
                        .zip(long)
                        .map(|(r, l)| b.alpha * l + (1.0 - b.alpha) * r)
                        .collect();
                    hits(&scores, long, k, truth) / validating
                })
                .collect();
            for (i, r) in found.into_iter().enumerate() {
                rate[at + i] += r;
            }
            at = end;
        }
    }
    // The first best wins: candidates are listed from the most local to the smoothest.
    let best = (0..all.len()).fold(0, |best, i| if rate[i] > rate[best] + 1e-12 { i } else { best });
    (all[best], folds.len())
}

/// Fits every model on `train`, flags the top `area_share` of the study grid and scores them on `test`.
pub fn evaluate(
    train: &[Event],
    test: &[Event],
    timeline: &Timeline,
    cell: f64,
    area_share: f64,
) -> Result<Evaluation, AnalyticsError> {
    if !(area_share > 0.0 && area_share <= 1.0) {
        return Err(AnalyticsError::Parameter(format!(
            "the area share must be in (0, 1], not {area_share}"
        )));
    }
    let points: Vec<(f64, f64)> = train.iter().map(|e| (e.x, e.y)).collect();
    let grid = Grid::covering(&points, cell, TRIM)?;
    let k = ((area_share * grid.len() as f64).round() as usize).clamp(1, grid.len());
    let truth = grid.counts(test.iter().map(|e| (e.x, e.y, 1.0)));
    let test_inside = truth.iter().sum::<f64>() as usize;
    if test_inside == 0 {
        return Err(AnalyticsError::Empty(format!(
            "none of the {} test events lies inside the training data's area: are they from the same region?",
            test.len()
        )));
    }
    let best_hits = hits(&truth, &truth, k, &truth);
    let share = k as f64 / grid.len() as f64;
    let score = |name: &'static str, scores: &[f64], tiebreak: &[f64], detail: String| {
        let n = hits(scores, tiebreak, k, &truth);
        ModelScore {
            name,
            hits: n,
            pai: (n / test_inside as f64) / share,
            pei: n / best_hits,
            detail,
        }
    };
    let h = kde::bandwidth(&points).unwrap_or(cell);
    let kde_scores = normalised(kde::intensity(&grid, points.iter().map(|&(x, y)| (x, y, 1.0)), h));
    let kde = score(
        "kde",
        &kde_scores,
        &kde_scores,
        format!("Gaussian, bandwidth {h:.0} m (Scott's rule, robust spread)"),
    );
    let counts = grid.counts(points.iter().map(|&(x, y)| (x, y, 1.0)));
    let counts = score("counts", &counts, &kde_scores, "training events per cell".into());
    let (blend, folds) = choose_blend(&grid, train, timeline, k);
    let blend_scores = blend_scores(&grid, train, timeline.train_end, timeline.unit, &blend);
    let blend_tiebreak = long_term(&grid, train, blend.h_long);
    let chosen = if folds > 0 {
        format!(
            "{blend}; chosen on {folds} fold{} of the training period",
            if folds > 1 { "s" } else { "" }
        )
    } else {
        format!("{blend}; defaults: too little history to validate on")
    };
    let blend_score = score("blend", &blend_scores, &blend_tiebreak, chosen);
    Ok(Evaluation {
        grid,
        flagged: k,
        test_inside,
        test_outside: test.len() - test_inside,
        best_hits,
        models: vec![kde, counts, blend_score],
        blend,
        folds,
        kde_bandwidth: h,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_iso8601;

    #[test]
    fn top_cells_break_ties_by_index() {
        let set = |v: Vec<usize>| v.into_iter().collect::<std::collections::BTreeSet<_>>();
        assert_eq!(
            set(top_cells(&[1.0, 3.0, 3.0, 2.0, 3.0], &[0.0; 5], 2)),
            [1, 2].into()
        );
        assert_eq!(
            set(top_cells(
                &[1.0, 3.0, 3.0, 2.0, 3.0],
                &[0.0, 0.0, 0.1, 0.0, 0.2],
                2
            )),
            [2, 4].into()
        );
        assert_eq!(top_cells(&[1.0], &[0.0], 5), vec![0]);
        assert!(top_cells(&[], &[], 3).is_empty());
    }

    #[test]
    fn month_only_data_runs_on_a_month_clock() {
        let m = |s: &str| parse_iso8601(s).unwrap();
        let t = Timeline::of(&[m("2023-01"), m("2023-11")], &[m("2023-12")]).unwrap();
        assert_eq!(
            (t.unit, t.train_end - t.train[0], t.horizon),
            (TimeUnit::Month, 11.0, 1.0)
        );
        // Full timestamps at midnight on the 1st are month data too.
        let t = Timeline::of(
            &[m("2023-01-01T00:00:00Z")],
            &[m("2023-03-01T00:00:00Z"), m("2023-04-01")],
        )
        .unwrap();
        assert_eq!((t.unit, t.horizon), (TimeUnit::Month, 2.0));
        let t = Timeline::of(&[m("2023-01-05")], &[m("2023-02-01"), m("2023-02-07")]).unwrap();
        assert_eq!((t.unit, t.horizon), (TimeUnit::Day, 7.0));
        assert!(Timeline::of(&[], &[m("2023-01")]).is_err());
    }

    /// A city with a stable geography of crime and short bursts of repeats: the blend must find the bursts.
    #[test]
    fn the_blend_beats_the_kde_baseline_where_repeats_cluster_in_space_and_time() {
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        let mut uniform = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut events = Vec::new();
        // 400 days; a background over a 10 km square, denser in a centre; each day a few "bursts" at a random
        // spot that repeat nearby for the following two weeks.
        let mut bursts: Vec<(f64, f64, f64)> = Vec::new();
        for day in 0..400 {
            let t = f64::from(day);
            for _ in 0..6 {
                let (x, y) = if uniform() < 0.5 {
                    (4000.0 + uniform() * 2000.0, 4000.0 + uniform() * 2000.0)
                } else {
                    (uniform() * 10_000.0, uniform() * 10_000.0)
                };
                events.push(Event {
                    x,
                    y,
                    t: t + uniform(),
                });
            }
            if uniform() < 0.3 {
                bursts.push((uniform() * 10_000.0, uniform() * 10_000.0, t));
            }
            for &(bx, by, start) in bursts.iter().filter(|b| t - b.2 < 14.0 && t >= b.2) {
                let _ = start;
                for _ in 0..3 {
                    events.push(Event {
                        x: bx + (uniform() - 0.5) * 200.0,
                        y: by + (uniform() - 0.5) * 200.0,
                        t: t + uniform(),
                    });
                }
            }
        }
        let (train, test): (Vec<Event>, Vec<Event>) = events.iter().partition(|e| e.t < 393.0);
        let timeline = Timeline {
            unit: TimeUnit::Day,
            train: train.iter().map(|e| e.t).collect(),
            test: test.iter().map(|e| e.t).collect(),
            train_end: 393.0,
            horizon: 7.0,
        };
        let eval = evaluate(&train, &test, &timeline, 250.0, 0.05).unwrap();
        let pai = |name| eval.models.iter().find(|m| m.name == name).unwrap().pai;
        assert!(eval.folds == 6, "{eval:?}");
        assert!(pai("blend") >= 1.2 * pai("kde"), "{:#?}", eval.models);
        assert!(eval.blend.tau_days <= 30.0, "{}", eval.blend);
        for m in &eval.models {
            assert!(m.pei <= 1.0 + 1e-12 && m.pei >= 0.0);
        }
    }

    #[test]
    fn bad_parameters_are_refused() {
        let e = [
            Event {
                x: 0.0,
                y: 0.0,
                t: 0.0,
            },
            Event {
                x: 10.0,
                y: 10.0,
                t: 1.0,
            },
        ];
        let tl = Timeline {
            unit: TimeUnit::Day,
            train: vec![0.0, 1.0],
            test: vec![2.0],
            train_end: 2.0,
            horizon: 1.0,
        };
        for share in [0.0, 1.5, f64::NAN] {
            assert!(evaluate(&e, &e, &tl, 250.0, share)
                .unwrap_err()
                .to_string()
                .contains("area share"));
        }
        assert!(evaluate(&e, &e, &tl, 0.0, 0.05)
            .unwrap_err()
            .to_string()
            .contains("cell size"));
        let far = [Event {
            x: 1e6,
            y: 1e6,
            t: 2.0,
        }];
        assert!(evaluate(&e, &far, &tl, 250.0, 0.05)
            .unwrap_err()
            .to_string()
            .contains("none of the 1 test events"));
    }
}
