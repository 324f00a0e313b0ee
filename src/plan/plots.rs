//! The checks of a plot that need the model: its controls, units and the
//! values its markers sit on; and the names a plot reads.

use crate::diag::{did_you_mean, Diagnostic, Location};
use crate::format::{display_dim, DisplayUnit};
use crate::mission::{ControlKind, CurveSpec, Mission, PlotDetail, PlotSpec, Tone};
use crate::model::{Model, Slot};
use crate::units::Quantity;

/// Every model value a plot reads, with where it was written.
pub fn plot_names(p: &PlotSpec) -> Vec<(&str, &Location)> {
    let mut out: Vec<(&str, &Location)> = Vec::new();
    for s in &p.series {
        if !s.value.is_empty() {
            out.push((&s.value, &s.loc));
        }
        out.extend(s.values.iter().map(|(v, l)| (v.as_str(), l)));
    }
    match &p.detail {
        PlotDetail::Curves(c) => {
            out.extend(c.markers.iter().map(|m| (m.at.as_str(), &m.at_loc)));
            out.extend(c.guides.iter().map(|g| (g.at.as_str(), &g.at_loc)));
        }
        PlotDetail::Gauge { value, loc, .. } if !value.is_empty() => out.push((value, loc)),
        PlotDetail::Sankey { flows, .. } => {
            out.extend(flows.iter().map(|f| (f.value.as_str(), &f.loc)));
        }
        _ => {}
    }
    out
}

/// The values a plot draws on its value scale (not the x positions of
/// markers and guides).
pub fn plot_values(p: &PlotSpec) -> Vec<(&str, &Location)> {
    let mut out = plot_names(p);
    if let PlotDetail::Curves(c) = &p.detail {
        out.truncate(out.len() - c.markers.len() - c.guides.len());
    }
    out
}

/// The checks of a plot that need the model: its controls, units and the
/// values its markers sit on.
pub(super) fn check_plot(m: &Mission, model: &Model, p: &PlotSpec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let kind = p.kind.name();
    if matches!(p.display.unit, DisplayUnit::Duration | DisplayUnit::Data) {
        out.push(
            Diagnostic::error(
                Some(p.loc.clone()),
                format!("a `{kind}` plot needs one unit for its scale, not `duration` or `data`"),
            )
            .with_hint("give a fixed unit, e.g. `unit: h` or `unit: TB`"),
        );
    }
    match &p.detail {
        PlotDetail::Curves(c) => check_curves(m, model, p, c, &mut out),
        PlotDetail::Gauge {
            value,
            min,
            max,
            bands,
            range_loc,
            ..
        } => check_gauge(model, value, (min, max), bands, range_loc, &mut out),
        _ => {}
    }
    out
}

/// The control `name` names, or an error that says `what` needs one.
fn control(
    m: &Mission,
    model: &Model,
    name: &str,
    loc: &Location,
    what: &str,
) -> Result<usize, Diagnostic> {
    match model.slot(name).map(|s| model.slots[s]) {
        Some(Slot::Control(c)) => Ok(c),
        _ => {
            let ids: Vec<&str> = m.controls.iter().map(|c| c.id.as_str()).collect();
            let hint = match did_you_mean(name, ids.iter().copied()) {
                Some(x) => format!("did you mean `{x}`?"),
                None => "name a control declared under `controls`".to_string(),
            };
            Err(Diagnostic::error(
                Some(loc.clone()),
                format!("`{name}` is not a control; {what}"),
            )
            .with_hint(hint))
        }
    }
}

/// A curves plot: `over` is a slider whose unit the x axis shows, `per` a
/// select, markers name series of the plot and sit at x values.
fn check_curves(
    m: &Mission,
    model: &Model,
    p: &PlotSpec,
    c: &CurveSpec,
    out: &mut Vec<Diagnostic>,
) {
    match control(
        m,
        model,
        &c.over,
        &c.over_loc,
        "`over` sweeps a control along x",
    ) {
        Ok(k) => {
            if !matches!(m.controls[k].kind, ControlKind::Slider { .. }) {
                out.push(
                    Diagnostic::error(
                        Some(c.over_loc.clone()),
                        format!("`{}` is a select; `over` sweeps a slider along x", c.over),
                    )
                    .with_hint("sweep a slider, and draw a select's options as lines with `per` on a `saturation` plot"),
                );
            }
            if !matches!(m.controls[k].kind, ControlKind::Slider { .. }) {
                // Reported above; its unit says nothing more.
            } else if matches!(c.x_display.unit, DisplayUnit::Duration | DisplayUnit::Data) {
                out.push(
                    Diagnostic::error(
                        c.x_unit_loc.clone().or(Some(c.over_loc.clone())),
                        "the x axis needs one unit, not `duration` or `data`",
                    )
                    .with_hint("give a fixed unit, e.g. `x: { unit: km }`"),
                );
            } else if let Some(want) = display_dim(&c.x_display.unit) {
                let dim = m.controls[k].dim;
                if want != dim {
                    out.push(
                        Diagnostic::error(
                            c.x_unit_loc.clone().or(Some(c.over_loc.clone())),
                            format!(
                                "`{}` is {} but the x axis shows {}",
                                c.over,
                                dim.describe(),
                                want.describe()
                            ),
                        )
                        .with_hint(
                            "give `x:` a unit of the control's kind, e.g. `x: { unit: min }`",
                        ),
                    );
                }
            }
        }
        Err(d) => out.push(d),
    }
    if let Some((per, loc)) = &c.per {
        match control(
            m,
            model,
            per,
            loc,
            "`per` draws one line per option of a control",
        ) {
            Ok(k) if matches!(m.controls[k].kind, ControlKind::Slider { .. }) => out.push(
                Diagnostic::error(
                    Some(loc.clone()),
                    format!("`{per}` is a slider; `per` draws one line per option of a select"),
                )
                .with_hint("use a `select` control for `per`"),
            ),
            Ok(_) => {}
            Err(d) => out.push(d),
        }
    }
    check_markers(model, p, c, out);
}

/// A curves plot's markers name series of the plot; markers and guides
/// sit at x, so they share the control's unit.
fn check_markers(model: &Model, p: &PlotSpec, c: &CurveSpec, out: &mut Vec<Diagnostic>) {
    for mk in &c.markers {
        if let Some((name, loc)) = &mk.series {
            if !p.series.iter().any(|s| s.value == *name) {
                let names: Vec<&str> = p.series.iter().map(|s| s.value.as_str()).collect();
                let hint = match did_you_mean(name, names.iter().copied()) {
                    Some(x) => format!("did you mean `{x}`?"),
                    None => format!("use one of: {}", names.join(", ")),
                };
                out.push(
                    Diagnostic::error(
                        Some(loc.clone()),
                        format!("`{name}` is not a series of this plot"),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
    // Markers and guides sit at x, so they share the control's unit.
    let over_dim = model.slot(&c.over).map(|s| model.dims[s]);
    let ats = c
        .markers
        .iter()
        .map(|mk| (&mk.at, &mk.at_loc))
        .chain(c.guides.iter().map(|g| (&g.at, &g.at_loc)));
    for (name, loc) in ats {
        if let (Some(s), Some(d)) = (model.slot(name), over_dim) {
            if model.dims[s] != d {
                out.push(
                    Diagnostic::error(
                        Some(loc.clone()),
                        format!(
                            "`{name}` is {} but the x axis (`{}`) is {}",
                            model.dims[s].describe(),
                            c.over,
                            d.describe()
                        ),
                    )
                    .with_hint(
                        "a marker or guide sits at an x value: name a value of the x axis's kind",
                    ),
                );
            }
        }
    }
}

/// A gauge: its ends and bands in the value's kind, `max` above `min`.
fn check_gauge(
    model: &Model,
    value: &str,
    (min, max): (&Quantity, &Quantity),
    bands: &[(Quantity, Tone)],
    range_loc: &Location,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(s) = model.slot(value) {
        let d = model.dims[s];
        let all = [min, max].into_iter().chain(bands.iter().map(|(q, _)| q));
        if all.into_iter().any(|q| q.dim != d) {
            out.push(
                Diagnostic::error(
                    Some(range_loc.clone()),
                    format!(
                        "the gauge's ends and bands must be {}, like `{value}`",
                        d.describe()
                    ),
                )
                .with_hint("write them in the value's unit, e.g. `min: 0%` and `max: 100%`"),
            );
        }
    }
    if max.value.partial_cmp(&min.value) != Some(std::cmp::Ordering::Greater) {
        out.push(
            Diagnostic::error(
                Some(range_loc.clone()),
                "the gauge's `max` must be above its `min`",
            )
            .with_hint("swap them, or widen the range"),
        );
    }
}

/// Every value a plot draws must have the plot's kind of unit.
pub(super) fn check_plot_units(model: &Model, p: &PlotSpec, out: &mut Vec<Diagnostic>) {
    let Some(want) = display_dim(&p.display.unit) else {
        return;
    };
    for (value, loc) in plot_values(p) {
        if let Some(slot) = model.slot(value) {
            if model.dims[slot] != want {
                out.push(
                    Diagnostic::error(
                        Some(loc.clone()),
                        format!(
                            "`{}` is {} but the plot's unit shows {}",
                            value,
                            model.dims[slot].describe(),
                            want.describe()
                        ),
                    )
                    .with_hint("every series of a plot must have the plot's kind of unit"),
                );
            }
        }
    }
}
