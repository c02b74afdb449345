//! Kiosk alerts as OASIS CAP 1.2 (Common Alerting Protocol) XML, as RFC 8876 uses it for
//! non-interactive emergency calls: a parser and a writer for the whole `alert`/`info`/`area` model
//! (resources excepted), validated against the CAP 1.2 rules, plus the kiosk profile ([`KioskAlert`]).
//!
//! A kiosk payload is hostile until parsed: input over [`MAX_CAP_BYTES`] is refused before parsing, any
//! DOCTYPE is refused outright (so no DTD, entity definition or external reference is ever read), only
//! the five predefined entities and character references are resolved, processing instructions are
//! refused, nesting and element counts are bounded.

use quick_xml::events::Event;
use quick_xml::Reader;
use siaga_domain::event::IncidentChange;
use siaga_domain::geo::{Circle, GeoPoint};
use siaga_domain::incident::{Channel, Location};
use siaga_domain::kiosk::KioskId;
use siaga_domain::{Category, Priority};
use std::fmt::Write as _;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The CAP 1.2 XML namespace.
pub const CAP_NAMESPACE: &str = "urn:oasis:names:tc:emergency:cap:1.2";
/// The largest CAP document accepted, in bytes.
pub const MAX_CAP_BYTES: usize = 64 * 1024;
/// The deepest element nesting accepted (CAP needs 4: alert/info/area/polygon).
const MAX_DEPTH: usize = 6;
/// The most elements accepted in one document.
const MAX_ELEMENTS: usize = 2_000;

/// Why a CAP document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CapError {
    /// Larger than [`MAX_CAP_BYTES`].
    #[error("CAP document of {size} bytes exceeds the {max}-byte limit")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// Not UTF-8, or an encoding other than UTF-8 declared.
    #[error("CAP document is not UTF-8: {0}")]
    Encoding(String),
    /// A DOCTYPE (DTD) was present; never processed.
    #[error("DOCTYPE is not allowed in a CAP document")]
    DoctypeForbidden,
    /// A processing instruction was present.
    #[error("processing instructions are not allowed in a CAP document")]
    ProcessingInstructionForbidden,
    /// An entity reference other than the five predefined ones.
    #[error("entity &{0}; is not allowed (only &amp; &lt; &gt; &quot; &apos; and character references)")]
    UnknownEntity(String),
    /// Elements nested deeper than CAP needs, or too many elements.
    #[error("CAP document is too deeply nested or has too many elements")]
    TooComplex,
    /// Not well-formed XML.
    #[error("malformed XML at byte {position}: {message}")]
    Malformed {
        /// Byte offset.
        position: u64,
        /// The parser's message.
        message: String,
    },
    /// The root is not a CAP 1.2 `alert`.
    #[error("the root element must be <alert> in namespace {CAP_NAMESPACE}, found {0}")]
    NotCap12(String),
    /// An element CAP does not allow there.
    #[error("<{element}> is not allowed in <{parent}>")]
    UnexpectedElement {
        /// The parent element.
        parent: &'static str,
        /// The element found.
        element: String,
    },
    /// An attribute (CAP elements have none).
    #[error("attribute {attribute} is not allowed on <{element}>")]
    UnexpectedAttribute {
        /// The element.
        element: String,
        /// The attribute.
        attribute: String,
    },
    /// Text where only elements belong.
    #[error("text is not allowed directly in <{0}>")]
    UnexpectedText(String),
    /// A required element is missing.
    #[error("<{parent}> requires <{element}>")]
    Missing {
        /// The parent element.
        parent: &'static str,
        /// The element required.
        element: &'static str,
    },
    /// An element that may appear once appears again.
    #[error("<{parent}> may contain only one <{element}>")]
    Duplicate {
        /// The parent element.
        parent: &'static str,
        /// The repeated element.
        element: &'static str,
    },
    /// A value outside what CAP allows.
    #[error("<{element}> has an invalid value {value:?}: expected {expected}")]
    BadValue {
        /// The element.
        element: &'static str,
        /// The value found (truncated).
        value: String,
        /// What CAP allows.
        expected: &'static str,
    },
    /// A valid CAP alert that is not a Siaga kiosk alert.
    #[error("not a kiosk alert: {0}")]
    NotKioskAlert(String),
}

fn bad_value(element: &'static str, value: &str, expected: &'static str) -> CapError {
    let value: String = value.chars().take(80).collect();
    CapError::BadValue {
        element,
        value,
        expected,
    }
}

macro_rules! cap_enum {
    ($(#[$doc:meta])* $name:ident, $element:literal { $($variant:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( #[doc = stringify!($variant)] $variant, )*
        }

        impl $name {
            /// The CAP text of this value.
            pub fn as_str(self) -> &'static str {
                match self { $( $name::$variant => stringify!($variant), )* }
            }

            fn parse(text: &str) -> Result<Self, CapError> {
                match text {
                    $( stringify!($variant) => Ok($name::$variant), )*
                    _ => Err(bad_value($element, text, concat!("one of: ", $(stringify!($variant), " ",)*))),
                }
            }
        }
    };
}

cap_enum!(
    /// `alert/status`.
    CapStatus, "status" { Actual, Exercise, System, Test, Draft }
);
cap_enum!(
    /// `alert/msgType`.
    CapMsgType, "msgType" { Alert, Update, Cancel, Ack, Error }
);
cap_enum!(
    /// `alert/scope`.
    CapScope, "scope" { Public, Restricted, Private }
);
cap_enum!(
    /// `info/category`.
    CapCategory, "category" { Geo, Met, Safety, Security, Rescue, Fire, Health, Env, Transport, Infra, CBRNE, Other }
);
cap_enum!(
    /// `info/responseType`.
    CapResponseType, "responseType" { Shelter, Evacuate, Prepare, Execute, Avoid, Monitor, Assess, AllClear, None }
);
cap_enum!(
    /// `info/urgency`.
    CapUrgency, "urgency" { Immediate, Expected, Future, Past, Unknown }
);
cap_enum!(
    /// `info/severity`.
    CapSeverity, "severity" { Extreme, Severe, Moderate, Minor, Unknown }
);
cap_enum!(
    /// `info/certainty`.
    CapCertainty, "certainty" { Observed, Likely, Possible, Unlikely, Unknown }
);

/// A `valueName`/`value` pair (`eventCode`, `parameter`, `geocode`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapValue {
    /// `valueName`.
    pub name: String,
    /// `value`.
    pub value: String,
}

impl CapValue {
    /// A pair.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> CapValue {
        CapValue {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// A CAP `alert`.
#[derive(Debug, Clone, PartialEq)]
pub struct CapAlert {
    /// Unique per sender; no spaces, commas or restricted characters.
    pub identifier: String,
    /// The originator; no spaces, commas or restricted characters.
    pub sender: String,
    /// When it was sent (CAP forbids `Z`; UTC is written `-00:00`).
    pub sent: OffsetDateTime,
    /// Actual, Exercise, System, Test or Draft.
    pub status: CapStatus,
    /// Alert, Update, Cancel, Ack or Error.
    pub msg_type: CapMsgType,
    /// The particular source.
    pub source: Option<String>,
    /// Public, Restricted or Private.
    pub scope: CapScope,
    /// Required when scope is Restricted.
    pub restriction: Option<String>,
    /// Required when scope is Private.
    pub addresses: Option<String>,
    /// Special handling codes.
    pub codes: Vec<String>,
    /// A note.
    pub note: Option<String>,
    /// Earlier messages referred to (`sender,identifier,sent` triples, space separated).
    pub references: Option<String>,
    /// Related incident ids.
    pub incidents: Option<String>,
    /// The info blocks.
    pub infos: Vec<CapInfo>,
}

/// A CAP `info` block.
#[derive(Debug, Clone, PartialEq)]
pub struct CapInfo {
    /// RFC 3066 language; CAP's default is `en-US`.
    pub language: Option<String>,
    /// At least one category.
    pub categories: Vec<CapCategory>,
    /// The event type in words.
    pub event: String,
    /// Recommended responses.
    pub response_types: Vec<CapResponseType>,
    /// Urgency.
    pub urgency: CapUrgency,
    /// Severity.
    pub severity: CapSeverity,
    /// Certainty.
    pub certainty: CapCertainty,
    /// Intended audience.
    pub audience: Option<String>,
    /// System-specific event codes.
    pub event_codes: Vec<CapValue>,
    /// When the information takes effect.
    pub effective: Option<OffsetDateTime>,
    /// Expected onset.
    pub onset: Option<OffsetDateTime>,
    /// Expiry.
    pub expires: Option<OffsetDateTime>,
    /// Human-readable sender name.
    pub sender_name: Option<String>,
    /// Headline.
    pub headline: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Instruction.
    pub instruction: Option<String>,
    /// A link.
    pub web: Option<String>,
    /// A contact.
    pub contact: Option<String>,
    /// System-specific parameters.
    pub parameters: Vec<CapValue>,
    /// Areas.
    pub areas: Vec<CapArea>,
}

/// A CAP `area`.
#[derive(Debug, Clone, PartialEq)]
pub struct CapArea {
    /// Description of the area.
    pub description: String,
    /// Closed polygons (first point = last point, at least 4 points).
    pub polygons: Vec<Vec<GeoPoint>>,
    /// Circles (a point is a circle of radius 0).
    pub circles: Vec<Circle>,
    /// Geographic codes.
    pub geocodes: Vec<CapValue>,
    /// Altitude in feet above sea level (CAP's unit).
    pub altitude: Option<f64>,
    /// Ceiling in feet; requires altitude.
    pub ceiling: Option<f64>,
}

// ---------------------------------------------------------------------------------------------------
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
        let _ = writeln!(self.0, "<{name}>{}</{name}>", quick_xml::escape::escape(value));
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

// ---------------------------------------------------------------------------------------------------
// The kiosk profile.

/// The `parameter` naming the kiosk.
pub const PARAM_KIOSK_ID: &str = "siagaKioskId";
/// The `parameter` naming the station.
pub const PARAM_STATION_ID: &str = "siagaStationId";
/// The `parameter` with the category the citizen chose, if any.
pub const PARAM_CATEGORY: &str = "siagaCategory";

/// An emergency button pressed at a station kiosk, as Siaga reads it out of a CAP alert.
#[derive(Debug, Clone, PartialEq)]
pub struct KioskAlert {
    /// The CAP identifier (unique per kiosk).
    pub identifier: String,
    /// The kiosk.
    pub kiosk: KioskId,
    /// The station (an id from the station list).
    pub station_id: String,
    /// When the button was pressed.
    pub sent: OffsetDateTime,
    /// Actual, or Test/Exercise for drills.
    pub status: CapStatus,
    /// Where the kiosk stands (a CAP circle; radius 0 for a point).
    pub area: Circle,
    /// The station's name, as the area description.
    pub area_description: String,
    /// The category the citizen chose on the kiosk, if any.
    pub category: Option<Category>,
    /// What the citizen typed or said, if anything.
    pub description: Option<String>,
}

impl KioskAlert {
    /// The sender a kiosk uses: `<kiosk id>@kiosk.siaga110.id`.
    pub fn sender_for(kiosk: &KioskId) -> String {
        format!("{kiosk}@kiosk.siaga110.id")
    }

    /// The alert as CAP 1.2.
    pub fn to_cap(&self) -> CapAlert {
        let mut parameters = vec![
            CapValue::new(PARAM_KIOSK_ID, self.kiosk.as_str()),
            CapValue::new(PARAM_STATION_ID, self.station_id.clone()),
        ];
        if let Some(category) = self.category {
            parameters.push(CapValue::new(PARAM_CATEGORY, category.code()));
        }
        CapAlert {
            identifier: self.identifier.clone(),
            sender: KioskAlert::sender_for(&self.kiosk),
            sent: self.sent,
            status: self.status,
            msg_type: CapMsgType::Alert,
            source: None,
            scope: CapScope::Private,
            restriction: None,
            addresses: Some("siaga110".into()),
            codes: vec!["RFC8876".into()],
            note: None,
            references: None,
            incidents: None,
            infos: vec![CapInfo {
                language: Some("id-ID".into()),
                categories: vec![CapCategory::Security],
                event: "Tombol darurat kios stasiun".into(),
                response_types: vec![],
                urgency: CapUrgency::Immediate,
                severity: CapSeverity::Unknown,
                certainty: CapCertainty::Unknown,
                audience: None,
                event_codes: vec![],
                effective: None,
                onset: None,
                expires: None,
                sender_name: None,
                headline: None,
                description: self.description.clone(),
                instruction: None,
                web: None,
                contact: None,
                parameters,
                areas: vec![CapArea {
                    description: self.area_description.clone(),
                    polygons: vec![],
                    circles: vec![self.area],
                    geocodes: vec![],
                    altitude: None,
                    ceiling: None,
                }],
            }],
        }
    }

    /// Reads a kiosk alert out of a validated CAP alert: one info block, kiosk and station parameters,
    /// the sender matching the kiosk, and a circle for the position.
    pub fn from_cap(alert: &CapAlert) -> Result<KioskAlert, CapError> {
        let refuse = |why: &str| CapError::NotKioskAlert(why.to_owned());
        if alert.msg_type != CapMsgType::Alert {
            return Err(refuse("msgType must be Alert"));
        }
        let [info] = alert.infos.as_slice() else {
            return Err(refuse("exactly one <info> is required"));
        };
        let parameter = |name: &str| {
            info.parameters
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.value.as_str())
        };
        let kiosk =
            parameter(PARAM_KIOSK_ID).ok_or_else(|| refuse("the siagaKioskId parameter is missing"))?;
        let kiosk = KioskId::parse(kiosk).map_err(|e| refuse(&e.to_string()))?;
        if alert.sender != KioskAlert::sender_for(&kiosk) {
            return Err(refuse("the sender does not match the kiosk"));
        }
        let station_id =
            parameter(PARAM_STATION_ID).ok_or_else(|| refuse("the siagaStationId parameter is missing"))?;
        let category = parameter(PARAM_CATEGORY)
            .map(|c| c.parse::<Category>().map_err(|e| refuse(&e.to_string())))
            .transpose()?;
        let [area] = info.areas.as_slice() else {
            return Err(refuse("exactly one <area> is required"));
        };
        let [circle] = area.circles.as_slice() else {
            return Err(refuse("the area must be one circle (a point is radius 0)"));
        };
        Ok(KioskAlert {
            identifier: alert.identifier.clone(),
            kiosk,
            station_id: station_id.to_owned(),
            sent: alert.sent,
            status: alert.status,
            area: *circle,
            area_description: area.description.clone(),
            category,
            description: info.description.clone(),
        })
    }

    /// The receipt event change that opens an incident for this alert (applied by the `System` role):
    /// the kiosk channel, the kiosk's position, the station's regency/city when the station is known, and
    /// high priority unless the citizen chose a category.
    pub fn received_change(&self) -> IncidentChange {
        let station = siaga_domain::station::station(&self.station_id);
        let mut location = Location::at(self.area.center);
        if let Some(station) = station {
            location.regency = Some(station.regency);
            location.province = Some(station.regency.province());
        }
        location.address = Some(self.area_description.clone());
        let description = self.description.clone().unwrap_or_else(|| match station {
            Some(station) => format!(
                "Tombol darurat kios ditekan di {} ({})",
                station.name,
                station.lines.join(", ")
            ),
            None => format!("Tombol darurat kios ditekan di {}", self.area_description),
        });
        IncidentChange::Received {
            channel: Channel::StationKiosk {
                kiosk: self.kiosk.clone(),
            },
            caller_number: None,
            reporter: None,
            location,
            description,
            proposed_category: self.category,
            priority: if self.category.is_some() {
                None
            } else {
                Some(Priority::High)
            },
            polda: None,
        }
    }

    /// Parses raw kiosk bytes straight to a kiosk alert.
    pub fn parse(bytes: &[u8]) -> Result<KioskAlert, CapError> {
        KioskAlert::from_cap(&CapAlert::parse(bytes)?)
    }
}
