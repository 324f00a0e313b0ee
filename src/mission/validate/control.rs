//! Controls: sliders (a range or a list of stops), selects and toggles,
//! with every position precomputed and labelled.

use super::setting::position_of;
use super::{Ctx, Names};
use crate::format::DisplayUnit;
use crate::mission::raw::{self, Scalar, S};
use crate::mission::{Control, ControlKind, Display, Position};
use crate::units::{Dim, Quantity};

/// Largest number of positions one control may have; every position of
/// every combination is precomputed, so this keeps books small.
pub const MAX_POSITIONS: usize = 1000;

/// The controls as written; each is declared in the mission's namespace.
pub(super) fn controls(ctx: &mut Ctx, names: &mut Names, raw: &[raw::RawControl]) -> Vec<Control> {
    let mut controls = Vec::new();
    for c in raw {
        names.declare(ctx, &c.id, "control");
        controls.push(control(ctx, c));
    }
    controls
}

/// Builds a control's positions from its declaration.
fn control(ctx: &mut Ctx, c: &raw::RawControl) -> Control {
    let display = ctx.display(c.unit.as_ref(), c.digits.as_ref());
    match c.kind.value.as_str() {
        "slider" => slider(ctx, c, display),
        "select" => select(ctx, c, display),
        "toggle" => toggle(ctx, c, display),
        other => {
            ctx.error(
                &c.kind,
                format!("unknown control kind `{other}`"),
                "use `slider`, `select` or `toggle`",
            );
            placeholder(ctx, c, display)
        }
    }
}

/// Reports `key` when it is given on a control of another kind.
fn only(ctx: &mut Ctx, present: bool, at: &S<String>, key: &str, kinds: &str) {
    if present {
        ctx.error(
            at,
            format!("`{key}` is only for {kinds} controls"),
            format!("remove `{key}` or change `kind`"),
        );
    }
}

/// A slider: its positions from `stops` or `min`/`max`/`step`, labelled in
/// the control's display unit.
fn slider(ctx: &mut Ctx, c: &raw::RawControl, display: Display) -> Control {
    only(ctx, c.options.is_some(), &c.kind, "options", "select");
    only(
        ctx,
        c.on.is_some() || c.off.is_some(),
        &c.kind,
        "on/off",
        "toggle",
    );
    let (positions, kind) = if let Some(stops) = &c.stops {
        (
            slider_stops(ctx, c, stops),
            ControlKind::Slider { uniform: None },
        )
    } else {
        match slider_range(ctx, c, &display) {
            Some(range) => range,
            None => return placeholder(ctx, c, display),
        }
    };
    // Label every position with the control's display unit.
    let dim = positions.first().map_or(Dim::DIMENSIONLESS, |q| q.dim);
    if positions.iter().any(|q| q.dim != dim) {
        ctx.error(
            &c.kind,
            "all stops of a slider must have the same kind of unit",
            "write every stop in compatible units",
        );
    }
    check_display_dim(ctx, c, &display, dim);
    let positions: Vec<Position> = positions
        .iter()
        .map(|q| {
            let label = crate::format::show(q.value, &display.unit, display.digits).text;
            Position {
                key: label.clone(),
                label,
                value: q.value,
            }
        })
        .collect();
    let mut control = Control {
        id: c.id.value.clone(),
        label: c.label.value.clone(),
        tex: c.tex.as_ref().map(|t| t.value.clone()),
        kind,
        positions,
        default: 0,
        dim,
        display,
        help: c.help.as_ref().map(|h| ctx.text(h)),
        loc: ctx.loc(&c.id),
    };
    match &c.default {
        Some(d) => {
            if let Some(p) = position_of(ctx, &control, d, c) {
                control.default = p;
            }
        }
        None => ctx.error(
            &c.kind,
            "a slider needs a `default`",
            "add `default:` with one of the slider's values",
        ),
    }
    control
}

/// A slider's positions from its list of `stops`.
fn slider_stops(ctx: &mut Ctx, c: &raw::RawControl, stops: &S<Vec<S<Scalar>>>) -> Vec<Quantity> {
    let mut positions = Vec::new();
    if c.min.is_some() || c.max.is_some() || c.step.is_some() {
        ctx.error(
            &c.kind,
            "a slider has either `stops` or `min`/`max`/`step`, not both",
            "keep one of the two forms",
        );
    }
    for s in &stops.value {
        if let Some(q) = ctx.quantity(s, c.unit.as_ref()) {
            positions.push(q);
        }
    }
    if stops.value.len() > MAX_POSITIONS {
        ctx.error(
            stops,
            format!(
                "the slider has {} stops; at most {MAX_POSITIONS} are allowed",
                stops.value.len()
            ),
            "every position is precomputed; keep the list to the values worth exploring",
        );
    }
    if stops.value.len() < 2 {
        ctx.error(
            stops,
            "a slider needs at least two stops",
            "list the values the slider moves through",
        );
    }
    if positions.windows(2).any(|w| w[0].value >= w[1].value) {
        ctx.error(
            stops,
            "slider stops must increase",
            "list the stops from smallest to largest",
        );
    }
    positions
}

/// A slider's evenly spaced positions from `min`, `max` and `step`, and its
/// kind with (min, step) in display units; `None` when they do not make a
/// range.
fn slider_range(
    ctx: &mut Ctx,
    c: &raw::RawControl,
    display: &Display,
) -> Option<(Vec<Quantity>, ControlKind)> {
    let (Some(min), Some(max)) = (&c.min, &c.max) else {
        ctx.error(
            &c.kind,
            "a slider needs `min` and `max` (and optionally `step`), or `stops`",
            "add them, e.g. `min: 1`, `max: 32`, `step: 1`",
        );
        return None;
    };
    let lo = ctx.quantity(min, c.unit.as_ref());
    let hi = ctx.quantity(max, c.unit.as_ref());
    let step = match &c.step {
        Some(s) => ctx.quantity(s, c.unit.as_ref()),
        None => lo.map(|l| Quantity {
            value: if l.dim.is_dimensionless() {
                1.0
            } else {
                f64::NAN
            },
            dim: l.dim,
        }),
    };
    let (lo, hi, step) = (lo?, hi?, step?);
    if lo.dim != hi.dim || lo.dim != step.dim {
        ctx.error(
            &c.kind,
            "`min`, `max` and `step` must have the same kind of unit",
            "write all three in compatible units",
        );
        return None;
    }
    if step.value.is_nan() || step.value <= 0.0 {
        let at = c.step.as_ref().unwrap_or(min);
        ctx.error(
            at,
            "a slider needs a positive `step`",
            "add `step:` with a positive value in the slider's unit",
        );
        return None;
    }
    if hi.value < lo.value {
        ctx.error(max, "`max` is below `min`", "swap them");
        return None;
    }
    let count = ((hi.value - lo.value) / step.value + 1e-9).floor() + 1.0;
    if count > MAX_POSITIONS as f64 {
        ctx.error(
            &c.kind,
            format!("the slider has {count} positions; at most {MAX_POSITIONS} are allowed"),
            "use a larger `step` or a list of `stops`: every position is precomputed",
        );
        return None;
    }
    let positions = (0..count as usize)
        .map(|k| Quantity {
            value: lo.value + k as f64 * step.value,
            dim: lo.dim,
        })
        .collect();
    let factor = display_factor(display, lo.dim);
    let kind = ControlKind::Slider {
        uniform: Some((lo.value / factor, step.value / factor)),
    };
    Some((positions, kind))
}

/// A select: one position per option, keyed by the option's key.
fn select(ctx: &mut Ctx, c: &raw::RawControl, display: Display) -> Control {
    only(
        ctx,
        c.min.is_some() || c.max.is_some() || c.step.is_some() || c.stops.is_some(),
        &c.kind,
        "min/max/step/stops",
        "slider",
    );
    let Some(options) = &c.options else {
        ctx.error(
            &c.kind,
            "a select needs `options`",
            "list options with `key`, `label` and `value`",
        );
        return placeholder(ctx, c, display);
    };
    let mut values = Vec::new();
    let mut out = Vec::new();
    for o in &options.value {
        if out.iter().any(|p: &Position| p.key == o.key.value) {
            ctx.error(
                &o.key,
                format!("option key `{}` is used twice", o.key.value),
                "give every option a unique key",
            );
        }
        if let Some(q) = ctx.quantity(&o.value, c.unit.as_ref()) {
            values.push(q);
            out.push(Position {
                key: o.key.value.clone(),
                label: o.label.value.clone(),
                value: q.value,
            });
        }
    }
    if options.value.is_empty() {
        ctx.error(options, "a select needs at least one option", "add options");
    }
    let dim = values.first().map_or(Dim::DIMENSIONLESS, |q| q.dim);
    if values.iter().any(|q| q.dim != dim) {
        ctx.error(
            options,
            "all options of a select must have the same kind of unit",
            "write every option's `value` in compatible units",
        );
    }
    let default = match &c.default {
        Some(d) => match out.iter().position(|p| p.key == d.value.0) {
            Some(i) => i,
            None => {
                let keys: Vec<&str> = out.iter().map(|p| p.key.as_str()).collect();
                ctx.error(
                    d,
                    format!("default `{}` is not an option key", d.value.0),
                    format!("use one of: {}", keys.join(", ")),
                );
                0
            }
        },
        None => 0,
    };
    Control {
        id: c.id.value.clone(),
        label: c.label.value.clone(),
        tex: c.tex.as_ref().map(|t| t.value.clone()),
        kind: ControlKind::Select,
        positions: out,
        default,
        dim,
        display,
        help: c.help.as_ref().map(|h| ctx.text(h)),
        loc: ctx.loc(&c.id),
    }
}

/// A toggle: two positions, `off` (0 unless written) and `on` (1).
fn toggle(ctx: &mut Ctx, c: &raw::RawControl, display: Display) -> Control {
    only(ctx, c.options.is_some(), &c.kind, "options", "select");
    let off = c.off.as_ref().map_or(
        Some(Quantity {
            value: 0.0,
            dim: Dim::DIMENSIONLESS,
        }),
        |s| ctx.quantity(s, c.unit.as_ref()),
    );
    let on = c.on.as_ref().map_or(
        Some(Quantity {
            value: 1.0,
            dim: Dim::DIMENSIONLESS,
        }),
        |s| ctx.quantity(s, c.unit.as_ref()),
    );
    let (Some(off), Some(on)) = (off, on) else {
        return placeholder(ctx, c, display);
    };
    if off.dim != on.dim {
        ctx.error(
            &c.kind,
            "`on` and `off` must have the same kind of unit",
            "write both in compatible units",
        );
    }
    let default = match &c.default {
        None => 0,
        Some(d) => match d.value.0.as_str() {
            "false" | "off" => 0,
            "true" | "on" => 1,
            other => {
                ctx.error(
                    d,
                    format!("default `{other}` is not valid for a toggle"),
                    "use `true` or `false`",
                );
                0
            }
        },
    };
    Control {
        id: c.id.value.clone(),
        label: c.label.value.clone(),
        tex: c.tex.as_ref().map(|t| t.value.clone()),
        kind: ControlKind::Toggle,
        positions: vec![
            Position {
                key: "off".into(),
                label: "off".into(),
                value: off.value,
            },
            Position {
                key: "on".into(),
                label: "on".into(),
                value: on.value,
            },
        ],
        default,
        dim: on.dim,
        display,
        help: c.help.as_ref().map(|h| ctx.text(h)),
        loc: ctx.loc(&c.id),
    }
}

/// Checks that a control's display unit fits its values.
fn check_display_dim(ctx: &mut Ctx, c: &raw::RawControl, display: &Display, dim: Dim) {
    if let Some(ddim) = crate::format::display_dim(&display.unit) {
        let explicit = c.unit.is_some();
        if ddim != dim && (explicit || !dim.is_dimensionless()) {
            let at = c.unit.as_ref().unwrap_or(&c.kind);
            ctx.error(
                at,
                format!(
                    "the control's values are {} but its unit shows {}",
                    dim.describe(),
                    ddim.describe()
                ),
                if explicit {
                    "make `unit` match the values (e.g. values in TB shown in TB or GB)".to_string()
                } else {
                    "add `unit:` saying how to show the values (e.g. `unit: TB`)".to_string()
                },
            );
        }
    }
}

/// How many base units one display unit is, for uniform slider inputs.
fn display_factor(display: &Display, dim: Dim) -> f64 {
    match &display.unit {
        DisplayUnit::Unit(u) if u.dim == dim && u.factor > 0.0 => u.factor,
        DisplayUnit::Percent => 0.01,
        _ => 1.0,
    }
}

/// A stand-in control after an error, so later checks can go on.
fn placeholder(ctx: &Ctx, c: &raw::RawControl, display: Display) -> Control {
    Control {
        id: c.id.value.clone(),
        label: c.label.value.clone(),
        tex: c.tex.as_ref().map(|t| t.value.clone()),
        kind: ControlKind::Select,
        positions: vec![Position {
            key: "0".into(),
            label: "0".into(),
            value: 0.0,
        }],
        default: 0,
        dim: Dim::DIMENSIONLESS,
        display,
        help: None,
        loc: ctx.loc(&c.id),
    }
}
