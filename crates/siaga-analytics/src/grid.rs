//! The metric grid analyses are binned on: square cells of a chosen size over the data's extent in UTM metres.
//!
//! Cells are numbered row by row from the south-west corner (`index = row * columns + column`). The extent is the
//! points' bounding box with a sliver of outliers trimmed ([`Grid::covering`] takes the share to trim on each
//! side), so one mistyped coordinate a thousand kilometres away does not stretch the grid over the sea.

use crate::AnalyticsError;

/// More cells than this (e.g. a whole country at 50 m) is refused with a hint to use larger cells.
pub const MAX_CELLS: usize = 40_000_000;

/// A grid of square cells in a projected plane (metres).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    /// South-west corner.
    pub x0: f64,
    pub y0: f64,
    /// Cell side in metres.
    pub cell: f64,
    pub columns: usize,
    pub rows: usize,
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let at = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

impl Grid {
    /// A grid over the points' extent, `trim` (e.g. 0.001) of them cut off on each side of each axis first.
    pub fn covering(points: &[(f64, f64)], cell: f64, trim: f64) -> Result<Self, AnalyticsError> {
        if !(cell.is_finite() && cell > 0.0) {
            return Err(AnalyticsError::Parameter(format!(
                "the cell size must be a positive number of metres, not {cell}"
            )));
        }
        if points.is_empty() {
            return Err(AnalyticsError::Empty("no points to lay a grid over".into()));
        }
        let mut xs: Vec<f64> = points.iter().map(|p| p.0).collect();
        let mut ys: Vec<f64> = points.iter().map(|p| p.1).collect();
        xs.sort_unstable_by(f64::total_cmp);
        ys.sort_unstable_by(f64::total_cmp);
        let (min_x, max_x) = (quantile(&xs, trim), quantile(&xs, 1.0 - trim));
        let (min_y, max_y) = (quantile(&ys, trim), quantile(&ys, 1.0 - trim));
        let x0 = (min_x / cell).floor() * cell;
        let y0 = (min_y / cell).floor() * cell;
        let columns = (((max_x - x0) / cell).floor() as usize) + 1;
        let rows = (((max_y - y0) / cell).floor() as usize) + 1;
        let grid = Self {
            x0,
            y0,
            cell,
            columns,
            rows,
        };
        if columns.saturating_mul(rows) > MAX_CELLS {
            return Err(AnalyticsError::Parameter(format!(
                "{columns} × {rows} cells of {cell} m is more than {MAX_CELLS} cells: use larger cells (the data spans {:.0} × {:.0} km)",
                (max_x - min_x) / 1000.0,
                (max_y - min_y) / 1000.0
            )));
        }
        Ok(grid)
    }

    pub fn len(&self) -> usize {
        self.columns * self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cell holding a point, `None` outside the grid.
    pub fn cell_of(&self, x: f64, y: f64) -> Option<usize> {
        let cx = ((x - self.x0) / self.cell).floor();
        let cy = ((y - self.y0) / self.cell).floor();
        (cx >= 0.0 && cy >= 0.0 && (cx as usize) < self.columns && (cy as usize) < self.rows)
            .then(|| cy as usize * self.columns + cx as usize)
    }

    /// Column and row of a cell index.
    pub fn column_row(&self, index: usize) -> (usize, usize) {
        (index % self.columns, index / self.columns)
    }

    /// Centre of a cell in metres.
    pub fn centre(&self, index: usize) -> (f64, f64) {
        let (c, r) = self.column_row(index);
        (
            self.x0 + (c as f64 + 0.5) * self.cell,
            self.y0 + (r as f64 + 0.5) * self.cell,
        )
    }

    /// Sum of the weights of the points in each cell (points outside the grid are left out).
    pub fn counts(&self, points: impl IntoIterator<Item = (f64, f64, f64)>) -> Vec<f64> {
        let mut out = vec![0.0; self.len()];
        for (x, y, w) in points {
            if let Some(i) = self.cell_of(x, y) {
                out[i] += w;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_fall_in_the_cell_that_contains_them() {
        let g = Grid::covering(&[(1000.0, 2000.0), (1999.0, 2499.0)], 250.0, 0.0).unwrap();
        assert_eq!((g.x0, g.y0, g.columns, g.rows), (1000.0, 2000.0, 4, 2));
        assert_eq!(g.cell_of(1000.0, 2000.0), Some(0));
        assert_eq!(g.cell_of(1999.0, 2499.0), Some(7));
        assert_eq!(g.cell_of(999.9, 2000.0), None);
        assert_eq!(g.centre(5), (1375.0, 2375.0));
        assert_eq!(
            g.counts([(1001.0, 2001.0, 1.0), (1002.0, 2002.0, 2.0), (0.0, 0.0, 5.0)])[0],
            3.0
        );
    }

    #[test]
    fn a_stray_point_does_not_stretch_the_grid_and_bad_cells_are_refused() {
        let mut pts: Vec<(f64, f64)> = (0..2000)
            .map(|i| (f64::from(i % 40) * 25.0, f64::from(i / 40) * 20.0))
            .collect();
        pts.push((5_000_000.0, 9_000_000.0));
        let g = Grid::covering(&pts, 100.0, 0.001).unwrap();
        assert!(g.columns <= 11 && g.rows <= 11, "{g:?}");
        for bad in [0.0, -5.0, f64::NAN] {
            assert!(Grid::covering(&pts, bad, 0.0)
                .unwrap_err()
                .to_string()
                .contains("cell size"));
        }
        let e = Grid::covering(&pts, 0.1, 0.001).unwrap_err().to_string();
        assert!(e.contains("use larger cells"), "{e}");
    }
}
