//! Prints the atlas's fitted density doubling times (benchmark × reference family, frontier and
//! all models) and the price-of-capability halving time, with 95% CIs, R² and n.
//!
//! `cargo run -p scalecalc-model --example atlas_report`

use scalecalc_model::atlas::{
    density, price, shipped_models, shipped_price_scores, shipped_prices, Benchmark,
};

fn months(x: Option<f64>) -> String {
    x.map_or("unbounded".into(), |m| format!("{m:.2}"))
}

fn main() {
    let models = shipped_models();
    println!("Density doubling time on the atlas (months; 95% CI; R²; n models fitted)");
    println!(
        "family    benchmark  fitted     T      95% CI             R²     n  skipped  extrapolated"
    );
    for fam in density::FAMILIES {
        for b in Benchmark::ALL {
            for frontier in [true, false] {
                let which = if frontier { "frontier" } else { "all" };
                match density::fit_doubling(&models, fam, b, frontier) {
                    Ok(f) => println!(
                        "{:<9} {:<10} {:<8} {:>6}  [{:>6}, {:>9}]  {:.3}  {:>2}  {:>7}  {}",
                        fam.id,
                        b.name(),
                        which,
                        months(f.fit.doubling_months),
                        months(f.fit.ci95_months[0]),
                        months(f.fit.ci95_months[1]),
                        f.fit.r2.unwrap_or(f64::NAN),
                        f.fit.n_models,
                        f.skipped.len(),
                        f.fit
                            .models
                            .iter()
                            .filter(|m| f.points.iter().any(|p| p.name == m.name && p.extrapolated))
                            .count()
                    ),
                    Err(e) => println!("{:<9} {:<10} {:<8} — {e}", fam.id, b.name(), which),
                }
            }
        }
    }
    for fam in density::FAMILIES {
        let Ok(f) = density::fit_doubling(&models, fam, Benchmark::Mmlu, false) else {
            continue;
        };
        let rho: Vec<_> = density::TALK_PAIR
            .iter()
            .filter_map(|n| f.points.iter().find(|p| p.name == *n))
            .map(|p| {
                format!(
                    "{} ρ {:.4} (N̂ {:.3e})",
                    p.name, p.density, p.effective_params
                )
            })
            .collect();
        println!("talk pair on {} MMLU: {}", fam.id, rho.join(" vs "));
    }
    println!(
        "(extrapolated: fitted models whose score lies outside the reference family's own scores)"
    );
    println!("Beside: the design's 8 months; Xiao et al. 3.3 months (arXiv 2412.04315 v2) and 3.5 months (NMI 2025).");
    println!();
    let (prices, scores) = (shipped_prices(), shipped_price_scores());
    for min in [80.0, 85.0, 88.0] {
        for frontier in [true, false] {
            match price::fit_halving(&prices, &scores, Benchmark::Mmlu, min, frontier) {
                Ok(p) => {
                    println!(
                        "price of MMLU ≥ {min} ({}, {}): halving {} months, 95% CI [{}, {}], R² {:.3}, n {}",
                        p.price,
                        if frontier { "cheapest by date" } else { "all qualifying rows" },
                        months(p.halving_months),
                        months(p.ci95_months[0]),
                        months(p.ci95_months[1]),
                        p.r2.unwrap_or(f64::NAN),
                        p.n
                    );
                    if frontier {
                        for r in &p.fitted {
                            println!(
                                "    {} {:<32} MMLU {:>5} ${:.4}/M",
                                r.date, r.model, r.score, r.usd_per_million
                            );
                        }
                    }
                }
                Err(e) => println!("price of MMLU ≥ {min}: {e}"),
            }
        }
    }
}
