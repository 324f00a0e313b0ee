//! The ledger the lab page keeps: its heads-up display counts the student's
//! locks and answers, the browser holds one record under the book's
//! versioned key, a reload restores it, the export grades with `labgen
//! grade`'s library, and an import restores it and refuses other files.

use anyhow::Result;
use labgen::grade;
use serde_json::{json, Value};
use std::path::PathBuf;

use super::harness::{Page, Session};
use super::LAB_PAGE;
use crate::grade::{graded, key, version};

/// What the heads-up display says before the student does anything.
const NOTHING_YET: &str = "0 of 2 predictions locked · 0 of 2 reflections answered";
/// What it says after [`answer_as_a_student`].
const ANSWERED: &str = "2 of 2 predictions locked · 1 of 2 reflections answered";

/// Opens the lab page and waits for its heads-up display.
fn open(session: &Session) -> Result<Page> {
    let page = session.open_page(LAB_PAGE)?;
    wait_for_hud(&page)?;
    Ok(page)
}

/// The progress line of the heads-up display.
fn progress(page: &Page) -> Result<Value> {
    page.run("return document.querySelector('[data-hud-progress]').textContent;")
}

/// Locks both predictions and answers one reflection with clicks on the
/// inputs, switches to the edge track and moves a control.
fn answer_as_a_student(page: &Page) -> Result<()> {
    page.run(
        r#"
        const click = (s) => document.querySelector(s).click();
        click('input[name="lock-pipeline"][value="A"]');
        click('form[data-lock="pipeline"] button[type="submit"]');
        click('input[name="reflect-pipeline"][value="C"]');
        click('form[data-reflection="pipeline"] button[type="submit"]');
        click('input[name="lock-gravity"][value="B"]');
        click('form[data-lock="gravity"] button[type="submit"]');
        click('input[name="track"][value="edge"]');
        const link = document.querySelector('[data-control="link"]');
        link.value = '10g';
        link.dispatchEvent(new Event('change', { bubbles: true }));
        await new Promise((r) => setTimeout(r, 400));
        return true;
        "#,
    )?;
    Ok(())
}

/// Exports the ledger, capturing the Blob the page hands to the download
/// link: `{name, text}`.
fn export(page: &Page) -> Result<Value> {
    page.run(
        r#"
        let blob = null;
        const original = URL.createObjectURL;
        URL.createObjectURL = (b) => { blob = b; return original.call(URL, b); };
        HTMLAnchorElement.prototype.click = function () { window.__download = this.download; };
        document.querySelector('[data-hud-export]').click();
        URL.createObjectURL = original;
        return { name: window.__download, text: await blob.text() };
        "#,
    )
}

/// Reloads the page and waits for its heads-up display.
fn reload(page: &Page) -> Result<()> {
    page.tab.reload(false, None)?.wait_until_navigated()?;
    wait_for_hud(page)
}

/// Waits until the page shows its heads-up display.
fn wait_for_hud(page: &Page) -> Result<()> {
    page.wait_until(
        "document.querySelector('[data-hud]:not([hidden])')",
        "the ledger's heads-up display",
    )
}

/// The progress line counts the locked predictions and the answered
/// reflections.
#[test]
fn the_heads_up_display_counts_locks_and_answers() -> Result<()> {
    let Some(session) = Session::open("the_heads_up_display_counts_locks_and_answers")? else {
        return Ok(());
    };
    let page = open(&session)?;
    assert_eq!(progress(&page)?, NOTHING_YET);
    answer_as_a_student(&page)?;
    assert_eq!(progress(&page)?, ANSWERED);
    Ok(())
}

/// The browser keeps one record, overwritten on every change, under the
/// versioned key: the schema, the book version, the lab, the track, every
/// lock with its time, the answers and the controls.
#[test]
fn the_ledger_is_one_record_under_the_versioned_key() -> Result<()> {
    let Some(session) = Session::open("the_ledger_is_one_record_under_the_versioned_key")? else {
        return Ok(());
    };
    let page = open(&session)?;
    answer_as_a_student(&page)?;
    let stored = page.run(&format!(
        "return [localStorage.length, JSON.parse(localStorage.getItem('labgen:{}:data-gravity-trap'))];",
        version()
    ))?;
    assert_eq!(stored[0], 1, "one record, not one per change");
    let rec = &stored[1];
    assert_eq!(rec["schema"], "labgen-ledger/1");
    assert_eq!(rec["book_version"], version());
    assert_eq!(rec["lab"], "data-gravity-trap");
    assert_eq!(rec["track"], "edge");
    assert_eq!(rec["predictions"]["pipeline"]["choice"], "A");
    assert_eq!(rec["predictions"]["gravity"]["choice"], "B");
    assert!(rec["predictions"]["gravity"]["locked_at"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    assert_eq!(rec["reflections"]["pipeline"]["choice"], "C");
    assert_eq!(
        rec["controls"]["gravity"],
        json!({"dataset": "50 TB", "link": "10g", "budget": "6 h"})
    );
    assert_eq!(rec["controls"]["pipeline"]["storage"], "hdd");
    Ok(())
}

/// The heads-up display folds open with its button, and Escape folds it
/// again and returns focus to the button.
#[test]
fn the_heads_up_display_folds_with_its_button_and_escape() -> Result<()> {
    let Some(session) = Session::open("the_heads_up_display_folds_with_its_button_and_escape")?
    else {
        return Ok(());
    };
    let page = open(&session)?;
    let folding = page.run(
        r#"
        const toggle = document.querySelector('[data-hud-toggle]');
        const panel = document.querySelector('[data-hud-panel]');
        const states = [[toggle.getAttribute('aria-expanded'), panel.hidden]];
        toggle.click();
        states.push([toggle.getAttribute('aria-expanded'), panel.hidden]);
        document.querySelector('[data-hud-export]').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
        states.push([toggle.getAttribute('aria-expanded'), panel.hidden, document.activeElement === toggle]);
        toggle.click();
        return states;
        "#,
    )?;
    assert_eq!(
        folding,
        json!([["false", true], ["true", false], ["false", true, true]])
    );
    Ok(())
}

/// The exported file is named after the lab and grades without warnings
/// with the answers the student gave.
#[test]
fn the_exported_ledger_grades_with_the_answers_given() -> Result<()> {
    let Some(session) = Session::open("the_exported_ledger_grades_with_the_answers_given")? else {
        return Ok(());
    };
    let page = open(&session)?;
    answer_as_a_student(&page)?;
    let exported = export(&page)?;
    assert_eq!(exported["name"], "data-gravity-trap-ledger.json");
    let text = exported["text"].as_str().unwrap();
    let outcome = grade::grade(&key(), "exported.json", text.as_bytes());
    let g = graded(&outcome);
    assert_eq!(outcome.warnings, Vec::<String>::new());
    assert_eq!(g.track, "edge");
    assert_eq!(g.predictions, (2.0, 2.0));
    assert_eq!(g.reflections, (1.0, 2.0));
    Ok(())
}

/// A reload restores the locks, the answers, the track and the controls.
#[test]
fn a_reload_restores_the_ledger() -> Result<()> {
    let Some(session) = Session::open("a_reload_restores_the_ledger")? else {
        return Ok(());
    };
    let page = open(&session)?;
    answer_as_a_student(&page)?;
    reload(&page)?;
    let restored = page.run(
        r#"return [
            document.querySelector('form[data-lock="gravity"]').getAttribute('data-locked'),
            document.querySelector('[data-control="link"]').value,
            document.querySelector('input[name="track"]:checked').value,
            document.querySelector('[data-hud-progress]').textContent];"#,
    )?;
    assert_eq!(restored, json!(["B", "10g", "edge", ANSWERED]));
    Ok(())
}

/// Importing into a fresh page (a file input fed like a real file choice)
/// refuses another lab's ledger and a file that is not JSON, and restores
/// an exported ledger's locks, answers and controls.
#[test]
fn importing_restores_an_exported_ledger_and_refuses_other_files() -> Result<()> {
    let Some(session) =
        Session::open("importing_restores_an_exported_ledger_and_refuses_other_files")?
    else {
        return Ok(());
    };
    let page = open(&session)?;
    answer_as_a_student(&page)?;
    let exported = export(&page)?;
    page.run("localStorage.clear(); return true;")?;
    reload(&page)?;
    assert_eq!(progress(&page)?, NOTHING_YET);
    page.run("document.querySelector('[data-hud-toggle]').click(); return true;")?;
    let import = |text: &str| {
        page.run(&format!(
            r#"
            const input = document.querySelector('[data-hud-file]');
            const dt = new DataTransfer();
            dt.items.add(new File([{}], 'ledger.json', {{ type: 'application/json' }}));
            input.files = dt.files;
            input.dispatchEvent(new Event('change', {{ bubbles: true }}));
            await new Promise((r) => setTimeout(r, 300));
            return [document.querySelector('[data-hud-status]').textContent,
                    document.querySelector('[data-hud-progress]').textContent];
            "#,
            serde_json::to_string(text).unwrap()
        ))
    };
    assert_eq!(
        import("{\"schema\": \"labgen-ledger/1\", \"lab\": \"another\"}")?,
        json!(["That ledger is for another lab (another).", NOTHING_YET])
    );
    assert_eq!(
        import("[1, 2")?,
        json!(["That file is not a labgen ledger (not JSON).", NOTHING_YET])
    );
    assert_eq!(
        import(exported["text"].as_str().unwrap())?,
        json!(["Imported 3 answers.", ANSWERED])
    );
    let after = page.run(
        "return [document.querySelector('form[data-lock=\"pipeline\"]').getAttribute('data-locked'), document.querySelector('[data-control=\"link\"]').value];",
    )?;
    assert_eq!(after, json!(["A", "10g"]));
    if let Some(dir) = std::env::var_os("LABGEN_SCREENSHOTS") {
        let png = page.tab.capture_screenshot(
            headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption::Png,
            None,
            None,
            true,
        )?;
        std::fs::write(PathBuf::from(dir).join("ledger-hud.png"), png)?;
    }
    Ok(())
}
