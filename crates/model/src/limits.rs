//! One rule per numeric input: the range that the link decoder ([`super::url`]), the page's fields
//! (which go through the decoder's `set_field`) and the CLI's flags (`cli::args::limited`) all
//! check, so the same value gets the same verdict and the same message everywhere.
//!
//! Each range keeps every figure derived from the input finite for every other input in its range
//! (the fuzz suite, `tests/fuzz_sections.rs` and `tests/cli_fuzz.rs`, holds us to it): a lower
//! bound above zero for divisors (MFU, utilisation, prices, doubling times), an upper bound that
//! leaves room for the products (parameters × tokens × 6 stays below 1e308 by far).

use super::url::Reason;

/// The accepted values of one numeric input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    pub min: f64,
    pub max: f64,
    /// `min` itself is refused.
    pub min_exclusive: bool,
    /// 0 is accepted as "off" / "none" / "the default" even though it is below `min`.
    pub zero_is_off: bool,
    /// Only whole numbers.
    pub whole: bool,
}

impl Limit {
    /// `[min, max]`.
    pub const fn range(min: f64, max: f64) -> Self {
        Self {
            min,
            max,
            min_exclusive: false,
            zero_is_off: false,
            whole: false,
        }
    }

    /// `(min, max]`.
    pub const fn above(min: f64, max: f64) -> Self {
        Self {
            min_exclusive: true,
            ..Self::range(min, max)
        }
    }

    /// 0 ("off"), or `[min, max]`.
    pub const fn off_or(min: f64, max: f64) -> Self {
        Self {
            zero_is_off: true,
            ..Self::range(min, max)
        }
    }

    /// Whole numbers in `[min, max]`.
    pub const fn whole(min: u32, max: u32) -> Self {
        Self {
            whole: true,
            ..Self::range(min as f64, max as f64)
        }
    }

    /// Checks a number against the rule.
    pub fn check(&self, x: f64) -> Result<f64, Reason> {
        if !x.is_finite() {
            return Err(Reason::NotFinite);
        }
        if self.zero_is_off && x == 0.0 {
            return Ok(0.0);
        }
        let low_ok = if self.min_exclusive {
            x > self.min
        } else {
            x >= self.min
        };
        if !low_ok || x > self.max {
            return Err(if self.zero_is_off {
                Reason::OffOrRange {
                    min: self.min,
                    max: self.max,
                }
            } else {
                Reason::OutOfRange {
                    min: self.min,
                    max: self.max,
                    min_exclusive: self.min_exclusive,
                }
            });
        }
        if self.whole && x.fract() != 0.0 {
            return Err(Reason::NotInteger);
        }
        Ok(x)
    }

    /// Parses text (as a link, a field or a flag gives it) as people write numbers
    /// ([`parse_human`]) and checks it.
    pub fn parse(&self, text: &str) -> Result<f64, Reason> {
        let x = parse_human(text).ok_or(Reason::NotANumber)?;
        self.check(x)
    }

    /// Parses a whole number (the rule must be [`Limit::whole`]).
    pub fn parse_u32(&self, text: &str) -> Result<u32, Reason> {
        let x = self.parse(text)?;
        if x.fract() != 0.0 {
            return Err(Reason::NotInteger);
        }
        Ok(x as u32)
    }
}

/// A number as people write it: `5.76e23`, `5M`, `$5M`, `5,000,000`, `1 200`, `70B`, `2T`, `4k`,
/// `5万`, `3亿`. Suffixes are SI-style multipliers (k 10³, M 10⁶, B or G 10⁹, T 10¹²) or the
/// Chinese 万 (10⁴) and 亿 (10⁸); a leading `$` is dropped; thousands separators (commas in groups
/// of three, spaces, `_`) are ignored. Anything else is not a number (`None`). Not-finite values
/// parse (`inf`, `NaN`) so that the rule can name them as such.
///
/// ```
/// use scalecalc_model::limits::parse_human;
/// assert_eq!(parse_human("$5M"), Some(5e6));
/// assert_eq!(parse_human("5,000,000"), Some(5e6));
/// assert_eq!(parse_human("70B"), Some(70e9));
/// assert_eq!(parse_human("1.2e9"), Some(1.2e9));
/// assert_eq!(parse_human("3亿"), Some(3e8));
/// assert_eq!(parse_human("1,5"), None); // a decimal comma is not guessed at
/// ```
pub fn parse_human(text: &str) -> Option<f64> {
    let t = text.trim();
    let t = t.strip_prefix('$').unwrap_or(t).trim_start();
    let (body, mult) = match t.chars().last()? {
        'k' | 'K' => (&t[..t.len() - 1], 1e3),
        'M' => (&t[..t.len() - 1], 1e6),
        'B' | 'G' => (&t[..t.len() - 1], 1e9),
        'T' => (&t[..t.len() - 1], 1e12),
        '万' => (&t[..t.len() - '万'.len_utf8()], 1e4),
        '亿' => (&t[..t.len() - '亿'.len_utf8()], 1e8),
        _ => (t, 1.0),
    };
    let body = body.trim_end();
    let mut digits = String::with_capacity(body.len());
    let mut groups = body.split(',');
    let first = groups.next()?;
    digits.push_str(first);
    for g in groups {
        // A thousands separator: 1–3 digits before the first comma, exactly three between.
        let int_part = g.split(['.', 'e', 'E']).next().unwrap_or("");
        if int_part.len() != 3 || !int_part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push_str(g);
    }
    if body.contains(',') {
        let lead = first.trim_start_matches(['-', '+']);
        if lead.is_empty() || lead.len() > 3 || !lead.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let digits: String = digits
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '\u{a0}' | '\u{202f}' | '\u{2009}'))
        .collect();
    if digits.is_empty() {
        return None;
    }
    let x: f64 = digits.parse().ok()?;
    Some(x * mult)
}

// --- plan and scaling laws ---
/// Training compute, FLOP (`c`, `--flops`).
pub const FLOPS: Limit = Limit::range(1e10, 1e32);
/// Dollar budget (`usd`).
pub const BUDGET_USD: Limit = Limit::range(1.0, 1e13);
/// Wall-clock budget, days (`days`).
pub const BUDGET_DAYS: Limit = Limit::range(0.01, 3650.0);
/// Unique training tokens; 0 = unlimited (`ut`, `--unique-tokens`).
pub const UNIQUE_TOKENS: Limit = Limit::off_or(1.0, 1e17);
/// Target loss, nats per token (`tl`, `--loss`).
pub const TARGET_LOSS: Limit = Limit::above(0.0, 20.0);
/// Lifetime inference tokens (`it`, `--inference-tokens`).
pub const INFERENCE_TOKENS: Limit = Limit::range(0.0, 1e20);
/// Iso-FLOP grouping tolerance (`isotol`, `--iso-tol`).
pub const ISO_TOL: Limit = Limit::range(0.0, 0.99);

/// The Huber loss's δ (`--huber-delta`).
pub const HUBER_DELTA: Limit = Limit::range(1e-8, 10.0);
/// Start values of `ln A` and `ln B` in the fit's grid (`--grid-a`, `--grid-b`; Hoffmann et al.
/// App. D.2 use 0–25).
pub const FIT_GRID_LOG_COEFFICIENT: Limit = Limit::range(-50.0, 50.0);
/// Start values of `ln E` (`--grid-e`; Hoffmann et al. use −1 to 1.5).
pub const FIT_GRID_LOG_E: Limit = Limit::range(-10.0, 10.0);
/// Start values of α and β (`--grid-alpha`, `--grid-beta`; Hoffmann et al. use 0–2).
pub const FIT_GRID_EXPONENT: Limit = Limit::range(0.0, 10.0);

// --- knowledge density ---
/// Density doubling time, months (`dm`, `--doubling-months`).
pub const DOUBLING_MONTHS: Limit = Limit::range(0.1, 600.0);
/// Reference model parameters (`drp`, `--reference-params`).
pub const REFERENCE_PARAMS: Limit = Limit::range(1e6, 1e15);
/// Hardware doubling time, months; 0 = hardware fixed (`dhw`, `--hw-doubling-months`).
pub const HW_DOUBLING_MONTHS: Limit = Limit::off_or(0.1, 1200.0);
/// Decode speed a device must reach, tokens/s (`--min-tokens-per-s`).
pub const MIN_TOKENS_PER_S: Limit = Limit::above(0.0, 1e9);

// --- training ---
/// Total parameters (`tn`, `--params`).
pub const PARAMS: Limit = Limit::range(1e6, 1e16);
/// Active parameters per token; 0 = dense (`tna`, `--active-params`).
pub const ACTIVE_PARAMS: Limit = Limit::off_or(1e6, 1e16);
/// Training tokens (`td`, `--tokens`).
pub const TOKENS: Limit = Limit::range(1e6, 1e17);
/// GPUs for training (`k`, `--gpus`).
pub const GPUS: Limit = Limit::whole(1, 10_000_000);
/// Model FLOPs utilisation: at least 0.1% (`mfu`, `--mfu`).
pub const MFU: Limit = Limit::range(1e-3, 1.0);
/// USD per GPU-hour; 0 = the GPU's preset price (`price`, `iprice`, `--price-per-gpu-hour`).
pub const PRICE_PER_GPU_HOUR: Limit = Limit::off_or(1e-3, 1e4);
/// Power usage effectiveness (`pue`, `--pue`).
pub const PUE: Limit = Limit::range(1.0, 5.0);
/// Grid carbon intensity, t CO₂e per MWh (`grid`, `--grid-t-co2-per-mwh`).
pub const GRID: Limit = Limit::range(0.0, 2.0);
/// Power per GPU, W; 0 = the GPU's rated power (`pw`, `--power-watts`).
pub const POWER_WATTS: Limit = Limit::off_or(1.0, 1e5);
/// Share of GPU time lost to failures and restarts (`lost`, `--lost-fraction`).
pub const LOST_FRACTION: Limit = Limit::range(0.0, 0.99);
/// Research and ablations as a multiple of the final run (`rmul`, `--research-multiplier`).
pub const RESEARCH_MULTIPLIER: Limit = Limit::range(1.0, 100.0);
/// ZeRO stage (`zero`, `--zero`).
pub const ZERO_STAGE: Limit = Limit::whole(0, 3);
/// Tensor- and pipeline-parallel degree (`tp`, `pp`, `--tp`, `--pp`).
pub const PARALLEL_DEGREE: Limit = Limit::whole(1, 1024);
/// Micro-batch, sequences (`mb`, `--micro-batch`).
pub const MICRO_BATCH: Limit = Limit::whole(1, 4096);
/// Vocabulary size (`--vocab`).
pub const VOCAB: Limit = Limit::whole(1, 1 << 24);
/// GPUs per node on NVLink (`--gpus-per-node`).
pub const GPUS_PER_NODE: Limit = Limit::whole(1, 576);
/// Scale-out bandwidth per GPU, Gb/s (`--inter-node-gbps`).
pub const INTER_NODE_GBPS: Limit = Limit::range(0.1, 1e5);
/// Model chunks per pipeline stage (`--virtual-stages`).
pub const VIRTUAL_STAGES: Limit = Limit::whole(1, 64);
/// Sequences per optimizer step (`--global-batch`).
pub const GLOBAL_BATCH: Limit = Limit::whole(1, 1 << 24);
/// Sequence length, tokens (`seq`, `--seq-len`).
pub const SEQ_LEN: Limit = Limit::whole(1, 10_000_000);
/// LoRA rank (`rank`, `--lora-rank`).
pub const LORA_RANK: Limit = Limit::whole(1, 4096);
/// A model dimension or count given by hand (`--layers`, `--hidden`, `--heads`, …): at most
/// 2^30, as in a pasted `config.json` ([`super::architecture::MAX_CONFIG_SIZE`]).
pub const MODEL_SIZE: Limit = Limit::whole(1, 1 << 30);

// --- inference ---
/// GPUs for serving (`itp`, `--gpus`).
pub const SERVING_GPUS: Limit = Limit::whole(1, 1024);
/// Concurrent sequences (`b`, `--batch`).
pub const BATCH: Limit = Limit::whole(1, 100_000);
/// Prompt and output lengths, tokens (`in`, `out`, `--input-tokens`, `--output-tokens`).
pub const SEQUENCE_TOKENS: Limit = Limit::whole(1, 10_000_000);
/// Fleet utilisation: at least 0.1% (`util`, `--utilisation`).
pub const UTILISATION: Limit = Limit::range(1e-3, 1.0);
/// Speculative tokens per step (`sk`, `--spec-k`).
pub const SPEC_K: Limit = Limit::whole(0, 16);
/// Acceptance rate of speculated tokens (`sa`, `--spec-alpha`).
pub const SPEC_ALPHA: Limit = Limit::range(0.0, 0.999);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert_eq!(MFU.parse("0.4"), Ok(0.4));
        assert!(MFU.parse("1e-320").is_err());
        assert!(MFU.parse("NaN").is_err());
        assert_eq!(UNIQUE_TOKENS.parse("0"), Ok(0.0));
        assert!(matches!(
            UNIQUE_TOKENS.parse("1e-320"),
            Err(Reason::OffOrRange { .. })
        ));
        assert_eq!(
            TARGET_LOSS.parse("0"),
            Err(TARGET_LOSS.check(0.0).unwrap_err())
        );
        assert_eq!(GPUS.parse_u32("8"), Ok(8));
        assert_eq!(GPUS.parse_u32("8.5"), Err(Reason::NotInteger));
        assert_eq!(
            UNIQUE_TOKENS.check(0.5).unwrap_err().to_string(),
            "neither 0 nor in the allowed range [1, 1e17]"
        );
        assert_eq!(
            TARGET_LOSS.check(0.0).unwrap_err().to_string(),
            "outside the allowed range (0, 20]"
        );
    }

    #[test]
    fn human_numbers() {
        for (text, x) in [
            ("5M", 5e6),
            ("$5M", 5e6),
            ("$ 5M", 5e6),
            ("5,000,000", 5e6),
            ("5 000 000", 5e6),
            ("5_000_000", 5e6),
            ("1,234.5", 1234.5),
            ("1.2e9", 1.2e9),
            ("4k", 4e3),
            ("70B", 70e9),
            ("2T", 2e12),
            ("1.5G", 1.5e9),
            ("5万", 5e4),
            ("3亿", 3e8),
            ("-1", -1.0),
            (" 0.4 ", 0.4),
        ] {
            assert_eq!(parse_human(text), Some(x), "{text}");
        }
        for bad in [
            "", "$", "M", "1,5", "12,34", "1,2345", "abc", "0x10", "5MM", "5 M B", ",5",
        ] {
            assert_eq!(parse_human(bad), None, "{bad}");
        }
        assert!(parse_human("inf").is_some_and(|x| x.is_infinite()));
        assert_eq!(BUDGET_USD.parse("$5M"), Ok(5e6));
        assert_eq!(MFU.parse("40%"), Err(Reason::NotANumber));
    }
}
