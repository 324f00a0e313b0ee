//! A curves or saturation plot at one state: its lines sampled along the
//! `over` control, its markers and guides, its data table.

use super::{in_unit, titled, tone_of, unit_label, Ctx, Drawn};
use crate::diag::Diagnostics;
use crate::figure::{
    Axis, Curve, Curves, Figure, Guide, Marker, MarkerKind, Saturation, SaturationCurve, Scale,
    Tone,
};
use crate::format::escape;
use crate::format::show;
use crate::mission::{CurveSpec, MarkerStyle, PlotKind, PlotSpec};

/// Rows of a curve's data table: evenly spaced samples, ends included.
const TABLE_ROWS: usize = 11;

/// The sample points of a control's range in base units: geometric on a
/// log axis (when the range is positive), else evenly spaced.
fn samples(lo: f64, hi: f64, n: usize, log: bool) -> Vec<f64> {
    let n = n.max(2);
    (0..n)
        .map(|k| {
            let f = k as f64 / (n - 1) as f64;
            if log && lo > 0.0 && hi > 0.0 {
                (lo.ln() + (hi.ln() - lo.ln()) * f).exp()
            } else {
                lo + (hi - lo) * f
            }
        })
        .collect()
}

/// One line: label, tone, dashed, and its y (base units) per sample.
type Line = (String, Tone, bool, Vec<f64>);

/// A marked point or guide for the data table: label, x text, y text
/// (empty for a guide).
type MarkedRow = (String, String, String);

/// The markers and guides of one state, with their data-table rows.
struct Marks {
    markers: Vec<Marker>,
    guides: Vec<Guide>,
    rows: Vec<MarkedRow>,
}

/// What one state of a curves plot reads: the plot, its spec, the swept
/// control, the state and the sample points.
struct At<'a> {
    ctx: &'a Ctx<'a>,
    p: &'a PlotSpec,
    c: &'a CurveSpec,
    over: usize,
    track: usize,
    pos: &'a [usize],
    xs: Vec<f64>,
}

impl At<'_> {
    /// The model at this state with the swept control at `x`.
    fn eval(&self, pos: &[usize], x: Option<f64>) -> Vec<f64> {
        self.ctx.at(self.track, pos, x.map(|x| (self.over, x)))
    }

    fn x_text(&self, v: f64) -> String {
        show(v, &self.c.x_display.unit, self.c.x_display.digits).text
    }

    fn y_text(&self, v: f64) -> String {
        show(v, &self.p.display.unit, self.p.display.digits).text
    }

    /// The lines: one per series, or with `per`, the first series once per
    /// position of the `per` control.
    fn lines(&self) -> Result<Vec<Line>, Diagnostics> {
        let (ctx, p, m) = (self.ctx, self.p, self.ctx.lab.mission);
        let per = self
            .c
            .per
            .as_ref()
            .and_then(|(name, _)| m.controls.iter().position(|k| k.id == *name));
        let mut lines = Vec::new();
        if let Some(k) = per {
            let s = p
                .series
                .first()
                .ok_or_else(|| Diagnostics::internal("saturation without series"))?;
            for (i, option) in m.controls[k].positions.iter().enumerate() {
                let mut at_option = self.pos.to_vec();
                at_option[k] = i;
                let ys = self
                    .xs
                    .iter()
                    .map(|&x| ctx.read(&self.eval(&at_option, Some(x)), &s.value))
                    .collect::<Result<Vec<_>, _>>()?;
                lines.push((option.label.clone(), Tone::series(i), false, ys));
            }
            return Ok(lines);
        }
        let evaluated: Vec<Vec<f64>> = self
            .xs
            .iter()
            .map(|&x| self.eval(self.pos, Some(x)))
            .collect();
        for (k, s) in p.series.iter().enumerate() {
            let ys = evaluated
                .iter()
                .map(|v| ctx.read(v, &s.value))
                .collect::<Result<Vec<_>, _>>()?;
            let tone = s.tone.map(tone_of).unwrap_or(Tone::series(k));
            lines.push((s.label.clone(), tone, s.dashed, ys));
        }
        Ok(lines)
    }

    /// Markers and guides at the model's values in this state, with their
    /// rows for the data table.
    fn marks(&self, lines: &[Line]) -> Result<Marks, Diagnostics> {
        let (ctx, p, c) = (self.ctx, self.p, self.c);
        let here = self.eval(self.pos, None);
        let mut markers = Vec::new();
        let mut rows = Vec::new();
        for mk in &c.markers {
            let x = ctx.read(&here, &mk.at)?;
            let k = mk
                .series
                .as_ref()
                .and_then(|(name, _)| p.series.iter().position(|s| s.value == *name))
                .unwrap_or(0);
            let series = p
                .series
                .get(k)
                .ok_or_else(|| Diagnostics::internal("marker without series"))?;
            let y = ctx.read(&self.eval(self.pos, Some(x)), &series.value)?;
            let label = ctx.plain_at(&mk.label, self.track, self.pos);
            rows.push((label.clone(), self.x_text(x), self.y_text(y)));
            markers.push(Marker {
                x: in_unit(x, &c.x_display.unit),
                y: in_unit(y, &p.display.unit),
                label,
                kind: match mk.style {
                    MarkerStyle::Optimum => MarkerKind::Optimum,
                    MarkerStyle::Crossover => MarkerKind::Crossover,
                    MarkerStyle::Point => MarkerKind::Saturation,
                },
                tone: mk
                    .tone
                    .map(tone_of)
                    .unwrap_or(lines.get(k).map_or(Tone::Info, |l| l.1)),
            });
        }
        let mut guides = Vec::new();
        for g in &c.guides {
            let x = ctx.read(&here, &g.at)?;
            let label = ctx.plain_at(&g.label, self.track, self.pos);
            rows.push((label.clone(), self.x_text(x), String::new()));
            guides.push(Guide {
                x: in_unit(x, &c.x_display.unit),
                label,
                tone: g.tone.map(tone_of).unwrap_or(Tone::Neutral),
            });
        }
        Ok(Marks {
            markers,
            guides,
            rows,
        })
    }

    /// The data table: the lines at evenly spaced samples, then the marks.
    fn table(&self, title: &str, x_head: &str, lines: &[Line], marked: &[MarkedRow]) -> String {
        let xs = &self.xs;
        let mut table = format!(
            "<table class=\"plot-data\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th>",
            escape::html(title),
            escape::html(x_head)
        );
        for l in lines {
            table.push_str(&format!("<th scope=\"col\">{}</th>", escape::html(&l.0)));
        }
        table.push_str("</tr></thead><tbody>");
        let rows = TABLE_ROWS.min(xs.len());
        let mut last = usize::MAX;
        for r in 0..rows {
            let i = (r * (xs.len() - 1)) / (rows - 1).max(1);
            if i == last {
                continue;
            }
            last = i;
            table.push_str(&format!(
                "<tr><th scope=\"row\">{}</th>",
                escape::html(&self.x_text(xs[i]))
            ));
            for l in lines {
                table.push_str(&format!("<td>{}</td>", escape::html(&self.y_text(l.3[i]))));
            }
            table.push_str("</tr>");
        }
        table.push_str("</tbody>");
        if !marked.is_empty() {
            let span = lines.len().max(1);
            table.push_str(&format!(
                "<tbody class=\"plot-marks\"><tr><th scope=\"col\">Marked</th><th scope=\"col\" colspan=\"{span}\">Where</th></tr>"
            ));
            for (label, x, y) in marked {
                let at = if y.is_empty() {
                    x.clone()
                } else {
                    format!("{x}: {y}")
                };
                table.push_str(&format!(
                    "<tr><th scope=\"row\">{}</th><td colspan=\"{span}\">{}</td></tr>",
                    escape::html(label),
                    escape::html(&at)
                ));
            }
            table.push_str("</tbody>");
        }
        table.push_str("</table>");
        table
    }
}

/// "Title. Lines against x from lo to hi. Mark at x, y."
fn description(
    title: &str,
    x_head: &str,
    range: (String, String),
    lines: &[Line],
    marked: &[MarkedRow],
) -> String {
    format!(
        "{title}. {} against {} from {} to {}.{}",
        lines
            .iter()
            .map(|l| l.0.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        x_head,
        range.0,
        range.1,
        marked
            .iter()
            .map(|(l, x, y)| if y.is_empty() {
                format!(" {l} at {x}.")
            } else {
                format!(" {l} at {x}, {y}.")
            })
            .collect::<String>()
    )
}

/// A curves or saturation plot at one state.
pub(super) fn curves(
    ctx: &Ctx,
    p: &PlotSpec,
    c: &CurveSpec,
    title: &str,
    track: usize,
    pos: &[usize],
) -> Result<Drawn, Diagnostics> {
    let m = ctx.lab.mission;
    let over = m
        .controls
        .iter()
        .position(|k| k.id == c.over)
        .ok_or_else(|| Diagnostics::internal(format_args!("unresolved control {}", c.over)))?;
    let values: Vec<f64> = m.controls[over].positions.iter().map(|p| p.value).collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let at = At {
        ctx,
        p,
        c,
        over,
        track,
        pos,
        xs: samples(lo, hi, c.samples, c.x_log),
    };
    let lines = at.lines()?;
    let Marks {
        markers,
        guides,
        rows: marked,
    } = at.marks(&lines)?;
    let x_label = if c.x_label.is_empty() {
        &m.controls[over].label
    } else {
        &c.x_label
    };
    let x_head = titled(x_label, "");
    let table = at.table(title, &x_head, &lines, &marked);
    let range = (at.x_text(lo), at.x_text(hi));
    let description = description(title, &x_head, range, &lines, &marked);
    let points = |ys: &[f64]| -> Vec<(f64, f64)> {
        at.xs
            .iter()
            .zip(ys)
            .map(|(&x, &y)| (in_unit(x, &c.x_display.unit), in_unit(y, &p.display.unit)))
            .collect()
    };
    let scale = |log: bool| if log { Scale::Log } else { Scale::Linear };
    let x = Axis {
        label: titled(x_label, &unit_label(&c.x_display)),
        scale: scale(c.x_log),
        ..Axis::default()
    };
    let y = Axis {
        label: titled(&p.axis, &unit_label(&p.display)),
        scale: scale(c.y_log),
        ..Axis::default()
    };
    let title = title.to_string();
    let chart = if p.kind == PlotKind::Saturation {
        Figure::Saturation(Saturation {
            title,
            description,
            x,
            y,
            curves: lines
                .iter()
                .map(|l| SaturationCurve {
                    label: l.0.clone(),
                    tone: l.1,
                    points: points(&l.3),
                    plateau: None,
                    plateau_label: String::new(),
                })
                .collect(),
        })
    } else {
        Figure::Curves(Curves {
            title,
            description,
            x,
            y,
            series: lines
                .iter()
                .map(|l| Curve {
                    label: l.0.clone(),
                    tone: l.1,
                    dashed: l.2,
                    points: points(&l.3),
                })
                .collect(),
            markers,
            guides,
        })
    };
    Ok(Drawn { chart, table })
}
