//! Personal data in what the central sends: a caller whose role may not see it (an analyst, an admin)
//! gets NIKs and caller numbers masked, reporters' names removed and the NIKs and phone numbers typed
//! into free text masked, in every body, on every route and on the live WebSocket ([`shape_for`]); EIDO
//! answers are built from the typed incident without its personal data
//! (`siaga_domain::personal::without_personal_data`).

use crate::auth::Caller;
use serde::Serialize;
use serde_json::Value;
use siaga_domain::nik::mask_nik;
use siaga_domain::personal::{mask_phone, redact_personal_numbers};

/// JSON keys whose values are free text an operator or a citizen typed (event changes and incident
/// snapshots, camelCase as on the wire).
const FREE_TEXT_KEYS: [&str; 9] = [
    "description",
    "address",
    "text",
    "summary",
    "reason",
    "desk",
    "unit",
    "spktDesk",
    "handlingUnit",
];

/// Serialises a body for `caller`: analysts get NIKs and caller numbers masked (the field is removed and
/// a `…Masked` sibling holds the region digits only).
pub fn shape_for(caller: &Caller, body: &impl Serialize) -> Value {
    let mut value = serde_json::to_value(body).unwrap_or(Value::Null);
    let sees = caller.role.sees_personal_data();
    if !sees {
        mask_personal(&mut value);
    }
    value
}

/// Masks personal data in a JSON tree: every `nik` and `callerNumber` becomes a `…Masked` sibling, a
/// reporter's `name` is removed, and NIKs and phone numbers inside free-text values are masked.
pub fn mask_personal(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(reporter)) = map.get_mut("reporter") {
                reporter.remove("name");
            }
            for key in FREE_TEXT_KEYS {
                if let Some(Value::String(text)) = map.get_mut(key) {
                    *text = redact_personal_numbers(text);
                }
            }
            if let Some(Value::String(nik)) = map.remove("nik") {
                map.insert("nikMasked".to_owned(), Value::String(mask_nik(&nik)));
            }
            if let Some(Value::String(number)) = map.remove("callerNumber") {
                map.insert(
                    "callerNumberMasked".to_owned(),
                    Value::String(mask_phone(&number)),
                );
            }
            map.values_mut().for_each(mask_personal);
        }
        Value::Array(items) => items.iter_mut().for_each(mask_personal),
        _ => {}
    }
}
