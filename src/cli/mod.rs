//! The native command line: a thin shell over the model. Every subcommand prints one JSON object
//! with `--json` (a public interface), or `key: value` lines without it. Errors: exit status 2 and a
//! one-line message on stderr naming the bad argument; never a panic or a backtrace.

pub mod args;
pub mod atlas;
pub mod density;
pub mod density_fit;
pub mod fit;
pub mod gpus;
pub mod infer;
pub mod layout;
pub mod loss;
pub mod models;
pub mod optimal;
pub mod scenario;
pub mod train;

use clap::{Parser, Subcommand};
use serde_json::Value;

/// A user error: printed as one line, exit status 2.
#[derive(Debug, Clone, PartialEq)]
pub struct CliError(pub String);

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<E: std::error::Error> From<E> for CliError {
    fn from(e: E) -> Self {
        CliError(e.to_string())
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "scalecalc",
    version,
    about = "Compute-cost and scaling-law calculator for large language models"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Fit the Chinchilla law to your runs (Hoffmann et al. App. D.2), with bootstrap intervals.
    Fit(fit::FitArgs),
    /// Compute-optimal parameters and tokens for a budget (or the inference-aware optimum).
    Optimal(optimal::OptimalArgs),
    /// Predicted loss L(N, D) of a scaling law.
    Loss(loss::LossArgs),
    /// Evaluate a scenario link from the page (or its query string).
    Scenario(scenario::ScenarioArgs),
    /// Parameters that match a reference model's capability at a date (knowledge density).
    Density(density::DensityArgs),
    /// Density doubling time fitted from a table of models, or from the shipped atlas.
    DensityFit(density_fit::DensityFitArgs),
    /// The atlas: published models and dated list prices, each with its source.
    Atlas(atlas::AtlasArgs),
    /// Training layouts (TP, PP, CP, EP, DP, micro-batch, ZeRO, recomputation) that fit, fastest first.
    Layout(layout::LayoutArgs),
    /// Training cost: FLOPs, GPU-hours, days, dollars, energy, CO₂ (and memory per GPU).
    Train(Box<train::TrainArgs>),
    /// Hardware presets with their figures.
    Gpus(gpus::GpusArgs),
    /// Memory, latency, throughput and cost of serving a model.
    Infer(infer::InferArgs),
    /// The model presets.
    Models(models::ModelsArgs),
}

/// A JSON object as JSON, or as `key: value` lines: the text the CLI prints.
pub fn render(value: &Value, json: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if json {
        out = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".into());
        out.push('\n');
        return out;
    }
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let _ = match v {
                    Value::Number(n) => writeln!(
                        out,
                        "{k}: {}",
                        n.as_f64()
                            .map(|x| crate::model::num::sig(x, 4))
                            .unwrap_or_default()
                    ),
                    Value::String(s) => writeln!(out, "{k}: {s}"),
                    other => writeln!(out, "{k}: {other}"),
                };
            }
        }
        other => {
            let _ = writeln!(out, "{other}");
        }
    }
    out
}

/// Prints a JSON object as JSON, or as `key: value` lines. A reader that closed the pipe early
/// (`scalecalc … | head -c 10`) is not an error: like `cat` under SIGPIPE, the CLI stops quietly.
/// Any other write failure is returned.
pub fn print(value: &Value, json: bool) -> std::io::Result<()> {
    use std::io::Write as _;
    let text = render(value, json);
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Runs the CLI on these arguments; returns the exit status.
pub fn run_with<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    // A value that begins with '-' is the flag's value, not another flag: `--flops -1` is then
    // refused by --flops's own rule ("must be … greater than 0"), and `--gpus -NaN` names --gpus,
    // where clap alone would say "unexpected argument '-1'" or "'-N'" (issue 19).
    use clap::{CommandFactory, FromArgMatches};
    let command = Cli::command().mut_subcommands(|s| s.allow_hyphen_values(true));
    let parsed = command
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                let _ = e.print();
                return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                    2
                } else {
                    0
                };
            }
            // clap's message spans several lines; keep one that names the argument.
            let text = e.to_string();
            let mut lines = text.lines().map(str::trim).filter(|l| {
                !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more")
            });
            let mut line = lines
                .next()
                .unwrap_or("error: invalid arguments")
                .to_string();
            if line.ends_with(':') {
                let rest: Vec<&str> = lines.collect();
                line = format!("{line} {}", rest.join(", "));
            }
            eprintln!("{line}");
            return 2;
        }
    };
    let result = match &cli.command {
        Command::Fit(a) => fit::run(a).map(|v| (v, a.json)),
        Command::Optimal(a) => optimal::run(a).map(|v| (v, a.json)),
        Command::Loss(a) => loss::run(a).map(|v| (v, a.json)),
        Command::Scenario(a) => scenario::run(a).map(|v| (v, a.json)),
        Command::Density(a) => density::run(a).map(|v| (v, a.json)),
        Command::DensityFit(a) => density_fit::run(a).map(|v| (v, a.json)),
        Command::Atlas(a) => atlas::run(a).map(|v| (v, a.json)),
        Command::Layout(a) => layout::run(a).map(|v| (v, a.json)),
        Command::Train(a) => train::run(a).map(|v| (v, a.json)),
        Command::Gpus(a) => gpus::run(a).map(|v| (v, a.json)),
        Command::Infer(a) => infer::run(a).map(|v| (v, a.json)),
        Command::Models(a) => models::run(a).map(|v| (v, a.json)),
    };
    match result {
        Ok((v, json)) => match print(&v, json) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: cannot write the output: {e}");
                1
            }
        },
        Err(e) => {
            eprintln!("error: {}", e.0.lines().next().unwrap_or("failed"));
            2
        }
    }
}

/// The binary's entry point.
pub fn main() -> i32 {
    // A panic is a bug, but the user still gets one line and not a backtrace.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: internal error: {info}");
    }));
    std::panic::catch_unwind(|| run_with(std::env::args_os())).unwrap_or(70)
}
