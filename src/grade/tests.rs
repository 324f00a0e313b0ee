//! The key `labgen grade` reads is the key `labgen build` writes.

use super::*;
use std::path::Path;

/// The bundled book's `answers.json`, without the PDF editions.
fn bundled_answers() -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config = crate::config::load(root).unwrap_or_else(|d| panic!("{d}"));
    config.outputs.pdf = false;
    let build = crate::build_with(root, config).unwrap_or_else(|d| panic!("{d}"));
    build
        .keys
        .into_iter()
        .find(|f| f.path == Path::new(crate::key::ANSWERS_FILE))
        .expect("answers.json")
        .bytes
}

#[test]
fn answers_json_reads_back_into_the_schema_and_writes_the_same_bytes() {
    let bytes = bundled_answers();
    let key = parse_key(&bytes).expect("the key parses");
    assert!(!key.labs.is_empty());
    assert!(key.labs.iter().any(|l| !l.tables.is_empty()));
    let again = crate::key::answers_json(&key).expect("serializes");
    let before = String::from_utf8(bytes).expect("UTF-8");
    assert_eq!(before.lines().count(), again.lines().count());
    // Line by line, so a failure names the field that changed.
    for (n, (a, b)) in before.lines().zip(again.lines()).enumerate() {
        if a != b {
            assert!(
                same_number(a, b),
                "answers.json line {} changed on the round trip:\n{a}\n{b}",
                n + 1
            );
        }
    }
}

/// Whether two lines are the same field with the same number give or take
/// the last bit: without serde_json's `float_roundtrip` feature its parser
/// may land one unit in the last place away from the written value.
fn same_number(a: &str, b: &str) -> bool {
    let split = |l: &str| {
        let (field, value) = l.rsplit_once(": ")?;
        let value = value.trim_end_matches(',').parse::<f64>().ok()?;
        Some((field.to_string(), value))
    };
    match (split(a), split(b)) {
        (Some((fa, va)), Some((fb, vb))) => {
            fa == fb && (va - vb).abs() <= 4.0 * f64::EPSILON * va.abs().max(vb.abs())
        }
        _ => false,
    }
}

#[test]
fn a_key_with_another_schema_is_refused_word_for_word() {
    let e = parse_key(br#"{"schema": "x", "book_version": "v", "labs": []}"#).unwrap_err();
    assert_eq!(
        e,
        "the key's schema is \"x\", not labgen-key/1; pass the answers.json that labgen build wrote"
    );
    let e = parse_key(br#""x""#).unwrap_err();
    assert_eq!(
        e,
        "the key is not a labgen answers.json: invalid type: string \"x\", expected struct Key at line 1, column 3"
    );
}
