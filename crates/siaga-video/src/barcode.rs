//! The barcode in every test frame: the frame's number and its capture time (Unix ms), with a CRC, as a grid of
//! black and white 8×8 blocks in the top-left corner. It survives VP8 at the bitrates a call uses, and reads
//! back from any picture the frame became — the decoder's I420 planes or the desk's canvas (RGBA) — through a
//! function that gives a pixel's brightness. A picture whose CRC does not match reads as `None`, never as a
//! wrong number.

/// Side of one block, in pixels.
pub const BLOCK: usize = 8;
/// Blocks per row.
const PER_ROW: usize = 32;
/// Bits: 32 frame number, 48 capture time, 16 CRC.
const BITS: usize = 96;
/// Top-left corner of the grid.
const ORIGIN: usize = BLOCK;
/// The smallest picture the barcode fits in.
pub const MIN_WIDTH: usize = ORIGIN + PER_ROW * BLOCK + BLOCK;
/// The smallest picture height.
pub const MIN_HEIGHT: usize = ORIGIN + BITS.div_ceil(PER_ROW) * BLOCK + BLOCK;

/// What a frame carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// The frame's number, from 0.
    pub frame: u32,
    /// When it was captured (Unix ms; 48 bits).
    pub capture_ms: u64,
}

/// CRC-16/CCITT-FALSE.
fn crc16(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0xffff;
    for &byte in bytes {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

fn payload(stamp: Stamp) -> [u8; 10] {
    let mut bytes = [0u8; 10];
    bytes[..4].copy_from_slice(&stamp.frame.to_be_bytes());
    bytes[4..].copy_from_slice(&stamp.capture_ms.to_be_bytes()[2..]);
    bytes
}

fn bits(stamp: Stamp) -> [bool; BITS] {
    let payload = payload(stamp);
    let crc = crc16(&payload).to_be_bytes();
    let mut out = [false; BITS];
    for (i, bit) in out.iter_mut().enumerate() {
        let byte = if i < 80 { payload[i / 8] } else { crc[(i - 80) / 8] };
        *bit = byte & (0x80 >> (i % 8)) != 0;
    }
    out
}

/// The block of bit `i`: its top-left pixel.
fn block_at(i: usize) -> (usize, usize) {
    (ORIGIN + (i % PER_ROW) * BLOCK, ORIGIN + (i / PER_ROW) * BLOCK)
}

/// Draws `stamp` into a luma plane of `width`×`height` with `stride` bytes a row (the chroma planes are left
/// as they are; grey chroma under the grid keeps it black and white). A picture smaller than
/// [`MIN_WIDTH`]×[`MIN_HEIGHT`] is left unchanged.
pub fn stamp_luma(luma: &mut [u8], width: usize, height: usize, stride: usize, stamp: Stamp) {
    if width < MIN_WIDTH || height < MIN_HEIGHT || luma.len() < stride * height {
        return;
    }
    for (i, bit) in bits(stamp).iter().enumerate() {
        let (x0, y0) = block_at(i);
        let value = if *bit { 235 } else { 16 };
        for y in y0..y0 + BLOCK {
            luma[y * stride + x0..y * stride + x0 + BLOCK].fill(value);
        }
    }
}

/// Reads a stamp back from a picture of `width`×`height`, given each pixel's brightness (0–255) by
/// `brightness(x, y)`: each block's inner 4×4 pixels averaged against mid-grey. `None` when the picture is too
/// small or the CRC does not match.
pub fn read(width: usize, height: usize, brightness: impl Fn(usize, usize) -> u8) -> Option<Stamp> {
    if width < MIN_WIDTH || height < MIN_HEIGHT {
        return None;
    }
    let mut bytes = [0u8; 12];
    for i in 0..BITS {
        let (x0, y0) = block_at(i);
        let mut sum = 0u32;
        for y in y0 + 2..y0 + BLOCK - 2 {
            for x in x0 + 2..x0 + BLOCK - 2 {
                sum += u32::from(brightness(x, y));
            }
        }
        if sum / 16 >= 128 {
            bytes[i / 8] |= 0x80 >> (i % 8);
        }
    }
    let payload: [u8; 10] = bytes[..10].try_into().ok()?;
    if crc16(&payload) != u16::from_be_bytes([bytes[10], bytes[11]]) {
        return None;
    }
    let mut ms = [0u8; 8];
    ms[2..].copy_from_slice(&payload[4..]);
    Some(Stamp {
        frame: u32::from_be_bytes(payload[..4].try_into().ok()?),
        capture_ms: u64::from_be_bytes(ms),
    })
}

/// Reads a stamp from RGBA pixels (`width`×`height`, 4 bytes a pixel, rows packed), e.g. a canvas's
/// `getImageData`.
pub fn read_rgba(rgba: &[u8], width: usize, height: usize) -> Option<Stamp> {
    if rgba.len() < width * height * 4 {
        return None;
    }
    read(width, height, |x, y| {
        let i = (y * width + x) * 4;
        ((u16::from(rgba[i]) + u16::from(rgba[i + 1]) + u16::from(rgba[i + 2])) / 3) as u8
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_reads_back_from_luma_and_from_rgba() {
        let (w, h) = (320, 240);
        let mut luma = vec![100u8; w * h];
        let stamp = Stamp {
            frame: 123_456,
            capture_ms: 1_796_353_200_123,
        };
        stamp_luma(&mut luma, w, h, w, stamp);
        assert_eq!(read(w, h, |x, y| luma[y * w + x]), Some(stamp));
        let rgba: Vec<u8> = luma.iter().flat_map(|&l| [l, l, l, 255]).collect();
        assert_eq!(read_rgba(&rgba, w, h), Some(stamp));
    }

    #[test]
    fn noise_keeps_the_reading_and_a_wrong_bit_is_refused_not_misread() {
        let (w, h) = (320, 240);
        let mut luma = vec![128u8; w * h];
        let stamp = Stamp {
            frame: 7,
            capture_ms: 42,
        };
        stamp_luma(&mut luma, w, h, w, stamp);
        // Codec-like noise of ±40 on every pixel.
        let noisy: Vec<u8> = luma
            .iter()
            .enumerate()
            .map(|(i, &l)| (i32::from(l) + ((i * 7919) % 81) as i32 - 40).clamp(0, 255) as u8)
            .collect();
        assert_eq!(read(w, h, |x, y| noisy[y * w + x]), Some(stamp));
        // One block flipped: the CRC refuses it.
        let mut flipped = luma.clone();
        let (x0, y0) = block_at(3);
        for y in y0..y0 + BLOCK {
            for x in x0..x0 + BLOCK {
                flipped[y * w + x] = 255 - flipped[y * w + x];
            }
        }
        assert_eq!(read(w, h, |x, y| flipped[y * w + x]), None);
        // A plain picture is no stamp.
        assert_eq!(read(w, h, |_, _| 128), None);
        assert_eq!(read(100, 100, |_, _| 0), None);
    }
}
