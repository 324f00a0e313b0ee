//! Checks that need the sweep: authors' claims about the model, and the
//! correct option of questions bound to the model.
//!
//! A claim states what a scenario gives ("the transfer takes about 67
//! minutes, within a minute"); if the model changes so that it no longer
//! holds, the build fails at the claim. A bound question's correct option
//! is the one whose value is closest to the model's, never typed.

use crate::book::{status_level, DerivedAnswer, Which};
use crate::diag::{Diagnostic, Diagnostics};
use crate::format::{parse_display_unit, show, DisplayUnit};
use crate::mission::{ClaimKind, Mission, Question};
use crate::model::Model;
use crate::plan::display_of;
use crate::sweep::{self, Mode, Request, Sweep};

/// The value of `name` at scenario `s` on `track`.
fn at(
    m: &Mission,
    model: &Model,
    sweep: &Sweep,
    name: &str,
    s: usize,
    track: usize,
) -> Option<f64> {
    let slot = model.slot(name)?;
    let mode = Mode::Scenario(s as u16);
    let t = sweep.table(Request { slot, mode })?;
    let base = sweep::base_positions(m, mode);
    Some(t.values[t.index(track, &base[track])])
}

/// Whether `name` at scenario `s` differs between tracks.
fn depends_on_track(model: &Model, sweep: &Sweep, name: &str, s: usize) -> bool {
    model
        .slot(name)
        .and_then(|slot| {
            sweep.table(Request {
                slot,
                mode: Mode::Scenario(s as u16),
            })
        })
        .is_some_and(|t| t.axes.contains(&sweep::Axis::Track))
}

/// The tracks a scenario (and optionally a claim) is evaluated on.
fn tracks_of(m: &Mission, s: usize, claim_track: Option<usize>) -> Vec<usize> {
    match (m.scenarios[s].track, claim_track) {
        (Some(t), _) | (None, Some(t)) => vec![t],
        (None, None) => (0..m.tracks.len()).collect(),
    }
}

fn track_note(m: &Mission, track: usize) -> String {
    if m.has_track_selector {
        format!(", track `{}`", m.tracks[track].id)
    } else {
        String::new()
    }
}

/// Checks every claim and derives every bound question's correct option.
pub fn run(m: &Mission, model: &Model, sweep: &Sweep) -> (Vec<DerivedAnswer>, Diagnostics) {
    let mut diags = Diagnostics::new();
    for c in &m.claims {
        let scenario = &m.scenarios[c.scenario];
        // A claim about values that do not depend on the track is checked
        // (and reported) once.
        let names: Vec<&str> = match &c.kind {
            ClaimKind::About { value, .. } => vec![value.as_str()],
            ClaimKind::That { cond, .. } => vec![cond.as_str()],
            ClaimKind::Status { status, .. } => crate::plan::status_conditions(m, status),
        };
        let per_track = names
            .iter()
            .any(|n| depends_on_track(model, sweep, n, c.scenario));
        let mut tracks = tracks_of(m, c.scenario, c.track);
        if !per_track && c.track.is_none() {
            tracks.truncate(1);
        }
        for track in tracks {
            let note = if per_track || c.track.is_some() {
                track_note(m, track)
            } else {
                String::new()
            };
            let place = format!("at scenario `{}`{note}", scenario.id);
            match &c.kind {
                ClaimKind::About {
                    value,
                    expected,
                    within,
                    within_text,
                    expected_text,
                } => {
                    let Some(v) = at(m, model, sweep, value, c.scenario, track) else {
                        continue;
                    };
                    if (v - expected.value).abs() > *within {
                        // Show the computed value in the unit the claim was written in.
                        let unit = crate::mission::written_unit_of(expected_text)
                            .and_then(|u| parse_display_unit(&u).ok())
                            .or_else(|| {
                                model
                                    .slot(value)
                                    .map(|s| display_of(m, model, s).unit.clone())
                            })
                            .unwrap_or(DisplayUnit::Duration);
                        let got = show(v, &unit, None).text;
                        diags.push(
                            Diagnostic::error(
                                Some(c.loc.clone()),
                                format!("claim does not hold {place}: `{value}` is {got}, expected {expected_text} within {within_text}"),
                            )
                            .with_hint("the model changed or the claim is wrong: update `about:` only if the new value is right"),
                        );
                    }
                }
                ClaimKind::That { cond, text } => {
                    if at(m, model, sweep, cond, c.scenario, track) == Some(0.0) {
                        diags.push(
                            Diagnostic::error(
                                Some(c.loc.clone()),
                                format!("claim does not hold {place}: `{text}` is false"),
                            )
                            .with_hint("the model changed or the claim is wrong"),
                        );
                    }
                }
                ClaimKind::Status { status, is } => {
                    let shown = status_label(m, model, sweep, status, c.scenario, track);
                    if shown.as_deref() != Some(is.as_str()) {
                        diags.push(
                            Diagnostic::error(
                                Some(c.loc.clone()),
                                format!(
                                    "claim does not hold {place}: status `{status}` shows \"{}\", not \"{is}\"",
                                    shown.unwrap_or_default()
                                ),
                            )
                            .with_hint("the model changed or the claim is wrong"),
                        );
                    }
                }
            }
        }
    }

    let mut derived = Vec::new();
    for (ai, act) in m.acts.iter().enumerate() {
        for (which, q) in [
            (Which::Prediction, &act.prediction),
            (Which::Reflection, &act.reflection),
        ] {
            let Some(q) = q else { continue };
            if let Some(key) = derive(m, model, sweep, q, &mut diags) {
                derived.push(DerivedAnswer {
                    act: ai,
                    which,
                    key,
                });
            }
        }
    }
    (derived, diags)
}

/// The label a status instrument shows at a scenario.
fn status_label(
    m: &Mission,
    model: &Model,
    sweep: &Sweep,
    id: &str,
    s: usize,
    track: usize,
) -> Option<String> {
    let levels = m.status_levels(id)?;
    let k = status_level(levels, |l| match &l.when {
        None => true,
        Some(w) => at(m, model, sweep, w, s, track).is_some_and(|v| v != 0.0),
    });
    levels.get(k).map(|l| l.label.clone())
}

/// The option closest to the model's value, the same on every track.
fn derive(
    m: &Mission,
    model: &Model,
    sweep: &Sweep,
    q: &Question,
    diags: &mut Diagnostics,
) -> Option<String> {
    let a = q.answer.as_ref()?;
    let mut chosen: Option<(usize, String)> = None;
    for track in tracks_of(m, a.scenario, None) {
        let v = at(m, model, sweep, &a.value, a.scenario, track)?;
        let mut best: Option<(f64, &str)> = None;
        for o in &q.options {
            let Some(ov) = o
                .value
                .as_deref()
                .and_then(|h| at(m, model, sweep, h, a.scenario, track))
            else {
                continue;
            };
            // Estimates are judged by ratio when both are positive (an
            // order-of-magnitude question), else by difference.
            let distance = if v > 0.0 && ov > 0.0 {
                (ov / v).ln().abs()
            } else {
                (ov - v).abs()
            };
            if best.is_none_or(|(d, _)| distance < d) {
                best = Some((distance, &o.key));
            }
        }
        let (_, key) = best?;
        match &chosen {
            None => chosen = Some((track, key.to_string())),
            Some((t0, k0)) if k0 != key => {
                diags.push(
                    Diagnostic::error(
                        Some(a.loc.clone()),
                        format!(
                            "the closest option differs between tracks: `{k0}` on track `{}`, `{key}` on track `{}`",
                            m.tracks[*t0].id, m.tracks[track].id
                        ),
                    )
                    .with_hint("pin the answer's scenario to one track, or make the options scale with the answer"),
                );
                return None;
            }
            Some(_) => {}
        }
    }
    let (_, key) = chosen?;
    if let Some(typed) = &a.typed {
        if *typed != key {
            diags.push(
                Diagnostic::error(
                    Some(q.loc.clone()),
                    format!("`correct: {typed}` disagrees with the model: the option closest to `{}` is `{key}`", a.value),
                )
                .with_hint("remove `correct:` and let the model decide, or fix the options' values"),
            );
            return None;
        }
    }
    Some(key)
}
