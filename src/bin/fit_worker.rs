//! The fit's web worker. The page hands it ranges of the App. D.2 grid's starts as
//! `Float64Array` packets ([`scalecalc::model::fit::packet`]) and absorbs the replies; two or more
//! workers run the 4,500 starts in parallel off the page's thread. Built by `web/build.mjs` as a
//! worker (wasm-bindgen `--target no-modules`) at `opt-level = 3`; it holds the model only, no Leptos.
//!
//! Protocol: the worker posts the string `"ready"` once it listens; each request gets one reply,
//! a `Float64Array`, or a string naming what was wrong with the request.

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let data = ev.data();
            let reply: JsValue = match data.dyn_ref::<js_sys::Float64Array>() {
                Some(req) => match scalecalc::model::fit::packet::answer(&req.to_vec()) {
                    Ok(out) => js_sys::Float64Array::from(&out[..]).into(),
                    Err(e) => JsValue::from_str(&e),
                },
                None => JsValue::from_str("fit worker: a request is a Float64Array"),
            };
            let _ = reply_to.post_message(&reply);
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("fit-worker is the page's web worker; build it with ./x build");
    std::process::exit(2);
}
