//! The pure core: every formula, constant and preset, with its source.
//!
//! Nothing here imports leptos, web-sys, wasm-bindgen or plotters; `cargo test
//! --no-default-features` builds and tests this module alone.

pub mod architecture;
pub mod date;
pub mod density;
pub mod explain;
pub mod fit;
pub mod hardware;
pub mod inference;
pub mod lifetime;
pub mod limits;
pub mod num;
pub mod plan;
pub mod scaling;
pub mod scenario;
pub mod training;
pub mod url;
