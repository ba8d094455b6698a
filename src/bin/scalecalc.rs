//! The native command line: a thin shell over `scalecalc::model` (see `scalecalc::cli`).
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(scalecalc::cli::main());
}

#[cfg(target_arch = "wasm32")]
fn main() {}
