//! The hardened CAP reader: a small, bounded element tree from hostile XML, then CAP 1.2's rules on it
//! ([`CapAlert::parse`], [`CapAlert::validate`]).

use super::error::bad_value;
use super::*;
use quick_xml::events::Event;
use quick_xml::Reader;
use siaga_domain::geo::{Circle, GeoPoint};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The deepest element nesting accepted (CAP needs 4: alert/info/area/polygon).
const MAX_DEPTH: usize = 6;
/// The most elements accepted in one document.
const MAX_ELEMENTS: usize = 2_000;

// A small, bounded element tree read from hostile XML.

#[derive(Debug)]
struct Element {
    name: String,
    text: String,
    children: Vec<Element>,
}

fn local(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}

fn malformed(reader: &Reader<&[u8]>, message: impl ToString) -> CapError {
    CapError::Malformed {
        position: reader.buffer_position(),
        message: message.to_string(),
    }
}

/// Reads the document into a tree, refusing everything a kiosk must never make us process.
fn read_tree(text: &str) -> Result<Element, CapError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut prefix: Option<Vec<u8>> = None;
    let mut elements = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| malformed(&reader, e))?;
        match event {
            Event::DocType(_) => return Err(CapError::DoctypeForbidden),
            Event::PI(_) => return Err(CapError::ProcessingInstructionForbidden),
            Event::Decl(decl) => {
                if let Some(encoding) = decl.encoding() {
                    let encoding = encoding.map_err(|e| malformed(&reader, e))?;
                    if !encoding.eq_ignore_ascii_case(b"utf-8") {
                        return Err(CapError::Encoding(local(&encoding)));
                    }
                }
            }
            Event::Comment(_) => {}
            Event::Start(_) | Event::Empty(_) if root.is_some() => {
                return Err(malformed(&reader, "content after the root element"));
            }
            Event::Start(ref start) | Event::Empty(ref start) => {
                elements += 1;
                if elements > MAX_ELEMENTS || stack.len() >= MAX_DEPTH {
                    return Err(CapError::TooComplex);
                }
                let name = start.name();
                let element_prefix = name.prefix().map(|p| p.as_ref().to_vec());
                let local_name = local(name.local_name().as_ref());
                for attribute in start.attributes() {
                    let attribute = attribute.map_err(|e| malformed(&reader, e))?;
                    let key = attribute.key.as_ref();
                    let declares_namespace = key == b"xmlns" || key.starts_with(b"xmlns:");
                    if !(stack.is_empty() && declares_namespace) {
                        return Err(CapError::UnexpectedAttribute {
                            element: local_name,
                            attribute: local(key),
                        });
                    }
                    let declared_prefix = key.strip_prefix(b"xmlns:").map(<[u8]>::to_vec);
                    if declared_prefix == element_prefix
                        && attribute.value.as_ref() != CAP_NAMESPACE.as_bytes()
                    {
                        return Err(CapError::NotCap12(format!(
                            "namespace {}",
                            local(&attribute.value)
                        )));
                    }
                    if declared_prefix == element_prefix {
                        prefix = Some(element_prefix.clone().unwrap_or_default());
                    }
                }
                if stack.is_empty() {
                    if local_name != "alert" || prefix.is_none() {
                        return Err(CapError::NotCap12(format!("<{local_name}>")));
                    }
                } else if element_prefix.unwrap_or_default() != *prefix.as_ref().expect("root set the prefix")
                {
                    return Err(CapError::NotCap12(format!(
                        "<{local_name}> outside the CAP namespace"
                    )));
                }
                let element = Element {
                    name: local_name,
                    text: String::new(),
                    children: Vec::new(),
                };
                if matches!(event, Event::Empty(_)) {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(element),
                        None => root = Some(element),
                    }
                } else {
                    stack.push(element);
                }
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| malformed(&reader, "unexpected end tag"))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(text) => {
                let content = text.xml10_content().map_err(|e| malformed(&reader, e))?;
                push_text(&mut stack, &content, &reader)?;
            }
            Event::CData(data) => {
                let content = std::str::from_utf8(&data)
                    .map_err(|e| CapError::Encoding(e.to_string()))?
                    .to_owned();
                push_text(&mut stack, &content, &reader)?;
            }
            Event::GeneralRef(reference) => {
                let resolved = if reference.is_char_ref() {
                    let c = reference.resolve_char_ref().map_err(|e| malformed(&reader, e))?;
                    c.map(String::from)
                } else {
                    let name = reference.decode().map_err(|e| malformed(&reader, e))?;
                    match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(value) => Some(value.to_owned()),
                        None => return Err(CapError::UnknownEntity(name.chars().take(40).collect())),
                    }
                };
                push_text(&mut stack, &resolved.unwrap_or_default(), &reader)?;
            }
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(malformed(&reader, "unclosed element at end of document"));
    }
    root.ok_or_else(|| CapError::NotCap12("an empty document".into()))
}

fn push_text(stack: &mut [Element], content: &str, reader: &Reader<&[u8]>) -> Result<(), CapError> {
    match stack.last_mut() {
        Some(element) => element.text.push_str(content),
        None if content.trim().is_empty() => {}
        None => return Err(malformed(reader, "text outside the root element")),
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// From the tree to the CAP model, with CAP 1.2's rules.

/// Reads the children of one element, each name at most as often as CAP allows.
struct Fields<'a> {
    parent: &'static str,
    children: Vec<&'a Element>,
}

impl<'a> Fields<'a> {
    fn new(element: &'a Element, parent: &'static str, allowed: &[&str]) -> Result<Fields<'a>, CapError> {
        if !element.text.trim().is_empty() {
            return Err(CapError::UnexpectedText(parent.to_owned()));
        }
        if let Some(unknown) = element
            .children
            .iter()
            .find(|c| !allowed.contains(&c.name.as_str()))
        {
            return Err(CapError::UnexpectedElement {
                parent,
                element: unknown.name.clone(),
            });
        }
        Ok(Fields {
            parent,
            children: element.children.iter().collect(),
        })
    }

    fn all(&self, name: &str) -> Vec<&'a Element> {
        self.children.iter().copied().filter(|c| c.name == name).collect()
    }

    fn leaf(element: &Element) -> Result<String, CapError> {
        if let Some(child) = element.children.first() {
            return Err(CapError::UnexpectedElement {
                parent: "a value element",
                element: child.name.clone(),
            });
        }
        Ok(element.text.trim().to_owned())
    }

    fn texts(&self, name: &str) -> Result<Vec<String>, CapError> {
        self.all(name).into_iter().map(Fields::leaf).collect()
    }

    fn optional(&self, name: &'static str) -> Result<Option<String>, CapError> {
        let found = self.all(name);
        match found.as_slice() {
            [] => Ok(None),
            [one] => Fields::leaf(one).map(Some),
            _ => Err(CapError::Duplicate {
                parent: self.parent,
                element: name,
            }),
        }
    }

    fn required(&self, name: &'static str) -> Result<String, CapError> {
        let value = self.optional(name)?.ok_or(CapError::Missing {
            parent: self.parent,
            element: name,
        })?;
        if value.is_empty() {
            return Err(CapError::Missing {
                parent: self.parent,
                element: name,
            });
        }
        Ok(value)
    }

    fn values(&self, name: &'static str) -> Result<Vec<CapValue>, CapError> {
        self.all(name)
            .into_iter()
            .map(|element| {
                let fields = Fields::new(element, name, &["valueName", "value"])?;
                Ok(CapValue {
                    name: fields.required("valueName")?,
                    value: fields.optional("value")?.unwrap_or_default(),
                })
            })
            .collect()
    }
}

fn check_token(element: &'static str, value: &str) -> Result<(), CapError> {
    if value.is_empty()
        || value
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, ',' | '<' | '&'))
    {
        return Err(bad_value(
            element,
            value,
            "text without spaces, commas, '<' or '&'",
        ));
    }
    Ok(())
}

/// Reads a CAP dateTime: `YYYY-MM-DDThh:mm:ss±hh:mm`, never `Z`.
fn parse_time(element: &'static str, value: &str) -> Result<OffsetDateTime, CapError> {
    const EXPECTED: &str = "a date and time with a numeric offset, e.g. 2026-01-05T15:00:00+07:00 (no Z)";
    if value.ends_with(['Z', 'z']) {
        return Err(bad_value(element, value, EXPECTED));
    }
    OffsetDateTime::parse(value, &Rfc3339).map_err(|_| bad_value(element, value, EXPECTED))
}

fn parse_point(element: &'static str, pair: &str) -> Result<GeoPoint, CapError> {
    const EXPECTED: &str = "WGS 84 'latitude,longitude' pairs";
    let (lat, lon) = pair
        .split_once(',')
        .ok_or_else(|| bad_value(element, pair, EXPECTED))?;
    let lat: f64 = lat
        .trim()
        .parse()
        .map_err(|_| bad_value(element, pair, EXPECTED))?;
    let lon: f64 = lon
        .trim()
        .parse()
        .map_err(|_| bad_value(element, pair, EXPECTED))?;
    GeoPoint::new(lat, lon).map_err(|_| bad_value(element, pair, EXPECTED))
}

fn parse_polygon(value: &str) -> Result<Vec<GeoPoint>, CapError> {
    let points = value
        .split_whitespace()
        .map(|pair| parse_point("polygon", pair))
        .collect::<Result<Vec<_>, _>>()?;
    if points.len() < 4 || points.first() != points.last() {
        return Err(bad_value(
            "polygon",
            value,
            "at least 4 points, the first equal to the last",
        ));
    }
    Ok(points)
}

fn parse_circle(value: &str) -> Result<Circle, CapError> {
    const EXPECTED: &str = "'latitude,longitude radius' with the radius in km";
    let mut parts = value.split_whitespace();
    let (Some(center), Some(radius), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad_value("circle", value, EXPECTED));
    };
    let center = parse_point("circle", center)?;
    let radius_km: f64 = radius.parse().map_err(|_| bad_value("circle", value, EXPECTED))?;
    Circle::new(center, radius_km * 1000.0).map_err(|_| bad_value("circle", value, EXPECTED))
}

fn parse_number(element: &'static str, value: &str) -> Result<f64, CapError> {
    value
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| bad_value(element, value, "a decimal number"))
}

fn parse_area(element: &Element) -> Result<CapArea, CapError> {
    let fields = Fields::new(
        element,
        "area",
        &["areaDesc", "polygon", "circle", "geocode", "altitude", "ceiling"],
    )?;
    let altitude = fields
        .optional("altitude")?
        .map(|v| parse_number("altitude", &v))
        .transpose()?;
    let ceiling = fields
        .optional("ceiling")?
        .map(|v| parse_number("ceiling", &v))
        .transpose()?;
    if ceiling.is_some() && altitude.is_none() {
        return Err(CapError::Missing {
            parent: "area",
            element: "altitude",
        });
    }
    Ok(CapArea {
        description: fields.required("areaDesc")?,
        polygons: fields
            .texts("polygon")?
            .iter()
            .map(|p| parse_polygon(p))
            .collect::<Result<_, _>>()?,
        circles: fields
            .texts("circle")?
            .iter()
            .map(|c| parse_circle(c))
            .collect::<Result<_, _>>()?,
        geocodes: fields.values("geocode")?,
        altitude,
        ceiling,
    })
}

const INFO_FIELDS: &[&str] = &[
    "language",
    "category",
    "event",
    "responseType",
    "urgency",
    "severity",
    "certainty",
    "audience",
    "eventCode",
    "effective",
    "onset",
    "expires",
    "senderName",
    "headline",
    "description",
    "instruction",
    "web",
    "contact",
    "parameter",
    "area",
];

fn parse_info(element: &Element) -> Result<CapInfo, CapError> {
    let fields = Fields::new(element, "info", INFO_FIELDS)?;
    let categories = fields
        .texts("category")?
        .iter()
        .map(|c| CapCategory::parse(c))
        .collect::<Result<Vec<_>, _>>()?;
    if categories.is_empty() {
        return Err(CapError::Missing {
            parent: "info",
            element: "category",
        });
    }
    let time = |name: &'static str| fields.optional(name)?.map(|v| parse_time(name, &v)).transpose();
    Ok(CapInfo {
        language: fields.optional("language")?,
        categories,
        event: fields.required("event")?,
        response_types: fields
            .texts("responseType")?
            .iter()
            .map(|r| CapResponseType::parse(r))
            .collect::<Result<_, _>>()?,
        urgency: CapUrgency::parse(&fields.required("urgency")?)?,
        severity: CapSeverity::parse(&fields.required("severity")?)?,
        certainty: CapCertainty::parse(&fields.required("certainty")?)?,
        audience: fields.optional("audience")?,
        event_codes: fields.values("eventCode")?,
        effective: time("effective")?,
        onset: time("onset")?,
        expires: time("expires")?,
        sender_name: fields.optional("senderName")?,
        headline: fields.optional("headline")?,
        description: fields.optional("description")?,
        instruction: fields.optional("instruction")?,
        web: fields.optional("web")?,
        contact: fields.optional("contact")?,
        parameters: fields.values("parameter")?,
        areas: fields
            .all("area")
            .into_iter()
            .map(parse_area)
            .collect::<Result<_, _>>()?,
    })
}

const ALERT_FIELDS: &[&str] = &[
    "identifier",
    "sender",
    "sent",
    "status",
    "msgType",
    "source",
    "scope",
    "restriction",
    "addresses",
    "code",
    "note",
    "references",
    "incidents",
    "info",
];

impl CapAlert {
    /// Parses and validates a CAP 1.2 document from raw bytes (size limit first, then UTF-8).
    pub fn parse(bytes: &[u8]) -> Result<CapAlert, CapError> {
        if bytes.len() > MAX_CAP_BYTES {
            return Err(CapError::TooLarge {
                size: bytes.len(),
                max: MAX_CAP_BYTES,
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|e| CapError::Encoding(e.to_string()))?;
        let root = read_tree(text.strip_prefix('\u{feff}').unwrap_or(text))?;
        let fields = Fields::new(&root, "alert", ALERT_FIELDS)?;
        let alert = CapAlert {
            identifier: fields.required("identifier")?,
            sender: fields.required("sender")?,
            sent: parse_time("sent", &fields.required("sent")?)?,
            status: CapStatus::parse(&fields.required("status")?)?,
            msg_type: CapMsgType::parse(&fields.required("msgType")?)?,
            source: fields.optional("source")?,
            scope: CapScope::parse(&fields.required("scope")?)?,
            restriction: fields.optional("restriction")?,
            addresses: fields.optional("addresses")?,
            codes: fields.texts("code")?,
            note: fields.optional("note")?,
            references: fields.optional("references")?,
            incidents: fields.optional("incidents")?,
            infos: fields
                .all("info")
                .into_iter()
                .map(parse_info)
                .collect::<Result<_, _>>()?,
        };
        alert.validate()?;
        Ok(alert)
    }

    /// Checks the rules CAP 1.2 puts on values (also run before writing).
    pub fn validate(&self) -> Result<(), CapError> {
        check_token("identifier", &self.identifier)?;
        check_token("sender", &self.sender)?;
        if self.scope == CapScope::Restricted && self.restriction.as_deref().is_none_or(str::is_empty) {
            return Err(CapError::Missing {
                parent: "alert",
                element: "restriction",
            });
        }
        if self.scope == CapScope::Private && self.addresses.as_deref().is_none_or(str::is_empty) {
            return Err(CapError::Missing {
                parent: "alert",
                element: "addresses",
            });
        }
        for info in &self.infos {
            if info.categories.is_empty() {
                return Err(CapError::Missing {
                    parent: "info",
                    element: "category",
                });
            }
            if info.event.trim().is_empty() {
                return Err(CapError::Missing {
                    parent: "info",
                    element: "event",
                });
            }
            for area in &info.areas {
                if area.description.trim().is_empty() {
                    return Err(CapError::Missing {
                        parent: "area",
                        element: "areaDesc",
                    });
                }
                if area.ceiling.is_some() && area.altitude.is_none() {
                    return Err(CapError::Missing {
                        parent: "area",
                        element: "altitude",
                    });
                }
                for polygon in &area.polygons {
                    if polygon.len() < 4 || polygon.first() != polygon.last() {
                        return Err(bad_value(
                            "polygon",
                            &format!("{} points", polygon.len()),
                            "a closed ring of 4 or more points",
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}
