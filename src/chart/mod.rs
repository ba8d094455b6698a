//! Charts as pure functions of plain data, generic over plotters' `DrawingBackend`: the same
//! `draw_*` renders to an SVG string in a native test and to a canvas in the page.

pub mod atlas;
pub mod bar;
pub mod density;
pub mod fit;
pub mod inference;
pub mod line;
pub mod optimal;
pub mod scaling;
pub mod style;
pub mod training;

pub use style::ChartStyle;

/// Renders with `draw` to an SVG string of `width × height` (native tests, exports); a failed
/// draw gives an SVG comment naming the error.
pub fn svg_of<T, E: std::fmt::Debug>(
    width: u32,
    height: u32,
    draw: impl FnOnce(
        &plotters::drawing::DrawingArea<plotters::prelude::SVGBackend<'_>, plotters::coord::Shift>,
    ) -> Result<T, E>,
) -> String {
    use plotters::prelude::IntoDrawingArea;
    let mut out = String::new();
    {
        let root = plotters::prelude::SVGBackend::with_string(&mut out, (width, height))
            .into_drawing_area();
        if let Err(e) = draw(&root) {
            return format!("<!-- chart error: {e:?} -->");
        }
    }
    out
}
