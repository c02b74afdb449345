//! A minimal PDF 1.4 writer for one-page letters: numbered objects, streams, a cross-reference table and
//! a trailer, written byte for byte the same for the same input (no dates, no random ids), so a letter
//! can be rebuilt and compared and its bytes signed. Text uses the standard fonts with WinAnsiEncoding
//! (Latin-1 for the letters a letter prints).

use std::fmt::Write as _;

/// A PDF document being assembled: object bodies by number (1-based).
#[derive(Debug, Default)]
pub struct Document {
    objects: Vec<Vec<u8>>,
}

impl Document {
    /// Reserves the next object number.
    pub fn reserve(&mut self) -> usize {
        self.objects.push(Vec::new());
        self.objects.len()
    }

    /// Sets the body of a reserved object (a dictionary, an array, …).
    pub fn set(&mut self, id: usize, body: impl Into<Vec<u8>>) {
        self.objects[id - 1] = body.into();
    }

    /// Adds an object and returns its number.
    pub fn add(&mut self, body: impl Into<Vec<u8>>) -> usize {
        let id = self.reserve();
        self.set(id, body);
        id
    }

    /// Adds a stream with extra dictionary entries (e.g. `/Filter /DCTDecode`).
    pub fn add_stream(&mut self, dictionary: &str, data: &[u8]) -> usize {
        let mut body = format!("<< {dictionary} /Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.add(body)
    }

    /// The file: header, objects, xref, trailer naming `root` and `info`, up to and including the
    /// `startxref` offset line. The caller appends `%%EOF` (after its signature line).
    pub fn write(&self, root: usize, info: usize, id: &str) -> Vec<u8> {
        let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let mut offsets = Vec::with_capacity(self.objects.len());
        for (index, body) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", index + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", self.objects.len() + 1);
        for offset in offsets {
            let _ = writeln!(table, "{offset:010} 00000 n ");
        }
        let _ = write!(
            table,
            "trailer\n<< /Size {} /Root {root} 0 R /Info {info} 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{xref}\n",
            self.objects.len() + 1
        );
        out.extend_from_slice(table.as_bytes());
        out
    }
}

/// `text` as a PDF literal string in WinAnsiEncoding: `(`, `)` and `\` escaped, Latin-1 letters as octal
/// escapes, anything else as `?` (the domain's checks keep such characters out of letters).
pub fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('(');
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            '\u{A0}'..='\u{FF}' => {
                let _ = write!(out, "\\{:03o}", c as u32);
            }
            _ => out.push('?'),
        }
    }
    out.push(')');
    out
}

/// `bytes` as a PDF hex string.
pub fn hex_string(bytes: &[u8]) -> String {
    format!("<{}>", hex::encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_for_winansi() {
        assert_eq!(literal("a(b)\\c"), "(a\\(b\\)\\\\c)");
        assert_eq!(literal("Sé"), "(S\\351)");
        assert_eq!(literal("日"), "(?)");
    }

    #[test]
    fn the_cross_reference_table_points_at_each_object() {
        let mut doc = Document::default();
        let a = doc.add("<< /Type /Catalog >>");
        let b = doc.add("<< /Producer (x) >>");
        let bytes = doc.write(a, b, "00");
        let tail = std::str::from_utf8(&bytes[bytes.len() - 200..]).unwrap();
        let xref_at: usize = tail.lines().last().unwrap().parse().unwrap();
        let text = std::str::from_utf8(&bytes[xref_at..]).unwrap();
        assert!(text.starts_with("xref"));
        let second: usize = text.lines().nth(4).unwrap()[..10].parse().unwrap();
        assert!(bytes[second..].starts_with(b"2 0 obj"));
    }
}
