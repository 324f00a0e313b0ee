//! The book works offline: no written file points at a remote resource,
//! and the lab page, loaded and used, makes no network request.

use anyhow::Result;
use std::path::Path;

use super::controls::use_every_kind_of_control;
use super::harness::Session;
use super::LAB_PAGE;

/// Attribute values and CSS `url()`/`@import` targets in `text` that point
/// off the machine. Handles plain HTML and the JSON-escaped HTML fragments
/// (`href=\"...\"`) of the page's data block.
fn remote_references(text: &str) -> Vec<String> {
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    let remote = |target: &str| {
        let t = target.trim_start().to_ascii_lowercase();
        t.starts_with("http:") || t.starts_with("https:") || t.starts_with("//")
    };
    for attr in [
        "src=", "href=", "srcset=", "action=", "poster=", "data=", "@import", "url(",
    ] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(attr) {
            let start = from + i + attr.len();
            from = start;
            // The attribute name must start a word (so `data-src=` is not `src=`).
            let before = lower[..start - attr.len()].chars().next_back();
            if attr.ends_with('=')
                && before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                continue;
            }
            let rest = text[start..].trim_start_matches(['\\', '"', '\'', ' ']);
            let target: String = rest
                .chars()
                .take_while(|c| !matches!(c, '"' | '\'' | ')' | '\\' | '>' | ' ' | ';'))
                .collect();
            if remote(&target) {
                found.push(format!("{attr}{target}"));
            }
        }
    }
    found
}

fn assert_no_remote_references(dir: &Path) {
    let mut checked = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            // The PDF edition is a printed book, not something a browser loads.
            if path.extension().is_some_and(|e| e == "pdf") {
                continue;
            }
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let bad = remote_references(&text);
            assert!(
                bad.is_empty(),
                "{} refers to remote resources (the book must work offline): {bad:?}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 4,
        "expected at least 4 written files, checked {checked}"
    );
}

#[test]
fn remote_reference_scanner_finds_urls() {
    assert_eq!(
        remote_references(r#"<img src="https://x.test/a.png"><a href='//cdn.test/x'>"#),
        vec!["src=https://x.test/a.png", "href=//cdn.test/x"]
    );
    assert_eq!(
        remote_references(
            r#"{"f":"<a href=\"http://x.test\">"} @import url("https://f.test/a.css");"#
        ),
        vec!["href=http://x.test", "url(https://f.test/a.css"]
    );
    assert!(remote_references(
        r##"<svg xmlns="http://www.w3.org/2000/svg"><a href="#main" data-src="http://no"></a>url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E")"##
    )
    .is_empty());
}

/// No written file of the book (the PDF aside: a printed book, not
/// something a browser loads) has a `src`, `href`, `url()` or `@import`
/// that points at `http(s)://` or `//`.
#[test]
fn no_written_file_refers_to_a_remote_resource() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("book");
    labgen::output::write_atomically(&out, &crate::util::bundled_with_pdf().files).unwrap();
    assert!(
        out.join(LAB_PAGE).is_file(),
        "the build wrote no {LAB_PAGE}"
    );
    assert_no_remote_references(&out);
}

/// The lab page, loaded and used with every kind of control, requests
/// nothing but its own files: every request DevTools reports is a `file:`
/// URL (or an inline `data:` URI), and so is every Performance entry.
#[test]
fn the_lab_page_makes_no_network_request() -> Result<()> {
    let Some(session) = Session::open("the_lab_page_makes_no_network_request")? else {
        return Ok(());
    };
    let page = session.open_page(LAB_PAGE)?;
    use_every_kind_of_control(&page)?;
    let entries: Vec<String> = page.eval_json(
        "JSON.stringify(performance.getEntries()
           .filter((e) => e.entryType === 'resource' || e.entryType === 'navigation').map((e) => e.name))",
    )?;
    assert!(
        entries.iter().any(|u| u.ends_with(LAB_PAGE)),
        "the Performance API should list the page itself: {entries:?}"
    );
    let remote: Vec<&String> = entries.iter().filter(|u| !u.starts_with("file:")).collect();
    assert!(
        remote.is_empty(),
        "the page loaded non-file resources (Performance API): {remote:?}"
    );
    let requests = session.requests();
    for asset in [LAB_PAGE, "theme/labgen.js", "theme/labgen.css"] {
        assert!(
            requests.iter().any(|u| u.ends_with(asset)),
            "the DevTools request log should hold {asset} (is Network recording?): {requests:?}"
        );
    }
    // `data:` URIs (the CSS padlock icon) are inline, not requests.
    let remote: Vec<&String> = requests
        .iter()
        .filter(|u| !u.starts_with("file:") && !u.starts_with("data:"))
        .collect();
    assert!(
        remote.is_empty(),
        "the page made network requests: {remote:?}"
    );
    Ok(())
}
