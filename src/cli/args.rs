//! Value parsers shared by the subcommands: each names the rule a value broke.

use crate::model::limits::Limit;

/// A number checked by its rule in `model::limits` — the rule the link decoder and the page's
/// fields check too, so a value gets the same verdict in every shell.
pub fn limited(
    limit: &'static Limit,
) -> impl Fn(&str) -> Result<f64, String> + Clone + Send + Sync {
    move |s: &str| limit.parse(s).map_err(|r| format!("{r}"))
}

/// A whole number checked by its rule in `model::limits`.
pub fn limited_u32(
    limit: &'static Limit,
) -> impl Fn(&str) -> Result<u32, String> + Clone + Send + Sync {
    move |s: &str| limit.parse_u32(s).map_err(|r| format!("{r}"))
}

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

/// Bootstrap resamples: 0 (none) or 2 to 10,000, the bound the link's `boot` has too.
pub fn resamples(s: &str) -> Result<usize, String> {
    let max = crate::model::fit::MAX_RESAMPLES;
    let n: usize = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a whole number from 0 to {max}"))?;
    if n == 1 || n > max {
        return Err(format!("'{s}' must be 0 (none) or from 2 to {max}"));
    }
    Ok(n)
}

/// The iso-FLOP grouping tolerance: a finite number in [0, 0.99], as the link's `isotol`.
pub fn iso_tol(s: &str) -> Result<f64, String> {
    let x = non_negative(s)?;
    if x > 0.99 {
        return Err(format!("'{s}' must be in [0, 0.99]"));
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
        assert_eq!(resamples("1000"), Ok(1000));
        assert!(resamples("18446744073709551615").is_err());
        assert!(resamples("1000000000").is_err());
        assert!(resamples("1").is_err());
        for bad in ["NaN", "inf", "-1", "1"] {
            assert!(iso_tol(bad).is_err(), "{bad}");
        }
    }
}
