//! Sweeping a lab page: a script installed once per page moves one control
//! through every position and reads every listed element after each move,
//! all in one DevTools round trip per control; `LabCheck` then checks each
//! reading against the page's data block and the model.

use serde_json::Value;
use std::collections::BTreeMap;

use super::data::{field_at, PageData};
use super::model::{close, Lab, State};
use super::shown::{check_value, try_state, InputOnPage, LabelOnPage, ShownValue, Snapshot};

/// Run once per loaded page: indexes the fragments by their serialized
/// form, lists every `[data-cell]`/`[data-value]` element, and installs
/// `window.__lt` with `read()` (the state of every listed element, every
/// control input and label, in one JSON value) and `sweep()` (moves one
/// control through the given values, reading the page after each move).
/// Returns the static description of the listed elements.
pub const SWEEP_SETUP_JS: &str = r#"(() => {
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

/// What [`SWEEP_SETUP_JS`] reports about the listed elements.
#[derive(Debug, serde::Deserialize)]
pub struct SweepSetup {
    pub canon: Vec<usize>,
    pub elements: Vec<ListedElement>,
    pub inputs: Vec<ListedInput>,
    pub labels: Vec<String>,
}

#[derive(Debug, serde::Deserialize)]
pub struct ListedElement {
    pub cell: Option<usize>,
    pub name: Option<String>,
    pub scenario: Option<String>,
    pub area: String,
    pub act: Option<String>,
    pub place: String,
}

#[derive(Debug, serde::Deserialize)]
pub struct ListedInput {
    pub id: String,
    pub tag: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// One listed element after a move: text (when it has no child element),
/// data-number, data-unit, data-tone, hidden, and the fragment it shows
/// (plot and table cells only; -1 when it shows none of the pool).
pub type ElementReading = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    bool,
    Option<i64>,
);

/// The page after one move, as `__lt.read()` reports it.
#[derive(Debug, serde::Deserialize)]
pub struct Reading {
    /// Per listed element: text (when it has no child element),
    /// data-number, data-unit, data-tone, hidden, and the fragment it shows
    /// (for plot and table cells; -1 when it matches none).
    pub e: Vec<ElementReading>,
    /// Per control input: value, checked, aria-valuetext.
    pub i: Vec<(String, bool, Option<String>)>,
    /// Per `<output data-control-label>`: its text.
    pub l: Vec<String>,
    /// Checked track radios.
    pub t: Vec<String>,
    /// Errors thrown since the previous reading (a file:// page only tells
    /// the page "Script error."; the DevTools log has the details).
    pub errors: Vec<String>,
    /// How many elements the page lists now (the setup listed them once).
    pub listed: usize,
    /// The control took the value it was set to.
    pub ok: bool,
}

#[derive(Debug, serde::Deserialize)]
pub struct SweepResult {
    pub rows: Option<Vec<Reading>>,
    pub error: Option<String>,
}

/// The property of a sweep's readings a [`LabCheck`] looks at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Aspect {
    /// The inputs and their labels show the state that was set, and each
    /// control took the value it was set to.
    State,
    /// Every `[data-value]` shows what `Model::eval` gives.
    Values,
    /// Every `[data-cell]` shows the fields the data block holds.
    Cells,
    /// No script error was thrown by any move.
    Errors,
}

/// Checks readings of one lab page against the library and the page's data
/// block, for one [`Aspect`]; collects failures rather than stopping at the
/// first.
pub struct LabCheck<'a> {
    pub lab: &'a Lab,
    pub data: &'a PageData,
    pub setup: &'a SweepSetup,
    pub aspect: Aspect,
    /// Model values by (track, positions).
    pub cache: BTreeMap<(usize, Vec<usize>), Vec<f64>>,
    /// (what failed: lab and element or check, the full message); grouped
    /// by the first when reported.
    pub failures: Vec<(String, String)>,
    /// States read and checked.
    pub states: usize,
    /// Checks done by kind: `model` (a value against the library), or the
    /// cell field compared with the data block (`text`, `on`, `html`, …).
    pub counts: BTreeMap<String, usize>,
}

impl<'a> LabCheck<'a> {
    pub fn new(lab: &'a Lab, data: &'a PageData, setup: &'a SweepSetup, aspect: Aspect) -> Self {
        LabCheck {
            lab,
            data,
            setup,
            aspect,
            cache: BTreeMap::new(),
            failures: Vec::new(),
            states: 0,
            counts: BTreeMap::new(),
        }
    }

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

    /// Checks one reading for the aspect: the page threw nothing; or it is
    /// at `want` and every listed element shows what the data block or the
    /// model gives there (a page at another state fails those checks too).
    pub fn check(&mut self, r: &Reading, want: &State, when: &str) {
        self.states += 1;
        if self.aspect == Aspect::Errors {
            if !r.errors.is_empty() {
                self.fail(
                    "the page threw",
                    format!("{when}: the page threw: {:?}", r.errors),
                );
            }
            return;
        }
        if self.aspect == Aspect::State && !r.ok {
            self.fail(
                "a control did not take its value",
                format!("{when}: the control did not take the value it was set to"),
            );
        }
        if !self.at_state(r, want, when) {
            return;
        }
        for (k, (el, got)) in self.setup.elements.iter().zip(&r.e).enumerate() {
            let who = format!(
                "element #{k} (cell {}, value {}, {} of act {}, in {})",
                el.cell.map_or("-".into(), |c| c.to_string()),
                el.name.as_deref().unwrap_or("-"),
                el.area,
                el.act.as_deref().unwrap_or("-"),
                el.place
            );
            match (self.aspect, el.cell, &el.name) {
                // The cell against the page's own data block.
                (Aspect::Cells, Some(ci), _) => match self.cell_problems(ci, want, got) {
                    Ok(problems) => {
                        for p in problems {
                            self.fail(&who, format!("{when}: {who}: {p}"));
                        }
                    }
                    Err(e) => self.fail(&who, format!("{when}: {who}: {e}")),
                },
                // A value against the model.
                (Aspect::Values, _, Some(name)) => {
                    if let Err(e) = self.value_problem(el, name, got, want) {
                        self.fail(&who, format!("{when}: {who}: {e}"));
                    }
                }
                _ => {}
            }
        }
    }

    /// Whether the page still lists the elements it listed at load and its
    /// inputs show `want`; a failure otherwise.
    fn at_state(&mut self, r: &Reading, want: &State, when: &str) -> bool {
        let lab = self.lab;
        if r.listed != self.setup.elements.len() || r.e.len() != self.setup.elements.len() {
            self.fail(
                "elements changed",
                format!(
                    "{when}: the page lists {} elements with data-cell/data-value, {} at load",
                    r.listed,
                    self.setup.elements.len()
                ),
            );
            return false;
        }
        let shown = match try_state(lab, &self.snapshot(r), when) {
            Ok(shown) => shown,
            Err(e) => {
                self.fail("the inputs show another state", e);
                return false;
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
            return false;
        }
        true
    }

    /// The controls and labels of a reading, as [`try_state`] reads them.
    fn snapshot(&self, r: &Reading) -> Snapshot {
        Snapshot {
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
        }
    }

    /// What is wrong with the value `name` an element shows, against the
    /// model at its scenario, at the track's defaults (pinned) or at `want`.
    fn value_problem(
        &mut self,
        el: &ListedElement,
        name: &str,
        got: &ElementReading,
        want: &State,
    ) -> Result<(), String> {
        let lab = self.lab;
        let (text, number, unit, ..) = got;
        *self.counts.entry("model".into()).or_default() += 1;
        let at = if let Some(id) = &el.scenario {
            let Some(index) = lab.mission.scenarios.iter().position(|s| s.id == *id) else {
                return Err(format!("unknown scenario `{id}`"));
            };
            let mode = labgen::sweep::Mode::Scenario(index as u16);
            let track = lab.mission.scenarios[index].track.unwrap_or(want.track);
            State {
                track,
                positions: labgen::sweep::base_positions(&lab.mission, mode)[track].clone(),
            }
        } else if el.area == "pinned" {
            State {
                track: want.track,
                positions: lab.defaults[want.track].clone(),
            }
        } else {
            want.clone()
        };
        let v = ShownValue {
            name: name.to_string(),
            number: number.clone(),
            unit: unit.clone(),
            text: text.clone().unwrap_or_default(),
            act: el.act.clone(),
            area: el.area.clone(),
            scenario: el.scenario.clone(),
            place: el.place.clone(),
        };
        let values = self.eval(&at).to_vec();
        check_value(lab, &v, &values, &at)
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
