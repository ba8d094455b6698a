//! Unit tests of the atlas's parsers and fits; golden values of the shipped data.

use super::density::{self, family, FAMILIES};
use super::price;
use super::*;

const H: &str = "name,developer,release_date,open_weights,total_params,active_params,training_tokens,training_flops,mmlu_5shot,harder_benchmark,harder_score,source_url,source_locator,notes\n";

#[test]
fn shipped_tables_parse_without_errors() {
    for (what, text) in [("models", MODELS_CSV), ("undated", MODELS_UNDATED_CSV)] {
        let p = parse_models(text).unwrap();
        assert!(p.errors.is_empty(), "{what}: {:?}", p.errors);
    }
    let p = parse_prices(PRICES_CSV).unwrap();
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let p = parse_price_scores(PRICE_SCORES_CSV).unwrap();
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    let m = shipped_models();
    assert_eq!(m.len(), 98);
    assert_eq!(m.iter().filter(|m| m.release_date.is_some()).count(), 82);
    assert_eq!(shipped_prices().len(), 48);
    // Every priced score names a model that has a price row.
    let prices = shipped_prices();
    for s in shipped_price_scores() {
        assert!(
            prices.iter().any(|p| p.model_key() == s.price_model),
            "{} has no price row",
            s.price_model
        );
    }
}

#[test]
fn bad_rows_are_named_and_the_others_kept() {
    let csv = format!(
        "{H}ok,L,2024-01-01,true,7e9,7e9,,,60,MATH,20,https://x.org,T1,\n\
         baddate,L,2024-13-01,true,7e9,7e9,,,60,,,https://x.org,T1,\n\
         neg,L,2024-01-01,true,-7e9,7e9,,,60,,,https://x.org,T1,\n\
         score,L,2024-01-01,true,7e9,7e9,,,101,,,https://x.org,T1,\n\
         ok,L,2024-02-01,true,7e9,7e9,,,61,,,https://x.org,T1,\n\
         nosrc,L,2024-01-01,true,7e9,7e9,,,60,,,,T1,\n\
         nourl,L,2024-01-01,true,7e9,7e9,,,60,,,www.x.org,T1,\n\
         noloc,L,2024-01-01,true,7e9,7e9,,,60,,,https://x.org,,\n\
         nan,L,2024-01-01,true,seven,7e9,,,60,,,https://x.org,T1,\n\
         ,L,2024-01-01,true,7e9,7e9,,,60,,,https://x.org,T1,\n\
         undated,L,,false,7e9,7e9,,,60,,,https://x.org,T1,\n"
    );
    let p = parse_models(&csv).unwrap();
    let kept: Vec<_> = p.rows.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(kept, ["ok", "undated"]);
    let reasons: Vec<(usize, &str, &RowReason)> = p
        .errors
        .iter()
        .map(|e| (e.row, e.name.as_str(), &e.reason))
        .collect();
    assert!(matches!(
        reasons[0],
        (2, "baddate", RowReason::BadDate { .. })
    ));
    assert!(matches!(
        reasons[1],
        (3, "neg", RowReason::NotPositive { .. })
    ));
    assert!(matches!(
        reasons[2],
        (4, "score", RowReason::ScoreOutOfRange { .. })
    ));
    assert!(matches!(reasons[3], (5, "ok", RowReason::DuplicateName)));
    assert!(matches!(
        reasons[4],
        (6, "nosrc", RowReason::Missing { .. })
    ));
    assert!(matches!(
        reasons[5],
        (7, "nourl", RowReason::BadValue { .. })
    ));
    assert!(matches!(
        reasons[6],
        (8, "noloc", RowReason::Missing { .. })
    ));
    assert!(matches!(
        reasons[7],
        (9, "nan", RowReason::NotANumber { .. })
    ));
    assert!(matches!(reasons[8], (10, "", RowReason::Missing { .. })));
    assert_eq!(p.errors.len(), 9);
    assert_eq!(
        p.errors[2].to_string(),
        "row 4 (score): mmlu_5shot 101 is outside the benchmark's range 0–100"
    );
    assert_eq!(
        p.errors[1].to_string(),
        "row 3 (neg): total_params must be greater than 0, got -7000000000"
    );
    assert_eq!(p.rows[0].score(Benchmark::Math), Some(20.0));
    assert_eq!(p.rows[1].release_date, None);
    // A header without a required column is an error of the table, not of a row.
    assert_eq!(
        parse_models("developer\nx\n").unwrap_err(),
        AtlasError::MissingColumn("name")
    );
}

#[test]
fn price_rows() {
    let h = "model,provider,date,usd_per_million_input,usd_per_million_output,open_weights,source_url,source_locator\n";
    let p = parse_prices(&format!(
        "{h}a (snap),P,2024-01-01,1,3,,https://x.org,T\n\
         a,P,2024-06-01,0.5,2,true,https://x.org,T\n\
         b,P,,1,1,false,https://x.org,T\n\
         c,P,2024-01-01,1,1,maybe,https://x.org,T\n"
    ))
    .unwrap();
    assert_eq!(p.rows.len(), 2);
    assert_eq!(p.rows[0].model_key(), "a");
    assert_eq!(p.rows[0].open_weights, None);
    assert!(matches!(p.errors[0].reason, RowReason::Missing { .. }));
    assert!(matches!(p.errors[1].reason, RowReason::BadValue { .. }));
    let scores = parse_price_scores(
        "price_model,benchmark,score,source_url,source_locator\na,MMLU,80,https://x.org,T\na,mmlu,81,https://x.org,T\nb,GPQA,50,https://x.org,T\n",
    )
    .unwrap();
    assert_eq!(scores.rows.len(), 1);
    assert_eq!(scores.errors.len(), 2);
    let q = price::qualifying(&p.rows, &scores.rows, Benchmark::Mmlu, 80.0);
    assert_eq!(q.len(), 2);
    assert!((q[0].usd_per_million - 1.5).abs() < 1e-12); // (3·1 + 3)/4
    assert!((q[1].usd_per_million - 0.875).abs() < 1e-12); // (3·0.5 + 2)/4
    assert!(price::qualifying(&p.rows, &scores.rows, Benchmark::Mmlu, 80.5).is_empty());
}

/// A synthetic atlas: a reference family on a known logistic, later models denser by a known
/// doubling time. The fit recovers it.
#[test]
fn recovers_a_known_doubling_time() {
    let (d, c, k, m) = (20.0, 60.0, 0.9, 22.0_f64);
    let score = |n: f64| d + c / (1.0 + (-k * (n.ln() - m)).exp());
    let mut csv = String::from(H);
    for (i, n) in [0.5e9, 1.5e9, 3e9, 7e9, 14e9, 32e9, 72e9]
        .iter()
        .enumerate()
    {
        csv.push_str(&format!(
            "R{i},Q,2024-09-19,true,{n:e},{n:e},,,{},MATH,{},https://x.org,T,\n",
            score(*n),
            score(*n)
        ));
    }
    // Models dated every 60 days from 2023-01-01, density 2^(t/4 months), N = 3e9.
    let start = Date::parse("2023-01-01").unwrap().days_since_epoch();
    for i in 0..12 {
        let day = start + 60 * i;
        let rho = ((60 * i) as f64 / crate::date::DAYS_PER_MONTH / 4.0).exp2();
        let n = 3e9;
        csv.push_str(&format!(
            "m{i},L,{},true,{n:e},{n:e},,,{},,,https://x.org,T,\n",
            Date::from_days_since_epoch(day),
            score(rho * n)
        ));
    }
    let models = parse_models(&csv).unwrap().rows;
    let fam = density::ReferenceFamily {
        id: "synthetic",
        name: "synthetic",
        members: &["R0", "R1", "R2", "R3", "R4", "R5", "R6"],
        why: "a known curve",
    };
    let f = density::fit_doubling(&models, &fam, Benchmark::Mmlu, false).unwrap();
    // The family's own points (all on one date) sit at ρ = 1; fit only the dated series.
    let series: Vec<_> = f
        .points
        .iter()
        .filter(|p| p.name.starts_with('m'))
        .map(|p| crate::density::fit::ModelPoint {
            name: p.name.clone(),
            date: p.date,
            params: p.params,
            density: p.density,
        })
        .collect();
    let g = crate::density::fit::fit(&series, false).unwrap();
    assert!(
        (g.doubling_months.unwrap() - 4.0).abs() < 0.01,
        "{:?}",
        g.doubling_months
    );
    assert!(g.r2.unwrap() > 0.999);
    // The curve is the truth, so N̂ is exact.
    let p = f.points.iter().find(|p| p.name == "m3").unwrap();
    let rho = (180.0 / crate::date::DAYS_PER_MONTH / 4.0).exp2();
    assert!(
        (p.density / rho - 1.0).abs() < 1e-3,
        "{} vs {rho}",
        p.density
    );
}

#[test]
fn too_few_members_and_out_of_range_scores_are_said() {
    let models = shipped_models();
    let llama1 = density::ReferenceFamily {
        id: "llama-1",
        name: "LLaMA 1",
        members: &["LLaMA-7B", "LLaMA-13B", "LLaMA-33B", "LLaMA-65B"],
        why: "four sizes only",
    };
    let e = density::fit_doubling(&models, &llama1, Benchmark::Mmlu, false).unwrap_err();
    assert!(e.to_string().contains("needs at least 5"), "{e}");
    let r = density::reference_curve(&models, family("qwen1.5").unwrap(), Benchmark::Mmlu).unwrap();
    let fam: Vec<f64> = r.points.iter().map(|p| p.score).collect();
    let (pts, skipped) = density::densities(&models, &r.curve, Benchmark::Mmlu, &fam);
    // TinyLlama's 24.3 is below the Qwen1.5 curve's floor: named, not clipped.
    let t = skipped.iter().find(|s| s.name == "TinyLlama-1.1B").unwrap();
    assert!(
        t.reason.contains("outside the fitted curve's range"),
        "{}",
        t.reason
    );
    // Qwen1.5's scores span 39.2–77.5: DeepSeek-V3-Base (87.1) is skipped (above the ceiling),
    // Llama-2-7B (45.3) is inside, Gopher (60) inside, LLaMA-7B (35.1) extrapolated below.
    assert!(skipped.iter().any(|s| s.name == "DeepSeek-V3-Base"));
    let l2 = pts.iter().find(|p| p.name == "Llama-2-7B").unwrap();
    assert!(!l2.extrapolated);
    let l1 = pts.iter().find(|p| p.name == "LLaMA-7B").unwrap();
    assert!(l1.extrapolated);
}

/// Golden values of the shipped atlas (the numbers in docs/science.md §2 and the report). A
/// change of data or method that moves them must update both.
#[test]
fn golden_fits() {
    let models = shipped_models();
    let golden = [
        // (family, benchmark, frontier, doubling months, n)
        ("qwen2.5", Benchmark::Mmlu, true, GOLDEN[0].0, GOLDEN[0].1),
        ("qwen2.5", Benchmark::Math, true, GOLDEN[1].0, GOLDEN[1].1),
        ("qwen1.5", Benchmark::Mmlu, true, GOLDEN[2].0, GOLDEN[2].1),
        ("qwen1.5", Benchmark::Math, true, GOLDEN[3].0, GOLDEN[3].1),
    ];
    for (fam, b, fr, months, n) in golden {
        let f = density::fit_doubling(&models, family(fam).unwrap(), b, fr).unwrap();
        let t = f.fit.doubling_months.unwrap();
        assert!((t - months).abs() < 0.01, "{fam} {b:?}: {t} vs {months}");
        assert_eq!(f.fit.n_models, n, "{fam} {b:?}");
        let [lo, _] = f.fit.ci95_months;
        assert!(lo.unwrap() < t);
    }
    let p = price::fit_halving(
        &shipped_prices(),
        &shipped_price_scores(),
        Benchmark::Mmlu,
        85.0,
        true,
    )
    .unwrap();
    assert!(
        (p.halving_months.unwrap() - GOLDEN_PRICE.0).abs() < 0.01,
        "{:?}",
        p.halving_months
    );
    assert_eq!(p.n, GOLDEN_PRICE.1);
    for fam in FAMILIES {
        assert!(!fam.why.is_empty());
    }
}

/// Frontier doubling months and n: Qwen2.5 MMLU, Qwen2.5 MATH, Qwen1.5 MMLU, Qwen1.5 MATH.
const GOLDEN: [(f64, usize); 4] = [(5.1892, 13), (2.8027, 10), (4.9270, 12), (2.6030, 8)];
/// Halving months and n of the cheapest blended price of MMLU ≥ 85.
const GOLDEN_PRICE: (f64, usize) = (2.1237, 5);

/// The page's copies (build.rs) hold every row and value of the shipped tables but the notes.
#[test]
fn page_tables_are_the_shipped_tables_without_notes() {
    use super::*;
    let strip_models = |mut v: Vec<AtlasModel>| {
        v.iter_mut().for_each(|m| m.notes.clear());
        v
    };
    let full = parse_models(MODELS_CSV).unwrap();
    let page = parse_models(PAGE_MODELS_CSV).unwrap();
    assert!(full.errors.is_empty() && page.errors.is_empty());
    assert_eq!(strip_models(full.rows), page.rows);
    assert!(!PAGE_MODELS_CSV.contains(",notes"));
    let full = parse_prices(PRICES_CSV).unwrap().rows;
    let page = parse_prices(PAGE_PRICES_CSV).unwrap().rows;
    assert_eq!(full.len(), page.len());
    for (a, b) in full.iter().zip(&page) {
        assert_eq!(
            AtlasPrice {
                notes: String::new(),
                ..a.clone()
            },
            *b
        );
    }
    let full = parse_price_scores(PRICE_SCORES_CSV).unwrap().rows;
    let page = parse_price_scores(PAGE_PRICE_SCORES_CSV).unwrap().rows;
    assert_eq!(full.len(), page.len());
    for (a, b) in full.iter().zip(&page) {
        assert_eq!(
            PriceScore {
                notes: String::new(),
                ..a.clone()
            },
            *b
        );
    }
    assert!(PAGE_MODELS_CSV.len() < MODELS_CSV.len() * 2 / 3);
}
