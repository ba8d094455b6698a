//! The atlas (issue 17): published language models and dated API list prices, shipped with the
//! crate (`data/atlas/*.csv`, each row with its source), and the fits made on them.
//!
//! - this module: typed rows ([`AtlasModel`], [`AtlasPrice`], [`PriceScore`]) and a parser that
//!   keeps every good row and names every bad one with its reason ([`RowError`]);
//! - [`density`]: each model's effective size `N̂` through a reference family's score curve, its
//!   density `ρ = N̂/N`, and the doubling time of `ρ` (docs/science.md §2, "The atlas");
//! - [`price`]: the cheapest price of a fixed capability by date, and its halving time;
//! - [`margin`]: for open-weight models, the list price beside our serving cost (the implied
//!   margin).
//!
//! Every function takes typed rows, never the page's `Scenario`. The shipped tables are
//! [`shipped_models`], [`shipped_prices`] and [`shipped_price_scores`]; a user's pasted table goes
//! through the same parsers ([`parse_models`], [`parse_prices`], [`parse_price_scores`]).

pub mod density;
pub mod margin;
pub mod price;
#[cfg(test)]
mod tests;
pub mod view;

use crate::date::Date;
use serde::Serialize;
use std::collections::HashSet;

/// `data/atlas/models.csv`: models with a sourced release date.
#[cfg(not(target_arch = "wasm32"))]
pub const MODELS_CSV: &str = include_str!("../../../../data/atlas/models.csv");
/// `data/atlas/models_undated.csv`: models whose release date is not sourced yet.
#[cfg(not(target_arch = "wasm32"))]
pub const MODELS_UNDATED_CSV: &str = include_str!("../../../../data/atlas/models_undated.csv");
/// `data/atlas/prices.csv`: dated list prices.
#[cfg(not(target_arch = "wasm32"))]
pub const PRICES_CSV: &str = include_str!("../../../../data/atlas/prices.csv");
/// `data/atlas/price_scores.csv`: benchmark scores of priced API models.
#[cfg(not(target_arch = "wasm32"))]
pub const PRICE_SCORES_CSV: &str = include_str!("../../../../data/atlas/price_scores.csv");

// The page's copies (build.rs): the same rows without the `notes` column, which the page never
// shows; the undated models are left out (the page places models by date). Test
// `page_tables_are_the_shipped_tables_without_notes`.
/// `data/atlas/models.csv` without its notes.
pub const PAGE_MODELS_CSV: &str = include_str!(concat!(env!("OUT_DIR"), "/page_models.csv"));
/// `data/atlas/prices.csv` without its notes.
pub const PAGE_PRICES_CSV: &str = include_str!(concat!(env!("OUT_DIR"), "/page_prices.csv"));
/// `data/atlas/price_scores.csv` without its notes.
pub const PAGE_PRICE_SCORES_CSV: &str =
    include_str!(concat!(env!("OUT_DIR"), "/page_price_scores.csv"));
#[cfg(target_arch = "wasm32")]
pub const MODELS_CSV: &str = PAGE_MODELS_CSV;
#[cfg(target_arch = "wasm32")]
pub const MODELS_UNDATED_CSV: &str = "";
#[cfg(target_arch = "wasm32")]
pub const PRICES_CSV: &str = PAGE_PRICES_CSV;
#[cfg(target_arch = "wasm32")]
pub const PRICE_SCORES_CSV: &str = PAGE_PRICE_SCORES_CSV;

/// Where a row's values can be checked: a URL and the table, section or line in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowSource {
    pub url: String,
    pub locator: String,
}

impl RowSource {
    /// The source of a reader's own row that names none: empty URL and locator.
    pub fn user() -> Self {
        RowSource {
            url: String::new(),
            locator: String::new(),
        }
    }

    /// A reader's row without a source.
    pub fn is_user(&self) -> bool {
        self.url.is_empty()
    }
}

/// A benchmark of the atlas. Scores are percentages in `[0, 100]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Benchmark {
    /// MMLU, 5-shot for base models (Hendrycks et al. 2021).
    Mmlu,
    /// MATH, mostly 4-shot for base models (Hendrycks et al. 2021).
    Math,
}

impl Benchmark {
    /// Every benchmark, in the CLI's order.
    pub const ALL: [Benchmark; 2] = [Benchmark::Mmlu, Benchmark::Math];

    /// Lower-case id used by the CLI (`mmlu`, `math`).
    pub fn id(self) -> &'static str {
        match self {
            Benchmark::Mmlu => "mmlu",
            Benchmark::Math => "math",
        }
    }

    /// The name as the tables write it (`MMLU`, `MATH`).
    pub fn name(self) -> &'static str {
        match self {
            Benchmark::Mmlu => "MMLU",
            Benchmark::Math => "MATH",
        }
    }

    /// The benchmark with this id or name, case-insensitive.
    pub fn parse(s: &str) -> Option<Benchmark> {
        Self::ALL
            .into_iter()
            .find(|b| b.id().eq_ignore_ascii_case(s.trim()))
    }
}

/// One model of the atlas (a row of `models.csv` or `models_undated.csv`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AtlasModel {
    pub name: String,
    pub developer: String,
    /// First public release; `None` where no source gave it.
    pub release_date: Option<Date>,
    pub open_weights: bool,
    /// Total parameters.
    pub total_params: Option<f64>,
    /// Parameters active per token (MoE); equal to the total for dense models.
    pub active_params: Option<f64>,
    pub training_tokens: Option<f64>,
    pub training_flops: Option<f64>,
    /// MMLU (5-shot for base models), %.
    pub mmlu_5shot: Option<f64>,
    /// The harder benchmark's name (`MATH`) when `harder_score` is given.
    pub harder_benchmark: Option<String>,
    /// The harder benchmark's score, %.
    pub harder_score: Option<f64>,
    pub source: RowSource,
    pub notes: String,
}

impl AtlasModel {
    /// The model's score on `b`, %.
    pub fn score(&self, b: Benchmark) -> Option<f64> {
        match b {
            Benchmark::Mmlu => self.mmlu_5shot,
            Benchmark::Math => match &self.harder_benchmark {
                Some(h) if h.eq_ignore_ascii_case("MATH") => self.harder_score,
                _ => None,
            },
        }
    }

    /// The parameters a token passes through: active parameters, else the total. The atlas
    /// measures density per parameter used at inference (issue 17: "capability per unit of
    /// inference compute"), so an MoE model counts its active parameters.
    pub fn inference_params(&self) -> Option<f64> {
        self.active_params.or(self.total_params)
    }
}

/// One dated list price (a row of `prices.csv`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AtlasPrice {
    /// API model name, snapshot or context tier in parentheses.
    pub model: String,
    pub provider: String,
    pub date: Date,
    /// USD per million input tokens; `None` when not published or not convertible.
    pub usd_per_million_input: Option<f64>,
    /// USD per million output tokens.
    pub usd_per_million_output: Option<f64>,
    /// `USD` or `CNY`.
    pub currency_original: String,
    pub input_original: Option<f64>,
    pub output_original: Option<f64>,
    /// CNY per USD used for a CNY price.
    pub exchange_rate_used: Option<f64>,
    /// `None` where not checked in a source.
    pub open_weights: Option<bool>,
    pub source: RowSource,
    pub notes: String,
}

impl AtlasPrice {
    /// The model name without the parenthesised snapshot or tier: `gpt-4o (gpt-4o-2024-05-13)` →
    /// `gpt-4o`. [`PriceScore::price_model`] is matched against it.
    pub fn model_key(&self) -> &str {
        self.model.split(" (").next().unwrap_or("").trim()
    }
}

/// A benchmark score of a priced API model (a row of `price_scores.csv`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriceScore {
    /// Matched exactly against [`AtlasPrice::model_key`].
    pub price_model: String,
    pub benchmark: Benchmark,
    pub score: f64,
    /// The model or snapshot the score was measured on.
    pub evaluated_as: String,
    pub source: RowSource,
    pub notes: String,
}

/// Why a row was left out. Rows are counted from 1 after the header.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RowReason {
    /// The CSV record itself could not be read.
    Csv { message: String },
    /// A date that is not a calendar `YYYY-MM-DD`.
    BadDate { column: String, value: String },
    /// A value that is not a number.
    NotANumber { column: String, value: String },
    /// A size, count or price that is zero, negative or not finite.
    NotPositive { column: String, value: f64 },
    /// A score outside the benchmark's range `[0, 100]`.
    ScoreOutOfRange { column: String, value: f64 },
    /// A value that must be one of a few words.
    BadValue { column: String, value: String },
    /// A required value that is empty (name, date of a price, source).
    Missing { column: String },
    /// An earlier row has the same name.
    DuplicateName,
}

impl std::fmt::Display for RowReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowReason::Csv { message } => write!(f, "cannot be read ({message})"),
            RowReason::BadDate { column, value } => {
                write!(f, "{column} '{value}' is not a date (YYYY-MM-DD)")
            }
            RowReason::NotANumber { column, value } => {
                write!(f, "{column} '{value}' is not a number")
            }
            RowReason::NotPositive { column, value } => {
                write!(f, "{column} must be greater than 0, got {value}")
            }
            RowReason::ScoreOutOfRange { column, value } => {
                write!(f, "{column} {value} is outside the benchmark's range 0–100")
            }
            RowReason::BadValue { column, value } => {
                write!(f, "{column} '{value}' is not one of the allowed values")
            }
            RowReason::Missing { column } => write!(f, "{column} is empty"),
            RowReason::DuplicateName => write!(f, "the name appears in an earlier row"),
        }
    }
}

/// A row that was left out, named, with its reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowError {
    /// Row number, from 1 after the header.
    pub row: usize,
    /// The row's name (model), or empty when it has none.
    pub name: String,
    pub reason: RowReason,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.name.is_empty() {
            write!(f, "row {}: {}", self.row, self.reason)
        } else {
            write!(f, "row {} ({}): {}", self.row, self.name, self.reason)
        }
    }
}

/// The good rows of a table, and the bad ones with their reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parsed<T> {
    pub rows: Vec<T>,
    pub errors: Vec<RowError>,
}

/// A table that cannot be read at all (its header).
#[derive(Debug, Clone, PartialEq)]
pub enum AtlasError {
    /// The header could not be read.
    Csv(String),
    /// A required column is absent.
    MissingColumn(&'static str),
}

impl std::fmt::Display for AtlasError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AtlasError::Csv(e) => write!(f, "atlas table: {e}"),
            AtlasError::MissingColumn(c) => {
                write!(f, "atlas table: the header has no '{c}' column")
            }
        }
    }
}

impl std::error::Error for AtlasError {}

/// A CSV table with named columns; values trimmed, `#` lines skipped.
struct Table {
    header: Vec<String>,
    records: Vec<Result<csv::StringRecord, String>>,
}

impl Table {
    fn read(text: &str) -> Result<Self, AtlasError> {
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .flexible(true)
            .from_reader(text.as_bytes());
        let header = rdr
            .headers()
            .map_err(|e| AtlasError::Csv(e.to_string()))?
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        let records = rdr
            .records()
            .map(|r| r.map_err(|e| e.to_string()))
            .collect();
        Ok(Table { header, records })
    }

    fn col(&self, name: &'static str) -> Result<usize, AtlasError> {
        self.header
            .iter()
            .position(|h| h == name)
            .ok_or(AtlasError::MissingColumn(name))
    }

    fn opt_col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

/// One record's fields, with typed readers that say what is wrong.
struct Fields<'a> {
    rec: &'a csv::StringRecord,
}

impl Fields<'_> {
    fn text(&self, c: Option<usize>) -> String {
        c.and_then(|c| self.rec.get(c)).unwrap_or("").to_string()
    }

    fn required(&self, c: usize, column: &str) -> Result<String, RowReason> {
        let s = self.text(Some(c));
        if s.is_empty() {
            Err(RowReason::Missing {
                column: column.into(),
            })
        } else {
            Ok(s)
        }
    }

    fn number(&self, c: Option<usize>, column: &str) -> Result<Option<f64>, RowReason> {
        let s = self.text(c);
        if s.is_empty() {
            return Ok(None);
        }
        let x: f64 = s.parse().map_err(|_| RowReason::NotANumber {
            column: column.into(),
            value: s.clone(),
        })?;
        Ok(Some(x))
    }

    fn positive(&self, c: Option<usize>, column: &str) -> Result<Option<f64>, RowReason> {
        match self.number(c, column)? {
            Some(x) if !(x.is_finite() && x > 0.0) => Err(RowReason::NotPositive {
                column: column.into(),
                value: x,
            }),
            v => Ok(v),
        }
    }

    fn score(&self, c: Option<usize>, column: &str) -> Result<Option<f64>, RowReason> {
        match self.number(c, column)? {
            Some(x) if !(x.is_finite() && (0.0..=100.0).contains(&x)) => {
                Err(RowReason::ScoreOutOfRange {
                    column: column.into(),
                    value: x,
                })
            }
            v => Ok(v),
        }
    }

    fn date(&self, c: Option<usize>, column: &str) -> Result<Option<Date>, RowReason> {
        let s = self.text(c);
        if s.is_empty() {
            return Ok(None);
        }
        Date::parse(&s).map(Some).map_err(|_| RowReason::BadDate {
            column: column.into(),
            value: s,
        })
    }

    fn boolean(&self, c: Option<usize>, column: &str) -> Result<Option<bool>, RowReason> {
        match self.text(c).to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            other => Err(RowReason::BadValue {
                column: column.into(),
                value: other.into(),
            }),
        }
    }

    fn source(&self, url: usize, locator: usize) -> Result<RowSource, RowReason> {
        let url = self.required(url, "source_url")?;
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(RowReason::BadValue {
                column: "source_url".into(),
                value: url,
            });
        }
        Ok(RowSource {
            url,
            locator: self.required(locator, "source_locator")?,
        })
    }
}

/// Runs `row` over every record; a record that fails is named in `errors` and left out.
fn parse_rows<T>(
    table: &Table,
    name_col: usize,
    unique_names: bool,
    mut row: impl FnMut(&Fields) -> Result<T, RowReason>,
) -> Parsed<T> {
    let mut out = Parsed {
        rows: Vec::new(),
        errors: Vec::new(),
    };
    let mut names = HashSet::new();
    for (i, rec) in table.records.iter().enumerate() {
        let n = i + 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                out.errors.push(RowError {
                    row: n,
                    name: String::new(),
                    reason: RowReason::Csv { message: e.clone() },
                });
                continue;
            }
        };
        let f = Fields { rec };
        let name = f.text(Some(name_col));
        let result = if name.is_empty() {
            Err(RowReason::Missing {
                column: table.header[name_col].clone(),
            })
        } else if unique_names && names.contains(&name.to_ascii_lowercase()) {
            Err(RowReason::DuplicateName)
        } else {
            row(&f)
        };
        match result {
            Ok(t) => {
                names.insert(name.to_ascii_lowercase());
                out.rows.push(t);
            }
            Err(reason) => out.errors.push(RowError {
                row: n,
                name,
                reason,
            }),
        }
    }
    out
}

/// Parses a models table (the columns of `data/atlas/models.csv`; a missing optional column is
/// read as empty). A row with a bad date, a size ≤ 0, a score outside 0–100, a duplicate name or
/// no source is left out and named in [`Parsed::errors`]; the others are kept.
///
/// ```
/// use scalecalc_model::atlas::parse_models;
/// let csv = "name,developer,release_date,open_weights,total_params,active_params,mmlu_5shot,source_url,source_locator\n\
///            a,Lab,2024-01-01,true,7e9,7e9,60,https://x.org,Table 1\n\
///            b,Lab,2024-02-30,true,7e9,7e9,60,https://x.org,Table 1\n\
///            a,Lab,2024-03-01,true,7e9,7e9,61,https://x.org,Table 1\n";
/// let p = parse_models(csv).unwrap();
/// assert_eq!(p.rows.len(), 1);
/// assert_eq!(p.errors.len(), 2); // b: bad date; the second a: duplicate name
/// assert_eq!(p.errors[0].to_string(), "row 2 (b): release_date '2024-02-30' is not a date (YYYY-MM-DD)");
/// ```
pub fn parse_models(text: &str) -> Result<Parsed<AtlasModel>, AtlasError> {
    parse_models_with(text, true)
}

/// [`parse_models`] for a reader's own rows: the source columns may be absent or empty (a row
/// without a source is marked [`RowSource::user`]); a source that is given must still be a URL.
///
/// ```
/// use scalecalc_model::atlas::parse_user_models;
/// let p = parse_user_models("name,release_date,total_params,mmlu_5shot\nmine,2025-06-01,3e9,70\n").unwrap();
/// assert_eq!(p.rows.len(), 1);
/// assert!(p.rows[0].source.is_user());
/// ```
pub fn parse_user_models(text: &str) -> Result<Parsed<AtlasModel>, AtlasError> {
    parse_models_with(text, false)
}

fn parse_models_with(text: &str, require_source: bool) -> Result<Parsed<AtlasModel>, AtlasError> {
    let t = Table::read(text)?;
    let name = t.col("name")?;
    let (url, loc) = if require_source {
        (Some(t.col("source_url")?), Some(t.col("source_locator")?))
    } else {
        (t.opt_col("source_url"), t.opt_col("source_locator"))
    };
    let c = |n: &str| t.opt_col(n);
    let (dev, date, open) = (c("developer"), c("release_date"), c("open_weights"));
    let (tot, act, tok, flops) = (
        c("total_params"),
        c("active_params"),
        c("training_tokens"),
        c("training_flops"),
    );
    let (mmlu, hb, hs, notes) = (
        c("mmlu_5shot"),
        c("harder_benchmark"),
        c("harder_score"),
        c("notes"),
    );
    Ok(parse_rows(&t, name, true, |f| {
        let harder_benchmark = Some(f.text(hb)).filter(|s| !s.is_empty());
        let harder_score = f.score(hs, "harder_score")?;
        if harder_score.is_some() && harder_benchmark.is_none() {
            return Err(RowReason::Missing {
                column: "harder_benchmark".into(),
            });
        }
        Ok(AtlasModel {
            name: f.text(Some(name)),
            developer: f.text(dev),
            release_date: f.date(date, "release_date")?,
            open_weights: f.boolean(open, "open_weights")?.unwrap_or(false),
            total_params: f.positive(tot, "total_params")?,
            active_params: f.positive(act, "active_params")?,
            training_tokens: f.positive(tok, "training_tokens")?,
            training_flops: f.positive(flops, "training_flops")?,
            mmlu_5shot: f.score(mmlu, "mmlu_5shot")?,
            harder_benchmark,
            harder_score,
            source: match (url, loc) {
                (Some(u), Some(l)) if require_source || !f.text(Some(u)).is_empty() => {
                    f.source(u, l)?
                }
                _ => RowSource::user(),
            },
            notes: f.text(notes),
        })
    }))
}

/// Parses a prices table (the columns of `data/atlas/prices.csv`). Names may repeat (one model,
/// several dates); a row with a bad or empty date, a price ≤ 0 or no source is left out and named.
///
/// ```
/// use scalecalc_model::atlas::parse_prices;
/// let csv = "model,provider,date,usd_per_million_input,usd_per_million_output,source_url,source_locator\n\
///            m,P,2024-05-01,1,4,https://x.org,table\nm,P,2024-09-01,-1,2,https://x.org,table\n";
/// let p = parse_prices(csv).unwrap();
/// assert_eq!((p.rows.len(), p.errors.len()), (1, 1));
/// assert!(p.errors[0].to_string().contains("usd_per_million_input must be greater than 0"));
/// ```
pub fn parse_prices(text: &str) -> Result<Parsed<AtlasPrice>, AtlasError> {
    let t = Table::read(text)?;
    let model = t.col("model")?;
    let date = t.col("date")?;
    let url = t.col("source_url")?;
    let loc = t.col("source_locator")?;
    let c = |n: &str| t.opt_col(n);
    Ok(parse_rows(&t, model, false, |f| {
        let d = f
            .date(Some(date), "date")?
            .ok_or_else(|| RowReason::Missing {
                column: "date".into(),
            })?;
        let currency = f.text(c("currency_original"));
        let currency = if currency.is_empty() {
            "USD".to_string()
        } else {
            currency.to_ascii_uppercase()
        };
        Ok(AtlasPrice {
            model: f.text(Some(model)),
            provider: f.text(c("provider")),
            date: d,
            usd_per_million_input: f
                .positive(c("usd_per_million_input"), "usd_per_million_input")?,
            usd_per_million_output: f
                .positive(c("usd_per_million_output"), "usd_per_million_output")?,
            currency_original: currency,
            input_original: f.positive(c("input_original"), "input_original")?,
            output_original: f.positive(c("output_original"), "output_original")?,
            exchange_rate_used: f.positive(c("exchange_rate_used"), "exchange_rate_used")?,
            open_weights: f.boolean(c("open_weights"), "open_weights")?,
            source: f.source(url, loc)?,
            notes: f.text(c("notes")),
        })
    }))
}

/// Parses a price-scores table (the columns of `data/atlas/price_scores.csv`); one row per
/// (price model, benchmark), a repeated pair is a duplicate.
pub fn parse_price_scores(text: &str) -> Result<Parsed<PriceScore>, AtlasError> {
    let t = Table::read(text)?;
    let model = t.col("price_model")?;
    let bench = t.col("benchmark")?;
    let score = t.col("score")?;
    let url = t.col("source_url")?;
    let loc = t.col("source_locator")?;
    let c = |n: &str| t.opt_col(n);
    let mut seen = HashSet::new();
    Ok(parse_rows(&t, model, false, |f| {
        let b_text = f.required(bench, "benchmark")?;
        let b = Benchmark::parse(&b_text).ok_or(RowReason::BadValue {
            column: "benchmark".into(),
            value: b_text,
        })?;
        let key = (f.text(Some(model)), b);
        if seen.contains(&key) {
            return Err(RowReason::DuplicateName);
        }
        let s = f
            .score(Some(score), "score")?
            .ok_or_else(|| RowReason::Missing {
                column: "score".into(),
            })?;
        let row = PriceScore {
            price_model: key.0.clone(),
            benchmark: b,
            score: s,
            evaluated_as: f.text(c("evaluated_as")),
            source: f.source(url, loc)?,
            notes: f.text(c("notes")),
        };
        seen.insert(key);
        Ok(row)
    }))
}

/// Every shipped model: the dated table, then the undated one. The shipped files are checked by
/// the tests, so a bad row here is a build-time bug; it is left out all the same.
pub fn shipped_models() -> Vec<AtlasModel> {
    [MODELS_CSV, MODELS_UNDATED_CSV]
        .iter()
        .filter_map(|t| parse_models(t).ok())
        .flat_map(|p| p.rows)
        .collect()
}

/// Every shipped price.
pub fn shipped_prices() -> Vec<AtlasPrice> {
    parse_prices(PRICES_CSV).map(|p| p.rows).unwrap_or_default()
}

/// Every shipped score of a priced model.
pub fn shipped_price_scores() -> Vec<PriceScore> {
    parse_price_scores(PRICE_SCORES_CSV)
        .map(|p| p.rows)
        .unwrap_or_default()
}
