//! The simulator's controls as template context: sliders, selects and
//! toggles at a position, with their labels and help.

use super::cells::Cells;
use crate::diag::Diagnostics;
use crate::mission::ControlKind;
use crate::sweep::Mode;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct ControlCtx {
    id: String,
    label: String,
    kind: &'static str,
    min: String,
    max: String,
    step: String,
    value: String,
    value_label: String,
    options: Vec<OptionCtx>,
    checked: bool,
    help: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct OptionCtx {
    key: String,
    label: String,
    selected: bool,
}

pub(crate) fn control_ctx(
    cells: &mut Cells,
    c: usize,
    pos: usize,
) -> Result<ControlCtx, Diagnostics> {
    let m = cells.lab.mission;
    let control = &m.controls[c];
    let (kind, min, max, step, value) = match control.kind {
        ControlKind::Slider {
            uniform: Some((lo, st)),
        } => (
            "range",
            crate::format::shortest_clean(lo),
            crate::format::shortest_clean(lo + st * (control.positions.len() - 1) as f64),
            crate::format::shortest_clean(st),
            crate::format::shortest_clean(lo + st * pos as f64),
        ),
        ControlKind::Slider { uniform: None } => (
            "range",
            "0".to_string(),
            (control.positions.len() - 1).to_string(),
            "1".to_string(),
            pos.to_string(),
        ),
        ControlKind::Select => (
            "select",
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ),
        ControlKind::Toggle => (
            "toggle",
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ),
    };
    Ok(ControlCtx {
        id: control.id.clone(),
        label: control.label.clone(),
        kind,
        min,
        max,
        step,
        value,
        value_label: control.positions[pos].label.clone(),
        options: control
            .positions
            .iter()
            .enumerate()
            .map(|(i, p)| OptionCtx {
                key: p.key.clone(),
                label: p.label.clone(),
                selected: i == pos,
            })
            .collect(),
        checked: pos == 1,
        help: match &control.help {
            Some(t) => Some(cells.inline(t, Mode::Pinned)?),
            None => None,
        },
    })
}
