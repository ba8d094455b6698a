//! `scalecalc density-fit`: recovers a known doubling time; reports no growth and bad tables.

mod common;
use common::{run, write};

/// Days since 1970-01-01 → `YYYY-MM-DD` (Hinnant's civil_from_days), independent of the crate.
fn civil(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[test]
fn recovers_known_doubling_time() {
    // Exact exponential, 3.5 months, with a small deterministic wiggle; effective_params column.
    let t_true = 3.5;
    let start = 19_358; // 2023-01-01
    let mut csv = String::from("name,date,params,effective_params\n");
    for i in 0..15 {
        let day = start + i * 53;
        let wiggle = 0.02 * ((i * 7 % 5) as f64 - 2.0);
        let rho = ((day - start) as f64 / 30.436875 / t_true).exp2() * wiggle.exp();
        let n = 1e9 * (1 + i % 4) as f64;
        csv.push_str(&format!("m{i},{},{n:e},{:e}\n", civil(day), n * rho));
    }
    let p = write("known.csv", &csv);
    let (code, out, err) = run(&["density-fit", &p, "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let t = v["doubling_months"].as_f64().unwrap();
    assert!((t - t_true).abs() < 0.05, "{t}");
    let ci = v["ci95"].as_array().unwrap();
    let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
    assert!(lo < t_true && t_true < hi, "{lo} {hi}");
    assert!(v["r2"].as_f64().unwrap() > 0.99);
    assert_eq!(v["n_models"], 15);

    let (code, out, _) = run(&["density-fit", &p, "--frontier", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["n_models"].as_u64().unwrap() <= 15);
    assert_eq!(v["frontier"], true);
}

#[test]
fn no_growth_is_said() {
    let p = write(
        "flat.csv",
        "name,date,params,density\na,2024-01-01,1e9,2\nb,2024-03-01,1e9,1.5\nc,2024-06-01,1e9,1\n",
    );
    let (code, out, err) = run(&["density-fit", &p, "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["doubling_months"].is_null());
    assert!(v["note"].as_str().unwrap().contains("no growth"));
    let (_, text, _) = run(&["density-fit", &p]);
    assert!(text.contains("doubling_months: no growth"), "{text}");
    assert!(!text.contains("inf") && !text.contains("NaN"));
}

#[test]
fn bad_tables_exit_2() {
    for (name, text, needle) in [
        ("date.csv", "name,date,params,density\na,2024-01-01,1e9,1\nb,2024-02-31,1e9,2\nc,2024-03-01,1e9,3\n", "row 2"),
        ("zero.csv", "name,date,params,density\na,2024-01-01,0,1\n", "params"),
        ("neg.csv", "name,date,params,effective_params\na,2024-01-01,1e9,-3\n", "effective_params"),
        ("few.csv", "name,date,params,density\na,2024-01-01,1e9,1\nb,2024-02-01,1e9,2\n", "at least 3"),
        ("same.csv", "name,date,params,density\na,2024-01-01,1e9,1\nb,2024-01-01,1e9,2\nc,2024-01-01,1e9,3\n", "same date"),
        ("cols.csv", "name,date,params\na,2024-01-01,1e9\n", "effective_params"),
    ] {
        let p = write(name, text);
        let (code, _, err) = run(&["density-fit", &p, "--json"]);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(err.contains(needle), "{name}: {err}");
    }
    let (code, _, err) = run(&["density-fit", "/nonexistent/models.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("MODELS.csv"), "{err}");
}
