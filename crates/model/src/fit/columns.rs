//! Which column of the reader's runs table holds what (the link's `rmap`), a best guess from the
//! table's own headers, and the runs the reader excluded from the fit (the link's `rx`).
//!
//! A table from elsewhere rarely says `params,tokens,loss`: Epoch AI's Chinchilla replication data
//! (Besiroglu et al. 2024) says `Model Size`, `Training FLOP`, `loss`. The page guesses each column
//! from its header (case, spaces, `_` and `-` ignored) and lets the reader choose another; the
//! choice is kept in the link as `rmap=params:Model Size,flops:Training FLOP,loss:loss`.

use super::runs::{parse_points, ColumnMap, Run, Runs, RunsError};

/// What a column is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Parameters `N`.
    Params,
    /// Training tokens `D`.
    Tokens,
    /// Training compute `C`, FLOP (used when no tokens column is chosen: `D = C/(6N)`).
    Flops,
    /// Final loss, nats/token.
    Loss,
}

impl Role {
    /// Every role, in the order of [`RunsMap`]'s array and of the page's selects.
    pub const ALL: [Role; 4] = [Role::Params, Role::Tokens, Role::Flops, Role::Loss];

    /// The role's name in the link (`params`, `tokens`, `flops`, `loss`).
    pub fn key(self) -> &'static str {
        match self {
            Role::Params => "params",
            Role::Tokens => "tokens",
            Role::Flops => "flops",
            Role::Loss => "loss",
        }
    }

    /// The role named `s` in a link (case-insensitive).
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.key().eq_ignore_ascii_case(s.trim()))
    }

    fn index(self) -> usize {
        self as usize
    }

    /// Header spellings taken as this role, normalised (see [`normalise`]).
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Role::Params => &[
                "params",
                "parameters",
                "n",
                "modelsize",
                "nparams",
                "numparams",
                "paramcount",
                "parametercount",
                "nparameters",
                "size",
                "modelparams",
                "modelparameters",
            ],
            Role::Tokens => &[
                "tokens",
                "d",
                "data",
                "trainingtokens",
                "ntokens",
                "numtokens",
                "datasize",
                "tokenstrained",
                "traintokens",
                "datasetsize",
            ],
            Role::Flops => &[
                "flops",
                "c",
                "compute",
                "flop",
                "trainingflop",
                "trainingflops",
                "trainingcompute",
                "computeflops",
            ],
            Role::Loss => &[
                "loss",
                "l",
                "finalloss",
                "evalloss",
                "validationloss",
                "valloss",
                "testloss",
                "trainloss",
                "trainingloss",
            ],
        }
    }
}

/// A header as compared with the synonyms: lower case, without spaces, `_`, `-` and `.`.
fn normalise(h: &str) -> String {
    h.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The reader's choice of a column per role, in [`Role::ALL`] order: `None` where not chosen (the
/// guess is used), `Some("")` where the reader chose no column (tokens or compute).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunsMap(pub [Option<String>; 4]);

/// An entry of a link's `rmap` that was not used, as written, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapProblem {
    /// Not `role:header`.
    NoColon(String),
    /// The role is none of `params`, `tokens`, `flops`, `loss`.
    UnknownRole(String),
    /// The role was given before; the last entry is used.
    Twice(String),
}

impl std::fmt::Display for MapProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MapProblem::NoColon(e) => write!(f, "rmap: '{e}' is not role:header"),
            MapProblem::UnknownRole(e) => write!(
                f,
                "rmap: '{e}': the role is not one of params, tokens, flops, loss"
            ),
            MapProblem::Twice(e) => write!(f, "rmap: '{e}': role given twice, the last is used"),
        }
    }
}

impl RunsMap {
    /// The choice for `role`.
    pub fn get(&self, role: Role) -> Option<&str> {
        self.0[role.index()].as_deref()
    }

    /// Reads a link's `rmap` (`role:header` entries separated by `,`). Every entry that cannot be
    /// used is returned, named; the others are kept.
    ///
    /// ```
    /// use scalecalc_model::fit::columns::{RunsMap, Role};
    /// let (m, bad) = RunsMap::parse("params:Model Size,size:x,flops:Training FLOP");
    /// assert_eq!(m.get(Role::Params), Some("Model Size"));
    /// assert_eq!(m.get(Role::Flops), Some("Training FLOP"));
    /// assert_eq!(bad.len(), 1); // `size` is not a role
    /// ```
    pub fn parse(text: &str) -> (RunsMap, Vec<MapProblem>) {
        let mut map = RunsMap::default();
        let mut bad = Vec::new();
        for entry in text.split(',').filter(|e| !e.trim().is_empty()) {
            let Some((role, header)) = entry.split_once(':') else {
                bad.push(MapProblem::NoColon(entry.to_string()));
                continue;
            };
            let Some(role) = Role::parse(role) else {
                bad.push(MapProblem::UnknownRole(entry.to_string()));
                continue;
            };
            let slot = &mut map.0[role.index()];
            if slot.is_some() {
                bad.push(MapProblem::Twice(entry.to_string()));
            }
            *slot = Some(header.trim().to_string());
        }
        (map, bad)
    }

    /// The link's text: every chosen role as `role:header`, in [`Role::ALL`] order.
    pub fn encode(&self) -> String {
        Role::ALL
            .into_iter()
            .filter_map(|r| self.get(r).map(|h| format!("{}:{h}", r.key())))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The header row of a CSV text (trimmed cells); empty when there is none.
pub fn header_row(text: &str) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    rdr.headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default()
}

/// The best guess for each role: the first header equal, up to case, spaces, `_`, `-` and `.`,
/// to one of the role's synonyms (earlier synonyms first); failing that, for the loss only, the
/// first header containing "loss". A header is used for one role at most.
///
/// ```
/// use scalecalc_model::fit::columns::guess;
/// let h: Vec<String> = ["x", "Model Size", "Training FLOP", "loss"].map(String::from).into();
/// assert_eq!(guess(&h), [Some("Model Size".into()), None, Some("Training FLOP".into()), Some("loss".into())]);
/// ```
pub fn guess(headers: &[String]) -> [Option<String>; 4] {
    let norm: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
    let mut out: [Option<String>; 4] = Default::default();
    let mut used = vec![false; headers.len()];
    for role in Role::ALL {
        let found = role.synonyms().iter().find_map(|syn| {
            (0..headers.len()).find(|&i| !used[i] && norm[i] == *syn && !headers[i].is_empty())
        });
        let found = found.or_else(|| {
            (role == Role::Loss)
                .then(|| (0..headers.len()).find(|&i| !used[i] && norm[i].contains("loss")))
                .flatten()
        });
        if let Some(i) = found {
            used[i] = true;
            out[role.index()] = Some(headers[i].clone());
        }
    }
    out
}

/// The columns used: the reader's choice where made, else the guess. Tokens take precedence over
/// compute: a chosen tokens column leaves compute unused, and a chosen compute column (with no
/// tokens column chosen) leaves tokens unused. `None`: no column for that role.
pub fn resolve(headers: &[String], map: &RunsMap) -> [Option<String>; 4] {
    let g = guess(headers);
    let pick = |r: Role| -> Option<String> {
        match map.get(r) {
            Some("") => None,
            Some(h) => Some(h.to_string()),
            None => g[r.index()].clone(),
        }
    };
    let chosen = |r: Role| map.get(r).is_some_and(|h| !h.is_empty());
    let (tokens, flops) = if chosen(Role::Tokens) {
        (pick(Role::Tokens), None)
    } else if chosen(Role::Flops) {
        (None, pick(Role::Flops))
    } else {
        match pick(Role::Tokens) {
            Some(t) => (Some(t), None),
            None => (None, pick(Role::Flops)),
        }
    };
    [pick(Role::Params), tokens, flops, pick(Role::Loss)]
}

/// The [`ColumnMap`] of the resolved columns, or the roles still without a column (`params`,
/// `loss`, and `tokens` standing for "tokens or compute").
pub fn column_map(resolved: &[Option<String>; 4]) -> Result<ColumnMap, Vec<Role>> {
    let [p, t, f, l] = resolved;
    let mut missing = Vec::new();
    if p.is_none() {
        missing.push(Role::Params);
    }
    if t.is_none() && f.is_none() {
        missing.push(Role::Tokens);
    }
    if l.is_none() {
        missing.push(Role::Loss);
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    Ok(ColumnMap {
        params: s(p),
        tokens: s(t),
        flops: s(f),
        loss: s(l),
    })
}

/// Reads a link's `rx`: 1-based run numbers (as the runs table shows them) separated by `,`;
/// `a-b` is every run from `a` to `b`. Returns the numbers, sorted and without repeats, and every
/// entry that is no run number, as written.
///
/// ```
/// use scalecalc_model::fit::columns::parse_excluded;
/// assert_eq!(parse_excluded("7,3, 12,3"), (vec![3, 7, 12], vec![]));
/// assert_eq!(parse_excluded("2-4,x,0"), (vec![2, 3, 4], vec!["x".to_string(), "0".to_string()]));
/// ```
pub fn parse_excluded(text: &str) -> (Vec<usize>, Vec<String>) {
    /// The longest range accepted (a typo such as `1-99999999` is refused, not expanded).
    const MAX_RANGE: usize = 100_000;
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    let num = |s: &str| s.trim().parse::<usize>().ok().filter(|&n| n >= 1);
    for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let range = match entry.split_once('-') {
            Some((a, b)) => num(a).zip(num(b)),
            None => num(entry).map(|n| (n, n)),
        };
        match range {
            Some((a, b)) if a <= b && b - a < MAX_RANGE => rows.extend(a..=b),
            _ => bad.push(entry.to_string()),
        }
    }
    rows.sort_unstable();
    rows.dedup();
    (rows, bad)
}

/// The link's text for excluded runs: the numbers, sorted, separated by `,`.
pub fn encode_excluded(rows: &[usize]) -> String {
    let mut rows = rows.to_vec();
    rows.sort_unstable();
    rows.dedup();
    rows.iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The runs split by the excluded numbers (1-based): (kept, excluded, numbers with no run).
pub fn split_excluded(points: &[Run], rows: &[usize]) -> (Vec<Run>, Vec<Run>, Vec<usize>) {
    let mut kept = Vec::with_capacity(points.len());
    let mut out = Vec::new();
    for (i, p) in points.iter().enumerate() {
        if rows.binary_search(&(i + 1)).is_ok() {
            out.push(*p);
        } else {
            kept.push(*p);
        }
    }
    let missing = rows.iter().copied().filter(|&r| r > points.len()).collect();
    (kept, out, missing)
}

/// Every run of `text`, read with the columns the link's `rmap` chooses (else guessed); a role
/// with no column is a [`RunsError::MissingColumn`] naming it.
pub fn mapped_points(text: &str, rmap: &str) -> Result<Vec<Run>, RunsError> {
    let headers = header_row(text);
    match column_map(&resolve(&headers, &RunsMap::parse(rmap).0)) {
        Ok(cols) => parse_points(text, &cols),
        Err(roles) => Err(RunsError::MissingColumn {
            expected: roles.iter().map(|r| r.key()).collect::<Vec<_>>().join(", "),
            found: headers,
        }),
    }
}

/// The runs the page fits: [`mapped_points`] less the runs the link's `rx` excludes, validated.
/// Bad entries of `rmap` and `rx` are left out here (the page names them).
pub fn kept_runs(text: &str, rmap: &str, rx: &str) -> Result<Runs, RunsError> {
    let points = mapped_points(text, rmap)?;
    Runs::new(split_excluded(&points, &parse_excluded(rx).0).0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::tests::EPOCH_CSV;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn guesses_common_headers() {
        assert_eq!(
            guess(&h(&["N", "D", "L"])),
            [Some("N".into()), Some("D".into()), None, Some("L".into())]
        );
        assert_eq!(
            guess(&h(&["model_size", "Training Tokens", "final_loss"])),
            [
                Some("model_size".into()),
                Some("Training Tokens".into()),
                None,
                Some("final_loss".into())
            ]
        );
        assert_eq!(
            guess(&h(&["Parameters", "data", "Loss"])),
            [
                Some("Parameters".into()),
                Some("data".into()),
                None,
                Some("Loss".into())
            ]
        );
        // "loss" inside a longer header, failing an exact synonym.
        assert_eq!(
            guess(&h(&["params", "tokens", "Loss (nats)"]))[3],
            Some("Loss (nats)".into())
        );
        // Nothing to guess.
        assert_eq!(guess(&h(&["a", "b", "e"])), [None, None, None, None]);
        assert_eq!(guess(&[]), [None, None, None, None]);
    }

    /// Epoch AI's replication data (Besiroglu et al. 2024) works with no choice at all: `Model
    /// Size`, `Training FLOP` (D = C/6N) and `loss`, the other columns ignored.
    #[test]
    fn epoch_table_needs_no_choice() {
        let headers = header_row(EPOCH_CSV);
        assert_eq!(
            headers,
            h(&[
                "x",
                "y",
                "color",
                "Model Size",
                "Training FLOP",
                "hex_color",
                "loss"
            ])
        );
        let cols = column_map(&resolve(&headers, &RunsMap::default())).unwrap();
        assert_eq!(cols.params, "Model Size");
        assert_eq!(cols.tokens, "");
        assert_eq!(cols.flops, "Training FLOP");
        assert_eq!(cols.loss, "loss");
        let pts = parse_points(EPOCH_CSV, &cols).unwrap();
        assert_eq!(pts.len(), 245);
        // With the loss column renamed, one choice makes it work.
        let renamed = EPOCH_CSV.replacen(",loss\n", ",val\n", 1);
        let headers = header_row(&renamed);
        assert_eq!(
            column_map(&resolve(&headers, &RunsMap::default())),
            Err(vec![Role::Loss])
        );
        let (m, bad) = RunsMap::parse("loss:val");
        assert!(bad.is_empty());
        let cols = column_map(&resolve(&headers, &m)).unwrap();
        assert_eq!(parse_points(&renamed, &cols).unwrap(), pts);
    }

    #[test]
    fn choices_override_guesses_and_tokens_take_precedence() {
        let headers = h(&["N", "D", "C", "loss", "other"]);
        let r = |m: &str| resolve(&headers, &RunsMap::parse(m).0);
        // Guess: tokens D, compute unused.
        assert_eq!(r("")[1..3], [Some("D".into()), None]);
        // Compute chosen: tokens unused.
        assert_eq!(r("flops:C")[1..3], [None, Some("C".into())]);
        // Tokens explicitly none: the guessed compute column.
        assert_eq!(r("tokens:")[1..3], [None, Some("C".into())]);
        // Both chosen: tokens win.
        assert_eq!(
            r("flops:C,tokens:other")[1..3],
            [Some("other".into()), None]
        );
        assert_eq!(r("params:other")[0], Some("other".into()));
        // A chosen header that is not in the table is named by the parser.
        let cols = column_map(&r("loss:nope")).unwrap();
        let e = parse_points("N,D,loss\n1,2,3\n", &cols).unwrap_err();
        assert!(e.to_string().contains("'nope'"), "{e}");
        // Nothing at all for tokens and compute.
        assert_eq!(column_map(&r("tokens:,flops:")), Err(vec![Role::Tokens]));
    }

    #[test]
    fn map_round_trips_and_names_bad_entries() {
        let (m, bad) = RunsMap::parse("params:Model Size,tokens:,flops:Training FLOP,loss:a:b");
        assert!(bad.is_empty());
        assert_eq!(m.get(Role::Loss), Some("a:b"));
        assert_eq!(m.get(Role::Tokens), Some(""));
        assert_eq!(RunsMap::parse(&m.encode()), (m.clone(), vec![]));
        let (m, bad) = RunsMap::parse("PARAMS:N,nocolon,size:x,loss:L,loss:L2");
        assert_eq!(m.get(Role::Params), Some("N"));
        assert_eq!(m.get(Role::Loss), Some("L2"));
        assert_eq!(
            bad,
            vec![
                MapProblem::NoColon("nocolon".into()),
                MapProblem::UnknownRole("size:x".into()),
                MapProblem::Twice("loss:L2".into()),
            ]
        );
        for p in &bad {
            assert!(p.to_string().starts_with("rmap: '"), "{p}");
        }
    }

    #[test]
    fn excluded_rows_parse_and_split() {
        assert_eq!(parse_excluded(""), (vec![], vec![]));
        assert_eq!(
            parse_excluded("3,7,12,-1,1.5,5-4,1-999999999, 2 "),
            (vec![2, 3, 7, 12], h(&["-1", "1.5", "5-4", "1-999999999"]))
        );
        assert_eq!(encode_excluded(&[7, 3, 3]), "3,7");
        let pts: Vec<Run> = (1..=5)
            .map(|i| Run {
                params: i as f64,
                tokens: 1.0,
                loss: 1.0,
            })
            .collect();
        let (kept, out, missing) = split_excluded(&pts, &[2, 5, 9]);
        assert_eq!(
            kept.iter().map(|r| r.params).collect::<Vec<_>>(),
            [1.0, 3.0, 4.0]
        );
        assert_eq!(out.iter().map(|r| r.params).collect::<Vec<_>>(), [2.0, 5.0]);
        assert_eq!(missing, [9]);
    }

    #[test]
    fn kept_runs_map_and_exclude() {
        let runs = kept_runs(EPOCH_CSV, "", "1,2").unwrap();
        assert_eq!(runs.len(), 243);
        let renamed = EPOCH_CSV.replacen(",loss\n", ",val\n", 1);
        let e = kept_runs(&renamed, "", "").unwrap_err();
        assert!(e.to_string().contains("missing column loss"), "{e}");
        assert_eq!(
            kept_runs(&renamed, "loss:val,junk", "x,3").unwrap().len(),
            244
        );
    }
}
