//! What a simulator shows: metrics, status cards, badge rows and banners
//! (plots have their own module). Their conditions become hidden formulas.

use super::formula::Formulas;
use super::{plot, tone, Ctx};
use crate::mission::raw;
use crate::mission::{Badge, Instrument, Level};

/// One instrument of a simulator in act `act`.
pub(super) fn instrument(
    ctx: &mut Ctx,
    i: &raw::RawInstrument,
    act: &str,
    formulas: &mut Formulas,
) -> Instrument {
    match i {
        raw::RawInstrument::Metric(m) => Instrument::Metric {
            value: m.value.value.clone(),
            loc: ctx.loc(&m.value),
            label: m.label.as_ref().map(|l| l.value.clone()),
            note: ctx.opt_text(&m.note),
        },
        raw::RawInstrument::Status(s) => status(ctx, s, act, formulas),
        raw::RawInstrument::Plot(p) => Instrument::Plot(Box::new(plot::plot(ctx, p))),
        raw::RawInstrument::Badges(list) => {
            if list.value.is_empty() {
                ctx.error(
                    list,
                    "a badges row needs at least one badge",
                    "list badges as `- { label: ..., ok: \"condition\" }`",
                );
            }
            Instrument::Badges(
                list.value
                    .iter()
                    .map(|b| Badge {
                        ok: formulas.hidden(ctx, &b.ok, act, "badge"),
                        good: ctx.text(b.good.as_ref().unwrap_or(&b.label)),
                        bad: ctx.text(b.bad.as_ref().unwrap_or(&b.label)),
                    })
                    .collect(),
            )
        }
        raw::RawInstrument::Banner(b) => Instrument::Banner {
            when: formulas.hidden(ctx, &b.when, act, "banner"),
            tone: tone(ctx, &b.tone),
            title: ctx.text(&b.title),
            text: ctx.opt_text(&b.text),
        },
    }
}

/// A status card: levels in order, each with a condition but the last.
fn status(ctx: &mut Ctx, s: &raw::RawStatus, act: &str, formulas: &mut Formulas) -> Instrument {
    let mut levels = Vec::new();
    let n = s.levels.value.len();
    for (k, l) in s.levels.value.iter().enumerate() {
        let when = l
            .when
            .as_ref()
            .map(|w| formulas.hidden(ctx, w, act, "status"));
        if when.is_none() && k + 1 != n {
            ctx.error(
                &l.label,
                "only the last status level may omit `when`",
                "add a `when:` condition, or move this level last",
            );
        }
        levels.push(Level {
            when,
            label: l.label.value.clone(),
            tone: tone(ctx, &l.tone),
            note: ctx.opt_text(&l.note),
        });
    }
    if levels.is_empty() {
        ctx.error(
            &s.levels,
            "a status needs at least one level",
            "add levels with `when`, `label` and `tone`",
        );
    } else if levels.last().is_some_and(|l| l.when.is_some()) {
        ctx.error(&s.levels, "the last status level must have no `when`", "add a final level without `when` for the remaining states, so every state has a status");
    }
    Instrument::Status {
        id: s.id.as_ref().map(|i| i.value.clone()),
        label: s.label.value.clone(),
        value: s.value.as_ref().map(|v| (v.value.clone(), ctx.loc(v))),
        levels,
    }
}
