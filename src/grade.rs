//! Grading: student ledgers scored against a key.
//!
//! A ledger is the JSON file a student exports from a lab page (schema
//! `labgen-ledger/1`); the key is the book's `answers.json` (schema
//! `labgen-key/1`), which also carries the scoring scheme from `book.toml`.
//!
//! Ledgers are untrusted input. Each one is checked before it is believed:
//! at most [`MAX_LEDGER_BYTES`], UTF-8, JSON nested at most
//! [`MAX_DEPTH`] levels with no arrays (a ledger has none), then the
//! explicit structs of the schema (unknown fields are errors), then the
//! lab, track, acts and option keys against the key. A file that fails is
//! reported and skipped; it never stops the others. Every text that comes
//! from a ledger is cleaned of control characters and shortened before it
//! reaches a message, the gradebook or a report.
//!
//! A ledger made with another version of the book is graded, with a
//! warning: answers are matched by act id and option key, which survive
//! most edits (a typo fix should not zero a class), and the warning tells
//! the teacher to check the questions did not change.

use crate::config::{Grading, NumericScoring, QuestionScoring, Tolerance};
use crate::output::OutputFile;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// The schema of a ledger file.
pub const LEDGER_SCHEMA: &str = "labgen-ledger/1";

/// A ledger is a few kilobytes; anything above this is not one.
pub const MAX_LEDGER_BYTES: usize = 1 << 20;

/// A key is larger (every question of every lab on every track), but
/// still bounded, so a wrong file cannot exhaust memory.
pub const MAX_KEY_BYTES: usize = 256 << 20;

/// Deepest nesting of a ledger's JSON: the ledger, a section, an entry.
pub const MAX_DEPTH: usize = 3;

/// Most entries in one section of a ledger (predictions, reflections,
/// controls of an act, numeric answers).
pub const MAX_ENTRIES: usize = 1000;

/// Longest string in a ledger, in bytes.
pub const MAX_STRING: usize = 1000;

// ---------------------------------------------------------------------------
// The key (the part of answers.json grading needs)
// ---------------------------------------------------------------------------

/// The key, as `labgen grade` reads it from `answers.json`. Fields it does
/// not need are ignored, so keys can grow without breaking grading.
#[derive(Clone, Debug, Deserialize)]
pub struct Key {
    /// Must be `labgen-key/1`.
    pub schema: String,
    /// The book's version.
    pub book_version: String,
    /// The scoring scheme.
    #[serde(default)]
    pub grading: Grading,
    /// The labs.
    pub labs: Vec<KeyLab>,
}

/// One lab of the key.
#[derive(Clone, Debug, Deserialize)]
pub struct KeyLab {
    /// Mission id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Tracks in order.
    pub tracks: Vec<KeyTrack>,
    /// Predictions and reflections.
    pub questions: Vec<KeyQuestion>,
    /// Numeric items.
    #[serde(default)]
    pub numeric: Vec<KeyNumeric>,
}

/// A track of the key.
#[derive(Clone, Debug, Deserialize)]
pub struct KeyTrack {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
}

/// A question of the key.
#[derive(Clone, Debug, Deserialize)]
pub struct KeyQuestion {
    /// `<act>.<kind>`.
    pub id: String,
    /// Act id.
    pub act: String,
    /// Act number.
    #[serde(default)]
    pub act_number: usize,
    /// `prediction` or `reflection`.
    pub kind: String,
    /// The correct option.
    pub correct: String,
    /// Every option key.
    pub options: Vec<String>,
}

/// A numeric item of the key.
#[derive(Clone, Debug, Deserialize)]
pub struct KeyNumeric {
    /// Item id, unique per track.
    pub id: String,
    /// Label.
    #[serde(default)]
    pub label: String,
    /// Track id.
    pub track: String,
    /// The value in `unit`.
    pub value: f64,
    /// The unit.
    #[serde(default)]
    pub unit: String,
    /// The tolerance.
    pub tolerance: Tolerance,
    /// Whether it is scored.
    #[serde(default)]
    pub graded: bool,
}

/// Reads a key. The message says what is wrong with the file.
pub fn parse_key(bytes: &[u8]) -> Result<Key, String> {
    if bytes.len() > MAX_KEY_BYTES {
        return Err(
            "the key is larger than 256 MiB; pass the answers.json that labgen build wrote".into(),
        );
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("the key is not UTF-8 text (byte {})", e.valid_up_to()))?;
    let key: Key = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        format!(
            "the key is not a labgen answers.json: {} at line {}, column {}",
            clean_to(
                e.to_string().split(" at line ").next().unwrap_or_default(),
                400
            ),
            e.line(),
            e.column()
        )
    })?;
    if key.schema != crate::keys::SCHEMA {
        return Err(format!(
            "the key's schema is {}, not {}; pass the answers.json that labgen build wrote",
            quoted(&key.schema),
            crate::keys::SCHEMA
        ));
    }
    Ok(key)
}

// ---------------------------------------------------------------------------
// The ledger
// ---------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLedger {
    schema: String,
    book_version: String,
    lab: String,
    #[serde(default)]
    track: Option<String>,
    #[serde(default)]
    predictions: BTreeMap<String, RawPrediction>,
    #[serde(default)]
    reflections: BTreeMap<String, RawReflection>,
    #[serde(default)]
    controls: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    numeric: BTreeMap<String, f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrediction {
    choice: String,
    #[serde(default)]
    locked_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReflection {
    choice: String,
    #[serde(default)]
    answered_at: Option<String>,
}

/// What one ledger scored.
#[derive(Clone, Debug, PartialEq)]
pub struct Graded {
    /// Lab id.
    pub lab: String,
    /// Lab title.
    pub lab_title: String,
    /// Track id.
    pub track: String,
    /// Track label.
    pub track_label: String,
    /// The ledger's book version (cleaned).
    pub book_version: String,
    /// Whether it is the key's.
    pub version_matches: bool,
    /// Per question: how it scored.
    pub questions: Vec<QuestionScore>,
    /// Per graded numeric item: how it scored.
    pub numeric: Vec<NumericScore>,
    /// Final control settings per act (cleaned), as recorded.
    pub controls: Vec<(String, Vec<(String, String)>)>,
    /// Points per kind: (points, max) for predictions, reflections, numeric.
    pub predictions: (f64, f64),
    /// Reflection points and maximum.
    pub reflections: (f64, f64),
    /// Numeric points and maximum.
    pub numbers: (f64, f64),
    /// Weighted total.
    pub score: f64,
    /// Weighted maximum.
    pub max: f64,
}

/// One question's score.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionScore {
    /// Question id.
    pub id: String,
    /// `prediction` or `reflection`.
    pub kind: String,
    /// Act number.
    pub act_number: usize,
    /// The student's choice, if any valid one.
    pub choice: Option<String>,
    /// When it was locked or answered (cleaned), as the browser wrote it.
    pub at: Option<String>,
    /// The key's answer.
    pub correct: String,
    /// Points (0 or 1).
    pub points: f64,
    /// How it was scored.
    pub scheme: QuestionScoring,
}

/// One numeric item's score.
#[derive(Clone, Debug, PartialEq)]
pub struct NumericScore {
    /// Item id.
    pub id: String,
    /// Label.
    pub label: String,
    /// The answer, if any.
    pub answer: Option<f64>,
    /// The key's value and unit.
    pub value: f64,
    /// Unit.
    pub unit: String,
    /// Points (0 or 1).
    pub points: f64,
}

/// The outcome of one ledger file.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The file as named on the command line (cleaned).
    pub name: String,
    /// The file's name without folders and extension, as given (before
    /// cleaning, whose `\u{..}` escapes would read as path separators);
    /// the report's name is made from it.
    pub stem: String,
    /// The scores, or why the file was skipped.
    pub result: Result<Graded, String>,
    /// Problems that did not stop grading.
    pub warnings: Vec<String>,
}

/// Grades one ledger file's bytes against the key. Never panics, whatever
/// the bytes.
pub fn grade(key: &Key, name: &str, bytes: &[u8]) -> Outcome {
    let mut warnings = Vec::new();
    let result = grade_inner(key, bytes, &mut warnings);
    Outcome {
        name: clean(name),
        stem: stem(name),
        result,
        warnings,
    }
}

/// The outcome of a file that could not be read.
pub fn unreadable(name: &str, error: &str) -> Outcome {
    Outcome {
        name: clean(name),
        stem: stem(name),
        result: Err(format!("cannot read the file: {}", clean(error))),
        warnings: Vec::new(),
    }
}

/// A file name without its folders and its `.json`.
fn stem(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    base.strip_suffix(".json").unwrap_or(base).to_string()
}

fn grade_inner(key: &Key, bytes: &[u8], warnings: &mut Vec<String>) -> Result<Graded, String> {
    if bytes.len() > MAX_LEDGER_BYTES {
        return Err("the file is larger than 1 MiB; a ledger is a few kilobytes".into());
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "the file is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        )
    })?;
    // Editors on Windows may add a byte order mark; it is not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err("the file is empty".into());
    }
    shape(text)?;
    let raw: RawLedger = serde_json::from_str(text).map_err(|e| {
        let what = e.to_string();
        let what = what.split(" at line ").next().unwrap_or_default();
        let what = if e.is_eof() {
            "the JSON ends too early (is the file truncated?)".to_string()
        } else {
            // serde quotes the file (a field name, a string value): clean it,
            // but keep the message whole.
            clean_to(what, 400)
        };
        format!("line {}, column {}: {what}", e.line(), e.column())
    })?;
    check_sizes(&raw)?;

    if raw.schema != LEDGER_SCHEMA {
        return Err(format!(
            "`schema` is {}, not \"{LEDGER_SCHEMA}\"; this is not a labgen ledger",
            quoted(&raw.schema)
        ));
    }
    let Some(lab) = key.labs.iter().find(|l| l.id == raw.lab) else {
        let known: Vec<String> = key.labs.iter().map(|l| format!("`{}`", l.id)).collect();
        return Err(format!(
            "unknown lab {}; the key has {}",
            quoted(&raw.lab),
            if known.is_empty() {
                "no labs".to_string()
            } else {
                known.join(", ")
            }
        ));
    };
    let track = match &raw.track {
        None => lab.tracks.first(),
        Some(t) => lab.tracks.iter().find(|k| k.id == *t),
    };
    let Some(track) = track else {
        let known: Vec<String> = lab.tracks.iter().map(|t| format!("`{}`", t.id)).collect();
        return Err(format!(
            "unknown track {} for lab `{}`; it has {}",
            quoted(raw.track.as_deref().unwrap_or_default()),
            lab.id,
            known.join(", ")
        ));
    };
    let version_matches = raw.book_version == key.book_version;
    if !version_matches {
        warnings.push(format!(
            "the ledger is from book version {}, the key from {}; graded by act and option key, so check that the questions did not change",
            quoted(&raw.book_version),
            quoted(&key.book_version)
        ));
    }

    let g = &key.grading;
    let mut questions = Vec::new();
    let mut predictions = (0.0, 0.0);
    let mut reflections = (0.0, 0.0);
    for q in &lab.questions {
        let (answer, scheme, tally) = match q.kind.as_str() {
            "prediction" => (
                raw.predictions
                    .get(&q.act)
                    .map(|p| (p.choice.as_str(), p.locked_at.as_deref())),
                g.prediction,
                &mut predictions,
            ),
            _ => (
                raw.reflections
                    .get(&q.act)
                    .map(|r| (r.choice.as_str(), r.answered_at.as_deref())),
                g.reflection,
                &mut reflections,
            ),
        };
        let choice = match answer {
            Some((c, _)) if q.options.iter().any(|o| o == c) => Some(c.to_string()),
            Some((c, _)) => {
                warnings.push(format!(
                    "{} of act `{}`: {} is not one of its options ({}); it scores 0",
                    q.kind,
                    q.act,
                    quoted(c),
                    q.options.join(", ")
                ));
                None
            }
            None => None,
        };
        let points = match (&choice, scheme) {
            (None, _) => 0.0,
            (Some(_), QuestionScoring::Engagement) => 1.0,
            (Some(c), QuestionScoring::Correctness) => f64::from(u8::from(*c == q.correct)),
        };
        tally.0 += points;
        tally.1 += 1.0;
        questions.push(QuestionScore {
            id: q.id.clone(),
            kind: q.kind.clone(),
            act_number: q.act_number,
            choice,
            at: answer.and_then(|(_, at)| at).map(clean),
            correct: q.correct.clone(),
            points,
            scheme,
        });
    }
    for (section, acts) in [
        ("predictions", raw.predictions.keys().collect::<Vec<_>>()),
        ("reflections", raw.reflections.keys().collect::<Vec<_>>()),
    ] {
        let kind = &section[..section.len() - 1];
        for act in acts {
            if !lab
                .questions
                .iter()
                .any(|q| q.act == *act && q.kind == kind)
            {
                warnings.push(format!(
                    "`{section}` has an entry for {}, which has no {kind} in lab `{}`; ignored",
                    quoted(act),
                    lab.id
                ));
            }
        }
    }

    let mut numeric = Vec::new();
    let mut numbers = (0.0, 0.0);
    for item in lab
        .numeric
        .iter()
        .filter(|n| n.graded && n.track == track.id)
    {
        let answer = raw.numeric.get(&item.id).copied();
        let ok = match (answer, g.numeric) {
            (None, _) => false,
            (Some(a), NumericScoring::Engagement) => a.is_finite(),
            (Some(a), NumericScoring::Tolerance) => {
                let allowed =
                    (item.tolerance.relative * item.value.abs()).max(item.tolerance.absolute);
                (a - item.value).abs() <= allowed * (1.0 + 1e-12)
            }
        };
        let points = f64::from(u8::from(ok));
        numbers.0 += points;
        numbers.1 += 1.0;
        numeric.push(NumericScore {
            id: item.id.clone(),
            label: item.label.clone(),
            answer,
            value: item.value,
            unit: item.unit.clone(),
            points,
        });
    }
    for id in raw.numeric.keys() {
        if !lab
            .numeric
            .iter()
            .any(|n| n.graded && n.track == track.id && n.id == *id)
        {
            warnings.push(format!(
                "`numeric` has an answer for {}, which is not a graded item of track `{}`; ignored",
                quoted(id),
                track.id
            ));
        }
    }

    let controls = raw
        .controls
        .iter()
        .map(|(act, set)| {
            (
                clean(act),
                set.iter().map(|(k, v)| (clean(k), clean(v))).collect(),
            )
        })
        .collect();
    let w = &g.weights;
    let score = w.prediction * predictions.0 + w.reflection * reflections.0 + w.numeric * numbers.0;
    let max = w.prediction * predictions.1 + w.reflection * reflections.1 + w.numeric * numbers.1;
    Ok(Graded {
        lab: lab.id.clone(),
        lab_title: lab.title.clone(),
        track: track.id.clone(),
        track_label: track.label.clone(),
        book_version: clean(&raw.book_version),
        version_matches,
        questions,
        numeric,
        controls,
        predictions,
        reflections,
        numbers,
        score,
        max,
    })
}

/// Checks the JSON's shape before parsing it: nesting at most
/// [`MAX_DEPTH`] and no arrays. serde would accept an array for a struct
/// (as its fields in order), and a deep or huge array is the usual way to
/// make a parser work hard; a ledger has neither.
fn shape(text: &str) -> Result<(), String> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let (mut line, mut column) = (1usize, 0usize);
    for c in text.chars() {
        if c == '\n' {
            line += 1;
            column = 0;
        } else {
            column += 1;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' => {
                return Err(format!(
                    "line {line}, column {column}: a ledger holds no arrays (lists); this is not a labgen ledger"
                ))
            }
            '{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!(
                        "line {line}, column {column}: the JSON is nested deeper than {MAX_DEPTH} levels; a ledger is not"
                    ));
                }
            }
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Limits on what a parsed ledger may hold, so a hostile file cannot make
/// a report huge.
fn check_sizes(raw: &RawLedger) -> Result<(), String> {
    let sections = [
        ("predictions", raw.predictions.len()),
        ("reflections", raw.reflections.len()),
        ("controls", raw.controls.len()),
        ("numeric", raw.numeric.len()),
    ];
    for (name, n) in sections {
        if n > MAX_ENTRIES {
            return Err(format!(
                "`{name}` has {n} entries, more than {MAX_ENTRIES}; this is not a ledger a lab page wrote"
            ));
        }
    }
    let mut strings: Vec<(&str, &str)> = vec![
        ("schema", &raw.schema),
        ("book_version", &raw.book_version),
        ("lab", &raw.lab),
    ];
    if let Some(t) = &raw.track {
        strings.push(("track", t));
    }
    for (k, p) in &raw.predictions {
        strings.push(("predictions", k));
        strings.push(("predictions", &p.choice));
        strings.extend(p.locked_at.as_deref().map(|t| ("predictions", t)));
    }
    for (k, r) in &raw.reflections {
        strings.push(("reflections", k));
        strings.push(("reflections", &r.choice));
        strings.extend(r.answered_at.as_deref().map(|t| ("reflections", t)));
    }
    for (act, set) in &raw.controls {
        if set.len() > MAX_ENTRIES {
            return Err(format!(
                "`controls` of {} has {} entries, more than {MAX_ENTRIES}",
                quoted(act),
                set.len()
            ));
        }
        strings.push(("controls", act));
        for (k, v) in set {
            strings.push(("controls", k));
            strings.push(("controls", v));
        }
    }
    for k in raw.numeric.keys() {
        strings.push(("numeric", k));
    }
    if let Some((field, s)) = strings.iter().find(|(_, s)| s.len() > MAX_STRING) {
        return Err(format!(
            "a string in `{field}` is {} bytes long, more than {MAX_STRING}",
            s.len()
        ));
    }
    Ok(())
}

/// Text from a ledger, safe to print and to put in a file: control
/// characters (which could drive a terminal) become `\u{..}` escapes, and
/// anything past 80 characters is cut.
pub fn clean(s: &str) -> String {
    clean_to(s, 80)
}

/// [`clean`] with another length limit, for messages that quote the file.
fn clean_to(s: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        if c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// A ledger's string in a message: cleaned and in double quotes.
fn quoted(s: &str) -> String {
    format!("\"{}\"", clean(s))
}

// ---------------------------------------------------------------------------
// Output: the gradebook and the reports
// ---------------------------------------------------------------------------

/// The gradebook's columns, in order.
pub const GRADEBOOK_COLUMNS: [&str; 16] = [
    "file",
    "status",
    "lab",
    "track",
    "book_version",
    "predictions",
    "predictions_max",
    "reflections",
    "reflections_max",
    "numeric",
    "numeric_max",
    "score",
    "max",
    "percent",
    "report",
    "message",
];

/// The output of a grading run: `gradebook.csv` and one report per file
/// under `reports/`, in the order of `outcomes`.
pub fn files(outcomes: &[Outcome]) -> Vec<OutputFile> {
    let names = report_names(outcomes);
    let mut csv = String::new();
    push_row(&mut csv, GRADEBOOK_COLUMNS.iter().map(|s| (*s).to_string()));
    for (o, report) in outcomes.iter().zip(&names) {
        let mut message: Vec<String> = Vec::new();
        let row: Vec<String> = match &o.result {
            Ok(g) => {
                message.extend(o.warnings.iter().cloned());
                vec![
                    o.name.clone(),
                    if o.warnings.is_empty() {
                        "graded"
                    } else {
                        "graded with warnings"
                    }
                    .to_string(),
                    g.lab.clone(),
                    g.track.clone(),
                    if g.version_matches {
                        "match"
                    } else {
                        "differs"
                    }
                    .to_string(),
                    points(g.predictions.0),
                    points(g.predictions.1),
                    points(g.reflections.0),
                    points(g.reflections.1),
                    points(g.numbers.0),
                    points(g.numbers.1),
                    points(g.score),
                    points(g.max),
                    percent(g.score, g.max),
                    format!("reports/{report}"),
                ]
            }
            Err(e) => {
                message.push(e.clone());
                let mut row = vec![o.name.clone(), "skipped".to_string()];
                row.extend(std::iter::repeat_n(String::new(), 12));
                row.push(format!("reports/{report}"));
                row
            }
        };
        push_row(&mut csv, row.into_iter().chain([message.join("; ")]));
    }
    let mut files = vec![OutputFile {
        path: PathBuf::from("gradebook.csv"),
        bytes: csv.into_bytes(),
    }];
    for (o, name) in outcomes.iter().zip(names) {
        files.push(OutputFile {
            path: PathBuf::from("reports").join(name),
            bytes: report(o).into_bytes(),
        });
    }
    files
}

/// A CSV row. Fields from ledgers that start like a spreadsheet formula get
/// a leading `'`, so opening the gradebook cannot run one.
fn push_row(out: &mut String, fields: impl IntoIterator<Item = String>) {
    let mut first = true;
    for f in fields {
        if !first {
            out.push(',');
        }
        first = false;
        let f = if f.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{f}")
        } else {
            f
        };
        out.push_str(&crate::keys::csv_field(&f));
    }
    out.push_str("\r\n");
}

/// Points as text: `1`, `0.5`, `2.25` (at most 4 decimals, no trailing zeros).
fn points(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

fn percent(score: f64, max: f64) -> String {
    if max > 0.0 {
        format!("{:.1}", 100.0 * score / max)
    } else {
        String::new()
    }
}

/// Report file names: the ledger's file name, made safe, with `.md`; a
/// name already taken gets `-2`, `-3`, … in order.
fn report_names(outcomes: &[Outcome]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for o in outcomes {
        let mut safe: String = o
            .stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .take(80)
            .collect();
        if safe.is_empty() || safe.starts_with('.') {
            safe.insert_str(0, "ledger");
        }
        let mut name = format!("{safe}.md");
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{safe}-{n}.md");
            n += 1;
        }
        names.push(name);
    }
    names
}

/// Escapes text for Markdown, so a ledger's strings cannot add links,
/// HTML or table cells to a report.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '(' | ')' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn scheme_name(s: QuestionScoring) -> &'static str {
    match s {
        QuestionScoring::Engagement => "engagement",
        QuestionScoring::Correctness => "correctness",
    }
}

/// A short Markdown report for one ledger file.
pub fn report(o: &Outcome) -> String {
    let mut r = String::new();
    let _ = writeln!(r, "# Ledger report: {}\n", md(&o.name));
    let g = match &o.result {
        Ok(g) => g,
        Err(e) => {
            let _ = writeln!(r, "Not graded: {}", md(e));
            return r;
        }
    };
    let _ = writeln!(r, "- Lab: {} (`{}`)", md(&g.lab_title), g.lab);
    let _ = writeln!(r, "- Track: {} (`{}`)", md(&g.track_label), g.track);
    let _ = writeln!(
        r,
        "- Book version: {}",
        if g.version_matches {
            "the key's".to_string()
        } else {
            format!("{} (not the key's)", md(&g.book_version))
        }
    );
    let _ = writeln!(
        r,
        "- Score: {} of {}{}\n",
        points(g.score),
        points(g.max),
        if g.max > 0.0 {
            format!(" ({}%)", percent(g.score, g.max))
        } else {
            String::new()
        }
    );
    let _ = writeln!(r, "| Question | Answer | Key | Points | Scored by |");
    let _ = writeln!(r, "|---|---|---|---|---|");
    for q in &g.questions {
        let answer = match (&q.choice, &q.at) {
            (Some(c), Some(at)) => format!("{} ({})", md(c), md(at)),
            (Some(c), None) => md(c),
            (None, _) => "none".to_string(),
        };
        let _ = writeln!(
            r,
            "| Act {} {} | {answer} | {} | {} | {} |",
            q.act_number,
            q.kind,
            md(&q.correct),
            points(q.points),
            scheme_name(q.scheme)
        );
    }
    if !g.numeric.is_empty() {
        let _ = writeln!(r, "\n| Numeric item | Answer | Key | Points |");
        let _ = writeln!(r, "|---|---|---|---|");
        for n in &g.numeric {
            let _ = writeln!(
                r,
                "| {} (`{}`) | {} | {} {} | {} |",
                md(&n.label),
                n.id,
                n.answer
                    .map_or_else(|| "none".to_string(), |a| format!("{a}")),
                n.value,
                md(&n.unit),
                points(n.points)
            );
        }
    }
    if !g.controls.is_empty() {
        let _ = writeln!(r, "\n## Final control settings\n");
        for (act, set) in &g.controls {
            let settings: Vec<String> = set
                .iter()
                .map(|(k, v)| format!("{} = {}", md(k), md(v)))
                .collect();
            let _ = writeln!(r, "- {}: {}", md(act), settings.join(", "));
        }
    }
    if !o.warnings.is_empty() {
        let _ = writeln!(r, "\n## Warnings\n");
        for w in &o.warnings {
            let _ = writeln!(r, "- {}", md(w));
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_rejects_arrays_and_depth_but_not_brackets_in_strings() {
        assert!(shape(r#"{"a": {"b": {"c": "[{{"}}}"#).is_ok());
        assert_eq!(
            shape("{\n  \"a\": [1]}").unwrap_err(),
            "line 2, column 8: a ledger holds no arrays (lists); this is not a labgen ledger"
        );
        assert_eq!(
            shape(r#"{"a": {"b": {"c": {}}}}"#).unwrap_err(),
            "line 1, column 19: the JSON is nested deeper than 3 levels; a ledger is not"
        );
        assert!(shape(r#"{"a": "\"[" }"#).is_ok());
    }

    #[test]
    fn clean_escapes_controls_and_truncates() {
        assert_eq!(clean("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(clean(&"x".repeat(100)).chars().count(), 81);
        assert_eq!(clean("a\u{202e}b"), "a\\u{202e}b");
    }

    #[test]
    fn points_trim_zeros() {
        assert_eq!(points(1.0), "1");
        assert_eq!(points(0.5), "0.5");
        assert_eq!(points(2.0 / 3.0), "0.6667");
        assert_eq!(points(0.0), "0");
    }

    #[test]
    fn gradebook_fields_cannot_start_a_formula() {
        let mut row = String::new();
        push_row(&mut row, ["=cmd()".to_string(), "ok".to_string()]);
        assert_eq!(row, "'=cmd(),ok\r\n");
    }

    #[test]
    fn report_names_are_safe_and_unique() {
        let o = |name: &str| unreadable(name, "x");
        assert_eq!(
            report_names(&[
                o("a/alice.json"),
                o("b/alice.json"),
                o("../.hidden"),
                o("é x.json"),
                o("/tmp/evil\u{1b}[31m.json"),
            ]),
            [
                "alice.md",
                "alice-2.md",
                "ledger.hidden.md",
                "__x.md",
                "evil__31m.md"
            ]
        );
    }

    #[test]
    fn markdown_escapes_links_and_cells() {
        assert_eq!(md("[x](y)|<b>"), "\\[x\\]\\(y\\)\\|\\<b\\>");
    }
}
