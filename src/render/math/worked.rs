//! Worked examples as LaTeX: a formula written symbolically, then with
//! its inputs substituted, then its result, at a state. The HTML page and
//! the print edition set the same lines.

use crate::book::Lab;
use crate::format::show;
use crate::mission::Mission;
use crate::model::{Model, Slot};
use crate::plan::display_of;
use crate::sweep::{Mode, Request};

/// TeX for a name in a worked example: its `tex:` symbol, or the name set
/// upright.
pub(crate) fn name_tex(m: &Mission, model: &Model, name: &str) -> String {
    let declared = match model.slot(name).map(|s| model.slots[s]) {
        Some(Slot::Formula(f)) => m.formulas[f].tex.clone(),
        Some(Slot::Constant(c)) => m.constants[c].tex.clone(),
        Some(Slot::Control(c)) => m.controls[c].tex.clone(),
        None => None,
    };
    declared.unwrap_or_else(|| format!("\\mathrm{{{}}}", name.replace('_', "\\_")))
}

/// A shown value as TeX text: `\text{4,000 s}` (with TeX's special
/// characters escaped, so `$4,500` and `7.9%` come out as written).
pub(crate) fn text_tex(s: &str) -> String {
    let mut out = String::from("\\text{");
    for c in s.chars() {
        match c {
            '$' | '%' | '&' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '\\' => out.push_str("\\textbackslash{}"),
            '~' | '^' => out.push(' '),
            _ => out.push(c),
        }
    }
    out.push('}');
    out
}
/// The LaTeX of a worked example at one state (`track`, control
/// `positions`) of `mode`: for each formula the
/// example uses (inputs first), its symbol, its expression, the expression
/// with the values substituted, and the result.
pub fn worked_latex(lab: &Lab, formula: &str, mode: Mode, track: usize, pos: &[usize]) -> String {
    format!(
        "\\begin{{aligned}}\n{}\n\\end{{aligned}}",
        worked_lines(lab, formula, mode, track, pos)
            .iter()
            .map(|parts| {
                let mut line = parts.first().cloned().unwrap_or_default();
                for (i, p) in parts.iter().enumerate().skip(1) {
                    line.push_str(if i == 1 { " &= " } else { " = " });
                    line.push_str(p);
                }
                line
            })
            .collect::<Vec<_>>()
            .join(" \\\\\n")
    )
}

/// The lines of a worked example, one equation per formula (its inputs
/// that are formulas first), each as the LaTeX of its sides: symbol,
/// expression, values (left out when they read the same as the
/// expression) and result. The sides are joined by `=`; print breaks a
/// long line between them.
pub fn worked_lines(
    lab: &Lab,
    formula: &str,
    mode: Mode,
    track: usize,
    pos: &[usize],
) -> Vec<Vec<String>> {
    let (m, model) = (lab.mission, lab.model);
    let value = |name: &str| -> Option<f64> {
        let slot = model.slot(name)?;
        let t = lab.sweep.table(Request { slot, mode })?;
        Some(t.values[t.index(track, pos)])
    };
    let shown = |name: &str| -> String {
        match (model.slot(name), value(name)) {
            (Some(slot), Some(v)) => {
                let d = display_of(m, model, slot);
                text_tex(&show(v, &d.unit, d.digits).text)
            }
            _ => name_tex(m, model, name),
        }
    };
    // The formulas to show: the inputs that are formulas, then the formula.
    let Some(main) = model.slot(formula) else {
        return Vec::new();
    };
    let mut steps: Vec<usize> = Vec::new();
    if let Slot::Formula(f) = model.slots[main] {
        for &d in &model.direct_deps[f] {
            if matches!(model.slots[d], Slot::Formula(_)) && !steps.contains(&d) {
                steps.push(d);
            }
        }
    }
    steps.push(main);
    let mut lines = Vec::new();
    for s in steps {
        let Slot::Formula(f) = model.slots[s] else {
            continue;
        };
        let fm = &m.formulas[f];
        let e = &model.exprs[f];
        let symbolic = e.to_latex(&|n| name_tex(m, model, n));
        let substituted = e.to_latex_with_values(&|n| shown(n));
        let v = value(&fm.id).unwrap_or(f64::NAN);
        let shown_result = show(v, &fm.display.unit, fm.display.digits);
        // A duration picks its unit; when that is not seconds, show the
        // seconds first so the arithmetic can be followed.
        let result = match (&fm.display.unit, shown_result.unit.as_str()) {
            (crate::format::DisplayUnit::Duration, unit) if unit != "s" => {
                let seconds = crate::units::parse_unit("s")
                    .map(|u| show(v, &crate::format::DisplayUnit::Unit(u), Some(0)).text);
                match seconds {
                    Ok(sec) => format!(
                        "{} \\approx {}",
                        text_tex(&sec),
                        text_tex(&shown_result.text)
                    ),
                    Err(_) => text_tex(&shown_result.text),
                }
            }
            _ => text_tex(&shown_result.text),
        };
        let mut line = vec![name_tex(m, model, &fm.id), symbolic.clone()];
        if substituted != symbolic {
            line.push(substituted);
        }
        line.push(result);
        lines.push(line);
    }
    lines
}
