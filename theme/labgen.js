/* labgen.js: the one script of a labgen lab book.
 *
 * The Rust build precomputes every state of every simulator and embeds them in
 * <script type="application/json" id="labgen-data">. This script only maps control
 * positions to array indices and swaps in text, attributes and prebuilt SVG/HTML
 * fragments. It also runs the prediction locks and reflections, and keeps the
 * student's ledger (locks, answers, final control settings) in localStorage,
 * with a small HUD to export it as a JSON file and import it back.
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
    saveSoon();
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

  // `restoring`: the lock comes from the ledger, not from the reader, so it is
  // not recorded again and does not move the focus.
  function lockPrediction(form, restoring) {
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
    if (ledger && !restoring) {
      ledger.predictions[act] = { choice: key, locked_at: new Date().toISOString() };
      save();
    }
    if (restoring) return;
    // Land keyboard users in the simulator (its heading has tabindex="-1"; it may carry
    // data-locked-by itself or sit inside the element that does).
    const target = document.querySelector(opened + '[tabindex="-1"], ' + opened + ' [tabindex="-1"]');
    if (target) target.focus();
  }

  function checkReflection(form, restoring) {
    const act = form.getAttribute('data-reflection');
    const msg = form.querySelector('[data-reflection-message]');
    const radio = chosen(form, 'reflect-' + act);
    if (msg) msg.hidden = !!radio;
    if (!radio) return;
    showFeedback('reflection:' + act + ':', radio.value);
    // Exam pages have no feedback, only a note that the answer is kept.
    all(sel('data-answer-saved', act)).forEach((el) => { el.hidden = false; });
    if (ledger && !restoring) {
      ledger.reflections[act] = { choice: radio.value, answered_at: new Date().toISOString() };
      save();
    }
  }

  // A typed answer as a number: digits with an optional sign, point and exponent;
  // spaces (thousands groups) are ignored. Anything else is not an answer.
  function readNumber(text) {
    const s = String(text).replace(/[\s\u00a0\u202f]/g, '');
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return null;
    const v = Number(s);
    return isFinite(v) ? v : null;
  }

  function submitTask(form, restoring, value) {
    const id = form.getAttribute('data-task');
    const input = form.querySelector('input');
    const msg = form.querySelector('[data-task-message]');
    const v = value !== undefined ? value : readNumber(input ? input.value : '');
    if (msg) msg.hidden = v !== null;
    if (v === null) return;
    if (input && value !== undefined) input.value = String(v);
    all(sel('data-task-echo', id)).forEach((el) => { el.textContent = String(v); });
    all(sel('data-task-answer', id)).forEach((el) => { el.hidden = false; });
    all(sel('data-task-saved', id)).forEach((el) => { el.hidden = false; });
    if (ledger && !restoring) {
      if (!isObj(ledger.numeric)) ledger.numeric = {};
      ledger.numeric[id] = v;
      save();
    }
  }

  function onSubmit(e) {
    const form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.hasAttribute('data-lock')) { e.preventDefault(); lockPrediction(form); }
    else if (form.hasAttribute('data-reflection')) { e.preventDefault(); checkReflection(form); }
    else if (form.hasAttribute('data-task')) { e.preventDefault(); submitTask(form); }
  }

  // ---------- the ledger: the student's own record, kept in this browser ----------
  // One record per lab and book version, under labgen:<book_version>:<lab id>. It is
  // overwritten on every change (never appended to), and leaves the browser only
  // when the student exports it. Times are the browser's clock: student data.
  const LEDGER_SCHEMA = 'labgen-ledger/1';
  const MAX_IMPORT_BYTES = 1048576;  // labgen grade rejects larger files too
  let ledger = null;                 // the record, or null on pages without a lab
  let storeKey = null;
  let saveTimer = 0;

  const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const own = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);
  const short = (v) => String(v).slice(0, 60);

  function storage() {
    try { return window.localStorage || null; } catch (err) { return null; } // blocked (privacy settings)
  }

  function newLedger(lab) {
    return { schema: LEDGER_SCHEMA, book_version: String(data.book_version || ''), lab: lab,
      track: null, predictions: {}, reflections: {}, controls: {} };
  }

  // What the ledger stores for a position: the option key of a select, else the label.
  const valueOf = (c, p) => (c.keys ? c.keys[p] : (c.labels && has(c.labels, p) ? String(c.labels[p]) : String(p)));
  const positionOf = (c, v) => (c.keys ? c.keys.indexOf(v) : (c.labels || []).map(String).indexOf(v));

  // The current track and every act's control settings, read from the page.
  function snapshotControls() {
    const t = ctl(TRACK);
    ledger.track = t ? keyOf(t, pos[TRACK]) : null;
    const out = {};
    all('section[data-act]').forEach((section) => {
      const set = {};
      all('[data-control]', section).forEach((el) => {
        const id = el.getAttribute('data-control');
        const c = id === TRACK ? null : ctl(id);
        if (c && pos[id] !== undefined) set[id] = valueOf(c, pos[id]);
      });
      if (Object.keys(set).length) out[section.getAttribute('data-act')] = set;
    });
    ledger.controls = out;
  }

  function save() {
    clearTimeout(saveTimer);
    saveTimer = 0;
    if (!ledger) return;
    snapshotControls();
    const s = storage();
    try { if (s) s.setItem(storeKey, JSON.stringify(ledger)); } catch (err) { /* full or blocked: Export still works */ }
    renderHud();
  }

  // Control moves come in bursts (a dragged slider): write once they settle.
  function saveSoon() {
    if (!ledger) return;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 300);
  }

  function radioFor(form, name, key) {
    return all('input[type="radio"]', form).find((r) => r.name === name && r.value === key) || null;
  }

  // Checks that a parsed file has the ledger's shape; returns a message, or '' when it does.
  function shapeProblem(rec) {
    if (!isObj(rec) || rec.schema !== LEDGER_SCHEMA) return 'That file is not a labgen ledger.';
    if (rec.lab !== ledger.lab) return 'That ledger is for another lab (' + short(rec.lab) + ').';
    if (rec.track !== undefined && rec.track !== null && typeof rec.track !== 'string') return 'That ledger has an unreadable track.';
    const sections = [['predictions', 'choice'], ['reflections', 'choice'], ['controls', null]];
    for (const [name, field] of sections) {
      const part = rec[name];
      if (part === undefined) continue;
      if (!isObj(part)) return 'That ledger has unreadable ' + name + '.';
      for (const act of Object.keys(part)) {
        const entry = part[act];
        if (!isObj(entry)) return 'That ledger has unreadable ' + name + '.';
        const ok = field ? typeof entry[field] === 'string'
          : Object.keys(entry).every((k) => typeof entry[k] === 'string');
        if (!ok) return 'That ledger has unreadable ' + name + '.';
      }
    }
    if (rec.numeric !== undefined) {
      if (!isObj(rec.numeric)) return 'That ledger has unreadable numeric answers.';
      const ok = Object.keys(rec.numeric).every((k) => typeof rec.numeric[k] === 'number' && isFinite(rec.numeric[k]));
      if (!ok) return 'That ledger has unreadable numeric answers.';
    }
    return '';
  }

  // Puts a record's choices into the page: the track, the controls, then the locks
  // and the answers. Entries that do not fit this page are left out and counted.
  function restore(rec) {
    const n = { restored: 0, skipped: 0, kept: 0 };
    const t = ctl(TRACK);
    if (t && typeof rec.track === 'string') {
      const p = indexOfKey(t, rec.track);
      if (p >= 0) { pos[TRACK] = p; applyTrackDefaults(false); } else n.skipped++;
    }
    const controls = isObj(rec.controls) ? rec.controls : {};
    Object.keys(controls).forEach((act) => {
      Object.keys(controls[act]).forEach((id) => {
        const c = id === TRACK ? null : ctl(id);
        const p = c ? positionOf(c, controls[act][id]) : -1;
        if (p >= 0) pos[id] = p; else n.skipped++;
      });
    });
    update();
    const stamp = (v) => (typeof v === 'string' ? v.slice(0, 64) : '');
    const predictions = isObj(rec.predictions) ? rec.predictions : {};
    Object.keys(predictions).forEach((act) => {
      const entry = predictions[act];
      const form = document.querySelector('form' + sel('data-lock', act));
      const radio = form && radioFor(form, 'lock-' + act, entry.choice);
      if (!radio) { n.skipped++; return; }
      if (form.hasAttribute('data-locked')) {
        // A lock is final: the page keeps the one it has.
        if (form.getAttribute('data-locked') !== entry.choice) n.kept++;
        return;
      }
      radio.checked = true;
      lockPrediction(form, true);
      ledger.predictions[act] = { choice: entry.choice, locked_at: stamp(entry.locked_at) };
      n.restored++;
    });
    const reflections = isObj(rec.reflections) ? rec.reflections : {};
    Object.keys(reflections).forEach((act) => {
      const entry = reflections[act];
      const form = document.querySelector('form' + sel('data-reflection', act));
      const radio = form && radioFor(form, 'reflect-' + act, entry.choice);
      if (!radio) { n.skipped++; return; }
      radio.checked = true;
      checkReflection(form, true);
      ledger.reflections[act] = { choice: entry.choice, answered_at: stamp(entry.answered_at) };
      n.restored++;
    });
    const numeric = isObj(rec.numeric) ? rec.numeric : {};
    Object.keys(numeric).forEach((id) => {
      const form = document.querySelector('form' + sel('data-task', id));
      if (!form) { n.skipped++; return; }
      submitTask(form, true, numeric[id]);
      if (!isObj(ledger.numeric)) ledger.numeric = {};
      ledger.numeric[id] = numeric[id];
      n.restored++;
    });
    save();
    return n;
  }

  // A short message about the last export or import; it clears itself, so the
  // corner shrinks back.
  let statusTimer = 0;
  function status(text, tone) {
    const el = document.querySelector('[data-hud-status]');
    if (!el) return;
    el.textContent = text;
    setAttr(el, 'data-tone', tone || null);
    clearTimeout(statusTimer);
    statusTimer = setTimeout(() => { el.textContent = ''; setAttr(el, 'data-tone', null); }, 12000);
  }

  function renderHud() {
    const el = document.querySelector('[data-hud-progress]');
    if (!el || !ledger) return;
    const locks = all('form[data-lock]');
    const forms = all('form[data-reflection]');
    const locked = locks.filter((f) => f.hasAttribute('data-locked')).length;
    const answered = forms.filter((f) => own(ledger.reflections, f.getAttribute('data-reflection'))).length;
    const tasks = all('form[data-task]');
    const numeric = isObj(ledger.numeric) ? ledger.numeric : {};
    const done = tasks.filter((f) => own(numeric, f.getAttribute('data-task'))).length;
    const parts = [];
    if (locks.length) parts.push(locked + ' of ' + locks.length + ' predictions locked');
    if (forms.length) parts.push(answered + ' of ' + forms.length + ' reflections answered');
    if (tasks.length) parts.push(done + ' of ' + tasks.length + ' tasks answered');
    const text = parts.join(' · ') || 'Nothing to answer on this page.';
    // Rewriting the same text would make screen readers announce it again.
    if (el.textContent !== text) el.textContent = text;
  }

  function exportLedger() {
    save();
    const blob = new Blob([JSON.stringify(ledger, null, 2) + '\n'], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = ledger.lab + '-ledger.json';
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    status('Downloaded ' + a.download + '. Hand in that file.', 'good');
  }

  function importLedger(file) {
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) { status('That file is too large to be a ledger.', 'warn'); return; }
    const reader = new FileReader();
    reader.onerror = () => status('That file could not be read.', 'warn');
    reader.onload = () => {
      let rec = null;
      try { rec = JSON.parse(String(reader.result)); } catch (err) { status('That file is not a labgen ledger (not JSON).', 'warn'); return; }
      const problem = shapeProblem(rec);
      if (problem) { status(problem, 'warn'); return; }
      const n = restore(rec);
      let text = 'Imported ' + n.restored + ' answer' + (n.restored === 1 ? '' : 's') + '.';
      if (n.kept) text += ' ' + n.kept + ' prediction' + (n.kept === 1 ? ' was' : 's were') + ' already locked here and stay as they are.';
      if (n.skipped) text += ' ' + n.skipped + ' entr' + (n.skipped === 1 ? 'y does' : 'ies do') + ' not fit this page.';
      if (rec.book_version !== ledger.book_version) text += ' The file comes from another version of this book.';
      status(text, n.kept || n.skipped ? 'warn' : 'good');
    };
    reader.readAsText(file);
  }

  // The stored record of this lab: this version's, else one from an earlier version
  // of the book (a rebuild changes the version), so a reload never loses the work.
  function storedRecord() {
    const s = storage();
    if (!s) return null;
    const parse = (text) => { try { return JSON.parse(text); } catch (err) { return null; } };
    try {
      const mine = s.getItem(storeKey);
      if (mine) return { rec: parse(mine), earlier: false };
      const suffix = ':' + ledger.lab;
      for (let i = 0; i < s.length; i++) {
        const k = s.key(i);
        if (k && k.indexOf('labgen:') === 0 && k.slice(-suffix.length) === suffix) return { rec: parse(s.getItem(k)), earlier: true };
      }
    } catch (err) { /* blocked */ }
    return null;
  }

  function startLedger() {
    const article = document.querySelector('article[data-lab]');
    const lab = article && article.getAttribute('data-lab');
    if (!lab || !data) return;
    ledger = newLedger(lab);
    storeKey = 'labgen:' + ledger.book_version + ':' + lab;
    const found = storedRecord();
    if (found && !shapeProblem(found.rec)) {
      restore(found.rec);
      if (found.earlier) status('Restored your answers from an earlier version of this book.', 'warn');
    }
    const hud = document.querySelector('[data-hud]');
    if (hud) {
      const file = hud.querySelector('[data-hud-file]');
      const exp = hud.querySelector('[data-hud-export]');
      const imp = hud.querySelector('[data-hud-import]');
      const toggle = hud.querySelector('[data-hud-toggle]');
      const panel = hud.querySelector('[data-hud-panel]');
      // Folded by default, so the corner covers as little of the page as it can.
      const open = (on) => {
        if (!toggle || !panel) return;
        panel.hidden = !on;
        toggle.setAttribute('aria-expanded', on ? 'true' : 'false');
      };
      if (toggle) toggle.addEventListener('click', () => open(panel.hidden));
      hud.addEventListener('keydown', (e) => {
        if (e.key === 'Escape' && panel && !panel.hidden) { open(false); toggle.focus(); }
      });
      if (exp) exp.addEventListener('click', exportLedger);
      if (imp && file) imp.addEventListener('click', () => file.click());
      if (file) file.addEventListener('change', () => { importLedger(file.files && file.files[0]); file.value = ''; });
      hud.hidden = false;
    }
    renderHud();
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
    startLedger();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
