//! Formulas: the named expressions, the searches (`minimize`, `maximize`,
//! `solve`, `first`) and the hidden formulas labgen makes for conditions
//! and option values written elsewhere in the mission.

use super::{dimensionless, Ctx, Names};
use crate::format::DisplayUnit;
use crate::mission::raw::{self, S};
use crate::mission::{Display, Formula, Goal, Search, Source};

/// The mission's formulas while acts and claims add hidden ones.
pub(super) struct Formulas {
    /// Every formula so far: the author's, their search objectives, then
    /// hidden conditions in the order they are met.
    pub list: Vec<Formula>,
    /// How many hidden conditions were made, so each name is unique.
    hidden: usize,
}

impl Formulas {
    /// Adds a hidden formula holding the expression `s` (a `when`, `ok`,
    /// `that` or an option's `value`) written in `act`, and returns its id.
    pub fn hidden(&mut self, ctx: &Ctx, s: &S<String>, act: &str, what: &str) -> String {
        self.hidden += 1;
        // Act ids may hold `-`; hidden names must stay valid names.
        let id = format!("__{what}_{}_{}", act.replace('-', "_"), self.hidden);
        self.list.push(Formula {
            id: id.clone(),
            label: format!("{what} condition"),
            expr: ctx.source(s),
            display: plain(),
            unit_loc: None,
            tex: None,
            note: None,
            search: None,
        });
        id
    }
}

/// The display of a hidden formula: no unit, three significant digits.
fn plain() -> Display {
    Display {
        unit: DisplayUnit::Unit(dimensionless()),
        digits: None,
    }
}

/// The formulas as written; the objectives of searches follow them.
pub(super) fn formulas(ctx: &mut Ctx, names: &mut Names, raw: &[raw::RawFormula]) -> Formulas {
    let mut list = Vec::new();
    let mut goals = Vec::new();
    for f in raw {
        names.declare(ctx, &f.id, "formula");
        let display = ctx.display(f.unit.as_ref(), f.digits.as_ref());
        let (expr, search) = formula_body(ctx, f, &mut goals);
        list.push(Formula {
            id: f.id.value.clone(),
            label: f
                .label
                .as_ref()
                .map_or_else(|| f.id.value.clone(), |l| l.value.clone()),
            expr,
            display,
            unit_loc: f.unit.as_ref().map(|u| ctx.loc(u)),
            tex: f.tex.as_ref().map(|t| t.value.clone()),
            note: f.note.as_ref().map(|t| t.value.clone()),
            search,
        });
    }
    list.extend(goals);
    Formulas { list, hidden: 0 }
}

/// The expression of a formula, and for a search formula what it searches.
///
/// A search formula's own expression is the name of its control (so the
/// model sees the dependency and the dimension); its objective becomes one or
/// two hidden formulas (`__goal_…`, or `__cond_…` for `first`), which the
/// model checks like any other expression, with their own locations.
fn formula_body(
    ctx: &mut Ctx,
    f: &raw::RawFormula,
    goals: &mut Vec<Formula>,
) -> (Source, Option<Search>) {
    let written: Vec<(Goal, &S<String>)> = [
        (Goal::Minimize, &f.minimize),
        (Goal::Maximize, &f.maximize),
        (Goal::Solve, &f.solve),
        (Goal::First, &f.first),
    ]
    .into_iter()
    .filter_map(|(g, s)| s.as_ref().map(|s| (g, s)))
    .collect();
    let id_loc = ctx.loc(&f.id);
    let placeholder = || Source {
        src: "0".to_string(),
        loc: id_loc.clone(),
    };
    match (&f.expr, written.as_slice(), &f.over) {
        (Some(e), [], None) => (ctx.source(e), None),
        (Some(e), [], Some(o)) => {
            ctx.error(
                o,
                format!("formula `{}` has `over` but no search", f.id.value),
                "`over` goes with `minimize`, `maximize`, `solve` or `first`; remove it, or replace `expr` with one of them",
            );
            (ctx.source(e), None)
        }
        (None, [], _) => {
            ctx.error(
                &f.id,
                format!("formula `{}` has no `expr`", f.id.value),
                "add `expr: ...`, or search with `minimize`, `maximize`, `solve` or `first` plus `over`",
            );
            (placeholder(), None)
        }
        (Some(_), [(g, at), ..], _) | (None, [_, (g, at), ..], _) => {
            let other = if f.expr.is_some() {
                "expr".to_string()
            } else {
                written[0].0.key().to_string()
            };
            ctx.error(
                *at,
                format!(
                    "formula `{}` has both `{other}` and `{}`",
                    f.id.value,
                    g.key()
                ),
                "a formula is either an expression or one search; keep one of them",
            );
            (placeholder(), None)
        }
        (None, [(_, _)], None) => {
            ctx.error(
                &f.id,
                format!("search formula `{}` needs `over`", f.id.value),
                "name the control to search, e.g. `over: interval`",
            );
            (placeholder(), None)
        }
        (None, [(goal, at)], Some(over)) => match search(ctx, &f.id.value, *goal, at, goals) {
            Some(targets) => (
                ctx.source(over),
                Some(Search {
                    goal: *goal,
                    over: over.value.clone(),
                    over_loc: ctx.loc(over),
                    targets,
                    text: at.value.clone(),
                }),
            ),
            None => (placeholder(), None),
        },
    }
}

/// Adds the hidden formulas holding the objective of search formula `id`
/// to `goals`, and returns their names; `None` for a `solve` that is no
/// equation.
fn search(
    ctx: &mut Ctx,
    id: &str,
    goal: Goal,
    at: &S<String>,
    goals: &mut Vec<Formula>,
) -> Option<Vec<String>> {
    let hidden = |name: String, src: Source| Formula {
        id: name,
        label: format!("{} of {id}", goal.key()),
        expr: src,
        display: plain(),
        unit_loc: None,
        tex: None,
        note: None,
        search: None,
    };
    let mut targets = Vec::new();
    match goal {
        Goal::Minimize | Goal::Maximize => {
            let name = format!("__goal_{id}");
            goals.push(hidden(name.clone(), ctx.source(at)));
            targets.push(name);
        }
        Goal::First => {
            let name = format!("__cond_{id}");
            goals.push(hidden(name.clone(), ctx.source(at)));
            targets.push(name);
        }
        Goal::Solve => match split_equation(&at.value) {
            Some((lhs, rhs)) => {
                for (side, text) in [("lhs", lhs), ("rhs", rhs)] {
                    let name = format!("__goal_{id}_{side}");
                    goals.push(hidden(
                        name.clone(),
                        Source {
                            src: text.to_string(),
                            loc: ctx.loc(at),
                        },
                    ));
                    targets.push(name);
                }
            }
            None => {
                ctx.error(
                    at,
                    "`solve` needs an equation with one `=`",
                    "write both sides, e.g. `solve: \"t_network = t_ship\"`",
                );
                return None;
            }
        },
    }
    Some(targets)
}

/// Splits `lhs = rhs` at its one lone `=` (not part of `==`, `<=`, `>=`,
/// `!=`); both sides must be non-empty.
pub(super) fn split_equation(s: &str) -> Option<(&str, &str)> {
    let bytes = s.as_bytes();
    let lone: Vec<usize> = (0..bytes.len())
        .filter(|&i| {
            bytes[i] == b'='
                && (i == 0 || !matches!(bytes[i - 1], b'<' | b'>' | b'=' | b'!'))
                && bytes.get(i + 1) != Some(&b'=')
        })
        .collect();
    match lone.as_slice() {
        [i] => {
            let (l, r) = (s[..*i].trim(), s[i + 1..].trim());
            (!l.is_empty() && !r.is_empty()).then_some((l, r))
        }
        _ => None,
    }
}
