//! The print edition's tables: the states each act's scenarios lead to,
//! the key's answers to a task per track, and the appendix of constants.

use super::markup::{array, string};
use super::source::slot_label;
use crate::book::Lab;
use crate::format::show;
use crate::key::{BookKey, NumericItem};
use crate::mission::{Constant, Instrument};
use crate::plan::display_of;
use crate::sweep::{self, Mode};
use std::fmt::Write as _;

/// The key's answers to one task, per track.
pub(super) fn task_answers(s: &mut String, key: &BookKey, lab: &str, id: &str) {
    let Some(l) = key.labs.iter().find(|l| l.id == lab) else {
        return;
    };
    let rows: Vec<String> = l
        .numeric
        .iter()
        .filter(|n| n.id == id)
        .map(|n| {
            let track = l
                .tracks
                .iter()
                .find(|t| t.id == n.track)
                .map_or(n.track.clone(), |t| t.label.clone());
            array([string(&track), string(&n.text), string(&tolerance(n))])
        })
        .collect();
    let _ = writeln!(
        s,
        "#states-table((\"Track\", \"Answer\", \"Accepted\"), {}, align: (left, right, right))",
        array(rows)
    );
}

/// The accepted deviation from a numeric answer, as the key states it.
fn tolerance(n: &NumericItem) -> String {
    let mut parts = Vec::new();
    if n.tolerance.relative > 0.0 {
        parts.push(format!(
            "±{}%",
            crate::format::shortest_clean(n.tolerance.relative * 100.0)
        ));
    }
    if n.tolerance.absolute > 0.0 {
        parts.push(format!(
            "±{} {}",
            crate::format::shortest_clean(n.tolerance.absolute),
            n.unit
        ));
    }
    if parts.is_empty() {
        "exact".to_string()
    } else {
        parts.join(" or ")
    }
}

/// The act's scenarios as a table: the settings each makes and the values
/// the act's cards show there, so a reader of the print edition sees the
/// states the simulator would take them through.
pub(super) fn explore_table(s: &mut String, lab: &Lab, act: usize) {
    let m = lab.mission;
    let model = lab.model;
    let Some(sim) = &m.acts[act].simulator else {
        return;
    };
    let metrics: Vec<&str> = sim
        .instruments
        .iter()
        .filter_map(|i| match i {
            Instrument::Metric { value, .. } => Some(value.as_str()),
            _ => None,
        })
        .collect();
    let scenarios: Vec<usize> = (0..m.scenarios.len())
        .filter(|&i| {
            m.scenarios[i]
                .set
                .iter()
                .any(|(c, _)| sim.controls.contains(c))
        })
        .collect();
    if scenarios.is_empty() || metrics.is_empty() {
        return;
    }
    let mut columns = vec![string("State")];
    columns.extend(sim.controls.iter().map(|&c| string(&m.controls[c].label)));
    columns.extend(metrics.iter().map(|v| string(&slot_label(lab, v))));
    let mut rows: Vec<Vec<String>> = Vec::new();
    for &i in &scenarios {
        let mode = Mode::Scenario(i as u16);
        let track = sweep::fixed_track(m, mode).unwrap_or(0);
        let pos = sweep::base_positions(m, mode)[track].clone();
        let mut values = vec![0.0; model.len()];
        model.eval(track, &pos, &mut values);
        let mut row = vec![string(&m.scenarios[i].label)];
        row.extend(
            sim.controls
                .iter()
                .map(|&c| string(&m.controls[c].positions[pos[c]].label)),
        );
        for v in &metrics {
            let text = model.slot(v).map_or(String::new(), |slot| {
                let d = display_of(m, model, slot);
                show(values[slot], &d.unit, d.digits).text
            });
            row.push(string(&text));
        }
        rows.push(row);
    }
    let caption = string(&format!("States to explore in act {}", act + 1));
    // Many columns and few states read better turned on their side: a row
    // per setting and value, a column per state. A page has room for about
    // seven columns of this size.
    if columns.len() > 7 && rows.len() + 1 < columns.len() {
        let mut turned = Vec::with_capacity(columns.len() - 1);
        for (k, label) in columns.iter().enumerate().skip(1) {
            let mut row = vec![label.clone()];
            row.extend(rows.iter().map(|r| r[k].clone()));
            turned.push(array(row));
        }
        let mut header = vec![string("")];
        header.extend(rows.iter().map(|r| r[0].clone()));
        let _ = writeln!(
            s,
            "#states-table({}, {}, caption: {caption})",
            array(header),
            array(turned)
        );
    } else {
        let _ = writeln!(
            s,
            "#states-table({}, {}, caption: {caption})",
            array(columns),
            array(rows.into_iter().map(array))
        );
    }
}

/// The appendix: the shared constants and each lab's own, with sources.
pub(super) fn appendix(s: &mut String, labs: &[Lab], shared: &[Constant]) {
    let _ = writeln!(s, "\n#pagebreak()\n= Constants and sources\n");
    let row = |c: &Constant| {
        let value = show(c.value.value, &c.display.unit, c.display.digits).text;
        array([
            "none".to_string(),
            string(&c.label),
            string(&value),
            string(c.source.as_deref().unwrap_or("")),
        ])
    };
    if !shared.is_empty() {
        let _ = writeln!(
            s,
            "#appendix-constants({}, caption: \"Figures shared by the labs\")",
            array(shared.iter().map(row))
        );
    }
    for lab in labs {
        let m = lab.mission;
        let own: Vec<String> = m
            .constants
            .iter()
            .filter(|c| !shared.iter().any(|x| x.id == c.id))
            .map(row)
            .collect();
        if !own.is_empty() {
            let _ = writeln!(
                s,
                "#appendix-constants({}, caption: {})",
                array(own),
                string(&m.title)
            );
        }
    }
}
