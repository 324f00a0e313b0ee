//! The model side of the browser tests: every bundled lab loaded through
//! the library's public API (`config::load`, `mission::load_all`,
//! `model::compile`, `Model::eval`), and what each value shown on a page
//! must be at a state. Expectations come from here, never from the page.

use labgen::format::prose::Piece;
use labgen::mission::{ControlKind, Display, Instrument, Mission};
use labgen::model::Model;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use super::LAB_PAGE;

/// Every bundled lab, in the order the book lists them, loaded once per
/// process.
pub fn labs() -> &'static [Lab] {
    static LABS: OnceLock<Vec<Lab>> = OnceLock::new();
    LABS.get_or_init(|| Lab::load_all(crate::util::root()))
}

/// The lab that builds [`LAB_PAGE`].
pub fn lab() -> &'static Lab {
    labs()
        .iter()
        .find(|l| format!("{}.html", l.mission.id) == LAB_PAGE)
        .unwrap_or_else(|| panic!("no bundled mission builds {LAB_PAGE}"))
}

/// The bundled lab, loaded through the library's public API.
pub struct Lab {
    pub mission: Mission,
    pub model: Model,
    /// Default control positions per track.
    pub defaults: Vec<Vec<usize>>,
    /// Every way a name is displayed on the page: its own display plus the
    /// per-reference overrides (`{{ gpu_util .1 }}`) found in the prose.
    pub displays: BTreeMap<String, Vec<Display>>,
}

impl Lab {
    /// Every bundled lab, in the order the book lists them.
    pub fn load_all(root: &Path) -> Vec<Lab> {
        let config =
            labgen::config::load(root).unwrap_or_else(|d| panic!("book.toml does not load:\n{d}"));
        let (missions, diags) = labgen::mission::load_all(root, &root.join(&config.missions));
        assert!(!diags.has_errors(), "the missions do not load:\n{diags}");
        missions.into_iter().map(Lab::new).collect()
    }

    pub fn new(mission: Mission) -> Lab {
        let model = labgen::model::compile(&mission)
            .unwrap_or_else(|d| panic!("the model of `{}` does not compile:\n{d}", mission.id));
        let defaults = labgen::sweep::track_defaults(&mission);
        let mut displays: BTreeMap<String, Vec<Display>> = BTreeMap::new();
        for name in model.index.keys() {
            let slot = model.slot(name).expect("indexed name has a slot");
            let base = labgen::plan::display_of(&mission, &model, slot).clone();
            displays.insert(name.clone(), vec![base]);
        }
        for (text, _, _) in labgen::plan::text_fields(&mission) {
            let Ok(pieces) = labgen::format::prose::parse(&text.src) else {
                continue;
            };
            for piece in pieces {
                let Piece::Ref(r) = piece else { continue };
                let Some(list) = displays.get_mut(&r.name) else {
                    continue;
                };
                // Same rule as the renderer: a unit override drops the
                // name's own digits, a digits override keeps its unit.
                let d = Display {
                    unit: r.unit.clone().unwrap_or_else(|| list[0].unit.clone()),
                    digits: r.digits.or(if r.unit.is_some() {
                        None
                    } else {
                        list[0].digits
                    }),
                };
                if !list.contains(&d) {
                    list.push(d);
                }
            }
        }
        // A task's answer is shown in the unit the student answers in.
        for t in mission.acts.iter().flat_map(|a| &a.tasks) {
            let Some(slot) = model.slot(&t.answer) else {
                continue;
            };
            let d = labgen::plan::task_display(&mission, &model, t, slot).clone();
            if let Some(list) = displays.get_mut(&t.answer) {
                if !list.contains(&d) {
                    list.push(d);
                }
            }
        }
        Lab {
            mission,
            model,
            defaults,
            displays,
        }
    }

    pub fn control_index(&self, id: &str) -> usize {
        self.mission
            .controls
            .iter()
            .position(|c| c.id == id)
            .unwrap_or_else(|| panic!("the mission has no control `{id}`"))
    }

    pub fn track_index(&self, id: &str) -> usize {
        self.mission
            .tracks
            .iter()
            .position(|t| t.id == id)
            .unwrap_or_else(|| panic!("the mission has no track `{id}`"))
    }

    /// Position of an option key of a select control.
    pub fn key_position(&self, control: &str, key: &str) -> usize {
        let c = &self.mission.controls[self.control_index(control)];
        c.positions
            .iter()
            .position(|p| p.key == key)
            .unwrap_or_else(|| panic!("control `{control}` has no option `{key}`"))
    }

    /// Every slot's value (base units) at a state.
    pub fn eval(&self, state: &State) -> Vec<f64> {
        let mut buf = vec![0.0; self.model.len()];
        self.model.eval(state.track, &state.positions, &mut buf);
        buf
    }

    /// Readable form of a state, for messages.
    pub fn describe(&self, state: &State) -> String {
        let mut parts = vec![format!("track={}", self.mission.tracks[state.track].id)];
        for (c, p) in self.mission.controls.iter().zip(&state.positions) {
            parts.push(format!("{}={}", c.id, c.positions[*p].label));
        }
        parts.join(", ")
    }

    /// Controls any plot of `act` depends on (series and title references).
    pub fn plot_controls(&self, act: &str) -> BTreeSet<usize> {
        let mut deps = BTreeSet::new();
        let sim = self
            .mission
            .acts
            .iter()
            .find(|a| a.id == act)
            .and_then(|a| a.simulator.as_ref())
            .unwrap_or_else(|| panic!("act `{act}` has no simulator"));
        for inst in &sim.instruments {
            let Instrument::Plot(p) = inst else { continue };
            let mut names: Vec<String> = p.series.iter().map(|s| s.value.clone()).collect();
            if let Ok(pieces) = labgen::format::prose::parse(&p.title.src) {
                names.extend(pieces.into_iter().filter_map(|piece| match piece {
                    Piece::Ref(r) => Some(r.name),
                    Piece::Lit(_) | Piece::Fact { .. } => None,
                }));
            }
            for n in names {
                let slot = self.model.slot(&n).expect("plot names resolve");
                deps.extend(self.model.controls_of[slot].iter().copied());
            }
        }
        deps
    }

    /// Names of the metric cards of an act's simulator.
    pub fn metric_names(&self, act: &str) -> Vec<String> {
        self.mission
            .acts
            .iter()
            .find(|a| a.id == act)
            .and_then(|a| a.simulator.as_ref())
            .map(|sim| {
                sim.instruments
                    .iter()
                    .filter_map(|i| match i {
                        Instrument::Metric { value, .. } => Some(value.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A full state: a track and a position per control.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub track: usize,
    pub positions: Vec<usize>,
}

/// The number a value shows in `unit`: base value / the unit's factor; a
/// ratio times 100 for `%`; the bare value for no unit. `y` is the label
/// durations use for years (365 days).
pub fn in_unit(base: f64, unit: &str) -> Result<f64, String> {
    match unit {
        "%" => Ok(base * 100.0),
        "" => Ok(base),
        "y" => in_unit(base, "year"),
        u => labgen::units::parse_unit(u)
            .map(|parsed| base / parsed.factor)
            .map_err(|e| format!("the unit parser rejects data-unit {u:?}: {e}")),
    }
}

pub fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

/// The input value that puts control `c` at position `p`: an option key, a
/// slider value (in display units for evenly spaced sliders, else the stop
/// index), or `1`/`0` for a toggle. Also the sweep's kind of input.
pub fn input_value(c: &labgen::mission::Control, p: usize) -> (&'static str, String) {
    match &c.kind {
        ControlKind::Select => ("select", c.positions[p].key.clone()),
        ControlKind::Toggle => ("checkbox", if p == 1 { "1" } else { "0" }.to_string()),
        ControlKind::Slider {
            uniform: Some((lo, step)),
        } => {
            let v = lo + p as f64 * step;
            ("range", format!("{}", (v * 1e9).round() / 1e9))
        }
        ControlKind::Slider { uniform: None } => ("range", p.to_string()),
    }
}
