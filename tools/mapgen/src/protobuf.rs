//! The few protocol-buffer wire-format primitives that vector tiles and glyph PBFs need (varints,
//! length-delimited fields, packed repeated integers), so no code generator is involved.

/// A protobuf message being written.
#[derive(Debug, Default)]
pub struct Message {
    bytes: Vec<u8>,
}

const VARINT: u32 = 0;
const LENGTH_DELIMITED: u32 = 2;

impl Message {
    /// An empty message.
    pub fn new() -> Message {
        Message::default()
    }

    /// The encoded bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    fn key(&mut self, field: u32, wire_type: u32) {
        write_varint(&mut self.bytes, u64::from((field << 3) | wire_type));
    }

    /// An unsigned integer field (`uint32`, `uint64`, enums).
    pub fn uint(&mut self, field: u32, value: u64) {
        self.key(field, VARINT);
        write_varint(&mut self.bytes, value);
    }

    /// A zigzag-encoded signed integer field (`sint32`, `sint64`).
    pub fn sint(&mut self, field: u32, value: i64) {
        self.uint(field, zigzag(value));
    }

    /// A `bytes` or `string` field.
    pub fn bytes(&mut self, field: u32, value: &[u8]) {
        self.key(field, LENGTH_DELIMITED);
        write_varint(&mut self.bytes, value.len() as u64);
        self.bytes.extend_from_slice(value);
    }

    /// An embedded message field.
    pub fn message(&mut self, field: u32, value: Message) {
        self.bytes(field, &value.bytes);
    }

    /// A packed repeated `uint32` field (nothing is written for an empty list).
    pub fn packed(&mut self, field: u32, values: &[u32]) {
        if values.is_empty() {
            return;
        }
        let mut packed = Vec::with_capacity(values.len() * 2);
        for &value in values {
            write_varint(&mut packed, u64::from(value));
        }
        self.bytes(field, &packed);
    }
}

/// Appends `value` as a base-128 varint (the same encoding PMTiles directories use).
pub use siaga_pmtiles::varint::write as write_varint;

/// Maps signed to unsigned so small magnitudes stay small: 0, -1, 1, -2 → 0, 1, 2, 3.
pub fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_zigzag_match_the_protobuf_examples() {
        let mut out = Vec::new();
        write_varint(&mut out, 300);
        assert_eq!(out, [0xac, 0x02]);
        assert_eq!([0, -1, 1, -2, 2147483647].map(zigzag), [0, 1, 2, 3, 4294967294]);
    }

    #[test]
    fn fields_carry_their_number_and_wire_type() {
        let mut message = Message::new();
        message.uint(1, 150);
        message.bytes(2, b"testing");
        assert_eq!(
            message.into_bytes(),
            [0x08, 0x96, 0x01, 0x12, 0x07, b't', b'e', b's', b't', b'i', b'n', b'g']
        );
    }
}
