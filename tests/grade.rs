//! `labgen grade`: ledgers scored against the bundled book's key.
//!
//! Library tests check each outcome and its exact message: good, partial,
//! another book version, and one test per kind of bad file (truncated,
//! not UTF-8, too large, nested too deep, a huge array, wrong types,
//! unknown lab, unknown field). Command-line tests run the binary on a
//! folder of ledgers and check the gradebook, the reports, the per-file
//! messages and the exit code. The last test drives the real lab page in
//! headless Chromium, exports the ledger the page keeps and grades it
//! (skipped without Chromium, like tests/browser.rs).

use labgen::grade::{self, Outcome};
use labgen::key::BookKey;
use serde_json::{json, Value};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The book without its PDF editions, which tests/pdf.rs covers; typesetting
/// them here too would only slow the suite.
fn build_without_pdf(root: &Path) -> Result<labgen::Build, labgen::Diagnostics> {
    let mut config = labgen::config::load(root)?;
    config.outputs.pdf = false;
    labgen::build_with(root, config)
}

/// The bundled book, built once; its book.toml asks for keys.
fn build() -> &'static labgen::Build {
    static BUILD: OnceLock<labgen::Build> = OnceLock::new();
    BUILD.get_or_init(|| build_without_pdf(root()).unwrap_or_else(|d| panic!("{d}")))
}

fn answers_json() -> &'static [u8] {
    &build()
        .keys
        .iter()
        .find(|f| f.path == Path::new("answers.json"))
        .expect("answers.json")
        .bytes
}

fn key() -> BookKey {
    grade::parse_key(answers_json()).expect("the key parses")
}

fn version() -> String {
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

fn graded(o: &Outcome) -> &grade::Graded {
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

struct Run {
    code: i32,
    stderr: String,
}

fn labgen(args: &[&std::ffi::OsStr]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_labgen"))
        .args(args)
        .output()
        .expect("labgen runs");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked") && run.code != 101 && run.code != -1,
        "labgen crashed:\n{}",
        run.stderr
    );
    run
}

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

// ---------------------------------------------------------------------------
// End to end: the real page keeps the ledger, and it grades
// ---------------------------------------------------------------------------

fn find_chromium() -> Option<PathBuf> {
    if let Some(chosen) = std::env::var_os("LABGEN_CHROMIUM") {
        let chosen = PathBuf::from(chosen);
        return chosen.is_file().then_some(chosen);
    }
    let fixed = Path::new("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| {
            [
                "chromium",
                "chromium-browser",
                "google-chrome",
                "google-chrome-stable",
            ]
            .map(|n| d.join(n))
        })
        .find(|c| c.is_file())
}

/// Runs `js` in the page and returns its JSON-encoded result, decoded.
fn eval(tab: &headless_chrome::Tab, js: &str) -> Value {
    let wrapped = format!("(async () => JSON.stringify(await (async () => {{ {js} }})()))()");
    let r = tab
        .evaluate(&wrapped, true)
        .unwrap_or_else(|e| panic!("{e}\nin: {js}"));
    let text = r
        .value
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

#[test]
fn the_page_keeps_a_ledger_that_exports_imports_and_grades() {
    let Some(chromium) = find_chromium() else {
        if std::env::var("LABGEN_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("LABGEN_REQUIRE_BROWSER=1 but no Chromium was found");
        }
        eprintln!("SKIPPED the ledger browser test: no Chromium found");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("book");
    labgen::output::write_atomically(&out, &build().files).unwrap();
    let options = headless_chrome::LaunchOptions::default_builder()
        .path(Some(chromium))
        .headless(true)
        .sandbox(false)
        .window_size(Some((1200, 900)))
        .args(
            [
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ]
            .map(std::ffi::OsStr::new)
            .to_vec(),
        )
        .build()
        .unwrap();
    let browser = headless_chrome::Browser::new(options).unwrap();
    let tab = browser.new_tab().unwrap();
    let url = format!("file://{}", out.join("data-gravity-trap.html").display());
    tab.navigate_to(&url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    tab.wait_for_element("[data-hud]:not([hidden])").unwrap();

    let progress = "return document.querySelector('[data-hud-progress]').textContent;";
    assert_eq!(
        eval(&tab, progress),
        "0 of 2 predictions locked · 0 of 2 reflections answered"
    );
    // Lock both predictions and answer one reflection with real clicks on
    // the inputs; switch to the edge track and move a control.
    eval(
        &tab,
        r#"
        const click = (s) => document.querySelector(s).click();
        click('input[name="lock-pipeline"][value="A"]');
        click('form[data-lock="pipeline"] button[type="submit"]');
        click('input[name="reflect-pipeline"][value="C"]');
        click('form[data-reflection="pipeline"] button[type="submit"]');
        click('input[name="lock-gravity"][value="B"]');
        click('form[data-lock="gravity"] button[type="submit"]');
        click('input[name="track"][value="edge"]');
        const link = document.querySelector('[data-control="link"]');
        link.value = '10g';
        link.dispatchEvent(new Event('change', { bubbles: true }));
        await new Promise((r) => setTimeout(r, 400));
        return true;
        "#,
    );
    assert_eq!(
        eval(&tab, progress),
        "2 of 2 predictions locked · 1 of 2 reflections answered"
    );
    // What the browser keeps: one record, overwritten, under the versioned key.
    let stored = eval(
        &tab,
        &format!(
            "return [localStorage.length, JSON.parse(localStorage.getItem('labgen:{}:data-gravity-trap'))];",
            version()
        ),
    );
    assert_eq!(stored[0], 1, "one record, not one per change");
    let rec = &stored[1];
    assert_eq!(rec["schema"], "labgen-ledger/1");
    assert_eq!(rec["book_version"], version());
    assert_eq!(rec["lab"], "data-gravity-trap");
    assert_eq!(rec["track"], "edge");
    assert_eq!(rec["predictions"]["pipeline"]["choice"], "A");
    assert_eq!(rec["predictions"]["gravity"]["choice"], "B");
    assert!(rec["predictions"]["gravity"]["locked_at"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    assert_eq!(rec["reflections"]["pipeline"]["choice"], "C");
    assert_eq!(
        rec["controls"]["gravity"],
        json!({"dataset": "50 TB", "link": "10g", "budget": "6 h"})
    );
    assert_eq!(rec["controls"]["pipeline"]["storage"], "hdd");

    // The HUD folds open with its button, and Escape folds it again.
    let folding = eval(
        &tab,
        r#"
        const toggle = document.querySelector('[data-hud-toggle]');
        const panel = document.querySelector('[data-hud-panel]');
        const states = [[toggle.getAttribute('aria-expanded'), panel.hidden]];
        toggle.click();
        states.push([toggle.getAttribute('aria-expanded'), panel.hidden]);
        document.querySelector('[data-hud-export]').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
        states.push([toggle.getAttribute('aria-expanded'), panel.hidden, document.activeElement === toggle]);
        toggle.click();
        return states;
        "#,
    );
    assert_eq!(
        folding,
        json!([["false", true], ["true", false], ["false", true, true]])
    );
    // Export: capture the Blob the page hands to the download link.
    let exported = eval(
        &tab,
        r#"
        let blob = null;
        const original = URL.createObjectURL;
        URL.createObjectURL = (b) => { blob = b; return original.call(URL, b); };
        HTMLAnchorElement.prototype.click = function () { window.__download = this.download; };
        document.querySelector('[data-hud-export]').click();
        URL.createObjectURL = original;
        return { name: window.__download, text: await blob.text() };
        "#,
    );
    assert_eq!(exported["name"], "data-gravity-trap-ledger.json");
    let text = exported["text"].as_str().unwrap();
    let outcome = grade::grade(&key(), "exported.json", text.as_bytes());
    let g = graded(&outcome);
    assert_eq!(outcome.warnings, Vec::<String>::new());
    assert_eq!(g.track, "edge");
    assert_eq!(g.predictions, (2.0, 2.0));
    assert_eq!(g.reflections, (1.0, 2.0));

    // A reload restores the locks, the answer and the controls.
    tab.reload(false, None)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    tab.wait_for_element("[data-hud]:not([hidden])").unwrap();
    let restored = eval(
        &tab,
        r#"return [
            document.querySelector('form[data-lock="gravity"]').getAttribute('data-locked'),
            document.querySelector('[data-control="link"]').value,
            document.querySelector('input[name="track"]:checked').value,
            document.querySelector('[data-hud-progress]').textContent];"#,
    );
    assert_eq!(
        restored,
        json!([
            "B",
            "10g",
            "edge",
            "2 of 2 predictions locked · 1 of 2 reflections answered"
        ])
    );

    // Import into a fresh page: a file input fed like a real file choice.
    eval(&tab, "localStorage.clear(); return true;");
    tab.reload(false, None)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    tab.wait_for_element("[data-hud]:not([hidden])").unwrap();
    assert_eq!(
        eval(&tab, progress),
        "0 of 2 predictions locked · 0 of 2 reflections answered"
    );
    eval(
        &tab,
        "document.querySelector('[data-hud-toggle]').click(); return true;",
    );
    let import = |text: &str| {
        eval(
            &tab,
            &format!(
                r#"
                const input = document.querySelector('[data-hud-file]');
                const dt = new DataTransfer();
                dt.items.add(new File([{}], 'ledger.json', {{ type: 'application/json' }}));
                input.files = dt.files;
                input.dispatchEvent(new Event('change', {{ bubbles: true }}));
                await new Promise((r) => setTimeout(r, 300));
                return [document.querySelector('[data-hud-status]').textContent,
                        document.querySelector('[data-hud-progress]').textContent];
                "#,
                serde_json::to_string(text).unwrap()
            ),
        )
    };
    assert_eq!(
        import("{\"schema\": \"labgen-ledger/1\", \"lab\": \"another\"}"),
        json!([
            "That ledger is for another lab (another).",
            "0 of 2 predictions locked · 0 of 2 reflections answered"
        ])
    );
    assert_eq!(
        import("[1, 2"),
        json!([
            "That file is not a labgen ledger (not JSON).",
            "0 of 2 predictions locked · 0 of 2 reflections answered"
        ])
    );
    assert_eq!(
        import(text),
        json!([
            "Imported 3 answers.",
            "2 of 2 predictions locked · 1 of 2 reflections answered"
        ])
    );
    let after = eval(
        &tab,
        "return [document.querySelector('form[data-lock=\"pipeline\"]').getAttribute('data-locked'), document.querySelector('[data-control=\"link\"]').value];",
    );
    assert_eq!(after, json!(["A", "10g"]));

    if let Some(dir) = std::env::var_os("LABGEN_SCREENSHOTS") {
        let png = tab
            .capture_screenshot(
                headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption::Png,
                None,
                None,
                true,
            )
            .unwrap();
        fs::write(PathBuf::from(dir).join("ledger-hud.png"), png).unwrap();
    }
}

/// The index of the Data Gravity Trap in a key: the tests read its items.
fn gravity(key: &serde_json::Value) -> usize {
    key["labs"]
        .as_array()
        .unwrap()
        .iter()
        .position(|l| l["id"] == "data-gravity-trap")
        .expect("the key has the Data Gravity Trap")
}
