//! Signed-distance-field glyph ranges in the PBF format MapLibre reads for `text-font`: each glyph
//! rasterised at 24 px (fontdue), buffered by 3 px and turned into an SDF of radius 8
//! (`sdf_glyph_renderer`), as fontnik and pbf_font_tools make them.

use crate::protobuf::Message;
use anyhow::{anyhow, Context, Result};
use sdf_glyph_renderer::{clamp_to_u8, BitmapGlyph};

const SIZE: f32 = 24.0;
const BUFFER: usize = 3;
const RADIUS: usize = 8;
const CUTOFF: f64 = 0.25;

/// A font loaded for glyph generation.
#[allow(missing_debug_implementations)] // fontdue::Font has no Debug.
pub struct GlyphFont {
    font: fontdue::Font,
    ascender: i32,
}

impl GlyphFont {
    /// Loads a TrueType/OpenType file.
    pub fn load(bytes: &[u8]) -> Result<GlyphFont> {
        let font =
            fontdue::Font::from_bytes(bytes, fontdue::FontSettings::default()).map_err(|e| anyhow!(e))?;
        let ascender = font
            .horizontal_line_metrics(SIZE)
            .context("font without horizontal metrics")?
            .ascent
            .round() as i32;
        Ok(GlyphFont { font, ascender })
    }

    /// The PBF of the 256 code points from `start`, under the font stack name `stack`.
    pub fn range(&self, stack: &str, start: u32) -> Result<Vec<u8>> {
        let end = start + 255;
        let mut fontstack = Message::new();
        fontstack.bytes(1, stack.as_bytes());
        fontstack.bytes(2, format!("{start}-{end}").as_bytes());
        for code in start..=end {
            let Some(character) = char::from_u32(code) else {
                continue;
            };
            if self.font.lookup_glyph_index(character) == 0 {
                continue;
            }
            let (metrics, coverage) = self.font.rasterize(character, SIZE);
            let mut glyph = Message::new();
            glyph.uint(1, u64::from(code));
            if metrics.width > 0 && metrics.height > 0 {
                let bitmap = BitmapGlyph::from_unbuffered(&coverage, metrics.width, metrics.height, BUFFER)
                    .map_err(|e| anyhow!("glyph {code}: {e}"))?;
                let sdf = clamp_to_u8(&bitmap.render_sdf(RADIUS), CUTOFF)
                    .map_err(|e| anyhow!("glyph {code}: {e}"))?;
                glyph.bytes(2, &sdf);
            }
            glyph.uint(3, metrics.width as u64);
            glyph.uint(4, metrics.height as u64);
            glyph.sint(5, i64::from(metrics.xmin));
            // Top of the bitmap relative to the ascender line, as FreeType's bitmap_top − ascender.
            let top = metrics.ymin + metrics.height as i32;
            glyph.sint(6, i64::from(top - self.ascender));
            glyph.uint(7, metrics.advance_width.round() as u64);
            fontstack.message(3, glyph);
        }
        let mut glyphs = Message::new();
        glyphs.message(1, fontstack);
        Ok(glyphs.into_bytes())
    }
}
