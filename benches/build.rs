//! Builds the bundled book repeatedly and reports the total build time and
//! the sweep's throughput. Run with `cargo bench --bench build`; the target
//! for the whole book, every state and plot, is under one second on two
//! cores in a release build.

use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // One warm-up build: the first one also starts KaTeX's JavaScript engine.
    let warm = Instant::now();
    let first = labgen::build(root).unwrap_or_else(|d| panic!("{d}"));
    let warm = warm.elapsed();
    let runs = 10;
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut states = 0;
    let mut bytes = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let build = labgen::build(root).unwrap_or_else(|d| panic!("{d}"));
        times.push(t.elapsed());
        states = build.states;
        bytes = build.files.iter().map(|f| f.bytes.len()).sum::<usize>();
    }
    times.sort();
    let median = times[runs / 2];
    let best = times[0];
    println!(
        "labgen build of the bundled book ({} labs, {} files)",
        first.labs,
        first.files.len()
    );
    println!(
        "  first build (with KaTeX start-up): {:>8.1} ms",
        warm.as_secs_f64() * 1e3
    );
    println!(
        "  median of {runs} builds:           {:>8.1} ms",
        median.as_secs_f64() * 1e3
    );
    println!(
        "  best:                             {:>8.1} ms",
        best.as_secs_f64() * 1e3
    );
    println!("  states swept per build:           {states:>8}");
    println!(
        "  states per second (median):       {:>8.0}",
        states as f64 / median.as_secs_f64()
    );
    println!(
        "  output size:                      {:>8.1} KiB",
        bytes as f64 / 1024.0
    );
    let target = Duration::from_secs(1);
    println!(
        "  target: whole book under {:.0} ms: {}",
        target.as_secs_f64() * 1e3,
        if warm < target { "met" } else { "MISSED" }
    );
}
