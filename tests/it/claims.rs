//! Numbers that cannot drift: scenarios, claims, the prose lint, options
//! bound to the model, and worked examples generated from the formulas.
//! Each test builds a small book in a temporary folder and checks the exact
//! diagnostics or the rendered output.

use std::path::Path;

use crate::util::{build_errors, line_of, temp_book, text};

/// A small mission: moving data over a link, with scenarios and claims.
const MISSION: &str = r#"id: transfer
title: Moving data
tracks:
  - id: fast
    label: Fast link
  - id: slow
    label: Slow link
    constants:
      cap: 1 Gbps
constants:
  - { id: cap, tex: 'C', value: 100 Gbps, unit: Gbps }
  - { id: price, tex: 'p', value: $0.09/GB, unit: $/GB, digits: 2 }
controls:
  - id: size
    tex: 'D'
    label: Data
    kind: slider
    stops: [1 TB, 10 TB, 50 TB]
    default: 10 TB
    unit: data
formulas:
  - { id: bw, label: Bandwidth, expr: "cap", unit: GB/s, tex: 'BW' }
  - { id: t, label: Transfer time, expr: "size / bw", unit: duration, tex: 'T' }
  - { id: cost, label: Egress, expr: "size * price", unit: $, digits: 0, tex: 'E' }
scenarios:
  - { id: big, label: Fifty terabytes, set: { size: 50 TB } }
  - { id: small, label: One terabyte, track: fast, set: { size: 1 TB } }
claims:
  - { scenario: big, track: fast, value: t, about: 67 min, within: 1 min }
  - { scenario: big, value: cost, about: $4500, within: $1 }
acts:
  - id: move
    title: Move it
    story: |
      Moving {{ size @ big }} takes {{ t @ big }} on this track.
    prediction:
      prompt: How long does {{ size @ big }} take?
      answer: { value: t, at: big }
      options:
        - { key: A, value: t / 8, text: "About {{ option }}", feedback: "Bits are not bytes." }
        - { key: B, value: t, text: "About {{ option }}", feedback: "Right." }
        - { key: C, value: t * 10, text: "About {{ option }}", feedback: "Too slow." }
    simulator:
      controls: [size]
      instruments:
        - metric: { value: t }
    mathpeek:
      title: Transfer time
      latex: T = D / BW
      worked:
        - { formula: t, at: [big, small] }
"#;

struct Book(tempfile::TempDir);

impl Book {
    fn new(mission: &str) -> Book {
        Book(temp_book(&[("transfer.yaml", mission)]))
    }

    fn root(&self) -> &Path {
        self.0.path()
    }

    /// The diagnostics of a failing build, one per line.
    fn errors(&self) -> String {
        build_errors(self.root())
    }

    fn page(&self) -> String {
        let build = labgen::build(self.root()).unwrap_or_else(|d| panic!("{d}"));
        assert!(build.warnings.is_empty(), "{}", build.warnings);
        text(&build.files, "transfer.html")
    }
}

#[test]
fn the_fixture_builds_and_its_claims_hold() {
    Book::new(MISSION).page();
}

#[test]
fn a_broken_claim_fails_with_its_location_and_both_values() {
    let m = MISSION.replace(
        "about: 67 min, within: 1 min",
        "about: 60 min, within: 1 min",
    );
    let line = line_of(&m, "about: 60 min");
    assert_eq!(
        Book::new(&m).errors(),
        format!(
            "missions/transfer.yaml:{line}:17: error: claim does not hold at scenario `big`, track `fast`: `t` is 66.7 min, expected 60 min within 1 min\n  help: the model changed or the claim is wrong: update `about:` only if the new value is right\n"
        )
    );
}

#[test]
fn a_claim_checked_on_every_track_names_the_failing_track() {
    // On the slow track the same 50 TB take 4.6 days.
    let m = MISSION.replace(
        "  - { scenario: big, value: cost",
        "  - { scenario: big, that: \"t < 2 h\" }\n  - { scenario: big, value: cost",
    );
    let line = line_of(&m, "t < 2 h");
    assert_eq!(
        Book::new(&m).errors(),
        format!("missions/transfer.yaml:{line}:17: error: claim does not hold at scenario `big`, track `slow`: `t < 2 h` is false\n  help: the model changed or the claim is wrong\n")
    );
}

#[test]
fn a_typed_number_in_prose_is_reported_where_it_is() {
    let m = MISSION.replace(
        "takes {{ t @ big }} on this track.",
        "takes {{ t @ big }} on this track,\n      and costs $4,500 at 23% of budget.",
    );
    let line = line_of(&m, "and costs $4,500");
    let hint = "  help: refer to the model with `{{ name }}` (or `{{ name @ scenario }}`); for a fixed, cited figure write `{{ fact \"...\" from \"source\" }}`";
    assert_eq!(
        Book::new(&m).errors(),
        format!(
            "missions/transfer.yaml:{line}:17: error: the number `$4,500` is typed into the text instead of computed\n{hint}\nmissions/transfer.yaml:{line}:27: error: the number `23%` is typed into the text instead of computed\n{hint}\n"
        )
    );
}

#[test]
fn a_controls_help_is_prose_too() {
    // Typed, the largest stop is an error like any number in prose...
    let m = MISSION.replace(
        "    unit: data\nformulas:",
        "    unit: data\n    help: Up to 50 TB.\nformulas:",
    );
    let line = line_of(&m, "help: Up to 50 TB.");
    let hint = "  help: refer to the model with `{{ name }}` (or `{{ name @ scenario }}`); for a fixed, cited figure write `{{ fact \"...\" from \"source\" }}`";
    assert_eq!(
        Book::new(&m).errors(),
        format!("missions/transfer.yaml:{line}:17: error: the number `50 TB` is typed into the text instead of computed\n{hint}\n")
    );
    // ...and referred to, it is computed and shown under the slider.
    let m = MISSION.replace(
        "    unit: data\nformulas:",
        "    unit: data\n    help: \"Up to {{ size @ big }}.\"\nformulas:",
    );
    let page = Book::new(&m).page();
    let i = page.find("<p class=\"control-help\">").expect("help shown");
    let help = &page[i..i + page[i..].find("</p>").unwrap()];
    assert!(help.contains(">50 TB</span>."), "{help}");
}

#[test]
fn a_cited_fact_passes_the_lint_and_shows_its_source() {
    let m = MISSION.replace(
        "takes {{ t @ big }} on this track.",
        "takes {{ t @ big }}; light covers {{ fact \"200,000 km/s\" from \"physics of fiber\" }}.",
    );
    let page = Book::new(&m).page();
    assert!(
        page.contains(
            "<span class=\"fact\" title=\"Source: physics of fiber\">200,000 km/s</span>"
        ),
        "{page}"
    );
}

#[test]
fn an_unknown_scenario_suggests_the_closest() {
    let m = MISSION.replace("takes {{ t @ big }} on", "takes {{ t @ bigg }} on");
    let line = line_of(&m, "@ bigg");
    assert_eq!(
        Book::new(&m).errors(),
        format!("missions/transfer.yaml:{line}:37: error: unknown scenario `bigg`\n  help: did you mean `big`?\n")
    );
}

#[test]
fn the_correct_option_is_derived_from_the_model() {
    let page = Book::new(MISSION).page();
    // B states the model's own value; only its feedback is marked correct.
    assert!(
        page.contains("data-feedback=\"lock:move:B\" data-verdict=\"correct\""),
        "{page}"
    );
    assert!(page.contains("data-feedback=\"lock:move:A\" data-verdict=\"incorrect\""));
    // The option texts are generated: 50 TB at 12.5 GB/s is 4,000 s = 67 minutes.
    assert!(page.contains("data-scenario=\"big\" data-cell="));
    assert!(page.contains(">67 minutes</span>"), "{page}");
    assert!(page.contains(">8.3 minutes</span>"));
}

#[test]
fn a_typed_correct_option_that_disagrees_with_the_model_fails() {
    let m = MISSION.replace(
        "      answer: { value: t, at: big }",
        "      correct: C\n      answer: { value: t, at: big }",
    );
    let line = line_of(&m, "correct: C");
    assert_eq!(
        Book::new(&m).errors(),
        format!("missions/transfer.yaml:{line}:16: error: `correct: C` disagrees with the model: the option closest to `t` is `B`\n  help: remove `correct:` and let the model decide, or fix the options' values\n")
    );
}

#[test]
fn a_closest_option_that_differs_between_tracks_fails() {
    // Options that do not scale with the answer: the 1.1 h of the fast
    // track is closest to 1 h, the 111 h of the slow track to 100 h.
    let m = MISSION
        .replace("value: t / 8, text", "value: 1 h, text")
        .replace("value: t, text", "value: 10 h, text")
        .replace("value: t * 10, text", "value: 100 h, text");
    let line = line_of(&m, "answer: { value: t");
    assert_eq!(
        Book::new(&m).errors(),
        format!("missions/transfer.yaml:{line}:24: error: the closest option differs between tracks: `A` on track `fast`, `C` on track `slow`\n  help: pin the answer's scenario to one track, or make the options scale with the answer\n")
    );
}

#[test]
fn worked_example_shows_the_substitution_at_two_scenarios() {
    let page = Book::new(MISSION).page();
    let titles: Vec<&str> = page
        .match_indices("<p class=\"worked-title\">")
        .map(|(i, m)| {
            let rest = &page[i + m.len()..];
            &rest[..rest.find("</p>").unwrap()]
        })
        .collect();
    assert_eq!(
        titles,
        [
            "Worked example: Transfer time, Fifty terabytes",
            "Worked example: Transfer time, One terabyte"
        ]
    );
    // The MathML carries the substituted values and results as text:
    // 50 TB / 12.5 GB/s = 4,000 s ~ 67 minutes, and 1 TB / 12.5 GB/s = 80 s.
    let block = |n: usize| {
        let i = page
            .match_indices("<div class=\"math\" data-cell=")
            .nth(n)
            .unwrap()
            .0;
        let end = page[i..].find("</math>").unwrap();
        // KaTeX writes the spaces inside \text as no-break spaces.
        page[i..i + end].replace('\u{a0}', " ")
    };
    let big = block(0);
    for text in ["50 TB", "12.5 GB/s", "4,000 s", "67 minutes"] {
        assert!(
            big.contains(&format!("<mtext>{text}</mtext>")),
            "{text} not in {big}"
        );
    }
    let small = block(1);
    for text in ["1 TB", "12.5 GB/s", "80 seconds"] {
        assert!(
            small.contains(&format!("<mtext>{text}</mtext>")),
            "{text} not in {small}"
        );
    }
}

#[test]
fn worked_example_latex_is_symbolic_then_substituted_then_the_result() {
    let book = Book::new(MISSION);
    let config = labgen::config::load(book.root()).unwrap();
    let (missions, _) = labgen::mission::load_all(book.root(), &book.root().join(&config.missions));
    let m = &missions[0];
    let model = labgen::model::compile(m).unwrap();
    let (plan, _) = labgen::plan::plan(m, &model);
    let sweep = labgen::sweep::run(m, &model, &plan.requests).unwrap();
    let lab = labgen::book::Lab {
        mission: m,
        model: &model,
        sweep: &sweep,
        answers: &[],
    };
    let mode = labgen::sweep::Mode::Scenario(0);
    let base = labgen::sweep::base_positions(m, mode);
    assert_eq!(
        labgen::render::worked_latex(&lab, "t", mode, 1, &base[1]),
        "\\begin{aligned}\nBW &= C = \\text{1 Gbps} = \\text{0.125 GB/s} \\\\\nT &= \\frac{D}{BW} = \\frac{\\text{50 TB}}{\\text{0.125 GB/s}} = \\text{400,000 s} \\approx \\text{4.6 days}\n\\end{aligned}"
    );
}

#[test]
fn inline_math_in_prose_is_not_read_as_markdown() {
    // `}_{` would open emphasis and `\,` is a Markdown escape: both must
    // reach KaTeX as written.
    let m = MISSION.replace(
        "      latex: T = D / BW\n",
        "      latex: T = D / BW\n      where: 'Here \\(R_{\\mathrm{a}}\\,x_{b} / W_{c}\\) and *this* is emphasis.'\n",
    );
    let page = Book::new(&m).page();
    let i = page
        .find("Here <span class=\"katex\"><math")
        .expect("inline math rendered");
    let para = &page[i..i + page[i..].find("</p>").unwrap()];
    assert!(
        para.contains("<annotation encoding=\"application/x-tex\">R_{\\mathrm{a}}\\,x_{b} / W_{c}</annotation>"),
        "{para}"
    );
    assert!(para.contains("and <em>this</em> is emphasis."), "{para}");
    assert_eq!(para.matches("<em>").count(), 1, "{para}");
}

#[test]
fn a_percentage_tolerance_is_a_share_of_a_dimensionless_value() {
    // The bandwidth ratio of the two tracks is 100; 1% of it is 1.
    let m = MISSION.replace(
        "  - { scenario: big, value: cost",
        "  - { scenario: big, value: ratio, about: 100.9, within: 1% }\n  - { scenario: big, value: cost",
    )
    .replace(
        "  - { id: cost,",
        "  - { id: ratio, label: Ratio, expr: \"100 Gbps / cap * 100\", unit: \"\" }\n  - { id: cost,",
    );
    // 100 is within 1% of 100.9 on the fast track; on the slow track the
    // ratio is 10,000 and the claim fails with the share it allowed.
    let errors = Book::new(&m).errors();
    assert!(
        errors.contains("`ratio` is 10,000, expected 100.9 within 1%"),
        "{errors}"
    );
    assert!(!errors.contains("track `fast`"), "{errors}");
}
