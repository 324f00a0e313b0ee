//! Tasks with computed answers, constraint badges and per-track
//! stakeholders, on the fixture book in tests/fixtures/figures: what the
//! page shows, what the key lists and how `labgen grade` scores it, and the
//! exact errors for mistakes in them and in chart declarations.

use std::fs;

use crate::util::{build_errors, fixture, line_of, text};

const MISSION: &str = "missions/figures.yaml";

/// A copy of the fixture book with `edit` applied to its mission.
struct Book(tempfile::TempDir);

impl Book {
    fn new(edit: impl Fn(&str) -> String, toml: Option<&str>) -> Book {
        let dir = tempfile::tempdir().unwrap();
        let src = fs::read_to_string(fixture("figures").join(MISSION)).unwrap();
        fs::create_dir(dir.path().join("missions")).unwrap();
        fs::write(dir.path().join(MISSION), edit(&src)).unwrap();
        let toml = toml.map_or_else(
            || fs::read_to_string(fixture("figures").join("book.toml")).unwrap(),
            str::to_string,
        );
        fs::write(dir.path().join("book.toml"), toml).unwrap();
        Book(dir)
    }

    fn build(&self) -> labgen::Build {
        labgen::build(self.0.path()).unwrap_or_else(|d| panic!("{d}"))
    }

    fn errors(&self) -> String {
        build_errors(self.0.path())
    }

    fn source(&self) -> String {
        fs::read_to_string(self.0.path().join(MISSION)).unwrap()
    }
}

fn same(s: &str) -> String {
    s.to_string()
}

#[test]
fn a_task_shows_a_number_field_and_the_answer_for_each_track() {
    let build = Book::new(same, None).build();
    let page = text(&build.files, "figures.html");
    assert!(page.contains("<form class=\"task\" data-task=\"wall.best\">"));
    assert!(page.contains(
        "<input id=\"task-wall-best\" name=\"task-wall-best\" type=\"text\" inputmode=\"decimal\""
    ));
    assert!(page.contains("<span class=\"task-unit\" id=\"task-wall-best-unit\">min</span>"));
    // sqrt(2 × 35 s × 15,840 s) = 1,053 s = 17.5 min on one node; a value
    // span follows the track (sixteen nodes: sqrt(2 × 35 × 990) s = 4.39 min).
    assert!(page.contains(
        "The model's answer for your track: <span class=\"value\" data-value=\"tau_best\""
    ));
    assert!(
        page.contains("data-number=\"17.549928652"),
        "unrounded answer in the page"
    );
    assert!(page.contains("<p>Young's rule gives <span class=\"value\" data-value=\"young\""));
}

#[test]
fn the_key_grades_each_task_per_track_with_its_tolerance() {
    let build = Book::new(same, None).build();
    let key: serde_json::Value = serde_json::from_str(&text(&build.keys, "answers.json")).unwrap();
    let items: Vec<&serde_json::Value> = key["labs"][0]["numeric"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["source"] == "task")
        .collect();
    let row = |id: &str, track: &str| {
        items
            .iter()
            .find(|n| n["id"] == id && n["track"] == track)
            .unwrap_or_else(|| panic!("{id} {track}"))
    };
    let best = row("wall.best", "small");
    assert!((best["value"].as_f64().unwrap() - 17.549_928_65).abs() < 1e-6);
    assert_eq!(best["text"], "17.5 min");
    assert_eq!(best["graded"], true);
    assert_eq!(best["tolerance"]["relative"], 0.1);
    assert_eq!(
        best["label"],
        "Find the interval that loses the least time on 1 node(s)."
    );
    let big = row("wall.best", "big");
    assert!((big["value"].as_f64().unwrap() - (2.0f64 * 35.0 * 990.0).sqrt() / 60.0).abs() < 1e-6);
    assert_eq!(
        big["label"],
        "Find the interval that loses the least time on 16 node(s)."
    );
    // 1 Gbps for two days moves 21.6 TB; the tolerance is 1 TB absolute.
    let cross = row("wall.cross", "small");
    assert!((cross["value"].as_f64().unwrap() - 21.6).abs() < 1e-9);
    assert_eq!(cross["tolerance"]["absolute"], 1.0);
    assert_eq!(cross["tolerance"]["relative"], 0.0);
    // 50,000 IOPS reach 550 MB/s from 11 KB up: the first stop is 64 KiB.
    let full = row("wall.full", "small");
    assert_eq!(full["value"], 64.0);
    assert_eq!(full["scenario"], "hourly");
}

#[test]
fn grade_scores_task_answers_within_tolerance() {
    let build = Book::new(same, None).build();
    let key = labgen::grade::parse_key(text(&build.keys, "answers.json").as_bytes()).unwrap();
    let version = labgen::book::book_version([] as [&labgen::mission::Mission; 0]);
    let _ = version;
    let book_version = key_version(&build);
    let ledger = format!(
        r#"{{"schema":"labgen-ledger/1","book_version":"{book_version}","lab":"figures","track":"small",
        "numeric":{{"wall.best":19.0,"wall.cross":23.0,"wall.full":64}}}}"#
    );
    let outcome = labgen::grade::grade(&key, "s.json", ledger.as_bytes());
    let graded = outcome.result.unwrap();
    let points: Vec<(String, f64)> = graded
        .numeric
        .iter()
        .map(|n| (n.id.clone(), n.points))
        .collect();
    // 19 is within 10% of 17.55; 23 TB is 1.4 TB from 21.6 TB (1 TB allowed).
    assert_eq!(
        points,
        [
            ("wall.best".to_string(), 1.0),
            ("wall.cross".to_string(), 0.0),
            ("wall.full".to_string(), 1.0)
        ]
    );
}

fn key_version(build: &labgen::Build) -> String {
    let key: serde_json::Value = serde_json::from_str(&text(&build.keys, "answers.json")).unwrap();
    key["book_version"].as_str().unwrap().to_string()
}

#[test]
fn an_exam_page_has_the_task_but_not_its_answer() {
    let toml = "[book]\ntitle = \"Exam\"\n[output.html]\nexam = true\n[output.keys]\n";
    let build = Book::new(same, Some(toml)).build();
    let page = text(&build.files, "figures.html");
    assert!(page.contains("<form class=\"task\" data-task=\"wall.best\">"));
    assert!(!page.contains("data-task-answer"));
    assert!(!page.contains("Young's rule gives"));
    assert!(page.contains("data-task-saved=\"wall.best\""));
}

#[test]
fn badges_start_in_the_default_state() {
    let page = text(&Book::new(same, None).build().files, "figures.html");
    // 60-minute checkpoints on one node lose 12.4%: over the 10% limit.
    let good = page.find("data-tone=\"good\" data-cell=").unwrap();
    let bad = page.find("data-tone=\"bad\" data-cell=").unwrap();
    let tag = |i: usize| &page[i..i + page[i..].find('>').unwrap()];
    assert!(tag(good).ends_with(" hidden"), "{}", tag(good));
    assert!(!tag(bad).ends_with(" hidden"), "{}", tag(bad));
    assert!(page.contains("</span> Waste over <span class=\"value\" data-value=\"waste_cap\""));
}

#[test]
fn each_track_gets_its_own_stakeholder() {
    let page = text(&Book::new(same, None).build().files, "figures.html");
    let i = page.find("<blockquote class=\"stakeholder\"").unwrap();
    let rest = &page[i..];
    assert!(rest.contains("Incoming message · Ops Lead"));
    let j = rest.find("Cluster Lead").unwrap();
    let second = &rest[..j];
    let open = second.rfind("<blockquote").unwrap();
    assert!(
        second[open..].contains(" hidden>"),
        "the other track's message starts hidden"
    );
}

#[test]
fn a_track_without_a_stakeholder_is_named() {
    let book = Book::new(
        |s| {
            s.replace("      - { track: big, from: Cluster Lead, message: \"Our {{ nodes }} nodes fail every {{ mtbf }}.\" }\n", "")
        },
        None,
    );
    let line = line_of(&book.source(), "track: small, from: Ops Lead");
    assert_eq!(
        book.errors(),
        format!("missions/figures.yaml:{line}:7: error: `stakeholders` has no message for track `big`\n  help: add an entry with `track:` for each track\n")
    );
}

#[test]
fn a_task_in_an_auto_unit_needs_a_fixed_one() {
    let book = Book::new(
        |s| {
            s.replace("answer: breakeven, tolerance: 1 TB }", "answer: t_net }")
                .replace(
                    "expr: \"dataset / link\", unit: h",
                    "expr: \"dataset / link\", unit: duration",
                )
        },
        None,
    );
    let src = book.source();
    let line = line_of(&src, "answer: t_net }");
    let col = src.lines().nth(line - 1).unwrap().find("t_net }").unwrap() + 1;
    assert_eq!(
        book.errors(),
        format!("missions/figures.yaml:{line}:{col}: error: task `cross` needs one unit to answer in, but `t_net` picks its unit by size\n  help: add `unit:` to the task, e.g. `unit: h` or `unit: TB`\n")
    );
}

#[test]
fn a_search_with_no_answer_names_the_state() {
    let book = Book::new(
        |s| {
            s.replace(
                "solve: \"t_net = ship_time\"",
                "solve: \"t_net = ship_time * 100\"",
            )
        },
        None,
    );
    let src = book.source();
    let line = line_of(&src, "over: dataset");
    let col = src
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("dataset, unit")
        .unwrap()
        + 1;
    assert_eq!(
        book.errors(),
        format!("missions/figures.yaml:{line}:{col}: error: `breakeven` has no answer at the default settings: no value of `dataset` from 1 TB to 100 TB makes `t_net = ship_time * 100` hold\n  help: widen the control's range, or change the goal so it has an answer in every state the book shows\n")
    );
}

#[test]
fn chart_declaration_mistakes_are_reported_word_for_word() {
    let book = Book::new(|s| s.replace("kind: gauge", "kind: gauges"), None);
    let line = line_of(&book.source(), "kind: gauges");
    assert_eq!(
        book.errors(),
        format!("missions/figures.yaml:{line}:19: error: unknown plot kind `gauges`\n  help: did you mean `gauge`?\n")
    );
    let book = Book::new(
        |s| {
            s.replace(
                "            kind: radar\n",
                "            kind: radar\n            over: interval\n",
            )
        },
        None,
    );
    let line = line_of(&book.source(), "kind: radar");
    assert_eq!(
        book.errors(),
        format!("missions/figures.yaml:{line}:19: error: a `radar` plot does not take `over`\n  help: `over` belongs to `curves`, `saturation` plots; remove it or change `kind`\n")
    );
    let book = Book::new(|s| s.replace("            per: disk\n", ""), None);
    let line = line_of(&book.source(), "kind: saturation");
    assert_eq!(
        book.errors(),
        format!("missions/figures.yaml:{line}:19: error: a `saturation` plot needs `per`\n  help: add it, e.g. `per: disk`\n")
    );
    let book = Book::new(|s| s.replace("over: req\n", "over: disk\n"), None);
    let line = line_of(&book.source(), "over: disk");
    assert_eq!(
        book.errors(),
        format!("missions/figures.yaml:{line}:19: error: `disk` is a select; `over` sweeps a slider along x\n  help: sweep a slider, and draw a select's options as lines with `per` on a `saturation` plot\n")
    );
    let book = Book::new(
        |s| s.replace("{ at: young, label: Young }", "{ at: waste, label: Young }"),
        None,
    );
    let src = book.source();
    let line = line_of(&src, "at: waste, label: Young");
    let col = src.lines().nth(line - 1).unwrap().find("waste").unwrap() + 1;
    assert_eq!(
        book.errors(),
        format!("missions/figures.yaml:{line}:{col}: error: `waste` is dimensionless but the x axis (`interval`) is time\n  help: a marker or guide sits at an x value: name a value of the x axis's kind\n")
    );
}
