//! The page's precomputed states as "cells": each cell is one displayed
//! thing (a value, a status, a banner's visibility, a plot) over exactly
//! the axes it depends on, plus a pool of HTML fragments the cells share.

use crate::book::plain::{override_display, plain_text, ref_mode};
use crate::book::Lab;
use crate::diag::{Diagnostic, Diagnostics};
use crate::figure::grid;
use crate::format::prose::Piece;
use crate::format::{escape, markdown, prose};
use crate::format::{show, Shown};
use crate::mission::{Display, Text};
use crate::model::Slot;
use crate::plan::display_of;
use crate::render::math::katex::math;
use crate::render::math::worked::worked_latex;
use crate::render::Figures;
use crate::sweep::{self, Axis, Mode, Request, Table};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The page's precomputed states: cells and a pool of HTML fragments.
pub(crate) struct Cells<'a> {
    pub(crate) lab: &'a Lab<'a>,
    pub(crate) cells: Vec<Value>,
    pub(crate) keys: HashMap<String, usize>,
    pub(crate) fragments: Vec<String>,
    pub(crate) fragment_ids: HashMap<String, usize>,
    /// Default positions per track.
    pub(crate) defaults: Vec<Vec<usize>>,
    /// Inline math already rendered, kept out of the Markdown pass (which
    /// would read `_{` and `\,` in its LaTeX annotation as Markdown) and put
    /// back after it; prose holds placeholders meanwhile.
    pub(crate) math: Vec<String>,
    /// Every plot of the book, drawn over its grid.
    pub(crate) figures: &'a Figures,
}

impl<'a> Cells<'a> {
    pub(crate) fn new(lab: &'a Lab<'a>, figures: &'a Figures) -> Self {
        Cells {
            lab,
            cells: Vec::new(),
            keys: HashMap::new(),
            fragments: Vec::new(),
            fragment_ids: HashMap::new(),
            defaults: sweep::track_defaults(lab.mission),
            math: Vec::new(),
            figures,
        }
    }

    pub(crate) fn axis_name(&self, a: &Axis) -> String {
        match a {
            Axis::Track => "track".to_string(),
            Axis::Control(c) => self.lab.mission.controls[*c].id.clone(),
        }
    }

    pub(crate) fn shape_of(&self, axes: &[Axis]) -> Vec<usize> {
        grid::shape_of(self.lab, axes)
    }

    /// Every full state (track, positions) of a grid, in row-major order.
    pub(crate) fn states(&self, axes: &[Axis]) -> Vec<(usize, Vec<usize>)> {
        grid::states(self.lab, &self.defaults, axes)
    }

    pub(crate) fn intern_fragment(&mut self, html: String) -> usize {
        if let Some(&i) = self.fragment_ids.get(&html) {
            return i;
        }
        let i = self.fragments.len();
        self.fragment_ids.insert(html.clone(), i);
        self.fragments.push(html);
        i
    }

    pub(crate) fn add(
        &mut self,
        key: String,
        axes: &[Axis],
        fields: Vec<(&str, Vec<Value>)>,
    ) -> usize {
        if let Some(&i) = self.keys.get(&key) {
            return i;
        }
        let mut obj = Map::new();
        obj.insert(
            "dims".into(),
            json!(axes.iter().map(|a| self.axis_name(a)).collect::<Vec<_>>()),
        );
        obj.insert("shape".into(), json!(self.shape_of(axes)));
        for (name, values) in fields {
            // A field that is the same in every state is stored once.
            let constant = values.windows(2).all(|w| w[0] == w[1]);
            let v = if constant && !values.is_empty() {
                values[0].clone()
            } else {
                Value::Array(values)
            };
            obj.insert(name.into(), v);
        }
        let i = self.cells.len();
        self.cells.push(Value::Object(obj));
        self.keys.insert(key, i);
        i
    }

    /// A value cell: text, number and unit of a slot shown with `display`.
    pub(crate) fn value(
        &mut self,
        slot: usize,
        mode: Mode,
        display: &Display,
    ) -> Result<(usize, Shown), Diagnostics> {
        let table = self
            .lab
            .sweep
            .table(Request { slot, mode })
            .ok_or_else(|| {
                Diagnostics::internal(format_args!("no sweep for slot {slot} ({mode:?})"))
            })?;
        let key = format!("v:{slot}:{mode:?}:{:?}:{:?}", display.unit, display.digits);
        let shown: Vec<Shown> = table
            .values
            .iter()
            .map(|v| show(*v, &display.unit, display.digits))
            .collect();
        let initial = shown[table.index(0, &self.defaults[0])].clone();
        let axes = table.axes.clone();
        let i = self.add(
            key,
            &axes,
            vec![
                ("text", shown.iter().map(|s| json!(s.text)).collect()),
                ("number", shown.iter().map(|s| number(s.number)).collect()),
                ("unit", shown.iter().map(|s| json!(s.unit)).collect()),
            ],
        );
        Ok((i, initial))
    }

    /// The `<span>` for a value reference.
    pub(crate) fn value_span(
        &mut self,
        name: &str,
        slot: usize,
        mode: Mode,
        display: &Display,
    ) -> Result<String, Diagnostics> {
        let (cell, shown) = self.value(slot, mode, display)?;
        // A value at a named scenario says so: it does not follow the controls.
        let scenario = match mode
            .scenario()
            .and_then(|s| self.lab.mission.scenarios.get(s))
        {
            Some(s) => format!(" data-scenario=\"{}\"", escape::html(&s.id)),
            None => String::new(),
        };
        Ok(format!(
            "<span class=\"value\" data-value=\"{}\"{scenario} data-cell=\"{cell}\" data-number=\"{}\" data-unit=\"{}\">{}</span>",
            escape::html(name),
            crate::format::shortest(shown.number),
            escape::html(&shown.unit),
            escape::html(&shown.text)
        ))
    }

    /// Prose with its references replaced by value spans, as Markdown source.
    pub(crate) fn prose(&mut self, t: &Text, mode: Mode) -> Result<String, Diagnostics> {
        let pieces = prose::parse(&t.src).map_err(|e| {
            let mut d = Diagnostics::new();
            d.push(
                Diagnostic::error(Some(t.locate(&self.lab.mission.source, e.at)), e.message)
                    .with_hint(e.hint),
            );
            d
        })?;
        let mut out = String::with_capacity(t.src.len());
        for p in pieces {
            match p {
                Piece::Lit(s) => out.push_str(&self.inline_math(t, &s)?),
                Piece::Fact { text, source, .. } => out.push_str(&format!(
                    "<span class=\"fact\" title=\"Source: {}\">{}</span>",
                    escape::html(&source),
                    escape::html(&text)
                )),
                Piece::Ref(r) => {
                    let mode = ref_mode(self.lab.mission, &r, mode);
                    let slot = self.lab.model.slot(&r.name).ok_or_else(|| {
                        Diagnostics::internal(format_args!("unresolved name {}", r.name))
                    })?;
                    let display =
                        override_display(display_of(self.lab.mission, self.lab.model, slot), &r);
                    out.push_str(&self.value_span(&r.name, slot, mode, &display)?);
                }
            }
        }
        Ok(out)
    }

    /// Replaces `\\( ... \\)` in a literal run with KaTeX's MathML, so
    /// symbol lists in prose typeset like the equations they explain.
    pub(crate) fn inline_math(&mut self, t: &Text, s: &str) -> Result<String, Diagnostics> {
        let source = &self.lab.mission.source;
        markdown::stash_math(s, &mut self.math, |latex| {
            // `s` is one literal run of the text: find the math in the whole.
            let at = t.src.find(&format!("\\({latex}")).unwrap_or(0);
            math(latex, false).map_err(|m| {
                let mut d = Diagnostics::new();
                d.push(
                    Diagnostic::error(
                        Some(t.locate(source, at)),
                        format!("the LaTeX does not render: {m}"),
                    )
                    .with_hint("check the math between \\( and \\)"),
                );
                d
            })
        })
    }

    pub(crate) fn block(&mut self, t: &Text, mode: Mode) -> Result<String, Diagnostics> {
        let md = self.prose(t, mode)?;
        Ok(self.unstash(markdown::markdown(&md)))
    }

    pub(crate) fn inline(&mut self, t: &Text, mode: Mode) -> Result<String, Diagnostics> {
        let md = self.prose(t, mode)?;
        Ok(self.unstash(markdown::markdown_inline(&md)))
    }

    /// Puts the inline math stashed by [`Cells::inline_math`] back in place.
    pub(crate) fn unstash(&mut self, html: String) -> String {
        if self.math.is_empty() {
            return html;
        }
        let mut out = String::with_capacity(html.len());
        markdown::restore_math(&html, &self.math, |piece, _| out.push_str(piece));
        self.math.clear();
        out
    }

    pub(crate) fn opt_block(
        &mut self,
        t: &Option<Text>,
        mode: Mode,
    ) -> Result<Option<String>, Diagnostics> {
        t.as_ref().map(|t| self.block(t, mode)).transpose()
    }

    /// A text at one particular state, as plain text (for SVG titles).
    pub(crate) fn plain_at(&self, t: &Text, track: usize, pos: &[usize]) -> String {
        plain_text(self.lab, t, Mode::Live, track, pos)
    }

    /// The worked examples of a MathPeek: one block per scenario (or one
    /// following the controls), each a cell of precomputed MathML.
    pub(crate) fn worked(&mut self, w: &crate::mission::Worked) -> Result<Vec<Value>, Diagnostics> {
        let modes: Vec<Mode> = if w.at.is_empty() {
            vec![Mode::Live]
        } else {
            w.at.iter().map(|s| Mode::Scenario(*s as u16)).collect()
        };
        let slot = self
            .lab
            .model
            .slot(&w.formula)
            .ok_or_else(|| Diagnostics::internal(format_args!("unresolved {}", w.formula)))?;
        let mut blocks = Vec::new();
        for mode in modes {
            let mut axes = Vec::new();
            for s in crate::plan::worked_slots(self.lab.model, slot) {
                if let Some(t) = self.lab.sweep.table(Request { slot: s, mode }) {
                    axes.extend(t.axes.iter().copied());
                }
            }
            let axes = grid::union(axes);
            let defaults = match mode.scenario() {
                Some(_) => sweep::base_positions(self.lab.mission, mode),
                None => self.defaults.clone(),
            };
            let fixed = sweep::fixed_track(self.lab.mission, mode);
            let states = self.states(&axes);
            let mut ids = Vec::with_capacity(states.len());
            let mut cache: HashMap<String, usize> = HashMap::new();
            for (track, pos) in &states {
                let track = fixed.unwrap_or(*track);
                // In a scenario, controls sit at the scenario's positions.
                let pos = if mode.scenario().is_some() {
                    &defaults[track]
                } else {
                    pos
                };
                let latex = worked_latex(self.lab, &w.formula, mode, track, pos);
                let id = match cache.get(&latex) {
                    Some(&id) => id,
                    None => {
                        let html = math(&latex, true).map_err(|e| {
                            let mut d = Diagnostics::new();
                            d.push(
                                Diagnostic::error(
                                    Some(w.loc.clone()),
                                    format!("the worked example does not render: {e}"),
                                )
                                .with_hint("give the names a valid `tex:` symbol"),
                            );
                            d
                        })?;
                        let id = self.intern_fragment(html);
                        cache.insert(latex, id);
                        id
                    }
                };
                ids.push(json!(id));
            }
            let initial = states
                .iter()
                .position(|(t, p)| *t == 0 && *p == self.defaults[0])
                .unwrap_or(0);
            let first = ids[initial].as_u64().unwrap_or(0) as usize;
            let cell = self.add(
                format!("worked:{}:{mode:?}", w.loc),
                &axes,
                vec![("html", ids)],
            );
            let label = match self.lab.model.slots[slot] {
                Slot::Formula(f) => self.lab.mission.formulas[f].label.clone(),
                _ => w.formula.clone(),
            };
            let title = match mode
                .scenario()
                .and_then(|s| self.lab.mission.scenarios.get(s))
            {
                Some(s) => format!("{label}, {}", s.label),
                None => format!("{label}, at the simulator's current settings"),
            };
            blocks.push(json!({"title": title, "cell": cell, "html": self.fragments[first]}));
        }
        Ok(blocks)
    }

    pub(crate) fn live_table(&self, name: &str) -> Result<&'a Table, Diagnostics> {
        grid::live_table(self.lab, name)
    }
}

/// A JSON number for a displayed value (JSON has no NaN).
pub(crate) fn number(n: f64) -> Value {
    if n.is_finite() {
        json!(n)
    } else {
        Value::Null
    }
}

pub(crate) fn on_cell(
    cells: &mut Cells,
    key: String,
    axes: &[Axis],
    on: Vec<bool>,
) -> (usize, bool) {
    let initial_state = cells
        .states(axes)
        .iter()
        .position(|(t, pos)| *t == 0 && *pos == cells.defaults[0])
        .unwrap_or(0);
    let initial = on.get(initial_state).copied().unwrap_or(false);
    let i = cells.add(
        key,
        axes,
        vec![("on", on.iter().map(|b| json!(u8::from(*b))).collect())],
    );
    (i, initial)
}
