//! Dimension arithmetic and names.

use super::*;

#[test]
fn dim_arithmetic() {
    assert_eq!(Dim::DATA.div(Dim::TIME), Dim::DATA_RATE);
    assert_eq!(Dim::DATA_RATE.mul(Dim::TIME), Dim::DATA);
    assert_eq!(Dim::TIME.pow(2).root(2), Some(Dim::TIME));
    assert_eq!(Dim::TIME.root(2), None);
    assert_eq!(Dim::TIME.root(0), None);
    assert_eq!(Dim::DIMENSIONLESS.root(200), Some(Dim::DIMENSIONLESS));
    assert_eq!(Dim([127, 0, 0, 0, 0, 0]).mul(Dim::TIME).0[0], 127);
    assert_eq!(Dim([127, 0, 0, 0, 0, 0]).checked_mul(Dim::TIME), None);
    assert_eq!(
        Dim([-128, 0, 0, 0, 0, 0]).root(1),
        Some(Dim([-128, 0, 0, 0, 0, 0]))
    );
    assert_eq!(Dim::TIME.checked_pow(200), None);
    assert!(Dim::default().is_dimensionless());
    assert_eq!(Dim::DATA / Dim::TIME * Dim::TIME, Dim::DATA);
}

#[test]
fn dim_descriptions() {
    let cases: &[(Dim, &str)] = &[
        (Dim::TIME, "time"),
        (Dim::DATA, "data"),
        (Dim::DATA_RATE, "data rate"),
        (Dim::FREQUENCY, "frequency"),
        (Dim::COMPUTE_RATE, "compute rate"),
        (Dim([0, -1, 0, 0, 1, 0]), "currency per data"),
        (Dim([0, 1, 0, 0, 0, -1]), "data per compute"),
        (Dim::ENERGY, "energy"),
        (Dim::POWER, "power"),
        (Dim::DIMENSIONLESS, "dimensionless"),
        (Dim([-2, 1, 0, 0, 0, 0]), "B·s⁻²"),
        (Dim([-12, 0, 0, 0, 0, 3]), "FLOP³·s⁻¹²"),
    ];
    for (dim, text) in cases {
        assert_eq!(dim.describe(), *text);
    }
    assert_eq!(Dim::ENERGY.formula(), "m²·kg·s⁻²");
    assert_eq!(Dim::DIMENSIONLESS.formula(), "1");
}
