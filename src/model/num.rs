//! Number formatting shared by the CLI, the page and the URL codec.

/// Shortest round-trip text for an `f64`: `5.76e23`, `0.5`, `20`.
///
/// Uses scientific notation when the exponent is outside [-4, 6), so URLs stay short.
pub fn short(x: f64) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    let exp = x.abs().log10().floor();
    if (-4.0..6.0).contains(&exp) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// A number with `sig` significant digits, in scientific notation for large or small magnitudes,
/// e.g. `3.22e10`, `1.93`, `92.6`.
pub fn sig(x: f64, sig: usize) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let exp = x.abs().log10().floor() as i32;
    if (-3..6).contains(&exp) {
        let decimals = (sig as i32 - 1 - exp).max(0) as usize;
        format!("{x:.decimals$}")
    } else {
        let s = format!("{:.*e}", sig.saturating_sub(1), x);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_round_trips() {
        for x in [5.76e23, 0.5, 20.0, 1e-9, 123456.0, 1234567.0, 3.3, 0.0] {
            assert_eq!(short(x).parse::<f64>().unwrap(), x);
        }
        assert_eq!(short(5.76e23), "5.76e23");
        assert_eq!(short(0.5), "0.5");
    }

    #[test]
    fn sig_formats() {
        assert_eq!(sig(3.2191e10, 3), "3.22e10");
        assert_eq!(sig(1.93071, 3), "1.93");
        assert_eq!(sig(92.58, 3), "92.6");
    }
}
