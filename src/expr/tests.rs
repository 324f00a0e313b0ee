//! Tests across the stages: display round trips, names, and inputs that must never panic.

use super::*;
use crate::units::Dim;

pub(super) fn p(src: &str) -> Expr {
    match parse(src) {
        Ok(e) => e,
        Err(e) => panic!("{src:?}: {e} at {:?}", e.span),
    }
}

/// Dimensions of the names used in tests.
pub(super) fn dims(name: &str) -> Option<Dim> {
    Some(match name {
        "t" | "t_io" | "delta" | "mtbf" => Dim::TIME,
        "batch_bytes" | "size" | "D" => Dim::DATA,
        "BW" | "bw" => Dim::DATA_RATE,
        "workers" | "n" | "util" | "a" | "b" | "c" | "x" | "link" => Dim::DIMENSIONLESS,
        "price" => Dim([0, -1, 0, 0, 1, 0]),
        _ => return None,
    })
}

/// Evaluates with every name bound to a slot from `vars`.
pub(super) fn eval_with(src: &str, vars: &[(&str, f64)]) -> f64 {
    let e = p(src);
    let compiled = e
        .compile(&|n| vars.iter().position(|(k, _)| *k == n))
        .unwrap_or_else(|err| panic!("{src}: {err}"));
    let slots: Vec<f64> = vars.iter().map(|(_, v)| *v).collect();
    compiled.eval(&slots)
}

pub(super) fn eval(src: &str) -> f64 {
    eval_with(src, &[])
}

pub(super) fn close(a: f64, b: f64, rel: f64) -> bool {
    a == b || ((a - b) / b).abs() < rel
}

/// The tree with every span zeroed, to compare structure only.
pub(super) fn strip_spans(e: &Expr) -> Expr {
    let kind = match &e.kind {
        ExprKind::Literal(l) => {
            let mut l = l.clone();
            for (_, s) in l.unit_atoms.iter_mut() {
                *s = Span::default();
            }
            ExprKind::Literal(l)
        }
        ExprKind::Name(n) => ExprKind::Name(n.clone()),
        ExprKind::Unary { op, operand } => ExprKind::Unary {
            op: *op,
            operand: Box::new(strip_spans(operand)),
        },
        ExprKind::Binary { op, lhs, rhs } => ExprKind::Binary {
            op: *op,
            lhs: Box::new(strip_spans(lhs)),
            rhs: Box::new(strip_spans(rhs)),
        },
        ExprKind::Call { func, args } => ExprKind::Call {
            func: *func,
            args: args.iter().map(strip_spans).collect(),
        },
    };
    Expr {
        kind,
        span: Span::default(),
        depth: e.depth,
    }
}

#[test]
fn display_round_trips() {
    let sources = [
        "a + b * c",
        "(a + b) * c",
        "a - (b - c)",
        "a / (b / c)",
        "-a^2",
        "(-a)^2",
        "a^b^c",
        "(a^b)^c",
        "not (a or b)",
        "a < b and b < c or not c",
        "min(a, b + 1, max(c))",
        "if(t > 6 h, $4/h * t, 0 $)",
        "(2 h)^2",
        "-(a * b)",
        "a - -b",
        "(a < b) == (b < c)",
    ];
    for src in sources {
        let e = p(src);
        let again = p(&e.to_string());
        assert_eq!(strip_spans(&e), strip_spans(&again), "{src} vs {again}");
    }
}

#[test]
fn names_in_source_order() {
    let e = p("min(t_io, batch_bytes / BW) + t_io * workers");
    let names: Vec<(String, Span)> = e.names();
    let expected = vec![
        ("t_io".to_string(), Span::new(4, 8)),
        ("batch_bytes".to_string(), Span::new(10, 21)),
        ("BW".to_string(), Span::new(24, 26)),
        ("t_io".to_string(), Span::new(30, 34)),
        ("workers".to_string(), Span::new(37, 44)),
    ];
    assert_eq!(names, expected);
    assert!(p("50 TB / 100 Gbps").names().is_empty());
}

#[test]
fn function_names_are_not_names() {
    let e = p("max(a, min(b, c)) + sqrt(x)");
    let names: Vec<String> = e.names().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, vec!["a", "b", "c", "x"]);
}

#[test]
fn odd_inputs_never_panic() {
    let odd = [
        "",
        "(((",
        ")))",
        "1e999 GB",
        "$",
        "GB/",
        "^",
        "µ",
        "µs",
        "2 µ",
        "é",
        "1 2 3",
        "1 ++ 2",
        "--",
        "not",
        "not not",
        "and",
        "if",
        "if(",
        "if()",
        "min(,)",
        "max(1,)",
        ",",
        "$$",
        "$1$",
        "1 $",
        "1 $/",
        "1 GB/^",
        "2 s^",
        "2 s^-",
        "2 s^-x",
        "0x10",
        "1e",
        "1e+",
        "2 EB",
        "5eggs",
        "2 m²²²",
        "a^^b",
        "a^",
        "-",
        "\u{0}",
        "\u{200b}",
        "a\u{feff}b",
        "1 GB/s/s/s/s",
        "$0.09/",
        "$0.09//GB",
        "$0.09/GB/",
        "((((a))))",
        "1 s^127 * 1 s^127",
        "t^1e300",
        "t^-1e300",
        "t^(0/0)",
        "2^1e308^2",
        "min(t)^0.5",
        "1_000",
        "a.b",
        "a..b",
        "3 Gbps/link/",
        "100 %%",
        "%%",
        "\t1\t+\t2",
    ];
    for src in odd {
        if let Ok(e) = parse(src) {
            let _ = e.check(&dims);
            let _ = e.names();
            let _ = e.to_latex(&|n| n.to_string());
            let _ = e.to_string();
            if let Ok(c) = e.compile(&|_| Some(0)) {
                let _ = c.eval(&[]);
                let _ = c.eval(&[1.0]);
            }
        }
    }
}

/// Runs every stage on `src`; if it parses, its display must parse back to the same tree.
fn exercise(src: &str) -> bool {
    let _ = crate::units::parse_quantity(src);
    let _ = crate::units::parse_unit(src);
    let Ok(e) = parse(src) else { return false };
    let _ = e.check(&dims);
    let _ = e.to_latex(&|n| n.to_string());
    let _ = e.to_latex_with_values(&|_| "-1\\,\\mathrm{s}".to_string());
    if let Ok(c) = e.compile(&|_| Some(0)) {
        let _ = c.eval(&[2.0]);
    }
    let shown = e.to_string();
    match parse(&shown) {
        Ok(again) => assert_eq!(strip_spans(&e), strip_spans(&again), "{src:?} -> {shown:?}"),
        Err(err) => panic!("{src:?} displays as {shown:?}, which fails: {err}"),
    }
    true
}

/// xorshift64: deterministic pseudo-random numbers without external crates.
fn rng(mut state: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    }
}

#[test]
fn random_characters_never_panic() {
    let alphabet: Vec<char> = "12.e5 $%µ/*^·()+-<=>!,abtxhsGBMKibpmin_andornotif日\t"
        .chars()
        .collect();
    let mut pick = rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..5_000 {
        let len = pick(14);
        let src: String = (0..len)
            .map(|_| alphabet.get(pick(alphabet.len())).copied().unwrap_or(' '))
            .collect();
        exercise(&src);
    }
}

#[test]
fn random_token_sequences_round_trip() {
    let tokens = [
        "a",
        "b",
        "x",
        "t",
        "2",
        "0.5",
        "1e3",
        "12.5 GB/s",
        "$4/h",
        "80%",
        "2 h",
        "3 m^2",
        "+",
        "-",
        "*",
        "/",
        "^",
        "(",
        ")",
        "<",
        "==",
        "and",
        "or",
        "not",
        "min(",
        "max(",
        ",",
        "sqrt(",
        "if(",
        "(",
        ")",
        "-",
        " ",
        "4 GB/link",
        "0.09 $/GB",
        "5 s^-1",
    ];
    let mut pick = rng(0xD1B5_4A32_D192_ED03);
    let mut parsed = 0;
    for _ in 0..20_000 {
        let len = 1 + pick(9);
        let src: String = (0..len)
            .map(|_| tokens.get(pick(tokens.len())).copied().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(" ");
        if exercise(&src) {
            parsed += 1;
        }
    }
    // Make sure the generator produces enough valid expressions to test the round trip.
    assert!(parsed > 1_000, "only {parsed} parsed");
}

#[test]
fn hostile_nesting_is_an_error_not_a_crash() {
    let deep_parens = "(".repeat(100_000);
    assert!(parse(&deep_parens).is_err());
    let deep_neg = "-".repeat(100_000) + "1";
    assert!(parse(&deep_neg).is_err());
    let deep_not = "not ".repeat(10_000) + "1";
    assert!(parse(&deep_not).is_err());
    let long_sum = vec!["1"; 10_000].join(" + ");
    let err = parse(&long_sum).expect_err("too deep");
    assert!(err.message.contains("nested too deeply"));
    let long_pow = vec!["1"; 10_000].join("^");
    assert!(parse(&long_pow).is_err());
    // Reasonable sizes still work.
    let ok_sum = vec!["1"; 100].join(" + ");
    assert_eq!(eval(&ok_sum), 100.0);
    let ok_parens = format!("{}1{}", "(".repeat(30), ")".repeat(30));
    assert_eq!(eval(&ok_parens), 1.0);
    assert!(parse(&format!("{}1{}", "(".repeat(40), ")".repeat(40))).is_err());
}

#[test]
fn error_display_includes_hint() {
    let err = parse("maxx(a)").expect_err("unknown");
    assert_eq!(
        err.to_string(),
        "unknown function `maxx` (did you mean `max`?)"
    );
}
