//! The key's questions as a Moodle question bank (Moodle XML): per lab a
//! category (`$course$/top/labgen/<lab id>`), and in it one single-answer
//! multichoice question per prediction or reflection and track (the
//! options quote the track's numbers), then one numerical question per
//! quoted value and track, with the key's tolerance as Moodle's absolute
//! accepted error.

use crate::format::escape;
use crate::format::markdown;
use crate::key::{BookKey, LabKey, NumericItem, QuestionKey};

/// The question bank of the whole book.
pub fn moodle_xml(book: &BookKey) -> String {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- ");
    x.push_str(
        &escape::xml(&format!(
            "{} · {} · book version {}",
            book.title, book.generator, book.book_version
        ))
        .replace("--", "- -"),
    );
    x.push_str(" -->\n<quiz>\n");
    for lab in &book.labs {
        category(&mut x, lab);
        for q in &lab.questions {
            for ti in 0..q.tracks.len() {
                multichoice(&mut x, lab, q, ti);
            }
        }
        for n in &lab.numeric {
            numerical(&mut x, lab, n);
        }
    }
    x.push_str("</quiz>\n");
    x
}

/// The lab's category, which holds its questions.
fn category(x: &mut String, lab: &LabKey) {
    x.push_str("  <question type=\"category\">\n");
    x.push_str(&format!(
        "    <category><text>$course$/top/labgen/{}</text></category>\n",
        escape::xml(&lab.id)
    ));
    html_text(
        x,
        "    ",
        "info",
        &format!("<p>{}</p>", escape::html(&lab.title)),
    );
    x.push_str("  </question>\n");
}

/// The fields every question carries after its text: grade, penalty,
/// visibility and a unique `idnumber`.
fn common(x: &mut String, idnumber: &str) {
    html_text(x, "    ", "generalfeedback", "");
    x.push_str(
        "    <defaultgrade>1</defaultgrade>\n    <penalty>0</penalty>\n    <hidden>0</hidden>\n",
    );
    // Moodle's `idnumber` holds at most 100 characters.
    let id: String = idnumber.chars().take(100).collect();
    x.push_str(&format!("    <idnumber>{}</idnumber>\n", escape::xml(&id)));
}

/// A prediction or reflection on track `ti`, one right option.
fn multichoice(x: &mut String, lab: &LabKey, q: &QuestionKey, ti: usize) {
    let text = &q.tracks[ti];
    let track = &lab.tracks[ti];
    x.push_str("  <question type=\"multichoice\">\n");
    let name = if lab.tracks.len() > 1 {
        format!(
            "{} · Act {} {} · {}",
            lab.title, q.act_number, q.kind, track.label
        )
    } else {
        format!("{} · Act {} {}", lab.title, q.act_number, q.kind)
    };
    x.push_str(&format!(
        "    <name><text>{}</text></name>\n",
        escape::xml(&name)
    ));
    html_text(x, "    ", "questiontext", &markdown::markdown(&text.prompt));
    common(x, &format!("{}/{}/{}", lab.id, q.id, track.id));
    x.push_str("    <single>true</single>\n    <shuffleanswers>false</shuffleanswers>\n    <answernumbering>none</answernumbering>\n    <showstandardinstruction>0</showstandardinstruction>\n");
    html_text(x, "    ", "correctfeedback", "");
    html_text(x, "    ", "partiallycorrectfeedback", "");
    html_text(x, "    ", "incorrectfeedback", "");
    for o in &text.options {
        // The key stays in the text: the book's feedback and the
        // reveal name options by key.
        x.push_str(&format!(
            "    <answer fraction=\"{}\" format=\"html\">\n",
            if o.correct { 100 } else { 0 }
        ));
        x.push_str(&format!(
            "      <text>{}</text>\n",
            escape::xml(&format!(
                "<p><strong>{}</strong> {}</p>",
                escape::html(&o.key),
                markdown::markdown_inline(&o.text)
            ))
        ));
        html_text(x, "      ", "feedback", &markdown::markdown(&o.feedback));
        x.push_str("    </answer>\n");
    }
    x.push_str("  </question>\n");
}

/// A quoted value or task on its track, with the key's tolerance.
fn numerical(x: &mut String, lab: &LabKey, n: &NumericItem) {
    let track = lab
        .tracks
        .iter()
        .find(|t| t.id == n.track)
        .map_or(n.track.as_str(), |t| t.label.as_str());
    let unit = if n.unit.is_empty() {
        String::new()
    } else {
        format!(" Answer in {}.", n.unit)
    };
    let context = if lab.tracks.len() > 1 {
        format!("{} ({track})", lab.title)
    } else {
        lab.title.clone()
    };
    x.push_str("  <question type=\"numerical\">\n");
    x.push_str(&format!(
        "    <name><text>{}</text></name>\n",
        escape::xml(&format!("{context} · {} · {}", n.id, n.label))
    ));
    html_text(
        x,
        "    ",
        "questiontext",
        &format!(
            "<p>{}: what is the {}?{}</p>",
            escape::html(&context),
            escape::html(&lower_first(&n.label)),
            escape::html(&unit)
        ),
    );
    common(x, &format!("{}/{}/{}", lab.id, n.id, n.track));
    let tol = (n.tolerance.relative * n.value.abs()).max(n.tolerance.absolute);
    x.push_str("    <answer fraction=\"100\" format=\"moodle_auto_format\">\n");
    x.push_str(&format!(
        "      <text>{}</text>\n",
        crate::format::shortest(n.value)
    ));
    html_text(
        x,
        "      ",
        "feedback",
        &format!("<p>{}</p>", escape::html(&n.text)),
    );
    x.push_str(&format!(
        "      <tolerance>{}</tolerance>\n",
        crate::format::shortest(tol)
    ));
    x.push_str("    </answer>\n");
    x.push_str("    <unitgradingtype>0</unitgradingtype>\n    <unitpenalty>0</unitpenalty>\n    <showunits>3</showunits>\n    <unitsleft>0</unitsleft>\n");
    x.push_str("  </question>\n");
}

/// A `<tag format="html"><text>…</text></tag>` element.
fn html_text(out: &mut String, indent: &str, tag: &str, html: &str) {
    out.push_str(&format!(
        "{indent}<{tag} format=\"html\"><text>{}</text></{tag}>\n",
        escape::xml(html.trim())
    ));
}

/// `Transfer time` -> `transfer time`, but `GPU utilization` stays.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().collect::<String>() + &s[a.len_utf8()..]
        }
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_first_keeps_acronyms() {
        assert_eq!(lower_first("Transfer time"), "transfer time");
        assert_eq!(lower_first("GPU utilization"), "GPU utilization");
    }
}
