//! Acts: their simulator (which controls it shows, its instruments), their
//! questions, tasks and stakeholder messages, and the MathPeek panel.

use super::formula::Formulas;
use super::instrument::instrument;
use super::question::{question, stakeholders, tasks};
use super::track::{scenario_index, Tracks};
use super::Ctx;
use crate::diag::{did_you_mean, Diagnostic};
use crate::mission::raw::{self, RawMission};
use crate::mission::{Act, Control, MathPeek, Scenario, Simulator, Worked};

/// The acts in order. Every control must be shown by exactly one act's
/// simulator; one shown nowhere is a warning.
pub(super) fn acts(
    ctx: &mut Ctx,
    raw: &RawMission,
    controls: &[Control],
    tracks: Tracks,
    scenarios: &[Scenario],
    formulas: &mut Formulas,
) -> Vec<Act> {
    let mut acts = Vec::new();
    // The act that shows each control, once one does.
    let mut shown_in: Vec<Option<String>> = vec![None; controls.len()];
    for a in &raw.acts {
        ctx.ident(&a.id, "act");
        if acts.iter().any(|o: &Act| o.id == a.id.value) {
            ctx.error(
                &a.id,
                format!("act `{}` is defined twice", a.id.value),
                "give every act a unique id",
            );
        }
        let simulator = a
            .simulator
            .as_ref()
            .map(|s| simulator(ctx, s, &a.id.value, controls, &mut shown_in, formulas));
        acts.push(Act {
            id: a.id.value.clone(),
            title: a.title.value.clone(),
            duration: a.duration.as_ref().map(|d| d.value.clone()),
            story: ctx.opt_text(&a.story),
            stakeholders: stakeholders(ctx, a, tracks),
            tasks: tasks(ctx, a, scenarios),
            prediction: a
                .prediction
                .as_ref()
                .map(|q| question(ctx, q, &a.id.value, scenarios, formulas)),
            simulator,
            reveal: ctx.opt_text(&a.reveal),
            reflection: a
                .reflection
                .as_ref()
                .map(|q| question(ctx, q, &a.id.value, scenarios, formulas)),
            mathpeek: a.mathpeek.as_ref().map(|m| mathpeek(ctx, m, scenarios)),
        });
    }
    if raw.acts.is_empty() {
        ctx.error(
            &raw.id,
            "the mission has no acts",
            "add an `acts:` list with at least one act",
        );
    }
    for (i, c) in controls.iter().enumerate() {
        if shown_in[i].is_none() {
            ctx.diags.push(
                Diagnostic::warning(
                    Some(c.loc.clone()),
                    format!("control `{}` is not shown in any act", c.id),
                )
                .with_hint("list it under an act's `simulator: controls:`, or make it a constant"),
            );
        }
    }
    acts
}

/// The simulator of act `act`: the controls it lists (each shown by one act
/// only, recorded in `shown_in`) and its instruments.
fn simulator(
    ctx: &mut Ctx,
    s: &raw::RawSimulator,
    act: &str,
    controls: &[Control],
    shown_in: &mut [Option<String>],
    formulas: &mut Formulas,
) -> Simulator {
    let mut idx = Vec::new();
    let mut locs = Vec::new();
    for c in &s.controls {
        match controls.iter().position(|k| k.id == c.value) {
            Some(i) => {
                if let Some(other) = &shown_in[i] {
                    ctx.error(
                        c,
                        format!("control `{}` is already shown in act `{other}`", c.value),
                        "a control belongs to one act's simulator; declare a second control for this act",
                    );
                } else {
                    shown_in[i] = Some(act.to_string());
                    idx.push(i);
                    locs.push(ctx.loc(c));
                }
            }
            None => {
                let hint = match did_you_mean(&c.value, controls.iter().map(|c| c.id.as_str())) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "list ids declared under `controls:`".to_string(),
                };
                ctx.error(c, format!("unknown control `{}`", c.value), hint);
            }
        }
    }
    let instruments = s
        .instruments
        .iter()
        .map(|i| instrument(ctx, i, act, formulas))
        .collect();
    Simulator {
        intro: ctx.opt_text(&s.intro),
        controls: idx,
        control_locs: locs,
        instruments,
    }
}

/// The MathPeek panel, with its worked examples' scenarios resolved.
fn mathpeek(ctx: &mut Ctx, m: &raw::RawMathPeek, scenarios: &[Scenario]) -> MathPeek {
    MathPeek {
        title: m.title.value.clone(),
        latex: ctx.source(&m.latex),
        where_: ctx.opt_text(&m.where_),
        example: ctx.opt_text(&m.example),
        assumptions: ctx.opt_text(&m.assumptions),
        worked: m
            .worked
            .iter()
            .map(|w| Worked {
                formula: w.formula.value.clone(),
                loc: ctx.loc(&w.formula),
                at: w
                    .at
                    .iter()
                    .filter_map(|s| scenario_index(ctx, scenarios, s))
                    .collect(),
            })
            .collect(),
    }
}
