//! The engine: determinism, error locations, escapes as Typst reads them,
//! the build date.

use super::*;
use crate::render::typst::{escape, string};

/// A document that imports the prelude, with `body` after its setup.
pub(crate) fn doc(body: &str) -> String {
    format!("#import \"/book.typ\": *\n#show: book.with(title: \"Test\")\n{body}\n")
}

#[test]
fn deterministic() {
    let src = doc("= Hello\n#lorem(50)\n$ x^2 $\n#figure-svg(\"/a.svg\", caption: [A])");
    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40" font-family="system-ui, sans-serif"><text x="4" y="20">Hi</text></svg>"##;
    let files = vec![("/a.svg".to_string(), svg.to_vec())];
    let a = compile(&src, &files, None).expect("compiles");
    let b = compile(&src, &files, None).expect("compiles");
    assert!(a.starts_with(b"%PDF-"));
    assert_eq!(a, b);
}

#[test]
fn error_in_main_has_line_and_column() {
    let src = "Hello\n\nworld #undefined-thing(1)\n";
    let errors = compile(src, &[], None).expect_err("must fail");
    let e = &errors[0];
    assert!(e.message.contains("unknown variable"), "{e}");
    assert_eq!(
        (e.line, e.column, e.file.as_deref()),
        (Some(3), Some(8), None)
    );
}

#[test]
fn error_in_prelude_points_at_call_site() {
    // `banner` needs a known tone; the failure is raised in /book.typ
    // but reported at the call in main.
    let src = doc("\n#banner(\"purple\", [T], [B])");
    let errors = compile(&src, &[], None).expect_err("must fail");
    let e = &errors[0];
    assert_eq!(e.file.as_deref(), Some("/book.typ"), "{e}");
    assert_eq!(e.line, Some(4), "{e}");
}

#[test]
fn missing_file_is_an_error() {
    let errors = compile("#image(\"/nope.svg\")", &[], None).expect_err("must fail");
    assert!(errors[0].message.contains("not found"), "{}", errors[0]);
    assert_eq!(errors[0].line, Some(1));
}

#[test]
fn source_date_epoch_is_the_document_date() {
    // Only the timestamp conversion is tested here: setting the variable
    // would race with the other tests, which run in parallel.
    assert!(timestamp_from_epoch(1_700_000_000).is_some());
    assert!(timestamp_from_epoch(i64::MAX).is_none());
}

#[test]
fn escapes_round_trip() {
    // typst_str: the string value is exactly the input.
    let nasty = "a \"quoted\" \\ back\nslash\t\u{1} # $x$ [c] //";
    let codes: Vec<String> = nasty.chars().map(|c| u32::from(c).to_string()).collect();
    let src = format!(
        "#assert.eq({}, ({},).map(str.from-unicode).join())",
        string(nasty),
        codes.join(", ")
    );
    compile(&src, &[], None).unwrap_or_else(|e| panic!("{e:?}\n{src}"));

    // typst_markup_escape: the markup is plain text equal to the input.
    let text = "back\\slash # $x$ *b* _i_ [c] <l> @r ~ = + - // 1. `r` -5 -- 2.5 h=1 a:b";
    let src = format!(
        "#let plain(c) = if c.has(\"text\") {{ c.text }} else if c.has(\"children\") {{ c.children.map(plain).join() }} else {{ \" \" }}\n\
         #assert.eq(plain[{}], {})",
        escape(text),
        string(text)
    );
    compile(&src, &[], None).unwrap_or_else(|e| panic!("{e:?}\n{src}"));
}

#[test]
fn epoch_conversion() {
    assert_eq!(civil_from_epoch(0), Some((1970, 1, 1, 0, 0, 0)));
    assert_eq!(
        civil_from_epoch(1_700_000_000),
        Some((2023, 11, 14, 22, 13, 20))
    );
    assert_eq!(civil_from_epoch(951_782_400), Some((2000, 2, 29, 0, 0, 0)));
}
