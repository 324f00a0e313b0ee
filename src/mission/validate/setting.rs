//! Written control values resolved to positions: a control's `default`,
//! a track's `defaults` and a scenario's `set`.

use super::Ctx;
use crate::diag::did_you_mean;
use crate::mission::raw::{self, Scalar, S};
use crate::mission::{Control, ControlKind, Position};

/// Resolves a map of control ids to written values (a track's `defaults`,
/// a scenario's `set`) into (control, position) pairs; `unknown_hint` is
/// the hint for a name that is no control at all.
pub(super) fn control_settings(
    ctx: &mut Ctx,
    controls: &[Control],
    raw_controls: &[raw::RawControl],
    entries: &raw::Entries<S<Scalar>>,
    unknown_hint: &str,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (key, value) in &entries.0 {
        match controls.iter().position(|c| c.id == key.value) {
            Some(i) => {
                if let Some(p) = position_of(ctx, &controls[i], value, &raw_controls[i]) {
                    out.push((i, p));
                }
            }
            None => {
                let hint = match did_you_mean(&key.value, controls.iter().map(|c| c.id.as_str())) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => unknown_hint.to_string(),
                };
                ctx.error(key, format!("unknown control `{}`", key.value), hint);
            }
        }
    }
    out
}

/// Resolves a written value (`10 TB`, `4`) to a position of `control`.
pub(super) fn position_of(
    ctx: &mut Ctx,
    control: &Control,
    value: &S<Scalar>,
    raw: &raw::RawControl,
) -> Option<usize> {
    match control.kind {
        ControlKind::Select => option_position(ctx, control, value),
        ControlKind::Toggle => match value.value.0.as_str() {
            "true" | "on" => Some(1),
            "false" | "off" => Some(0),
            other => {
                ctx.error(
                    value,
                    format!("`{other}` is not valid for a toggle"),
                    "use `true` or `false`",
                );
                None
            }
        },
        ControlKind::Slider { .. } => slider_position(ctx, control, value, raw),
    }
}

/// The position of a select whose key is `value`.
fn option_position(ctx: &mut Ctx, control: &Control, value: &S<Scalar>) -> Option<usize> {
    let found = control
        .positions
        .iter()
        .position(|p| p.key == value.value.0);
    if found.is_none() {
        let keys: Vec<&str> = control.positions.iter().map(|p| p.key.as_str()).collect();
        ctx.error(
            value,
            format!(
                "`{}` is not an option key of `{}`",
                value.value.0, control.id
            ),
            format!("use one of: {}", keys.join(", ")),
        );
    }
    found
}

/// The position of a slider at the quantity `value`, to within rounding.
fn slider_position(
    ctx: &mut Ctx,
    control: &Control,
    value: &S<Scalar>,
    raw: &raw::RawControl,
) -> Option<usize> {
    let q = ctx.quantity(value, raw.unit.as_ref())?;
    let tolerance = |v: f64| 1e-9 * v.abs().max(1e-300);
    let found = control
        .positions
        .iter()
        .position(|p| (p.value - q.value).abs() <= tolerance(p.value) && q.dim == control.dim);
    if found.is_none() {
        let label = |p: Option<&Position>| p.map(|p| p.label.clone()).unwrap_or_default();
        let (first, last) = (
            label(control.positions.first()),
            label(control.positions.last()),
        );
        let hint = if matches!(control.kind, ControlKind::Slider { uniform: Some(_) }) {
            format!("use a value from {first} to {last} that falls on a step of the slider")
        } else {
            let labels: Vec<&str> = control.positions.iter().map(|p| p.label.as_str()).collect();
            format!("use one of the stops: {}", labels.join(", "))
        };
        ctx.error(
            value,
            format!(
                "`{}` is not a position of control `{}`",
                value.value.0, control.id
            ),
            hint,
        );
    }
    found
}
