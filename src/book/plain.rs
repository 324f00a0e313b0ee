//! Prose as plain words at one state: SVG titles, the index page's
//! subtitles and the print edition's labels have no room for markup.

use crate::book::Lab;
use crate::format::prose;
use crate::format::prose::Piece;
use crate::format::show;
use crate::mission::{Display, Mission, Text};
use crate::plan::display_of;
use crate::sweep::{self, Mode, Request};

/// A pinned text as plain words (Markdown markers kept), at the first track.
pub(crate) fn plain_pinned(lab: &Lab, t: &Text) -> String {
    let defaults = sweep::track_defaults(lab.mission);
    plain_text(lab, t, Mode::Pinned, 0, &defaults[0])
}

/// The mode of a reference: its scenario if it names one, else the field's.
pub(crate) fn ref_mode(m: &Mission, r: &prose::ValueRef, field: Mode) -> Mode {
    match &r.scenario {
        Some(s) => m
            .scenarios
            .iter()
            .position(|x| x.id == *s)
            .map_or(field, |i| Mode::Scenario(i as u16)),
        None => field,
    }
}

/// A text at one state as plain words (for SVG titles and the index page).
pub(crate) fn plain_text(lab: &Lab, t: &Text, field: Mode, track: usize, pos: &[usize]) -> String {
    let mut out = String::new();
    let Ok(pieces) = prose::parse(&t.src) else {
        return out;
    };
    for p in pieces {
        match p {
            Piece::Lit(s) => out.push_str(&s),
            Piece::Fact { text, .. } => out.push_str(&text),
            Piece::Ref(r) => {
                let mode = ref_mode(lab.mission, &r, field);
                let Some(slot) = lab.model.slot(&r.name) else {
                    continue;
                };
                if let Some(table) = lab.sweep.table(Request { slot, mode }) {
                    let display = override_display(display_of(lab.mission, lab.model, slot), &r);
                    let v = table.values[table.index(track, pos)];
                    out.push_str(&show(v, &display.unit, display.digits).text);
                }
            }
        }
    }
    out
}

pub(crate) fn override_display(base: &Display, r: &prose::ValueRef) -> Display {
    Display {
        unit: r.unit.clone().unwrap_or_else(|| base.unit.clone()),
        digits: r
            .digits
            .or(if r.unit.is_some() { None } else { base.digits }),
    }
}
