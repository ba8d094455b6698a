//! The web page's entry point: it only mounts the app.
fn main() {
    scalecalc::ui::mount();
}
