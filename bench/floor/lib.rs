//! The floor: the smallest useful client on the package's stack (see Cargo.toml).

use serde::Serialize;
use wasm_bindgen::prelude::*;

#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[derive(Serialize)]
struct Report {
    ok: bool,
    length: u32,
}

/// POSTs `body` to `url` with gloo-net, reads the answer, and reports through serde-wasm-bindgen.
#[wasm_bindgen]
pub async fn send(url: String, body: String) -> Result<JsValue, JsValue> {
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(&body));
    let request = web_sys::Request::new_with_str_and_init(&url, &init)?;
    let response = gloo_net::http::Request::from(request)
        .send()
        .await
        .map_err(|_| JsValue::NULL)?;
    let text = response.text().await.map_err(|_| JsValue::NULL)?;
    let report = Report {
        ok: response.ok(),
        length: text.len() as u32,
    };
    report
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|_| JsValue::NULL)
}
