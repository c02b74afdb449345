//! The letter's page: the kop surat of the issuing Polres, the title and number, the holder's details,
//! the body of an SKCK or a report of loss, the place and date, the signing officer, the photo (an SKCK)
//! and the QR code with its verification URL. A4, Helvetica, drawn with [`Page`]'s few operations.

use crate::metrics::{text_width, wrap, Font};
use crate::pdf::literal;
use siaga_domain::nik::Sex;
use siaga_domain::service::letter::indonesian_date;
use siaga_domain::service::LetterContent;
use siaga_domain::Language;
use std::fmt::Write as _;

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.0;
/// A4 in points.
pub const PAGE_HEIGHT: f32 = 842.0;
const LEFT: f32 = 70.0;
const RIGHT: f32 = 525.0;
const LABEL_COLUMN: f32 = 190.0;

/// A page's content stream being drawn, top to bottom from `y`.
#[derive(Debug)]
pub struct Page {
    ops: String,
    y: f32,
}

impl Page {
    fn new() -> Page {
        Page {
            ops: String::new(),
            y: PAGE_HEIGHT - 60.0,
        }
    }

    fn text_at(&mut self, font: Font, size: f32, x: f32, y: f32, text: &str) {
        let name = match font {
            Font::Regular => "F1",
            Font::Bold => "F2",
        };
        let _ = writeln!(
            self.ops,
            "BT /{name} {size} Tf {x:.2} {y:.2} Td {} Tj ET",
            literal(text)
        );
    }

    fn centered(&mut self, font: Font, size: f32, text: &str) {
        let x = (PAGE_WIDTH - text_width(font, size, text)) / 2.0;
        self.text_at(font, size, x, self.y, text);
        self.y -= size * 1.35;
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        let _ = writeln!(self.ops, "{width} w {x1:.2} {y1:.2} m {x2:.2} {y2:.2} l S");
    }

    fn paragraph(&mut self, size: f32, x: f32, text: &str) {
        for line in wrap(Font::Regular, size, text, RIGHT - x) {
            self.text_at(Font::Regular, size, x, self.y, &line);
            self.y -= size * 1.4;
        }
    }

    /// `label : value`, the value wrapped in its column.
    fn field(&mut self, label: &str, value: &str) {
        let size = 11.0;
        self.text_at(Font::Regular, size, LEFT + 20.0, self.y, label);
        self.text_at(Font::Regular, size, LABEL_COLUMN - 8.0, self.y, ":");
        for line in wrap(Font::Regular, size, value, RIGHT - LABEL_COLUMN) {
            self.text_at(Font::Regular, size, LABEL_COLUMN, self.y, &line);
            self.y -= size * 1.45;
        }
    }

    fn gap(&mut self, points: f32) {
        self.y -= points;
    }
}

/// Where the photo and the QR code go (bottom-left corner and size, points), for the caller that places
/// the image objects.
#[derive(Debug, Clone, Copy)]
pub struct Placement {
    /// Left edge.
    pub x: f32,
    /// Bottom edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

/// The drawn page and where the photo goes (drawn by the caller as `/Photo Do`).
#[derive(Debug)]
pub struct Drawn {
    /// The content stream.
    pub content: String,
    /// The photo's box, for an SKCK with a photo.
    pub photo: Option<Placement>,
}

fn sex_label(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "Laki-laki",
        Sex::Female => "Perempuan",
    }
}

/// Draws the letter. `qr` is the QR code's module matrix (row by row, `true` dark) and `verify_url` the
/// URL it encodes; `key_id` names the signing key in the footer.
pub fn draw(
    content: &LetterContent,
    has_photo: bool,
    qr: &[Vec<bool>],
    verify_url: &str,
    key_id: &str,
) -> Drawn {
    let mut page = Page::new();
    // Kop surat.
    page.centered(Font::Bold, 12.0, "KEPOLISIAN NEGARA REPUBLIK INDONESIA");
    page.centered(Font::Bold, 12.0, &content.polda_name.to_uppercase());
    page.centered(Font::Bold, 12.0, &content.polres_name.to_uppercase());
    let rule = page.y + 6.0;
    page.line(LEFT, rule, RIGHT, rule, 1.5);
    page.line(LEFT, rule - 2.5, RIGHT, rule - 2.5, 0.5);
    page.gap(22.0);

    let skck = content.purpose.is_some();
    let title = if skck {
        "SURAT KETERANGAN CATATAN KEPOLISIAN"
    } else {
        "SURAT KETERANGAN TANDA LAPOR KEHILANGAN"
    };
    let title_width = text_width(Font::Bold, 13.0, title);
    let title_y = page.y;
    page.centered(Font::Bold, 13.0, title);
    let left = (PAGE_WIDTH - title_width) / 2.0;
    page.line(left, title_y - 2.0, left + title_width, title_y - 2.0, 0.7);
    page.centered(
        Font::Regular,
        11.0,
        &format!("Nomor: {}", content.number.printed()),
    );
    page.gap(14.0);

    let intro = if skck {
        "Diterangkan bersama ini bahwa:"
    } else {
        "Telah datang melapor kepada kami melalui layanan 110 Polri:"
    };
    page.paragraph(11.0, LEFT, intro);
    page.gap(4.0);
    page.field("Nama", &content.full_name);
    page.field("Jenis kelamin", sex_label(content.sex));
    page.field(
        "Tempat/tgl. lahir",
        &format!("{}, {}", content.birth_place, indonesian_date(content.birth_date)),
    );
    page.field("NIK", &content.nik);
    page.field("Alamat", &content.address);
    page.gap(8.0);

    if let Some((purpose, note)) = &content.purpose {
        page.paragraph(
            11.0,
            LEFT,
            "Sampai dengan tanggal dikeluarkannya surat keterangan ini, berdasarkan catatan kepolisian yang ada, \
             yang bersangkutan tidak memiliki catatan atau keterlibatan dalam kegiatan kriminal apa pun.",
        );
        page.gap(6.0);
        let purpose = match note {
            Some(note) => format!("{} ({note})", purpose.label(Language::Id)),
            None => purpose.label(Language::Id).to_owned(),
        };
        page.field("Keperluan", &purpose);
        if let Some(until) = content.valid_until {
            page.field("Berlaku sampai", &indonesian_date(until));
        }
    }
    if let Some((items, place, lost_on, chronology)) = &content.loss {
        page.paragraph(11.0, LEFT, "Telah kehilangan:");
        for (index, item) in items.iter().enumerate() {
            page.text_at(
                Font::Regular,
                11.0,
                LEFT + 20.0,
                page.y,
                &format!("{}. {}", index + 1, item.label(Language::Id)),
            );
            page.gap(11.0 * 1.45);
        }
        page.gap(4.0);
        page.field("Tempat", place);
        page.field("Tanggal", &indonesian_date(*lost_on));
        page.paragraph(11.0, LEFT, "Kronologi:");
        page.paragraph(10.5, LEFT + 20.0, chronology);
        page.gap(6.0);
        page.paragraph(
            10.5,
            LEFT,
            "Surat keterangan ini dibuat sebagai tanda lapor kehilangan untuk pengurusan penggantinya dan \
             bukan pengganti dokumen atau barang yang hilang.",
        );
    }

    // Signature block, right half; the photo to its left for an SKCK.
    page.gap(16.0);
    let block_x = 320.0;
    let top = page.y;
    let mut y = top;
    let write = |page: &mut Page, font: Font, text: &str, y: &mut f32| {
        page.text_at(font, 11.0, block_x, *y, text);
        *y -= 15.0;
    };
    write(
        &mut page,
        Font::Regular,
        &format!("{}, {}", content.place, indonesian_date(content.issued_on)),
        &mut y,
    );
    let on_behalf = format!("a.n. KEPALA {}", content.polres_name.to_uppercase());
    for line in wrap(Font::Regular, 11.0, &on_behalf, PAGE_WIDTH - 40.0 - block_x) {
        write(&mut page, Font::Regular, &line, &mut y);
    }
    write(
        &mut page,
        Font::Regular,
        if skck { "KASAT INTELKAM" } else { "KA SPKT" },
        &mut y,
    );
    y -= 34.0;
    let name_width = text_width(Font::Bold, 11.0, &content.officer.name.to_uppercase());
    page.text_at(Font::Bold, 11.0, block_x, y, &content.officer.name.to_uppercase());
    page.line(block_x, y - 2.0, block_x + name_width, y - 2.0, 0.6);
    y -= 15.0;
    write(
        &mut page,
        Font::Regular,
        &format!("{} NRP {}", content.officer.rank, content.officer.nrp),
        &mut y,
    );
    let photo = has_photo.then(|| {
        // 3 × 4 cm.
        let placement = Placement {
            x: LEFT + 20.0,
            y: top - 113.0,
            width: 85.0,
            height: 113.0,
        };
        let _ = writeln!(
            page.ops,
            "0.5 w {:.2} {:.2} {:.2} {:.2} re S",
            placement.x, placement.y, placement.width, placement.height
        );
        let _ = writeln!(
            page.ops,
            "q {:.2} 0 0 {:.2} {:.2} {:.2} cm /Photo Do Q",
            placement.width, placement.height, placement.x, placement.y
        );
        placement
    });

    // QR code bottom-left with its caption and URL.
    let modules = qr.len() as f32;
    let side = 92.0;
    let cell = side / modules;
    let (qx, qy) = (LEFT, 70.0);
    let mut dark = String::new();
    for (row, cells) in qr.iter().enumerate() {
        for (col, &on) in cells.iter().enumerate() {
            if on {
                let x = qx + col as f32 * cell;
                let y = qy + side - (row as f32 + 1.0) * cell;
                let _ = write!(dark, "{x:.3} {y:.3} {cell:.3} {cell:.3} re ");
            }
        }
    }
    let _ = writeln!(page.ops, "0 g {dark}f");
    let caption_x = qx + side + 12.0;
    page.text_at(
        Font::Bold,
        9.0,
        caption_x,
        qy + 70.0,
        "Pindai untuk memeriksa keaslian surat ini",
    );
    page.text_at(
        Font::Regular,
        8.0,
        caption_x,
        qy + 57.0,
        "Scan to verify this letter at the issuing Polda's 110 central",
    );
    for (index, chunk) in wrap(Font::Regular, 7.0, verify_url, RIGHT - caption_x)
        .iter()
        .enumerate()
    {
        page.text_at(
            Font::Regular,
            7.0,
            caption_x,
            qy + 40.0 - index as f32 * 9.0,
            chunk,
        );
    }
    page.text_at(
        Font::Regular,
        7.0,
        caption_x,
        qy + 4.0,
        &format!("Ditandatangani secara elektronik (Ed25519), kunci {key_id}"),
    );
    Drawn {
        content: page.ops,
        photo,
    }
}
