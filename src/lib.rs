//! scalecalc: a compute-cost and scaling-law calculator for large language models.
//!
//! `model` is the pure science core, the crate `scalecalc-model` (`crates/model`: no UI, plotting
//! or CLI crates in its dependency tree); `chart` draws plain data with plotters on any backend;
//! `ui` is the Leptos page (feature `ui`); `cli` is the native command line. All three depend on
//! the model, never the other way.
#![forbid(unsafe_code)]

pub mod chart;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub use scalecalc_model as model;
#[cfg(feature = "ui")]
pub mod ui;
