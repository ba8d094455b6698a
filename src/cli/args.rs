//! Value parsers shared by the subcommands: each names the rule a value broke.

/// A finite number > 0 (scientific notation allowed: `5.76e23`).
pub fn positive(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a number"))?;
    if !x.is_finite() || x <= 0.0 {
        return Err(format!("'{s}' must be a finite number greater than 0"));
    }
    Ok(x)
}

/// A finite number ≥ 0.
pub fn non_negative(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a number"))?;
    if !x.is_finite() || x < 0.0 {
        return Err(format!("'{s}' must be a finite number of at least 0"));
    }
    Ok(x)
}

/// A fraction in (0, 1].
pub fn fraction(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a number"))?;
    if !x.is_finite() || x <= 0.0 || x > 1.0 {
        return Err(format!("'{s}' must be in (0, 1]"));
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn parsers() {
        assert_eq!(positive("5.76e23"), Ok(5.76e23));
        assert!(positive("0").is_err());
        assert!(positive("NaN").is_err());
        assert!(positive("abc").unwrap_err().contains("not a number"));
        assert!(fraction("1.5").is_err());
        assert_eq!(non_negative("0"), Ok(0.0));
    }
}
