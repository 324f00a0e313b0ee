/* labgen.js: the one script of a labgen lab book.
 *
 * The Rust build precomputes every state of every simulator and embeds them in
 * <script type="application/json" id="labgen-data">. This script only maps control
 * positions to array indices and swaps in text, attributes and prebuilt SVG/HTML
 * fragments. It also runs the prediction locks and reflections.
 * Plain classic script: no modules, no network, works from file://.
 */
(function () {
  'use strict';

  const TRACK = 'track';        // control id of the single, page-global track selector
  let data = null;              // parsed #labgen-data (null on pages without simulators)
  const pos = {};               // control id -> current position, 0..n-1
  const lastHtml = new WeakMap(); // element -> fragment index it currently shows

  // ---------- small helpers ----------
  const all = (selector, root) => Array.from((root || document).querySelectorAll(selector));
  const clamp = (p, n) => Math.max(0, Math.min(n - 1, p));
  const has = (obj, key) => obj[key] !== undefined && obj[key] !== null;
  // A cell field is either one value per state or one scalar for every state.
  const pick = (v, i) => (Array.isArray(v) ? v[i] : v);

  // Attribute selector with an escaped value (act ids and keys come from YAML).
  function sel(attr, value, op) {
    const v = window.CSS && CSS.escape ? CSS.escape(value) : String(value).replace(/["\\]/g, '\\$&');
    return '[' + attr + (op || '') + '="' + v + '"]';
  }

  const setAttr = (el, name, v) => (v == null ? el.removeAttribute(name) : el.setAttribute(name, String(v)));

  // ---------- controls: DOM value <-> position ----------
  const ctl = (id) => (id && Object.prototype.hasOwnProperty.call(data.controls, id) ? data.controls[id] : null);
  const inputsOf = (id) => all(sel('data-control', id));
  const keyOf = (c, p) => (c.keys ? c.keys[p] : String(p));
  const indexOfKey = (c, key) => (c.keys ? c.keys.indexOf(key) : parseInt(key, 10));

  // Position an input currently shows, or -1 if it shows nothing usable.
  function readPos(el, c) {
    let p;
    if (el.tagName === 'SELECT') p = indexOfKey(c, el.value);
    else if (el.type === 'checkbox') p = el.checked ? 1 : 0;
    else if (el.tagName === 'INPUT') {
      // Sliders: with min/step the value is in model units, otherwise it is the stop index.
      p = Math.round((parseFloat(el.value) - (c.min || 0)) / (c.step || 1));
      return Number.isFinite(p) ? clamp(p, c.n) : -1;
    } else {
      const r = el.querySelector('input[type="radio"]:checked'); // fieldset of radios (track)
      p = r ? indexOfKey(c, r.value) : -1;
    }
    return Number.isFinite(p) && p >= 0 && p < c.n ? p : -1;
  }

  // Make an input show position p. Writes only on change, so a slider being dragged is untouched.
  function writePos(el, c, p) {
    const key = keyOf(c, p);
    if (el.tagName === 'SELECT') {
      if (el.value !== key) el.value = key;
    } else if (el.type === 'checkbox') {
      el.checked = p === 1;
    } else if (el.tagName === 'INPUT') {
      // toPrecision trims float noise such as 0.1 * 3 = 0.30000000000000004.
      const v = Number(((c.min || 0) + p * (c.step || 1)).toPrecision(12));
      if (parseFloat(el.value) !== v) el.value = String(v);
      if (c.labels && has(c.labels, p)) el.setAttribute('aria-valuetext', c.labels[p]);
    } else {
      all('input[type="radio"]', el).forEach((r) => { r.checked = r.value === key; });
    }
  }

  // True when the browser restored a value that differs from the markup (reload, history).
  function restored(el) {
    if (el.tagName === 'SELECT') return el.selectedIndex !== Math.max(0, Array.from(el.options).findIndex((o) => o.defaultSelected));
    if (el.type === 'checkbox') return el.checked !== el.defaultChecked;
    if (el.tagName === 'INPUT') return el.defaultValue !== '' && parseFloat(el.value) !== parseFloat(el.defaultValue);
    return all('input[type="radio"]', el).some((r) => r.checked !== r.defaultChecked);
  }

  // Jump the controls listed in track_defaults[current track key] to their positions.
  function applyTrackDefaults(atLoad) {
    const t = ctl(TRACK);
    const d = t && data.track_defaults && data.track_defaults[keyOf(t, pos[TRACK])];
    if (!d) return;
    Object.keys(d).forEach((id) => {
      const c = ctl(id);
      // At load, a value the browser restored for the reader beats the track default.
      if (!c || (atLoad && inputsOf(id).some(restored))) return;
      pos[id] = clamp(d[id], c.n);
    });
  }

  // ---------- cells ----------
  // Row-major index over the cell's dims (last dim fastest); -1 if a dim is unknown.
  function cellIndex(cell) {
    const dims = cell.dims || [];
    const shape = cell.shape || [];
    let i = 0;
    for (let k = 0; k < dims.length; k++) {
      const p = pos[dims[k]];
      if (p === undefined || !(shape[k] > 0)) return -1;
      i = i * shape[k] + clamp(p, shape[k]);
    }
    return i;
  }

  function renderCell(el) {
    const ref = el.getAttribute('data-cell');
    const cell = /^\d+$/.test(ref) ? data.cells[Number(ref)] : null;
    const i = cell ? cellIndex(cell) : -1;
    if (i < 0) return;
    if (has(cell, 'text')) { const t = pick(cell.text, i); el.textContent = t == null ? '' : String(t); }
    if (has(cell, 'number')) setAttr(el, 'data-number', pick(cell.number, i));
    if (has(cell, 'unit')) setAttr(el, 'data-unit', pick(cell.unit, i));
    if (has(cell, 'tone')) setAttr(el, 'data-tone', pick(cell.tone, i));
    if (has(cell, 'on')) el.hidden = !pick(cell.on, i);
    if (has(cell, 'html')) {
      // Re-parsing an SVG is the only costly thing here: only do it when the fragment changes.
      const f = pick(cell.html, i);
      const frag = data.fragments && data.fragments[f];
      if (typeof frag === 'string' && lastHtml.get(el) !== f) {
        el.innerHTML = frag;
        lastHtml.set(el, f);
      }
    }
  }

  // Push the current positions into every control, label and cell (cheap: done on every event).
  function update() {
    Object.keys(data.controls).forEach((id) => {
      const c = data.controls[id];
      const p = pos[id];
      inputsOf(id).forEach((el) => writePos(el, c, p));
      if (c.labels && has(c.labels, p)) all(sel('data-control-label', id)).forEach((o) => { o.textContent = String(c.labels[p]); });
    });
    all('[data-cell]').forEach(renderCell);
  }

  function onControl(e) {
    const el = e.target instanceof Element ? e.target.closest('[data-control]') : null;
    const id = el && el.getAttribute('data-control');
    const c = ctl(id);
    if (!c) return;
    const p = readPos(el, c);
    if (p >= 0 && p !== pos[id]) {
      pos[id] = p;
      if (id === TRACK) applyTrackDefaults(false);
    }
    update();
  }

  // ---------- prediction locks and reflections ----------
  function chosen(form, name) {
    return all('input[type="radio"]', form).find((r) => r.name === name && r.checked) || null;
  }

  // Show only the feedback prefix+key; hide its siblings with the same prefix.
  function showFeedback(prefix, key) {
    all(sel('data-feedback', prefix, '^')).forEach((el) => {
      el.hidden = el.getAttribute('data-feedback') !== prefix + key;
    });
  }

  function optionText(form, radio) {
    const el = form.querySelector(sel('data-option-text', radio.value)) ||
      (radio.labels && radio.labels[0]) || radio.closest('label');
    return el ? el.textContent.replace(/\s+/g, ' ').trim() : radio.value;
  }

  function lockPrediction(form) {
    const act = form.getAttribute('data-lock');
    const msg = form.querySelector('[data-lock-message]');
    if (form.hasAttribute('data-locked')) return;
    const radio = chosen(form, 'lock-' + act);
    if (!radio) { if (msg) msg.hidden = false; return; }
    const key = radio.value;
    form.setAttribute('data-locked', key);
    all('input[type="radio"], button', form).forEach((b) => { b.disabled = true; });
    if (msg) msg.hidden = true;
    const opened = sel('data-locked-by', act);
    all(opened).forEach((el) => { el.hidden = false; });
    all(sel('data-unlocked-only', act)).forEach((el) => { el.hidden = true; });
    const text = optionText(form, radio);
    all(sel('data-prediction-echo', act)).forEach((el) => { el.textContent = text; });
    showFeedback('lock:' + act + ':', key);
    // Land keyboard users in the simulator (its heading has tabindex="-1"; it may carry
    // data-locked-by itself or sit inside the element that does).
    const target = document.querySelector(opened + '[tabindex="-1"], ' + opened + ' [tabindex="-1"]');
    if (target) target.focus();
  }

  function checkReflection(form) {
    const act = form.getAttribute('data-reflection');
    const msg = form.querySelector('[data-reflection-message]');
    const radio = chosen(form, 'reflect-' + act);
    if (msg) msg.hidden = !!radio;
    if (radio) showFeedback('reflection:' + act + ':', radio.value);
  }

  function onSubmit(e) {
    const form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.hasAttribute('data-lock')) { e.preventDefault(); lockPrediction(form); }
    else if (form.hasAttribute('data-reflection')) { e.preventDefault(); checkReflection(form); }
  }

  // Printing shows every <details> open; afterwards close the ones the reader had closed.
  let printOpened = [];
  const beforePrint = () => { printOpened = all('details:not([open])'); printOpened.forEach((d) => { d.open = true; }); };
  const afterPrint = () => { printOpened.forEach((d) => { d.open = false; }); printOpened = []; };

  // ---------- start ----------
  function readData() {
    const el = document.getElementById('labgen-data');
    if (!el) return null;
    let d;
    try { d = JSON.parse(el.textContent); } catch (err) { return null; }
    if (!d || typeof d !== 'object') return null;
    d.controls = d.controls && typeof d.controls === 'object' ? d.controls : {};
    d.cells = Array.isArray(d.cells) ? d.cells : [];
    Object.keys(d.controls).forEach((id) => {
      const c = d.controls[id] || (d.controls[id] = {});
      if (!(c.n > 0)) c.n = (c.labels || c.keys || [0]).length;
    });
    return d;
  }

  function init() {
    // Locks and reflections need no data, so they work on every page.
    document.addEventListener('submit', onSubmit);
    window.addEventListener('beforeprint', beforePrint);
    window.addEventListener('afterprint', afterPrint);

    data = readData();
    if (!data) return;
    Object.keys(data.controls).forEach((id) => { pos[id] = clamp(Number(data.controls[id].default) || 0, data.controls[id].n); });
    // Read what the inputs really show: the browser may have restored form state.
    all('[data-control]').forEach((el) => {
      const id = el.getAttribute('data-control');
      const p = ctl(id) ? readPos(el, ctl(id)) : -1;
      if (p >= 0) pos[id] = p;
    });
    applyTrackDefaults(true);
    document.addEventListener('input', onControl);
    document.addEventListener('change', onControl);
    update();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
