//! What a grading run writes: `gradebook.csv` (one row per ledger file,
//! through the one CSV writer) and a short Markdown report per file.

use super::Outcome;
use crate::config::QuestionScoring;
use crate::output::OutputFile;
use crate::render::csv::{push_record, Field};
use std::fmt::Write as _;
use std::path::PathBuf;

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

/// The gradebook's columns that hold numbers (`predictions` to `percent`):
/// they are written as they are, never guarded like text.
const NUMBER_COLUMNS: std::ops::RangeInclusive<usize> = 5..=13;

/// The output of a grading run: `gradebook.csv` and one report per file
/// under `reports/`, in the order of `outcomes`.
pub fn files(outcomes: &[Outcome]) -> Vec<OutputFile> {
    let names = report_names(outcomes);
    let mut csv = String::new();
    push_record(&mut csv, GRADEBOOK_COLUMNS.iter().map(|s| Field::Text(s)));
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
        let message = message.join("; ");
        let fields = row.iter().enumerate().map(|(i, f)| {
            if NUMBER_COLUMNS.contains(&i) {
                Field::Number(f)
            } else {
                Field::Text(f)
            }
        });
        push_record(&mut csv, fields.chain([Field::Text(&message)]));
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
    use crate::grade::unreadable;

    #[test]
    fn points_trim_zeros() {
        assert_eq!(points(1.0), "1");
        assert_eq!(points(0.5), "0.5");
        assert_eq!(points(2.0 / 3.0), "0.6667");
        assert_eq!(points(0.0), "0");
    }

    #[test]
    fn gradebook_text_cannot_start_a_formula() {
        let files = files(&[unreadable("=cmd().json", "x")]);
        let csv = String::from_utf8(files[0].bytes.clone()).unwrap();
        assert!(csv
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("'=cmd().json,skipped,"));
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
