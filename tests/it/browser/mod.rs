//! End-to-end browser tests of the bundled lab book.
//!
//! The book is built in memory (`labgen::build`), written into a temporary
//! folder with `labgen::output::write_atomically`, and its pages are opened
//! from disk (`file://`) in headless Chromium. With real clicks, key
//! presses and input events the tests prove, each one property:
//!
//! * `offline`: the page makes no network request, and no written file
//!   points off the machine;
//! * `lock`: the prediction lock gates the simulator, the reveal and the
//!   reflection, by mouse and by keyboard alone, and the reflection shows
//!   only the chosen feedback;
//! * `controls`: after every kind of control move (select `change`, slider
//!   key presses, slider `input`, track radio click) every shown number is
//!   right, and plots are swapped exactly when they depend on the control;
//! * `every_lab`: every lab page, on every track, through every position of
//!   every control, shows what the model and its data block give, records
//!   task answers, and throws no script error;
//! * `ledger`: the page keeps the student's ledger, exports and imports it,
//!   and the export grades.
//!
//! Expectations come from the library (`config::load`,
//! `mission::load_all`, `model::compile`, `Model::eval`), never from the
//! page's JSON; see `model`. `shown` reads what a page shows, `data` and
//! `sweep` read and check a whole page per move, and `harness` drives the
//! browser.
//!
//! Skipping: without a Chromium binary (`LABGEN_CHROMIUM` if set, else
//! `/usr/bin/chromium`, else `chromium`, `chromium-browser`, `google-chrome`
//! or `google-chrome-stable` on `PATH`) each test prints a loud note to
//! stderr and passes, unless `LABGEN_REQUIRE_BROWSER=1` is set (as CI does),
//! in which case it fails.

mod data;
mod harness;
mod model;
mod shown;
mod sweep;

mod controls;
mod every_lab;
mod ledger;
mod lock;
mod offline;

/// The lab page the `offline`, `lock` and `controls` tests drive.
const LAB_PAGE: &str = "data-gravity-trap.html";
