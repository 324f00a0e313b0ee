//! What an act asks and tells: multiple-choice questions (typed or bound to
//! the model), "find the X" tasks with their tolerances, and stakeholder
//! messages per track.

use super::formula::Formulas;
use super::track::{scenario_index, Tracks};
use super::Ctx;
use crate::mission::raw;
use crate::mission::{Answer, Choice, Question, Scenario, Stakeholder, Task, TaskTolerance};
use crate::units::Quantity;

/// A prediction or reflection question of act `act`. The option values of
/// a question bound to the model become hidden formulas.
pub(super) fn question(
    ctx: &mut Ctx,
    q: &raw::RawQuestion,
    act: &str,
    scenarios: &[Scenario],
    formulas: &mut Formulas,
) -> Question {
    let options = options(ctx, q, act, scenarios, formulas);
    if options.len() < 2 {
        ctx.error(
            &q.options,
            "a question needs at least two options",
            "add the alternatives a student chooses between",
        );
    }
    let keys: Vec<&str> = options.iter().map(|o| o.key.as_str()).collect();
    if let Some(c) = &q.correct {
        if !options.iter().any(|o| o.key == c.value) {
            ctx.error(
                c,
                format!("the correct option `{}` is not one of the options", c.value),
                format!("use one of: {}", keys.join(", ")),
            );
        }
    }
    let answer = q.answer.as_ref().and_then(|a| {
        let scenario = scenario_index(ctx, scenarios, &a.at)?;
        Some(Answer {
            value: a.value.value.clone(),
            loc: ctx.loc(&a.value),
            scenario,
            typed: q.correct.as_ref().map(|c| c.value.clone()),
        })
    });
    let loc = match (&q.correct, &q.answer) {
        (Some(c), _) => ctx.loc(c),
        (None, Some(a)) => ctx.loc(&a.value),
        (None, None) => {
            ctx.error(
                &q.prompt,
                "the question names no correct option",
                "add `correct: KEY`, or bind it to the model with `answer:`",
            );
            ctx.loc(&q.prompt)
        }
    };
    Question {
        prompt: ctx.text(&q.prompt),
        options,
        correct: q
            .correct
            .as_ref()
            .map_or_else(String::new, |c| c.value.clone()),
        answer,
        loc,
    }
}

/// The options of a question: unique keys, and a `value` on every option
/// exactly when the question has an `answer:`.
fn options(
    ctx: &mut Ctx,
    q: &raw::RawQuestion,
    act: &str,
    scenarios: &[Scenario],
    formulas: &mut Formulas,
) -> Vec<Choice> {
    // A bound question's scenario, and how its answer is shown, for the
    // options' `{{ option }}` placeholders.
    let bound_scenario = q.answer.as_ref().and_then(|a| {
        scenarios
            .iter()
            .find(|s| s.id == a.at.value)
            .map(|s| s.id.clone())
    });
    let answer_display = q.answer.as_ref().and_then(|a| {
        formulas
            .list
            .iter()
            .find(|f| f.id == a.value.value)
            .map(|f| f.display.clone())
    });
    let mut options: Vec<Choice> = Vec::new();
    for o in &q.options.value {
        if o.key.value.trim().is_empty() {
            ctx.error(
                &o.key,
                "an option key cannot be empty",
                "use a short key such as `A`",
            );
        }
        if options.iter().any(|p| p.key == o.key.value) {
            ctx.error(
                &o.key,
                format!("option key `{}` is used twice", o.key.value),
                "give every option a unique key",
            );
        }
        let value = match (&o.value, &q.answer) {
            (Some(v), Some(_)) => {
                let id = formulas.hidden(ctx, v, act, "option");
                if let (Some(f), Some(d)) = (formulas.list.last_mut(), &answer_display) {
                    f.display = d.clone();
                }
                Some(id)
            }
            (Some(v), None) => {
                ctx.error(
                    v,
                    "an option `value` needs the question's `answer:`",
                    "add `answer: { value: NAME, at: SCENARIO }` to the question",
                );
                None
            }
            (None, Some(_)) => {
                ctx.error(
                    &o.key,
                    "every option of a question with `answer:` needs a `value`",
                    "give the quantity this option states, e.g. `value: t_transfer / 8`",
                );
                None
            }
            (None, None) => None,
        };
        let mut text = ctx.text(&o.text);
        if let (Some(id), Some(s)) = (&value, &bound_scenario) {
            // `{{ option }}` shows this option's own value at the scenario.
            let with = format!("{{{{ {id} @ {s} }}}}");
            text.src = text
                .src
                .replace("{{ option }}", &with)
                .replace("{{option}}", &with);
        }
        options.push(Choice {
            key: o.key.value.clone(),
            text,
            feedback: ctx.text(&o.feedback),
            value,
        });
    }
    options
}

/// The tasks of an act.
pub(super) fn tasks(ctx: &mut Ctx, a: &raw::RawAct, scenarios: &[Scenario]) -> Vec<Task> {
    let mut out: Vec<Task> = Vec::new();
    for t in &a.tasks {
        ctx.ident(&t.id, "task");
        if out.iter().any(|o| o.id == t.id.value) {
            ctx.error(
                &t.id,
                format!("act `{}` has two tasks `{}`", a.id.value, t.id.value),
                "give each task of an act its own id",
            );
            continue;
        }
        let at = match &t.at {
            Some(s) => match scenario_index(ctx, scenarios, s) {
                Some(i) => Some(i),
                None => continue,
            },
            None => None,
        };
        let tolerance = t.tolerance.as_ref().and_then(|w| {
            let q = ctx.quantity(w, None)?;
            if w.value.0.trim().ends_with('%') {
                Some(TaskTolerance::Relative(q.value.abs()))
            } else {
                Some(TaskTolerance::Absolute(Quantity {
                    value: q.value.abs(),
                    dim: q.dim,
                }))
            }
        });
        let display = t
            .unit
            .as_ref()
            .map(|u| ctx.display(Some(u), t.digits.as_ref()));
        out.push(Task {
            id: t.id.value.clone(),
            prompt: ctx.text(&t.prompt),
            answer: t.answer.value.clone(),
            answer_loc: ctx.loc(&t.answer),
            at,
            display,
            unit_loc: t.unit.as_ref().map(|u| ctx.loc(u)),
            tolerance,
            tolerance_loc: t.tolerance.as_ref().map(|w| ctx.loc(w)),
            explain: ctx.opt_text(&t.explain),
            loc: ctx.loc(&t.id),
        });
    }
    out
}

/// The stakeholder messages of an act: `stakeholder:` for every track, or
/// `stakeholders:` with exactly one entry per track.
pub(super) fn stakeholders(ctx: &mut Ctx, a: &raw::RawAct, tracks: Tracks) -> Vec<Stakeholder> {
    match (&a.stakeholder, &a.stakeholders) {
        (Some(s), None) => {
            if let Some(t) = &s.track {
                ctx.error(
                    t,
                    "`track` belongs in the entries of `stakeholders:`",
                    "remove `track:` to show this message on every track, or write `stakeholders:` with one entry per track",
                );
            }
            vec![stakeholder(ctx, s, None)]
        }
        (None, None) => Vec::new(),
        (Some(_), Some(list)) => {
            ctx.error(
                list,
                "an act has either `stakeholder` or `stakeholders`, not both",
                "keep `stakeholders:` with one entry per track, or `stakeholder:` for all tracks",
            );
            Vec::new()
        }
        (None, Some(list)) => per_track(ctx, list, tracks),
    }
}

/// One message, shown on `track` (`None` for every track).
fn stakeholder(ctx: &Ctx, s: &raw::RawStakeholder, track: Option<usize>) -> Stakeholder {
    Stakeholder {
        track,
        from: s.from.value.clone(),
        message: ctx.text(&s.message),
    }
}

/// The entries of `stakeholders:`: one per track, in track order.
fn per_track(
    ctx: &mut Ctx,
    list: &raw::S<Vec<raw::RawStakeholder>>,
    tracks: Tracks,
) -> Vec<Stakeholder> {
    let mut out: Vec<Stakeholder> = Vec::new();
    for s in &list.value {
        let Some(t) = &s.track else {
            ctx.error(
                &s.from,
                "each entry of `stakeholders` needs `track`",
                "add `track: <track id>`, or use `stakeholder:` for one message on every track",
            );
            continue;
        };
        let Some(k) = tracks.index(ctx, t) else {
            continue;
        };
        if out.iter().any(|o| o.track == Some(k)) {
            ctx.error(
                t,
                format!(
                    "track `{}` has two stakeholder messages in this act",
                    t.value
                ),
                "keep one entry per track",
            );
            continue;
        }
        out.push(stakeholder(ctx, s, Some(k)));
    }
    let missing: Vec<&str> = tracks
        .list
        .iter()
        .enumerate()
        .filter(|(k, _)| !out.iter().any(|o| o.track == Some(*k)))
        .map(|(_, t)| t.id.as_str())
        .collect();
    if !missing.is_empty() && !ctx.diags.has_errors() {
        ctx.error(
            list,
            format!(
                "`stakeholders` has no message for track {}",
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "add an entry with `track:` for each track",
        );
    }
    out.sort_by_key(|s| s.track);
    out
}
