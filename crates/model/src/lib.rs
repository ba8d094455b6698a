//! scalecalc's science core: every formula, constant and preset, with its source
//! (`docs/science.md` is the reference its "§" citations point to).
//!
//! A crate of its own: nothing in its dependency tree draws (leptos, web-sys, wasm-bindgen,
//! plotters) or parses a command line (clap). The page, the charts and the CLI of the `scalecalc`
//! crate depend on it (as `scalecalc::model`), never the other way.
#![forbid(unsafe_code)]

pub mod architecture;
pub mod atlas;
pub mod compare;
pub mod date;
pub mod density;
pub mod explain;
pub mod fit;
pub mod hardware;
pub mod inference;
pub mod inputs;
pub mod lifetime;
pub mod limits;
pub mod num;
pub mod plan;
pub mod scaling;
pub mod scenario;
pub mod training;
pub mod url;
