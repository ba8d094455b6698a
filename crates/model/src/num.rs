//! Number formatting shared by the CLI, the page and the URL codec.

/// Shortest round-trip text for an `f64`: `5.76e23`, `0.5`, `20`.
///
/// Uses scientific notation when the exponent is outside [-4, 6), so URLs stay short.
/// Bytes in a GiB (2³⁰): the page and the CLI's words give memory in GiB everywhere, as
/// nvidia-smi reports it, so a card sold as "80GB" reads 80 (issue 18, item 5).
pub const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

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

/// A row of a pasted two-column table that could not be read (line numbers from 1, the header
/// being line 1).
#[derive(Debug, Clone, PartialEq)]
pub struct PairError {
    pub line: usize,
    pub message: String,
}

/// Reads two-column rows `x,y`: a header line first, blank lines skipped, columns after the
/// second ignored; `x` must be positive, `y` finite (and positive when `y_positive`). Every bad row
/// is named; any bad row means no pairs. `names` name the columns in the messages.
pub fn parse_pairs(
    text: &str,
    names: (&str, &str),
    y_positive: bool,
) -> Result<Vec<(f64, f64)>, Vec<PairError>> {
    let mut pairs = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        if cells.len() < 2 {
            errors.push(PairError {
                line: line_no,
                message: format!("expected two columns: {}, {}", names.0, names.1),
            });
            continue;
        }
        let read = |name: &str, v: &str, positive: bool| -> Result<f64, String> {
            match v.parse::<f64>() {
                Ok(x) if x.is_finite() && (!positive || x > 0.0) => Ok(x),
                Ok(x) if positive => Err(format!("{name} {x} must be a positive number")),
                Ok(x) => Err(format!("{name} {x} must be a finite number")),
                Err(_) => Err(format!("{name} '{v}' is not a number")),
            }
        };
        match (
            read(names.0, cells[0], true),
            read(names.1, cells[1], y_positive),
        ) {
            (Ok(x), Ok(y)) => pairs.push((x, y)),
            (Err(m), _) | (_, Err(m)) => errors.push(PairError {
                line: line_no,
                message: m,
            }),
        }
    }
    if errors.is_empty() {
        Ok(pairs)
    } else {
        Err(errors)
    }
}
