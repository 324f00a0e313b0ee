//! Value references and the prose lint.

use super::*;

#[test]
fn splits_literals_and_references() {
    let p = parse("It takes {{ t_transfer as duration }}, costing {{ cost .0 }}.").unwrap();
    assert_eq!(p.len(), 5);
    assert_eq!(p[0], Piece::Lit("It takes ".into()));
    let Piece::Ref(r) = &p[1] else {
        panic!("not a ref")
    };
    assert_eq!(r.name, "t_transfer");
    assert_eq!(r.unit, Some(DisplayUnit::Duration));
    assert_eq!((r.start, r.end), (9, 37));
    let Piece::Ref(r) = &p[3] else {
        panic!("not a ref")
    };
    assert_eq!(
        (r.name.as_str(), r.digits, r.unit.is_none()),
        ("cost", Some(0), true)
    );
}

#[test]
fn reports_malformed_references() {
    assert_eq!(
        parse("a {{ b").unwrap_err().message,
        "unclosed value reference `{{`"
    );
    assert_eq!(parse("{{ }}").unwrap_err().message, "empty value reference");
    assert_eq!(
        parse("{{ x in ms }}").unwrap_err().message,
        "cannot read `in ms` in a value reference"
    );
    assert_eq!(
        parse("{{ x .z }}").unwrap_err().message,
        "`.z` is not a number of decimals"
    );
    assert_eq!(parse("xx {{ x as parsecs }}").unwrap_err().at, 3);
}

#[test]
fn reads_scenarios_and_facts() {
    let p = parse("{{ t @ stakeholder as min .0 }} and {{ egress @cloud }} {{ fact \"312 TFLOP/s\" from \"NVIDIA A100 datasheet\" }}").unwrap();
    let Piece::Ref(r) = &p[0] else {
        panic!("not a ref")
    };
    assert_eq!(
        (r.scenario.as_deref(), r.digits),
        (Some("stakeholder"), Some(0))
    );
    let Piece::Ref(r) = &p[2] else {
        panic!("not a ref")
    };
    assert_eq!(r.scenario.as_deref(), Some("cloud"));
    assert_eq!(
        p[4],
        Piece::Fact {
            text: "312 TFLOP/s".into(),
            source: "NVIDIA A100 datasheet".into(),
            start: 56,
            end: 109,
        }
    );
    assert_eq!(
        parse("{{ fact 312 }}").unwrap_err().message,
        "cannot read this fact"
    );
    assert_eq!(
        parse("{{ t @ }}").unwrap_err().message,
        "`@` must be followed by a scenario id"
    );
}

#[test]
fn finds_literal_numbers_with_units() {
    let found = |s: &str| {
        literal_numbers(s)
            .into_iter()
            .map(|(_, t)| t)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        found("It takes 67 minutes, costs $90,000 and runs at 23% on 3.5 GB/s."),
        ["67 minutes", "$90,000", "23%", "3.5 GB/s"]
    );
    // Numbers inside names and plain counts pass.
    assert!(found("ResNet-50 on an A100 in us-east-1, Act 2, 224x224 pixels").is_empty());
    assert_eq!(found("8 GPUs for 6 h"), ["8 GPUs", "6 h"]);
    assert_eq!(literal_numbers("at 100 Gbps")[0].0, 3);
}
