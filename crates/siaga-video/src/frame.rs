//! A raw picture in I420 (the planar 4:2:0 YUV that libvpx and WebCodecs speak) and the simulator's test
//! pattern: a moving colour gradient with the frame's [`Stamp`] drawn in, so every frame differs (the encoder
//! has real work) and carries its own number and capture time.

use crate::barcode::{self, Stamp};

/// An I420 picture with even width and height, planes packed (stride = width).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct I420Frame {
    /// Width in pixels (even).
    pub width: usize,
    /// Height in pixels (even).
    pub height: usize,
    /// Y, then U, then V: `width*height + 2*(width/2)*(height/2)` bytes.
    pub data: Vec<u8>,
}

impl I420Frame {
    /// A mid-grey picture; `None` for an odd or zero size.
    pub fn grey(width: usize, height: usize) -> Option<I420Frame> {
        if width == 0 || height == 0 || !width.is_multiple_of(2) || !height.is_multiple_of(2) {
            return None;
        }
        Some(I420Frame {
            width,
            height,
            data: vec![128; width * height * 3 / 2],
        })
    }

    /// The luma plane.
    pub fn luma(&self) -> &[u8] {
        &self.data[..self.width * self.height]
    }

    /// The test pattern's frame `stamp.frame`: a gradient moving two pixels a frame, chroma turning slowly,
    /// the stamp drawn in the corner (on grey chroma).
    pub fn test_pattern(width: usize, height: usize, stamp: Stamp) -> Option<I420Frame> {
        let mut frame = I420Frame::grey(width, height)?;
        let shift = (stamp.frame as usize * 2) % width.max(1);
        let (luma, chroma) = frame.data.split_at_mut(width * height);
        for y in 0..height {
            for x in 0..width {
                luma[y * width + x] = (((x + shift) * 255 / width + y * 64 / height) % 256) as u8;
            }
        }
        let (cw, ch) = (width / 2, height / 2);
        let (u, v) = chroma.split_at_mut(cw * ch);
        let turn = (stamp.frame % 256) as u8;
        for y in 0..ch {
            for x in 0..cw {
                let grid = x * 2 < barcode::MIN_WIDTH && y * 2 < barcode::MIN_HEIGHT;
                u[y * cw + x] = if grid {
                    128
                } else {
                    turn.wrapping_add((x % 64) as u8)
                };
                v[y * cw + x] = if grid { 128 } else { 255 - turn };
            }
        }
        barcode::stamp_luma(luma, width, height, width, stamp);
        Some(frame)
    }

    /// The stamp this picture carries, if it carries one.
    pub fn stamp(&self) -> Option<Stamp> {
        let luma = self.luma();
        barcode::read(self.width, self.height, |x, y| luma[y * self.width + x])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_pattern_carries_its_stamp_and_moves() {
        let stamp = Stamp {
            frame: 5,
            capture_ms: 1_000,
        };
        let a = I420Frame::test_pattern(320, 240, stamp).unwrap();
        assert_eq!(a.stamp(), Some(stamp));
        let b = I420Frame::test_pattern(320, 240, Stamp { frame: 6, ..stamp }).unwrap();
        assert_ne!(a.data[320 * 200..320 * 201], b.data[320 * 200..320 * 201]);
        assert_eq!(I420Frame::test_pattern(321, 240, stamp), None);
    }
}
