//! Widths of the PDF standard fonts Helvetica and Helvetica-Bold (Adobe's AFM metrics, 1/1000 em) for
//! the WinAnsi characters a letter prints, and line breaking by those widths. Accented Latin-1 letters
//! take their base letter's width; the few other Latin-1 signs an average width.

/// Helvetica, characters 32–126.
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space … /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0–9
    278, 278, 584, 584, 584, 556, 1015, // : ; < = > ? @
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A–M
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N–Z
    278, 278, 278, 469, 556, 333, // [ \ ] ^ _ `
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a–m
    556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n–z
    334, 260, 334, 584, // { | } ~
];

/// Helvetica-Bold, characters 32–126.
const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // space … /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0–9
    333, 333, 584, 584, 584, 611, 975, // : ; < = > ? @
    722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, // A–M
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N–Z
    333, 278, 333, 584, 556, 333, // [ \ ] ^ _ `
    556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, // a–m
    611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, // n–z
    389, 280, 389, 584, // { | } ~
];

/// Which of the two fonts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    /// Helvetica (`/F1`).
    Regular,
    /// Helvetica-Bold (`/F2`).
    Bold,
}

/// The ASCII letter an accented Latin-1 letter is drawn like, for its width.
fn base_letter(c: char) -> Option<char> {
    let base = match c {
        'À'..='Å' => 'A',
        'Æ' => 'W',
        'Ç' => 'C',
        'È'..='Ë' => 'E',
        'Ì'..='Ï' => 'I',
        'Ð' => 'D',
        'Ñ' => 'N',
        'Ò'..='Ö' | 'Ø' => 'O',
        'Ù'..='Ü' => 'U',
        'Ý' => 'Y',
        'Þ' => 'P',
        'ß' => 'b',
        'à'..='å' => 'a',
        'æ' => 'm',
        'ç' => 'c',
        'è'..='ë' => 'e',
        'ì'..='ï' => 'i',
        'ð' | 'ò'..='ö' | 'ø' => 'o',
        'ñ' => 'n',
        'ù'..='ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'þ' => 'p',
        _ => return None,
    };
    Some(base)
}

/// The width of one character in 1/1000 em.
pub fn char_width(font: Font, c: char) -> u16 {
    let table = match font {
        Font::Regular => &REGULAR,
        Font::Bold => &BOLD,
    };
    let c = base_letter(c).unwrap_or(c);
    match c as u32 {
        32..=126 => table[(c as u32 - 32) as usize],
        _ => 556,
    }
}

/// The width of `text` at `size` points.
pub fn text_width(font: Font, size: f32, text: &str) -> f32 {
    text.chars().map(|c| f32::from(char_width(font, c))).sum::<f32>() * size / 1000.0
}

/// `text` broken into lines no wider than `width` points at `size`: at spaces, at the text's own line
/// breaks, and inside a word only when the word alone is wider than a line.
pub fn wrap(font: Font, size: f32, text: &str, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if text_width(font, size, &candidate) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line is cut where it must be.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if text_width(font, size, &piece) > width {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_afm_metrics() {
        assert_eq!(
            text_width(Font::Regular, 1000.0, "Siti"),
            667.0 + 222.0 + 278.0 + 222.0
        );
        assert_eq!(char_width(Font::Bold, 'm'), 889);
        assert_eq!(char_width(Font::Regular, 'é'), char_width(Font::Regular, 'e'));
    }

    #[test]
    fn lines_break_at_spaces_and_never_overflow() {
        let text =
            "Dompet hilang saat turun dari KRL di Stasiun Tugu sekitar pukul 17.00 WIB.\nTidak ada saksi.";
        let lines = wrap(Font::Regular, 10.0, text, 150.0);
        assert!(lines.len() > 3);
        assert_eq!(lines.last().unwrap(), "Tidak ada saksi.");
        for line in &lines {
            assert!(text_width(Font::Regular, 10.0, line) <= 150.0, "{line}");
        }
        let long = "x".repeat(200);
        let cut = wrap(Font::Regular, 10.0, &long, 100.0);
        assert_eq!(cut.concat(), long);
    }
}
