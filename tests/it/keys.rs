//! The answer keys of the bundled book, and exam mode.
//!
//! Key contents are checked against hand-computed figures of the bundled
//! lab (`missions/data-gravity-trap.yaml`): 50 TB over a 100 Gbps link
//! (12.5 GB/s) takes 4,000 s, shown as 67 minutes; over the edge site's
//! 1 Gbps uplink (0.125 GB/s) it takes 400,000 s. The Moodle XML is parsed
//! with a real XML parser. The exam-mode test scans every byte of every
//! file of an exam build for every feedback sentence and for the markers
//! that tell a right answer from a wrong one.

use labgen::OutputFile;
use serde_json::Value;
use std::fs;
use std::path::Path;

use crate::util::{build_without_pdf, bundled, copy_dir, gravity, root, text};

/// The bundled book with `book.toml` replaced by `toml`, built in memory
/// from a copy in a temporary folder.
fn variant(toml: &str) -> labgen::Build {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("book.toml"), toml).unwrap();
    copy_dir(&root().join("missions"), &tmp.path().join("missions"));
    labgen::build(tmp.path()).unwrap_or_else(|d| panic!("{d}"))
}

fn answers(build: &labgen::Build) -> Value {
    serde_json::from_str(&text(&build.keys, "answers.json")).unwrap()
}

/// The numeric item `id` of the bundled lab on `track`.
fn item<'a>(key: &'a Value, id: &str, track: &str) -> &'a Value {
    key["labs"][gravity(key)]["numeric"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id && n["track"] == track)
        .unwrap_or_else(|| panic!("no numeric item {id} on {track}"))
}

/// The question `id` of the bundled lab.
fn question<'a>(key: &'a Value, id: &str) -> &'a Value {
    key["labs"][gravity(key)]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == id)
        .unwrap_or_else(|| panic!("no question {id}"))
}

/// Option `key` of a question as track `t` (0 = cloud, 1 = edge) shows it.
fn option<'a>(q: &'a Value, t: usize, key: &str) -> &'a Value {
    q["tracks"][t]["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["key"] == key)
        .unwrap()
}

fn close(got: &Value, want: f64) {
    let got = got
        .as_f64()
        .unwrap_or_else(|| panic!("{got} is not a number"));
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1.0),
        "got {got}, want {want}"
    );
}

#[test]
fn keys_are_their_own_files_and_the_book_never_names_them() {
    let build = bundled();
    let names: Vec<String> = build
        .keys
        .iter()
        .map(|f| f.path.to_string_lossy().replace('\\', "/"))
        .collect();
    assert_eq!(
        names,
        [
            "index.html",
            "data-engineering-audit.html",
            "data-factory.html",
            "data-gravity-trap.html",
            "fleet-storage.html",
            "answers.json",
            "moodle.xml",
            "data-engineering-audit/gravity.csv",
            "data-engineering-audit/feeding.csv",
            "data-engineering-audit/zerowaste.csv",
            "data-factory/gravity.csv",
            "data-factory/feeding.csv",
            "data-factory/drift.csv",
            "data-gravity-trap/pipeline.csv",
            "data-gravity-trap/gravity.csv",
            "fleet-storage/access.csv",
            "fleet-storage/pipeline.csv",
            "fleet-storage/checkpoint.csv",
        ]
    );
    // (With the PDF editions on, `lab-book-key.pdf` follows; tests/pdf.rs
    // checks it.)
    for f in &build.files {
        let body = String::from_utf8_lossy(&f.bytes);
        for needle in ["answers.json", "moodle.xml", "keys/", ".csv"] {
            assert!(
                !body.contains(needle),
                "{} mentions {needle}",
                f.path.display()
            );
        }
    }
}

#[test]
fn keys_are_byte_identical_across_builds() {
    let again = build_without_pdf(root()).unwrap();
    assert_eq!(bundled().keys, again.keys);
}

#[test]
fn answers_json_carries_schema_version_and_scheme() {
    let build = bundled();
    let key = answers(build);
    assert_eq!(key["schema"], "labgen-key/1");
    let version = key["book_version"].as_str().unwrap();
    assert_eq!(version.len(), 16);
    assert!(version.chars().all(|c| c.is_ascii_hexdigit()), "{version}");
    // The student page carries the same version in its data block.
    let page = text(&build.files, "data-gravity-trap.html");
    assert!(
        page.contains(&format!("\"book_version\":\"{version}\"")),
        "the page's data block has another version"
    );
    assert_eq!(key["grading"]["prediction"], "engagement");
    assert_eq!(key["grading"]["reflection"], "correctness");
    assert_eq!(key["grading"]["numeric"], "tolerance");
    close(&key["grading"]["tolerance"]["relative"], 0.02);
    let lab = &key["labs"][gravity(&key)];
    assert_eq!(lab["id"], "data-gravity-trap");
    assert_eq!(lab["page"], "data-gravity-trap.html");
    let tracks: Vec<&str> = lab["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(tracks, ["cloud", "edge"]);
}

#[test]
fn every_question_has_its_correct_option() {
    let key = answers(bundled());
    let ids: Vec<(&str, &str)> = key["labs"][gravity(&key)]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| (q["id"].as_str().unwrap(), q["correct"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ids,
        [
            ("pipeline.prediction", "B"),
            ("pipeline.reflection", "C"),
            ("gravity.prediction", "B"),
            ("gravity.reflection", "B"),
        ]
    );
    // Exactly the correct option is marked, on every track.
    for q in key["labs"][gravity(&key)]["questions"].as_array().unwrap() {
        for t in q["tracks"].as_array().unwrap() {
            let marked: Vec<&Value> = t["options"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|o| o["correct"] == true)
                .map(|o| &o["key"])
                .collect();
            assert_eq!(marked, [&q["correct"]], "{}", q["id"]);
        }
    }
}

#[test]
fn gravity_prediction_quotes_each_tracks_transfer_time() {
    let key = answers(bundled());
    let q = question(&key, "gravity.prediction");
    assert_eq!(q["act"], "gravity");
    assert_eq!(q["kind"], "prediction");
    // Cloud: 50 TB / 12.5 GB/s = 4,000 s = 67 minutes.
    assert_eq!(q["tracks"][0]["track"], "cloud");
    assert_eq!(
        q["tracks"][0]["prompt"],
        "How long does it take to move 50 TB over a 100 Gbps link?"
    );
    let b = option(q, 0, "B");
    assert_eq!(
        b["text"],
        "About 67 minutes, dividing the data by the link's rate in bytes."
    );
    assert_eq!(
        b["feedback"],
        "Right: 50 TB at 12.5 GB/s takes 4,000 s, which is 67 minutes. The transfer bill for the copy is $1,000."
    );
    // Edge: the 1 Gbps uplink caps the link; 50 TB / 0.125 GB/s = 400,000 s.
    assert_eq!(q["tracks"][1]["track"], "edge");
    assert_eq!(
        q["tracks"][1]["prompt"],
        "How long does it take to move 50 TB over a 1 Gbps link?"
    );
    assert_eq!(
        option(q, 1, "B")["feedback"],
        "Right: 50 TB at 0.125 GB/s takes 400,000 s, which is 4.6 days. The transfer bill for the copy is $0."
    );
    // A distractor's feedback is computed for the track too.
    assert!(option(q, 0, "A")["feedback"]
        .as_str()
        .unwrap()
        .contains("100 Gbps is 12.5 GB/s"));
}

#[test]
fn numeric_items_give_value_unit_and_tolerance_per_track() {
    let key = answers(bundled());
    let s = item(&key, "gravity.t_transfer_s", "cloud");
    close(&s["value"], 4000.0);
    assert_eq!(s["unit"], "s");
    assert_eq!(s["text"], "4,000 s");
    assert_eq!(s["label"], "Transfer time in seconds");
    assert_eq!(s["source"], "pinned");
    assert_eq!(s["graded"], false);
    close(&s["tolerance"]["relative"], 0.02);
    close(&s["tolerance"]["absolute"], 0.0);
    close(
        &item(&key, "gravity.t_transfer_s", "edge")["value"],
        400_000.0,
    );
    let t = item(&key, "gravity.t_transfer", "cloud");
    close(&t["value"], 4000.0 / 60.0);
    assert_eq!(
        (&t["unit"], &t["text"]),
        (&"min".into(), &"67 minutes".into())
    );
    // 50,000 GB between two US regions at $0.02/GB.
    let e = item(&key, "gravity.egress_cost", "cloud");
    close(&e["value"], 1000.0);
    assert_eq!(e["unit"], "$");
    close(&item(&key, "gravity.egress_cost", "edge")["value"], 0.0);
    // Every item exists once per track.
    let items = key["labs"][gravity(&key)]["numeric"].as_array().unwrap();
    assert_eq!(
        items.iter().filter(|n| n["track"] == "cloud").count(),
        items.iter().filter(|n| n["track"] == "edge").count()
    );
    // labgen's hidden names (a bound option's own value) are not items.
    assert!(items
        .iter()
        .all(|n| !n["name"].as_str().unwrap().starts_with("__")));
}

#[test]
fn gravity_answer_table_lists_every_state_in_sweep_order() {
    let build = bundled();
    let csv = text(&build.keys, "data-gravity-trap/gravity.csv");
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "track,Dataset to move,Link from the data to the GPUs,Training time budget,Transfer time (min),Transfer bill ($),Compute cost of the training run ($),Architecture decision,Training time budget (h),Banner 1 shown (bad),Banner 2 shown (warn),Banner 3 shown (good)"
    );
    // 2 tracks x 8 dataset stops x 3 links x 12 budgets, a header, and the
    // empty string after the last CRLF.
    assert_eq!(lines.len(), 1 + 2 * 8 * 3 * 12 + 1);
    assert_eq!(lines.last(), Some(&""));
    // Row-major: the track slowest, the last control (budget) fastest.
    assert!(
        lines[1].starts_with("cloud,10 GB,1 Gbps Ethernet,1 h,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("cloud,10 GB,1 Gbps Ethernet,2 h,"),
        "{}",
        lines[2]
    );
    assert!(
        lines[289].starts_with("edge,10 GB,1 Gbps Ethernet,1 h,"),
        "{}",
        lines[289]
    );
    // The story's state: 50 TB over 100 Gbps with a 6 h budget.
    let row = lines
        .iter()
        .find(|l| l.starts_with("cloud,50 TB,100 Gbps Ethernet,6 h,"))
        .unwrap();
    // 50 TB x $0.02/GB is $1,000 give or take the last bit of a double (the table
    // writes values unrounded).
    assert_eq!(
        *row,
        "cloud,50 TB,100 Gbps Ethernet,6 h,66.66666666666667,1000.0000000000001,192,Move compute to the data,6,0,0,1"
    );
    let edge = lines
        .iter()
        .find(|l| l.starts_with("edge,50 TB,100 Gbps Ethernet,6 h,"))
        .unwrap();
    // 400,000 s = 6,666.7 min; no egress at the edge; the copy outlasts 6 h.
    assert_eq!(
        *edge,
        "edge,50 TB,100 Gbps Ethernet,6 h,6666.666666666667,0,192,Move compute to the data,6,1,0,0"
    );
    // Labels with commas are quoted.
    let pipeline = text(&build.keys, "data-gravity-trap/pipeline.csv");
    assert!(pipeline.contains("\r\ncloud,\"HDD (7,200 rpm)\",1,1 TB,"));
}

#[test]
fn table_summary_gives_defaults_and_ranges() {
    let key = answers(bundled());
    let tables = key["labs"][gravity(&key)]["tables"].as_array().unwrap();
    let gravity = tables.iter().find(|t| t["act"] == "gravity").unwrap();
    assert_eq!(gravity["csv"], "data-gravity-trap/gravity.csv");
    assert_eq!(gravity["rows"], 576);
    assert_eq!(
        gravity["controls"],
        serde_json::json!(["dataset", "link", "budget"])
    );
    let cloud = &gravity["summary"][0];
    assert_eq!(cloud["track"], "cloud");
    let transfer = &cloud["columns"][0];
    assert_eq!(transfer["header"], "Transfer time (min)");
    assert_eq!(transfer["default"], "66.66666666666667");
    // 10 GB over 100 Gbps: 0.8 s; 1 PB over 1 Gbps: 8,000,000 s.
    close(&transfer["min"], 0.8 / 60.0);
    close(&transfer["max"], 8e6 / 60.0);
    let decision = &cloud["columns"][3];
    assert_eq!(decision["default"], "Move compute to the data");
    assert_eq!(
        decision["seen"],
        serde_json::json!(["Move the data to the compute", "Move compute to the data"])
    );
}

#[test]
fn html_key_shows_each_tracks_answers() {
    let build = bundled();
    let html = text(&build.keys, "data-gravity-trap.html");
    assert!(
        html.contains("<h2 id=\"track-cloud\">Track: Cloud (multi-region) <code>cloud</code></h2>")
    );
    assert!(html.contains("<h2 id=\"track-edge\">"));
    assert!(html.contains("<span class=\"answer\">Answer: B</span>"));
    assert!(
        html.contains("About 67 minutes, dividing the data by the link&#39;s rate in bytes.")
            || html.contains("About 67 minutes, dividing the data by the link's rate in bytes.")
    );
    assert!(html.contains("takes 400,000 s, which is 4.6 days"));
    assert!(html.contains("<a href=\"data-gravity-trap/gravity.csv\">"));
    assert!(html.contains("±2% (±80 s)"), "the tolerance of 4,000 s");
    let index = text(&build.keys, "index.html");
    assert!(index.contains("<a href=\"data-gravity-trap.html\">"));
    assert!(index.contains("<a href=\"answers.json\">"));
}

/// The questions of `kind` in the bundled book's Moodle XML (parsed from
/// `xml`, which must be well-formed).
fn moodle_questions<'a>(doc: &'a roxmltree::Document, kind: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    let quiz = doc.root_element();
    assert_eq!(quiz.tag_name().name(), "quiz");
    quiz.children()
        .filter(|n| n.has_tag_name("question") && n.attribute("type") == Some(kind))
        .collect()
}

/// The text of the `<text>` inside the child `tag` of `n`.
fn child_text(n: roxmltree::Node, tag: &str) -> String {
    n.children()
        .find(|c| c.has_tag_name(tag))
        .and_then(|c| c.children().find(|t| t.has_tag_name("text")))
        .and_then(|t| t.text())
        .unwrap_or_default()
        .to_string()
}

/// The `<idnumber>` of a question.
fn id_of(q: &roxmltree::Node) -> String {
    q.children()
        .find(|c| c.has_tag_name("idnumber"))
        .and_then(|c| c.text())
        .unwrap_or_default()
        .to_string()
}

/// The Moodle XML is well-formed, with one category per lab.
#[test]
fn moodle_xml_is_well_formed_with_a_category_per_lab() {
    let xml = text(&bundled().keys, "moodle.xml");
    let doc = roxmltree::Document::parse(&xml).expect("moodle.xml is well-formed XML");
    assert_eq!(moodle_questions(&doc, "category").len(), 4);
    assert!(xml.contains("<text>$course$/top/labgen/data-gravity-trap</text>"));
}

/// One multichoice question per lock or reflection and track, each with
/// one right answer (the key's), with feedback, of four.
#[test]
fn moodle_xml_has_one_right_answer_per_question() {
    let build = bundled();
    let xml = text(&build.keys, "moodle.xml");
    let doc = roxmltree::Document::parse(&xml).expect("moodle.xml is well-formed XML");
    let key = answers(build);
    // One multichoice question per lock or reflection and track: 80 in the
    // book (four labs of three acts, or two, with four tracks, or two), 8 for
    // the Data Gravity Trap, whose questions are checked one by one.
    let all = moodle_questions(&doc, "multichoice");
    assert_eq!(all.len(), 80);
    let mc: Vec<roxmltree::Node> = all
        .into_iter()
        .filter(|q| id_of(q).starts_with("data-gravity-trap/"))
        .collect();
    assert_eq!(mc.len(), 4 * 2);
    for q in &mc {
        let id = q
            .children()
            .find(|c| c.has_tag_name("idnumber"))
            .and_then(|c| c.text())
            .unwrap();
        // `data-gravity-trap/gravity.prediction/cloud`
        let qid = id.split('/').nth(1).unwrap();
        let correct = question(&key, qid)["correct"].as_str().unwrap();
        let answers: Vec<roxmltree::Node> =
            q.children().filter(|c| c.has_tag_name("answer")).collect();
        assert_eq!(answers.len(), 4, "{id}");
        let right: Vec<&roxmltree::Node> = answers
            .iter()
            .filter(|a| a.attribute("fraction") == Some("100"))
            .collect();
        assert_eq!(right.len(), 1, "{id}");
        assert!(answers
            .iter()
            .all(|a| matches!(a.attribute("fraction"), Some("100" | "0"))));
        let text = right[0]
            .children()
            .find(|c| c.has_tag_name("text"))
            .and_then(|t| t.text())
            .unwrap();
        assert!(
            text.starts_with(&format!("<p><strong>{correct}</strong> ")),
            "{id}: {text}"
        );
        assert!(!child_text(*right[0], "feedback").is_empty(), "{id}");
        assert_eq!(
            q.children()
                .find(|c| c.has_tag_name("single"))
                .and_then(|c| c.text()),
            Some("true")
        );
    }
    // The cloud prediction of act 2 quotes the cloud figures.
    let cloud = mc
        .iter()
        .find(|q| {
            xml[q.range()]
                .contains("<idnumber>data-gravity-trap/gravity.prediction/cloud</idnumber>")
        })
        .unwrap();
    assert!(child_text(*cloud, "questiontext").contains("over a 100 Gbps link"));
}

/// One numerical question per numeric item, with the value and a
/// tolerance of 2% of it.
#[test]
fn moodle_xml_has_a_numerical_question_per_numeric_item() {
    let build = bundled();
    let xml = text(&build.keys, "moodle.xml");
    let doc = roxmltree::Document::parse(&xml).expect("moodle.xml is well-formed XML");
    let key = answers(build);
    let all_items: usize = key["labs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["numeric"].as_array().unwrap().len())
        .sum();
    let all = moodle_questions(&doc, "numerical");
    assert_eq!(all.len(), all_items);
    let numerical: Vec<roxmltree::Node> = all
        .into_iter()
        .filter(|q| id_of(q).starts_with("data-gravity-trap/"))
        .collect();
    assert_eq!(
        numerical.len(),
        key["labs"][gravity(&key)]["numeric"]
            .as_array()
            .unwrap()
            .len()
    );
    let seconds = numerical
        .iter()
        .find(|q| {
            xml[q.range()]
                .contains("<idnumber>data-gravity-trap/gravity.t_transfer_s/edge</idnumber>")
        })
        .unwrap();
    let answer = seconds
        .children()
        .find(|c| c.has_tag_name("answer"))
        .unwrap();
    let get = |tag: &str| {
        answer
            .children()
            .find(|c| c.has_tag_name(tag))
            .and_then(|c| c.text())
            .unwrap()
            .to_string()
    };
    assert_eq!(get("text"), "400000");
    assert_eq!(get("tolerance"), "8000");
}

#[test]
fn keys_folder_defaults_next_to_the_book() {
    let config = labgen::config::load(root()).unwrap();
    let dir = |book: &str, flag: Option<&str>| {
        labgen::keys_dir(root(), &config, Path::new(book), flag.map(Path::new))
    };
    assert_eq!(dir("/tmp/site/book", None), Path::new("/tmp/site/keys"));
    assert_eq!(dir("out", None), Path::new("keys"));
    assert_eq!(dir("out", Some("elsewhere")), Path::new("elsewhere"));
    let mut config = config;
    config.outputs.keys = Some(labgen::config::KeysOutput {
        path: Some("answers".into()),
    });
    assert_eq!(
        labgen::keys_dir(root(), &config, Path::new("book"), None),
        root().join("answers")
    );
}

// ---------------------------------------------------------------------------
// Exam mode
// ---------------------------------------------------------------------------

const EXAM_TOML: &str = "[book]\ntitle = \"Exam\"\n[output.html]\nexam = true\n[output.keys]\n";
const FORMATIVE_TOML: &str = "[book]\ntitle = \"Exam\"\n[output.html]\n[output.keys]\n";

/// Runs of at least 20 characters of literal feedback prose (between the
/// value references), with whitespace collapsed and without characters the
/// HTML escapes, so they can be looked for in the page's bytes.
fn feedback_sentences() -> Vec<String> {
    let (missions, _) = labgen::mission::load_all(root(), &root().join("missions"));
    let mut out = Vec::new();
    for m in &missions {
        for a in &m.acts {
            for q in [&a.prediction, &a.reflection].into_iter().flatten() {
                for o in &q.options {
                    for piece in labgen::format::prose::parse(&o.feedback.src).unwrap() {
                        if let labgen::format::prose::Piece::Lit(s) = piece {
                            // Inline math becomes MathML: look for the prose around it.
                            let s = without_inline_math(&s);
                            for run in s.split(['&', '<', '>', '"', '\'', '*', '`', '_']) {
                                let run = run.split_whitespace().collect::<Vec<_>>().join(" ");
                                if run.chars().count() >= 20 {
                                    out.push(run);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// Marker strings that would tell a right option from a wrong one, or
/// carry the verdict sentences of the formative book.
const MARKERS: [&str; 10] = [
    "data-verdict",
    "data-feedback=\"",
    "\"correct\"",
    "'correct'",
    "correct:",
    "Your prediction holds",
    "Not quite.",
    "Correct.",
    "Not the best answer",
    "class=\"verdict\"",
];

/// Every (file, needle) pair where a needle occurs in a file's bytes, with
/// whitespace collapsed so line breaks in prose do not hide a sentence.
fn leaks(files: &[OutputFile], needles: &[String]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for f in files {
        let body = String::from_utf8_lossy(&f.bytes);
        let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
        for n in needles {
            if flat.contains(n.as_str()) {
                found.push((f.path.display().to_string(), n.clone()));
            }
        }
    }
    found
}

#[test]
fn exam_book_carries_no_answer_and_no_feedback_in_any_file() {
    let sentences = feedback_sentences();
    assert!(
        sentences.len() >= 20,
        "too few sentences to prove anything: {sentences:?}"
    );
    let mut needles: Vec<String> = MARKERS.iter().map(|s| (*s).to_string()).collect();
    needles.extend(sentences.iter().cloned());

    // The check finds them in a formative book, so it can find them at all.
    let formative = variant(FORMATIVE_TOML);
    let found = leaks(&formative.files, &needles);
    for s in &sentences {
        assert!(
            found.iter().any(|(_, n)| n == s),
            "the formative book should show the feedback `{s}`"
        );
    }
    assert!(found.iter().any(|(_, n)| n == "data-verdict"));

    let exam = variant(EXAM_TOML);
    assert_eq!(
        exam.files.iter().map(|f| &f.path).collect::<Vec<_>>(),
        formative.files.iter().map(|f| &f.path).collect::<Vec<_>>(),
        "an exam book has the same files"
    );
    assert_eq!(leaks(&exam.files, &needles), Vec::<(String, String)>::new());
    // The exam page still runs the locks, the reveal and the reflections.
    let page = text(&exam.files, "data-gravity-trap.html");
    assert!(page.contains("<form class=\"lock\" data-lock=\"gravity\">"));
    assert!(page.contains("data-prediction-echo=\"gravity\""));
    assert!(page.contains("<form class=\"reflection\" data-reflection=\"gravity\""));
    assert!(page.contains("data-answer-saved=\"gravity\""));
    assert!(page.contains("data-hud"));
    // The keys are the same whatever the mode: they come from the missions.
    assert_eq!(exam.keys, formative.keys);
}

#[test]
fn an_answer_table_too_large_to_list_is_left_out_with_a_warning() {
    // Two sliders of 1,000 positions: each value is a table of 1,000 states,
    // but the act's grid is 1,000,000 rows.
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("book.toml"),
        "[output.html]\n[output.keys]\n",
    )
    .unwrap();
    fs::create_dir_all(tmp.path().join("missions")).unwrap();
    fs::write(
        tmp.path().join("missions/big.yaml"),
        "id: big\ntitle: Big\ncontrols:\n  \
         - { id: x, label: X, kind: slider, min: 1, max: 1000, step: 1, default: 1 }\n  \
         - { id: y, label: Y, kind: slider, min: 1, max: 1000, step: 1, default: 2 }\n\
         formulas:\n  - { id: dx, label: Double X, expr: \"2 * x\" }\n  - { id: dy, label: Double Y, expr: \"2 * y\" }\n\
         acts:\n  - id: a\n    title: A\n    simulator:\n      controls: [x, y]\n      instruments:\n        \
         - metric: { value: dx }\n        - metric: { value: dy }\n",
    )
    .unwrap();
    let build = labgen::build(tmp.path()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        build.warnings.to_string(),
        "missions/big.yaml:13:18: warning: the answer table of act `a` has 1,000,000 rows, more than 100,000; the keys leave out its CSV\n  help: give the act's controls fewer positions (a larger slider step, or stops)\n"
    );
    assert!(build
        .keys
        .iter()
        .all(|f| !f.path.to_string_lossy().ends_with(".csv")));
    let key = answers(&build);
    let table = &key["labs"][0]["tables"][0];
    assert_eq!(table["csv"], Value::Null);
    assert_eq!(table["rows"], 1_000_000);
    let summary = &table["summary"][0]["columns"];
    // The default state is still given; the range is not.
    assert_eq!(summary[0]["default"], "2");
    assert_eq!(summary[1]["default"], "4");
    assert_eq!(summary[0]["min"], Value::Null);
}

/// `s` with every `\( ... \)` span replaced by a line break.
fn without_inline_math(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(open) = rest.find("\\(") {
        out.push_str(&rest[..open]);
        out.push('<');
        rest = match rest[open..].find("\\)") {
            Some(close) => &rest[open + close + 2..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

#[test]
fn a_badge_column_is_headed_by_its_condition() {
    let csv = text(&bundled().keys, "data-factory/gravity.csv");
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains(",Constraint met: move_cost < egress_budget,Constraint met: hunger < hunger_target,Constraint met: p_value >= alpha,"),
        "{header}"
    );
    assert!(!header.contains("{{"), "{header}");
}

/// A task answer of the bundled book, as graders read it in answers.json.
fn task_answer<'a>(key: &'a Value, lab: &str, id: &str, track: &str) -> &'a Value {
    key["labs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == lab)
        .unwrap_or_else(|| panic!("no lab {lab}"))["numeric"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id && n["track"] == track && n["source"] == "task")
        .unwrap_or_else(|| panic!("no task {id} on {track}"))
}

#[test]
fn bundled_task_answers_match_hand_calculations() {
    let key = answers(bundled());
    // The data factory: 1 PB before a 10-day deadline needs
    // 8e15 bit / 864,000 s = 9.26 Gbps.
    let link = task_answer(&key, "data-factory", "gravity.link_for_deadline", "cloud");
    assert_eq!(link["unit"], "Gbps");
    close(&link["value"], 8e15 / (10.0 * 86_400.0) / 1e9);
    assert_eq!(link["text"], "9.26 Gbps");
}
