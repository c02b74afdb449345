//! Why a CAP document was refused: [`CapError`], one variant per broken rule.

use super::CAP_NAMESPACE;

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

pub(super) fn bad_value(element: &'static str, value: &str, expected: &'static str) -> CapError {
    let value: String = value.chars().take(80).collect();
    CapError::BadValue {
        element,
        value,
        expected,
    }
}
