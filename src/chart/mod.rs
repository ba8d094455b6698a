//! Charts as pure functions of plain data, generic over plotters' `DrawingBackend`: the same
//! `draw_*` renders to an SVG string in a native test and to a canvas in the page.

pub mod fit;
pub mod line;
pub mod optimal;
pub mod style;

pub use style::ChartStyle;
