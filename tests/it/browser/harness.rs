//! Driving headless Chromium: finding it (or skipping), one browser shared
//! by the tests that run at the same time, a fresh tab per test that records
//! the page's requests and script errors, and the page helpers the tests
//! act through (evaluate, wait, click, type).

use anyhow::{anyhow, bail, Context, Result};
use headless_chrome::browser::tab::point::Point;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Network, Page as CdpPage, Target};
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::Value;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

/// How long to wait for the page to react before failing.
pub const WAIT: Duration = Duration::from_secs(10);

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
    std::env::split_paths(&path)
        .flat_map(|dir| {
            [
                "chromium",
                "chromium-browser",
                "google-chrome",
                "google-chrome-stable",
            ]
            .map(|name| dir.join(name))
        })
        .find(|candidate| candidate.is_file())
}

/// The Chromium to drive, or `None` after a loud note on stderr when there
/// is none: a missing browser skips the test, unless
/// `LABGEN_REQUIRE_BROWSER=1` (as CI sets) makes it a failure.
pub fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    if let Some(found) = find_chromium() {
        return Some(found);
    }
    if std::env::var("LABGEN_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!(
            "LABGEN_REQUIRE_BROWSER=1 but no Chromium was found (looked at LABGEN_CHROMIUM, \
             /usr/bin/chromium, then chromium, chromium-browser, google-chrome, \
             google-chrome-stable on PATH)"
        );
    }
    eprintln!(
        "\n{bar}\n!! SKIPPED {test}: no Chromium found (LABGEN_CHROMIUM, /usr/bin/chromium,\n\
         !! or chromium / chromium-browser / google-chrome on PATH). The pages were built\n\
         !! but NOT exercised in a browser. Set LABGEN_REQUIRE_BROWSER=1 to make this fail.\n{bar}\n",
        bar = "!".repeat(86)
    );
    None
}

/// A headless Chromium, quiet on the network (no updates, no sync) so that
/// every request a page makes is its own.
fn launch(chromium: &Path) -> Result<Browser> {
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
        // The connection drops after this long without a browser-level
        // event (a tab opening or closing); a shared browser can sit that
        // long while one test sweeps a page.
        .idle_browser_timeout(Duration::from_secs(600))
        .args(args)
        .build()
        .map_err(|e| anyhow!("launch options: {e}"))?;
    Browser::new(options).with_context(|| format!("launching {}", chromium.display()))
}

/// The browser the running tests share. Launching costs about a second,
/// so a test joins the one already running; the last test to let go of it
/// closes it (a browser kept in a static would outlive the test process).
fn shared_browser(chromium: &Path) -> Result<Arc<Browser>> {
    static SHARED: Mutex<Weak<Browser>> = Mutex::new(Weak::new());
    let mut slot = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(running) = slot.upgrade() {
        return Ok(running);
    }
    let browser = Arc::new(launch(chromium)?);
    *slot = Arc::downgrade(&browser);
    Ok(browser)
}

/// The bundled book written to a temporary folder, shared by the sessions
/// open at the same time (pages only read it; each session keeps its
/// `localStorage` in its own browser context); removed when the last one
/// ends.
fn written_book() -> Result<Arc<tempfile::TempDir>> {
    static SHARED: Mutex<Weak<tempfile::TempDir>> = Mutex::new(Weak::new());
    let mut slot = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(written) = slot.upgrade() {
        return Ok(written);
    }
    let dir = Arc::new(tempfile::tempdir()?);
    labgen::output::write_atomically(&dir.path().join("book"), &crate::util::bundled().files)?;
    *slot = Arc::downgrade(&dir);
    Ok(dir)
}

/// Installed before any page script runs: records every uncaught error and
/// unhandled rejection, so a test can tell which step threw.
const ERRORS_JS: &str = r#"window.__labgenErrors = [];
window.addEventListener('error', (e) => window.__labgenErrors.push(
  String(e.message || e.type) + ' at ' + (e.filename || '?') + ':' + (e.lineno || 0) + ':' + (e.colno || 0)));
window.addEventListener('unhandledrejection', (e) => window.__labgenErrors.push('unhandled rejection: ' + String(e.reason)));"#;

/// One test's tab in the shared browser, with the bundled book written to a
/// temporary folder (shared too). The tab records every request and every script error
/// DevTools reports from before the first navigation; it closes when the
/// session ends.
pub struct Session {
    pub tab: Arc<Tab>,
    /// URLs of every request the tab made.
    requests: Arc<Mutex<Vec<String>>>,
    /// Uncaught exceptions and console errors, as DevTools reports them.
    errors: Arc<Mutex<Vec<String>>>,
    /// The written book.
    pub book: PathBuf,
    _dir: Arc<tempfile::TempDir>,
    _browser: Arc<Browser>,
}

impl Session {
    /// A session for `test`, or `None` when there is no Chromium (see
    /// [`chromium_or_skip`]).
    pub fn open(test: &str) -> Result<Option<Session>> {
        let Some(chromium) = chromium_or_skip(test) else {
            return Ok(None);
        };
        let dir = written_book()?;
        let book = dir.path().join("book");
        let browser = shared_browser(&chromium)?;
        // Its own browser context (like an incognito window): the tests
        // share the browser, but not `localStorage`, where the pages keep
        // the student's ledger (every `file:` page has the same origin).
        let context = browser.new_context()?.get_id().to_string();
        let tab = browser.new_tab_with_options(Target::CreateTarget {
            url: "about:blank".to_string(),
            left: None,
            top: None,
            width: None,
            height: None,
            window_state: None,
            browser_context_id: Some(context),
            enable_begin_frame_control: None,
            new_window: None,
            background: None,
            for_tab: None,
            hidden: None,
        })?;
        tab.set_default_timeout(WAIT);
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let errors: Arc<Mutex<Vec<String>>> = Arc::default();
        tab.add_event_listener(Arc::new(recorder(
            Arc::clone(&requests),
            Arc::clone(&errors),
        )))?;
        tab.call_method(Network::Enable {
            max_total_buffer_size: None,
            max_resource_buffer_size: None,
            max_post_data_size: None,
            report_direct_socket_traffic: None,
            enable_durable_messages: None,
        })?;
        tab.enable_runtime()?;
        tab.enable_log()?;
        tab.call_method(CdpPage::AddScriptToEvaluateOnNewDocument {
            source: ERRORS_JS.to_string(),
            world_name: None,
            include_command_line_api: None,
            run_immediately: None,
        })?;
        Ok(Some(Session {
            tab,
            requests,
            errors,
            book,
            _dir: dir,
            _browser: browser,
        }))
    }

    /// Opens the written page `name` (e.g. `data-gravity-trap.html`) and
    /// waits until its deferred script has run.
    pub fn open_page(&self, name: &str) -> Result<Page> {
        let path = self.book.join(name);
        assert!(path.is_file(), "the build wrote no {name}");
        self.tab
            .navigate_to(&file_url(&path))?
            .wait_until_navigated()?;
        let page = Page {
            tab: Arc::clone(&self.tab),
        };
        page.wait_until(
            "document.readyState === 'complete' && Array.isArray(window.__labgenErrors)",
            &format!("{name} to load"),
        )?;
        Ok(page)
    }

    /// The errors DevTools reported so far.
    pub fn errors(&self) -> Vec<String> {
        self.errors.lock().unwrap().clone()
    }

    /// The URLs requested so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // The browser may be shared: leave no tab behind in it. (Its empty
        // context goes with the browser: headless_chrome cannot dispose of
        // one.)
        let _ = self.tab.close(false);
    }
}

/// An event listener that records request URLs and script errors.
fn recorder(
    requests: Arc<Mutex<Vec<String>>>,
    errors: Arc<Mutex<Vec<String>>>,
) -> impl Fn(&Event) + Send + Sync {
    move |event: &Event| match event {
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
    }
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

/// A JS string literal (JSON is valid JS).
pub fn js(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

/// Describes the focused element: `#id`, or tag with name, value and type.
pub const FOCUSED_JS: &str = r#"((a) => !a ? 'none' : a.id ? '#' + a.id :
  a.tagName.toLowerCase() + (a.name ? '[name=' + a.name + ']' : '') +
  (a.value ? '[value=' + a.value + ']' : '') + (a.type ? '[type=' + a.type + ']' : ''))(document.activeElement)"#;

/// The tab showing a page, with what the tests do to it.
pub struct Page {
    pub tab: Arc<Tab>,
}

impl Page {
    /// Evaluates `expr` and returns its primitive value.
    pub fn eval(&self, expr: &str) -> Result<Value> {
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

    pub fn eval_string(&self, expr: &str) -> Result<String> {
        match self.eval(expr)? {
            Value::String(s) => Ok(s),
            other => bail!("{expr} is not a string: {other}"),
        }
    }

    /// Evaluates an expression that returns `JSON.stringify(...)`.
    pub fn eval_json<T: serde::de::DeserializeOwned>(&self, expr: &str) -> Result<T> {
        let s = self.eval_string(expr)?;
        serde_json::from_str(&s).with_context(|| format!("decoding {s}"))
    }

    /// Runs the body of an async function (`return` gives its result) and
    /// returns the result, JSON-encoded in the page and decoded here; a
    /// result that does not encode is `null`.
    pub fn run(&self, body: &str) -> Result<Value> {
        let wrapped = format!("(async () => JSON.stringify(await (async () => {{ {body} }})()))()");
        let r = self
            .tab
            .evaluate(&wrapped, true)
            .with_context(|| format!("in: {body}"))?;
        let text = r
            .value
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Polls a JS condition until it holds; fails with `what` after `WAIT`.
    pub fn wait_until(&self, cond: &str, what: &str) -> Result<()> {
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

    /// Waits until the page has stopped scrolling: the scroll position is
    /// the same in two frames 100 ms apart.
    pub fn wait_until_still(&self) -> Result<()> {
        let start = Instant::now();
        let mut last = Value::Null;
        loop {
            let now = self.eval("window.scrollY")?;
            if now == last {
                return Ok(());
            }
            if start.elapsed() > WAIT {
                bail!("timed out after {WAIT:?} waiting for the page to stop scrolling");
            }
            last = now;
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn wait_visible(&self, selector: &str, what: &str) -> Result<()> {
        self.wait_until(
            &format!(
                "((el) => el && !el.hidden && el.checkVisibility())(document.querySelector({}))",
                js(selector)
            ),
            what,
        )
    }

    pub fn focused(&self) -> Result<String> {
        self.eval_string(FOCUSED_JS)
    }

    /// Clicks the middle of an element with real mouse events, after
    /// checking that nothing covers it there.
    pub fn click(&self, selector: &str) -> Result<()> {
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
    pub fn focus(&self, selector: &str) -> Result<()> {
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
    pub fn set_and_dispatch(&self, selector: &str, value: &str, event: &str) -> Result<()> {
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

    pub fn press(&self, key: &str, times: usize) -> Result<()> {
        for _ in 0..times {
            self.tab.press_key(key)?;
        }
        Ok(())
    }

    /// The errors the page's own listener caught since the last call.
    pub fn thrown(&self) -> Result<Vec<String>> {
        self.eval_json("JSON.stringify(window.__labgenErrors.splice(0))")
    }
}
