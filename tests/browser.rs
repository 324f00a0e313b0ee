//! End-to-end browser test of the bundled lab book.
//!
//! Builds the bundled book in memory (`labgen::build`), writes it into a
//! temporary folder with `labgen::output::write_atomically`, and opens
//! `data-gravity-trap.html` from disk (`file://`) in headless Chromium. With
//! real clicks, key presses and input events it then proves that:
//!
//! * the page makes no network request: every request Chromium's DevTools
//!   report is a `file:` URL (or an inline `data:` URI), and so is every
//!   Performance entry; and no `src`/`href`/`url()`/`@import` in the written
//!   files points at `http(s)://` or `//` (a plain Rust scan of the files);
//! * the prediction lock gates the simulator, the reveal and the
//!   reflection: submitting without a choice shows the lock message;
//!   choosing B (mouse) opens them, echoes B's text, shows only B's
//!   feedback and disables the radios; a second lock is completed with the
//!   keyboard only (Tab, Space, ArrowDown, Tab, Enter); the reflection
//!   shows its message without a choice and only the chosen feedback after;
//! * after every control move (select `change`, slider key presses, slider
//!   `input`, track radio click) every shown number is right: each live
//!   value (simulator, reveal text, worked example) has the `data-number`
//!   and `data-unit` the model gives at the state read back from the DOM
//!   inputs, and each pinned value (story, stakeholder, questions, track
//!   summaries) the model's value at the current track's default state;
//!   the visible text must also be what `format::show` writes for it.
//!   Expectations come from the library (`config::load`,
//!   `mission::load_all`, `model::compile`, `Model::eval`), never from the
//!   page's JSON;
//! * plot SVGs are swapped when a control they depend on moves (and left
//!   alone when it does not), and each has `role="img"` and a `<title>`;
//! * the page throws no script error.
//!
//! Skipping: without a Chromium binary (`LABGEN_CHROMIUM` if set, else
//! `/usr/bin/chromium`, else `chromium`, `chromium-browser`, `google-chrome`
//! or `google-chrome-stable` on `PATH`) the test prints a loud note to
//! stderr and passes, unless `LABGEN_REQUIRE_BROWSER=1` is set (as CI does),
//! in which case it fails.

use anyhow::{anyhow, bail, Context, Result};
use headless_chrome::browser::tab::point::Point;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::Network;
use headless_chrome::{Browser, LaunchOptions, Tab};
use labgen::format::show;
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

/// Everything the checks read from the page, in one round trip (each
/// DevTools call costs about 100 ms with headless_chrome's transport).
#[derive(Debug, serde::Deserialize)]
struct Snapshot {
    /// Values of the checked track radios.
    track: Vec<String>,
    inputs: Vec<InputOnPage>,
    labels: Vec<LabelOnPage>,
    values: Vec<ShownValue>,
    plots: Vec<PlotOnPage>,
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
    /// The scenario the value is evaluated at, if any (`data-scenario`).
    scenario: Option<String>,
    /// Where on the page, for messages.
    place: String,
}

#[derive(Debug, serde::Deserialize)]
struct PlotOnPage {
    act: Option<String>,
    svgs: usize,
    role: Option<String>,
    title: Option<String>,
    html: String,
}

/// Reads controls, values and plots. Live areas are the simulator (but not
/// its intro, which the planner pins), the reveal text (not the lock
/// feedback inside the reveal: questions are pinned) and the worked example.
const SNAPSHOT_JS: &str = r#"(() => {
  const all = (s) => Array.from(document.querySelectorAll(s));
  const area = (el) => {
    if (el.closest('.sim-intro')) return 'pinned';
    if (el.closest('.simulator')) return 'simulator';
    if (el.closest('.reveal-text')) return 'reveal';
    if (el.closest('.worked-example')) return 'worked-example';
    return 'pinned';
  };
  const place = (el) => {
    const box = el.closest('.card, .banner, .feedback, li, legend, label, p, blockquote, div');
    if (!box) return '?';
    const name = box.className ? '.' + box.className.trim().split(/\s+/).join('.') : box.tagName.toLowerCase();
    return name + ' "' + box.textContent.replace(/\s+/g, ' ').trim().slice(0, 90) + '"';
  };
  const actOf = (el) => { const a = el.closest('[data-act]'); return a ? a.getAttribute('data-act') : null; };
  return JSON.stringify({
    track: all('[data-control="track"] input[type="radio"]').filter((r) => r.checked).map((r) => r.value),
    inputs: all('[data-control]:not([data-control="track"])').map((el) => ({
      id: el.getAttribute('data-control'), tag: el.tagName.toLowerCase(), type: el.type || '',
      value: el.value, checked: !!el.checked, valuetext: el.getAttribute('aria-valuetext'),
    })),
    labels: all('[data-control-label]').map((el) => ({ id: el.getAttribute('data-control-label'), text: el.textContent })),
    values: all('[data-value]').map((el) => ({
      name: el.getAttribute('data-value'), number: el.getAttribute('data-number'),
      unit: el.getAttribute('data-unit'), text: el.textContent, act: actOf(el), area: area(el), place: place(el), scenario: el.getAttribute('data-scenario'),
    })),
    plots: all('.plot-svg').map((p) => {
      const svgs = p.querySelectorAll('svg');
      const svg = svgs[0];
      const title = svg ? Array.from(svg.children).find((c) => c.tagName.toLowerCase() === 'title') : null;
      return { act: actOf(p), svgs: svgs.length, role: svg ? svg.getAttribute('role') : null,
               title: title ? title.textContent.trim() : null, html: p.innerHTML };
    }),
  });
})()"#;

/// The prediction lock of an act as the page shows it.
#[derive(Debug, serde::Deserialize)]
struct LockOnPage {
    simulator: bool,
    reveal: bool,
    reflection: bool,
    placeholder: bool,
    message: bool,
    locked: Option<String>,
    checked: Option<String>,
    /// Radios and buttons of the form that are still enabled.
    enabled: Vec<String>,
    echo: Option<String>,
    /// Option key -> its text.
    options: BTreeMap<String, String>,
    /// (data-feedback, visible) of the act's lock feedbacks.
    feedback: Vec<(String, bool)>,
    focused: String,
}

/// Reads the lock of the act named by `ACT` (a JS string literal).
const LOCK_JS: &str = r#"((act) => {
  const q = (s) => document.querySelector(s);
  const a = CSS.escape(act);
  const vis = (el) => !!el && !el.hidden && el.checkVisibility();
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
  const form = q(`form[data-lock="${a}"]`);
  return JSON.stringify({
    simulator: vis(q(`section.simulator[data-locked-by="${a}"]`)),
    reveal: vis(q(`.reveal[data-locked-by="${a}"]`)),
    reflection: vis(q(`form[data-reflection="${a}"]`)),
    placeholder: vis(q(`[data-unlocked-only="${a}"]`)),
    message: vis(form.querySelector('[data-lock-message]')),
    locked: form.getAttribute('data-locked'),
    checked: (form.querySelector('input[type="radio"]:checked') || {}).value || null,
    enabled: Array.from(form.querySelectorAll('input[type="radio"], button')).filter((el) => !el.disabled)
      .map((el) => el.outerHTML.slice(0, 80)),
    echo: text(q(`[data-prediction-echo="${a}"]`)),
    options: Object.fromEntries(Array.from(form.querySelectorAll('[data-option-text]'),
      (el) => [el.getAttribute('data-option-text'), text(el)])),
    feedback: Array.from(document.querySelectorAll(`[data-feedback^="lock:${a}:"]`),
      (el) => [el.getAttribute('data-feedback'), vis(el)]),
    focused: FOCUSED,
  });
})(ACT)"#;

/// Describes the focused element: `#id`, or tag with name, value and type.
const FOCUSED_JS: &str = r#"((a) => !a ? 'none' : a.id ? '#' + a.id :
  a.tagName.toLowerCase() + (a.name ? '[name=' + a.name + ']' : '') +
  (a.value ? '[value=' + a.value + ']' : '') + (a.type ? '[type=' + a.type + ']' : ''))(document.activeElement)"#;

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
    /// Evaluates `expr` and returns its primitive value.
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

    fn eval_string(&self, expr: &str) -> Result<String> {
        match self.eval(expr)? {
            Value::String(s) => Ok(s),
            other => bail!("{expr} is not a string: {other}"),
        }
    }

    /// Evaluates an expression that returns `JSON.stringify(...)`.
    fn eval_json<T: serde::de::DeserializeOwned>(&self, expr: &str) -> Result<T> {
        let s = self.eval_string(expr)?;
        serde_json::from_str(&s).with_context(|| format!("decoding {s}"))
    }

    /// Polls a JS condition until it holds; fails with `what` after `WAIT`.
    fn wait_until(&self, cond: &str, what: &str) -> Result<()> {
        let start = Instant::now();
        loop {
            if self.eval(&format!("!!({cond})"))? == Value::Bool(true) {
                return Ok(());
            }
            if start.elapsed() > WAIT {
                bail!("timed out after {WAIT:?} waiting for {what} ({cond})");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn wait_visible(&self, selector: &str, what: &str) -> Result<()> {
        self.wait_until(
            &format!(
                "((el) => el && !el.hidden && el.checkVisibility())(document.querySelector({}))",
                js(selector)
            ),
            what,
        )
    }

    fn focused(&self) -> Result<String> {
        self.eval_string(FOCUSED_JS)
    }

    fn lock(&self, act: &str) -> Result<LockOnPage> {
        self.eval_json(
            &LOCK_JS
                .replace("FOCUSED", FOCUSED_JS)
                .replace("(ACT)", &format!("({})", js(act))),
        )
    }

    /// Clicks the middle of an element with real mouse events, after
    /// checking that nothing covers it there.
    fn click(&self, selector: &str) -> Result<()> {
        let at: Value = self.eval_json(&format!(
            "((el) => {{ if (!el) return JSON.stringify(null);
               // 'instant' overrides the page's smooth scrolling, so the box is final.
               el.scrollIntoView({{ block: 'center', inline: 'center', behavior: 'instant' }});
               const r = el.getBoundingClientRect();
               const x = r.left + r.width / 2, y = r.top + r.height / 2;
               const hit = document.elementFromPoint(x, y);
               return JSON.stringify({{ x, y, hits: !!hit && (hit === el || el.contains(hit)),
                                        hit: hit ? hit.outerHTML.slice(0, 80) : null }}); }})(document.querySelector({}))",
            js(selector)
        ))?;
        let (Some(x), Some(y)) = (at["x"].as_f64(), at["y"].as_f64()) else {
            panic!("cannot click `{selector}`: no such element");
        };
        assert_eq!(
            at["hits"], true,
            "cannot click `{selector}`: its middle is covered by {}",
            at["hit"]
        );
        self.tab.click_point(Point { x, y })?;
        Ok(())
    }

    /// Focuses an element (as a script would) and checks it took focus.
    fn focus(&self, selector: &str) -> Result<()> {
        self.wait_until(
            &format!(
                "((el) => el && (el.focus(), document.activeElement === el))(document.querySelector({}))",
                js(selector)
            ),
            &format!("`{selector}` to take focus"),
        )
    }

    /// Sets a control's value and dispatches a bubbling `event` (`input` or
    /// `change`), as the browser does for a user edit.
    fn set_and_dispatch(&self, selector: &str, value: &str, event: &str) -> Result<()> {
        let ok = self.eval(&format!(
            "((el) => {{ if (!el) return false; el.value = {v};
               el.dispatchEvent(new Event({e}, {{ bubbles: true }})); return el.value === {v}; }})(document.querySelector({s}))",
            s = js(selector),
            v = js(value),
            e = js(event)
        ))?;
        assert_eq!(ok, true, "could not set `{selector}` to {value:?}");
        Ok(())
    }

    fn press(&self, key: &str, times: usize) -> Result<()> {
        for _ in 0..times {
            self.tab.press_key(key)?;
        }
        Ok(())
    }

    /// The state the DOM inputs show (positions of controls without an
    /// input stay at the track default); checks slider `aria-valuetext` and
    /// the `<output>` labels against the mission's position labels.
    fn state(&self, snap: &Snapshot, when: &str) -> State {
        let lab = self.lab;
        let track = match snap.track.as_slice() {
            [t] => lab.track_index(t),
            [] if !lab.mission.has_track_selector => 0,
            other => panic!("{when}: expected one checked track radio, found {other:?}"),
        };
        let mut positions = lab.defaults[track].clone();
        for (ci, c) in lab.mission.controls.iter().enumerate() {
            let mut found: Option<usize> = None;
            for input in snap.inputs.iter().filter(|i| i.id == c.id) {
                let p = position_of(c, input, when);
                if let Some(q) = found {
                    assert_eq!(q, p, "{when}: two inputs of control `{}` disagree", c.id);
                }
                found = Some(p);
            }
            if let Some(p) = found {
                positions[ci] = p;
            }
            let label = &c.positions[positions[ci]].label;
            for l in snap.labels.iter().filter(|l| l.id == c.id) {
                assert_eq!(
                    &l.text, label,
                    "{when}: the <output> of control `{}` should name its position",
                    c.id
                );
            }
        }
        State { track, positions }
    }

    /// Reads the page and checks every shown value against the model at the
    /// state the inputs show, after asserting the `expect`ed (control id,
    /// position) pairs. Returns the state and the plots' HTML by act.
    fn check(
        &self,
        when: &str,
        expect: &[(&str, usize)],
    ) -> Result<(State, BTreeMap<String, String>)> {
        let lab = self.lab;
        let snap: Snapshot = self.eval_json(SNAPSHOT_JS)?;
        let state = self.state(&snap, when);
        for (id, p) in expect {
            let c = lab.control_index(id);
            let positions = &lab.mission.controls[c].positions;
            assert_eq!(
                state.positions[c], *p,
                "{when}: control `{id}` should be at `{}` but the page shows `{}`",
                positions[*p].label, positions[state.positions[c]].label
            );
        }
        let live = lab.eval(&state);
        let pinned_state = State {
            track: state.track,
            positions: lab.defaults[state.track].clone(),
        };
        let pinned = lab.eval(&pinned_state);

        let mut failures = Vec::new();
        // Names shown in each act's simulator.
        let mut sim_names: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut n_pinned = 0;
        let mut n_scenario = 0;
        for (i, v) in snap.values.iter().enumerate() {
            let is_live = v.area != "pinned";
            // A value at a named scenario: the track's defaults with the
            // scenario's settings (and its track, if it fixes one).
            let at_scenario;
            let scenario_values;
            let (values, at) = if let Some(id) = &v.scenario {
                n_scenario += 1;
                let index = lab
                    .mission
                    .scenarios
                    .iter()
                    .position(|s| s.id == *id)
                    .unwrap_or_else(|| panic!("{when}: unknown scenario `{id}` on the page"));
                let mode = labgen::sweep::Mode::Scenario(index as u16);
                let track = lab.mission.scenarios[index].track.unwrap_or(state.track);
                at_scenario = State {
                    track,
                    positions: labgen::sweep::base_positions(&lab.mission, mode)[track].clone(),
                };
                scenario_values = lab.eval(&at_scenario);
                (&scenario_values, &at_scenario)
            } else if is_live {
                if v.area == "simulator" {
                    let act = v.act.as_deref().unwrap_or("");
                    sim_names.entry(act).or_default().insert(&v.name);
                }
                (&live, &state)
            } else {
                n_pinned += 1;
                (&pinned, &pinned_state)
            };
            let who = format!(
                "value #{i} `{}` ({} of act {}, in {})",
                v.name,
                v.area,
                v.act.as_deref().unwrap_or("-"),
                v.place
            );
            if let Err(e) = check_value(lab, v, values, at) {
                failures.push(format!("{who}: {e}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{when}: {} of {} shown values are wrong (page state {}):\n  {}",
            failures.len(),
            snap.values.len(),
            lab.describe(&state),
            failures.join("\n  ")
        );
        assert!(n_scenario > 0, "{when}: no value at a scenario was checked");
        assert!(
            n_pinned >= MIN_PINNED,
            "{when}: only {n_pinned} pinned values found (want at least {MIN_PINNED})"
        );
        for act in lab.mission.acts.iter().filter(|a| a.simulator.is_some()) {
            let count = snap
                .values
                .iter()
                .filter(|v| v.area != "pinned" && v.act.as_deref() == Some(act.id.as_str()))
                .count();
            assert!(
                count >= MIN_LIVE_PER_ACT,
                "{when}: act `{}` shows only {count} live values (want at least {MIN_LIVE_PER_ACT})",
                act.id
            );
            let names = sim_names.get(act.id.as_str()).cloned().unwrap_or_default();
            for m in lab.metric_names(&act.id) {
                assert!(
                    names.contains(m.as_str()),
                    "{when}: the metric `{m}` of act `{}` is not among the values of its simulator ({names:?})",
                    act.id
                );
            }
        }

        assert!(!snap.plots.is_empty(), "{when}: the page has no .plot-svg");
        let mut plots = BTreeMap::new();
        for p in snap.plots {
            let act = p.act.clone().unwrap_or_default();
            assert_eq!(
                p.svgs, 1,
                "{when}: the plot of act `{act}` should hold one <svg>"
            );
            assert_eq!(
                p.role.as_deref(),
                Some("img"),
                "{when}: the plot SVG of act `{act}` should have role=\"img\""
            );
            assert!(
                p.title.as_deref().is_some_and(|t| !t.is_empty()),
                "{when}: the plot SVG of act `{act}` should have a non-empty <title> child"
            );
            assert!(
                plots.insert(act.clone(), p.html).is_none(),
                "{when}: act `{act}` has more than one plot; the swap check assumes one"
            );
        }
        Ok((state, plots))
    }

    /// Asserts the act's plot SVG was swapped across a move of `control`
    /// exactly when the plot depends on that control.
    fn check_plot_swap(
        &self,
        act: &str,
        control: &str,
        before: &BTreeMap<String, String>,
        after: &BTreeMap<String, String>,
        when: &str,
    ) {
        let depends = self
            .lab
            .plot_controls(act)
            .contains(&self.lab.control_index(control));
        let (b, a) = (&before[act], &after[act]);
        if depends {
            assert_ne!(
                b, a,
                "{when}: the plot of act `{act}` depends on `{control}` but its SVG was not swapped"
            );
        } else {
            assert_eq!(
                b, a,
                "{when}: the plot of act `{act}` does not depend on `{control}` but its SVG changed"
            );
        }
    }

    /// The lock of `act` holds `key`: simulator, reveal and reflection
    /// shown, placeholder and message hidden, the echo repeats `key`'s
    /// option, only `key`'s feedback is shown, radios and button disabled.
    fn assert_locked(&self, act: &str, key: &str) -> Result<LockOnPage> {
        let when = format!("after locking {key} in act `{act}`");
        self.wait_visible(
            &format!("section.simulator[data-locked-by=\"{act}\"]"),
            &format!("the simulator of act `{act}` to open ({when})"),
        )?;
        let l = self.lock(act)?;
        assert!(l.simulator, "{when}: the simulator should be visible");
        assert!(l.reveal, "{when}: the reveal should be visible");
        assert!(l.reflection, "{when}: the reflection should be visible");
        assert!(
            !l.placeholder,
            "{when}: the locked placeholder should be hidden"
        );
        assert!(!l.message, "{when}: the lock message should be hidden");
        assert_eq!(
            l.locked.as_deref(),
            Some(key),
            "{when}: data-locked of the form"
        );
        assert_eq!(l.checked.as_deref(), Some(key), "{when}: the checked radio");
        assert!(
            l.enabled.is_empty(),
            "{when}: these lock inputs are still enabled: {:?}",
            l.enabled
        );
        let option = l
            .options
            .get(key)
            .unwrap_or_else(|| panic!("{when}: no option text for {key}: {:?}", l.options));
        assert!(!option.is_empty(), "{when}: option {key} has no text");
        assert_eq!(
            l.echo.as_deref(),
            Some(option.as_str()),
            "{when}: the prediction echo should repeat option {key}'s text"
        );
        assert!(
            l.feedback.len() >= 2,
            "{when}: expected a feedback per option, found {:?}",
            l.feedback
        );
        let want = format!("lock:{act}:{key}");
        for (name, shown) in &l.feedback {
            assert_eq!(
                *shown,
                *name == want,
                "{when}: feedback `{name}` should be {}",
                if *name == want { "visible" } else { "hidden" }
            );
        }
        Ok(l)
    }
}

/// The position a control's input shows.
fn position_of(c: &labgen::mission::Control, input: &InputOnPage, when: &str) -> usize {
    match &c.kind {
        ControlKind::Select => {
            assert_eq!(
                input.tag, "select",
                "{when}: control `{}` is a select",
                c.id
            );
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
            assert_eq!(
                input.kind, "range",
                "{when}: control `{}` is a slider",
                c.id
            );
            let v: f64 = input
                .value
                .parse()
                .unwrap_or_else(|_| panic!("{when}: slider `{}` value {:?}", c.id, input.value));
            // Evenly spaced sliders carry display values, the others indices.
            let (lo, step) = uniform.unwrap_or((0.0, 1.0));
            let x = (v - lo) / step;
            assert!(
                (x - x.round()).abs() < 1e-6
                    && x.round() >= 0.0
                    && (x.round() as usize) < c.positions.len(),
                "{when}: slider `{}` value {v} is not one of its {} steps (min {lo}, step {step})",
                c.id,
                c.positions.len()
            );
            let p = x.round() as usize;
            assert_eq!(
                input.valuetext.as_deref(),
                Some(c.positions[p].label.as_str()),
                "{when}: aria-valuetext of slider `{}` at position {p}",
                c.id
            );
            p
        }
    }
}

/// Checks one shown value against the model's `values` at state `at`:
/// `data-number` in `data-unit` within 1e-9 (relative), the unit one the
/// value is displayed in, and the text as `format::show` writes it.
fn check_value(lab: &Lab, v: &ShownValue, values: &[f64], at: &State) -> Result<(), String> {
    let slot = lab.model.slot(&v.name).ok_or("no such name in the model")?;
    let base = values[slot];
    let (Some(number), Some(unit)) = (&v.number, &v.unit) else {
        return Err("lacks data-number or data-unit".into());
    };
    let got: f64 = number
        .parse()
        .map_err(|_| format!("data-number {number:?} is not a number"))?;
    let want = in_unit(base, unit)?;
    if !close(want, got) {
        return Err(format!(
            "data-number is {got} {unit} but the model gives {want} {unit} at {}",
            lab.describe(at)
        ));
    }
    let shows: Vec<_> = lab.displays[&v.name]
        .iter()
        .map(|d| show(base, &d.unit, d.digits))
        .collect();
    if !shows.iter().any(|s| s.unit == *unit) {
        return Err(format!(
            "data-unit is {unit:?} but the model's value {base} shows in {:?} at {}",
            shows.iter().map(|s| s.unit.as_str()).collect::<Vec<_>>(),
            lab.describe(at)
        ));
    }
    if !shows.iter().any(|s| s.text == v.text) {
        return Err(format!(
            "the text is {:?} but the model's value shows as {:?} at {}",
            v.text,
            shows.iter().map(|s| s.text.as_str()).collect::<Vec<_>>(),
            lab.describe(at)
        ));
    }
    Ok(())
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

/// The Chromium to drive: `LABGEN_CHROMIUM` when set (none if it names no
/// file), else `/usr/bin/chromium`, else the first Chromium/Chrome on `PATH`.
fn find_chromium() -> Option<PathBuf> {
    if let Some(chosen) = std::env::var_os("LABGEN_CHROMIUM") {
        let chosen = PathBuf::from(chosen);
        return chosen.is_file().then_some(chosen);
    }
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

    // Build in memory, write atomically, check the written files offline.
    let build =
        labgen::build(root).unwrap_or_else(|d| panic!("the bundled book does not build:\n{d}"));
    let tmp = tempfile::tempdir()?;
    let out = tmp.path().join("book");
    labgen::output::write_atomically(&out, &build.files)?;
    let page_path = out.join(LAB_PAGE);
    assert!(page_path.is_file(), "the build wrote no {LAB_PAGE}");
    assert_no_remote_references(&out);
    let lab = Lab::load(root);

    let Some(chromium) = find_chromium() else {
        if std::env::var("LABGEN_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!(
                "LABGEN_REQUIRE_BROWSER=1 but no Chromium was found (looked at LABGEN_CHROMIUM, \
                 /usr/bin/chromium, then chromium, chromium-browser, google-chrome, \
                 google-chrome-stable on PATH)"
            );
        }
        eprintln!(
            "\n{bar}\n!! SKIPPED tests/browser.rs: no Chromium found (LABGEN_CHROMIUM, /usr/bin/chromium,\n\
             !! or chromium / chromium-browser / google-chrome on PATH). The lab page was built\n\
             !! but NOT exercised in a browser. Set LABGEN_REQUIRE_BROWSER=1 to make this fail.\n{bar}\n",
            bar = "!".repeat(86)
        );
        return Ok(());
    };

    // ---- One browser, one tab -------------------------------------------------
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .into_iter()
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

    // Record every request and every script error, from before navigation.
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

    tab.navigate_to(&file_url(&page_path))?
        .wait_until_navigated()?;
    let page = Page {
        tab: Arc::clone(&tab),
        lab: &lab,
    };
    // The script is deferred: once the document is complete it has run.
    page.wait_until("document.readyState === 'complete'", "the lab page to load")?;
    let cloud = lab.track_index("cloud");
    let edge = lab.track_index("edge");
    let workers = lab.control_index("workers");
    let dataset_tb = lab.control_index("dataset_tb");
    let dataset = lab.control_index("dataset");
    let link = lab.control_index("link");
    let budget = lab.control_index("budget");
    let label_position = |c: usize, label: &str| {
        lab.mission.controls[c]
            .positions
            .iter()
            .position(|p| p.label == label)
            .unwrap_or_else(|| {
                panic!(
                    "control `{}` has no position `{label}`",
                    lab.mission.controls[c].id
                )
            })
    };

    // ---- Act 1 before the lock: closed; locking with no choice warns --------
    let act = "pipeline";
    let lock = format!("form[data-lock=\"{act}\"]");
    let l = page.lock(act)?;
    let when = "at load";
    assert!(
        !l.simulator,
        "{when}: the simulator of `{act}` must be hidden before the lock"
    );
    assert!(
        !l.reveal,
        "{when}: the reveal of `{act}` must be hidden before the lock"
    );
    assert!(
        !l.reflection,
        "{when}: the reflection of `{act}` must be hidden before the lock"
    );
    assert!(
        l.placeholder,
        "{when}: the locked placeholder of `{act}` should be shown"
    );
    assert!(!l.message, "{when}: the lock message should be hidden");
    assert!(
        l.feedback.iter().all(|(_, shown)| !shown),
        "{when}: no feedback may show: {:?}",
        l.feedback
    );
    let (state, plots) = page.check(when, &[])?;
    assert_eq!(
        state,
        State {
            track: cloud,
            positions: lab.defaults[cloud].clone()
        },
        "{when}: the page should show the cloud track at its defaults"
    );

    page.click(&format!("{lock} button[type=\"submit\"]"))?;
    page.wait_visible(
        &format!("{lock} [data-lock-message]"),
        "the lock message after submitting with no choice",
    )?;
    let l = page.lock(act)?;
    let when = "after submitting the lock with no choice";
    assert!(
        !l.simulator && !l.reveal && !l.reflection,
        "{when}: nothing may open: {l:?}"
    );
    assert!(l.locked.is_none(), "{when}: the form must not be locked");
    assert_eq!(
        l.enabled.len(),
        l.options.len() + 1,
        "{when}: radios and button stay enabled: {l:?}"
    );

    // ---- Choose B with the mouse and lock -------------------------------------
    page.click(&format!("{lock} label.option:has(input[value=\"B\"])"))?;
    page.wait_until(
        &format!(
            "document.querySelector({}).checked",
            js(&format!("{lock} input[value=\"B\"]"))
        ),
        "option B to be checked after clicking its label",
    )?;
    assert!(
        !page.lock(act)?.simulator,
        "choosing B must not open the simulator before submitting"
    );
    page.click(&format!("{lock} button[type=\"submit\"]"))?;
    let l = page.assert_locked(act, "B")?;
    assert_eq!(
        l.focused,
        format!("#sim-{act}"),
        "after the lock, focus should land on the simulator heading"
    );

    // The reflection: no choice shows its message, a choice only its feedback.
    let reflection = format!("form[data-reflection=\"{act}\"]");
    page.click(&format!("{reflection} button[type=\"submit\"]"))?;
    page.wait_visible(
        &format!("{reflection} [data-reflection-message]"),
        "the reflection message after checking with no choice",
    )?;
    let correct = lab
        .mission
        .acts
        .iter()
        .find(|a| a.id == act)
        .and_then(|a| a.reflection.as_ref())
        .map(|q| q.correct.clone())
        .expect("the pipeline act has a reflection");
    page.click(&format!(
        "{reflection} label.option:has(input[value=\"{correct}\"])"
    ))?;
    page.click(&format!("{reflection} button[type=\"submit\"]"))?;
    page.wait_visible(
        &format!("[data-feedback=\"reflection:{act}:{correct}\"]"),
        "the feedback of the chosen reflection answer",
    )?;
    let shown: Vec<String> = page.eval_json(&format!(
        "JSON.stringify(Array.from(document.querySelectorAll({}))
           .filter((el) => !el.hidden && el.checkVisibility()).map((el) => el.getAttribute('data-feedback') || 'message'))",
        js(&format!("{reflection} [data-feedback], {reflection} [data-reflection-message]"))
    ))?;
    assert_eq!(
        shown,
        vec![format!("reflection:{act}:{correct}")],
        "after answering the reflection, only its feedback should show (the message hides)"
    );
    let (_, mut plots_before) = page.check("after locking the pipeline prediction", &[])?;
    assert_eq!(plots, plots_before, "locking must not change the plots");

    // ---- Act 1: move the controls -------------------------------------------------
    // storage: select nvme, dispatch `change`.
    let nvme = lab.key_position("storage", "nvme");
    page.set_and_dispatch("#ctl-storage", "nvme", "change")?;
    let when = "after selecting storage = nvme";
    let mut moved = vec![("storage", nvme)];
    let (_, plots) = page.check(when, &moved)?;
    page.check_plot_swap(act, "storage", &plots_before, &plots, when);
    plots_before = plots;

    // workers: keyboard, ArrowRight three times.
    let w0 = state.positions[workers];
    let w3 = w0 + 3;
    page.focus("#ctl-workers")?;
    page.press("ArrowRight", 3)?;
    page.wait_until(
        &format!(
            "document.querySelector('output[data-control-label=\"workers\"]').textContent === {}",
            js(&lab.mission.controls[workers].positions[w3].label)
        ),
        "the workers slider to move three steps right",
    )?;
    let when = "after pressing ArrowRight three times on the workers slider";
    moved.push(("workers", w3));
    let (_, plots) = page.check(when, &moved)?;
    page.check_plot_swap(act, "workers", &plots_before, &plots, when);
    plots_before = plots;

    // workers again: set the value, dispatch `input` (what a drag fires).
    let w16 = label_position(workers, "16");
    page.set_and_dispatch("#ctl-workers", "16", "input")?;
    let when = "after setting workers = 16 with an input event";
    moved[1] = ("workers", w16);
    let (_, plots) = page.check(when, &moved)?;
    page.check_plot_swap(act, "workers", &plots_before, &plots, when);
    plots_before = plots;

    // dataset_tb: set the value, dispatch `input`.
    let tb42 = label_position(dataset_tb, "42 TB");
    page.set_and_dispatch("#ctl-dataset_tb", "42", "input")?;
    let when = "after setting dataset_tb = 42 TB with an input event";
    moved.push(("dataset_tb", tb42));
    let (_, plots) = page.check(when, &moved)?;
    page.check_plot_swap(act, "dataset_tb", &plots_before, &plots, when);

    // ---- Track: edge, by clicking its label --------------------------------------
    page.click("[data-control=\"track\"] label:has(input[value=\"edge\"])")?;
    page.wait_until(
        "document.querySelector('[data-control=\"track\"] input[value=\"edge\"]').checked",
        "the edge track to be selected",
    )?;
    let when = "after switching the track to edge";
    let mut expect = moved.clone();
    expect.push(("link", lab.defaults[edge][link]));
    let (state, _) = page.check(when, &expect)?;
    assert_eq!(
        state.track, edge,
        "{when}: the page should be on the edge track"
    );
    let summaries: Vec<bool> = page.eval_json(
        "JSON.stringify(Array.from(document.querySelectorAll('.track-summary'), (el) => !el.hidden && el.checkVisibility()))",
    )?;
    assert_eq!(
        summaries,
        (0..lab.mission.tracks.len())
            .map(|t| t == edge)
            .collect::<Vec<_>>(),
        "{when}: only the edge track's summary should show"
    );

    // ---- Act 2: lock with the keyboard only -----------------------------------------
    let act = "gravity";
    let lock = format!("form[data-lock=\"{act}\"]");
    assert!(
        !page.lock(act)?.simulator,
        "the gravity simulator must be hidden before its lock"
    );
    // Start on the last focusable element of the previous act (its MathPeek
    // summary) and Tab forward into this act's lock.
    page.focus("#act-pipeline details.mathpeek > summary")?;
    let first_radio = format!("input[name=lock-{act}][value=A][type=radio]");
    let mut path = Vec::new();
    for _ in 0..8 {
        page.press("Tab", 1)?;
        path.push(page.focused()?);
        if path.last() == Some(&first_radio) {
            break;
        }
    }
    assert_eq!(
        path.last(),
        Some(&first_radio),
        "Tab from the pipeline MathPeek should reach the first {act} prediction radio; focus went {path:?}"
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
    assert_eq!(
        page.focused()?,
        "button[type=submit]",
        "Tab from the chosen radio should reach the lock button"
    );
    page.press("Enter", 1)?;
    let l = page.assert_locked(act, "B")?;
    assert_eq!(
        l.focused,
        format!("#sim-{act}"),
        "after the keyboard lock, focus should land on the simulator heading"
    );
    let (state, mut plots_before) = page.check(
        "after locking the gravity prediction with the keyboard",
        &expect,
    )?;

    // ---- Act 2: move the controls -------------------------------------------------
    // dataset: keyboard, ArrowLeft twice.
    let d0 = state.positions[dataset];
    assert!(
        d0 >= 2,
        "the dataset slider should start two steps above its minimum"
    );
    page.focus("#ctl-dataset")?;
    page.press("ArrowLeft", 2)?;
    page.wait_until(
        &format!(
            "document.querySelector('output[data-control-label=\"dataset\"]').textContent === {}",
            js(&lab.mission.controls[dataset].positions[d0 - 2].label)
        ),
        "the dataset slider to move two steps left",
    )?;
    let when = "after pressing ArrowLeft twice on the dataset slider";
    expect.push(("dataset", d0 - 2));
    let (_, plots) = page.check(when, &expect)?;
    page.check_plot_swap(act, "dataset", &plots_before, &plots, when);
    plots_before = plots;

    // budget: set the slider to a new stop, dispatch `input`.
    let b = lab.mission.controls[budget].positions.len() - 2;
    assert_ne!(
        b, state.positions[budget],
        "the budget move must change the budget"
    );
    page.set_and_dispatch("#ctl-budget", &b.to_string(), "input")?;
    let when = "after moving the budget slider with an input event";
    expect.push(("budget", b));
    let (_, plots) = page.check(when, &expect)?;
    page.check_plot_swap(act, "budget", &plots_before, &plots, when);

    // Back to cloud: the link jumps to the cloud default; moved controls stay.
    page.click("[data-control=\"track\"] label:has(input[value=\"cloud\"])")?;
    page.wait_until(
        "document.querySelector('[data-control=\"track\"] input[value=\"cloud\"]').checked",
        "the cloud track to be selected",
    )?;
    let when = "after switching the track back to cloud";
    for e in expect.iter_mut().filter(|(id, _)| *id == "link") {
        e.1 = lab.defaults[cloud][link];
    }
    let (state, plots_before) = page.check(when, &expect)?;
    assert_eq!(
        state.track, cloud,
        "{when}: the page should be on the cloud track"
    );

    // link: select 10g, dispatch `change`.
    let ten = lab.key_position("link", "10g");
    assert_ne!(
        ten, state.positions[link],
        "the link move must change the link"
    );
    page.set_and_dispatch("#ctl-link", "10g", "change")?;
    let when = "after selecting link = 10g on the cloud track";
    for e in expect.iter_mut().filter(|(id, _)| *id == "link") {
        e.1 = ten;
    }
    let (_, plots) = page.check(when, &expect)?;
    page.check_plot_swap(act, "link", &plots_before, &plots, when);

    // ---- No network, no errors ---------------------------------------------------
    let entries: Vec<String> = page.eval_json(
        "JSON.stringify(performance.getEntries()
           .filter((e) => e.entryType === 'resource' || e.entryType === 'navigation').map((e) => e.name))",
    )?;
    assert!(
        entries.iter().any(|u| u.ends_with(LAB_PAGE)),
        "the Performance API should list the page itself: {entries:?}"
    );
    let remote: Vec<&String> = entries.iter().filter(|u| !u.starts_with("file:")).collect();
    assert!(
        remote.is_empty(),
        "the page loaded non-file resources (Performance API): {remote:?}"
    );
    let requests = requests.lock().unwrap().clone();
    for asset in [LAB_PAGE, "theme/labgen.js", "theme/labgen.css"] {
        assert!(
            requests.iter().any(|u| u.ends_with(asset)),
            "the DevTools request log should hold {asset} (is Network recording?): {requests:?}"
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
        "browser test: {} requests, none remote; done in {:.2?}",
        requests.len(),
        started.elapsed()
    );
    Ok(())
}
