//! The fit's web workers (`src/bin/fit_worker.rs`, built by `web/build.mjs` at `opt-level = 3`): one per
//! core (at most four), started when runs are pasted so they are ready when Fit is pressed. A fit
//! hands each worker packets of starts ([`crate::model::fit::packet`]) until none are left; the
//! page's thread only absorbs the replies, so it stays responsive and the starts run in parallel.
//!
//! Nothing is lost when workers are unavailable (no `Worker`, a file that does not load, a worker
//! that errs or never says it is ready): that share of the starts runs on the page in time slices.
//! A cancelled fit terminates its workers, so a late reply can never reach a newer fit.

use crate::model::fit::{Fitter, Progress};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The worker's loader script (written by `web/build.mjs`), relative to the page.
const WORKER_SCRIPT: &str = "fit-worker_loader.js";
/// Starts per packet: 30 packets for the default grid, each some 25 ms of a worker's time, so the
/// progress moves smoothly and a slow core does not hold the end back.
const PACKET_STARTS: usize = 150;
/// A worker that has not said "ready" after this long is not used.
const READY_TIMEOUT_MS: i32 = 5000;
/// Starts per `step` on the page, when a worker is unavailable.
const LOCAL_STEP: usize = 2;

struct Slot {
    worker: web_sys::Worker,
    /// Resolves when the worker listens; rejects if it fails to load.
    ready: js_sys::Promise,
}

thread_local! {
    static POOL: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
}

fn worker_count() -> usize {
    web_sys::window()
        .map(|w| w.navigator().hardware_concurrency() as usize)
        .unwrap_or(1)
        .clamp(1, 4)
}

/// A promise of the worker's next message (its data), rejected on an error event. Set before a
/// request is posted: a reply cannot arrive before the current task ends.
fn next_message(w: &web_sys::Worker) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, reject| {
        let on_msg = Closure::once_into_js(move |ev: web_sys::MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &ev.data());
        });
        let on_err = Closure::once_into_js(move |ev: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &ev);
        });
        w.set_onmessage(Some(on_msg.unchecked_ref()));
        w.set_onerror(Some(on_err.unchecked_ref()));
    })
}

/// `p`, or a rejection after `ms`.
fn within(p: js_sys::Promise, ms: i32) -> js_sys::Promise {
    let timeout = js_sys::Promise::new(&mut |_resolve, reject| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&reject, ms);
        }
    });
    js_sys::Promise::race(&js_sys::Array::of2(&p, &timeout))
}

/// Starts the workers unless they are running. Called when runs are pasted.
pub fn warm() {
    POOL.with(|p| {
        let mut p = p.borrow_mut();
        if !p.is_empty() {
            return;
        }
        for _ in 0..worker_count() {
            match web_sys::Worker::new(WORKER_SCRIPT) {
                Ok(worker) => {
                    let ready = within(next_message(&worker), READY_TIMEOUT_MS);
                    // Handled now (it is awaited only when Fit is pressed): a worker that fails
                    // to load must not surface as an unhandled rejection.
                    let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
                    let _ = ready.catch(&ignore);
                    ignore.forget();
                    p.push(Slot { worker, ready });
                }
                Err(_) => break,
            }
        }
    });
}

/// Takes the warm workers for one fit (starting them first if needed); empty when the browser
/// cannot start any.
fn take() -> Vec<Slot> {
    warm();
    POOL.with(|p| std::mem::take(&mut *p.borrow_mut()))
}

/// Gives a fit's surviving workers back for the next fit (unless others were started meanwhile).
fn give_back(slots: Vec<Slot>) {
    POOL.with(|p| {
        let mut p = p.borrow_mut();
        if p.is_empty() {
            *p = slots;
        } else {
            slots.iter().for_each(|s| s.worker.terminate());
        }
    });
}

/// Runs every start of `fitter` on the workers (or, for a worker that fails, on the page in time
/// slices), calling `progress` after each packet. Returns false when `cancelled()` became true;
/// the fitter then holds a partial result.
pub async fn run(
    fitter: Rc<RefCell<Fitter>>,
    progress: impl Fn(Progress) + Clone + 'static,
    cancelled: impl Fn() -> bool + Clone + 'static,
    yield_to_browser: fn() -> js_sys::Promise,
    slice_ms: f64,
    now_ms: fn() -> f64,
) -> bool {
    let slots = take();
    let lanes: Vec<Option<Slot>> = if slots.is_empty() {
        vec![None]
    } else {
        slots.into_iter().map(Some).collect()
    };
    let survivors: Rc<RefCell<Vec<Slot>>> = Rc::default();
    let jobs = js_sys::Array::new();
    for lane in lanes {
        let (fitter, progress, cancelled, survivors) = (
            fitter.clone(),
            progress.clone(),
            cancelled.clone(),
            survivors.clone(),
        );
        jobs.push(&wasm_bindgen_futures::future_to_promise(async move {
            let mut slot = match lane {
                Some(s) if JsFuture::from(s.ready.clone()).await.is_ok() => Some(s),
                Some(s) => {
                    s.worker.terminate();
                    None
                }
                None => None,
            };
            loop {
                if cancelled() {
                    if let Some(s) = slot {
                        s.worker.terminate();
                    }
                    return Ok(JsValue::FALSE);
                }
                let Some(s) = &slot else {
                    // On the page: time slices of a few starts, then let the browser paint.
                    let t0 = now_ms();
                    let mut left = true;
                    while left && now_ms() - t0 < slice_ms {
                        let req = fitter.borrow_mut().request(LOCAL_STEP);
                        match req {
                            Some(req) => {
                                let _ = fitter.borrow_mut().run_here(&req);
                            }
                            None => left = false,
                        }
                    }
                    progress(fitter.borrow().progress());
                    if !left {
                        return Ok(JsValue::TRUE);
                    }
                    let _ = JsFuture::from(yield_to_browser()).await;
                    continue;
                };
                let Some(req) = fitter.borrow_mut().request(PACKET_STARTS) else {
                    survivors.borrow_mut().extend(slot.take());
                    return Ok(JsValue::TRUE);
                };
                let reply = next_message(&s.worker);
                let sent = s
                    .worker
                    .post_message(&js_sys::Float64Array::from(&req[..]))
                    .is_ok();
                let answer = if sent {
                    JsFuture::from(reply).await.ok()
                } else {
                    None
                };
                if cancelled() {
                    continue;
                }
                let absorbed = answer
                    .as_ref()
                    .and_then(|v| v.dyn_ref::<js_sys::Float64Array>())
                    .map(|a| fitter.borrow_mut().absorb(&a.to_vec()));
                let p = match absorbed {
                    Some(Ok(p)) => p,
                    _ => {
                        // The worker failed or answered nonsense: run its packet here, and the
                        // rest of its share too.
                        if let Some(s) = slot.take() {
                            s.worker.terminate();
                        }
                        match fitter.borrow_mut().run_here(&req) {
                            Ok(p) => p,
                            Err(_) => fitter.borrow().progress(),
                        }
                    }
                };
                progress(p);
            }
        }));
    }
    let all = JsFuture::from(js_sys::Promise::all(&jobs)).await;
    let done = !cancelled() && all.is_ok();
    let slots = std::mem::take(&mut *survivors.borrow_mut());
    if done {
        give_back(slots);
    } else {
        slots.iter().for_each(|s| s.worker.terminate());
    }
    done
}
