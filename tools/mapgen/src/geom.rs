//! Planar geometry for tiling: Web Mercator projection, Douglas–Peucker simplification, clipping of
//! rings and lines to a tile's rectangle, and ring orientation as vector tiles want it.

use crate::mvt::TilePoint;

/// A point in projected coordinates (Web Mercator, the world as the unit square, y down) or, after
/// scaling, in pixel units of one zoom level.
pub type Point = [f64; 2];

/// Latitude limit of Web Mercator.
const MAX_LATITUDE: f64 = 85.051_128_78;

/// Projects longitude/latitude (degrees) onto the unit square, y growing southwards.
pub fn project(lon: f64, lat: f64) -> Point {
    let lat = lat.clamp(-MAX_LATITUDE, MAX_LATITUDE).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    [x, y]
}

/// West, north, east, south of some points (min x, min y, max x, max y).
pub fn bounds(points: &[Point]) -> [f64; 4] {
    points.iter().fold(
        [f64::MAX, f64::MAX, f64::MIN, f64::MIN],
        |[x0, y0, x1, y1], [x, y]| [x0.min(*x), y0.min(*y), x1.max(*x), y1.max(*y)],
    )
}

/// Douglas–Peucker: drops points closer than `tolerance` to the simplified line. The first and last
/// points are kept.
pub fn simplify(points: &[Point], tolerance: f64) -> Vec<Point> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0, points.len() - 1)];
    let squared = tolerance * tolerance;
    while let Some((first, last)) = stack.pop() {
        let mut farthest = (0.0, 0);
        for i in first + 1..last {
            let distance = segment_distance_squared(points[i], points[first], points[last]);
            if distance > farthest.0 {
                farthest = (distance, i);
            }
        }
        if farthest.0 > squared {
            keep[farthest.1] = true;
            stack.push((first, farthest.1));
            stack.push((farthest.1, last));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

fn segment_distance_squared(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let length = dx * dx + dy * dy;
    let t = if length == 0.0 {
        0.0
    } else {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length).clamp(0.0, 1.0)
    };
    let (x, y) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
    x * x + y * y
}

/// An axis-aligned rectangle: min x, min y, max x, max y.
pub type Rect = [f64; 4];

/// Sutherland–Hodgman: the part of a closed ring inside `rect` (a ring wholly around the rectangle
/// becomes the rectangle).
pub fn clip_ring(ring: &[Point], rect: Rect) -> Vec<Point> {
    let mut output = ring.to_vec();
    for edge in 0..4 {
        if output.is_empty() {
            break;
        }
        let input = std::mem::take(&mut output);
        let inside = |p: &Point| match edge {
            0 => p[0] >= rect[0],
            1 => p[1] >= rect[1],
            2 => p[0] <= rect[2],
            _ => p[1] <= rect[3],
        };
        let intersect = |a: Point, b: Point| {
            let (axis, value) = match edge {
                0 => (0, rect[0]),
                1 => (1, rect[1]),
                2 => (0, rect[2]),
                _ => (1, rect[3]),
            };
            let t = (value - a[axis]) / (b[axis] - a[axis]);
            let mut p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
            p[axis] = value;
            p
        };
        let mut previous = input[input.len() - 1];
        for &current in &input {
            match (inside(&current), inside(&previous)) {
                (true, true) => output.push(current),
                (true, false) => {
                    output.push(intersect(previous, current));
                    output.push(current);
                }
                (false, true) => output.push(intersect(previous, current)),
                (false, false) => {}
            }
            previous = current;
        }
    }
    output
}

/// The parts of a line inside `rect` (Liang–Barsky on each segment, joining consecutive pieces).
pub fn clip_line(line: &[Point], rect: Rect) -> Vec<Vec<Point>> {
    let mut pieces: Vec<Vec<Point>> = Vec::new();
    let mut current: Vec<Point> = Vec::new();
    for segment in line.windows(2) {
        let Some((a, b)) = clip_segment(segment[0], segment[1], rect) else {
            if current.len() > 1 {
                pieces.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        };
        if current.last() != Some(&a) {
            if current.len() > 1 {
                pieces.push(std::mem::take(&mut current));
            }
            current.clear();
            current.push(a);
        }
        current.push(b);
        if b != segment[1] {
            pieces.push(std::mem::take(&mut current));
        }
    }
    if current.len() > 1 {
        pieces.push(current);
    }
    pieces
}

fn clip_segment(a: Point, b: Point, rect: Rect) -> Option<(Point, Point)> {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-dx, a[0] - rect[0]),
        (dx, rect[2] - a[0]),
        (-dy, a[1] - rect[1]),
        (dy, rect[3] - a[1]),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            [a[0] + t * dx, a[1] + t * dy]
        }
    };
    Some((at(t0), at(t1)))
}

/// Rounds to whole tile units relative to `origin`, dropping repeated points.
pub fn to_tile(points: &[Point], origin: Point) -> Vec<TilePoint> {
    let mut out: Vec<TilePoint> = Vec::with_capacity(points.len());
    for p in points {
        let q = [
            (p[0] - origin[0]).round() as i32,
            (p[1] - origin[1]).round() as i32,
        ];
        if out.last() != Some(&q) {
            out.push(q);
        }
    }
    out
}

/// Twice the signed area of a ring in tile coordinates (positive = clockwise on screen).
pub fn signed_area(ring: &[TilePoint]) -> i64 {
    let mut sum = 0_i64;
    for (i, a) in ring.iter().enumerate() {
        let b = ring[(i + 1) % ring.len()];
        sum += i64::from(a[0]) * i64::from(b[1]) - i64::from(b[0]) * i64::from(a[1]);
    }
    sum
}

/// Orients a ring: exterior rings get a positive area, holes a negative one.
pub fn orient(mut ring: Vec<TilePoint>, exterior: bool) -> Vec<TilePoint> {
    if ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    if (signed_area(&ring) > 0) != exterior {
        ring.reverse();
    }
    ring
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_puts_null_island_in_the_middle_and_north_up() {
        assert_eq!(project(0.0, 0.0), [0.5, 0.5]);
        let jakarta = project(106.8, -6.2);
        assert!(jakarta[0] > 0.79 && jakarta[1] > 0.5 && jakarta[1] < 0.52);
    }

    #[test]
    fn simplify_drops_points_on_a_straight_line() {
        let line = [[0.0, 0.0], [1.0, 0.01], [2.0, 0.0], [3.0, 5.0]];
        assert_eq!(simplify(&line, 0.1), vec![[0.0, 0.0], [2.0, 0.0], [3.0, 5.0]]);
    }

    #[test]
    fn a_ring_around_the_tile_clips_to_the_tile() {
        let ring = [[-10.0, -10.0], [20.0, -10.0], [20.0, 20.0], [-10.0, 20.0]];
        let clipped = clip_ring(&ring, [0.0, 0.0, 10.0, 10.0]);
        let tile = orient(to_tile(&clipped, [0.0, 0.0]), true);
        assert_eq!(tile.len(), 4);
        assert_eq!(signed_area(&tile), 200);
        assert!(clip_ring(&ring, [30.0, 30.0, 40.0, 40.0]).is_empty());
    }

    #[test]
    fn a_line_crossing_the_tile_twice_becomes_two_pieces() {
        let line = [
            [-5.0, 2.0],
            [5.0, 2.0],
            [15.0, 2.0],
            [15.0, 8.0],
            [5.0, 8.0],
            [-5.0, 8.0],
        ];
        let pieces = clip_line(&line, [0.0, 0.0, 10.0, 10.0]);
        assert_eq!(
            pieces,
            vec![
                vec![[0.0, 2.0], [5.0, 2.0], [10.0, 2.0]],
                vec![[10.0, 8.0], [5.0, 8.0], [0.0, 8.0]]
            ]
        );
    }
}
