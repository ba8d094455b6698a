//! The scenario's URL codec: a compact query string with a schema version (`v=1`) and one list of
//! keys ([`FIELDS`]).
//!
//! Decoding never fails as a whole. An unknown key is ignored and reported; an invalid value makes
//! that one field fall back to its default with a [`Warning`] naming the key, the value and the
//! reason; every other field is kept. Encoding writes only the fields that differ from the
//! defaults, so links stay short; the defaults therefore belong to the schema version, and a change
//! of default needs a new version whose migration fills the old default into old links.

use super::date::Date;
use super::limits as L;
use super::num;
use super::scenario::*;
use std::fmt;

/// The schema version this build writes.
///
/// - 1: the first.
/// - 2: FlashAttention (`fa`) on by default; a version-1 link is read with `fa=off`, the
///   default it was made with, so it keeps its numbers (`tests/links/v1.txt`).
pub const SCHEMA_VERSION: u32 = 2;

/// The longest link that common servers and proxies accept: nginx's default header buffer and
/// Apache's `LimitRequestLine` are 8 KiB; over this a shared link may be refused with HTTP 414,
/// so the page offers the scenario file instead (issue 19).
pub const MAX_SHAREABLE_LINK: usize = 8_000;

/// The longest text value accepted for a field (CSV tables, config.json), in bytes.
pub const MAX_TEXT_LEN: usize = 200_000;

/// Why one field of a link was not used.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// Not parseable as a number.
    NotANumber,
    /// NaN or infinite.
    NotFinite,
    /// Outside the accepted interval.
    OutOfRange {
        min: f64,
        max: f64,
        min_exclusive: bool,
    },
    /// Neither 0 (which means "off", "none" or "unlimited" for such fields) nor inside the
    /// accepted interval.
    OffOrRange { min: f64, max: f64 },
    /// A whole number was required.
    NotInteger,
    /// Not one of the allowed spellings.
    UnknownChoice(Vec<&'static str>),
    /// Not a valid `YYYY-MM-DD` date.
    BadDate(String),
    /// Not a valid preset id.
    UnknownId(Vec<&'static str>),
    /// Text longer than [`MAX_TEXT_LEN`].
    TooLong(usize),
    /// The key is not part of the schema.
    UnknownKey,
    /// The key appeared more than once; the last value wins.
    Duplicate,
    /// The schema version is not one this build reads.
    Version,
    /// The pasted `config.json` that a section uses (`im` or `tm` = `custom`) is not a usable
    /// architecture: the text is kept (the reader may be editing it) and the section says what it
    /// uses instead.
    Config(super::architecture::ArchError),
    /// A field of the pinned baseline (`base`, itself a link's query string) that could not be
    /// used: the whole baseline is dropped, so no comparison is made with a scenario the reader
    /// did not pin.
    Baseline(Box<Warning>),
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NotANumber => write!(f, "not a number"),
            Reason::NotFinite => write!(f, "not a finite number"),
            Reason::OutOfRange {
                min,
                max,
                min_exclusive,
            } => {
                let lo = if *min_exclusive { "(" } else { "[" };
                write!(
                    f,
                    "outside the allowed range {lo}{}, {}]",
                    num::short(*min),
                    num::short(*max)
                )
            }
            Reason::OffOrRange { min, max } => write!(
                f,
                "neither 0 nor in the allowed range [{}, {}]",
                num::short(*min),
                num::short(*max)
            ),
            Reason::NotInteger => write!(f, "not a whole number"),
            Reason::UnknownChoice(allowed) => write!(f, "not one of {}", allowed.join(", ")),
            Reason::BadDate(why) => write!(f, "not a date: {why}"),
            Reason::UnknownId(allowed) => {
                if allowed.is_empty() {
                    write!(f, "not a valid id (lower-case letters, digits, '.', '-')")
                } else {
                    write!(f, "unknown id (valid: {})", allowed.join(", "))
                }
            }
            Reason::TooLong(max) => write!(f, "longer than {max} characters"),
            Reason::UnknownKey => write!(f, "unknown key"),
            Reason::Duplicate => write!(f, "given more than once; the last value is used"),
            Reason::Version => write!(
                f,
                "unsupported schema version; read as version {SCHEMA_VERSION}"
            ),
            Reason::Config(e) => e.fmt(f),
            Reason::Baseline(w) => write!(f, "its field {w}"),
        }
    }
}

/// A rejected or noteworthy field of a link.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub key: String,
    pub value: String,
    pub reason: Reason,
}

impl Warning {
    /// What happened to the field: ignored, or reset to its default.
    pub fn consequence(&self) -> &'static str {
        match self.reason {
            Reason::UnknownKey => "ignored",
            Reason::Duplicate | Reason::Version => "noted",
            Reason::Config(_) => "kept; the section uses its size fields",
            Reason::Baseline(_) => "no baseline",
            _ => "using the default",
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown: String = self.value.chars().take(40).collect();
        if self.value.chars().count() > 40 {
            shown.push('…');
        }
        write!(
            f,
            "{}='{}': {} ({})",
            self.key,
            shown,
            self.reason,
            self.consequence()
        )
    }
}

impl serde::Serialize for Warning {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Warning", 4)?;
        st.serialize_field("key", &self.key)?;
        st.serialize_field("value", &self.value)?;
        st.serialize_field("reason", &self.reason.to_string())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}

/// One key of the schema: how to read it from and write it to a scenario.
pub struct Field {
    pub key: &'static str,
    /// The value is a number (a scenario file writes it as a JSON number; every other field is
    /// text, written as a JSON string even when it looks like a number).
    pub numeric: bool,
    pub get: fn(&Scenario) -> String,
    pub set: fn(&mut Scenario, &str) -> Result<(), Reason>,
}

/// Bit widths accepted for weights, KV cache and device storage.
pub const BIT_WIDTHS: &[u32] = &[2, 3, 4, 8, 16, 32];

fn parse_bits(v: &str) -> Result<u32, Reason> {
    let b = L::Limit::whole(1, 32).parse_u32(v)?;
    if BIT_WIDTHS.contains(&b) {
        Ok(b)
    } else {
        Err(Reason::UnknownChoice(vec!["2", "3", "4", "8", "16", "32"]))
    }
}

/// A preset id: lower-case ASCII letters, digits, '.', '_' and '-', 1–64 long.
fn parse_id(v: &str, allow_empty: bool) -> Result<String, Reason> {
    let ok_chars = v
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if (v.is_empty() && !allow_empty) || v.len() > 64 || !ok_chars {
        return Err(Reason::UnknownId(vec![]));
    }
    Ok(v.to_string())
}

fn parse_text(v: &str) -> Result<String, Reason> {
    if v.len() > MAX_TEXT_LEN {
        return Err(Reason::TooLong(MAX_TEXT_LEN));
    }
    Ok(v.to_string())
}

fn parse_date(v: &str) -> Result<Date, Reason> {
    Date::parse(v).map_err(|e| Reason::BadDate(e.0))
}

/// A number checked by its rule in [`super::limits`] (the CLI's flags check the same rule).
macro_rules! f64_field {
    ($key:literal, $f:ident, $limit:expr) => {
        Field {
            key: $key,
            numeric: true,
            get: |s| num::short(s.$f),
            set: |s, v| {
                s.$f = $limit.parse(v)?;
                Ok(())
            },
        }
    };
}

/// A whole number checked by its rule in [`super::limits`].
macro_rules! u32_field {
    ($key:literal, $f:ident, $limit:expr) => {
        Field {
            key: $key,
            numeric: true,
            get: |s| s.$f.to_string(),
            set: |s, v| {
                s.$f = $limit.parse_u32(v)?;
                Ok(())
            },
        }
    };
}

macro_rules! bits_field {
    ($key:literal, $f:ident) => {
        Field {
            key: $key,
            numeric: true,
            get: |s| s.$f.to_string(),
            set: |s, v| {
                s.$f = parse_bits(v)?;
                Ok(())
            },
        }
    };
}

macro_rules! choice_field {
    ($key:literal, $f:ident, $t:ty) => {
        Field {
            key: $key,
            numeric: false,
            get: |s| s.$f.as_str().to_string(),
            set: |s, v| {
                s.$f = <$t>::parse(v).ok_or_else(|| Reason::UnknownChoice(<$t>::spellings()))?;
                Ok(())
            },
        }
    };
}

/// A preset id: one of `ids()` or of the `modes` (`""`, `"custom"`, `"fit"`). An unknown id is
/// refused with the valid ones named, so the field falls back to its default with a warning and
/// a select never shows a preset other than the one used (issue 19: `igpu=zz-unknown`).
fn parse_preset(
    v: &str,
    ids: fn() -> Vec<&'static str>,
    modes: &[&'static str],
) -> Result<String, Reason> {
    parse_id(v, modes.contains(&""))?;
    let all = ids();
    if all.contains(&v) || modes.contains(&v) {
        return Ok(v.to_string());
    }
    let mut valid: Vec<&'static str> = modes.iter().copied().filter(|m| !m.is_empty()).collect();
    valid.extend(all);
    Err(Reason::UnknownId(valid))
}

macro_rules! id_field {
    ($key:literal, $f:ident, $ids:expr, $modes:expr) => {
        Field {
            key: $key,
            numeric: false,
            get: |s| s.$f.clone(),
            set: |s, v| {
                s.$f = parse_preset(v, $ids, $modes)?;
                Ok(())
            },
        }
    };
}

macro_rules! on_off_field {
    ($key:literal, $f:ident) => {
        Field {
            key: $key,
            numeric: false,
            get: |s| if s.$f { "on" } else { "off" }.to_string(),
            set: |s, v| {
                s.$f = match v {
                    "on" => true,
                    "off" => false,
                    _ => return Err(Reason::UnknownChoice(vec!["on", "off"])),
                };
                Ok(())
            },
        }
    };
}

macro_rules! text_field {
    ($key:literal, $f:ident) => {
        Field {
            key: $key,
            numeric: false,
            get: |s| s.$f.clone(),
            set: |s, v| {
                s.$f = parse_text(v)?;
                Ok(())
            },
        }
    };
}

macro_rules! date_field {
    ($key:literal, $f:ident) => {
        Field {
            key: $key,
            numeric: false,
            get: |s| s.$f.to_string(),
            set: |s, v| {
                s.$f = parse_date(v)?;
                Ok(())
            },
        }
    };
}

/// The one list of keys (schema version 1). Order is the order links are written in.
pub static FIELDS: &[Field] = &[
    Field {
        key: "lang",
        numeric: false,
        get: |s| s.lang.map(|l| l.as_str().to_string()).unwrap_or_default(),
        set: |s, v| {
            s.lang = if v.is_empty() {
                None
            } else {
                Some(Lang::parse(v).ok_or_else(|| Reason::UnknownChoice(Lang::spellings()))?)
            };
            Ok(())
        },
    },
    choice_field!("theme", theme, Theme),
    choice_field!("sec", section, Section),
    // plan and scaling laws
    choice_field!("bm", budget_mode, BudgetMode),
    f64_field!("c", flops, L::FLOPS),
    f64_field!("usd", budget_usd, L::BUDGET_USD),
    f64_field!("days", budget_days, L::BUDGET_DAYS),
    Field {
        key: "law",
        numeric: false,
        get: |s| s.law.as_str().to_string(),
        set: |s, v| {
            s.law = LawChoice::parse(&parse_preset(
                v,
                super::scaling::law_ids,
                &[LawChoice::FIT],
            )?);
            Ok(())
        },
    },
    f64_field!("ut", unique_tokens, L::UNIQUE_TOKENS),
    f64_field!("tl", target_loss, L::TARGET_LOSS),
    f64_field!("it", inference_tokens, L::INFERENCE_TOKENS),
    u32_field!(
        "boot",
        bootstrap,
        L::Limit::whole(0, super::fit::MAX_RESAMPLES as u32)
    ),
    on_off_field!("band", boot_band),
    text_field!("runs", runs_csv),
    text_field!("rmap", runs_map),
    text_field!("rx", runs_excluded),
    f64_field!("isotol", iso_tol, L::ISO_TOL),
    text_field!("hp", hyper_csv),
    choice_field!("hpk", hyper_kind, HyperKind),
    // knowledge density
    f64_field!("dm", doubling_months, L::DOUBLING_MONTHS),
    Field {
        key: "dref",
        numeric: false,
        get: |s| {
            s.density_ref
                .clone()
                .unwrap_or_else(|| OWN_REFERENCE.into())
        },
        set: |s, v| {
            let id = parse_preset(
                v,
                super::density::reference::reference_ids,
                &["", OWN_REFERENCE],
            )?;
            s.density_ref = (!id.is_empty() && id != OWN_REFERENCE).then_some(id);
            Ok(())
        },
    },
    f64_field!("drp", ref_params, L::REFERENCE_PARAMS),
    date_field!("drd", ref_date),
    date_field!("dd", target_date),
    id_field!("dev", device, super::density::device::device_ids, &[]),
    bits_field!("dbits", device_bits),
    f64_field!("dhw", hw_doubling_months, L::HW_DOUBLING_MONTHS),
    text_field!("models", models_csv),
    text_field!("fam", family_csv),
    f64_field!("en", eff_params, L::Limit::range(1e3, 1e16)),
    f64_field!("esc", eff_score, L::Limit::range(-1e9, 1e9)),
    // the atlas (issue 17)
    Field {
        key: "abm",
        numeric: false,
        get: |s| s.atlas_benchmark.id().to_string(),
        set: |s, v| {
            s.atlas_benchmark = super::atlas::Benchmark::parse(v)
                .ok_or(Reason::UnknownChoice(vec!["mmlu", "math"]))?;
            Ok(())
        },
    },
    id_field!("afam", atlas_family, super::atlas::density::family_ids, &[]),
    Field {
        key: "aw",
        numeric: false,
        get: |s| s.atlas_weights.id().to_string(),
        set: |s, v| {
            s.atlas_weights = super::atlas::view::Weights::parse(v)
                .ok_or(Reason::UnknownChoice(vec!["all", "open", "closed"]))?;
            Ok(())
        },
    },
    Field {
        key: "afr",
        numeric: false,
        get: |s| (if s.atlas_frontier { "on" } else { "off" }).to_string(),
        set: |s, v| {
            s.atlas_frontier = match v {
                "on" => true,
                "off" => false,
                _ => return Err(Reason::UnknownChoice(vec!["on", "off"])),
            };
            Ok(())
        },
    },
    f64_field!("ams", atlas_min_score, L::Limit::range(0.0, 100.0)),
    text_field!("arows", atlas_csv),
    // training
    Field {
        key: "tm",
        numeric: false,
        get: |s| {
            s.train_model
                .as_ref()
                .map_or(String::new(), |m| m.as_str().to_string())
        },
        set: |s, v| {
            let id = parse_preset(
                v,
                super::architecture::preset_ids,
                &["", ModelChoice::PASTED],
            )?;
            s.train_model = (!id.is_empty()).then(|| ModelChoice::parse(&id));
            Ok(())
        },
    },
    f64_field!("tn", params, L::PARAMS),
    f64_field!("tna", active_params, L::ACTIVE_PARAMS),
    f64_field!("td", tokens, L::TOKENS),
    id_field!("gpu", gpu, super::hardware::gpu_ids, &[]),
    u32_field!("k", gpus, L::GPUS),
    f64_field!("mfu", mfu, L::MFU),
    f64_field!("price", price_per_gpu_hour, L::PRICE_PER_GPU_HOUR),
    f64_field!("pue", pue, L::PUE),
    f64_field!("grid", grid_t_co2_per_mwh, L::GRID),
    f64_field!("pw", power_watts, L::POWER_WATTS),
    f64_field!("lost", lost_fraction, L::LOST_FRACTION),
    f64_field!("rmul", research_multiplier, L::RESEARCH_MULTIPLIER),
    choice_field!("opt", optimizer, Optimizer),
    u32_field!("zero", zero_stage, L::ZERO_STAGE),
    u32_field!("tp", tp, L::PARALLEL_DEGREE),
    u32_field!("pp", pp, L::PARALLEL_DEGREE),
    u32_field!("tcp", cp, L::PARALLEL_DEGREE),
    u32_field!("tep", ep, L::PARALLEL_DEGREE),
    u32_field!("mb", micro_batch, L::MICRO_BATCH),
    u32_field!("seq", seq_len, L::SEQ_LEN),
    choice_field!("rc", recompute, Recompute),
    on_off_field!("fa", flash_attention),
    choice_field!("ft", finetune, Finetune),
    u32_field!("rank", lora_rank, L::LORA_RANK),
    // inference
    Field {
        key: "im",
        numeric: false,
        get: |s| s.inf_model.as_str().to_string(),
        set: |s, v| {
            let id = parse_preset(v, super::architecture::preset_ids, &[ModelChoice::PASTED])?;
            s.inf_model = ModelChoice::parse(&id);
            Ok(())
        },
    },
    text_field!("cfg", custom_config),
    id_field!("igpu", inf_gpu, super::hardware::gpu_ids, &[]),
    u32_field!("itp", inf_gpus, L::SERVING_GPUS),
    u32_field!("b", batch, L::BATCH),
    u32_field!("in", input_tokens, L::SEQUENCE_TOKENS),
    u32_field!("out", output_tokens, L::SEQUENCE_TOKENS),
    bits_field!("wb", weight_bits),
    bits_field!("kb", kv_bits),
    choice_field!("cp", compute, Precision),
    f64_field!("iprice", inf_price_per_gpu_hour, L::PRICE_PER_GPU_HOUR),
    f64_field!("util", utilisation, L::UTILISATION),
    u32_field!("sk", spec_k, L::SPEC_K),
    f64_field!("sa", spec_alpha, L::SPEC_ALPHA),
    // comparison
    Field {
        key: "base",
        numeric: false,
        get: |s| s.baseline.as_deref().map(encode).unwrap_or_default(),
        set: |s, v| {
            s.baseline = parse_baseline(v)?;
            Ok(())
        },
    },
];

/// The pinned baseline (`base`): the baseline's own query string, read with the rules of a link
/// (its version included). Empty: none. A field of it that cannot be used rejects the whole
/// baseline, naming that field; a baseline's own `base`, language, theme and section are dropped.
fn parse_baseline(v: &str) -> Result<Option<Box<Scenario>>, Reason> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    if v.len() > MAX_TEXT_LEN {
        return Err(Reason::TooLong(MAX_TEXT_LEN));
    }
    // A baseline's own baseline is dropped before decoding, so a crafted link cannot nest them.
    let own: Vec<&str> = query_part(v)
        .split('&')
        .filter(|p| percent_decode(p.split_once('=').map_or(*p, |(k, _)| k)) != "base")
        .collect();
    let d = decode(&own.join("&"));
    match d.warnings.into_iter().next() {
        Some(w) => Err(Reason::Baseline(Box::new(w))),
        None => Ok(Some(Box::new(d.scenario.as_baseline()))),
    }
}

/// The field with this key.
pub fn field(key: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.key == key)
}

/// Sets one field from text, as a link or an input box gives it. On error the scenario is unchanged.
pub fn set_field(s: &mut Scenario, key: &str, value: &str) -> Result<(), Warning> {
    let warn = |reason| Warning {
        key: key.to_string(),
        value: value.to_string(),
        reason,
    };
    let f = field(key).ok_or_else(|| warn(Reason::UnknownKey))?;
    let mut trial = s.clone();
    (f.set)(&mut trial, value).map_err(warn)?;
    *s = trial;
    Ok(())
}

/// Sets a GPU field (`gpu` for training, `igpu` for serving) as the page's select does: the
/// section's price per GPU-hour follows the GPU while it is the old GPU's typical price or the
/// scenario's default (the reader has not typed one of their own), so a $0.40 card is not priced at an H100's $2/h
/// (issue 18, item 6). A typed price is kept. Links never go through here: a link's price is the
/// one it was made with. Any other key is [`set_field`].
pub fn set_field_following(s: &mut Scenario, key: &str, value: &str) -> Result<(), Warning> {
    let typical = |id: &str| super::hardware::gpu(id).map(|g| g.price_per_hour_usd);
    if !matches!(key, "gpu" | "igpu") {
        return set_field(s, key, value);
    }
    let follows = price_follows_gpu(s, key);
    let old = get_field(s, key);
    set_field(s, key, value)?;
    if get_field(s, key) == old {
        // The same GPU chosen again: nothing changes.
        return Ok(());
    }
    let new_gpu = if key == "gpu" { &s.gpu } else { &s.inf_gpu };
    if let Some(new) = typical(new_gpu) {
        if follows {
            if key == "gpu" {
                s.price_per_gpu_hour = new;
            } else {
                s.inf_price_per_gpu_hour = new;
            }
        }
    }
    Ok(())
}

/// Whether a section's price follows its GPU (see [`set_field_following`]): it is the GPU's
/// typical price or the scenario's default (or, for training, 0). `key` is `gpu` or `igpu`.
pub fn price_follows_gpu(s: &Scenario, key: &str) -> bool {
    let d = Scenario::default();
    let (gpu, price, default) = match key {
        "gpu" => (&s.gpu, s.price_per_gpu_hour, d.price_per_gpu_hour),
        "igpu" => (
            &s.inf_gpu,
            s.inf_price_per_gpu_hour,
            d.inf_price_per_gpu_hour,
        ),
        _ => return false,
    };
    // The training price 0 means "the GPU's default" (`TrainingRun::price_per_gpu_hour`).
    price == default
        || (key == "gpu" && price == 0.0)
        || super::hardware::gpu(gpu).is_some_and(|g| g.price_per_hour_usd == price)
}

/// The text a field returns to when the reader resets it: the default scenario's value, except a
/// price on another GPU than the default's, which returns to its GPU's typical price (the price
/// that follows the GPU; see [`set_field_following`]). `None` for an unknown key.
pub fn default_text(s: &Scenario, key: &str) -> Option<String> {
    default_text_from(s, &Scenario::default(), key)
}

/// [`default_text`] with the default scenario `d` given (the page keeps one).
pub fn default_text_from(s: &Scenario, d: &Scenario, key: &str) -> Option<String> {
    // On the default GPU a price returns to the default scenario's (which follows that GPU).
    let typical = |id: &str, default_id: &str| {
        (id != default_id)
            .then(|| super::hardware::gpu(id).map(|g| g.price_per_hour_usd))
            .flatten()
    };
    let price = match key {
        "price" => typical(&s.gpu, &d.gpu),
        "iprice" => typical(&s.inf_gpu, &d.inf_gpu),
        _ => None,
    };
    match price {
        Some(p) => {
            let mut with = s.clone();
            set_field(&mut with, key, &p.to_string()).ok()?;
            get_field(&with, key)
        }
        None => get_field(d, key),
    }
}

/// The text of one field, as a link or an input box shows it.
pub fn get_field(s: &Scenario, key: &str) -> Option<String> {
    field(key).map(|f| (f.get)(s))
}

/// The result of decoding a link: the scenario, and what was rejected or noted.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub scenario: Scenario,
    /// Fields of the link that were not used (each fell back to its default), and notes on the
    /// link itself (unknown keys, duplicates, its version).
    pub warnings: Vec<Warning>,
    /// Fields that were kept as given but cannot be used as they are (a pasted `config.json`
    /// that is no architecture): the scenario is the link's, the sections say what they use.
    pub notes: Vec<Warning>,
}

impl Decoded {
    /// Everything to tell the reader: the warnings, then the notes.
    pub fn all_warnings(&self) -> Vec<Warning> {
        self.warnings.iter().chain(&self.notes).cloned().collect()
    }
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.~".contains(&b)
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if is_unreserved(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes and `+` (as a space). Malformed escapes are kept literally; invalid UTF-8
/// is replaced with U+FFFD.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The query part of a link: everything after the first `?` up to a `#`; a bare query string is
/// taken as it is.
pub fn query_part(link: &str) -> &str {
    // A '?' starts the query only where it comes before the first '=': in a bare query
    // (`v=1&k=64&lang=?`) a later '?' is part of a value, and taking the text after it would
    // silently drop every field before it (issue 19).
    let first_eq = link.find('=');
    let q = match link.find('?') {
        Some(i) if first_eq.is_none_or(|e| i < e) => &link[i + 1..],
        _ if first_eq.is_some() || link.is_empty() => link,
        _ => "",
    };
    match q.find('#') {
        Some(i) => &q[..i],
        None => q,
    }
}

/// Encodes the scenario: `v=2` followed by every field that differs from the default.
pub fn encode(s: &Scenario) -> String {
    let d = Scenario::default();
    let mut out = format!("v={SCHEMA_VERSION}");
    for f in FIELDS {
        let v = (f.get)(s);
        if v != (f.get)(&d) {
            out.push('&');
            out.push_str(f.key);
            out.push('=');
            out.push_str(&percent_encode(&v));
        }
    }
    out
}

/// The defaults of schema version 1 where they differ from today's: FlashAttention off.
fn migrate_from_v1(mut s: Scenario) -> Scenario {
    s.flash_attention = false;
    s
}

/// Decodes a link or a query string. Never fails: see the module docs.
pub fn decode(link: &str) -> Decoded {
    let defaults = Scenario::default();
    let mut warnings = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let pairs: Vec<(String, String)> = query_part(link)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(p), String::new()),
        })
        .collect();
    // The version decides the defaults the link was made with (see `SCHEMA_VERSION`); a link
    // with none is read as the current version.
    let version = pairs.iter().find(|(k, _)| k == "v").map(|(_, v)| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=SCHEMA_VERSION).contains(n))
    });
    // The defaults of the link's version: a field that cannot be used falls back to these.
    let defaults = match version {
        Some(Some(1)) => migrate_from_v1(defaults),
        _ => defaults,
    };
    let mut s = defaults.clone();
    for (k, v) in &pairs {
        if k == "v" {
            if version == Some(None) {
                warnings.push(Warning {
                    key: k.clone(),
                    value: v.clone(),
                    reason: Reason::Version,
                });
            }
            continue;
        }
        let Some(f) = field(k) else {
            warnings.push(Warning {
                key: k.clone(),
                value: v.clone(),
                reason: Reason::UnknownKey,
            });
            continue;
        };
        if seen.iter().any(|x| x == k) {
            warnings.push(Warning {
                key: k.clone(),
                value: v.clone(),
                reason: Reason::Duplicate,
            });
        } else {
            seen.push(k.clone());
        }
        if let Err(reason) = (f.set)(&mut s, v) {
            // Fall back to the default for this field only.
            let _ = (f.set)(&mut s, &(f.get)(&defaults));
            warnings.push(Warning {
                key: k.clone(),
                value: v.clone(),
                reason,
            });
        }
    }
    // A pasted config.json in use that is not a usable architecture is named (issue 15:
    // `cfg={"hidden_size":1e19,…}`), not only shown deep in a section. The text is kept.
    let mut notes = Vec::new();
    if (s.inf_model == ModelChoice::Pasted || s.train_model == Some(ModelChoice::Pasted))
        && !s.custom_config.trim().is_empty()
    {
        if let Err(e) = super::architecture::Architecture::from_hf_config(&s.custom_config) {
            notes.push(Warning {
                key: "cfg".into(),
                value: s.custom_config.clone(),
                reason: Reason::Config(e),
            });
        }
    }
    Decoded {
        scenario: s,
        warnings,
        notes,
    }
}

/// The whole scenario as a JSON object keyed by the link keys (every field, defaults included),
/// with `"v"`: the scenario file the page exports.
pub fn to_json(s: &Scenario) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    map.insert("v".into(), serde_json::Value::from(SCHEMA_VERSION));
    for f in FIELDS {
        let text = (f.get)(s);
        // Numeric fields as JSON numbers, so the file reads naturally; text fields stay strings
        // even when they look like numbers, so import gives back the same text (issue 19:
        // `runs=1e22` came back as "1e+22").
        let value = match text.parse::<f64>() {
            Ok(x) if f.numeric && x.is_finite() => serde_json::Number::from_f64(x)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::String(text)),
            _ => serde_json::Value::String(text),
        };
        map.insert(f.key.into(), value);
    }
    serde_json::Value::Object(map)
}

/// The scenario file's object of computed results, which import skips.
pub const RESULTS_KEY: &str = "results";

/// Reads a scenario file (see [`to_json`]) with the same per-field rules as a link: a bad field
/// falls back to its default with a warning, unknown keys are reported, the rest is kept. The
/// page's file also carries a `results` object (the numbers it computed, for the reader): it is
/// ignored, as the inputs alone give them back.
pub fn from_json(text: &str) -> Result<Decoded, String> {
    use serde_json::value::RawValue;
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(text).map_err(|e| format!("not a JSON scenario file: {e}"))?;
    // The same object again with each value's own text: a number is taken as written, so the
    // field's parser (Rust's correctly rounded one) gives back the exported f64 exactly.
    let raw: std::collections::BTreeMap<String, &RawValue> =
        serde_json::from_str(text).map_err(|e| format!("not a JSON scenario file: {e}"))?;
    let mut pairs = Vec::new();
    for (k, v) in map {
        if k == RESULTS_KEY {
            continue;
        }
        let text = match v {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => String::new(),
            serde_json::Value::Number(n) => raw
                .get(&k)
                .map_or_else(|| n.to_string(), |r| r.get().trim().to_string()),
            other => other.to_string(),
        };
        pairs.push(format!("{}={}", percent_encode(&k), percent_encode(&text)));
    }
    Ok(decode(&pairs.join("&")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_file_round_trip_and_bad_fields() {
        let s = Scenario {
            flops: 3.3e24,
            lang: Some(Lang::Zh),
            runs_csv: "params,tokens,loss\n1,2,3".into(),
            ..Scenario::default()
        };
        let text = serde_json::to_string(&to_json(&s)).unwrap();
        let d = from_json(&text).unwrap();
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        assert_eq!(d.scenario, s);
        let d = from_json(r#"{"v":1,"c":"lots","k":64,"extra":true}"#).unwrap();
        assert_eq!(d.scenario.gpus, 64);
        assert_eq!(d.warnings.len(), 2);
        let d = from_json(r#"{"v":2,"k":64,"results":{"scaling":{"optimal.params":{"value":1}}}}"#)
            .unwrap();
        assert!(
            d.warnings.is_empty(),
            "results is not an input: {:?}",
            d.warnings
        );
        assert_eq!(d.scenario.gpus, 64);
        assert!(from_json("[1,2]").is_err());
        assert!(from_json("{").is_err());
    }

    #[test]
    fn default_encodes_to_version_only() {
        assert_eq!(encode(&Scenario::default()), "v=2");
        assert_eq!(decode("v=2").scenario, Scenario::default());
        assert!(decode("").warnings.is_empty());
    }

    /// Context and expert parallelism (issue 16): `tcp` and `tep`, 1 by default, so links made
    /// before them keep their numbers; a degree out of range falls back to 1 with a warning.
    #[test]
    fn context_and_expert_parallel_keys() {
        let d = decode("v=2&k=64&tcp=2&tep=4&tm=mixtral-8x7b");
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        assert_eq!((d.scenario.cp, d.scenario.ep), (2, 4));
        assert_eq!(decode(&encode(&d.scenario)).scenario, d.scenario);
        let run = d.scenario.training_run();
        assert_eq!((run.cp, run.ep), (2, 4));
        assert_eq!((Scenario::default().cp, Scenario::default().ep), (1, 1));
        assert_eq!(decode("v=1&c=1e22").scenario.cp, 1);
        let bad = decode("v=2&tcp=0");
        assert_eq!(bad.scenario.cp, 1);
        assert_eq!(bad.warnings.len(), 1);
    }

    /// Version 1 made its links with FlashAttention off: they open with it off (and keep their
    /// numbers), and written again they say so under version 2. Version 2 defaults it on.
    #[test]
    fn a_version_1_link_keeps_its_defaults() {
        let v1 = decode("v=1&c=1e22");
        assert!(v1.warnings.is_empty());
        assert!(!v1.scenario.flash_attention);
        assert_eq!(v1.scenario.flops, 1e22);
        assert_eq!(encode(&v1.scenario), "v=2&c=1e22&fa=off");
        assert_eq!(decode(&encode(&v1.scenario)).scenario, v1.scenario);
        assert!(decode("v=2&c=1e22").scenario.flash_attention);
        assert!(!decode("v=1&fa=off").scenario.flash_attention);
        // A bad field falls back to its version's default.
        assert!(!decode("v=1&fa=maybe").scenario.flash_attention);
        assert!(decode("v=2&fa=maybe").scenario.flash_attention);
        // An unknown version is named and read as the current one.
        let v9 = decode("v=9");
        assert_eq!(v9.warnings[0].reason, Reason::Version);
        assert_eq!(v9.scenario, Scenario::default());
    }

    #[test]
    fn keys_are_unique_and_round_trip_defaults() {
        let d = Scenario::default();
        for (i, f) in FIELDS.iter().enumerate() {
            assert!(
                FIELDS[i + 1..].iter().all(|g| g.key != f.key),
                "duplicate key {}",
                f.key
            );
            let mut s = d.clone();
            (f.set)(&mut s, &(f.get)(&d))
                .unwrap_or_else(|e| panic!("default of {} rejected: {e}", f.key));
            assert_eq!(s, d, "{}", f.key);
        }
    }

    #[test]
    fn a_reset_field_returns_to_its_default_and_a_price_to_its_gpus() {
        let mut s = Scenario::default();
        set_field(&mut s, "usd", "5M").unwrap();
        assert_eq!(
            default_text(&s, "usd"),
            get_field(&Scenario::default(), "usd")
        );
        assert_ne!(default_text(&s, "usd"), get_field(&s, "usd"));
        set_field_following(&mut s, "igpu", "a100-80gb").unwrap();
        set_field(&mut s, "iprice", "9").unwrap();
        let a100 = crate::hardware::gpu("a100-80gb")
            .unwrap()
            .price_per_hour_usd;
        let mut back = s.clone();
        set_field(&mut back, "iprice", &default_text(&s, "iprice").unwrap()).unwrap();
        assert_eq!(back.inf_price_per_gpu_hour, a100);
        assert!(price_follows_gpu(&back, "igpu"));
        assert_eq!(default_text(&s, "no-such-key"), None);
    }

    #[test]
    fn a_gpu_chosen_on_the_page_brings_its_price_unless_one_was_typed() {
        let mut s = Scenario::default();
        assert!(price_follows_gpu(&s, "gpu") && price_follows_gpu(&s, "igpu"));
        let h100 = s.price_per_gpu_hour;
        set_field_following(&mut s, "gpu", "a100-80gb").unwrap();
        let a100 = super::super::hardware::gpu("a100-80gb")
            .unwrap()
            .price_per_hour_usd;
        assert_eq!(s.price_per_gpu_hour, a100);
        assert_ne!(a100, h100);
        // Serving follows its own GPU, not the training one.
        assert_eq!(s.inf_price_per_gpu_hour, h100);
        set_field_following(&mut s, "igpu", "a100-80gb").unwrap();
        assert_eq!(s.inf_price_per_gpu_hour, a100);
        // Back to the H100: its typical price, not the scenario's default.
        set_field_following(&mut s, "gpu", "h100-sxm").unwrap();
        let h100_typical = super::super::hardware::gpu("h100-sxm")
            .unwrap()
            .price_per_hour_usd;
        assert_eq!(s.price_per_gpu_hour, h100_typical);
        // Choosing the GPU already chosen changes nothing (the default price stays).
        let mut d = Scenario::default();
        let same = d.gpu.clone();
        set_field_following(&mut d, "gpu", &same).unwrap();
        assert_eq!(d, Scenario::default());
        // A typed price stays when the GPU changes.
        set_field(&mut s, "price", "3.1").unwrap();
        set_field_following(&mut s, "gpu", "h100-sxm").unwrap();
        assert_eq!(s.price_per_gpu_hour, 3.1);
        assert!(!price_follows_gpu(&s, "gpu"));
        // A refused GPU changes nothing.
        let before = s.clone();
        assert!(set_field_following(&mut s, "gpu", "no-such-gpu").is_err());
        assert_eq!(s, before);
        // A link does not follow: its price is the one it was made with.
        let d = decode("?v=2&gpu=a100-80gb");
        assert_eq!(d.scenario.price_per_gpu_hour, h100);
    }

    #[test]
    fn bad_field_falls_back_and_keeps_the_rest() {
        let r = decode("https://x.test/app/?v=1&c=abc&k=64&mfu=1.5&zzz=3&gpu=a100-80gb#training");
        assert_eq!(r.scenario.flops, Scenario::default().flops);
        assert_eq!(r.scenario.mfu, Scenario::default().mfu);
        assert_eq!(r.scenario.gpus, 64);
        assert_eq!(r.scenario.gpu, "a100-80gb");
        let keys: Vec<_> = r
            .warnings
            .iter()
            .map(|w| (w.key.as_str(), w.reason.clone()))
            .collect();
        assert_eq!(keys.len(), 3);
        assert_eq!(keys[0], ("c", Reason::NotANumber));
        assert!(matches!(keys[1], ("mfu", Reason::OutOfRange { .. })));
        assert_eq!(keys[2], ("zzz", Reason::UnknownKey));
        assert!(r.warnings[0].to_string().contains("c='abc'"));
    }

    #[test]
    fn nan_inf_negative_and_fractional() {
        for (q, reason) in [
            ("c=NaN", Reason::NotFinite),
            ("c=inf", Reason::NotFinite),
            (
                "c=-1e20",
                Reason::OutOfRange {
                    min: 1e10,
                    max: 1e32,
                    min_exclusive: false,
                },
            ),
            ("k=2.5", Reason::NotInteger),
            (
                "wb=5",
                Reason::UnknownChoice(vec!["2", "3", "4", "8", "16", "32"]),
            ),
            (
                "drd=2024-02-30",
                Reason::BadDate("day 30 does not exist in 2024-02".into()),
            ),
        ] {
            let r = decode(q);
            assert_eq!(r.scenario, Scenario::default(), "{q}");
            assert_eq!(r.warnings[0].reason, reason, "{q}");
        }
    }

    #[test]
    fn a_pinned_baseline_travels_in_the_link() {
        let mut base = Scenario::default();
        set_field(&mut base, "k", "512").unwrap();
        set_field(&mut base, "runs", "params,tokens,loss\n1e8,2e9,3.1 & x=y%").unwrap();
        let s = Scenario {
            gpus: 2048,
            lang: Some(Lang::Zh),
            baseline: Some(Box::new(
                Scenario {
                    lang: Some(Lang::Zh),
                    ..base.clone()
                }
                .as_baseline(),
            )),
            ..Scenario::default()
        };
        let enc = encode(&s);
        assert!(
            enc.contains("&base=v%3D2%26runs%3D") && enc.ends_with("%26k%3D512"),
            "{enc}"
        );
        let d = decode(&enc);
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        assert_eq!(d.scenario, s);
        // The baseline carries no language of its own.
        assert_eq!(d.scenario.baseline.as_deref(), Some(&base));
        // No baseline: no key, and every earlier link reads as before.
        assert!(!encode(&Scenario::default()).contains("base"));
    }

    #[test]
    fn a_bad_baseline_is_named_and_the_rest_kept() {
        let d = decode("v=2&k=64&base=v%3D2%26k%3Dmany%26c%3D1e24&b=8");
        assert_eq!(d.scenario.gpus, 64);
        assert_eq!(d.scenario.batch, 8);
        assert_eq!(d.scenario.baseline, None);
        assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
        let w = &d.warnings[0];
        assert_eq!(w.key, "base");
        match &w.reason {
            Reason::Baseline(inner) => {
                assert_eq!(inner.key, "k");
                assert_eq!(inner.reason, Reason::NotANumber);
            }
            other => panic!("{other:?}"),
        }
        assert!(w.to_string().contains("its field k='many'"), "{w}");
        // A baseline inside a baseline is dropped (no nesting), not an error.
        let d = decode("base=k%3D32%26base%3Dk%253D16");
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        assert_eq!(d.scenario.baseline.as_ref().map(|b| b.gpus), Some(32));
        assert_eq!(d.scenario.baseline.as_ref().unwrap().baseline, None);
        // An empty baseline is none.
        assert_eq!(decode("base=").scenario, Scenario::default());
    }

    #[test]
    fn text_fields_survive_percent_encoding() {
        let s = Scenario {
            runs_csv: "params,tokens,loss\n1e8,2e9,3.1\n2e8,4e9,2.9 & more=yes%".into(),
            runs_map: "params:Model Size,flops:Training FLOP,loss:Loss (nats)+&=%".into(),
            runs_excluded: "3,7,12".into(),
            flops: 1.234_567_890_123e21,
            lang: Some(Lang::Zh),
            ..Scenario::default()
        };
        let enc = encode(&s);
        assert!(!enc.contains('\n'));
        assert!(
            enc.contains("&rmap=params%3AModel%20Size%2C") && enc.contains("&rx=3%2C7%2C12"),
            "{enc}"
        );
        assert_eq!(decode(&enc).scenario, s);
        assert_eq!(decode(&format!("http://127.0.0.1:8080/?{enc}")).scenario, s);
    }

    #[test]
    fn percent_decode_edge_cases() {
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%41%zz"), "A%zz");
        assert_eq!(percent_decode("a+b"), "a b");
        assert_eq!(percent_decode("%E4%B8%AD"), "中");
    }
}
