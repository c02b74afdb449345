//! Unsigned LEB128 varints, as PMTiles directories store every number (the protobuf encoding).

use crate::PmTilesError;

/// Appends `value` as a varint.
pub fn write(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads varints from a byte slice; running off its end or past 64 bits is [`PmTilesError::BadDirectory`].
#[derive(Debug, Clone)]
pub struct Varints<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Varints<'a> {
    /// Reads from the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Varints<'a> {
        Varints { bytes, at: 0 }
    }

    /// The next varint.
    pub fn next_u64(&mut self) -> Result<u64, PmTilesError> {
        let mut value = 0_u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.at).ok_or(PmTilesError::BadDirectory)?;
            self.at += 1;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(PmTilesError::BadDirectory);
            }
            value |= bits << shift;
            if byte < 0x80 {
                return Ok(value);
            }
        }
        Err(PmTilesError::BadDirectory)
    }

    /// How many bytes are left.
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_match_the_protobuf_examples_and_round_trip() {
        let mut out = Vec::new();
        write(&mut out, 300);
        assert_eq!(out, [0xac, 0x02]);
        let values = [0, 1, 127, 128, 300, 16_384, u64::from(u32::MAX), u64::MAX];
        let mut out = Vec::new();
        for v in values {
            write(&mut out, v);
        }
        let mut reader = Varints::new(&out);
        for v in values {
            assert_eq!(reader.next_u64(), Ok(v));
        }
        assert_eq!(reader.remaining(), 0);
        assert_eq!(reader.next_u64(), Err(PmTilesError::BadDirectory));
    }

    #[test]
    fn overlong_and_unfinished_varints_are_refused() {
        assert_eq!(Varints::new(&[0x80]).next_u64(), Err(PmTilesError::BadDirectory));
        assert_eq!(
            Varints::new(&[0xff; 11]).next_u64(),
            Err(PmTilesError::BadDirectory)
        );
        let mut too_big = vec![0xff; 9];
        too_big.push(0x02);
        assert_eq!(Varints::new(&too_big).next_u64(), Err(PmTilesError::BadDirectory));
    }
}
