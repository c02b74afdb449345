//! Mapbox Vector Tile 2.1 encoding: layers of features whose geometry is already in tile coordinates
//! (0..[`EXTENT`], y down), with deduplicated property keys and values.

use crate::protobuf::{zigzag, Message};
use std::collections::HashMap;

/// Tile coordinate units per tile side.
pub const EXTENT: u32 = 4096;

/// A point in tile coordinates.
pub type TilePoint = [i32; 2];

/// The geometry of one feature, in tile coordinates.
#[derive(Debug, Clone, PartialEq)]
pub enum Geometry {
    /// One or more points.
    Points(Vec<TilePoint>),
    /// One or more line strings (each at least two points).
    Lines(Vec<Vec<TilePoint>>),
    /// Rings (not closed: the first point is not repeated), exterior rings with positive area in
    /// tile coordinates (clockwise on screen), each followed by its holes (negative area).
    Polygons(Vec<Vec<TilePoint>>),
}

/// A property value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A flag.
    Bool(bool),
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::Text(text.to_owned())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::Text(text)
    }
}

impl From<i64> for Value {
    fn from(number: i64) -> Value {
        Value::Int(number)
    }
}

impl From<bool> for Value {
    fn from(flag: bool) -> Value {
        Value::Bool(flag)
    }
}

/// One layer of a tile under construction.
#[derive(Debug)]
pub struct Layer {
    name: String,
    keys: Vec<String>,
    key_index: HashMap<String, u32>,
    values: Vec<Value>,
    value_index: HashMap<Value, u32>,
    features: Vec<Message>,
}

impl Layer {
    /// An empty layer named `name`.
    pub fn new(name: &str) -> Layer {
        Layer {
            name: name.to_owned(),
            keys: Vec::new(),
            key_index: HashMap::new(),
            values: Vec::new(),
            value_index: HashMap::new(),
            features: Vec::new(),
        }
    }

    /// Whether no feature was added.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// Adds a feature; a geometry with nothing left in it is skipped.
    pub fn add(&mut self, geometry: &Geometry, properties: &[(&str, Value)]) {
        let (kind, commands) = match geometry {
            Geometry::Points(points) if !points.is_empty() => (1, encode_points(points)),
            Geometry::Lines(lines) if !lines.is_empty() => (2, encode_paths(lines, false)),
            Geometry::Polygons(rings) if !rings.is_empty() => (3, encode_paths(rings, true)),
            _ => return,
        };
        let mut tags = Vec::with_capacity(properties.len() * 2);
        for (key, value) in properties {
            tags.push(self.key(key));
            tags.push(self.value(value));
        }
        let mut feature = Message::new();
        feature.packed(2, &tags);
        feature.uint(3, kind);
        feature.packed(4, &commands);
        self.features.push(feature);
    }

    fn key(&mut self, key: &str) -> u32 {
        if let Some(&index) = self.key_index.get(key) {
            return index;
        }
        let index = self.keys.len() as u32;
        self.keys.push(key.to_owned());
        self.key_index.insert(key.to_owned(), index);
        index
    }

    fn value(&mut self, value: &Value) -> u32 {
        if let Some(&index) = self.value_index.get(value) {
            return index;
        }
        let index = self.values.len() as u32;
        self.values.push(value.clone());
        self.value_index.insert(value.clone(), index);
        index
    }

    fn encode(self) -> Message {
        let mut layer = Message::new();
        layer.uint(15, 2);
        layer.bytes(1, self.name.as_bytes());
        for feature in self.features {
            layer.message(2, feature);
        }
        for key in &self.keys {
            layer.bytes(3, key.as_bytes());
        }
        for value in &self.values {
            let mut encoded = Message::new();
            match value {
                Value::Text(text) => encoded.bytes(1, text.as_bytes()),
                Value::Int(number) => encoded.sint(6, *number),
                Value::Bool(flag) => encoded.uint(7, u64::from(*flag)),
            }
            layer.message(4, encoded);
        }
        layer.uint(5, u64::from(EXTENT));
        layer
    }
}

/// Encodes layers into one tile; empty layers are left out.
pub fn encode_tile(layers: Vec<Layer>) -> Vec<u8> {
    let mut tile = Message::new();
    for layer in layers.into_iter().filter(|l| !l.is_empty()) {
        tile.message(3, layer.encode());
    }
    tile.into_bytes()
}

const MOVE_TO: u32 = 1;
const LINE_TO: u32 = 2;
const CLOSE_PATH: u32 = 7;

fn command(id: u32, count: usize) -> u32 {
    (id & 0x7) | ((count as u32) << 3)
}

fn delta(cursor: &mut TilePoint, point: TilePoint, out: &mut Vec<u32>) {
    out.push(zigzag(i64::from(point[0] - cursor[0])) as u32);
    out.push(zigzag(i64::from(point[1] - cursor[1])) as u32);
    *cursor = point;
}

fn encode_points(points: &[TilePoint]) -> Vec<u32> {
    let mut out = vec![command(MOVE_TO, points.len())];
    let mut cursor = [0, 0];
    for &point in points {
        delta(&mut cursor, point, &mut out);
    }
    out
}

fn encode_paths(paths: &[Vec<TilePoint>], closed: bool) -> Vec<u32> {
    let mut out = Vec::new();
    let mut cursor = [0, 0];
    for path in paths {
        let Some((&first, rest)) = path.split_first() else {
            continue;
        };
        out.push(command(MOVE_TO, 1));
        delta(&mut cursor, first, &mut out);
        out.push(command(LINE_TO, rest.len()));
        for &point in rest {
            delta(&mut cursor, point, &mut out);
        }
        if closed {
            out.push(command(CLOSE_PATH, 1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_commands_follow_the_spec_examples() {
        // MVT 2.1 §4.3.5: a point at (25, 17).
        assert_eq!(encode_points(&[[25, 17]]), [9, 50, 34]);
        // A line string (2,2) → (2,10) → (10,10).
        assert_eq!(
            encode_paths(&[vec![[2, 2], [2, 10], [10, 10]]], false),
            [9, 4, 4, 18, 0, 16, 16, 0]
        );
        // A polygon (3,6) → (8,12) → (20,34), closed.
        assert_eq!(
            encode_paths(&[vec![[3, 6], [8, 12], [20, 34]]], true),
            [9, 6, 12, 18, 10, 12, 24, 44, 15]
        );
    }

    #[test]
    fn keys_and_values_are_shared_between_features() {
        let mut layer = Layer::new("place");
        layer.add(&Geometry::Points(vec![[1, 1]]), &[("kind", "station".into())]);
        layer.add(&Geometry::Points(vec![[2, 2]]), &[("kind", "station".into())]);
        layer.add(&Geometry::Points(vec![]), &[("kind", "empty".into())]);
        assert_eq!((layer.keys.len(), layer.values.len()), (1, 1));
        assert_eq!(layer.features.len(), 2);
        assert!(!encode_tile(vec![layer]).is_empty());
        assert!(encode_tile(vec![Layer::new("nothing")]).is_empty());
    }
}
