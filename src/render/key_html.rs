//! The keys folder: the key's HTML pages (an index and one page per lab,
//! from `templates/key.html`), and the assembly of every key file with
//! `answers.json`, the Moodle bank and the answer-table CSVs.

use crate::config::{Config, Tolerance};
use crate::diag::Diagnostics;
use crate::format::markdown;
use crate::key::{self, AnswerTable, BookKey, LabKey, NumericItem, QuestionKey, TableKey};
use crate::output::OutputFile;
use serde_json::{json, Value};
use std::path::PathBuf;

const KEY_TEMPLATE: &str = include_str!("../../templates/key.html");

/// Every key file, relative to the keys folder: `index.html`, a page per
/// lab, `answers.json`, `moodle.xml`, then the answer tables' CSVs.
pub fn files(
    config: &Config,
    book: &BookKey,
    tables: &[AnswerTable],
) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut tera = tera::Tera::default();
    tera.add_raw_template("key.html", KEY_TEMPLATE)
        .map_err(|e| {
            Diagnostics::internal(format_args!("the key template does not compile: {e:?}"))
        })?;
    let mut files = vec![OutputFile {
        path: PathBuf::from("index.html"),
        bytes: index_html(&tera, config, book)?,
    }];
    for lab in &book.labs {
        files.push(OutputFile {
            path: PathBuf::from(format!("{}.html", lab.id)),
            bytes: lab_html(&tera, config, book, lab)?,
        });
    }
    files.push(OutputFile {
        path: PathBuf::from(key::ANSWERS_FILE),
        bytes: key::answers_json(book)?.into_bytes(),
    });
    files.push(OutputFile {
        path: PathBuf::from(key::MOODLE_FILE),
        bytes: super::moodle::moodle_xml(book).into_bytes(),
    });
    files.extend(tables.iter().map(|t| OutputFile {
        path: PathBuf::from(&t.path),
        bytes: super::csv::answer_table(t).into_bytes(),
    }));
    Ok(files)
}

/// The template's context shared by the index and the lab pages.
fn context(config: &Config, book: &BookKey, labs: &[Value], lab: &Value) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("book", &config.book);
    ctx.insert("version", &book.book_version);
    ctx.insert("generator", &book.generator);
    ctx.insert("labs", labs);
    ctx.insert("lab", lab);
    ctx
}

fn render(tera: &tera::Tera, ctx: &tera::Context) -> Result<Vec<u8>, Diagnostics> {
    tera.render("key.html", ctx)
        .map(String::into_bytes)
        .map_err(|e| Diagnostics::internal(format_args!("key template: {e:?}")))
}

fn index_html(tera: &tera::Tera, config: &Config, book: &BookKey) -> Result<Vec<u8>, Diagnostics> {
    let labs: Vec<Value> = book
        .labs
        .iter()
        .map(|l| {
            json!({
                "id": l.id,
                "title": l.title,
                "chapter": l.chapter,
                "file": format!("{}.html", l.id),
                "tables": l.tables.iter().filter_map(|t| t.csv.clone().map(|c| json!({"act": t.act, "csv": c}))).collect::<Vec<_>>(),
            })
        })
        .collect();
    render(tera, &context(config, book, &labs, &Value::Null))
}

fn lab_html(
    tera: &tera::Tera,
    config: &Config,
    book: &BookKey,
    lab: &LabKey,
) -> Result<Vec<u8>, Diagnostics> {
    let acts = act_order(lab);
    let tracks: Vec<Value> = lab
        .tracks
        .iter()
        .enumerate()
        .map(|(ti, t)| {
            let acts: Vec<Value> = acts
                .iter()
                .map(|act| act_json(lab, act, ti, &t.id))
                .collect();
            json!({"id": t.id, "label": t.label, "acts": acts})
        })
        .collect();
    let lab = json!({
        "id": lab.id,
        "title": lab.title,
        "chapter": lab.chapter,
        "page": lab.page,
        "tracks": tracks,
        "several_tracks": lab.tracks.len() > 1,
    });
    render(tera, &context(config, book, &[], &lab))
}

/// The acts with questions or a table, in page order: by number (questions
/// carry it; acts with only a table follow).
fn act_order(lab: &LabKey) -> Vec<&str> {
    let mut act_ids: Vec<&str> = Vec::new();
    for act in lab
        .questions
        .iter()
        .map(|q| &q.act)
        .chain(lab.tables.iter().map(|t| &t.act))
    {
        if !act_ids.contains(&act.as_str()) {
            act_ids.push(act);
        }
    }
    act_ids.sort_by_key(|a| {
        lab.questions
            .iter()
            .find(|q| q.act == *a)
            .map_or(usize::MAX, |q| q.act_number)
    });
    act_ids
}

/// One act of a lab page on track `ti`: its questions, quoted values and
/// answer table.
fn act_json(lab: &LabKey, act: &str, ti: usize, track: &str) -> Value {
    let qs: Vec<Value> = lab
        .questions
        .iter()
        .filter(|q| q.act == act)
        .filter_map(|q| question_json(q, ti))
        .collect();
    let quotes: Vec<Value> = lab
        .numeric
        .iter()
        .filter(|n| n.act == act && n.track == track)
        .map(quote_json)
        .collect();
    let table = lab
        .tables
        .iter()
        .find(|tk| tk.act == act)
        .map(|tk| table_json(tk, ti));
    let number = lab
        .questions
        .iter()
        .find(|q| q.act == act)
        .map(|q| (q.act_number, q.act_title.clone()));
    json!({
        "id": act,
        "number": number.as_ref().map(|n| n.0),
        "title": number.map(|n| n.1),
        "questions": qs,
        "quotes": quotes,
        "table": table,
    })
}

fn question_json(q: &QuestionKey, ti: usize) -> Option<Value> {
    let text = q.tracks.get(ti)?;
    Some(json!({
        "kind": if q.kind == "prediction" { "Prediction" } else { "Reflection" },
        "id": q.id,
        "correct": q.correct,
        "prompt": markdown::markdown_inline(&text.prompt),
        "options": text.options.iter().map(|o| json!({
            "key": o.key,
            "correct": o.correct,
            "text": markdown::markdown_inline(&o.text),
            "feedback": markdown::markdown(&o.feedback),
        })).collect::<Vec<_>>(),
    }))
}

fn quote_json(n: &NumericItem) -> Value {
    json!({
        "id": n.id,
        "label": n.label,
        "name": n.name,
        "text": n.text,
        "value": with_unit(&readable(n.value), &n.unit),
        "unit": n.unit,
        "tolerance": tolerance_text(&n.tolerance, n.value, &n.unit),
    })
}

fn table_json(tk: &TableKey, ti: usize) -> Value {
    let s = tk.summary.get(ti);
    json!({
        "csv": tk.csv,
        "rows": key::group(tk.rows),
        "columns": s.map(|s| s.columns.iter().zip(&tk.columns).map(|(c, k)| json!({
            "header": c.header,
            "default": if k.kind == "value" { c.default.parse::<f64>().map_or_else(|_| c.default.clone(), readable) } else { c.default.clone() },
            "min": c.min.map(readable),
            "max": c.max.map(readable),
            "seen": c.seen.join(", "),
            "kind": k.kind,
        })).collect::<Vec<_>>()),
    })
}

/// A number for people: six significant digits, thousands grouped,
/// trailing zeros trimmed (`66.6667`, `4,000`, `0.0133333`).
fn readable(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return crate::format::format_number(x, Some(0));
    }
    let magnitude = x.abs().log10().floor();
    let decimals = (5.0 - magnitude).clamp(0.0, 15.0) as u8;
    let s = crate::format::format_number(x, Some(decimals));
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A readable number with its unit label, written as the book writes
/// units: `$4,500`, `7.9%`, `67 min`.
fn with_unit(n: &str, unit: &str) -> String {
    match unit {
        "" => n.to_string(),
        "%" | "x" => format!("{n}{unit}"),
        u if u.starts_with('$') => match n.strip_prefix('-') {
            Some(m) => format!("-${m}{}", &u[1..]),
            None => format!("${n}{}", &u[1..]),
        },
        u => format!("{n} {u}"),
    }
}

/// `±2% (±1.33 min)`: the tolerance as a reader checks it.
fn tolerance_text(t: &Tolerance, value: f64, unit: &str) -> String {
    let abs = (t.relative * value.abs()).max(t.absolute);
    let amount = crate::format::format_number(abs, None);
    let amount = if unit.is_empty() {
        amount
    } else if unit == "$" {
        format!("${amount}")
    } else if unit == "%" {
        format!("{amount} points")
    } else {
        format!("{amount} {unit}")
    };
    if t.absolute > 0.0 && t.relative > 0.0 {
        format!(
            "±{}% or ±{} {unit}, whichever is larger (±{amount})",
            crate::format::format_number(t.relative * 100.0, None),
            crate::format::format_number(t.absolute, None)
        )
    } else if t.relative > 0.0 {
        format!(
            "±{}% (±{amount})",
            crate::format::format_number(t.relative * 100.0, None)
        )
    } else {
        format!("±{amount}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_reads_as_a_range() {
        let t = Tolerance {
            relative: 0.02,
            absolute: 0.0,
        };
        assert_eq!(tolerance_text(&t, 4000.0, "s"), "±2% (±80 s)");
        assert_eq!(tolerance_text(&t, 4500.0, "$"), "±2% (±$90)");
    }

    #[test]
    fn readable_numbers_keep_six_digits() {
        assert_eq!(readable(66.666_666_666_666_67), "66.6667");
        assert_eq!(readable(4000.0), "4,000");
        assert_eq!(readable(0.013_333_333), "0.0133333");
        assert_eq!(readable(133_333.333_333), "133,333");
        assert_eq!(readable(0.0), "0");
        assert_eq!(with_unit("4,500", "$"), "$4,500");
        assert_eq!(with_unit("0.09", "$/GB"), "$0.09/GB");
        assert_eq!(with_unit("7.9", "%"), "7.9%");
    }
}
