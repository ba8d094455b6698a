//! scalecalc: a compute-cost and scaling-law calculator for large language models.
//!
//! `model` is the pure science core (no UI crates); `chart` draws plain data with plotters on any
//! backend; `ui` is the Leptos page (feature `ui`); `cli` is the native command line.
#![forbid(unsafe_code)]

pub mod chart;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod model;
#[cfg(feature = "ui")]
pub mod ui;
