//! The CAP 1.2 model: `alert`, `info`, `area` and their value types, as Siaga reads and writes them.

use siaga_domain::geo::{Circle, GeoPoint};

use time::OffsetDateTime;

use super::error::bad_value;
use super::CapError;

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

            pub(super) fn parse(text: &str) -> Result<Self, CapError> {
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
