//! What a lab page shows, read in one DevTools round trip each (a call
//! costs about 100 ms with headless_chrome's transport), and checked against
//! the model: the controls' state, every shown value, the plots, and the
//! prediction locks.

use anyhow::Result;
use labgen::format::show;
use labgen::mission::ControlKind;
use std::collections::{BTreeMap, BTreeSet};

use super::harness::{js, Page, FOCUSED_JS};
use super::model::{close, in_unit, Lab, State};

/// Fewest live values an act with a simulator must show in every state, so
/// the value checks cannot pass by finding nothing.
const MIN_LIVE_PER_ACT: usize = 10;
/// Fewest pinned values the page must show in every state.
const MIN_PINNED: usize = 10;

/// Everything the checks read from the page, in one round trip (each
/// DevTools call costs about 100 ms with headless_chrome's transport).
#[derive(Debug, serde::Deserialize)]
pub struct Snapshot {
    /// Values of the checked track radios.
    pub track: Vec<String>,
    pub inputs: Vec<InputOnPage>,
    pub labels: Vec<LabelOnPage>,
    pub values: Vec<ShownValue>,
    pub plots: Vec<PlotOnPage>,
}

#[derive(Debug, serde::Deserialize)]
pub struct InputOnPage {
    pub id: String,
    pub tag: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
    pub checked: bool,
    pub valuetext: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
pub struct LabelOnPage {
    pub id: String,
    pub text: String,
}

/// One `data-value` element as the page shows it.
#[derive(Debug, serde::Deserialize)]
pub struct ShownValue {
    pub name: String,
    pub number: Option<String>,
    pub unit: Option<String>,
    pub text: String,
    pub act: Option<String>,
    /// `simulator`, `reveal`, `worked-example` (live) or `pinned`.
    pub area: String,
    /// The scenario the value is evaluated at, if any (`data-scenario`).
    pub scenario: Option<String>,
    /// Where on the page, for messages.
    pub place: String,
}

#[derive(Debug, serde::Deserialize)]
pub struct PlotOnPage {
    pub act: Option<String>,
    pub svgs: usize,
    pub role: Option<String>,
    pub title: Option<String>,
    pub html: String,
}

/// Reads controls, values and plots. Live areas are the simulator (but not
/// its intro, which the planner pins), the reveal text (not the lock
/// feedback inside the reveal: questions are pinned) and the worked example.
pub const SNAPSHOT_JS: &str = r#"(() => {
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
pub struct LockOnPage {
    pub simulator: bool,
    pub reveal: bool,
    pub reflection: bool,
    pub placeholder: bool,
    pub message: bool,
    pub locked: Option<String>,
    pub checked: Option<String>,
    /// Radios and buttons of the form that are still enabled.
    pub enabled: Vec<String>,
    pub echo: Option<String>,
    /// Option key -> its text.
    pub options: BTreeMap<String, String>,
    /// (data-feedback, visible) of the act's lock feedbacks.
    pub feedback: Vec<(String, bool)>,
    pub focused: String,
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

/// Reading and checking a lab page; the lab it shows is passed in.
impl Page {
    /// The prediction lock of `act` as the page shows it.
    pub fn lock(&self, act: &str) -> Result<LockOnPage> {
        self.eval_json(
            &LOCK_JS
                .replace("FOCUSED", FOCUSED_JS)
                .replace("(ACT)", &format!("({})", js(act))),
        )
    }

    /// Reads the page and checks every shown value against the model at the
    /// state the inputs show, after asserting the `expect`ed (control id,
    /// position) pairs. Returns the state and the plots' HTML by act.
    pub fn check(
        &self,
        lab: &Lab,
        when: &str,
        expect: &[(&str, usize)],
    ) -> Result<(State, BTreeMap<String, String>)> {
        let snap: Snapshot = self.eval_json(SNAPSHOT_JS)?;
        let state = state(lab, &snap, when);
        for (id, p) in expect {
            let c = lab.control_index(id);
            let positions = &lab.mission.controls[c].positions;
            assert_eq!(
                state.positions[c], *p,
                "{when}: control `{id}` should be at `{}` but the page shows `{}`",
                positions[*p].label, positions[state.positions[c]].label
            );
        }
        check_values(lab, &snap.values, &state, when);
        Ok((state, plots_by_act(snap.plots, when)))
    }

    /// The lock of `act` holds `key`: simulator, reveal and reflection
    /// shown, placeholder and message hidden, the echo repeats `key`'s
    /// option, only `key`'s feedback is shown, radios and button disabled.
    pub fn assert_locked(&self, act: &str, key: &str) -> Result<LockOnPage> {
        self.wait_unlocked(act, key)?;
        let l = self.lock(act)?;
        assert_lock_holds(&l, act, key);
        Ok(l)
    }

    /// Waits until the simulator of `act` opens after locking `key`.
    pub fn wait_unlocked(&self, act: &str, key: &str) -> Result<()> {
        self.wait_visible(
            &format!("section.simulator[data-locked-by=\"{act}\"]"),
            &format!("the simulator of act `{act}` to open (after locking {key})"),
        )
    }
}

/// What [`Page::assert_locked`] asserts of a lock read from the page.
pub fn assert_lock_holds(l: &LockOnPage, act: &str, key: &str) {
    let when = format!("after locking {key} in act `{act}`");
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
}

/// The state the DOM inputs show (positions of controls without an
/// input stay at the track default); checks slider `aria-valuetext` and
/// the `<output>` labels against the mission's position labels.
pub fn state(lab: &Lab, snap: &Snapshot, when: &str) -> State {
    try_state(lab, snap, when).unwrap_or_else(|e| panic!("{e}"))
}

/// [`state`], with what does not add up as an error.
pub fn try_state(lab: &Lab, snap: &Snapshot, when: &str) -> Result<State, String> {
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

/// Asserts the act's plot SVG was swapped across a move of `control`
/// exactly when the plot depends on that control.
pub fn check_plot_swap(
    lab: &Lab,
    act: &str,
    control: &str,
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
    when: &str,
) {
    let depends = lab.plot_controls(act).contains(&lab.control_index(control));
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

/// Checks every shown value against the model: live values at `state`,
/// pinned ones at the track's defaults, the others at their scenario; and
/// that the page shows enough of each kind for the check to mean something.
fn check_values(lab: &Lab, values: &[ShownValue], state: &State, when: &str) {
    let live = lab.eval(state);
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
    for (i, v) in values.iter().enumerate() {
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
            (&live, state)
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
        values.len(),
        lab.describe(state),
        failures.join("\n  ")
    );
    assert!(n_scenario > 0, "{when}: no value at a scenario was checked");
    assert!(
        n_pinned >= MIN_PINNED,
        "{when}: only {n_pinned} pinned values found (want at least {MIN_PINNED})"
    );
    for act in lab.mission.acts.iter().filter(|a| a.simulator.is_some()) {
        let count = values
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
}

/// The plots' HTML by act, after checking each plot holds one SVG with
/// `role="img"` and a `<title>`.
fn plots_by_act(plots_on_page: Vec<PlotOnPage>, when: &str) -> BTreeMap<String, String> {
    assert!(
        !plots_on_page.is_empty(),
        "{when}: the page has no .plot-svg"
    );
    let mut plots = BTreeMap::new();
    for p in plots_on_page {
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
    plots
}

/// The position a control's input shows, or what does not add up.
pub fn try_position_of(
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
pub fn check_value(lab: &Lab, v: &ShownValue, values: &[f64], at: &State) -> Result<(), String> {
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

/// Locking by script, for tests whose property lies past the lock (the
/// `lock` tests lock with real mouse and keyboard input).
impl Page {
    /// Checks option `key` of the prediction of `act` and submits the lock
    /// in one round trip, then waits until the act opens and the page has
    /// scrolled (smoothly) to it, so that later clicks land where aimed.
    pub fn lock_by_script(&self, act: &str, key: &str) -> Result<()> {
        let form = format!("form[data-lock=\"{act}\"]");
        let done = self.eval(&format!(
            "((form, radio) => {{ if (!form || !radio) return false; radio.click();
               form.querySelector('button[type=submit]').click(); return true; }})
             (document.querySelector({}), document.querySelector({}))",
            js(&form),
            js(&format!("{form} input[type=radio][value=\"{key}\"]"))
        ))?;
        assert_eq!(done, true, "act `{act}` has no lock form with option {key}");
        self.wait_unlocked(act, key)?;
        self.wait_until_still()
    }
}
