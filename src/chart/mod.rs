//! Charts as pure functions of plain data, generic over plotters' `DrawingBackend`: the same
//! `draw_*` renders to an SVG string in a native test and to a canvas in the page.

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
