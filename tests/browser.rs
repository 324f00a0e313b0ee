//! End-to-end browser test of the bundled lab book.
//!
//! Builds the bundled book in memory (`labgen::build`), writes it into a
//! temporary folder with `labgen::output::write_atomically`, and opens
//! `data-gravity-trap.html` from disk (`file://`) in headless Chromium. With
//! real clicks, key presses and input events it then proves that:
//!
//! * the page makes no network request: every request Chromium reports, and
//!   every Performance entry, is a `file:` URL; and no `src`/`href`/`url()`
//!   in the written files points at `http(s)://` (a plain Rust check);
//! * the prediction lock gates the simulator, the reveal and the
//!   reflection: submitting without a choice shows the lock message;
//!   choosing B (mouse) opens them, echoes B's text, shows only B's
//!   feedback and disables the radios; a second lock is completed with the
//!   keyboard only (Tab, Space, ArrowDown, Tab, Enter);
//! * after every control move (select `change`, slider key presses, slider
//!   `input`, track radio click) every shown number is right: each live
//!   value (simulator, reveal text, worked example) has the `data-number`
//!   and `data-unit` the model gives at the state read back from the DOM
//!   inputs, and each pinned value (story, stakeholder, questions, track
//!   summaries) the model's value at the current track's default state.
//!   Expectations come from the library (`config::load`,
//!   `mission::load_all`, `model::compile`, `Model::eval`), never from the
//!   page's JSON;
//! * plot SVGs are swapped when a control they depend on moves (and left
//!   alone when it does not), and each has `role="img"` and a `<title>`;
//! * the page throws no script error.
//!
//! Skipping: without a Chromium binary (`/usr/bin/chromium`, or
//! `chromium`, `chromium-browser`, `google-chrome` on `PATH`) the test prints
//! a loud note to stderr and passes, unless `LABGEN_REQUIRE_BROWSER=1` is
//! set (as CI does), in which case it fails.

use anyhow::{anyhow, bail, Context, Result};
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::Network;
use headless_chrome::{Browser, LaunchOptions, Tab};
use labgen::format::{show, DisplayUnit};
use labgen::mission::{ControlKind, Display, Instrument, Mission};
use labgen::model::Model;
use labgen::text::Piece;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The lab page under test.
const LAB_PAGE: &str = "data-gravity-trap.html";
/// Fewest live values an act with a simulator must show in every state, so
/// the value checks cannot pass by finding nothing.
const MIN_LIVE_PER_ACT: usize = 10;
/// Fewest pinned values the page must show in every state.
const MIN_PINNED: usize = 10;
/// How long to wait for the page to react before failing.
const WAIT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------
// The model side: what every value should be, from the library.
// ---------------------------------------------------------------------------

/// The bundled lab, loaded through the library's public API.
struct Lab {
    mission: Mission,
    model: Model,
    /// Default control positions per track.
    defaults: Vec<Vec<usize>>,
    /// Every way a name is displayed on the page: its own display plus the
    /// per-reference overrides (`{{ gpu_util .1 }}`) found in the prose.
    displays: BTreeMap<String, Vec<Display>>,
}

impl Lab {
    fn load(root: &Path) -> Lab {
        let config =
            labgen::config::load(root).unwrap_or_else(|d| panic!("book.toml does not load:\n{d}"));
        let (missions, diags) = labgen::mission::load_all(root, &root.join(&config.missions));
        assert!(!diags.has_errors(), "the missions do not load:\n{diags}");
        let mission = missions
            .into_iter()
            .find(|m| format!("{}.html", m.id) == LAB_PAGE)
            .unwrap_or_else(|| panic!("no bundled mission builds {LAB_PAGE}"));
        let model = labgen::model::compile(&mission)
            .unwrap_or_else(|d| panic!("the model does not compile:\n{d}"));
        let defaults = labgen::sweep::track_defaults(&mission);
        let mut displays: BTreeMap<String, Vec<Display>> = BTreeMap::new();
        for name in model.index.keys() {
            let slot = model.slot(name).expect("indexed name has a slot");
            let base = labgen::plan::display_of(&mission, &model, slot).clone();
            displays.insert(name.clone(), vec![base]);
        }
        for (text, _, _) in labgen::plan::text_fields(&mission) {
            let Ok(pieces) = labgen::text::parse(&text.src) else {
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
        Lab {
            mission,
            model,
            defaults,
            displays,
        }
    }

    fn control_index(&self, id: &str) -> usize {
        self.mission
            .controls
            .iter()
            .position(|c| c.id == id)
            .unwrap_or_else(|| panic!("the mission has no control `{id}`"))
    }

    fn track_index(&self, id: &str) -> usize {
        self.mission
            .tracks
            .iter()
            .position(|t| t.id == id)
            .unwrap_or_else(|| panic!("the mission has no track `{id}`"))
    }

    /// Position of an option key of a select control.
    fn key_position(&self, control: &str, key: &str) -> usize {
        let c = &self.mission.controls[self.control_index(control)];
        c.positions
            .iter()
            .position(|p| p.key == key)
            .unwrap_or_else(|| panic!("control `{control}` has no option `{key}`"))
    }

    /// Every slot's value (base units) at a state.
    fn eval(&self, state: &State) -> Vec<f64> {
        let mut buf = vec![0.0; self.model.len()];
        self.model.eval(state.track, &state.positions, &mut buf);
        buf
    }

    /// Readable form of a state, for messages.
    fn describe(&self, state: &State) -> String {
        let mut parts = vec![format!("track={}", self.mission.tracks[state.track].id)];
        for (c, p) in self.mission.controls.iter().zip(&state.positions) {
            parts.push(format!("{}={}", c.id, c.positions[*p].label));
        }
        parts.join(", ")
    }

    /// Controls any plot of `act` depends on (series and title references).
    fn plot_controls(&self, act: &str) -> BTreeSet<usize> {
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
            if let Ok(pieces) = labgen::text::parse(&p.title.src) {
                names.extend(pieces.into_iter().filter_map(|piece| match piece {
                    Piece::Ref(r) => Some(r.name),
                    Piece::Lit(_) => None,
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
    fn metric_names(&self, act: &str) -> Vec<String> {
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
struct State {
    track: usize,
    positions: Vec<usize>,
}

/// The number a value shows in `unit`: base value / the unit's factor; a
/// ratio times 100 for `%`; the bare value for no unit.
fn in_unit(base: f64, unit: &str) -> Result<f64, String> {
    match unit {
        "%" => Ok(base * 100.0),
        "" => Ok(base),
        u => labgen::units::parse_unit(u)
            .map(|parsed| base / parsed.factor)
            .map_err(|e| format!("the unit parser rejects data-unit {u:?}: {e}")),
    }
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

// ---------------------------------------------------------------------------
// The page side.
// ---------------------------------------------------------------------------

/// One `data-value` element as the page shows it.
#[derive(Debug, serde::Deserialize)]
struct ShownValue {
    name: String,
    number: Option<String>,
    unit: Option<String>,
    text: String,
    act: Option<String>,
    /// `simulator`, `reveal`, `worked-example` (live) or `pinned`.
    area: String,
    /// Where on the page, for messages.
    place: String,
}

const READ_VALUES_JS: &str = r#"(() => {
  const area = (el) => {
    if (el.closest('.sim-intro')) return 'pinned';
    if (el.closest('.simulator')) return 'simulator';
    if (el.closest('.reveal-text')) return 'reveal';
    if (el.closest('.worked-example')) return 'worked-example';
    return 'pinned';
  };
  const place = (el) => {
    const box = el.closest('.card, .banner, .feedback, li, legend, label, p, blockquote, div');
    const name = box ? (box.className ? '.' + box.className.trim().split(/\s+/).join('.') : box.tagName.toLowerCase()) : '?';
    const text = box ? box.textContent.replace(/\s+/g, ' ').trim().slice(0, 90) : '';
    return name + ' "' + text + '"';
  };
  return JSON.stringify(Array.from(document.querySelectorAll('[data-value]'), (el) => {
    const act = el.closest('[data-act]');
    return {
      name: el.getAttribute('data-value'),
      number: el.getAttribute('data-number'),
      unit: el.getAttribute('data-unit'),
      text: el.textContent,
      act: act ? act.getAttribute('data-act') : null,
      area: area(el),
      place: place(el),
    };
  }));
})()"#;

const READ_CONTROLS_JS: &str = r#"(() => {
  const track = Array.from(document.querySelectorAll('[data-control="track"] input[type="radio"]'))
    .filter((r) => r.checked).map((r) => r.value);
  const inputs = Array.from(document.querySelectorAll('[data-control]:not([data-control="track"])'), (el) => ({
    id: el.getAttribute('data-control'),
    tag: el.tagName.toLowerCase(),
    type: el.type || '',
    value: el.value,
    checked: !!el.checked,
    valuetext: el.getAttribute('aria-valuetext'),
  }));
  const labels = Array.from(document.querySelectorAll('[data-control-label]'), (el) => ({
    id: el.getAttribute('data-control-label'),
    text: el.textContent,
  }));
  return JSON.stringify({ track, inputs, labels });
})()"#;

#[derive(Debug, serde::Deserialize)]
struct ControlsOnPage {
    track: Vec<String>,
    inputs: Vec<InputOnPage>,
    labels: Vec<LabelOnPage>,
}

#[derive(Debug, serde::Deserialize)]
struct InputOnPage {
    id: String,
    tag: String,
    #[serde(rename = "type")]
    kind: String,
    value: String,
    checked: bool,
    valuetext: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct LabelOnPage {
    id: String,
    text: String,
}

/// A JS string literal (JSON is valid JS).
fn js(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

/// The browser tab with the lab page, and the lab it shows.
struct Page<'a> {
    tab: Arc<Tab>,
    lab: &'a Lab,
}

impl Page<'_> {
    /// Evaluates `expr` and returns its (JSON-compatible) value.
    fn eval(&self, expr: &str) -> Result<Value> {
        let r = self
            .tab
            .evaluate(expr, false)
            .with_context(|| format!("evaluating {expr}"))?;
        r.value.ok_or_else(|| {
            anyhow!(
                "evaluating {expr} gave no value: {}",
                r.description.unwrap_or_default()
            )
        })
    }

    fn eval_bool(&self, expr: &str) -> Result<bool> {
        self.eval(expr)?
            .as_bool()
            .ok_or_else(|| anyhow!("{expr} is not a boolean"))
    }

    fn eval_string(&self, expr: &str) -> Result<String> {
        match self.eval(expr)? {
            Value::String(s) => Ok(s),
            other => bail!("{expr} is not a string: {other}"),
        }
    }

    /// Polls a JS condition until it holds; fails with `what` after `WAIT`.
    fn wait_until(&self, cond: &str, what: &str) -> Result<()> {
        let start = Instant::now();
        loop {
            if self.eval_bool(&format!("!!({cond})"))? {
                return Ok(());
            }
            if start.elapsed() > WAIT {
                bail!("timed out after {WAIT:?} waiting for {what} ({cond})");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Whether the element is rendered (not `hidden`, not `display: none`
    /// up the tree); fails if it does not exist.
    fn visible(&self, selector: &str) -> Result<bool> {
        let v = self.eval(&format!(
            "(() => {{ const el = document.querySelector({s}); return el ? (!el.hidden && el.checkVisibility()) : 'missing'; }})()",
            s = js(selector)
        ))?;
        v.as_bool()
            .ok_or_else(|| anyhow!("no element matches {selector}"))
    }

    fn assert_visible(&self, selector: &str, want: bool, when: &str) -> Result<()> {
        let got = self.visible(selector)?;
        assert_eq!(
            got,
            want,
            "{when}: `{selector}` should be {}, but it is {}",
            if want { "visible" } else { "hidden" },
            if got { "visible" } else { "hidden" }
        );
        Ok(())
    }

    fn wait_visible(&self, selector: &str, what: &str) -> Result<()> {
        self.wait_until(
            &format!(
                "(() => {{ const el = document.querySelector({s}); return el && !el.hidden && el.checkVisibility(); }})()",
                s = js(selector)
            ),
            what,
        )
    }

    /// The normalised text of an element.
    fn text(&self, selector: &str) -> Result<String> {
        self.eval_string(&format!(
            "(() => {{ const el = document.querySelector({s}); return el ? el.textContent.replace(/\\s+/g, ' ').trim() : null; }})()",
            s = js(selector)
        ))
        .with_context(|| format!("reading the text of {selector}"))
    }

    /// The id (or tag and name/value) of the focused element.
    fn focused(&self) -> Result<String> {
        self.eval_string(
            "(() => { const a = document.activeElement; if (!a) return 'none'; \
             if (a.id) return '#' + a.id; \
             return a.tagName.toLowerCase() + (a.name ? '[name=' + a.name + ']' : '') + (a.value ? '[value=' + a.value + ']' : '') + (a.type ? '[type=' + a.type + ']' : ''); })()",
        )
    }

    fn inner_html(&self, selector: &str) -> Result<String> {
        self.eval_string(&format!(
            "(() => {{ const el = document.querySelector({s}); return el ? el.innerHTML : null; }})()",
            s = js(selector)
        ))
        .with_context(|| format!("reading the HTML of {selector}"))
    }

    /// Sets a control's value as a script would and dispatches a bubbling
    /// `event` (`input` or `change`), like a browser does for a user edit.
    fn set_and_dispatch(&self, selector: &str, value: &str, event: &str) -> Result<()> {
        let ok = self.eval_bool(&format!(
            "(() => {{ const el = document.querySelector({s}); if (!el) return false; el.value = {v}; \
             el.dispatchEvent(new Event({e}, {{ bubbles: true }})); return el.value === {v}; }})()",
            s = js(selector),
            v = js(value),
            e = js(event)
        ))?;
        assert!(ok, "could not set `{selector}` to {value:?}");
        Ok(())
    }

    fn press(&self, key: &str, times: usize) -> Result<()> {
        for _ in 0..times {
            self.tab.press_key(key)?;
        }
        Ok(())
    }

    fn click(&self, selector: &str) -> Result<()> {
        let t0 = Instant::now();
        let _g = Guard(format!("click {selector}"), t0);
        self.tab
            .find_element(selector)
            .with_context(|| format!("finding {selector}"))?
            .click()
            .with_context(|| format!("clicking {selector}"))?;
        Ok(())
    }

    fn focus(&self, selector: &str) -> Result<()> {
        self.tab
            .find_element(selector)
            .with_context(|| format!("finding {selector}"))?
            .focus()
            .with_context(|| format!("focusing {selector}"))?;
        Ok(())
    }

    /// The state the DOM inputs show, with their labels checked against the
    /// mission's position labels.
    fn state(&self, when: &str) -> Result<State> {
        let lab = self.lab;
        let page: ControlsOnPage = serde_json::from_str(&self.eval_string(READ_CONTROLS_JS)?)?;
        let track = match page.track.as_slice() {
            [t] => lab.track_index(t),
            [] if !lab.mission.has_track_selector => 0,
            other => panic!("{when}: expected one checked track radio, found {other:?}"),
        };
        let mut positions = lab.defaults[track].clone();
        for (ci, c) in lab.mission.controls.iter().enumerate() {
            let inputs: Vec<&InputOnPage> = page.inputs.iter().filter(|i| i.id == c.id).collect();
            let mut found: Option<usize> = None;
            for input in &inputs {
                let p = match &c.kind {
                    ControlKind::Select => {
                        assert_eq!(input.tag, "select", "{when}: control `{}`", c.id);
                        c.positions
                            .iter()
                            .position(|p| p.key == input.value)
                            .unwrap_or_else(|| {
                                panic!(
                                    "{when}: select `{}` shows {:?}, not an option key",
                                    c.id, input.value
                                )
                            })
                    }
                    ControlKind::Toggle => usize::from(input.checked),
                    ControlKind::Slider { uniform } => {
                        assert_eq!(input.kind, "range", "{when}: control `{}`", c.id);
                        let v: f64 = input.value.parse().unwrap_or_else(|_| {
                            panic!("{when}: slider `{}` value {:?}", c.id, input.value)
                        });
                        let (lo, step) = uniform.unwrap_or((0.0, 1.0));
                        let x = (v - lo) / step;
                        assert!(
                            (x - x.round()).abs() < 1e-6 && x.round() >= 0.0,
                            "{when}: slider `{}` value {v} is not on a step (min {lo}, step {step})",
                            c.id
                        );
                        let p = x.round() as usize;
                        assert!(
                            p < c.positions.len(),
                            "{when}: slider `{}` value {v} is past its last position",
                            c.id
                        );
                        let label = &c.positions[p].label;
                        assert_eq!(
                            input.valuetext.as_deref(),
                            Some(label.as_str()),
                            "{when}: aria-valuetext of slider `{}` at position {p}",
                            c.id
                        );
                        p
                    }
                };
                if let Some(q) = found {
                    assert_eq!(q, p, "{when}: two inputs of control `{}` disagree", c.id);
                }
                found = Some(p);
            }
            if let Some(p) = found {
                positions[ci] = p;
            }
            for l in page.labels.iter().filter(|l| l.id == c.id) {
                assert_eq!(
                    l.text, c.positions[positions[ci]].label,
                    "{when}: the <output> of control `{}` should name its position",
                    c.id
                );
            }
        }
        Ok(State { track, positions })
    }

    /// Checks every shown value against the model at the state the inputs
    /// show; asserts `expect` (control id, position) first. Returns the
    /// state.
    fn check(&self, when: &str, expect: &[(&str, usize)]) -> Result<State> {
        let lab = self.lab;
        let t0 = Instant::now();
        let state = self.state(when)?;
        eprintln!("  state read {:.2?}", t0.elapsed());
        for (id, p) in expect {
            let c = lab.control_index(id);
            assert_eq!(
                state.positions[c],
                *p,
                "{when}: control `{id}` should be at `{}` but the page shows `{}`",
                lab.mission.controls[c].positions[*p].label,
                lab.mission.controls[c].positions[state.positions[c]].label
            );
        }
        let live = lab.eval(&state);
        let pinned_state = State {
            track: state.track,
            positions: lab.defaults[state.track].clone(),
        };
        let pinned = lab.eval(&pinned_state);
        let t1 = Instant::now();
        let shown: Vec<ShownValue> = serde_json::from_str(&self.eval_string(READ_VALUES_JS)?)?;
        eprintln!("  values read {:.2?}", t1.elapsed());

        let mut failures = Vec::new();
        let mut live_names: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut n_pinned = 0;
        for (i, v) in shown.iter().enumerate() {
            let is_live = v.area != "pinned";
            let (values, at) = if is_live {
                (&live, &state)
            } else {
                n_pinned += 1;
                (&pinned, &pinned_state)
            };
            let who = format!(
                "value #{i} `{}` ({} area of act {}, in {})",
                v.name,
                v.area,
                v.act.as_deref().unwrap_or("-"),
                v.place
            );
            let Some(slot) = lab.model.slot(&v.name) else {
                failures.push(format!("{who}: no such name in the model"));
                continue;
            };
            if is_live {
                live_names
                    .entry(v.act.clone().unwrap_or_default())
                    .or_default()
                    .insert(v.name.clone());
            }
            let base = values[slot];
            let (Some(number), Some(unit)) = (&v.number, &v.unit) else {
                failures.push(format!("{who}: lacks data-number or data-unit"));
                continue;
            };
            let got: f64 = match number.parse() {
                Ok(x) => x,
                Err(_) => {
                    failures.push(format!("{who}: data-number {number:?} is not a number"));
                    continue;
                }
            };
            match in_unit(base, unit) {
                Ok(want) if close(want, got) => {}
                Ok(want) => failures.push(format!(
                    "{who}: data-number is {got} {unit} but the model gives {want} {unit} at {}",
                    lab.describe(at)
                )),
                Err(e) => failures.push(format!("{who}: {e}")),
            }
            let displays = &lab.displays[&v.name];
            let shows: Vec<_> = displays
                .iter()
                .map(|d| show(base, &d.unit, d.digits))
                .collect();
            if !shows.iter().any(|s| s.unit == *unit) {
                failures.push(format!(
                    "{who}: data-unit is {unit:?} but the model's value {base} shows in {:?} at {}",
                    shows.iter().map(|s| s.unit.as_str()).collect::<Vec<_>>(),
                    lab.describe(at)
                ));
            }
            if !shows.iter().any(|s| s.text == v.text) {
                failures.push(format!(
                    "{who}: the text is {:?} but the model's value shows as {:?} at {}",
                    v.text,
                    shows.iter().map(|s| s.text.as_str()).collect::<Vec<_>>(),
                    lab.describe(at)
                ));
            }
            if matches!(displays[0].unit, DisplayUnit::Percent) && unit != "%" {
                failures.push(format!("{who}: a percentage shown with unit {unit:?}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{when}: {} of {} shown values are wrong (state {}):\n  {}",
            failures.len(),
            shown.len(),
            lab.describe(&state),
            failures.join("\n  ")
        );
        assert!(
            n_pinned >= MIN_PINNED,
            "{when}: only {n_pinned} pinned values found (want at least {MIN_PINNED})"
        );
        for act in lab.mission.acts.iter().filter(|a| a.simulator.is_some()) {
            let names = live_names.get(&act.id).cloned().unwrap_or_default();
            let count = shown
                .iter()
                .filter(|v| v.area != "pinned" && v.act.as_deref() == Some(act.id.as_str()))
                .count();
            assert!(
                count >= MIN_LIVE_PER_ACT,
                "{when}: act `{}` shows only {count} live values (want at least {MIN_LIVE_PER_ACT})",
                act.id
            );
            for m in lab.metric_names(&act.id) {
                assert!(
                    names.contains(&m),
                    "{when}: the metric `{m}` of act `{}` was not among the live values checked ({names:?})",
                    act.id
                );
            }
        }
        let t2 = Instant::now();
        self.check_plots(when)?;
        eprintln!(
            "  plots {:.2?}; check {when} total {:.2?}",
            t2.elapsed(),
            t0.elapsed()
        );
        Ok(state)
    }

    /// Each plot holds exactly one SVG with role="img" and a non-empty <title>.
    fn check_plots(&self, when: &str) -> Result<()> {
        let plots: Vec<Value> = serde_json::from_str(&self.eval_string(
            r#"JSON.stringify(Array.from(document.querySelectorAll('.plot-svg'), (p) => {
                const svgs = p.querySelectorAll('svg');
                const svg = svgs[0];
                const title = svg && Array.from(svg.children).find((c) => c.tagName.toLowerCase() === 'title');
                return { act: (p.closest('[data-act]') || {}).id || null, svgs: svgs.length,
                         role: svg ? svg.getAttribute('role') : null,
                         title: title ? title.textContent.trim() : null };
            }))"#,
        )?)?;
        assert!(!plots.is_empty(), "{when}: the page has no .plot-svg");
        for p in &plots {
            assert_eq!(p["svgs"], 1, "{when}: plot {p} should hold one <svg>");
            assert_eq!(
                p["role"], "img",
                "{when}: plot {p} should have role=\"img\""
            );
            assert!(
                p["title"].as_str().is_some_and(|t| !t.is_empty()),
                "{when}: plot {p} should have a non-empty <title> as its child"
            );
        }
        Ok(())
    }

    /// Asserts the act's plot SVG changed (or not) across a move, as its
    /// dependence on the moved control says.
    fn check_plot_swap(&self, act: &str, control: &str, before: &str, when: &str) -> Result<()> {
        let after = self.inner_html(&format!("#act-{act} .plot-svg"))?;
        let depends = self
            .lab
            .plot_controls(act)
            .contains(&self.lab.control_index(control));
        if depends {
            assert_ne!(
                before, after,
                "{when}: the plot of act `{act}` depends on `{control}` but its SVG was not swapped"
            );
        } else {
            assert_eq!(
                before, after,
                "{when}: the plot of act `{act}` does not depend on `{control}` but its SVG changed"
            );
        }
        Ok(())
    }

    /// The lock of `act` is open: simulator, reveal and reflection shown,
    /// placeholder hidden, the echo shows `key`'s option text, only `key`'s
    /// feedback is shown, radios and button are disabled.
    fn assert_locked(&self, act: &str, key: &str) -> Result<()> {
        let when = format!("after locking {key} in act `{act}`");
        let form = format!("form[data-lock=\"{act}\"]");
        self.wait_visible(
            &format!("section.simulator[data-locked-by=\"{act}\"]"),
            &format!("the simulator of act `{act}` to open"),
        )?;
        self.assert_visible(&format!(".reveal[data-locked-by=\"{act}\"]"), true, &when)?;
        self.assert_visible(&format!("form[data-reflection=\"{act}\"]"), true, &when)?;
        self.assert_visible(&format!("[data-unlocked-only=\"{act}\"]"), false, &when)?;
        self.assert_visible(&format!("{form} [data-lock-message]"), false, &when)?;
        let locked = self.eval(&format!(
            "document.querySelector({}).getAttribute('data-locked')",
            js(&form)
        ))?;
        assert_eq!(locked, key, "{when}: data-locked of the form");

        let option = self.text(&format!("{form} [data-option-text=\"{key}\"]"))?;
        let echo = self.text(&format!("[data-prediction-echo=\"{act}\"]"))?;
        assert!(!option.is_empty(), "{when}: option {key} has no text");
        assert_eq!(
            echo, option,
            "{when}: the prediction echo should repeat option {key}"
        );

        let feedback: Vec<(String, bool)> = serde_json::from_str(&self.eval_string(&format!(
            "JSON.stringify(Array.from(document.querySelectorAll({}), (el) => [el.getAttribute('data-feedback'), !el.hidden && el.checkVisibility()]))",
            js(&format!("[data-feedback^=\"lock:{act}:\"]"))
        ))?)?;
        assert!(
            feedback.len() >= 2,
            "{when}: expected a feedback per option, found {feedback:?}"
        );
        let want = format!("lock:{act}:{key}");
        for (name, shown) in &feedback {
            assert_eq!(
                *shown,
                *name == want,
                "{when}: feedback `{name}` should be {}",
                if *name == want { "visible" } else { "hidden" }
            );
        }

        let enabled: Vec<String> = serde_json::from_str(&self.eval_string(&format!(
            "JSON.stringify(Array.from(document.querySelectorAll({})).filter((el) => !el.disabled).map((el) => el.outerHTML.slice(0, 80)))",
            js(&format!("{form} input[type=radio], {form} button"))
        ))?)?;
        assert!(
            enabled.is_empty(),
            "{when}: these lock inputs are still enabled: {enabled:?}"
        );
        let checked = self.eval(&format!(
            "(document.querySelector({}) || {{}}).value || null",
            js(&format!("{form} input[type=radio]:checked"))
        ))?;
        assert_eq!(checked, key, "{when}: the checked radio");
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// No network.
// ---------------------------------------------------------------------------

/// Attribute values and CSS `url()`/`@import` targets in `text` that point
/// off the machine. Handles plain HTML and the JSON-escaped HTML fragments
/// (`href=\"...\"`) of the page's data block.
fn remote_references(text: &str) -> Vec<String> {
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    let remote = |target: &str| {
        let t = target.trim_start().to_ascii_lowercase();
        t.starts_with("http:") || t.starts_with("https:") || t.starts_with("//")
    };
    for attr in [
        "src=", "href=", "srcset=", "action=", "poster=", "data=", "@import", "url(",
    ] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(attr) {
            let start = from + i + attr.len();
            from = start;
            // The attribute name must start a word (so `data-src=` is not `src=`).
            let before = lower[..start - attr.len()].chars().next_back();
            if attr.ends_with('=')
                && before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                continue;
            }
            let rest = text[start..].trim_start_matches(['\\', '"', '\'', ' ']);
            let target: String = rest
                .chars()
                .take_while(|c| !matches!(c, '"' | '\'' | ')' | '\\' | '>' | ' ' | ';'))
                .collect();
            if remote(&target) {
                found.push(format!("{attr}{target}"));
            }
        }
    }
    found
}

fn assert_no_remote_references(dir: &Path) {
    let mut checked = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let bad = remote_references(&text);
            assert!(
                bad.is_empty(),
                "{} refers to remote resources (the book must work offline): {bad:?}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 4,
        "expected at least 4 written files, checked {checked}"
    );
}

#[test]
fn remote_reference_scanner_finds_urls() {
    assert_eq!(
        remote_references(r#"<img src="https://x.test/a.png"><a href='//cdn.test/x'>"#),
        vec!["src=https://x.test/a.png", "href=//cdn.test/x"]
    );
    assert_eq!(
        remote_references(
            r#"{"f":"<a href=\"http://x.test\">"} @import url("https://f.test/a.css");"#
        ),
        vec!["href=http://x.test", "url(https://f.test/a.css"]
    );
    assert!(remote_references(
        r##"<svg xmlns="http://www.w3.org/2000/svg"><a href="#main" data-src="http://no"></a>url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E")"##
    )
    .is_empty());
}

// ---------------------------------------------------------------------------
// Browser.
// ---------------------------------------------------------------------------

fn find_chromium() -> Option<PathBuf> {
    let fixed = Path::new("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in [
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// `file://` URL of an absolute path (percent-encoding what a path may hold).
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

#[test]
fn lab_page_in_headless_chromium() -> Result<()> {
    let started = Instant::now();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));

    // Build in memory, write atomically, check the files offline.
    let build =
        labgen::build(root).unwrap_or_else(|d| panic!("the bundled book does not build:\n{d}"));
    let tmp = tempfile::tempdir()?;
    let out = tmp.path().join("book");
    labgen::output::write_atomically(&out, &build.files)?;
    let page_path = out.join(LAB_PAGE);
    assert!(page_path.is_file(), "the build wrote no {LAB_PAGE}");
    assert_no_remote_references(&out);

    eprintln!("built and written in {:.2?}", started.elapsed());
    let lab = Lab::load(root);

    let Some(chromium) = find_chromium() else {
        if std::env::var("LABGEN_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!(
                "LABGEN_REQUIRE_BROWSER=1 but no Chromium was found (looked for /usr/bin/chromium and \
                 chromium, chromium-browser, google-chrome, google-chrome-stable on PATH); install it, \
                 e.g. `apt-get install chromium`"
            );
        }
        eprintln!(
            "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
             !! SKIPPED the browser test: no Chromium found (/usr/bin/chromium or    !!\n\
             !! chromium/chromium-browser/google-chrome on PATH). The lab page was  !!\n\
             !! built but NOT exercised. Set LABGEN_REQUIRE_BROWSER=1 to fail here. !!\n\
             !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        );
        return Ok(());
    };

    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(chromium.clone()))
        .headless(true)
        .sandbox(false)
        .window_size(Some((1280, 900)))
        .args(args)
        .build()
        .map_err(|e| anyhow!("launch options: {e}"))?;
    let browser =
        Browser::new(options).with_context(|| format!("launching {}", chromium.display()))?;
    let tab = browser.new_tab()?;
    tab.set_default_timeout(WAIT);

    // Record every request and every script error from before navigation.
    let requests: Arc<Mutex<Vec<String>>> = Arc::default();
    let errors: Arc<Mutex<Vec<String>>> = Arc::default();
    {
        let requests = Arc::clone(&requests);
        let errors = Arc::clone(&errors);
        tab.add_event_listener(Arc::new(move |event: &Event| match event {
            Event::NetworkRequestWillBeSent(e) => {
                requests.lock().unwrap().push(e.params.request.url.clone());
            }
            Event::RuntimeExceptionThrown(e) => {
                let d = &e.params.exception_details;
                let what = d
                    .exception
                    .as_ref()
                    .and_then(|x| x.description.clone())
                    .unwrap_or_else(|| d.text.clone());
                errors.lock().unwrap().push(format!(
                    "uncaught exception at {}:{}: {what}",
                    d.url.clone().unwrap_or_default(),
                    d.line_number
                ));
            }
            Event::LogEntryAdded(e) => {
                let entry = &e.params.entry;
                if format!("{:?}", entry.level) == "Error" {
                    errors
                        .lock()
                        .unwrap()
                        .push(format!("console: {}", entry.text));
                }
            }
            _ => {}
        }))?;
    }
    tab.call_method(Network::Enable {
        max_total_buffer_size: None,
        max_resource_buffer_size: None,
        max_post_data_size: None,
        report_direct_socket_traffic: None,
        enable_durable_messages: None,
    })?;
    tab.enable_runtime()?;
    tab.enable_log()?;

    eprintln!("browser up in {:.2?}", started.elapsed());
    let url = file_url(&page_path);
    tab.navigate_to(&url)?.wait_until_navigated()?;
    let page = Page {
        tab: Arc::clone(&tab),
        lab: &lab,
    };
    page.wait_until(
        "document.readyState === 'complete' && document.querySelector('[data-value]')",
        "the lab page to load",
    )?;

    eprintln!("page loaded in {:.2?}", started.elapsed());
    // ---- Act 1, before the lock ----------------------------------------
    let act = "pipeline";
    let lock = format!("form[data-lock=\"{act}\"]");
    let sim = format!("section.simulator[data-locked-by=\"{act}\"]");
    let when = "at load";
    page.assert_visible(&sim, false, when)?;
    page.assert_visible(&format!(".reveal[data-locked-by=\"{act}\"]"), false, when)?;
    page.assert_visible(&format!("form[data-reflection=\"{act}\"]"), false, when)?;
    page.assert_visible(&format!("[data-unlocked-only=\"{act}\"]"), true, when)?;
    page.assert_visible(&format!("{lock} [data-lock-message]"), false, when)?;
    let cloud = lab.track_index("cloud");
    let state = page.check(when, &[])?;
    assert_eq!(
        state,
        State {
            track: cloud,
            positions: lab.defaults[cloud].clone()
        },
        "at load the page should show the cloud track's defaults"
    );

    // Locking without a choice shows the message and opens nothing.
    page.click(&format!("{lock} button[type=submit]"))?;
    page.wait_visible(
        &format!("{lock} [data-lock-message]"),
        "the lock message after submitting without a choice",
    )?;
    let when = "after submitting the lock with no choice";
    page.assert_visible(&sim, false, when)?;
    page.assert_visible(&format!(".reveal[data-locked-by=\"{act}\"]"), false, when)?;
    assert!(
        !page.eval_bool(&format!(
            "document.querySelector({}).hasAttribute('data-locked')",
            js(&lock)
        ))?,
        "{when}: the form must not be locked"
    );

    // Choose B with the mouse, then lock.
    page.click(&format!("{lock} label.option:has(input[value=\"B\"])"))?;
    page.wait_until(
        &format!(
            "document.querySelector({}).checked",
            js(&format!("{lock} input[value=\"B\"]"))
        ),
        "option B to be checked after clicking its label",
    )?;
    page.assert_visible(&sim, false, "after choosing B, before submitting")?;
    page.click(&format!("{lock} button[type=submit]"))?;
    page.assert_locked(act, "B")?;
    let focused = page.focused()?;
    assert_eq!(
        focused,
        format!("#sim-{act}"),
        "after locking, focus should land on the simulator heading"
    );

    // The reflection: no choice shows its message, a choice its feedback.
    let reflection = format!("form[data-reflection=\"{act}\"]");
    page.click(&format!("{reflection} button[type=submit]"))?;
    page.wait_visible(
        &format!("{reflection} [data-reflection-message]"),
        "the reflection message",
    )?;
    let correct = lab
        .mission
        .acts
        .iter()
        .find(|a| a.id == act)
        .and_then(|a| a.reflection.as_ref())
        .map(|q| q.correct.clone())
        .expect("the act has a reflection");
    page.click(&format!(
        "{reflection} label.option:has(input[value=\"{correct}\"])"
    ))?;
    page.click(&format!("{reflection} button[type=submit]"))?;
    page.wait_visible(
        &format!("[data-feedback=\"reflection:{act}:{correct}\"]"),
        "the feedback of the chosen reflection answer",
    )?;
    page.assert_visible(
        &format!("{reflection} [data-reflection-message]"),
        false,
        "after answering the reflection",
    )?;
    let others: i64 = page
        .eval(&format!(
            "Array.from(document.querySelectorAll({})).filter((el) => !el.hidden).length",
            js(&format!("[data-feedback^=\"reflection:{act}:\"]"))
        ))?
        .as_i64()
        .unwrap_or(-1);
    assert_eq!(
        others, 1,
        "after answering the reflection exactly one of its feedbacks is visible"
    );

    let state = page.check("after locking the pipeline prediction", &[])?;
    let workers = lab.control_index("workers");
    let dataset_tb = lab.control_index("dataset_tb");

    // ---- Act 1: move the controls -----------------------------------------
    // storage: select nvme and dispatch `change`.
    let plot = format!("#act-{act} .plot-svg");
    let before = page.inner_html(&plot)?;
    let nvme = lab.key_position("storage", "nvme");
    page.set_and_dispatch("#ctl-storage", "nvme", "change")?;
    page.wait_until(
        "document.querySelector('#ctl-storage').value === 'nvme'",
        "the storage select to show nvme",
    )?;
    let when = "after selecting storage = nvme";
    page.check(when, &[("storage", nvme)])?;
    page.check_plot_swap(act, "storage", &before, when)?;

    // workers: keyboard, three times ArrowRight.
    let before = page.inner_html(&plot)?;
    let w0 = state.positions[workers];
    page.focus("#ctl-workers")?;
    page.press("ArrowRight", 3)?;
    let w_label = &lab.mission.controls[workers].positions[w0 + 3].label;
    page.wait_until(
        &format!(
            "document.querySelector('output[data-control-label=\"workers\"]').textContent === {}",
            js(w_label)
        ),
        "the workers slider to move three steps right",
    )?;
    let when = "after pressing ArrowRight three times on the workers slider";
    page.check(when, &[("storage", nvme), ("workers", w0 + 3)])?;
    page.check_plot_swap(act, "workers", &before, when)?;

    // workers again: set the value and dispatch `input`, as a drag does.
    let before = page.inner_html(&plot)?;
    page.set_and_dispatch("#ctl-workers", "16", "input")?;
    let w16 = lab.mission.controls[workers]
        .positions
        .iter()
        .position(|p| p.label == "16")
        .expect("a 16 workers position");
    let when = "after setting workers = 16 with an input event";
    page.check(when, &[("storage", nvme), ("workers", w16)])?;
    page.check_plot_swap(act, "workers", &before, when)?;

    // dataset_tb: set the value and dispatch `input`.
    let before = page.inner_html(&plot)?;
    page.set_and_dispatch("#ctl-dataset_tb", "42", "input")?;
    let tb42 = lab.mission.controls[dataset_tb]
        .positions
        .iter()
        .position(|p| p.label == "42 TB")
        .expect("a 42 TB position");
    let when = "after setting dataset_tb = 42 TB with an input event";
    page.check(
        when,
        &[("storage", nvme), ("workers", w16), ("dataset_tb", tb42)],
    )?;
    page.check_plot_swap(act, "dataset_tb", &before, when)?;

    // ---- Track: edge (mouse click on its label) ---------------------------
    let edge = lab.track_index("edge");
    page.click("[data-control=\"track\"] label:has(input[value=\"edge\"])")?;
    page.wait_until(
        "document.querySelector('[data-control=\"track\"] input[value=\"edge\"]').checked",
        "the edge track to be selected",
    )?;
    let link = lab.control_index("link");
    let when = "after switching the track to edge";
    let state = page.check(
        when,
        &[
            ("storage", nvme),
            ("workers", w16),
            ("dataset_tb", tb42),
            ("link", lab.defaults[edge][link]),
        ],
    )?;
    assert_eq!(
        state.track, edge,
        "{when}: the page should be on the edge track"
    );
    let summaries: Vec<bool> = serde_json::from_str(&page.eval_string(
        "JSON.stringify(Array.from(document.querySelectorAll('.track-summary'), (el) => !el.hidden))",
    )?)?;
    assert_eq!(
        summaries,
        (0..lab.mission.tracks.len())
            .map(|t| t == edge)
            .collect::<Vec<_>>(),
        "{when}: only the edge track's summary should be shown"
    );

    // ---- Act 2: lock with the keyboard only ---------------------------------
    let act = "gravity";
    let lock = format!("form[data-lock=\"{act}\"]");
    page.assert_visible(
        &format!("section.simulator[data-locked-by=\"{act}\"]"),
        false,
        "before the gravity lock",
    )?;
    // Start on the last focusable element before the gravity act.
    page.focus("#act-pipeline details.mathpeek > summary")?;
    page.press("Tab", 1)?;
    let focused = page.focused()?;
    assert_eq!(
        focused, "input[name=lock-gravity][value=A][type=radio]",
        "Tab from the pipeline MathPeek should reach the first gravity prediction radio"
    );
    page.press(" ", 1)?;
    page.wait_until(
        &format!(
            "document.querySelector({}).checked",
            js(&format!("{lock} input[value=\"A\"]"))
        ),
        "Space to check the focused radio A",
    )?;
    page.press("ArrowDown", 1)?;
    page.wait_until(
        &format!(
            "document.querySelector({}).checked",
            js(&format!("{lock} input[value=\"B\"]"))
        ),
        "ArrowDown to move the choice to B",
    )?;
    page.press("Tab", 1)?;
    let focused = page.focused()?;
    assert_eq!(
        focused, "button[type=submit]",
        "Tab from the radio group should reach the lock button"
    );
    page.press("Enter", 1)?;
    page.assert_locked(act, "B")?;
    let focused = page.focused()?;
    assert_eq!(
        focused,
        format!("#sim-{act}"),
        "after the keyboard lock, focus should land on the simulator heading"
    );
    let state = page.check(
        "after locking the gravity prediction with the keyboard",
        &[],
    )?;

    // ---- Act 2: move the controls -----------------------------------------
    let dataset = lab.control_index("dataset");
    let budget = lab.control_index("budget");
    let plot = format!("#act-{act} .plot-svg");

    // dataset: keyboard, ArrowLeft twice.
    let before = page.inner_html(&plot)?;
    let d0 = state.positions[dataset];
    assert!(
        d0 >= 2,
        "the dataset slider should start at least two steps from its minimum"
    );
    page.focus("#ctl-dataset")?;
    page.press("ArrowLeft", 2)?;
    let d_label = &lab.mission.controls[dataset].positions[d0 - 2].label;
    page.wait_until(
        &format!(
            "document.querySelector('output[data-control-label=\"dataset\"]').textContent === {}",
            js(d_label)
        ),
        "the dataset slider to move two steps left",
    )?;
    let when = "after pressing ArrowLeft twice on the dataset slider";
    let moved = [
        ("storage", nvme),
        ("workers", w16),
        ("dataset_tb", tb42),
        ("dataset", d0 - 2),
    ];
    page.check(when, &moved)?;
    page.check_plot_swap(act, "dataset", &before, when)?;

    // budget: set the slider to its 10th stop and dispatch `input`.
    let before = page.inner_html(&plot)?;
    let b = 10.min(lab.mission.controls[budget].positions.len() - 1);
    assert_ne!(
        b, state.positions[budget],
        "the budget move must change the budget"
    );
    page.set_and_dispatch("#ctl-budget", &b.to_string(), "input")?;
    let when = "after moving the budget slider with an input event";
    let mut moved = moved.to_vec();
    moved.push(("budget", b));
    page.check(when, &moved)?;
    page.check_plot_swap(act, "budget", &before, when)?;

    // Back to cloud: the link jumps to the cloud default, moved controls stay.
    page.click("[data-control=\"track\"] label:has(input[value=\"cloud\"])")?;
    page.wait_until(
        "document.querySelector('[data-control=\"track\"] input[value=\"cloud\"]').checked",
        "the cloud track to be selected",
    )?;
    let when = "after switching the track back to cloud";
    let mut with_link = moved.clone();
    with_link.push(("link", lab.defaults[cloud][link]));
    let state = page.check(when, &with_link)?;
    assert_eq!(
        state.track, cloud,
        "{when}: the page should be on the cloud track"
    );

    // link: select 10g and dispatch `change`.
    let before = page.inner_html(&plot)?;
    let ten = lab.key_position("link", "10g");
    assert_ne!(
        ten, state.positions[link],
        "the link move must change the link"
    );
    page.set_and_dispatch("#ctl-link", "10g", "change")?;
    let when = "after selecting link = 10g on the cloud track";
    moved.push(("link", ten));
    page.check(when, &moved)?;
    page.check_plot_swap(act, "link", &before, when)?;

    // ---- No network, no errors ------------------------------------------------
    let entries: Vec<String> = serde_json::from_str(&page.eval_string(
        "JSON.stringify(performance.getEntries().filter((e) => e.entryType === 'resource' || e.entryType === 'navigation').map((e) => e.name))",
    )?)?;
    let remote: Vec<&String> = entries.iter().filter(|u| !u.starts_with("file:")).collect();
    assert!(
        remote.is_empty(),
        "the page loaded non-file resources (Performance API): {remote:?}"
    );
    let requests = requests.lock().unwrap().clone();
    assert!(
        requests.iter().any(|u| u.ends_with(LAB_PAGE)),
        "the request log should hold the page itself (is Network recording?): {requests:?}"
    );
    for asset in ["theme/labgen.js", "theme/labgen.css"] {
        assert!(
            requests.iter().any(|u| u.ends_with(asset)),
            "the request log should hold {asset}: {requests:?}"
        );
    }
    // `data:` URIs (the CSS padlock icon) are inline, not requests.
    let remote: Vec<&String> = requests
        .iter()
        .filter(|u| !u.starts_with("file:") && !u.starts_with("data:"))
        .collect();
    assert!(
        remote.is_empty(),
        "the page made network requests: {remote:?}"
    );
    let errors = errors.lock().unwrap().clone();
    assert!(errors.is_empty(), "the page reported errors: {errors:#?}");

    eprintln!(
        "browser test: {} requests, all file://; done in {:.2?}",
        requests.len(),
        started.elapsed()
    );
    Ok(())
}

struct Guard(String, Instant);
impl Drop for Guard {
    fn drop(&mut self) {
        eprintln!("  {} {:.2?}", self.0, self.1.elapsed());
    }
}
