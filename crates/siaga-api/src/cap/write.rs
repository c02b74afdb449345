//! The CAP writer: [`CapAlert::to_xml`] (validated first) and CAP's dateTime form.

use super::error::bad_value;
use super::*;
use std::fmt::Write as _;
use time::OffsetDateTime;

/// Writes a CAP dateTime (whole seconds; UTC as `-00:00`).
pub fn format_cap_time(at: OffsetDateTime) -> String {
    let (h, m, _) = at.offset().as_hms();
    let sign = if at.offset().is_negative() || at.offset().is_utc() {
        '-'
    } else {
        '+'
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        h.unsigned_abs(),
        m.unsigned_abs()
    )
}

impl CapAlert {
    /// Writes the alert as CAP 1.2 XML (validated first).
    pub fn to_xml(&self) -> Result<String, CapError> {
        self.validate()?;
        let mut xml = Xml::default();
        xml.raw(&format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alert xmlns=\"{CAP_NAMESPACE}\">\n"
        ));
        xml.field(1, "identifier", &self.identifier);
        xml.field(1, "sender", &self.sender);
        xml.field(1, "sent", &format_cap_time(self.sent));
        xml.field(1, "status", self.status.as_str());
        xml.field(1, "msgType", self.msg_type.as_str());
        xml.optional(1, "source", &self.source);
        xml.field(1, "scope", self.scope.as_str());
        xml.optional(1, "restriction", &self.restriction);
        xml.optional(1, "addresses", &self.addresses);
        for code in &self.codes {
            xml.field(1, "code", code);
        }
        xml.optional(1, "note", &self.note);
        xml.optional(1, "references", &self.references);
        xml.optional(1, "incidents", &self.incidents);
        for info in &self.infos {
            xml.open(1, "info");
            xml.optional(2, "language", &info.language);
            for category in &info.categories {
                xml.field(2, "category", category.as_str());
            }
            xml.field(2, "event", &info.event);
            for response in &info.response_types {
                xml.field(2, "responseType", response.as_str());
            }
            xml.field(2, "urgency", info.urgency.as_str());
            xml.field(2, "severity", info.severity.as_str());
            xml.field(2, "certainty", info.certainty.as_str());
            xml.optional(2, "audience", &info.audience);
            xml.values(2, "eventCode", &info.event_codes);
            for (name, at) in [
                ("effective", info.effective),
                ("onset", info.onset),
                ("expires", info.expires),
            ] {
                if let Some(at) = at {
                    xml.field(2, name, &format_cap_time(at));
                }
            }
            xml.optional(2, "senderName", &info.sender_name);
            xml.optional(2, "headline", &info.headline);
            xml.optional(2, "description", &info.description);
            xml.optional(2, "instruction", &info.instruction);
            xml.optional(2, "web", &info.web);
            xml.optional(2, "contact", &info.contact);
            xml.values(2, "parameter", &info.parameters);
            for area in &info.areas {
                xml.open(2, "area");
                xml.field(3, "areaDesc", &area.description);
                for polygon in &area.polygons {
                    let pairs: Vec<String> = polygon
                        .iter()
                        .map(|p| format!("{},{}", p.lat(), p.lon()))
                        .collect();
                    xml.field(3, "polygon", &pairs.join(" "));
                }
                for circle in &area.circles {
                    let text = format!(
                        "{},{} {}",
                        circle.center.lat(),
                        circle.center.lon(),
                        circle.radius_m / 1000.0
                    );
                    xml.field(3, "circle", &text);
                }
                xml.values(3, "geocode", &area.geocodes);
                if let Some(altitude) = area.altitude {
                    xml.field(3, "altitude", &altitude.to_string());
                }
                if let Some(ceiling) = area.ceiling {
                    xml.field(3, "ceiling", &ceiling.to_string());
                }
                xml.close(2, "area");
            }
            xml.close(1, "info");
        }
        xml.raw("</alert>\n");
        if let Some(c) = xml
            .0
            .chars()
            .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        {
            return Err(bad_value(
                "text",
                &format!("U+{:04X}", u32::from(c)),
                "characters XML 1.0 allows",
            ));
        }
        Ok(xml.0)
    }
}

#[derive(Default)]
struct Xml(String);

impl Xml {
    fn raw(&mut self, text: &str) {
        self.0.push_str(text);
    }
    fn indent(&mut self, depth: usize) {
        self.0.push_str(&"  ".repeat(depth));
    }
    fn field(&mut self, depth: usize, name: &str, value: &str) {
        self.indent(depth);
        // A carriage return written as it is would be read back as a line feed (XML's end-of-line
        // normalisation): written as a character reference it survives.
        let text = quick_xml::escape::escape(value).replace('\r', "&#13;");
        let _ = writeln!(self.0, "<{name}>{text}</{name}>");
    }
    fn optional(&mut self, depth: usize, name: &str, value: &Option<String>) {
        if let Some(value) = value {
            self.field(depth, name, value);
        }
    }
    fn open(&mut self, depth: usize, name: &str) {
        self.indent(depth);
        let _ = writeln!(self.0, "<{name}>");
    }
    fn close(&mut self, depth: usize, name: &str) {
        self.indent(depth);
        let _ = writeln!(self.0, "</{name}>");
    }
    fn values(&mut self, depth: usize, name: &str, values: &[CapValue]) {
        for value in values {
            self.open(depth, name);
            self.field(depth + 1, "valueName", &value.name);
            self.field(depth + 1, "value", &value.value);
            self.close(depth, name);
        }
    }
}
