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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::limits as L;
    #[test]
    fn parsers() {
        let flops = limited(&L::FLOPS);
        assert_eq!(flops("5.76e23"), Ok(5.76e23));
        assert!(flops("0")
            .unwrap_err()
            .contains("outside the allowed range"));
        assert!(flops("NaN").unwrap_err().contains("not a finite number"));
        assert!(flops("abc").unwrap_err().contains("not a number"));
        assert_eq!(limited_u32(&L::GPUS)("1k"), Ok(1000));
        assert!(limited_u32(&L::GPUS)("8.5").is_err());
        assert_eq!(resamples("1000"), Ok(1000));
        assert!(resamples("18446744073709551615").is_err());
        assert!(resamples("1000000000").is_err());
        assert!(resamples("1").is_err());
        for bad in ["NaN", "inf", "-1", "1"] {
            assert!(limited(&L::ISO_TOL)(bad).is_err(), "{bad}");
        }
    }
}
