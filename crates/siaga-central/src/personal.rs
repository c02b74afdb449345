//! Personal data in what the central sends: a caller whose role may not see it (an analyst) gets NIKs
//! and caller numbers masked in every body, on every route and on the live WebSocket.

use crate::auth::Caller;
use serde::Serialize;
use serde_json::Value;
use siaga_domain::nik::mask_nik;

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

fn mask_phone(text: &str) -> String {
    let keep = text.len().saturating_sub(3);
    text.chars()
        .enumerate()
        .map(|(i, c)| if i < 4 || i >= keep { c } else { '*' })
        .collect()
}

/// Replaces every `nik` and `callerNumber` in a JSON tree by its masked form.
pub fn mask_personal(value: &mut Value) {
    match value {
        Value::Object(map) => {
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
