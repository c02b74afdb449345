//! The map's sprite: signed-distance-field (SDF) icons of simple shapes, so one icon takes any colour
//! the style gives it (the UI colours incidents by priority and picks a shape per category family).
//! Written as MapLibre sprite sheets `sprite/siaga.{json,png}` and `sprite/siaga@2x.{json,png}`.

use anyhow::{Context, Result};
use std::path::Path;

/// The icons, by name: a shape each.
pub const ICONS: [(&str, Shape); 8] = [
    ("shape-dot", Shape::Circle { radius: 0.55 }),
    (
        "shape-square",
        Shape::Polygon(&[(-0.8, -0.8), (0.8, -0.8), (0.8, 0.8), (-0.8, 0.8)]),
    ),
    (
        "shape-diamond",
        Shape::Polygon(&[(0.0, -1.0), (1.0, 0.0), (0.0, 1.0), (-1.0, 0.0)]),
    ),
    (
        "shape-triangle",
        Shape::Polygon(&[(0.0, -1.0), (0.95, 0.75), (-0.95, 0.75)]),
    ),
    (
        "shape-cross",
        Shape::Polygon(&[
            (-0.3, -1.0),
            (0.3, -1.0),
            (0.3, -0.3),
            (1.0, -0.3),
            (1.0, 0.3),
            (0.3, 0.3),
            (0.3, 1.0),
            (-0.3, 1.0),
            (-0.3, 0.3),
            (-1.0, 0.3),
            (-1.0, -0.3),
            (-0.3, -0.3),
        ]),
    ),
    (
        "shape-star",
        Shape::Polygon(&[
            (0.0, -1.0),
            (0.235, -0.324),
            (0.951, -0.309),
            (0.38, 0.124),
            (0.588, 0.809),
            (0.0, 0.4),
            (-0.588, 0.809),
            (-0.38, 0.124),
            (-0.951, -0.309),
            (-0.235, -0.324),
        ]),
    ),
    (
        "shape-hexagon",
        Shape::Polygon(&[
            (0.0, -1.0),
            (0.866, -0.5),
            (0.866, 0.5),
            (0.0, 1.0),
            (-0.866, 0.5),
            (-0.866, -0.5),
        ]),
    ),
    (
        "shape-ring",
        Shape::Ring {
            radius: 0.75,
            width: 0.3,
        },
    ),
];

/// A shape in a unit box (-1…1 on both axes, y down).
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    Circle { radius: f64 },
    Ring { radius: f64, width: f64 },
    Polygon(&'static [(f64, f64)]),
}

/// Icon cell and shape size at pixel ratio 1: the shape spans `2 * SHAPE_HALF` pixels, the rest of the
/// cell holds the distance field's falloff.
const CELL: u32 = 32;
const SHAPE_HALF: f64 = 10.0;
/// Distance (pixels at ratio 1) the field spans outside the edge, as MapLibre's own SDF glyphs.
const SPREAD: f64 = 8.0;
/// Field value at the edge, as a fraction (MapLibre cuts SDF icons at 0.75).
const EDGE: f64 = 0.75;

impl Shape {
    /// Signed distance from `(x, y)` (unit box) to the edge: negative inside.
    fn distance(self, x: f64, y: f64) -> f64 {
        match self {
            Shape::Circle { radius } => x.hypot(y) - radius,
            Shape::Ring { radius, width } => (x.hypot(y) - radius).abs() - width / 2.0,
            Shape::Polygon(points) => {
                let mut nearest = f64::INFINITY;
                let mut inside = false;
                for (i, &(ax, ay)) in points.iter().enumerate() {
                    let (bx, by) = points[(i + 1) % points.len()];
                    let (ex, ey) = (bx - ax, by - ay);
                    let t = (((x - ax) * ex + (y - ay) * ey) / (ex * ex + ey * ey)).clamp(0.0, 1.0);
                    nearest = nearest.min((x - ax - ex * t).hypot(y - ay - ey * t));
                    if (ay > y) != (by > y) && x < ax + (y - ay) * ex / ey {
                        inside = !inside;
                    }
                }
                if inside {
                    -nearest
                } else {
                    nearest
                }
            }
        }
    }
}

/// The alpha bytes of one icon at `ratio`, row by row.
fn render(shape: Shape, ratio: u32) -> Vec<u8> {
    let size = CELL * ratio;
    let scale = SHAPE_HALF * f64::from(ratio);
    let spread = SPREAD * f64::from(ratio);
    let centre = f64::from(size) / 2.0;
    let mut alpha = Vec::with_capacity((size * size) as usize);
    for row in 0..size {
        for col in 0..size {
            let x = (f64::from(col) + 0.5 - centre) / scale;
            let y = (f64::from(row) + 0.5 - centre) / scale;
            let pixels = shape.distance(x, y) * scale;
            let value = (EDGE - pixels / spread * EDGE).clamp(0.0, 1.0);
            alpha.push((value * 255.0).round() as u8);
        }
    }
    alpha
}

/// Writes both sprite sheets into `out/sprite/`.
pub fn write(out: &Path) -> Result<()> {
    let dir = out.join("sprite");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    for ratio in [1u32, 2] {
        let cell = CELL * ratio;
        let width = cell * ICONS.len() as u32;
        let mut rgba = vec![0u8; (width * cell * 4) as usize];
        let mut index = serde_json::Map::new();
        for (n, (name, shape)) in ICONS.iter().enumerate() {
            let alpha = render(*shape, ratio);
            let left = n as u32 * cell;
            for row in 0..cell {
                for col in 0..cell {
                    let at = ((row * width + left + col) * 4) as usize;
                    // White with the field in alpha: MapLibre reads SDF icons from the alpha channel.
                    rgba[at..at + 3].fill(255);
                    rgba[at + 3] = alpha[(row * cell + col) as usize];
                }
            }
            index.insert(
                (*name).to_owned(),
                serde_json::json!({"x": left, "y": 0, "width": cell, "height": cell, "pixelRatio": ratio, "sdf": true}),
            );
        }
        let stem = if ratio == 1 {
            "siaga".to_owned()
        } else {
            format!("siaga@{ratio}x")
        };
        let mut png = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut png, width, cell);
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header()?;
            writer.write_image_data(&rgba)?;
        }
        std::fs::write(dir.join(format!("{stem}.png")), png)?;
        std::fs::write(
            dir.join(format!("{stem}.json")),
            serde_json::to_string_pretty(&serde_json::Value::Object(index))?,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_inside_at_their_centre_and_outside_at_the_corner() {
        for (name, shape) in ICONS {
            let centre = shape.distance(0.0, 0.0);
            let corner = shape.distance(1.4, 1.4);
            if name == "shape-ring" {
                assert!(centre > 0.0, "a ring is hollow");
            } else {
                assert!(centre < 0.0, "{name} centre");
            }
            assert!(corner > 0.0, "{name} corner");
            let alpha = render(shape, 1);
            assert_eq!(alpha.len(), (CELL * CELL) as usize);
            assert_eq!(alpha[0], 0, "{name}: the cell's corner is empty");
        }
    }

    #[test]
    fn the_field_crosses_the_edge_value_on_the_edge() {
        let square = ICONS[1].1;
        // The square's right edge is at x = 0.8 (unit box).
        assert!(square.distance(0.8, 0.0).abs() < 1e-9);
        let alpha = render(Shape::Circle { radius: 0.55 }, 2);
        let centre = (CELL * 2 / 2) as usize;
        let row = &alpha[centre * (CELL * 2) as usize..(centre + 1) * (CELL * 2) as usize];
        assert_eq!(row[centre], 255, "deep inside is full");
        assert!(
            row.windows(2).any(|w| w[0] < 191 && w[1] >= 191),
            "an edge at 0.75"
        );
    }
}
