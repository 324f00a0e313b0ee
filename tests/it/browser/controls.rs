//! The controls of the bundled lab page: after every kind of move (select
//! `change`, slider key presses, slider `input`, track radio click) every
//! shown number is right, each live value at the state the inputs show and
//! each pinned value at the track's defaults, and each plot's SVG is
//! swapped exactly when the plot depends on the control that moved.

use anyhow::Result;
use std::collections::BTreeMap;

use super::harness::{js, Page, Session};
use super::model::{lab, State};
use super::shown::check_plot_swap;
use super::LAB_PAGE;

/// Moves through the lab page with both acts locked, checking every shown
/// value after each move against the positions moved so far.
struct Walk<'a> {
    page: &'a Page,
    /// (control, position) pairs the page must show.
    expect: Vec<(&'static str, usize)>,
    /// The plots' HTML by act after the last move.
    plots: BTreeMap<String, String>,
    /// The state the page showed after the last move.
    state: State,
}

impl<'a> Walk<'a> {
    /// Locks both predictions (B) and reads the page once.
    fn start(page: &'a Page) -> Result<Walk<'a>> {
        page.lock_by_script("pipeline", "B")?;
        page.lock_by_script("gravity", "B")?;
        let (state, plots) = page.check(lab(), "after locking both acts", &[])?;
        Ok(Walk {
            page,
            expect: Vec::new(),
            plots,
            state,
        })
    }

    /// [`Walk::start`] on NVMe storage: on the default hard disk a step
    /// waits on storage alone, so the workers do not move the timeline.
    fn start_on_nvme(page: &'a Page) -> Result<Walk<'a>> {
        page.set_and_dispatch("#ctl-storage", "nvme", "change")?;
        let mut walk = Walk::start(page)?;
        walk.expect = vec![("storage", lab().key_position("storage", "nvme"))];
        Ok(walk)
    }

    /// After `control` of `act` moved to `position`: checks every value and
    /// that the act's plot was swapped exactly if it depends on `control`.
    fn moved(
        &mut self,
        act: &str,
        control: &'static str,
        position: usize,
        when: &str,
    ) -> Result<()> {
        self.expect.retain(|(id, _)| *id != control);
        self.expect.push((control, position));
        let (state, plots) = self.page.check(lab(), when, &self.expect)?;
        check_plot_swap(lab(), act, control, &self.plots, &plots, when);
        self.plots = plots;
        self.state = state;
        Ok(())
    }
}

/// The position of `control` labelled `label`.
fn labelled(control: &str, label: &str) -> usize {
    let c = &lab().mission.controls[lab().control_index(control)];
    c.positions
        .iter()
        .position(|p| p.label == label)
        .unwrap_or_else(|| panic!("control `{control}` has no position `{label}`"))
}

/// Waits until the `<output>` of `control` names `position`.
fn wait_label(page: &Page, control: &str, position: usize, what: &str) -> Result<()> {
    let c = &lab().mission.controls[lab().control_index(control)];
    page.wait_until(
        &format!(
            "document.querySelector('output[data-control-label=\"{control}\"]').textContent === {}",
            js(&c.positions[position].label)
        ),
        what,
    )
}

/// Clicks the label of the track radio `track` and waits until it is checked.
fn choose_track(page: &Page, track: &str) -> Result<()> {
    page.click(&format!(
        "[data-control=\"track\"] label:has(input[value=\"{track}\"])"
    ))?;
    page.wait_until(
        &format!(
            "document.querySelector('[data-control=\"track\"] input[value=\"{track}\"]').checked"
        ),
        &format!("the {track} track to be selected"),
    )
}

/// The page opens on the cloud track at its defaults, with every value
/// right and every plot an SVG with `role="img"` and a `<title>`.
#[test]
fn the_page_opens_on_the_first_track_at_its_defaults() -> Result<()> {
    let Some(session) = Session::open("the_page_opens_on_the_first_track_at_its_defaults")? else {
        return Ok(());
    };
    let page = session.open_page(LAB_PAGE)?;
    let when = "at load";
    let (state, _) = page.check(lab(), when, &[])?;
    let cloud = lab().track_index("cloud");
    assert_eq!(
        state,
        State {
            track: cloud,
            positions: lab().defaults[cloud].clone()
        },
        "{when}: the page should show the cloud track at its defaults"
    );
    Ok(())
}

/// Choosing an option of a select (a `change` event) updates every value
/// and swaps the plots that depend on it: storage in act 1, the link in
/// act 2.
#[test]
fn selecting_an_option_updates_every_value_and_dependent_plot() -> Result<()> {
    let Some(session) =
        Session::open("selecting_an_option_updates_every_value_and_dependent_plot")?
    else {
        return Ok(());
    };
    let page = session.open_page(LAB_PAGE)?;
    let mut walk = Walk::start(&page)?;
    page.set_and_dispatch("#ctl-storage", "nvme", "change")?;
    let nvme = lab().key_position("storage", "nvme");
    walk.moved(
        "pipeline",
        "storage",
        nvme,
        "after selecting storage = nvme",
    )?;
    let ten = lab().key_position("link", "10g");
    let link = lab().control_index("link");
    assert_ne!(
        ten, walk.state.positions[link],
        "the link move must change the link"
    );
    page.set_and_dispatch("#ctl-link", "10g", "change")?;
    walk.moved(
        "gravity",
        "link",
        ten,
        "after selecting link = 10g on the cloud track",
    )?;
    Ok(())
}

/// Arrow keys on a focused slider move it a step per press and update
/// every value and the plots that depend on it: workers three steps right
/// in act 1, the dataset two steps left in act 2.
#[test]
fn slider_arrow_keys_update_every_value_and_dependent_plot() -> Result<()> {
    let Some(session) = Session::open("slider_arrow_keys_update_every_value_and_dependent_plot")?
    else {
        return Ok(());
    };
    let page = session.open_page(LAB_PAGE)?;
    let mut walk = Walk::start_on_nvme(&page)?;
    let state = walk.state.clone();
    let w3 = state.positions[lab().control_index("workers")] + 3;
    page.focus("#ctl-workers")?;
    page.press("ArrowRight", 3)?;
    wait_label(
        &page,
        "workers",
        w3,
        "the workers slider to move three steps right",
    )?;
    let when = "after pressing ArrowRight three times on the workers slider";
    walk.moved("pipeline", "workers", w3, when)?;
    let d0 = state.positions[lab().control_index("dataset")];
    assert!(
        d0 >= 2,
        "the dataset slider should start two steps above its minimum"
    );
    page.focus("#ctl-dataset")?;
    page.press("ArrowLeft", 2)?;
    wait_label(
        &page,
        "dataset",
        d0 - 2,
        "the dataset slider to move two steps left",
    )?;
    let when = "after pressing ArrowLeft twice on the dataset slider";
    walk.moved("gravity", "dataset", d0 - 2, when)?;
    Ok(())
}

/// Setting a slider and dispatching `input` (what a drag fires) updates
/// every value and the plots that depend on it: workers and the dataset in
/// act 1, the budget in act 2.
#[test]
fn slider_input_events_update_every_value_and_dependent_plot() -> Result<()> {
    let Some(session) = Session::open("slider_input_events_update_every_value_and_dependent_plot")?
    else {
        return Ok(());
    };
    let page = session.open_page(LAB_PAGE)?;
    let mut walk = Walk::start_on_nvme(&page)?;
    page.set_and_dispatch("#ctl-workers", "16", "input")?;
    let when = "after setting workers = 16 with an input event";
    walk.moved("pipeline", "workers", labelled("workers", "16"), when)?;
    page.set_and_dispatch("#ctl-dataset_tb", "42", "input")?;
    let when = "after setting dataset_tb = 42 TB with an input event";
    walk.moved(
        "pipeline",
        "dataset_tb",
        labelled("dataset_tb", "42 TB"),
        when,
    )?;
    let budget = lab().control_index("budget");
    let b = lab().mission.controls[budget].positions.len() - 2;
    assert_ne!(
        b, walk.state.positions[budget],
        "the budget move must change the budget"
    );
    page.set_and_dispatch("#ctl-budget", &b.to_string(), "input")?;
    walk.moved(
        "gravity",
        "budget",
        b,
        "after moving the budget slider with an input event",
    )?;
    Ok(())
}

/// Clicking a track's label switches the track: controls the student moved
/// stay, the link jumps to the track's default, only that track's summary
/// shows, and every value is right; switching back restores the first
/// track's link.
#[test]
fn switching_the_track_keeps_moved_controls_and_takes_its_defaults() -> Result<()> {
    let Some(session) =
        Session::open("switching_the_track_keeps_moved_controls_and_takes_its_defaults")?
    else {
        return Ok(());
    };
    let page = session.open_page(LAB_PAGE)?;
    let (cloud, edge) = (lab().track_index("cloud"), lab().track_index("edge"));
    let link = lab().control_index("link");
    let mut walk = Walk::start(&page)?;
    page.set_and_dispatch("#ctl-storage", "nvme", "change")?;
    page.set_and_dispatch("#ctl-workers", "16", "input")?;
    page.set_and_dispatch("#ctl-dataset_tb", "42", "input")?;
    walk.expect = vec![
        ("storage", lab().key_position("storage", "nvme")),
        ("workers", labelled("workers", "16")),
        ("dataset_tb", labelled("dataset_tb", "42 TB")),
    ];
    choose_track(&page, "edge")?;
    let when = "after switching the track to edge";
    walk.expect.push(("link", lab().defaults[edge][link]));
    let (state, _) = page.check(lab(), when, &walk.expect)?;
    assert_eq!(
        state.track, edge,
        "{when}: the page should be on the edge track"
    );
    let summaries: Vec<bool> = page.eval_json(
        "JSON.stringify(Array.from(document.querySelectorAll('.track-summary'), (el) => !el.hidden && el.checkVisibility()))",
    )?;
    assert_eq!(
        summaries,
        (0..lab().mission.tracks.len())
            .map(|t| t == edge)
            .collect::<Vec<_>>(),
        "{when}: only the edge track's summary should show"
    );
    choose_track(&page, "cloud")?;
    let when = "after switching the track back to cloud";
    walk.expect.retain(|(id, _)| *id != "link");
    walk.expect.push(("link", lab().defaults[cloud][link]));
    let (state, _) = page.check(lab(), when, &walk.expect)?;
    assert_eq!(
        state.track, cloud,
        "{when}: the page should be on the cloud track"
    );
    Ok(())
}

/// Uses the lab page as a student would, with every kind of input and no
/// checks: locks both acts and answers a reflection with the mouse, moves
/// a select, a slider by keys and by `input`, and switches tracks.
pub fn use_every_kind_of_control(page: &Page) -> Result<()> {
    let lock = "form[data-lock=\"pipeline\"]";
    page.click(&format!("{lock} label.option:has(input[value=\"B\"])"))?;
    page.click(&format!("{lock} button[type=\"submit\"]"))?;
    page.wait_unlocked("pipeline", "B")?;
    let reflection = "form[data-reflection=\"pipeline\"]";
    page.click(&format!(
        "{reflection} label.option:has(input[value=\"A\"])"
    ))?;
    page.click(&format!("{reflection} button[type=\"submit\"]"))?;
    page.set_and_dispatch("#ctl-storage", "nvme", "change")?;
    let w0: usize =
        page.eval_json("JSON.stringify(document.querySelector('#ctl-workers').valueAsNumber)")?;
    page.focus("#ctl-workers")?;
    page.press("ArrowRight", 3)?;
    page.wait_until(
        &format!("document.querySelector('#ctl-workers').valueAsNumber !== {w0}"),
        "the workers slider to move",
    )?;
    page.set_and_dispatch("#ctl-dataset_tb", "42", "input")?;
    choose_track(page, "edge")?;
    let lock = "form[data-lock=\"gravity\"]";
    page.click(&format!("{lock} label.option:has(input[value=\"B\"])"))?;
    page.click(&format!("{lock} button[type=\"submit\"]"))?;
    page.wait_unlocked("gravity", "B")?;
    page.focus("#ctl-dataset")?;
    page.press("ArrowLeft", 2)?;
    page.set_and_dispatch("#ctl-budget", "3", "input")?;
    choose_track(page, "cloud")?;
    page.set_and_dispatch("#ctl-link", "10g", "change")?;
    Ok(())
}

/// The page throws no script error while a student uses every kind of
/// control (DevTools' exception and console logs stay empty).
#[test]
fn the_lab_page_throws_no_script_error_while_used() -> Result<()> {
    let Some(session) = Session::open("the_lab_page_throws_no_script_error_while_used")? else {
        return Ok(());
    };
    let page = session.open_page(LAB_PAGE)?;
    use_every_kind_of_control(&page)?;
    let thrown = page.thrown()?;
    assert!(thrown.is_empty(), "the page threw: {thrown:#?}");
    let errors = session.errors();
    assert!(errors.is_empty(), "the page reported errors: {errors:#?}");
    Ok(())
}
