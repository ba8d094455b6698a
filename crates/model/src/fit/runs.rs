//! The user's training runs: parsing a CSV table into validated `(N, D, L)` points.

use serde::Serialize;

/// One training run: parameters `N`, training tokens `D`, final loss `L` (nats/token).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Run {
    /// Parameters `N`.
    pub params: f64,
    /// Training tokens `D`.
    pub tokens: f64,
    /// Final loss `L`, nats/token.
    pub loss: f64,
}

/// Minimum number of runs: the law has five free constants.
pub const MIN_POINTS: usize = 5;
/// Minimum number of distinct `N` and of distinct `D` values: each term `A/N^α` (`B/D^β`) has two
/// constants and shares the level with `E`, so it needs at least three distinct abscissae.
pub const MIN_DISTINCT: usize = 3;

/// Header names of the columns to read (other columns are ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    /// Parameters column.
    pub params: String,
    /// Training tokens column (used when present).
    pub tokens: String,
    /// Training compute column, FLOP (used when `tokens` is absent: `D = C/(6N)`).
    pub flops: String,
    /// Final loss column, nats/token.
    pub loss: String,
}

impl Default for ColumnMap {
    /// `params`, `tokens`, `flops`, `loss`: the public CSV interface.
    fn default() -> Self {
        Self {
            params: "params".into(),
            tokens: "tokens".into(),
            flops: "flops".into(),
            loss: "loss".into(),
        }
    }
}

/// A problem with one data row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowError {
    /// 1-based line number in the text (the header is line 1).
    pub line: u64,
    /// The column concerned, if any.
    pub column: String,
    /// What is wrong, in English (the CLI's wording).
    pub message: String,
    /// What is wrong, for a reader in another language (the page translates it).
    #[serde(skip)]
    pub problem: RowProblem,
}

/// What is wrong with a row, as data: the page words it in the reader's language.
#[derive(Debug, Clone, PartialEq)]
pub enum RowProblem {
    /// The CSV reader could not read the header row.
    UnreadableHeader,
    /// The CSV reader could not read the row.
    UnreadableRow,
    /// A required value is empty.
    Empty,
    /// The value (as written) is not a number.
    NotANumber(String),
    /// The value (as written) is zero, negative or not finite.
    NotPositive(String),
}

impl RowError {
    fn new(line: u64, column: &str, problem: RowProblem, detail: &str) -> Self {
        let message = match &problem {
            RowProblem::UnreadableHeader => format!("unreadable header: {detail}"),
            RowProblem::UnreadableRow => format!("unreadable row: {detail}"),
            RowProblem::Empty => "empty value".into(),
            RowProblem::NotANumber(raw) => format!("'{raw}' is not a number"),
            RowProblem::NotPositive(raw) => {
                format!("{raw} must be a finite number greater than 0")
            }
        };
        RowError {
            line,
            column: column.to_string(),
            message,
            problem,
        }
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.column.is_empty() {
            write!(f, "line {}: {}", self.line, self.message)
        } else {
            write!(
                f,
                "line {}: column '{}': {}",
                self.line, self.column, self.message
            )
        }
    }
}

/// Why a set of runs cannot be fitted.
#[derive(Debug, Clone, PartialEq)]
pub enum RunsError {
    /// The text has no header row.
    Empty,
    /// A required column is missing from the header.
    MissingColumn {
        /// The column (or alternatives) expected.
        expected: String,
        /// The header as found.
        found: Vec<String>,
    },
    /// One or more rows are bad; the fit refuses to guess.
    Rows(Vec<RowError>),
    /// Fewer than [`MIN_POINTS`] runs.
    TooFewPoints { got: usize },
    /// Fewer than [`MIN_DISTINCT`] distinct values of a column.
    TooFewDistinct { column: &'static str, got: usize },
    /// A value is zero, negative or not finite (points given directly, not through CSV).
    BadValue {
        index: usize,
        column: &'static str,
        value: f64,
    },
}

impl std::fmt::Display for RunsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunsError::Empty => write!(f, "runs: no header row (expected columns params, tokens or flops, loss)"),
            RunsError::MissingColumn { expected, found } => write!(
                f,
                "runs: missing column {expected} (header has: {})",
                found.join(", ")
            ),
            RunsError::Rows(rows) => {
                write!(f, "runs: {} bad row(s): ", rows.len())?;
                for (i, r) in rows.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{r}")?;
                }
                Ok(())
            }
            RunsError::TooFewPoints { got } => write!(
                f,
                "runs: {got} run(s) given, the fit needs at least {MIN_POINTS}"
            ),
            RunsError::TooFewDistinct { column, got } => write!(
                f,
                "runs: only {got} distinct value(s) of {column}, the fit needs at least {MIN_DISTINCT}"
            ),
            RunsError::BadValue { index, column, value } => write!(
                f,
                "runs: run {index}: {column} must be a finite number greater than 0, got {value}"
            ),
        }
    }
}

impl std::error::Error for RunsError {}

/// Validated runs, with the logarithms the fit needs precomputed (structure of arrays).
#[derive(Debug, Clone, PartialEq)]
pub struct Runs {
    runs: Vec<Run>,
    pub(crate) ln_n: Vec<f64>,
    pub(crate) ln_d: Vec<f64>,
    pub(crate) ln_l: Vec<f64>,
}

fn count_distinct(mut v: Vec<f64>) -> usize {
    v.sort_by(f64::total_cmp);
    v.dedup();
    v.len()
}

impl Runs {
    /// Validates the runs: every value finite and `> 0`, at least [`MIN_POINTS`] runs, and at least
    /// [`MIN_DISTINCT`] distinct `N` and distinct `D`.
    pub fn new(runs: Vec<Run>) -> Result<Self, RunsError> {
        for (index, r) in runs.iter().enumerate() {
            for (column, value) in [("params", r.params), ("tokens", r.tokens), ("loss", r.loss)] {
                if !(value.is_finite() && value > 0.0) {
                    return Err(RunsError::BadValue {
                        index,
                        column,
                        value,
                    });
                }
            }
        }
        if runs.len() < MIN_POINTS {
            return Err(RunsError::TooFewPoints { got: runs.len() });
        }
        let dn = count_distinct(runs.iter().map(|r| r.params).collect());
        if dn < MIN_DISTINCT {
            return Err(RunsError::TooFewDistinct {
                column: "params",
                got: dn,
            });
        }
        let dd = count_distinct(runs.iter().map(|r| r.tokens).collect());
        if dd < MIN_DISTINCT {
            return Err(RunsError::TooFewDistinct {
                column: "tokens",
                got: dd,
            });
        }
        Ok(Self {
            ln_n: runs.iter().map(|r| r.params.ln()).collect(),
            ln_d: runs.iter().map(|r| r.tokens.ln()).collect(),
            ln_l: runs.iter().map(|r| r.loss.ln()).collect(),
            runs,
        })
    }

    /// The runs, in input order.
    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    /// Number of runs.
    pub fn len(&self) -> usize {
        self.runs.len()
    }

    /// Never true for validated runs; here for clippy's `len_without_is_empty`.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }
}

/// Parses runs from CSV text with a header row, using the default column names
/// (`params`, `tokens` or `flops`, `loss`; other columns ignored). See [`parse_runs_with`].
pub fn parse_runs(text: &str) -> Result<Runs, RunsError> {
    parse_runs_with(text, &ColumnMap::default())
}

/// Reads the runs as plain points, before the whole-set checks of [`Runs::new`]: every row error
/// is collected, with its line number.
///
/// # Formula
/// When the tokens column is absent and a compute column `C` (FLOP) is given:
/// `D = C/(6N)` (Kaplan et al. 2020 §2.1; Hoffmann et al. 2022 §3.3 use the same approximation).
pub fn parse_points(text: &str, cols: &ColumnMap) -> Result<Vec<Run>, RunsError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.to_string()).collect(),
        Err(e) => {
            return Err(RunsError::Rows(vec![RowError::new(
                1,
                "",
                RowProblem::UnreadableHeader,
                &e.to_string(),
            )]))
        }
    };
    if header.iter().all(|h| h.is_empty()) {
        return Err(RunsError::Empty);
    }
    // An empty name stands for no column (a role the reader left unmapped).
    let find = |name: &str| {
        (!name.is_empty())
            .then(|| header.iter().position(|h| h.eq_ignore_ascii_case(name)))
            .flatten()
    };
    let missing = |expected: String| RunsError::MissingColumn {
        expected,
        found: header.clone(),
    };
    let i_n = find(&cols.params).ok_or_else(|| missing(format!("'{}'", cols.params)))?;
    let i_l = find(&cols.loss).ok_or_else(|| missing(format!("'{}'", cols.loss)))?;
    // Tokens take precedence; compute is the fallback.
    let (i_x, x_is_flops) = match (find(&cols.tokens), find(&cols.flops)) {
        (Some(i), _) => (i, false),
        (None, Some(i)) => (i, true),
        (None, None) => {
            let names: Vec<String> = [&cols.tokens, &cols.flops]
                .into_iter()
                .filter(|n| !n.is_empty())
                .map(|n| format!("'{n}'"))
                .collect();
            return Err(missing(names.join(" or ")));
        }
    };
    let x_name = if x_is_flops {
        &cols.flops
    } else {
        &cols.tokens
    };
    let mut points = Vec::new();
    let mut errors = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                errors.push(RowError::new(
                    line,
                    "",
                    RowProblem::UnreadableRow,
                    &e.to_string(),
                ));
                continue;
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if rec.iter().all(|f| f.is_empty()) {
            continue; // a blank line
        }
        let mut get = |i: usize, name: &str| -> Option<f64> {
            let raw = rec.get(i).unwrap_or("");
            let err = |problem| RowError::new(line, name, problem, "");
            match raw.parse::<f64>() {
                Err(_) if raw.is_empty() => {
                    errors.push(err(RowProblem::Empty));
                    None
                }
                Err(_) => {
                    errors.push(err(RowProblem::NotANumber(raw.to_string())));
                    None
                }
                Ok(v) if !(v.is_finite() && v > 0.0) => {
                    errors.push(err(RowProblem::NotPositive(raw.to_string())));
                    None
                }
                Ok(v) => Some(v),
            }
        };
        let n = get(i_n, &cols.params);
        let x = get(i_x, x_name);
        let l = get(i_l, &cols.loss);
        if let (Some(n), Some(x), Some(loss)) = (n, x, l) {
            let tokens = if x_is_flops { x / (6.0 * n) } else { x };
            points.push(Run {
                params: n,
                tokens,
                loss,
            });
        }
    }
    if !errors.is_empty() {
        return Err(RunsError::Rows(errors));
    }
    Ok(points)
}

/// Parses and validates runs from CSV text with a header row (see [`parse_points`], [`Runs::new`]).
///
/// ```
/// use scalecalc_model::fit::parse_runs;
/// let csv = "params,flops,loss\n1e8,6e18,3.1\n2e8,6e18,3.0\n4e8,6e18,2.98\n1e8,6e19,2.9\n2e8,6e19,2.8\n";
/// let runs = parse_runs(csv).unwrap();
/// assert_eq!(runs.len(), 5);
/// assert_eq!(runs.runs()[0].tokens, 1e10); // D = C/(6N)
/// ```
pub fn parse_runs_with(text: &str, cols: &ColumnMap) -> Result<Runs, RunsError> {
    Runs::new(parse_points(text, cols)?)
}
