//! Claims: statements about the model at a scenario (a value is about some
//! quantity, a condition holds, a status shows a label), checked on every
//! build by the check stage.

use super::formula::Formulas;
use super::track::{scenario_index, Tracks};
use super::Ctx;
use crate::mission::raw::{self, RawMission, Scalar, S};
use crate::mission::types::status_levels;
use crate::mission::{Act, Claim, ClaimKind, Scenario};
use crate::units::Quantity;

/// The claims; one whose scenario or statement is unusable is left out
/// (and reported).
pub(super) fn claims(
    ctx: &mut Ctx,
    raw: &RawMission,
    tracks: Tracks,
    scenarios: &[Scenario],
    acts: &[Act],
    formulas: &mut Formulas,
) -> Vec<Claim> {
    let mut claims = Vec::new();
    for c in &raw.claims {
        let Some(scenario) = scenario_index(ctx, scenarios, &c.scenario) else {
            continue;
        };
        let track = c.track.as_ref().and_then(|t| tracks.index(ctx, t));
        let kind = match (&c.value, &c.that, &c.status) {
            (Some(v), None, None) => about(ctx, c, v),
            (None, Some(t), None) => Some(ClaimKind::That {
                cond: formulas.hidden(ctx, t, "claims", "claim"),
                text: t.value.clone(),
            }),
            (None, None, Some(st)) => status(ctx, c, st, acts),
            _ => {
                ctx.error(&c.scenario, "a claim states exactly one of `value` (with `about`), `that`, or `status` (with `is`)", "keep one of the three forms");
                None
            }
        };
        let Some(kind) = kind else {
            continue;
        };
        claims.push(Claim {
            scenario,
            track,
            kind,
            loc: ctx.loc(&c.scenario),
        });
    }
    claims
}

/// A claim that value `v` is about a quantity, within a tolerance.
fn about(ctx: &mut Ctx, c: &raw::RawClaim, v: &S<String>) -> Option<ClaimKind> {
    let Some(about) = &c.about else {
        ctx.error(
            v,
            "a claim about a value needs `about:`",
            "add the expected value, e.g. `about: 67 min`",
        );
        return None;
    };
    let expected = ctx.quantity(about, None)?;
    let within = match &c.within {
        Some(w) => tolerance(ctx, w, expected)?,
        // Without `within`, the claim allows 0.5% either way.
        None => expected.value.abs() * 0.005,
    };
    Some(ClaimKind::About {
        value: v.value.clone(),
        expected,
        within,
        within_text: c
            .within
            .as_ref()
            .map_or_else(|| "0.5%".to_string(), |w| w.value.0.clone()),
        expected_text: about.value.0.clone(),
    })
}

/// A claim that status instrument `st` shows the level `is`.
fn status(ctx: &mut Ctx, c: &raw::RawClaim, st: &S<String>, acts: &[Act]) -> Option<ClaimKind> {
    let Some(is) = &c.is else {
        ctx.error(
            st,
            "a claim about a status needs `is:`",
            "add the label the status must show",
        );
        return None;
    };
    match status_levels(acts, &st.value) {
        None => {
            ctx.error(
                st,
                format!("no status instrument has id `{}`", st.value),
                "give the status instrument an `id:` and name it here",
            );
            return None;
        }
        Some(levels) if !levels.iter().any(|l| l.label == is.value) => {
            let labels: Vec<&str> = levels.iter().map(|l| l.label.as_str()).collect();
            ctx.error(
                is,
                format!("status `{}` has no level `{}`", st.value, is.value),
                format!("use one of: {}", labels.join(", ")),
            );
            return None;
        }
        Some(_) => {}
    }
    Some(ClaimKind::Status {
        status: st.value.clone(),
        is: is.value.clone(),
    })
}

/// A claim's tolerance in base units: a quantity like `1 min`, or a
/// percentage of the expected value like `2%`.
fn tolerance(ctx: &mut Ctx, w: &S<Scalar>, expected: Quantity) -> Option<f64> {
    let q = ctx.quantity(w, None)?;
    // A percentage is a share of `about`, even when the value itself is
    // dimensionless (where `1%` would otherwise read as 0.01 absolute).
    if w.value.0.trim().ends_with('%') {
        Some(q.value.abs() * expected.value.abs())
    } else if q.dim == expected.dim {
        Some(q.value.abs())
    } else {
        ctx.error(
            w,
            format!(
                "`within` is {} but the expected value is {}",
                q.dim.describe(),
                expected.dim.describe()
            ),
            "give the tolerance in the value's unit (e.g. `1 min`) or as a percentage (e.g. `2%`)",
        );
        None
    }
}
