//! The Typst source of one lab, section by section: the header, the
//! deployment contexts, and per act the story, the questions, the
//! simulator's instruments and scenarios, the tasks and the MathPeek.
//! The print tables (scenarios, task answers, constants) are in
//! [`super::tables`].

use super::markup::{array, escape, markdown, string, MathError};
use super::tables::{explore_table, task_answers};
use super::{Document, Edition, MathConverter};
use crate::book::plain::plain_text;
use crate::book::{status_level, Lab, Which};
use crate::diag::{Diagnostic, Diagnostics};
use crate::format::show;
use crate::mission::{
    Act, Badge, Instrument, Level, MathPeek, Mission, PlotSpec, Question, Simulator, Text, Tone,
    Worked,
};
use crate::model::Slot;
use crate::plan::display_of;
use crate::render::{figure_path, worked_lines, Figures};
use crate::sweep::{self, Mode};
use std::fmt::Write as _;

/// Virtual files of the document, by absolute path.
type Files = Vec<(String, Vec<u8>)>;

/// Writes one lab.
pub(super) fn lab(
    doc: &mut Document,
    lab: &Lab,
    edition: Edition,
    to_math: MathConverter,
    figures: &Figures,
) -> Result<(), Diagnostics> {
    let w = LabWriter::new(lab, edition, to_math, figures);
    let mut s = String::new();
    w.header(&mut s)?;
    w.contexts(&mut s)?;
    for (ai, act) in lab.mission.acts.iter().enumerate() {
        w.act(&mut s, &mut doc.files, ai, act)?;
    }
    doc.source.push_str(&s);
    Ok(())
}

/// What every section of one lab reads: the lab, the edition, and the
/// values at the first track's defaults (print shows the lab there).
struct LabWriter<'a> {
    lab: &'a Lab<'a>,
    m: &'a Mission,
    edition: Edition<'a>,
    /// The key edition: answers, feedback, reveals and explanations.
    key: bool,
    to_math: MathConverter<'a>,
    figures: &'a Figures,
    /// Control positions at each track's defaults.
    defaults: Vec<Vec<usize>>,
    /// Every slot's value at the first track's defaults.
    here: Vec<f64>,
}

impl<'a> LabWriter<'a> {
    fn new(
        lab: &'a Lab<'a>,
        edition: Edition<'a>,
        to_math: MathConverter<'a>,
        figures: &'a Figures,
    ) -> Self {
        let m = lab.mission;
        let defaults = sweep::track_defaults(m);
        let mut here = vec![0.0; lab.model.len()];
        lab.model.eval(0, &defaults[0], &mut here);
        Self {
            lab,
            m,
            edition,
            key: matches!(edition, Edition::Key(_)),
            to_math,
            figures,
            defaults,
            here,
        }
    }

    /// Prose at the first track's defaults, as Typst content.
    fn prose(&self, t: &Text, mode: Mode) -> Result<String, Diagnostics> {
        let md = plain_text(self.lab, t, mode, 0, &self.defaults[0]);
        markdown(&md, self.to_math)
            .map(|c| format!("[{c}]"))
            .map_err(|e| located(self.m, t, &e))
    }

    /// Optional prose as Typst content, or `none`.
    fn prose_or_none(&self, t: Option<&Text>, mode: Mode) -> Result<String, Diagnostics> {
        match t {
            Some(t) => self.prose(t, mode),
            None => Ok("none".into()),
        }
    }

    /// A value at the first track's defaults, as its card shows it.
    fn shown(&self, name: &str) -> String {
        let model = self.lab.model;
        match model.slot(name) {
            Some(slot) => {
                let d = display_of(self.m, model, slot);
                show(self.here[slot], &d.unit, d.digits).text
            }
            None => String::new(),
        }
    }

    /// Whether the condition held by hidden formula `name` holds.
    fn holds(&self, name: &str) -> bool {
        self.lab
            .model
            .slot(name)
            .is_some_and(|x| self.here[x] != 0.0)
    }

    /// The lab's heading with its facts, the core invariant and the
    /// reading list.
    fn header(&self, s: &mut String) -> Result<(), Diagnostics> {
        let m = self.m;
        let mut meta = Vec::new();
        if let Some(d) = &m.duration {
            meta.push(array([string("Duration"), string(d)]));
        }
        meta.push(array([string("Acts"), string(&m.acts.len().to_string())]));
        if m.has_track_selector {
            meta.push(array([string("Shown for"), string(&m.tracks[0].label)]));
        }
        let _ = writeln!(
            s,
            "\n#lab({}, subtitle: {}, number: {}, meta: {})",
            string(&m.title),
            self.prose_or_none(m.subtitle.as_ref(), Mode::Pinned)?,
            m.chapter.as_deref().map_or("none".to_string(), string),
            array(meta)
        );
        if let Some(c) = &m.core_invariant {
            let _ = writeln!(
                s,
                "#banner(\"info\", \"Core invariant\", {})",
                self.prose(c, Mode::Pinned)?
            );
        }
        if !m.reading.is_empty() {
            let mut items = Vec::new();
            for r in &m.reading {
                let why = self.prose_or_none(r.why.as_ref(), Mode::Pinned)?;
                items.push(format!(
                    "(title: {}, note: {why}, section: {})",
                    string(&r.title),
                    r.section.as_deref().map_or("none".to_string(), string)
                ));
            }
            let _ = writeln!(s, "#reading-list({})", array(items));
        }
        Ok(())
    }

    /// The deployment contexts (tracks), each with its summary, for a lab
    /// that lets the reader choose one.
    fn contexts(&self, s: &mut String) -> Result<(), Diagnostics> {
        let m = self.m;
        if !m.has_track_selector {
            return Ok(());
        }
        let _ = writeln!(s, "\n#strong[Deployment contexts.] This edition prints every number for #strong[{}]; the HTML book shows each context's own.\n", escape(&m.tracks[0].label));
        for (ti, t) in m.tracks.iter().enumerate() {
            let summary = match &t.summary {
                Some(x) => {
                    let md = plain_text(self.lab, x, Mode::Pinned, ti, &self.defaults[ti]);
                    markdown(&md, self.to_math).map_err(|e| located(m, x, &e))?
                }
                None => String::new(),
            };
            let _ = writeln!(
                s,
                "- #strong[{}]: {}",
                escape(&t.label),
                summary.replace('\n', " ")
            );
        }
        s.push('\n');
        Ok(())
    }

    /// One act, in the order a reader meets it.
    fn act(
        &self,
        s: &mut String,
        files: &mut Files,
        ai: usize,
        act: &Act,
    ) -> Result<(), Diagnostics> {
        self.story(s, ai, act)?;
        if let Some(q) = &act.prediction {
            let correct = self.key.then(|| self.lab.correct(ai, Which::Prediction));
            self.question(s, q, "Prediction", correct)?;
        }
        if let Some(sim) = &act.simulator {
            self.simulator(s, files, ai, act, sim)?;
        }
        self.tasks(s, act)?;
        if self.key {
            if let Some(r) = &act.reveal {
                let _ = writeln!(
                    s,
                    "#banner(\"info\", \"Prediction vs reality\", {})",
                    self.prose(r, Mode::Live)?
                );
            }
        }
        if let Some(q) = &act.reflection {
            let correct = self.key.then(|| self.lab.correct(ai, Which::Reflection));
            self.question(s, q, "Reflection", correct)?;
        }
        if let Some(mp) = &act.mathpeek {
            self.mathpeek(s, mp)?;
        }
        Ok(())
    }

    /// The act's heading, its story, and the first track's stakeholder.
    fn story(&self, s: &mut String, ai: usize, act: &Act) -> Result<(), Diagnostics> {
        let _ = writeln!(
            s,
            "\n#act({}, duration: {}, number: {})",
            string(&act.title),
            act.duration.as_deref().map_or("none".to_string(), string),
            ai + 1
        );
        if let Some(t) = &act.story {
            let _ = writeln!(s, "{}\n", inner(&self.prose(t, Mode::Pinned)?));
        }
        if let Some(st) = act
            .stakeholders
            .iter()
            .find(|x| x.track.is_none_or(|t| t == 0))
        {
            let _ = writeln!(
                s,
                "#stakeholder({}, {})",
                string(&st.from),
                self.prose(&st.message, Mode::Pinned)?
            );
        }
        Ok(())
    }

    /// Writes a printed multiple-choice question; the key edition passes
    /// the correct option, and gets the feedback too.
    fn question(
        &self,
        s: &mut String,
        q: &Question,
        label: &str,
        correct: Option<&str>,
    ) -> Result<(), Diagnostics> {
        let mut options = Vec::new();
        for o in &q.options {
            let mut parts = vec![string(&o.key), self.prose(&o.text, Mode::Pinned)?];
            if correct.is_some() {
                parts.push(self.prose(&o.feedback, Mode::Pinned)?);
            }
            options.push(array(parts));
        }
        let _ = writeln!(
            s,
            "#question({}, {}, answer: {}, label: {})",
            self.prose(&q.prompt, Mode::Pinned)?,
            array(options),
            correct.map_or_else(|| "none".into(), string),
            string(label)
        );
        Ok(())
    }

    /// The simulator at its defaults: the controls' settings, the
    /// instruments, and the states its scenarios lead to.
    fn simulator(
        &self,
        s: &mut String,
        files: &mut Files,
        ai: usize,
        act: &Act,
        sim: &Simulator,
    ) -> Result<(), Diagnostics> {
        let _ = writeln!(s, "\n#kicker[Simulator]\n");
        if let Some(t) = &sim.intro {
            let _ = writeln!(s, "{}\n", inner(&self.prose(t, Mode::Pinned)?));
        }
        self.controls_table(s, sim);
        self.instruments(s, files, act, sim)?;
        explore_table(s, self.lab, ai);
        Ok(())
    }

    /// Each control with the setting shown and its range.
    fn controls_table(&self, s: &mut String, sim: &Simulator) {
        if sim.controls.is_empty() {
            return;
        }
        let rows = sim.controls.iter().map(|&c| {
            let control = &self.m.controls[c];
            let range = match (control.positions.first(), control.positions.last()) {
                (Some(a), Some(b)) if control.positions.len() > 1 => {
                    format!("{} … {}", a.label, b.label)
                }
                _ => String::new(),
            };
            array([
                string(&control.label),
                string(&control.positions[self.defaults[0][c]].label),
                string(&range),
            ])
        });
        let _ = writeln!(
            s,
            "#states-table((\"Control\", \"Setting shown\", \"Range\"), {}, align: (left, left, left))",
            array(rows)
        );
    }

    /// The instruments in order; consecutive metric cards share a grid.
    fn instruments(
        &self,
        s: &mut String,
        files: &mut Files,
        act: &Act,
        sim: &Simulator,
    ) -> Result<(), Diagnostics> {
        let mut cards = Vec::new();
        for (k, inst) in sim.instruments.iter().enumerate() {
            if let Instrument::Metric {
                value, label, note, ..
            } = inst
            {
                let label = label.clone().unwrap_or_else(|| slot_label(self.lab, value));
                let note = self.prose_or_none(note.as_ref(), Mode::Live)?;
                cards.push(array([string(&label), string(&self.shown(value)), note]));
                continue;
            }
            flush(s, &mut cards);
            match inst {
                Instrument::Metric { .. } => {}
                Instrument::Status {
                    label,
                    value,
                    levels,
                    ..
                } => self.status(s, label, value.as_ref().map(|(v, _)| v.as_str()), levels)?,
                Instrument::Badges(list) => self.badges(s, list)?,
                Instrument::Banner {
                    when,
                    tone,
                    title,
                    text,
                } => self.banner(s, when, *tone, title, text.as_ref())?,
                Instrument::Plot(p) => self.plot(s, files, act, k, p)?,
            }
        }
        flush(s, &mut cards);
        Ok(())
    }

    /// A status card at the first level whose condition holds.
    fn status(
        &self,
        s: &mut String,
        label: &str,
        value: Option<&str>,
        levels: &[Level],
    ) -> Result<(), Diagnostics> {
        let k = status_level(levels, |l| l.when.as_ref().is_none_or(|w| self.holds(w)));
        let Some(l) = levels.get(k) else {
            return Ok(());
        };
        let word = match value {
            Some(v) => format!("{} ({})", l.label, self.shown(v)),
            None => l.label.clone(),
        };
        let note = self.prose_or_none(l.note.as_ref(), Mode::Live)?;
        let _ = writeln!(
            s,
            "#status({}, {}, {}, note: {note})",
            string(label),
            string(&word),
            string(l.tone.as_str())
        );
        Ok(())
    }

    /// Constraint pills, each met or not met.
    fn badges(&self, s: &mut String, list: &[Badge]) -> Result<(), Diagnostics> {
        for b in list {
            let ok = self.holds(&b.ok);
            let (t, tone) = if ok {
                (&b.good, "good")
            } else {
                (&b.bad, "bad")
            };
            let _ = writeln!(
                s,
                "#status(\"Constraint\", {}, {}, note: {})",
                string(if ok { "met" } else { "not met" }),
                string(tone),
                self.prose(t, Mode::Live)?
            );
        }
        Ok(())
    }

    /// A banner, printed only when its condition holds.
    fn banner(
        &self,
        s: &mut String,
        when: &str,
        tone: Tone,
        title: &Text,
        text: Option<&Text>,
    ) -> Result<(), Diagnostics> {
        if !self.holds(when) {
            return Ok(());
        }
        let body = match text {
            Some(t) => self.prose(t, Mode::Live)?,
            None => "[]".into(),
        };
        let _ = writeln!(
            s,
            "#banner({}, {}, {body})",
            string(tone.as_str()),
            self.prose(title, Mode::Live)?
        );
        Ok(())
    }

    /// Plot `k` of the act: its SVG becomes a virtual file of the document.
    fn plot(
        &self,
        s: &mut String,
        files: &mut Files,
        act: &Act,
        k: usize,
        p: &PlotSpec,
    ) -> Result<(), Diagnostics> {
        let path = figure_path(&self.m.id, &act.id, k);
        let Some(svg) = self.figures.get(&path) else {
            return Err(Diagnostics::internal(format_args!(
                "no figure drawn for {path}"
            )));
        };
        let title = plain_text(self.lab, &p.title, Mode::Live, 0, &self.defaults[0]);
        let _ = writeln!(
            s,
            "#figure-svg({}, caption: {})",
            string(&path),
            string(&title)
        );
        files.push((path, svg.clone().into_bytes()));
        Ok(())
    }

    /// The tasks: an answer line for students, the answers per track (and
    /// the explanation) for graders.
    fn tasks(&self, s: &mut String, act: &Act) -> Result<(), Diagnostics> {
        for t in &act.tasks {
            let _ = writeln!(
                s,
                "\n#kicker[Task] {}\n",
                inner(&self.prose(&t.prompt, Mode::Pinned)?)
            );
            match self.edition {
                Edition::Student => {
                    let unit = task_unit(self.lab, t);
                    let _ = writeln!(
                        s,
                        "Your answer: #box(width: 4cm, stroke: (bottom: 0.5pt))[] {}\n",
                        escape(&unit)
                    );
                }
                Edition::Key(k) => {
                    task_answers(s, k, &self.m.id, &format!("{}.{}", act.id, t.id));
                }
            }
            if self.key {
                if let Some(e) = &t.explain {
                    let _ = writeln!(s, "{}\n", inner(&self.prose(e, Mode::Pinned)?));
                }
            }
        }
        Ok(())
    }

    /// The MathPeek panel: the equation, its symbols, and the worked
    /// examples.
    fn mathpeek(&self, s: &mut String, mp: &MathPeek) -> Result<(), Diagnostics> {
        let eq = (self.to_math)(&mp.latex.src).map_err(|e| {
            let mut d = Diagnostics::new();
            d.push(
                Diagnostic::error(
                    Some(mp.latex.loc.clone()),
                    format!("the LaTeX does not convert for the PDF: {e}"),
                )
                .with_hint("simplify the equation, or check it against Typst's math (via mitex)"),
            );
            d
        })?;
        let where_body = self.prose_or_none(mp.where_.as_ref(), Mode::Pinned)?;
        let assumptions = self.prose_or_none(mp.assumptions.as_ref(), Mode::Pinned)?;
        let mut steps = Vec::new();
        for w in &mp.worked {
            self.worked(&mut steps, w)?;
        }
        let _ = writeln!(
            s,
            "#mathpeek({}, $ {eq} $, where-body: {where_body}, worked: {}, assumptions: {assumptions})",
            string(&mp.title),
            array(steps)
        );
        Ok(())
    }

    /// The lines of one worked example, at each scenario it names (or at
    /// the settings shown), as `(tag, one line, broken)` arrays.
    fn worked(&self, steps: &mut Vec<String>, w: &Worked) -> Result<(), Diagnostics> {
        let m = self.m;
        let modes: Vec<Mode> = if w.at.is_empty() {
            vec![Mode::Live]
        } else {
            w.at.iter().map(|s| Mode::Scenario(*s as u16)).collect()
        };
        for mode in modes {
            let track = sweep::fixed_track(m, mode).unwrap_or(0);
            let pos = match mode {
                Mode::Scenario(_) => sweep::base_positions(m, mode)[track].clone(),
                _ => self.defaults[0].clone(),
            };
            let label = match mode.scenario().and_then(|i| m.scenarios.get(i)) {
                Some(sc) => sc.label.clone(),
                None => "At the settings shown".to_string(),
            };
            for (n, parts) in worked_lines(self.lab, &w.formula, mode, track, &pos)
                .iter()
                .enumerate()
            {
                let mut sides = Vec::with_capacity(parts.len());
                for part in parts {
                    sides.push((self.to_math)(part).map_err(|e| {
                        let mut d = Diagnostics::new();
                        d.push(Diagnostic::error(
                            Some(w.loc.clone()),
                            format!("the worked example does not convert for the PDF: {e}"),
                        ));
                        d
                    })?);
                }
                let tag = if n == 0 { label.clone() } else { String::new() };
                // One line, and the same broken before each `=` for when
                // one line does not fit.
                let (one, broken) = worked_forms(&sides);
                steps.push(array([string(&tag), one, broken]));
            }
        }
        Ok(())
    }
}

/// Writes the pending metric cards as one grid.
fn flush(s: &mut String, cards: &mut Vec<String>) {
    if !cards.is_empty() {
        let _ = writeln!(s, "#metric-grid({})", array(cards.drain(..)));
    }
}

/// A worked-example line from the Typst math of its sides: on one line,
/// and aligned on `=` with a line per side after the first two (for
/// `mathpeek` to use when one line would not fit).
fn worked_forms(sides: &[String]) -> (String, String) {
    let one = format!("$ {} $", sides.join(" = "));
    let mut broken = String::from("$ ");
    for (i, side) in sides.iter().enumerate() {
        match i {
            0 => {}
            1 => broken.push_str(" &= "),
            _ => broken.push_str(" \\\n  &= "),
        }
        broken.push_str(side);
    }
    broken.push_str(" $");
    (one, broken)
}

/// The content inside `[...]`.
fn inner(content: &str) -> &str {
    content
        .strip_prefix('[')
        .and_then(|c| c.strip_suffix(']'))
        .unwrap_or(content)
}

/// A diagnostic for prose whose inline math does not convert, located at
/// the `\(` that opens it (values are filled in outside math, so the LaTeX
/// reads in the mission as it reached the converter).
fn located(m: &Mission, t: &Text, e: &MathError) -> Diagnostics {
    let at = t
        .src
        .find(&format!("\\({}", e.latex))
        .or_else(|| t.src.find(&e.latex).map(|i| i.saturating_sub(2)))
        .unwrap_or(0);
    let mut d = Diagnostics::new();
    d.push(
        Diagnostic::error(
            Some(t.locate(&m.source, at)),
            format!("the inline math does not convert for the PDF: {e}"),
        )
        .with_hint("check the math between \\( and \\)"),
    );
    d
}

/// The label of a formula, constant or control, or its name.
pub(super) fn slot_label(lab: &Lab, name: &str) -> String {
    let m = lab.mission;
    match lab.model.slot(name).map(|s| lab.model.slots[s]) {
        Some(Slot::Formula(f)) => m.formulas[f].label.clone(),
        Some(Slot::Constant(c)) => m.constants[c].label.clone(),
        Some(Slot::Control(c)) => m.controls[c].label.clone(),
        None => name.to_string(),
    }
}

/// The unit a task is answered in.
fn task_unit(lab: &Lab, t: &crate::mission::Task) -> String {
    let Some(slot) = lab.model.slot(&t.answer) else {
        return String::new();
    };
    let d = crate::plan::task_display(lab.mission, lab.model, t, slot);
    show(1.0, &d.unit, d.digits).unit
}
