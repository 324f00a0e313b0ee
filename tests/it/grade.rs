//! `labgen grade`: ledgers scored against the bundled book's key.
//!
//! Library tests check each outcome and its exact message: good, partial,
//! another book version, and one test per kind of bad file (truncated,
//! not UTF-8, too large, nested too deep, a huge array, wrong types,
//! unknown lab, unknown field). Command-line tests run the binary on a
//! folder of ledgers and check the gradebook, the reports, the per-file
//! messages and the exit code. The ledger the real page keeps, exported
//! and graded, is tested in headless Chromium by `browser::ledger`.

use labgen::grade::{self, Outcome};
use labgen::key::BookKey;
use serde_json::{json, Value};
use std::fs;

use crate::util::{bundled, file, gravity, labgen, root};

/// The bundled book's key, as `labgen build` writes it.
pub fn answers_json() -> &'static [u8] {
    &file(&bundled().keys, "answers.json").bytes
}

/// The bundled book's key, parsed.
pub fn key() -> BookKey {
    grade::parse_key(answers_json()).expect("the key parses")
}

/// The version of the bundled book, as its key gives it.
pub fn version() -> String {
    key().book_version
}

/// A ledger of the bundled lab as the page writes it.
fn ledger(track: &str, predictions: &[(&str, &str)], reflections: &[(&str, &str)]) -> Value {
    let mut p = serde_json::Map::new();
    for (act, choice) in predictions {
        p.insert(
            (*act).into(),
            json!({"choice": choice, "locked_at": "2025-03-01T10:00:00.000Z"}),
        );
    }
    let mut r = serde_json::Map::new();
    for (act, choice) in reflections {
        r.insert(
            (*act).into(),
            json!({"choice": choice, "answered_at": "2025-03-01T10:05:00.000Z"}),
        );
    }
    json!({
        "schema": "labgen-ledger/1",
        "book_version": version(),
        "lab": "data-gravity-trap",
        "track": track,
        "predictions": p,
        "reflections": r,
        "controls": {"gravity": {"dataset": "50 TB", "link": "100g", "budget": "6 h"}},
    })
}

fn good() -> Value {
    ledger(
        "cloud",
        &[("pipeline", "B"), ("gravity", "B")],
        &[("pipeline", "C"), ("gravity", "B")],
    )
}

fn grade_value(v: &Value) -> Outcome {
    grade::grade(&key(), "alice.json", v.to_string().as_bytes())
}

/// The result of a graded ledger; fails the test if it was skipped.
pub fn graded(o: &Outcome) -> &grade::Graded {
    o.result
        .as_ref()
        .unwrap_or_else(|e| panic!("not graded: {e}"))
}

/// The error of a skipped file.
fn error(bytes: &[u8]) -> String {
    match grade::grade(&key(), "x.json", bytes).result {
        Ok(_) => panic!("graded, but should be skipped"),
        Err(e) => e,
    }
}

// ---------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------

#[test]
fn a_complete_ledger_scores_full_marks() {
    let o = grade_value(&good());
    assert_eq!(o.warnings, Vec::<String>::new());
    let g = graded(&o);
    assert_eq!(
        (g.lab.as_str(), g.track.as_str()),
        ("data-gravity-trap", "cloud")
    );
    assert!(g.version_matches);
    assert_eq!(g.predictions, (2.0, 2.0));
    assert_eq!(g.reflections, (2.0, 2.0));
    assert_eq!(
        g.numbers,
        (0.0, 0.0),
        "the bundled key has no graded numeric item"
    );
    assert_eq!((g.score, g.max), (4.0, 4.0));
    assert_eq!(
        g.controls,
        [(
            "gravity".to_string(),
            vec![
                ("budget".to_string(), "6 h".to_string()),
                ("dataset".to_string(), "50 TB".to_string()),
                ("link".to_string(), "100g".to_string()),
            ]
        )]
    );
}

#[test]
fn predictions_score_engagement_and_reflections_correctness() {
    // A wrong prediction still scores (engagement); a wrong reflection does
    // not (correctness); a missing answer scores nothing.
    let o = grade_value(&ledger(
        "edge",
        &[("pipeline", "A"), ("gravity", "D")],
        &[("gravity", "A")],
    ));
    let g = graded(&o);
    assert_eq!(g.track, "edge");
    assert_eq!(g.predictions, (2.0, 2.0));
    assert_eq!(g.reflections, (0.0, 2.0));
    assert_eq!((g.score, g.max), (2.0, 4.0));
    let pipeline_reflection = &g.questions[1];
    assert_eq!(pipeline_reflection.id, "pipeline.reflection");
    assert_eq!(pipeline_reflection.choice, None);
}

#[test]
fn the_scheme_and_weights_come_from_the_key() {
    let mut k = key();
    k.grading.prediction = labgen::config::QuestionScoring::Correctness;
    k.grading.weights.reflection = 0.5;
    let l = ledger(
        "cloud",
        &[("pipeline", "A"), ("gravity", "B")],
        &[("gravity", "B")],
    );
    let o = grade::grade(&k, "bob.json", l.to_string().as_bytes());
    let g = graded(&o);
    assert_eq!(g.predictions, (1.0, 2.0));
    assert_eq!(g.reflections, (1.0, 2.0));
    assert_eq!((g.score, g.max), (1.5, 3.0));
}

#[test]
fn graded_numeric_items_use_the_tolerance() {
    // Tasks are not in the bundled book yet: add one to the key, as a
    // task module would, and answer it within and outside 2%.
    let mut v: Value = serde_json::from_slice(answers_json()).unwrap();
    let at = gravity(&v);
    let items = v["labs"][at]["numeric"].as_array_mut().unwrap();
    for (id, value) in [
        ("gravity.task_seconds", 4000.0),
        ("gravity.task_cost", 4500.0),
    ] {
        items.push(json!({
            "id": id, "act": "gravity", "name": "t", "label": "Task", "track": "cloud",
            "value": value, "unit": "s", "text": "", "source": "task", "scenario": null,
            "tolerance": {"relative": 0.02, "absolute": 0.0}, "graded": true,
        }));
    }
    let k = grade::parse_key(v.to_string().as_bytes()).unwrap();
    let mut l = good();
    // 4,079 s is within 2% of 4,000 s; $4,600 is not within 2% of $4,500.
    l["numeric"] = json!({"gravity.task_seconds": 4079.0, "gravity.task_cost": 4600.0});
    let o = grade::grade(&k, "carol.json", l.to_string().as_bytes());
    let g = graded(&o);
    assert_eq!(g.numbers, (1.0, 2.0));
    assert_eq!((g.score, g.max), (5.0, 6.0));
    // The items of another track are not asked of an edge ledger.
    l["track"] = json!("edge");
    let o = grade::grade(&k, "carol.json", l.to_string().as_bytes());
    assert_eq!(graded(&o).numbers, (0.0, 0.0));
    assert_eq!(
        o.warnings,
        [
            "`numeric` has an answer for \"gravity.task_cost\", which is not a graded item of track `edge`; ignored",
            "`numeric` has an answer for \"gravity.task_seconds\", which is not a graded item of track `edge`; ignored",
        ]
    );
}

#[test]
fn another_book_version_is_graded_with_a_warning() {
    let mut l = good();
    l["book_version"] = json!("0000000000000000");
    let o = grade_value(&l);
    assert_eq!(
        o.warnings,
        [format!(
            "the ledger is from book version \"0000000000000000\", the key from \"{}\"; graded by act and option key, so check that the questions did not change",
            version()
        )]
    );
    let g = graded(&o);
    assert!(!g.version_matches);
    assert_eq!((g.score, g.max), (4.0, 4.0));
}

#[test]
fn answers_that_do_not_fit_the_lab_are_warnings() {
    let l = ledger("cloud", &[("pipeline", "Z"), ("nowhere", "A")], &[]);
    let o = grade_value(&l);
    assert_eq!(
        o.warnings,
        [
            "prediction of act `pipeline`: \"Z\" is not one of its options (A, B, C, D); it scores 0",
            "`predictions` has an entry for \"nowhere\", which has no prediction in lab `data-gravity-trap`; ignored",
        ]
    );
    assert_eq!(graded(&o).predictions, (0.0, 2.0));
}

#[test]
fn a_ledger_without_a_track_is_graded_on_the_first_track() {
    let mut l = good();
    l.as_object_mut().unwrap().remove("track");
    assert_eq!(graded(&grade_value(&l)).track, "cloud");
}

// ---------------------------------------------------------------------------
// Bad files: each is skipped with a clear message
// ---------------------------------------------------------------------------

#[test]
fn truncated_file() {
    let text = good().to_string();
    assert_eq!(
        error(&text.as_bytes()[..text.len() / 2]),
        format!(
            "line 1, column {}: the JSON ends too early (is the file truncated?)",
            text.len() / 2
        )
    );
}

#[test]
fn not_utf8() {
    assert_eq!(
        error(b"{\"schema\": \"labgen-ledger/1\xff\"}"),
        "the file is not UTF-8 text (invalid byte at offset 27)"
    );
}

#[test]
fn too_large() {
    let mut l = good();
    l["lab"] = json!("x".repeat(grade::MAX_LEDGER_BYTES));
    assert_eq!(
        error(l.to_string().as_bytes()),
        "the file is larger than 1 MiB; a ledger is a few kilobytes"
    );
}

#[test]
fn empty_file() {
    assert_eq!(error(b"  \n"), "the file is empty");
}

#[test]
fn deeply_nested() {
    let deep = format!("{}{}", "{\"a\":".repeat(5000), "}".repeat(5000));
    assert_eq!(
        error(deep.as_bytes()),
        "line 1, column 16: the JSON is nested deeper than 3 levels; a ledger is not"
    );
}

#[test]
fn huge_array() {
    let huge = format!("[{}0]", "0,".repeat(200_000));
    assert_eq!(
        error(huge.as_bytes()),
        "line 1, column 1: a ledger holds no arrays (lists); this is not a labgen ledger"
    );
}

#[test]
fn wrong_types() {
    let mut l = good();
    l["predictions"]["gravity"]["choice"] = json!(2);
    let text = l.to_string();
    let column = text.find("\"choice\":2").unwrap() + "\"choice\":2".len();
    assert_eq!(
        error(text.as_bytes()),
        format!("line 1, column {column}: invalid type: integer `2`, expected a string")
    );
    assert_eq!(
        error(b"{\"schema\": \"labgen-ledger/1\", \"book_version\": \"v\", \"lab\": \"data-gravity-trap\", \"predictions\": \"B\"}"),
        "line 1, column 97: invalid type: string \"B\", expected a map"
    );
    assert_eq!(
        error(b"\"just a string\""),
        "line 1, column 15: invalid type: string \"just a string\", expected struct RawLedger"
    );
}

#[test]
fn unknown_lab() {
    let mut l = good();
    l["lab"] = json!("another-lab\u{1b}[2J");
    assert_eq!(
        error(l.to_string().as_bytes()),
        "unknown lab \"another-lab\\u{1b}[2J\"; the key has `data-engineering-audit`, `data-factory`, `data-gravity-trap`, `fleet-storage`"
    );
}

#[test]
fn unknown_track() {
    let mut l = good();
    l["track"] = json!("moon");
    assert_eq!(
        error(l.to_string().as_bytes()),
        "unknown track \"moon\" for lab `data-gravity-trap`; it has `cloud`, `edge`"
    );
}

#[test]
fn unknown_field_and_missing_field() {
    let mut l = good();
    l["grade"] = json!("A+");
    let e = error(l.to_string().as_bytes());
    assert!(
        e.ends_with(
            ": unknown field `grade`, expected one of `schema`, `book_version`, `lab`, `track`, `predictions`, `reflections`, `controls`, `numeric`"
        ),
        "{e}"
    );
    assert_eq!(
        error(b"{\"schema\": \"labgen-ledger/1\", \"lab\": \"data-gravity-trap\"}"),
        "line 1, column 57: missing field `book_version`"
    );
}

#[test]
fn wrong_schema() {
    let mut l = good();
    l["schema"] = json!("labgen-key/1");
    assert_eq!(
        error(l.to_string().as_bytes()),
        "`schema` is \"labgen-key/1\", not \"labgen-ledger/1\"; this is not a labgen ledger"
    );
}

#[test]
fn too_many_entries() {
    let mut l = good();
    let many: serde_json::Map<String, Value> = (0..1001)
        .map(|i| (format!("a{i}"), json!({"choice": "A"})))
        .collect();
    l["reflections"] = Value::Object(many);
    assert_eq!(
        error(l.to_string().as_bytes()),
        "`reflections` has 1001 entries, more than 1000; this is not a ledger a lab page wrote"
    );
}

#[test]
fn random_bytes_never_panic() {
    // A fixed pseudo-random sequence: every run tests the same inputs.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let k = key();
    let good = good().to_string().into_bytes();
    for n in 0..2000 {
        let mut bytes = good.clone();
        for _ in 0..(n % 7 + 1) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let at = (x as usize) % bytes.len();
            bytes[at] = (x >> 32) as u8;
        }
        bytes.truncate((x as usize >> 8) % (bytes.len() + 1));
        let _ = grade::grade(&k, "fuzz.json", &bytes);
    }
}

// ---------------------------------------------------------------------------
// Output files
// ---------------------------------------------------------------------------

#[test]
fn gradebook_and_reports() {
    let k = key();
    let outcomes = vec![
        grade::grade(&k, "ledgers/alice.json", good().to_string().as_bytes()),
        grade::grade(&k, "ledgers/bob.json", b"{"),
    ];
    let files = grade::files(&outcomes);
    let names: Vec<String> = files.iter().map(|f| f.path.display().to_string()).collect();
    assert_eq!(
        names,
        ["gradebook.csv", "reports/alice.md", "reports/bob.md"]
    );
    let csv = String::from_utf8(files[0].bytes.clone()).unwrap();
    assert_eq!(
        csv,
        "file,status,lab,track,book_version,predictions,predictions_max,reflections,reflections_max,numeric,numeric_max,score,max,percent,report,message\r\n\
         ledgers/alice.json,graded,data-gravity-trap,cloud,match,2,2,2,2,0,0,4,4,100.0,reports/alice.md,\r\n\
         ledgers/bob.json,skipped,,,,,,,,,,,,,reports/bob.md,\"line 1, column 1: the JSON ends too early (is the file truncated?)\"\r\n"
    );
    let report = String::from_utf8(files[1].bytes.clone()).unwrap();
    assert_eq!(
        report,
        "# Ledger report: ledgers/alice.json\n\n\
         - Lab: The Data Gravity Trap (`data-gravity-trap`)\n\
         - Track: Cloud \\(multi-region\\) (`cloud`)\n\
         - Book version: the key's\n\
         - Score: 4 of 4 (100.0%)\n\n\
         | Question | Answer | Key | Points | Scored by |\n\
         |---|---|---|---|---|\n\
         | Act 1 prediction | B (2025-03-01T10:00:00.000Z) | B | 1 | engagement |\n\
         | Act 1 reflection | C (2025-03-01T10:05:00.000Z) | C | 1 | correctness |\n\
         | Act 2 prediction | B (2025-03-01T10:00:00.000Z) | B | 1 | engagement |\n\
         | Act 2 reflection | B (2025-03-01T10:05:00.000Z) | B | 1 | correctness |\n\n\
         ## Final control settings\n\n\
         - gravity: budget = 6 h, dataset = 50 TB, link = 100g\n"
    );
    let skipped = String::from_utf8(files[2].bytes.clone()).unwrap();
    assert_eq!(
        skipped,
        "# Ledger report: ledgers/bob.json\n\nNot graded: line 1, column 1: the JSON ends too early \\(is the file truncated?\\)\n"
    );
}

#[test]
fn a_key_that_is_not_a_key_is_refused() {
    assert_eq!(
        grade::parse_key(good().to_string().as_bytes()).unwrap_err(),
        "the key is not a labgen answers.json: missing field `labs` at line 1, column 371"
            .replace("371", &good().to_string().len().to_string())
    );
}

// ---------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------

/// A folder with the key and a `ledgers/` folder of three files.
fn class() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("answers.json"), answers_json()).unwrap();
    let dir = tmp.path().join("ledgers");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("alice.json"), good().to_string()).unwrap();
    let partial = ledger("edge", &[("pipeline", "A")], &[("pipeline", "D")]);
    fs::write(dir.join("bob.json"), partial.to_string()).unwrap();
    fs::write(dir.join("carol.json"), [0xff, 0xfe, 0x00]).unwrap();
    fs::write(dir.join("notes.txt"), "not a ledger").unwrap();
    tmp
}

#[test]
fn cli_grades_a_folder_and_reports_each_bad_file() {
    let tmp = class();
    let out = tmp.path().join("grades");
    let run = labgen(&[
        "grade".as_ref(),
        "--key".as_ref(),
        tmp.path().join("answers.json").as_os_str(),
        tmp.path().join("ledgers").as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    let carol = tmp.path().join("ledgers").join("carol.json");
    assert_eq!(
        run.stderr,
        format!(
            "{}: error: the file is not UTF-8 text (invalid byte at offset 0); skipped\n\
             graded 2 ledger(s), skipped 1; wrote {} and 3 report(s)\n",
            carol.display(),
            out.join("gradebook.csv").display()
        )
    );
    assert_eq!(run.code, 1, "a skipped ledger exits 1");
    let csv = fs::read_to_string(out.join("gradebook.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 4);
    assert!(rows[1].contains(
        "alice.json,graded,data-gravity-trap,cloud,match,2,2,2,2,0,0,4,4,100.0,reports/alice.md,"
    ));
    assert!(rows[2].contains(
        "bob.json,graded,data-gravity-trap,edge,match,1,2,0,2,0,0,1,4,25.0,reports/bob.md,"
    ));
    assert!(rows[3].contains("carol.json,skipped,"));
    for r in ["alice.md", "bob.md", "carol.md"] {
        assert!(out.join("reports").join(r).is_file(), "{r}");
    }
}

#[test]
fn cli_exits_0_when_every_ledger_is_graded() {
    let tmp = class();
    let out = tmp.path().join("grades");
    let alice = tmp.path().join("ledgers").join("alice.json");
    let run = labgen(&[
        "grade".as_ref(),
        "--key".as_ref(),
        tmp.path().join("answers.json").as_os_str(),
        alice.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("graded 1 ledger(s), skipped 0; wrote "),
        "{}",
        run.stderr
    );
}

#[test]
fn cli_refuses_a_bad_key_and_an_output_that_holds_the_ledgers() {
    let tmp = class();
    let ledgers = tmp.path().join("ledgers");
    let run = labgen(&[
        "grade".as_ref(),
        "--key".as_ref(),
        ledgers.join("alice.json").as_os_str(),
        ledgers.as_os_str(),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(&format!(
            "error: {}: the key is not a labgen answers.json: missing field `labs`",
            ledgers.join("alice.json").display()
        )),
        "{}",
        run.stderr
    );
    // Replacing the ledgers' own folder would delete them.
    let run = labgen(&[
        "grade".as_ref(),
        "--key".as_ref(),
        tmp.path().join("answers.json").as_os_str(),
        ledgers.as_os_str(),
        "--out".as_ref(),
        tmp.path().as_os_str(),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.ends_with(&format!(
            "error: refusing to write the grades into {}: it holds the key or a ledger being graded; choose a separate folder such as grades/\n",
            tmp.path().display()
        )),
        "{}",
        run.stderr
    );
    assert!(ledgers.join("alice.json").is_file());
}

#[test]
fn cli_build_writes_keys_next_to_the_book_and_never_inside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("site").join("book");
    let run = labgen(&[
        "build".as_ref(),
        "--root".as_ref(),
        root().as_os_str(),
        "--out".as_ref(),
        book.as_os_str(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let keys = tmp.path().join("site").join("keys");
    assert!(
        run.stderr.ends_with(&format!(
            "wrote 19 key files into {}; keep them away from students\n",
            keys.display()
        )),
        "{}",
        run.stderr
    );
    assert!(keys.join("answers.json").is_file());
    assert!(!book.join("answers.json").exists());
    // A keys folder inside the book is refused before anything is written.
    let other = tmp.path().join("other");
    let run = labgen(&[
        "build".as_ref(),
        "--root".as_ref(),
        root().as_os_str(),
        "--out".as_ref(),
        other.as_os_str(),
        "--keys".as_ref(),
        other.join("keys").as_os_str(),
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "error: refusing to write the keys into {}: it is the book folder or overlaps it, and students must never get the keys; choose a separate folder such as keys/\n",
            other.join("keys").display()
        )
    );
    assert!(!other.exists(), "nothing was written");
}
