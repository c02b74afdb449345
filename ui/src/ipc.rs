//! The UI's side of Tauri IPC: typed calls to the shell's commands, named and shaped by `siaga-wire`.

use serde::Serialize;
use siaga_wire::ipc::{IpcCommand, IpcError};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `window.__TAURI__.core.invoke` (present because `app.withGlobalTauri` is on).
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "core"], js_name = invoke)]
    async fn tauri_invoke(command: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

/// The arguments object: every Siaga command takes one parameter named `request`.
#[derive(Serialize)]
struct Args<'a, T> {
    request: &'a T,
}

/// Calls command `C` with `request` and decodes its answer.
pub async fn invoke<C: IpcCommand>(request: &C::Request) -> Result<C::Response, IpcError> {
    let args = Args { request }
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| bridge_error("encode", e.to_string()))?;
    let answer = tauri_invoke(C::NAME, args).await.map_err(|rejection| {
        serde_wasm_bindgen::from_value::<IpcError>(rejection.clone())
            .unwrap_or_else(|_| bridge_error("unreachable", format!("{rejection:?}")))
    })?;
    serde_wasm_bindgen::from_value(answer).map_err(|e| bridge_error("decode", e.to_string()))
}

fn bridge_error(code: &str, detail: String) -> IpcError {
    IpcError {
        code: format!("bridge_{code}"),
        message: detail,
    }
}
