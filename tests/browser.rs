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
//! A second test, `every_lab_page_works_in_every_track`, opens every lab page
//! of the same build in turn. It locks every prediction, then on every track
//! moves every simulator control through every one of its positions, one
//! control at a time with the others at the track's defaults (selects by
//! `change`, sliders by `input`, toggles by a click), and reads the whole
//! page back in one DevTools round trip per control (each round trip costs
//! about 100 ms, so the moves and reads of one sweep run in a single
//! evaluation). After every move it asserts that:
//!
//! * the inputs and their labels show the state that was set;
//! * every value (`[data-value]`) is what `Model::eval` gives, at the state
//!   set (live), at the track's defaults (pinned) or at its scenario;
//! * every `[data-cell]` element shows the field values the page's
//!   `labgen-data` block holds for that state: `text`, `number`, `unit`,
//!   `tone`, `on` (as `hidden`) and `html` (the element's innerHTML is the
//!   browser's serialization of `fragments[id]`);
//! * no script error was thrown (an `error` listener installed before the
//!   page's script, and DevTools' exception and console logs).
//!
//! It also types a number into every task form, submits it, and checks the
//! answer panel opens and the ledger in `localStorage` records
//! `numeric[<task id>]`.
//!
//! Skipping: without a Chromium binary (`LABGEN_CHROMIUM` if set, else
//! `/usr/bin/chromium`, else `chromium`, `chromium-browser`, `google-chrome`
//! or `google-chrome-stable` on `PATH`) the test prints a loud note to
//! stderr and passes, unless `LABGEN_REQUIRE_BROWSER=1` is set (as CI does),
//! in which case it fails. Both tests skip alike.

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
    /// The lab that builds [`LAB_PAGE`].
    fn load(root: &Path) -> Lab {
        Lab::load_all(root)
            .into_iter()
            .find(|l| format!("{}.html", l.mission.id) == LAB_PAGE)
            .unwrap_or_else(|| panic!("no bundled mission builds {LAB_PAGE}"))
    }

    /// Every bundled lab, in the order the book lists them.
    fn load_all(root: &Path) -> Vec<Lab> {
        let config =
            labgen::config::load(root).unwrap_or_else(|d| panic!("book.toml does not load:\n{d}"));
        let (missions, diags) = labgen::mission::load_all(root, &root.join(&config.missions));
        assert!(!diags.has_errors(), "the missions do not load:\n{diags}");
        missions.into_iter().map(Lab::new).collect()
    }

    fn new(mission: Mission) -> Lab {
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
/// ratio times 100 for `%`; the bare value for no unit. `y` is the label
/// durations use for years (365 days).
fn in_unit(base: f64, unit: &str) -> Result<f64, String> {
    match unit {
        "%" => Ok(base * 100.0),
        "" => Ok(base),
        "y" => in_unit(base, "year"),
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
        self.try_state(snap, when).unwrap_or_else(|e| panic!("{e}"))
    }

    /// [`Page::state`], with what does not add up as an error.
    fn try_state(&self, snap: &Snapshot, when: &str) -> Result<State, String> {
        let lab = self.lab;
        let track = match snap.track.as_slice() {
            [t] => lab
                .mission
                .tracks
                .iter()
                .position(|x| x.id == *t)
                .ok_or_else(|| format!("{when}: the page checks an unknown track `{t}`"))?,
            [] if !lab.mission.has_track_selector => 0,
            other => {
                return Err(format!(
                    "{when}: expected one checked track radio, found {other:?}"
                ))
            }
        };
        let mut positions = lab.defaults[track].clone();
        for (ci, c) in lab.mission.controls.iter().enumerate() {
            let mut found: Option<usize> = None;
            for input in snap.inputs.iter().filter(|i| i.id == c.id) {
                let p = try_position_of(c, input, when)?;
                if let Some(q) = found {
                    if q != p {
                        return Err(format!("{when}: two inputs of control `{}` disagree", c.id));
                    }
                }
                found = Some(p);
            }
            if let Some(p) = found {
                positions[ci] = p;
            }
            let label = &c.positions[positions[ci]].label;
            for l in snap.labels.iter().filter(|l| l.id == c.id) {
                if &l.text != label {
                    return Err(format!(
                        "{when}: the <output> of control `{}` should name its position {label:?}, shows {:?}",
                        c.id, l.text
                    ));
                }
            }
        }
        Ok(State { track, positions })
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

/// The position a control's input shows, or what does not add up.
fn try_position_of(
    c: &labgen::mission::Control,
    input: &InputOnPage,
    when: &str,
) -> Result<usize, String> {
    match &c.kind {
        ControlKind::Select => {
            if input.tag != "select" {
                return Err(format!("{when}: control `{}` is a select", c.id));
            }
            c.positions
                .iter()
                .position(|p| p.key == input.value)
                .ok_or_else(|| {
                    format!(
                        "{when}: select `{}` shows {:?}, not an option key",
                        c.id, input.value
                    )
                })
        }
        ControlKind::Toggle => Ok(usize::from(input.checked)),
        ControlKind::Slider { uniform } => {
            if input.kind != "range" {
                return Err(format!("{when}: control `{}` is a slider", c.id));
            }
            let v: f64 = input
                .value
                .parse()
                .map_err(|_| format!("{when}: slider `{}` value {:?}", c.id, input.value))?;
            // Evenly spaced sliders carry display values, the others indices.
            let (lo, step) = uniform.unwrap_or((0.0, 1.0));
            let x = (v - lo) / step;
            if !((x - x.round()).abs() < 1e-6
                && x.round() >= 0.0
                && (x.round() as usize) < c.positions.len())
            {
                return Err(format!(
                    "{when}: slider `{}` value {v} is not one of its {} steps (min {lo}, step {step})",
                    c.id,
                    c.positions.len()
                ));
            }
            let p = x.round() as usize;
            if input.valuetext.as_deref() != Some(c.positions[p].label.as_str()) {
                return Err(format!(
                    "{when}: aria-valuetext of slider `{}` at position {p} is {:?}, want {:?}",
                    c.id, input.valuetext, c.positions[p].label
                ));
            }
            Ok(p)
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
            // The PDF edition is a printed book, not something a browser loads.
            if path.extension().is_some_and(|e| e == "pdf") {
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

/// A headless Chromium with one tab, quiet on the network (no updates, no
/// sync) so that every request a page makes is its own. Keep the browser
/// alive as long as the tab is used.
fn launch(chromium: &Path) -> Result<(Browser, Arc<Tab>)> {
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
        .path(Some(chromium.to_path_buf()))
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
    Ok((browser, tab))
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
    let (_browser, tab) = launch(&chromium)?;

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

// ---------------------------------------------------------------------------
// Every lab page, every track, every control position.
// ---------------------------------------------------------------------------

/// Installed before any page script runs: records every uncaught error and
/// unhandled rejection, so a sweep can tell which move threw.
const ERRORS_JS: &str = r#"window.__labgenErrors = [];
window.addEventListener('error', (e) => window.__labgenErrors.push(
  String(e.message || e.type) + ' at ' + (e.filename || '?') + ':' + (e.lineno || 0) + ':' + (e.colno || 0)));
window.addEventListener('unhandledrejection', (e) => window.__labgenErrors.push('unhandled rejection: ' + String(e.reason)));"#;

/// Run once per loaded page: indexes the fragments by their serialized
/// form, lists every `[data-cell]`/`[data-value]` element, and installs
/// `window.__lt` with `read()` (the state of every listed element, every
/// control input and label, in one JSON value) and `sweep()` (moves one
/// control through the given values, reading the page after each move).
/// Returns the static description of the listed elements.
const SWEEP_SETUP_JS: &str = r#"(() => {
  const all = (s, root) => Array.from((root || document).querySelectorAll(s));
  const data = JSON.parse(document.getElementById('labgen-data').textContent);
  // The page sets a plot with `el.innerHTML = fragment`; reading innerHTML
  // back gives the browser's serialization of the fragment (self-closing SVG
  // tags written out, etc.). Index each fragment by that serialization;
  // `canon[i]` is the first fragment that serializes like fragment i.
  const scratch = document.createElement('div');
  const bySerial = new Map();
  const canon = data.fragments.map((f, i) => {
    scratch.innerHTML = f;
    const k = scratch.innerHTML;
    if (!bySerial.has(k)) bySerial.set(k, i);
    return bySerial.get(k);
  });
  const area = (el) => {
    if (el.closest('.sim-intro')) return 'pinned';
    if (el.closest('.simulator')) return 'simulator';
    if (el.closest('.reveal-text')) return 'reveal';
    if (el.closest('.worked-example')) return 'worked-example';
    return 'pinned';
  };
  const place = (el) => {
    const box = el.closest('.card, .banner, .feedback, li, legend, label, p, blockquote, figure, div');
    if (!box) return el.tagName.toLowerCase();
    const name = box.className ? '.' + box.className.trim().split(/\s+/).join('.') : box.tagName.toLowerCase();
    return name + ' "' + box.textContent.replace(/\s+/g, ' ').trim().slice(0, 70) + '"';
  };
  const actOf = (el) => { const a = el.closest('[data-act]'); return a ? a.getAttribute('data-act') : null; };
  const LISTED = '[data-cell], [data-value]';
  const els = all(LISTED);
  const cellOf = (el) => { const c = el.getAttribute('data-cell'); return /^\d+$/.test(c || '') ? Number(c) : null; };
  const isHtml = els.map((el) => { const c = data.cells[cellOf(el)]; return !!c && c.html !== undefined; });
  const inputs = all('[data-control]:not([data-control="track"])');
  const labels = all('[data-control-label]');
  const attr = (el, n) => el.getAttribute(n);
  const read = () => ({
    e: els.map((el, k) => [
      el.childElementCount === 0 ? el.textContent : null,
      attr(el, 'data-number'), attr(el, 'data-unit'), attr(el, 'data-tone'), el.hidden,
      isHtml[k] ? (bySerial.has(el.innerHTML) ? bySerial.get(el.innerHTML) : -1) : null,
    ]),
    i: inputs.map((el) => [el.value, !!el.checked, attr(el, 'aria-valuetext')]),
    l: labels.map((el) => el.textContent),
    t: all('[data-control="track"] input[type="radio"]').filter((r) => r.checked).map((r) => r.value),
    errors: window.__labgenErrors.splice(0),
    listed: document.querySelectorAll(LISTED).length,
    ok: true,
  });
  // Moves the control `id` of act `act` to each of `values` in turn (a
  // select: value + `change`; a slider: value + `input`, as a drag fires; a
  // toggle: a click when it must flip), reading the page after every move.
  const sweep = (act, id, kind, values) => {
    const found = all(`section[data-act="${CSS.escape(act)}"] [data-control="${CSS.escape(id)}"]`);
    if (found.length !== 1) return JSON.stringify({ error: `act ${act} has ${found.length} inputs for control ${id}` });
    const el = found[0];
    const is = kind === 'select' ? el.tagName === 'SELECT' : kind === 'range' ? el.type === 'range' : el.type === 'checkbox';
    if (!is) return JSON.stringify({ error: `control ${id} is a <${el.tagName.toLowerCase()} type=${el.type}>, not a ${kind}` });
    const rows = values.map((v) => {
      let ok;
      if (kind === 'checkbox') {
        if (el.checked !== (v === '1')) el.click();
        ok = el.checked === (v === '1');
      } else {
        el.value = v;
        el.dispatchEvent(new Event(kind === 'select' ? 'change' : 'input', { bubbles: true }));
        ok = el.value === v;
      }
      const r = read();
      r.ok = ok;
      return r;
    });
    return JSON.stringify({ rows });
  };
  // Chooses a track by clicking its label, then reads the page.
  const track = (key) => {
    const radio = document.querySelector(`[data-control="track"] input[type="radio"][value="${CSS.escape(key)}"]`);
    if (!radio) return JSON.stringify({ error: `no track radio ${key}` });
    radio.closest('label').click();
    const r = read();
    r.ok = radio.checked;
    return JSON.stringify(r);
  };
  window.__lt = { read: () => JSON.stringify(read()), sweep, track };
  return JSON.stringify({
    canon,
    elements: els.map((el) => ({
      cell: cellOf(el), name: attr(el, 'data-value'), scenario: attr(el, 'data-scenario'),
      area: area(el), act: actOf(el), place: place(el),
    })),
    inputs: inputs.map((el) => ({ id: attr(el, 'data-control'), tag: el.tagName.toLowerCase(), type: el.type || '' })),
    labels: labels.map((el) => attr(el, 'data-control-label')),
  });
})()"#;

/// The `labgen-data` block of a written page.
#[derive(Debug, serde::Deserialize)]
struct PageData {
    lab: String,
    book_version: String,
    controls: BTreeMap<String, DataControl>,
    track_defaults: BTreeMap<String, BTreeMap<String, usize>>,
    cells: Vec<DataCell>,
    fragments: Vec<String>,
}

#[derive(Debug, serde::Deserialize)]
struct DataControl {
    n: usize,
    default: usize,
    labels: Vec<String>,
    keys: Option<Vec<String>>,
}

#[derive(Debug, serde::Deserialize)]
struct DataCell {
    #[serde(default)]
    dims: Vec<String>,
    #[serde(default)]
    shape: Vec<usize>,
    /// `text`, `number`, `unit`, `tone`, `on`, `html`: an array with one
    /// entry per state, or one scalar for every state.
    #[serde(flatten)]
    fields: BTreeMap<String, Value>,
}

impl PageData {
    /// Reads the block out of a written page, as a plain JSON reader would.
    fn read(page: &Path) -> PageData {
        let html =
            std::fs::read_to_string(page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        let open = r#"<script type="application/json" id="labgen-data">"#;
        let start = html
            .find(open)
            .unwrap_or_else(|| panic!("{} has no labgen-data block", page.display()))
            + open.len();
        let end = start
            + html[start..]
                .find("</script>")
                .expect("the data block is closed");
        serde_json::from_str(&html[start..end]).unwrap_or_else(|e| {
            panic!(
                "the labgen-data block of {} does not parse: {e}",
                page.display()
            )
        })
    }

    /// Checks the block describes the lab's controls and tracks as the
    /// library does, so positions mean the same thing on both sides.
    fn assert_matches(&self, lab: &Lab) {
        let id = &lab.mission.id;
        assert_eq!(&self.lab, id, "the data block names another lab");
        for (ci, c) in lab.mission.controls.iter().enumerate() {
            let d = self
                .controls
                .get(&c.id)
                .unwrap_or_else(|| panic!("{id}: the data block lacks control `{}`", c.id));
            let labels: Vec<&str> = c.positions.iter().map(|p| p.label.as_str()).collect();
            assert_eq!(d.n, labels.len(), "{id}: positions of control `{}`", c.id);
            assert_eq!(d.labels, labels, "{id}: labels of control `{}`", c.id);
            assert_eq!(
                d.default, lab.defaults[0][ci],
                "{id}: default of `{}` on the first track",
                c.id
            );
            if c.kind == ControlKind::Select {
                let keys: Vec<&str> = c.positions.iter().map(|p| p.key.as_str()).collect();
                assert_eq!(
                    d.keys
                        .as_deref()
                        .map(|k| k.iter().map(String::as_str).collect::<Vec<_>>()),
                    Some(keys),
                    "{id}: keys of `{}`",
                    c.id
                );
            }
        }
        if lab.mission.has_track_selector {
            let t = &self.controls["track"];
            let keys: Vec<&str> = lab.mission.tracks.iter().map(|t| t.id.as_str()).collect();
            assert_eq!(
                t.keys
                    .as_deref()
                    .map(|k| k.iter().map(String::as_str).collect::<Vec<_>>()),
                Some(keys),
                "{id}: track keys"
            );
            for (ti, track) in lab.mission.tracks.iter().enumerate() {
                for (c, p) in self.track_defaults.get(&track.id).into_iter().flatten() {
                    assert_eq!(
                        *p,
                        lab.defaults[ti][lab.control_index(c)],
                        "{id}: default of `{c}` on track `{}`",
                        track.id
                    );
                }
            }
        }
    }

    /// Index of `state` in a cell's arrays (row-major, last dim fastest).
    fn state_index(&self, lab: &Lab, cell: &DataCell, state: &State) -> Result<usize, String> {
        if cell.dims.len() != cell.shape.len() {
            return Err(format!(
                "dims {:?} and shape {:?} differ in length",
                cell.dims, cell.shape
            ));
        }
        let mut i = 0;
        for (d, &n) in cell.dims.iter().zip(&cell.shape) {
            let p = if d == "track" {
                state.track
            } else {
                let c = lab
                    .mission
                    .controls
                    .iter()
                    .position(|c| c.id == *d)
                    .ok_or_else(|| format!("unknown dim `{d}`"))?;
                state.positions[c]
            };
            if p >= n {
                return Err(format!(
                    "dim `{d}` has shape {n} but the state is at position {p}"
                ));
            }
            i = i * n + p;
        }
        Ok(i)
    }
}

/// A field of a cell at state index `i`.
fn field_at(v: &Value, i: usize) -> Option<&Value> {
    match v {
        Value::Array(a) => a.get(i),
        other => Some(other),
    }
}

/// What [`SWEEP_SETUP_JS`] reports about the listed elements.
#[derive(Debug, serde::Deserialize)]
struct SweepSetup {
    canon: Vec<usize>,
    elements: Vec<ListedElement>,
    inputs: Vec<ListedInput>,
    labels: Vec<String>,
}

#[derive(Debug, serde::Deserialize)]
struct ListedElement {
    cell: Option<usize>,
    name: Option<String>,
    scenario: Option<String>,
    area: String,
    act: Option<String>,
    place: String,
}

#[derive(Debug, serde::Deserialize)]
struct ListedInput {
    id: String,
    tag: String,
    #[serde(rename = "type")]
    kind: String,
}

/// One listed element after a move: text (when it has no child element),
/// data-number, data-unit, data-tone, hidden, and the fragment it shows
/// (plot and table cells only; -1 when it shows none of the pool).
type ElementReading = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    bool,
    Option<i64>,
);

/// The page after one move, as `__lt.read()` reports it.
#[derive(Debug, serde::Deserialize)]
struct Reading {
    /// Per listed element: text (when it has no child element),
    /// data-number, data-unit, data-tone, hidden, and the fragment it shows
    /// (for plot and table cells; -1 when it matches none).
    e: Vec<ElementReading>,
    /// Per control input: value, checked, aria-valuetext.
    i: Vec<(String, bool, Option<String>)>,
    /// Per `<output data-control-label>`: its text.
    l: Vec<String>,
    /// Checked track radios.
    t: Vec<String>,
    /// Errors thrown since the previous reading (a file:// page only tells
    /// the page "Script error."; the DevTools log has the details).
    errors: Vec<String>,
    /// How many elements the page lists now (the setup listed them once).
    listed: usize,
    /// The control took the value it was set to.
    ok: bool,
}

#[derive(Debug, serde::Deserialize)]
struct SweepResult {
    rows: Option<Vec<Reading>>,
    error: Option<String>,
}

/// Checks readings of one lab page against the library and the page's data
/// block; collects failures rather than stopping at the first.
struct LabCheck<'a> {
    lab: &'a Lab,
    data: &'a PageData,
    setup: &'a SweepSetup,
    /// Model values by (track, positions).
    cache: BTreeMap<(usize, Vec<usize>), Vec<f64>>,
    /// (what failed: lab and element or check, the full message); grouped
    /// by the first when reported.
    failures: Vec<(String, String)>,
    /// States read and checked.
    states: usize,
    /// Checks done by kind: `model` (a value against the library), or the
    /// cell field compared with the data block (`text`, `on`, `html`, …).
    counts: BTreeMap<String, usize>,
}

impl LabCheck<'_> {
    fn fail(&mut self, what: &str, message: String) {
        self.failures
            .push((format!("{}: {what}", self.lab.mission.id), message));
    }

    fn eval(&mut self, at: &State) -> &[f64] {
        let lab = self.lab;
        self.cache
            .entry((at.track, at.positions.clone()))
            .or_insert_with(|| lab.eval(at))
    }

    /// Checks one reading: the page is at `want`, threw nothing, and every
    /// listed element shows what the data block and the model give there.
    fn check(&mut self, page: &Page, r: &Reading, want: &State, when: &str) {
        let lab = self.lab;
        self.states += 1;
        if !r.errors.is_empty() {
            self.fail(
                "the page threw",
                format!("{when}: the page threw: {:?}", r.errors),
            );
        }
        if !r.ok {
            self.fail(
                "a control did not take its value",
                format!("{when}: the control did not take the value it was set to"),
            );
        }
        if r.listed != self.setup.elements.len() || r.e.len() != self.setup.elements.len() {
            self.fail(
                "elements changed",
                format!(
                    "{when}: the page lists {} elements with data-cell/data-value, {} at load",
                    r.listed,
                    self.setup.elements.len()
                ),
            );
            return;
        }
        let snap = Snapshot {
            track: r.t.clone(),
            inputs: self
                .setup
                .inputs
                .iter()
                .zip(&r.i)
                .map(|(s, (value, checked, valuetext))| InputOnPage {
                    id: s.id.clone(),
                    tag: s.tag.clone(),
                    kind: s.kind.clone(),
                    value: value.clone(),
                    checked: *checked,
                    valuetext: valuetext.clone(),
                })
                .collect(),
            labels: self
                .setup
                .labels
                .iter()
                .zip(&r.l)
                .map(|(id, text)| LabelOnPage {
                    id: id.clone(),
                    text: text.clone(),
                })
                .collect(),
            values: Vec::new(),
            plots: Vec::new(),
        };
        let shown = match page.try_state(&snap, when) {
            Ok(shown) => shown,
            Err(e) => {
                self.fail("the inputs show another state", e);
                return;
            }
        };
        if shown != *want {
            self.fail(
                "the inputs show another state",
                format!(
                    "{when}: the inputs show {} but the test set {}",
                    lab.describe(&shown),
                    lab.describe(want)
                ),
            );
            return;
        }
        let pinned = State {
            track: want.track,
            positions: lab.defaults[want.track].clone(),
        };
        for (k, (el, got)) in self.setup.elements.iter().zip(&r.e).enumerate() {
            let (text, number, unit, ..) = got;
            let who = format!(
                "element #{k} (cell {}, value {}, {} of act {}, in {})",
                el.cell.map_or("-".into(), |c| c.to_string()),
                el.name.as_deref().unwrap_or("-"),
                el.area,
                el.act.as_deref().unwrap_or("-"),
                el.place
            );
            // The cell against the page's own data block.
            if let Some(ci) = el.cell {
                match self.cell_problems(ci, want, got) {
                    Ok(problems) => {
                        for p in problems {
                            self.fail(&who, format!("{when}: {who}: {p}"));
                        }
                    }
                    Err(e) => self.fail(&who, format!("{when}: {who}: {e}")),
                }
            }
            // A value against the model.
            if let Some(name) = &el.name {
                *self.counts.entry("model".into()).or_default() += 1;
                let at = if let Some(id) = &el.scenario {
                    let Some(index) = lab.mission.scenarios.iter().position(|s| s.id == *id) else {
                        self.fail(&who, format!("{when}: {who}: unknown scenario `{id}`"));
                        continue;
                    };
                    let mode = labgen::sweep::Mode::Scenario(index as u16);
                    let track = lab.mission.scenarios[index].track.unwrap_or(want.track);
                    State {
                        track,
                        positions: labgen::sweep::base_positions(&lab.mission, mode)[track].clone(),
                    }
                } else if el.area == "pinned" {
                    pinned.clone()
                } else {
                    want.clone()
                };
                let v = ShownValue {
                    name: name.clone(),
                    number: number.clone(),
                    unit: unit.clone(),
                    text: text.clone().unwrap_or_default(),
                    act: el.act.clone(),
                    area: el.area.clone(),
                    scenario: el.scenario.clone(),
                    place: el.place.clone(),
                };
                let values = self.eval(&at).to_vec();
                if let Err(e) = check_value(lab, &v, &values, &at) {
                    self.fail(&who, format!("{when}: {who}: {e}"));
                }
            }
        }
    }

    /// What is wrong with a `data-cell` element, given the data block's
    /// cell at `state`: its text, data-number, data-unit, data-tone, hidden
    /// flag (`on`) and fragment (`html`).
    fn cell_problems(
        &mut self,
        ci: usize,
        state: &State,
        got: &ElementReading,
    ) -> Result<Vec<String>, String> {
        let (text, number, unit, tone, hidden, frag) = got;
        let cell = self
            .data
            .cells
            .get(ci)
            .ok_or_else(|| format!("no cell {ci} in the data block"))?;
        let i = self.data.state_index(self.lab, cell, state)?;
        let mut problems = Vec::new();
        for (field, v) in &cell.fields {
            *self.counts.entry(field.clone()).or_default() += 1;
            let want = field_at(v, i).ok_or_else(|| format!("field `{field}` has no state {i}"))?;
            let as_str = |v: &Value| match v {
                Value::Null => None,
                Value::String(s) => Some(s.clone()),
                other => Some(other.to_string()),
            };
            match field.as_str() {
                "text" => {
                    let want = as_str(want).unwrap_or_default();
                    if text.as_deref() != Some(want.as_str()) {
                        problems.push(format!("shows text {text:?}, the data block has {want:?}"));
                    }
                }
                "number" => {
                    let ok = match (want, number) {
                        (Value::Null, None) => true,
                        (Value::Number(n), Some(s)) => s
                            .parse::<f64>()
                            .is_ok_and(|x| n.as_f64().is_some_and(|n| close(n, x))),
                        _ => false,
                    };
                    if !ok {
                        problems.push(format!(
                            "data-number is {number:?}, the data block has {want}"
                        ));
                    }
                }
                "unit" | "tone" => {
                    let shown = if field == "unit" { unit } else { tone };
                    if *shown != as_str(want) {
                        problems.push(format!(
                            "data-{field} is {shown:?}, the data block has {want}"
                        ));
                    }
                }
                "on" => {
                    let on = match want {
                        Value::Bool(b) => *b,
                        Value::Number(n) => n.as_f64() != Some(0.0),
                        other => return Err(format!("field `on` holds {other}")),
                    };
                    if *hidden == on {
                        problems.push(format!(
                            "is {} but the data block has on = {want}",
                            if *hidden { "hidden" } else { "shown" }
                        ));
                    }
                }
                "html" => {
                    let f = want
                        .as_u64()
                        .and_then(|f| usize::try_from(f).ok())
                        .filter(|f| *f < self.data.fragments.len())
                        .ok_or_else(|| {
                            format!("field `html` holds {want}, not a fragment index")
                        })?;
                    let shown = frag.and_then(|s| usize::try_from(s).ok());
                    if shown != Some(self.setup.canon[f]) {
                        problems.push(format!(
                            "shows fragment {} but the data block maps this state to fragment {f}",
                            shown.map_or("(none of the pool)".to_string(), |s| s.to_string())
                        ));
                    }
                }
                other => return Err(format!("unknown cell field `{other}`")),
            }
        }
        Ok(problems)
    }
}

/// The input value that puts control `c` at position `p`: an option key, a
/// slider value (in display units for evenly spaced sliders, else the stop
/// index), or `1`/`0` for a toggle. Also the sweep's kind of input.
fn input_value(c: &labgen::mission::Control, p: usize) -> (&'static str, String) {
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

/// A failure that stands for itself in the report.
fn solo(message: String) -> (String, String) {
    (message.clone(), message)
}

#[test]
fn every_lab_page_works_in_every_track() -> Result<()> {
    let started = Instant::now();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The PDFs play no part in the pages (tests/pdf.rs covers them).
    let mut config = labgen::config::load(root).unwrap_or_else(|d| panic!("{d}"));
    config.outputs.pdf = false;
    let build = labgen::build_with(root, config)
        .unwrap_or_else(|d| panic!("the bundled book does not build:\n{d}"));
    let tmp = tempfile::tempdir()?;
    let out = tmp.path().join("book");
    labgen::output::write_atomically(&out, &build.files)?;
    let labs = Lab::load_all(root);
    assert!(
        labs.len() >= 4,
        "expected the four bundled labs, found {}",
        labs.len()
    );

    let Some(chromium) = find_chromium() else {
        if std::env::var("LABGEN_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!("LABGEN_REQUIRE_BROWSER=1 but no Chromium was found");
        }
        eprintln!(
            "\n{bar}\n!! SKIPPED every_lab_page_works_in_every_track: no Chromium found. The lab pages\n\
             !! were built but NOT exercised in a browser. Set LABGEN_REQUIRE_BROWSER=1 to make this fail.\n{bar}\n",
            bar = "!".repeat(86)
        );
        return Ok(());
    };
    let (_browser, tab) = launch(&chromium)?;
    // Script errors as DevTools reports them, besides the page's own list.
    let errors: Arc<Mutex<Vec<String>>> = Arc::default();
    {
        let errors = Arc::clone(&errors);
        tab.add_event_listener(Arc::new(move |event: &Event| match event {
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
    tab.enable_runtime()?;
    tab.enable_log()?;
    tab.call_method(
        headless_chrome::protocol::cdp::Page::AddScriptToEvaluateOnNewDocument {
            source: ERRORS_JS.to_string(),
            world_name: None,
            include_command_line_api: None,
            run_immediately: None,
        },
    )?;

    let mut failures: Vec<(String, String)> = Vec::new();
    let mut summary = Vec::new();
    for lab in &labs {
        let lab_started = Instant::now();
        let (mut t_browser, mut t_check) = (Duration::ZERO, Duration::ZERO);
        let id = &lab.mission.id;
        let page_path = out.join(format!("{id}.html"));
        assert!(page_path.is_file(), "the build wrote no {id}.html");
        let data = PageData::read(&page_path);
        data.assert_matches(lab);
        tab.navigate_to(&file_url(&page_path))?
            .wait_until_navigated()?;
        let page = Page {
            tab: Arc::clone(&tab),
            lab,
        };
        page.wait_until(
            "document.readyState === 'complete' && Array.isArray(window.__labgenErrors)",
            &format!("{id}.html to load"),
        )?;

        // Lock every prediction (its first option) so every simulator opens:
        // click the radio, then the lock button, in one round trip (the first
        // test locks with real mouse and keyboard input).
        let locks: Vec<(&str, &str)> = lab
            .mission
            .acts
            .iter()
            .filter_map(|a| {
                a.prediction
                    .as_ref()
                    .map(|q| (a.id.as_str(), q.options[0].key.as_str()))
            })
            .collect();
        let clicked: Vec<bool> = page.eval_json(&format!(
            "JSON.stringify({}.map(([act, key]) => {{
               const form = document.querySelector(`form[data-lock=\"${{CSS.escape(act)}}\"]`);
               const radio = form && form.querySelector(`input[type=radio][value=\"${{CSS.escape(key)}}\"]`);
               if (!radio) return false;
               radio.click();
               form.querySelector('button[type=submit]').click();
               return true;
             }}))",
            serde_json::to_string(&locks)?
        ))?;
        for ((act, key), ok) in locks.iter().zip(clicked) {
            assert!(ok, "{id}: act `{act}` has no lock form with option {key}");
            page.assert_locked(act, key)?;
        }

        let setup: SweepSetup = page.eval_json(SWEEP_SETUP_JS)?;
        let mut check = LabCheck {
            lab,
            data: &data,
            setup: &setup,
            cache: BTreeMap::new(),
            failures: Vec::new(),
            states: 0,
            counts: BTreeMap::new(),
        };
        for (t, track) in lab.mission.tracks.iter().enumerate() {
            let defaults = State {
                track: t,
                positions: lab.defaults[t].clone(),
            };
            // The first track is the one the page opens on; the others are
            // chosen by clicking their label.
            let r: Reading = if t == 0 {
                page.eval_json("window.__lt.read()")?
            } else {
                assert!(
                    lab.mission.has_track_selector,
                    "{id}: several tracks but no track selector"
                );
                page.eval_json(&format!("window.__lt.track({})", js(&track.id)))?
            };
            check.check(
                &page,
                &r,
                &defaults,
                &format!("{id} / track {} at its defaults", track.id),
            );

            for act in &lab.mission.acts {
                let Some(sim) = &act.simulator else { continue };
                for &ci in &sim.controls {
                    let c = &lab.mission.controls[ci];
                    let n = c.positions.len();
                    // Every position, then back to the track's default.
                    let order: Vec<usize> = (0..n).chain([defaults.positions[ci]]).collect();
                    let kind = input_value(c, 0).0;
                    let values: Vec<String> = order.iter().map(|&p| input_value(c, p).1).collect();
                    let t0 = Instant::now();
                    let result: SweepResult = page.eval_json(&format!(
                        "window.__lt.sweep({}, {}, {}, {})",
                        js(&act.id),
                        js(&c.id),
                        js(kind),
                        serde_json::to_string(&values)?
                    ))?;
                    let rows = match (result.rows, result.error) {
                        (Some(rows), None) => rows,
                        (_, e) => {
                            failures.push(solo(format!(
                                "{id} / track {} / act {} / control {}: {}",
                                track.id,
                                act.id,
                                c.id,
                                e.unwrap_or_default()
                            )));
                            continue;
                        }
                    };
                    t_browser += t0.elapsed();
                    let t0 = Instant::now();
                    assert_eq!(rows.len(), order.len(), "one reading per move");
                    for (k, (r, &p)) in rows.iter().zip(&order).enumerate() {
                        let mut want = defaults.clone();
                        want.positions[ci] = p;
                        let when = format!(
                            "{id} / track {} / act {} / {} = {} (position {p} of {n}{})",
                            track.id,
                            act.id,
                            c.id,
                            c.positions[p].label,
                            if k == n { ", back to the default" } else { "" }
                        );
                        check.check(&page, r, &want, &when);
                    }
                    t_check += t0.elapsed();
                }
            }
        }

        // Task forms: type a number, submit, see the answer, find it in the ledger.
        let store_key = format!("labgen:{}:{}", data.book_version, id);
        let mut tasks = 0;
        let mut answered: Vec<(String, f64)> = Vec::new();
        for act in &lab.mission.acts {
            for t in &act.tasks {
                let task = format!("{}.{}", act.id, t.id);
                let form = format!("form[data-task=\"{task}\"]");
                let typed = format!("{}.5", 10 + tasks);
                let input = js(&format!("{form} input"));
                let focused = page.eval(&format!(
                    "((el) => !!el && (el.scrollIntoView({{ block: 'center' }}), el.focus(), el.value = '',
                       document.activeElement === el))(document.querySelector({input}))"
                ))?;
                assert_eq!(
                    focused,
                    Value::Bool(true),
                    "{id}: the input of task `{task}` should take focus"
                );
                // Typed text, as the keyboard or an input method commits it.
                page.tab
                    .call_method(headless_chrome::protocol::cdp::Input::InsertText {
                        text: typed.clone(),
                    })?;
                let got: Value = page.eval_json(&format!(
                    "(() => {{
                       const q = (s) => document.querySelector(s);
                       const typed = q({input}).value;
                       q({button}).click();
                       const answer = q({answer});
                       return JSON.stringify({{
                         typed,
                         answer: !!answer && !answer.hidden && answer.checkVisibility(),
                         echo: (q({echo}) || {{}}).textContent || null,
                         message: !q({msg}).hidden,
                         ledger: JSON.parse(localStorage.getItem({key}) || 'null'),
                       }});
                     }})()",
                    button = js(&format!("{form} button[type=\"submit\"]")),
                    answer = js(&format!("[data-task-answer=\"{task}\"]")),
                    echo = js(&format!("[data-task-echo=\"{task}\"]")),
                    msg = js(&format!("{form} [data-task-message]")),
                    key = js(&store_key),
                ))?;
                assert_eq!(
                    got["typed"].as_str(),
                    Some(typed.as_str()),
                    "{id}: the text typed into task `{task}`"
                );
                if got["answer"] != Value::Bool(true) {
                    failures.push(solo(format!(
                        "{id}: after submitting {typed} to task `{task}`, its answer panel is not visible"
                    )));
                }
                let want: f64 = typed.parse()?;
                if got["ledger"]["numeric"][&task].as_f64() != Some(want) {
                    failures.push(solo(format!(
                        "{id}: after submitting {typed} to task `{task}`, the ledger {store_key} holds numeric = {}",
                        got["ledger"]["numeric"]
                    )));
                }
                if got["echo"].as_str() != Some(typed.as_str()) {
                    failures.push(solo(format!(
                        "{id}: task `{task}` echoes {} after submitting {typed}",
                        got["echo"]
                    )));
                }
                if got["message"] != Value::Bool(false) {
                    failures.push(solo(format!(
                        "{id}: task `{task}` shows its message after a valid answer"
                    )));
                }
                answered.push((task, want));
                tasks += 1;
            }
        }
        // Every answer stays in the ledger, not only the last one.
        let ledger: Value = page.eval_json(&format!(
            "localStorage.getItem({}) || 'null'",
            js(&store_key)
        ))?;
        for (task, want) in &answered {
            if ledger["numeric"][task].as_f64() != Some(*want) {
                failures.push(solo(format!(
                    "{id}: after all tasks, the ledger holds numeric = {} (lost `{task}` = {want})",
                    ledger["numeric"]
                )));
            }
        }
        let on_page: usize =
            page.eval_json("JSON.stringify(document.querySelectorAll('form[data-task]').length)")?;
        assert_eq!(
            on_page, tasks,
            "{id}: every form[data-task] should be a task of the mission"
        );

        let thrown: Vec<String> = page.eval_json("JSON.stringify(window.__labgenErrors)")?;
        if !thrown.is_empty() {
            failures.push(solo(format!("{id}: the page threw: {thrown:?}")));
        }
        // The sweep saw every state it meant to, and checked every kind of cell.
        let moves: usize = lab
            .mission
            .acts
            .iter()
            .filter_map(|a| a.simulator.as_ref())
            .flat_map(|sim| &sim.controls)
            .map(|&c| lab.mission.controls[c].positions.len() + 1)
            .sum();
        assert_eq!(
            check.states,
            lab.mission.tracks.len() * (1 + moves),
            "{id}: states read (one per track at its defaults, one per move)"
        );
        for kind in ["model", "text", "number", "unit", "on", "html"] {
            assert!(
                check.counts.get(kind).copied().unwrap_or(0) > 0,
                "{id}: no `{kind}` check was made: {:?}",
                check.counts
            );
        }
        summary.push(format!(
            "{id}: {} states, checks {:?}, {tasks} tasks in {:.1?} (sweeps in the browser {:.1?}, checks {:.1?})",
            check.states,
            check.counts,
            lab_started.elapsed(),
            t_browser,
            t_check
        ));
        failures.extend(check.failures);
    }
    let errors = errors.lock().unwrap().clone();
    failures.extend(errors.into_iter().map(|e| solo(format!("DevTools: {e}"))));
    for s in &summary {
        eprintln!("every lab page: {s}");
    }
    // Group the failures by what failed (an element of a lab, or a check),
    // with how often and the first few states where it did.
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (what, message) in failures {
        match groups.iter_mut().find(|(w, _)| *w == what) {
            Some((_, list)) => list.push(message),
            None => groups.push((what, vec![message])),
        }
    }
    let total: usize = groups.iter().map(|(_, l)| l.len()).sum();
    const GROUPS: usize = 40;
    let report: Vec<String> = groups
        .iter()
        .take(GROUPS)
        .map(|(what, list)| {
            let first: Vec<&str> = list.iter().take(3).map(String::as_str).collect();
            format!(
                "[{} x] {what}\n      {}",
                list.len(),
                first.join("\n      ")
            )
        })
        .collect();
    assert!(
        groups.is_empty(),
        "{total} failures in {} groups (the first {} shown):\n  {}",
        groups.len(),
        GROUPS.min(groups.len()),
        report.join("\n  ")
    );
    eprintln!("every lab page: done in {:.2?}", started.elapsed());
    Ok(())
}
