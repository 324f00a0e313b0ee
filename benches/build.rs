//! Builds the bundled book repeatedly and reports the build time, the
//! sweep's throughput and, timing `labgen build` as a process, what the
//! PDF editions add. Run with `cargo bench --bench build`. Targets, on two
//! cores in a release build: the book without its PDFs (every state, plot
//! and key) in under one second, and both PDFs adding under two seconds.

use std::path::Path;
use std::time::{Duration, Instant};

/// Median and best of `runs` builds, and the last build.
fn time_builds(
    root: &Path,
    config: &labgen::config::Config,
    runs: usize,
) -> (Duration, Duration, labgen::Build) {
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let build = labgen::build_with(root, config.clone()).unwrap_or_else(|d| panic!("{d}"));
        times.push(t.elapsed());
        last = Some(build);
    }
    times.sort();
    (times[runs / 2], times[0], last.expect("at least one run"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = labgen::config::load(root).unwrap_or_else(|d| panic!("{d}"));
    let mut html_only = config.clone();
    html_only.outputs.pdf = false;

    // One warm-up build: the first one also starts KaTeX's JavaScript
    // engine (and, with PDFs, parses the fonts).
    let warm = Instant::now();
    let first = labgen::build_with(root, html_only.clone()).unwrap_or_else(|d| panic!("{d}"));
    let warm = warm.elapsed();
    let runs = 10;
    let (median, best, build) = time_builds(root, &html_only, runs);
    let bytes: usize = build.files.iter().map(|f| f.bytes.len()).sum();
    println!(
        "labgen build of the bundled book ({} labs, {} files, no PDF)",
        first.labs,
        first.files.len()
    );
    println!("  first build (with KaTeX start-up): {:>8.1} ms", ms(warm));
    println!(
        "  median of {runs} builds:           {:>8.1} ms",
        ms(median)
    );
    println!("  best:                             {:>8.1} ms", ms(best));
    println!("  states swept per build:           {:>8}", build.states);
    println!(
        "  states per second (median):       {:>8.0}",
        build.states as f64 / median.as_secs_f64()
    );
    println!(
        "  output size:                      {:>8.1} KiB",
        bytes as f64 / 1024.0
    );
    let target = Duration::from_secs(1);
    println!(
        "  target: whole book under {:.0} ms: {}",
        ms(target),
        if median < target { "met" } else { "MISSED" }
    );

    if config.outputs.pdf {
        pdf_cost(root);
    }
}

/// What the PDF editions add to `labgen build`, timed as authors run it:
/// one process per build. (In one process, Typst's memoization would
/// serve the second and later builds from its cache.)
fn pdf_cost(root: &Path) {
    let exe = Path::new(env!("CARGO_BIN_EXE_labgen"));
    let tmp = tempfile::tempdir().expect("a temporary folder");
    // The same book twice: as bundled, and without `[output.pdf]`.
    let with = tmp.path().join("with");
    let without = tmp.path().join("without");
    for dir in [&with, &without] {
        copy_dir(&root.join("missions"), &dir.join("missions"));
    }
    let toml = std::fs::read_to_string(root.join("book.toml")).expect("book.toml");
    std::fs::write(with.join("book.toml"), &toml).expect("write book.toml");
    let plain: String = toml
        .lines()
        .filter(|l| l.trim() != "[output.pdf]")
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(without.join("book.toml"), plain).expect("write book.toml");
    let run = |dir: &Path| -> Duration {
        let t = Instant::now();
        let out = std::process::Command::new(exe)
            .arg("build")
            .current_dir(dir)
            .output()
            .expect("labgen runs");
        let took = t.elapsed();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        took
    };
    let runs = 5;
    let median = |dir: &Path| {
        let mut t: Vec<Duration> = (0..runs).map(|_| run(dir)).collect();
        t.sort();
        t[runs / 2]
    };
    let (a, b) = (median(&without), median(&with));
    let size = |p: &str| std::fs::metadata(with.join(p)).map_or(0, |m| m.len());
    let added = b.saturating_sub(a);
    println!("labgen build as a process, median of {runs}");
    println!("  without the PDFs:                  {:>8.1} ms", ms(a));
    println!("  with the PDF book and key:         {:>8.1} ms", ms(b));
    println!("  added by the PDFs:                 {:>8.1} ms", ms(added));
    println!(
        "  lab-book.pdf, lab-book-key.pdf:    {:>8.1} KiB, {:.1} KiB",
        size("book/lab-book.pdf") as f64 / 1024.0,
        size("keys/lab-book-key.pdf") as f64 / 1024.0
    );
    let target = Duration::from_secs(2);
    println!(
        "  target: PDFs add under {:.0} ms: {}",
        ms(target),
        if added < target { "met" } else { "MISSED" }
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read the missions") {
        let entry = entry.expect("a folder entry");
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy a mission");
        }
    }
}
