//! The prediction lock of the bundled lab page gates the simulator, the
//! reveal and the reflection; it locks by mouse and by keyboard alone; the
//! reflection shows its message without a choice and only the chosen
//! feedback after.

use anyhow::Result;

use super::harness::{js, Session};
use super::model::lab;
use super::LAB_PAGE;

/// The key of the right answer to the reflection of `act`.
fn correct_reflection(act: &str) -> String {
    lab()
        .mission
        .acts
        .iter()
        .find(|a| a.id == act)
        .and_then(|a| a.reflection.as_ref())
        .map(|q| q.correct.clone())
        .unwrap_or_else(|| panic!("the {act} act has a reflection"))
}

/// Before its lock, act 1's simulator, reveal and reflection are hidden,
/// the locked placeholder shows, and neither the lock message nor any
/// feedback does.
#[test]
fn prediction_lock_hides_the_act_until_locked() -> Result<()> {
    let Some(session) = Session::open("prediction_lock_hides_the_act_until_locked")? else {
        return Ok(());
    };
    let page = session.open_page(LAB_PAGE)?;
    let act = "pipeline";
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
    Ok(())
}

/// Submitting the lock without a choice shows the lock message, opens
/// nothing, and leaves the radios and the button enabled.
#[test]
fn locking_without_a_choice_shows_the_message_and_opens_nothing() -> Result<()> {
    let Some(session) =
        Session::open("locking_without_a_choice_shows_the_message_and_opens_nothing")?
    else {
        return Ok(());
    };
    let page = session.open_page(LAB_PAGE)?;
    let act = "pipeline";
    let lock = format!("form[data-lock=\"{act}\"]");
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
    Ok(())
}

/// Choosing B with the mouse opens nothing until the lock is submitted;
/// then the simulator, reveal and reflection open, the echo repeats B's
/// text, only B's feedback shows, the radios are disabled and focus lands
/// on the simulator's heading.
#[test]
fn locking_by_mouse_opens_the_act_with_the_chosen_feedback() -> Result<()> {
    let Some(session) = Session::open("locking_by_mouse_opens_the_act_with_the_chosen_feedback")?
    else {
        return Ok(());
    };
    let page = session.open_page(LAB_PAGE)?;
    let act = "pipeline";
    let lock = format!("form[data-lock=\"{act}\"]");
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
    Ok(())
}

/// Act 2's lock works with the keyboard alone: Tab from act 1's MathPeek
/// reaches the first radio, Space checks it, ArrowDown moves the choice to
/// B, Tab reaches the button and Enter locks; focus lands on the
/// simulator's heading.
#[test]
fn locking_by_keyboard_alone_opens_the_act() -> Result<()> {
    let Some(session) = Session::open("locking_by_keyboard_alone_opens_the_act")? else {
        return Ok(());
    };
    let page = session.open_page(LAB_PAGE)?;
    // Act 1 open, so that its MathPeek can take focus.
    page.lock_by_script("pipeline", "B")?;
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
    let checked = |key: &str| {
        format!(
            "document.querySelector({}).checked",
            js(&format!("{lock} input[value=\"{key}\"]"))
        )
    };
    page.wait_until(&checked("A"), "Space to check the focused radio A")?;
    page.press("ArrowDown", 1)?;
    page.wait_until(&checked("B"), "ArrowDown to move the choice to B")?;
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
    Ok(())
}

/// The reflection shows its message when checked without a choice, and
/// after a choice only that choice's feedback (the message hides).
#[test]
fn the_reflection_shows_only_the_chosen_feedback() -> Result<()> {
    let Some(session) = Session::open("the_reflection_shows_only_the_chosen_feedback")? else {
        return Ok(());
    };
    let page = session.open_page(LAB_PAGE)?;
    let act = "pipeline";
    page.lock_by_script(act, "B")?;
    let reflection = format!("form[data-reflection=\"{act}\"]");
    page.click(&format!("{reflection} button[type=\"submit\"]"))?;
    page.wait_visible(
        &format!("{reflection} [data-reflection-message]"),
        "the reflection message after checking with no choice",
    )?;
    let correct = correct_reflection(act);
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
    Ok(())
}

/// Locking a prediction (and answering the reflection) leaves the plots
/// as they were, and every value right.
#[test]
fn locking_does_not_change_the_plots() -> Result<()> {
    let Some(session) = Session::open("locking_does_not_change_the_plots")? else {
        return Ok(());
    };
    let page = session.open_page(LAB_PAGE)?;
    let (_, before) = page.check(lab(), "at load", &[])?;
    let lock = "form[data-lock=\"pipeline\"]";
    page.click(&format!("{lock} label.option:has(input[value=\"B\"])"))?;
    page.click(&format!("{lock} button[type=\"submit\"]"))?;
    page.wait_unlocked("pipeline", "B")?;
    let reflection = "form[data-reflection=\"pipeline\"]";
    let correct = correct_reflection("pipeline");
    page.click(&format!(
        "{reflection} label.option:has(input[value=\"{correct}\"])"
    ))?;
    page.click(&format!("{reflection} button[type=\"submit\"]"))?;
    let (_, after) = page.check(lab(), "after locking the pipeline prediction", &[])?;
    assert_eq!(before, after, "locking must not change the plots");
    Ok(())
}
