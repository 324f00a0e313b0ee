//! Builds the bundled book repeatedly and reports the build time, the
//! sweep's throughput and what the PDF editions add. Run with
//! `cargo bench --bench build`. Targets, on two cores in a release build:
//! the book without its PDFs (every state, plot and key) in under one
//! second, and both PDFs adding under two seconds.

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
        // Warm-up: the first PDF build parses the embedded fonts.
        let warm = Instant::now();
        labgen::build_with(root, config.clone()).unwrap_or_else(|d| panic!("{d}"));
        let warm = warm.elapsed();
        let runs = 5;
        let (with_pdf, _, build) = time_builds(root, &config, runs);
        let size = |name: &str| {
            build
                .files
                .iter()
                .chain(&build.keys)
                .find(|f| f.path == Path::new(name))
                .map_or(0, |f| f.bytes.len())
        };
        let added = with_pdf.saturating_sub(median);
        println!("with the PDF editions (book and key)");
        println!("  first build (with font start-up):  {:>8.1} ms", ms(warm));
        println!(
            "  median of {runs} builds:            {:>8.1} ms",
            ms(with_pdf)
        );
        println!("  added by the PDFs (median):        {:>8.1} ms", ms(added));
        println!(
            "  lab-book.pdf, lab-book-key.pdf:    {:>8.1} KiB, {:.1} KiB",
            size("lab-book.pdf") as f64 / 1024.0,
            size("lab-book-key.pdf") as f64 / 1024.0
        );
        let target = Duration::from_secs(2);
        println!(
            "  target: PDFs add under {:.0} ms: {}",
            ms(target),
            if added < target { "met" } else { "MISSED" }
        );
    }
}
