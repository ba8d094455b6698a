//! Shared chart styling: palette (Okabe–Ito, colour-blind safe), themes, HiDPI scale, tick labels.

use plotters::style::RGBColor;

/// Okabe & Ito (2008) colour-blind-safe palette.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(240, 228, 66),  // yellow
    RGBColor(0, 0, 0),       // black
];

/// How a chart is drawn: size multiplier for HiDPI, and light or dark colours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartStyle {
    /// Device pixels per CSS pixel: every font size and line width is multiplied by it.
    pub scale: f64,
    pub dark: bool,
}

impl Default for ChartStyle {
    fn default() -> Self {
        Self {
            scale: 1.0,
            dark: false,
        }
    }
}

impl ChartStyle {
    pub fn px(&self, css_px: f64) -> u32 {
        (css_px * self.scale).round().max(1.0) as u32
    }
    pub fn font(&self, css_px: f64) -> f64 {
        css_px * self.scale
    }
    pub fn background(&self) -> RGBColor {
        if self.dark {
            RGBColor(24, 26, 31)
        } else {
            RGBColor(255, 255, 255)
        }
    }
    pub fn foreground(&self) -> RGBColor {
        if self.dark {
            RGBColor(220, 222, 228)
        } else {
            RGBColor(30, 32, 36)
        }
    }
    pub fn grid(&self) -> RGBColor {
        if self.dark {
            RGBColor(60, 64, 72)
        } else {
            RGBColor(228, 230, 234)
        }
    }
    /// In dark mode black is swapped for white so the last series stays visible.
    pub fn color(&self, i: usize) -> RGBColor {
        let c = PALETTE[i % PALETTE.len()];
        if self.dark && c == RGBColor(0, 0, 0) {
            RGBColor(255, 255, 255)
        } else {
            c
        }
    }
}

const SUPERSCRIPTS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/// A log-axis tick label: `10²¹` for exact powers of ten, else `3×10²¹`.
pub fn pow10_label(v: f64) -> String {
    if v <= 0.0 || !v.is_finite() {
        return String::new();
    }
    let e = v.log10().floor();
    let m = v / 10f64.powf(e);
    let mut exp = String::new();
    let ei = e as i64;
    if ei < 0 {
        exp.push('⁻');
    }
    for d in ei.unsigned_abs().to_string().chars() {
        exp.push(SUPERSCRIPTS[d.to_digit(10).unwrap_or(0) as usize]);
    }
    if (m - 1.0).abs() < 1e-6 {
        format!("10{exp}")
    } else {
        format!("{}×10{exp}", (m * 10.0).round() / 10.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn labels() {
        assert_eq!(pow10_label(1e21), "10²¹");
        assert_eq!(pow10_label(3e21), "3×10²¹");
        assert_eq!(pow10_label(1e-3), "10⁻³");
    }
}
