//! Scoring: a checked ledger against its lab in the key, question by
//! question (predictions and reflections) and numeric item by item, with a
//! warning for each answer that does not count.

use super::ledger::{clean, quoted, RawLedger};
use crate::config::{NumericScoring, QuestionScoring};
use crate::key::{BookKey, LabKey, TrackKey};

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

/// Points and the most there were, per kind of item.
type Tally = (f64, f64);

/// Scores a parsed ledger; an unknown lab or track is an error, every other
/// problem a warning in `warnings`.
pub(super) fn score(
    key: &BookKey,
    raw: &RawLedger,
    warnings: &mut Vec<String>,
) -> Result<Graded, String> {
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

    let (questions, predictions, reflections) = questions(key, lab, raw, warnings);
    unexpected_entries(lab, raw, warnings);
    let (numeric, numbers) = numbers(key, lab, track, raw, warnings);
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
    let w = &key.grading.weights;
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

/// Every prediction and reflection of the lab, scored; the points of each kind.
fn questions(
    key: &BookKey,
    lab: &LabKey,
    raw: &RawLedger,
    warnings: &mut Vec<String>,
) -> (Vec<QuestionScore>, Tally, Tally) {
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
    (questions, predictions, reflections)
}

/// Warns about ledger entries for acts that have no such question.
fn unexpected_entries(lab: &LabKey, raw: &RawLedger, warnings: &mut Vec<String>) {
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
}

/// The track's graded numeric items, scored, and their points; warns about
/// answers to anything else.
fn numbers(
    key: &BookKey,
    lab: &LabKey,
    track: &TrackKey,
    raw: &RawLedger,
    warnings: &mut Vec<String>,
) -> (Vec<NumericScore>, Tally) {
    let g = &key.grading;
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
    (numeric, numbers)
}
