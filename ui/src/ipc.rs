//! The UI's side of Tauri IPC: typed calls to the shell's commands, named and shaped by `siaga-ipc`.

use serde::Serialize;
use siaga_ipc::{IpcCommand, IpcError};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `window.__TAURI__.core.invoke` (present because `app.withGlobalTauri` is on).
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "core"], js_name = invoke)]
    async fn tauri_invoke(command: &str, args: JsValue) -> Result<JsValue, JsValue>;

    /// `window.__TAURI__.event.listen`: resolves to the function that stops listening.
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "event"], js_name = listen)]
    async fn tauri_listen(event: &str, handler: &js_sys::Function) -> Result<JsValue, JsValue>;
}

/// The arguments object: every Siaga command takes one parameter named `request`.
#[derive(Serialize)]
struct Args<'a, T> {
    request: &'a T,
}

/// Calls command `C` with `request` and decodes its answer.
pub async fn invoke<C: IpcCommand>(request: &C::Request) -> Result<C::Response, IpcError> {
    let answer = invoke_raw::<C>(request).await?;
    serde_wasm_bindgen::from_value(answer).map_err(|e| bridge_error("decode", e.to_string()))
}

/// Calls command `C` and hands back its answer undecoded (for bulk data passed straight on to JS, such
/// as the map's incident rows; the shape is still `C::Response`).
pub async fn invoke_raw<C: IpcCommand>(request: &C::Request) -> Result<JsValue, IpcError> {
    let args = Args { request }
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| bridge_error("encode", e.to_string()))?;
    tauri_invoke(C::NAME, args).await.map_err(|rejection| {
        serde_wasm_bindgen::from_value::<IpcError>(rejection.clone())
            .unwrap_or_else(|_| bridge_error("unreachable", format!("{rejection:?}")))
    })
}

/// Calls `handler` with the payload of every `event` the shell emits, for the app's lifetime.
pub fn listen<T: serde::de::DeserializeOwned + 'static>(
    event: &'static str,
    mut handler: impl FnMut(T) + 'static,
) {
    let callback = Closure::<dyn FnMut(JsValue)>::new(move |message: JsValue| {
        let payload = js_sys::Reflect::get(&message, &JsValue::from_str("payload")).unwrap_or(JsValue::NULL);
        if let Ok(payload) = serde_wasm_bindgen::from_value(payload) {
            handler(payload);
        }
    });
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) = tauri_listen(event, callback.as_ref().unchecked_ref()).await {
            web_sys::console::error_1(&format!("listen {event}: {error:?}").into());
        }
        // Listening lasts as long as the app: the closure must outlive this task.
        callback.forget();
    });
}

fn bridge_error(code: &str, detail: String) -> IpcError {
    IpcError {
        code: format!("bridge_{code}"),
        message: detail,
    }
}
