//! The shared constants registry: `missions/constants.yaml` holds figures
//! the labs share, each with its source; missions import them with
//! `shared:`; the book lists them on an appendix page.

use crate::util::{build_errors, temp_book, text};

const REGISTRY: &str = "constants:
  - { id: link, label: Link rate, value: 100 Gbps, unit: Gbps, source: IEEE 802.3ba }
  - { id: unused, label: Spare figure, value: 3 ms, source: a datasheet }
";

const MISSION: &str = "id: mini
title: Mini
shared: [link]
controls:
  - { id: size, label: Size, kind: slider, stops: [1 TB, 2 TB], default: 1 TB, unit: data }
formulas:
  - { id: t, label: Time, expr: \"size / link\", unit: s }
acts:
  - id: a
    title: A
    simulator:
      controls: [size]
      instruments:
        - metric: { value: t }
";

fn book(registry: &str, mission: &str) -> tempfile::TempDir {
    temp_book(&[("constants.yaml", registry), ("mini.yaml", mission)])
}

#[test]
fn a_mission_uses_a_shared_constant_and_the_appendix_lists_it() {
    let dir = book(REGISTRY, MISSION);
    let build = labgen::build(dir.path()).unwrap_or_else(|d| panic!("{d}"));
    assert!(build.warnings.is_empty(), "{}", build.warnings);
    let file = |name: &str| text(&build.files, name);
    // 1 TB over 100 Gbps (12.5 GB/s) is 80 s.
    assert!(
        file("mini.html").contains("data-value=\"t\" data-cell=\"")
            && file("mini.html").contains(">80 s</span>")
    );
    let appendix = file("constants.html");
    let row = |id: &str| {
        let i = appendix.find(&format!("<tr id=\"const-{id}\">")).unwrap();
        appendix[i..i + appendix[i..].find("</tr>").unwrap()].to_string()
    };
    assert_eq!(
        row("link"),
        "<tr id=\"const-link\"><th scope=\"row\">Link rate</th><td><code>link</code></td><td>100 Gbps</td><td>IEEE 802.3ba</td><td><a href=\"mini.html\">Mini</a></td>"
    );
    assert!(
        row("unused").ends_with("<td>not used yet</td>"),
        "{}",
        row("unused")
    );
    assert!(file("index.html")
        .contains("<a href=\"constants.html\">Appendix: constants and sources</a>"));
}

#[test]
fn an_unknown_shared_id_suggests_the_closest() {
    let dir = book(
        REGISTRY,
        &MISSION.replace("shared: [link]", "shared: [lnk]"),
    );
    assert_eq!(
        build_errors(dir.path()),
        "missions/mini.yaml:3:10: error: `lnk` is not in the shared constants\n  help: did you mean `link`?\n"
    );
}

#[test]
fn a_shared_constant_needs_a_source() {
    let dir = book(&REGISTRY.replace(", source: a datasheet", ""), MISSION);
    assert_eq!(
        build_errors(dir.path()),
        "missions/constants.yaml:3:11: error: shared constant `unused` has no `source`\n  help: say where the figure comes from, e.g. `source: NVIDIA A100 datasheet`\n"
    );
}

#[test]
fn a_shared_id_that_clashes_with_a_local_name_is_an_error() {
    let mission = MISSION.replace(
        "controls:\n",
        "constants:\n  - { id: link, value: 1 Gbps }\ncontrols:\n",
    );
    let dir = book(REGISTRY, &mission);
    let out = build_errors(dir.path());
    assert!(
        out.starts_with("missions/mini.yaml:3:10: error: `link` is already defined at missions/mini.yaml:5:11\n"),
        "{out}"
    );
}
