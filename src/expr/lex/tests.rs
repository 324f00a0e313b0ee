//! How numbers, units and names are told apart.

use super::super::tests::{close, dims, eval, eval_with, p};
use crate::expr::*;

#[test]
fn unit_tokenisation_rule() {
    // (source, display of the parsed tree, which shows how units were taken)
    let cases: &[(&str, &str)] = &[
        ("batch_bytes / 12.5 GB/s", "batch_bytes / 12.5 GB/s"),
        ("2 h * workers", "2 h * workers"),
        ("4 GB/link", "4 GB / link"),
        ("50 TB / link", "50 TB / link"),
        ("$0.09/GB * size", "$0.09/GB * size"),
        ("$4 * n", "$4 * n"),
        ("$4/n", "$4 / n"),
        ("0.09 $/GB", "0.09 $/GB"),
        ("80%", "80%"),
        ("80 %", "80%"),
        ("2 workers", "2 workers"),
        ("2 batch", "2 batch"),
        ("150 KB/image", "150 KB/image"),
        ("10 m^2", "10 m²"),
        ("10 s^-1", "10 s⁻¹"),
        ("2 s^x", "(2 s)^x"),
        ("1e3GB", "1e3 GB"),
        ("2 kg*m^2/s^2", "2 kg·m²/s²"),
        ("5 us", "5 µs"),
        ("5 min", "5 min"),
        ("x > 2 and b", "x > 2 and b"),
        ("100 Gbps/8", "100 Gbps / 8"),
        ("3 GB/s/GB", "3 GB/s/GB"),
    ];
    for (src, shown) in cases {
        assert_eq!(p(src).to_string(), *shown, "{src}");
    }
    assert_eq!(eval_with("4 GB/link", &[("link", 2.0)]), 2e9);
    assert_eq!(eval_with("2 h * workers", &[("workers", 3.0)]), 21_600.0);
}

#[test]
fn literal_values_and_dims() {
    let e = p("$0.09/GB");
    let ExprKind::Literal(lit) = &e.kind else {
        panic!("not a literal");
    };
    assert!(lit.dollar);
    assert_eq!(lit.number, 0.09);
    assert!(close(lit.value, 9e-11, 1e-12));
    assert_eq!(lit.dim(), Dim([0, -1, 0, 0, 1, 0]));
    assert_eq!(lit.unit_atoms, vec![("GB".to_string(), Span::new(6, 8))]);
}

#[test]
fn space_ends_a_unit_so_names_can_follow() {
    let e = p("2 h * workers");
    let ExprKind::Binary { op, lhs, rhs } = &e.kind else {
        panic!("not binary");
    };
    assert_eq!(*op, BinOp::Mul);
    assert!(matches!(&lhs.kind, ExprKind::Literal(l) if l.value == 7200.0));
    assert_eq!(rhs.kind, ExprKind::Name("workers".to_string()));
}

#[test]
fn unknown_atom_after_slash_is_a_name() {
    let e = p("4 GB/link");
    assert_eq!(e.names(), vec![("link".to_string(), Span::new(5, 9))]);
    assert_eq!(e.check(&dims), Ok(Dim::DATA));
}

#[test]
fn dollar_rates_and_prices() {
    assert!(close(eval("$4/h * 10 h"), 40.0, 1e-12));
    assert!(close(eval("$4/GPU/h * 8 GPU * 10 h"), 320.0, 1e-12));
    assert_eq!(p("$4/h").check(&dims), Ok(Dim([-1, 0, 0, 0, 1, 0])));
    assert!(close(eval("$0.12/kWh * 400 W * 1 year"), 420.48, 1e-12));
}
