//! The L-BFGS minimiser lives in the kernel crate (compiled at `opt-level = 3` even inside the
//! size-optimised wasm: the fit's time in the page fell by a third when it moved there).
pub use scalecalc_kernel::lbfgs::*;
