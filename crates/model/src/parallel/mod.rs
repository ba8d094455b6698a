//! Many GPUs, predicted (issue 16): α–β collectives, the step-time model with its calibration to
//! Megatron-LM's Table 1, and the layout search.
//!
//! The files live in `training/` beside the memory model they use. They are declared here so that
//! `training/mod.rs`, being refactored on the main branch at the same time, is left untouched:
//! moving these declarations there (`pub mod collectives; …`) is the whole of the merge.

#[path = "../training/collectives.rs"]
pub mod collectives;
#[path = "../training/layout.rs"]
pub mod layout;
#[path = "../training/step.rs"]
pub mod step;
