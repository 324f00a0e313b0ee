//! Every lab page of the bundled book, on every track, through every
//! position of every simulator control.
//!
//! One run per process opens each page (side by side, a tab each), locks every prediction
//! (its first option), then on every track moves every control through
//! every one of its positions, one control at a time with the others at the
//! track's defaults (selects by `change`, sliders by `input`, toggles by a
//! click), reading the whole page back after every move; then it types a
//! number into every task form and submits it. The tests below each check
//! one property of what that run recorded, so one failing property does
//! not hide the others, and the browser work (the slow part) is done once.

use anyhow::Result;
use serde_json::Value;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::data::PageData;
use super::harness::{chromium_or_skip, js, Page, Session};
use super::model::{input_value, labs, Lab, State};
use super::shown::{assert_lock_holds, LockOnPage};
use super::sweep::{Aspect, LabCheck, Reading, SweepResult, SweepSetup, SWEEP_SETUP_JS};

/// What the run recorded on one lab page.
struct LabRun {
    data: PageData,
    /// (act, the option locked, the lock as the page showed it after).
    locks: Vec<(String, String, LockOnPage)>,
    setup: SweepSetup,
    /// Every reading with the state the test set and a description.
    readings: Vec<(Reading, State, String)>,
    /// Sweeps that could not run (a control without its one input).
    broken: Vec<(String, String)>,
    tasks: TaskRun,
    /// Errors the page's own listener caught after the last reading.
    thrown: Vec<String>,
    took: Duration,
}

/// What submitting every task form of a page gave.
struct TaskRun {
    /// (task, the number typed, whether its input took focus, what the
    /// page showed and stored after the submit).
    answers: Vec<(String, String, bool, Value)>,
    /// The ledger in `localStorage` after every task was answered.
    ledger: Value,
    /// Where the page keeps the ledger.
    store_key: String,
    /// How many task forms the page has.
    on_page: usize,
}

/// The whole run: one entry per lab, in the book's order, and the script
/// errors DevTools reported on any of them.
struct Run {
    labs: Vec<LabRun>,
    devtools: Vec<String>,
}

/// The run, made once per process; `None` (after a note) without Chromium.
fn run(test: &str) -> Option<&'static Run> {
    static RUN: OnceLock<Run> = OnceLock::new();
    chromium_or_skip(test)?;
    Some(RUN.get_or_init(|| {
        let started = Instant::now();
        let run = sweep_every_lab().unwrap_or_else(|e| panic!("the sweep did not run: {e:#}"));
        for (lab, r) in labs().iter().zip(&run.labs) {
            eprintln!(
                "every lab page: {}: {} readings, {} tasks in {:.1?}",
                lab.mission.id,
                r.readings.len(),
                r.tasks.answers.len(),
                r.took
            );
        }
        eprintln!("every lab page: done in {:.2?}", started.elapsed());
        run
    }))
}

/// Sweeps the lab pages side by side, each in its own tab: a sweep keeps
/// the page's script busy, so two pages use two cores.
fn sweep_every_lab() -> Result<Run> {
    let done: Vec<Result<(LabRun, Vec<String>)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = labs()
            .iter()
            .map(|lab| scope.spawn(move || sweep_one_lab(lab)))
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut run = Run {
        labs: Vec::new(),
        devtools: Vec::new(),
    };
    for result in done {
        let (lab, errors) = result?;
        run.labs.push(lab);
        run.devtools.extend(errors);
    }
    Ok(run)
}

/// Sweeps one lab page in a tab of its own; also returns the errors
/// DevTools reported there.
fn sweep_one_lab(lab: &Lab) -> Result<(LabRun, Vec<String>)> {
    let started = Instant::now();
    let session = Session::open("every_lab")?.expect("Chromium was found");
    let id = &lab.mission.id;
    let data = PageData::read(&session.book.join(format!("{id}.html")));
    let page = session.open_page(&format!("{id}.html"))?;
    let locks = lock_every_prediction(&page, lab)?;
    let setup: SweepSetup = page.eval_json(SWEEP_SETUP_JS)?;
    let (readings, broken) = sweep_every_control(&page, lab)?;
    let tasks = answer_every_task(&page, lab, &data.book_version)?;
    let thrown = page.thrown()?;
    let run = LabRun {
        data,
        locks,
        setup,
        readings,
        broken,
        tasks,
        thrown,
        took: started.elapsed(),
    };
    Ok((run, session.errors()))
}

/// Locks every prediction (its first option) so every simulator opens:
/// clicks the radio, then the lock button, in one round trip (the `lock`
/// tests lock with real mouse and keyboard input).
fn lock_every_prediction(page: &Page, lab: &Lab) -> Result<Vec<(String, String, LockOnPage)>> {
    let id = &lab.mission.id;
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
    let mut read = Vec::new();
    for ((act, key), ok) in locks.iter().zip(clicked) {
        assert!(ok, "{id}: act `{act}` has no lock form with option {key}");
        // A lock that does not open is reported by the lock test, which
        // reads what the page shows after the wait.
        let _ = page.wait_unlocked(act, key);
        read.push((act.to_string(), key.to_string(), page.lock(act)?));
    }
    Ok(read)
}

/// Readings of one page: each track at its defaults (the first as the page
/// opens, the others chosen by clicking their label), then every position
/// of every control and back to the track's default.
#[allow(clippy::type_complexity)]
fn sweep_every_control(
    page: &Page,
    lab: &Lab,
) -> Result<(Vec<(Reading, State, String)>, Vec<(String, String)>)> {
    let id = &lab.mission.id;
    let mut readings = Vec::new();
    let mut broken = Vec::new();
    for (t, track) in lab.mission.tracks.iter().enumerate() {
        let defaults = State {
            track: t,
            positions: lab.defaults[t].clone(),
        };
        let r: Reading = if t == 0 {
            page.eval_json("window.__lt.read()")?
        } else {
            assert!(
                lab.mission.has_track_selector,
                "{id}: several tracks but no track selector"
            );
            page.eval_json(&format!("window.__lt.track({})", js(&track.id)))?
        };
        let when = format!("{id} / track {} at its defaults", track.id);
        readings.push((r, defaults.clone(), when));
        for act in &lab.mission.acts {
            let Some(sim) = &act.simulator else { continue };
            for &ci in &sim.controls {
                let c = &lab.mission.controls[ci];
                let n = c.positions.len();
                let order: Vec<usize> = (0..n).chain([defaults.positions[ci]]).collect();
                let values: Vec<String> = order.iter().map(|&p| input_value(c, p).1).collect();
                let result: SweepResult = page.eval_json(&format!(
                    "window.__lt.sweep({}, {}, {}, {})",
                    js(&act.id),
                    js(&c.id),
                    js(input_value(c, 0).0),
                    serde_json::to_string(&values)?
                ))?;
                let where_ = format!("{id} / track {} / act {}", track.id, act.id);
                let rows = match (result.rows, result.error) {
                    (Some(rows), None) if rows.len() == order.len() => rows,
                    (Some(rows), None) => {
                        let m = format!(
                            "{where_} / control {}: {} readings for {} moves",
                            c.id,
                            rows.len(),
                            order.len()
                        );
                        broken.push(solo(m));
                        continue;
                    }
                    (_, e) => {
                        let m = format!("{where_} / control {}: {}", c.id, e.unwrap_or_default());
                        broken.push(solo(m));
                        continue;
                    }
                };
                for (k, (r, &p)) in rows.into_iter().zip(&order).enumerate() {
                    let mut want = defaults.clone();
                    want.positions[ci] = p;
                    let back = if k == n { ", back to the default" } else { "" };
                    let label = &c.positions[p].label;
                    let when = format!("{where_} / {} = {label} (position {p} of {n}{back})", c.id);
                    readings.push((r, want, when));
                }
            }
        }
    }
    Ok((readings, broken))
}

/// Types a number into every task form (as the keyboard or an input method
/// commits text), submits it, and reads what the page shows and stores.
fn answer_every_task(page: &Page, lab: &Lab, book_version: &str) -> Result<TaskRun> {
    let store_key = format!("labgen:{book_version}:{}", lab.mission.id);
    let mut answers = Vec::new();
    for act in &lab.mission.acts {
        for t in &act.tasks {
            let task = format!("{}.{}", act.id, t.id);
            let form = format!("form[data-task=\"{task}\"]");
            let typed = format!("{}.5", 10 + answers.len());
            let input = js(&format!("{form} input"));
            let focused = page.eval(&format!(
                "((el) => !!el && (el.scrollIntoView({{ block: 'center' }}), el.focus(), el.value = '',
                   document.activeElement === el))(document.querySelector({input}))"
            ))? == Value::Bool(true);
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
            answers.push((task, typed, focused, got));
        }
    }
    let ledger: Value = page.eval_json(&format!(
        "localStorage.getItem({}) || 'null'",
        js(&store_key)
    ))?;
    let on_page =
        page.eval_json("JSON.stringify(document.querySelectorAll('form[data-task]').length)")?;
    Ok(TaskRun {
        answers,
        ledger,
        store_key,
        on_page,
    })
}

/// A failure that stands for itself in the report.
fn solo(message: String) -> (String, String) {
    (message.clone(), message)
}

/// Checks every reading of every lab for one aspect; returns the checks of
/// each lab (for its counts) after asserting none failed.
fn check_readings(run: &Run, aspect: Aspect) -> Vec<LabCheck<'_>> {
    let mut checks = Vec::new();
    let mut failures = Vec::new();
    for (lab, r) in labs().iter().zip(&run.labs) {
        let mut check = LabCheck::new(lab, &r.data, &r.setup, aspect);
        for (reading, want, when) in &r.readings {
            check.check(reading, want, when);
        }
        failures.append(&mut check.failures);
        checks.push(check);
    }
    assert_no_failures(failures);
    checks
}

/// Fails with the failures grouped by what failed (an element of a lab, or
/// a check), with how often and the first few states where it did.
fn assert_no_failures(failures: Vec<(String, String)>) {
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
}

/// The data block of every lab page describes the lab's controls (count,
/// labels, option keys, defaults) and tracks as the library does, so
/// positions mean the same on both sides. Needs no browser.
#[test]
fn every_data_block_describes_the_controls_and_tracks_as_the_library_does() {
    let dir = tempfile::tempdir().unwrap();
    labgen::output::write_atomically(dir.path(), &crate::util::bundled().files).unwrap();
    assert!(
        labs().len() >= 4,
        "expected the four bundled labs, found {}",
        labs().len()
    );
    for lab in labs() {
        let page = dir.path().join(format!("{}.html", lab.mission.id));
        assert!(page.is_file(), "the build wrote no {}", page.display());
        PageData::read(&page).assert_matches(lab);
    }
}

/// Locking a prediction's first option on every lab page opens its
/// simulator, reveal and reflection, echoes the option and shows only its
/// feedback.
#[test]
fn every_lock_of_every_lab_opens_its_act() {
    let Some(run) = run("every_lock_of_every_lab_opens_its_act") else {
        return;
    };
    for r in &run.labs {
        for (act, key, lock) in &r.locks {
            assert_lock_holds(lock, act, key);
        }
    }
}

/// After every move on every lab page and track, the inputs and their
/// labels show the state that was set, and every state was read: one per
/// track at its defaults and one per move.
#[test]
fn every_move_on_every_lab_shows_the_state_it_set() {
    let Some(run) = run("every_move_on_every_lab_shows_the_state_it_set") else {
        return;
    };
    let broken: Vec<_> = run.labs.iter().flat_map(|r| r.broken.clone()).collect();
    assert_no_failures(broken);
    let checks = check_readings(run, Aspect::State);
    for (lab, check) in labs().iter().zip(&checks) {
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
            "{}: states read (one per track at its defaults, one per move)",
            lab.mission.id
        );
    }
}

/// In every state of every lab page, every value (`[data-value]`) is what
/// `Model::eval` gives: at the state set (live), at the track's defaults
/// (pinned) or at its scenario.
#[test]
fn every_value_on_every_lab_matches_the_model_in_every_state() {
    let Some(run) = run("every_value_on_every_lab_matches_the_model_in_every_state") else {
        return;
    };
    for (lab, check) in labs().iter().zip(check_readings(run, Aspect::Values)) {
        assert!(
            check.counts.get("model").copied().unwrap_or(0) > 0,
            "{}: no value was checked against the model",
            lab.mission.id
        );
    }
}

/// In every state of every lab page, every `[data-cell]` element shows the
/// fields the page's data block holds for that state: `text`, `number`,
/// `unit`, `tone`, `on` (as `hidden`) and `html` (the browser's
/// serialization of the fragment).
#[test]
fn every_cell_on_every_lab_shows_its_data_block_in_every_state() {
    let Some(run) = run("every_cell_on_every_lab_shows_its_data_block_in_every_state") else {
        return;
    };
    for (lab, check) in labs().iter().zip(check_readings(run, Aspect::Cells)) {
        for kind in ["text", "number", "unit", "on", "html"] {
            assert!(
                check.counts.get(kind).copied().unwrap_or(0) > 0,
                "{}: no `{kind}` check was made: {:?}",
                lab.mission.id,
                check.counts
            );
        }
    }
}

/// Every task form of every lab page takes a typed number, opens its answer
/// panel, echoes the number, hides its message, and records the answer in
/// the ledger in `localStorage` (`numeric[<task id>]`), keeping every
/// earlier answer too.
#[test]
fn every_task_form_records_its_answer_in_the_ledger() {
    let Some(run) = run("every_task_form_records_its_answer_in_the_ledger") else {
        return;
    };
    let mut failures = Vec::new();
    for (lab, r) in labs().iter().zip(&run.labs) {
        let id = &lab.mission.id;
        let t = &r.tasks;
        for (task, typed, focused, got) in &t.answers {
            assert!(
                focused,
                "{id}: the input of task `{task}` should take focus"
            );
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
            let want: f64 = typed.parse().unwrap();
            if got["ledger"]["numeric"][task].as_f64() != Some(want) {
                failures.push(solo(format!(
                    "{id}: after submitting {typed} to task `{task}`, the ledger {} holds numeric = {}",
                    t.store_key, got["ledger"]["numeric"]
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
            // Every answer stays in the ledger, not only the last one.
            if t.ledger["numeric"][task].as_f64() != Some(want) {
                failures.push(solo(format!(
                    "{id}: after all tasks, the ledger holds numeric = {} (lost `{task}` = {want})",
                    t.ledger["numeric"]
                )));
            }
        }
        assert_eq!(
            t.on_page,
            t.answers.len(),
            "{id}: every form[data-task] should be a task of the mission"
        );
    }
    assert_no_failures(failures);
}

/// No lab page throws a script error while its controls move and its tasks
/// are answered: neither the page's own `error` listener (installed before
/// the page's script) nor DevTools' exception and console logs report one.
#[test]
fn no_lab_page_throws_while_it_is_used() {
    let Some(run) = run("no_lab_page_throws_while_it_is_used") else {
        return;
    };
    check_readings(run, Aspect::Errors);
    let mut failures = Vec::new();
    for (lab, r) in labs().iter().zip(&run.labs) {
        if !r.thrown.is_empty() {
            let id = &lab.mission.id;
            failures.push(solo(format!("{id}: the page threw: {:?}", r.thrown)));
        }
    }
    failures.extend(run.devtools.iter().map(|e| solo(format!("DevTools: {e}"))));
    assert_no_failures(failures);
}
