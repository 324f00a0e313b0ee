//! Evaluation of compiled programs.

use super::super::tests::{close, dims, eval, eval_with, p};
use crate::expr::*;

#[test]
fn textbook_figures() {
    // (expression, expected value in base units, expected dimension)
    let cases: &[(&str, f64, Dim)] = &[
        ("50 TB / 100 Gbps", 4000.0, Dim::TIME),
        ("50 TB * $0.09/GB", 4500.0, Dim::CURRENCY),
        ("64 * 150 KB / 150 MB/s", 0.064, Dim::TIME),
        (
            "64 * 3 * 8.2 GFLOP / 312 TFLOP/s",
            64.0 * 3.0 * 8.2e9 / 312e12,
            Dim::TIME,
        ),
        ("1 TiB / 1 TB", 1.099511627776, Dim::DIMENSIONLESS),
        ("100 Gbps / 1 GB/s", 12.5, Dim::DIMENSIONLESS),
        ("640 pJ / 3.7 pJ", 640.0 / 3.7, Dim::DIMENSIONLESS),
        ("4.1 GMAC / 1 GFLOP", 8.2, Dim::DIMENSIONLESS),
        ("$23/TB/month * 50 TB * 1 month", 1150.0, Dim::CURRENCY),
    ];
    for (src, value, dim) in cases {
        let e = p(src);
        assert_eq!(e.check(&dims), Ok(*dim), "{src}");
        let got = eval(src);
        assert!(close(got, *value, 1e-12), "{src}: {got} != {value}");
    }
    // The FLOP example to the stated 1e-9 relative precision: 5.046 ms.
    let t = eval("64 * 3 * 8.2 GFLOP / 312 TFLOP/s");
    assert!(close(t, 5.046_153_846_153_846e-3, 1e-9), "{t}");
}

#[test]
fn precedence_and_evaluation() {
    let cases: &[(&str, f64)] = &[
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("-2^2", -4.0),
        ("(-2)^2", 4.0),
        ("2^3^2", 512.0),
        ("2^-1", 0.5),
        ("8 / 4 / 2", 1.0),
        ("10 - 4 - 3", 3.0),
        ("1 < 2", 1.0),
        ("2 <= 1", 0.0),
        ("3 == 3", 1.0),
        ("0.1 * 3 == 0.3", 1.0),
        ("3 != 3", 0.0),
        ("1 < 2 and 2 < 1", 0.0),
        ("1 < 2 or 2 < 1", 1.0),
        ("not 1 < 2", 0.0),
        ("not 0 or 0", 1.0),
        ("1 + 1 > 1 and 2 > 1", 1.0),
        ("min(3, 1, 2)", 1.0),
        ("max(3, 1, 2)", 3.0),
        ("max(4)", 4.0),
        ("clamp(5, 0, 1)", 1.0),
        ("clamp(-5, 0, 1)", 0.0),
        ("clamp(0.5, 0, 1)", 0.5),
        ("clamp(0.5, 2, 1)", 1.0),
        ("abs(-3)", 3.0),
        ("sqrt(16)", 4.0),
        ("exp(0)", 1.0),
        ("ln(1)", 0.0),
        ("log10(1000)", 3.0),
        ("log2(8)", 3.0),
        ("floor(2.7)", 2.0),
        ("ceil(2.1)", 3.0),
        ("round(2.5)", 3.0),
        ("round(-2.5)", -3.0),
        ("if(1 > 0, 10, 20)", 10.0),
        ("if(1 < 0, 10, 20)", 20.0),
        ("80%", 0.8),
        ("1e3 * 2.5E-3", 2.5),
        ("+3", 3.0),
        ("- -3", 3.0),
        ("2 workers", 2.0),
        ("300 image/s * 1 min", 18000.0),
        ("1 ms + 1 s", 1.001),
        ("6 h > 5 h", 1.0),
        ("2·3", 6.0),
        ("3 ≥ 3", 1.0),
    ];
    for (src, want) in cases {
        let got = eval(src);
        assert!(close(got, *want, 1e-12), "{src}: {got} != {want}");
    }
}

#[test]
fn variables_and_slots() {
    let vars = [("batch_bytes", 9.6e6), ("t_io", 0.2), ("workers", 4.0)];
    assert!(close(
        eval_with("batch_bytes / 12.5 GB/s", &vars),
        9.6e6 / 12.5e9,
        1e-12
    ));
    assert!(close(eval_with("2 h * workers", &vars), 28_800.0, 1e-12));
    assert!(close(eval_with("t_io * workers + 1 s", &vars), 1.8, 1e-12));
    // Out-of-range slots read as NaN rather than panicking.
    let c = p("x + 1")
        .compile(&|_| Some(7))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(c.eval(&[1.0]).is_nan());
    // Division by zero is IEEE, for the caller to reject with is_finite.
    assert!(eval("1 / 0").is_infinite());
    assert!(eval("sqrt(-1)").is_nan());
    assert!(eval("0 / 0 < 1").is_nan());
    assert!(eval("if(0/0, 1, 2)").is_nan());
    assert!(eval("min(0/0, 1)").is_nan());
}

#[test]
fn deep_programs_use_a_heap_stack() {
    // Every argument of `min` is on the stack at once: more than the inline buffer.
    let src = format!("min({})", vec!["2"; 40].join(", "));
    assert_eq!(eval(&src), 2.0);
    let src = format!("max({}, 3)", vec!["2"; 40].join(", "));
    assert_eq!(eval(&src), 3.0);
}

#[test]
fn compile_reports_unknown_names() {
    let err = p("a + zz")
        .compile(&|n| (n == "a").then_some(0))
        .expect_err("zz has no slot");
    assert_eq!(err.span, Span::new(4, 6));
    assert!(err.message.contains("`zz`"));
}

#[test]
fn percent_comparisons() {
    let vars = [("util", 0.85)];
    assert_eq!(eval_with("util >= 80%", &vars), 1.0);
    assert_eq!(eval_with("util >= 90%", &vars), 0.0);
    assert_eq!(p("util >= 80%").check(&dims), Ok(Dim::DIMENSIONLESS));
}

#[test]
fn young_checkpoint_interval() {
    // tau = sqrt(2 delta M) with delta = 35 s and M = 4.4 h: about 17.5 minutes.
    let tau = eval_with(
        "sqrt(2 * delta * mtbf)",
        &[("delta", 35.0), ("mtbf", 4.4 * 3600.0)],
    );
    assert!(close(tau, (2.0f64 * 35.0 * 15_840.0).sqrt(), 1e-12));
    assert!((tau / 60.0 - 17.5).abs() < 0.1, "{tau}");
    assert_eq!(p("sqrt(2 * delta * mtbf)").check(&dims), Ok(Dim::TIME));
}

#[test]
fn failure_probability() {
    // P(at least one failure in T) = 1 - exp(-T / MTBF)
    let pf = eval_with(
        "1 - exp(-t / mtbf)",
        &[("t", 3600.0), ("mtbf", 4.4 * 3600.0)],
    );
    assert!(close(pf, 1.0 - (-1.0f64 / 4.4).exp(), 1e-12));
}

#[test]
fn logic_propagates_nan() {
    assert!(eval("0/0 and 1").is_nan());
    assert!(eval("1 or 0/0").is_nan());
    assert!(eval("not (0/0)").is_nan());
    assert!(eval("max(1, 0/0)").is_nan());
    assert!(eval("clamp(0/0, 0, 1)").is_nan());
}

#[test]
fn compiled_programs_are_reusable_across_states() {
    let e = p("min(storage_bw / (batch * image_bytes / step_time), 1)");
    let names = ["storage_bw", "batch", "image_bytes", "step_time"];
    let c = e
        .compile(&|n| names.iter().position(|k| *k == n))
        .unwrap_or_else(|err| panic!("{err}"));
    let mut total = 0.0;
    for i in 0..10_000 {
        let bw = 150e6 * f64::from(i % 100 + 1);
        total += c.eval(&[bw, 64.0, 150e3, 0.1]);
    }
    // bw / demand with demand = 96 MB/s: every storage tier of 150 MB/s or more saturates.
    assert_eq!(total, 10_000.0);
    assert_eq!(c.eval(&[48e6, 64.0, 150e3, 0.1]), 0.5);
}
