//! The bundled book, end to end through the library: it builds with no
//! warnings, byte for byte the same every time, its model gives the
//! hand-computed figures of the lab, and the sweep covers exactly the
//! controls each value depends on.

use labgen::mission::Mission;
use labgen::model::Model;
use labgen::sweep::{self, Axis, Mode, Request, Sweep};

use crate::util::{build_without_pdf, bundled, bundled_with_pdf, root, text};

struct Lab {
    mission: Mission,
    model: Model,
    sweep: Sweep,
}

fn gravity_lab() -> Lab {
    let config = labgen::config::load(root()).expect("book.toml loads");
    let (missions, diags) = labgen::mission::load_all(root(), &root().join(&config.missions));
    assert!(!diags.has_errors(), "{diags}");
    let mission = missions
        .into_iter()
        .find(|m| m.id == "data-gravity-trap")
        .expect("the bundled lab");
    let model = labgen::model::compile(&mission).expect("model compiles");
    let (plan, diags) = labgen::plan::plan(&mission, &model);
    assert!(diags.is_empty(), "{diags}");
    let sweep = sweep::run(&mission, &model, &plan.requests).expect("sweep runs");
    Lab {
        mission,
        model,
        sweep,
    }
}

impl Lab {
    fn control(&self, id: &str) -> usize {
        self.mission
            .controls
            .iter()
            .position(|c| c.id == id)
            .unwrap()
    }

    fn position(&self, control: &str, key: &str) -> usize {
        let c = &self.mission.controls[self.control(control)];
        c.positions
            .iter()
            .position(|p| p.key == key)
            .unwrap_or_else(|| panic!("{control} has no position {key}"))
    }

    fn track(&self, id: &str) -> usize {
        self.mission.tracks.iter().position(|t| t.id == id).unwrap()
    }

    /// A value in base units at a track's defaults with some controls moved.
    fn value(&self, name: &str, track: &str, moves: &[(&str, &str)]) -> f64 {
        let t = self.track(track);
        let mut positions = sweep::track_defaults(&self.mission)[t].clone();
        for (c, key) in moves {
            positions[self.control(c)] = self.position(c, key);
        }
        let slot = self.model.slot(name).unwrap();
        let table = self
            .sweep
            .table(Request {
                slot,
                mode: Mode::Live,
            })
            .unwrap();
        table.values[table.index(t, &positions)]
    }
}

fn close(got: f64, want: f64) {
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1e-12),
        "got {got}, want {want}"
    );
}

#[test]
fn transfer_time_and_egress_match_hand_calculation() {
    let lab = gravity_lab();
    let cloud = [("dataset", "50 TB"), ("link", "100g")];
    // 100 Gbps = 12.5 GB/s; 50 TB / 12.5 GB/s = 4,000 s.
    close(lab.value("eff_bw", "cloud", &cloud), 12.5e9);
    close(lab.value("t_transfer", "cloud", &cloud), 4000.0);
    // Between two US regions: 50,000 GB x $0.02/GB = $1,000 (not $0.09/GB internet egress).
    close(lab.value("egress_cost", "cloud", &cloud), 1000.0);
    // 8 GPUs x $4 per GPU-hour x 6 h = $192.
    close(lab.value("run_cost", "cloud", &[("budget", "6 h")]), 192.0);
    // The edge site's 1 Gbps uplink caps even a 100 Gbps link: 50 TB / 0.125 GB/s = 400,000 s.
    close(lab.value("t_transfer", "edge", &cloud), 400_000.0);
    close(lab.value("egress_cost", "edge", &cloud), 0.0);
}

#[test]
fn pipeline_utilization_matches_hand_calculation() {
    let lab = gravity_lab();
    // The A100 trains ResNet-50 at NVIDIA's measured 2,470 images/s, not at its
    // 312 TFLOP/s peak: 64 images / 2,470 images/s = 25.91 ms per step.
    let t_compute = 64.0 / 2470.0;
    close(lab.value("t_compute", "cloud", &[]), t_compute);
    // The peak would allow 312 TFLOP/s / (3 x 8.2 GFLOP) = 12,683 images/s, so the
    // measured rate is 2,470 x 24.6 GFLOP / 312 TFLOP/s = 19.5% of it.
    close(
        lab.value("mfu_a100", "cloud", &[]),
        2470.0 * 3.0 * 8.2e9 / 312e12,
    );
    // 64 x 150 KB = 9.6 MB from a 150 MB/s disk: 64 ms.
    close(lab.value("t_io", "cloud", &[("storage", "hdd")]), 0.064);
    // 64 images / (4 workers x 300 images/s) = 53.3 ms; the disk is slower.
    close(
        lab.value("t_prep", "cloud", &[("workers", "4")]),
        64.0 / 1200.0,
    );
    // 25.91 ms of compute in a 64 ms step: 40.5%.
    close(lab.value("gpu_util", "cloud", &[]), t_compute / 0.064);
    // NVMe with 32 workers: reading takes 2.74 ms, decoding 6.67 ms, both under
    // the 25.91 ms of compute, so the GPU sets the pace.
    let nvme32 = [("storage", "nvme"), ("workers", "32")];
    close(lab.value("t_step", "cloud", &nvme32), t_compute);
    close(lab.value("gpu_util", "cloud", &nvme32), 1.0);
}

#[test]
fn sweep_covers_exactly_the_controls_each_value_depends_on() {
    let lab = gravity_lab();
    let axes = |name: &str| {
        let slot = lab.model.slot(name).unwrap();
        let t = lab
            .sweep
            .table(Request {
                slot,
                mode: Mode::Live,
            })
            .unwrap();
        (t.axes.clone(), t.shape.clone(), t.values.len())
    };
    let c = |id: &str| Axis::Control(lab.control(id));
    // Utilization depends on storage and workers only, not on the track.
    assert_eq!(
        axes("gpu_util"),
        (vec![c("storage"), c("workers")], vec![4, 32], 128)
    );
    // Transfer time: the track (uplink), the dataset and the link; not the budget.
    assert_eq!(
        axes("t_transfer"),
        (
            vec![Axis::Track, c("dataset"), c("link")],
            vec![2, 8, 3],
            48
        )
    );
    // The compute cost depends on the budget alone.
    assert_eq!(axes("run_cost"), (vec![c("budget")], vec![12], 12));
    // A constant-only formula is a single state.
    assert_eq!(axes("step_flop"), (vec![], vec![], 1));
    // Pinned values follow only the track.
    let slot = lab.model.slot("t_transfer").unwrap();
    let pinned = lab
        .sweep
        .table(Request {
            slot,
            mode: Mode::Pinned,
        })
        .unwrap();
    assert_eq!(
        (pinned.axes.clone(), pinned.values.clone()),
        (vec![Axis::Track], vec![4000.0, 400_000.0])
    );
}

#[test]
fn every_state_of_every_table_is_enumerated() {
    let lab = gravity_lab();
    for (r, t) in &lab.sweep.tables {
        assert_eq!(t.values.len(), t.shape.iter().product::<usize>(), "{r:?}");
        assert!(t.values.iter().all(|v| v.is_finite()), "{r:?}");
    }
}

#[test]
fn bundled_book_builds_without_warnings() {
    let build = bundled_with_pdf();
    assert!(build.warnings.is_empty(), "{}", build.warnings);
    let names: Vec<String> = build
        .files
        .iter()
        .map(|f| f.path.to_string_lossy().replace('\\', "/"))
        .collect();
    assert_eq!(
        names,
        [
            "index.html",
            "data-engineering-audit.html",
            "data-factory.html",
            "data-gravity-trap.html",
            "fleet-storage.html",
            "constants.html",
            "theme/labgen.css",
            "theme/labgen.js",
            "lab-book.pdf"
        ]
    );
}

#[test]
fn builds_are_byte_identical() {
    let again = build_without_pdf(root()).unwrap();
    assert_eq!(bundled().files, again.files);
}

/// The part of `html` from the first occurrence of `start` to the next
/// occurrence of `end` after it, inclusive.
/// Every act of every bundled lab says, in its MathPeek, what its model
/// idealises: the note is rendered once per act.
#[test]
fn every_act_has_a_model_and_assumptions_note() {
    let config = labgen::config::load(root()).unwrap();
    let (missions, _) = labgen::mission::load_all(root(), &root().join(&config.missions));
    for m in &missions {
        let html = text(&bundled().files, &format!("{}.html", m.id));
        let notes = html.matches("<p class=\"worked-title\">Model and assumptions</p>");
        assert_eq!(notes.count(), m.acts.len(), "{}", m.id);
    }
}

fn fragment<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in page"));
    let j = html[i..]
        .find(end)
        .unwrap_or_else(|| panic!("{end} after {start}"))
        + i
        + end.len();
    &html[i..j]
}

fn page() -> String {
    text(&bundled().files, "data-gravity-trap.html")
}

#[test]
fn snapshot_prediction_lock() {
    let page = page();
    insta::assert_snapshot!(fragment(
        &page,
        "<form class=\"lock\" data-lock=\"gravity\">",
        "</form>"
    ));
}

#[test]
fn snapshot_stakeholder_message() {
    let page = page();
    insta::assert_snapshot!(fragment(
        &page,
        "<blockquote class=\"stakeholder\">",
        "</blockquote>"
    ));
}

#[test]
fn snapshot_gravity_controls() {
    let page = page();
    let sim = fragment(
        &page,
        "<section class=\"simulator\" aria-labelledby=\"sim-gravity\"",
        "</section>",
    );
    insta::assert_snapshot!(fragment(
        sim,
        "<div class=\"controls\">",
        "<div class=\"instruments\">"
    ));
}

#[test]
fn snapshot_worked_example() {
    let page = page();
    let act = &page[page.find("id=\"act-gravity\"").unwrap()..];
    insta::assert_snapshot!(fragment(act, "<div class=\"worked-example\">", "</div>"));
}
