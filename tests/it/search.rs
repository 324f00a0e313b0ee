//! Search formulas: the computed answers of "find the X" tasks. Each answer
//! is checked against a hand calculation, and each misuse against its exact
//! diagnostic.

use labgen::mission::Mission;
use labgen::model::Model;
use std::path::Path;

use crate::util::line_of;

/// Young-Daly checkpointing, a transfer crossover and a worker count, with
/// two tracks that change the inputs.
const MISSION: &str = r#"id: search
title: Searching
tracks:
  - id: small
    label: Small cluster
  - id: big
    label: Big cluster
    constants:
      nodes: 1024
constants:
  - { id: delta, value: 35 s, unit: s }
  - { id: node_mtbf, value: 4.4 h, unit: h }
  - { id: nodes, value: 1 }
  - { id: link, value: 1 Gbps, unit: Gbps }
  - { id: ship_time, value: 2 days, unit: h }
  - { id: per_worker, value: 300 image/s, unit: image/s }
  - { id: gpu_rate, value: 2900 image/s, unit: image/s }
controls:
  - { id: interval, label: Checkpoint interval, kind: slider, min: 1 min, max: 600 min, step: 1 min, default: 60 min, unit: min }
  - { id: dataset, label: Dataset, kind: slider, min: 1 TB, max: 200 TB, step: 1 TB, default: 10 TB, unit: TB }
  - { id: workers, label: Workers, kind: slider, min: 1, max: 32, step: 1, default: 4 }
formulas:
  - { id: mtbf, expr: "node_mtbf / nodes", unit: h }
  - { id: waste, expr: "delta / interval + (interval + delta) / (2 * mtbf)", unit: "%" }
  - { id: tau_best, minimize: waste, over: interval, unit: min }
  - { id: t_net, expr: "dataset / link", unit: h }
  - { id: breakeven, solve: "t_net = ship_time", over: dataset, unit: TB }
  - { id: prep_rate, expr: "workers * per_worker", unit: image/s }
  - { id: workers_needed, first: "prep_rate >= gpu_rate", over: workers }
  - { id: most_waste, maximize: waste, over: interval, unit: min }
acts:
  - id: a
    title: A
    simulator:
      controls: [interval, dataset, workers]
      instruments:
        - metric: { value: waste }
        - metric: { value: tau_best }
        - metric: { value: t_net }
        - metric: { value: breakeven }
        - metric: { value: prep_rate }
        - metric: { value: workers_needed }
        - metric: { value: most_waste }
"#;

fn compile(src: &str) -> (Mission, Model) {
    let (mission, diags) = labgen::mission::parse(Path::new("m.yaml"), src.to_string(), &[])
        .unwrap_or_else(|d| panic!("{d:?}"));
    assert!(!diags.has_errors(), "{diags}");
    let mission = mission.expect("mission");
    let model = labgen::model::compile(&mission).unwrap_or_else(|d| panic!("{d}"));
    (mission, model)
}

/// The value of `name` (in base units) for a track, at the defaults except
/// `control` moved to `position`.
fn value(
    m: &Mission,
    model: &Model,
    name: &str,
    track: usize,
    moved: Option<(&str, usize)>,
) -> f64 {
    let mut positions: Vec<usize> = m.controls.iter().map(|c| c.default).collect();
    if let Some((id, p)) = moved {
        let c = m.controls.iter().position(|c| c.id == id).unwrap();
        positions[c] = p;
    }
    let mut out = vec![0.0; model.len()];
    model.eval(track, &positions, &mut out);
    out[model.slot(name).unwrap()]
}

fn close(got: f64, want: f64, rel: f64) {
    assert!(
        ((got - want) / want).abs() < rel,
        "got {got}, want {want} (relative {rel})"
    );
}

#[test]
fn minimize_finds_the_young_daly_interval() {
    let (m, model) = compile(MISSION);
    // waste(τ) = δ/τ + (τ + δ)/(2M) has its minimum at τ = sqrt(2 δ M):
    // δ = 35 s and M = 4.4 h = 15,840 s give sqrt(1,108,800) s = 1,053.0 s,
    // about 17.5 minutes (not the hour a one-failure-per-hour reading gives).
    close(value(&m, &model, "tau_best", 0, None), 1_053.0, 1e-4);
    close(
        value(&m, &model, "tau_best", 0, None),
        (2.0 * 35.0 * 15_840.0f64).sqrt(),
        1e-7,
    );
    // 1,024 nodes: M = 15.47 s, τ = sqrt(2 × 35 × 15.47) = 32.9 s, below the
    // slider's 1-minute floor, so the best interval is the floor itself.
    close(value(&m, &model, "tau_best", 1, None), 60.0, 1e-9);
}

#[test]
fn a_search_does_not_depend_on_its_own_control() {
    let (m, model) = compile(MISSION);
    let a = value(&m, &model, "tau_best", 0, Some(("interval", 0)));
    let b = value(&m, &model, "tau_best", 0, Some(("interval", 400)));
    assert_eq!(a, b);
    let slot = model.slot("tau_best").unwrap();
    assert!(model.controls_of[slot].is_empty());
    assert!(model.track_dependent[slot]);
}

#[test]
fn maximize_finds_the_end_of_the_range() {
    let (m, model) = compile(MISSION);
    // Waste grows without bound at the long end for M = 4.4 h: 600 min.
    close(value(&m, &model, "most_waste", 0, None), 36_000.0, 1e-9);
}

#[test]
fn solve_finds_the_crossover() {
    let (m, model) = compile(MISSION);
    // 1 Gbps = 125 MB/s moves 2 days × 86,400 s × 125 MB/s = 21.6 TB.
    close(value(&m, &model, "breakeven", 0, None), 21.6e12, 1e-9);
}

#[test]
fn first_finds_the_smallest_position() {
    let (m, model) = compile(MISSION);
    // 2,900 image/s at 300 image/s per worker needs ceil(9.67) = 10 workers.
    assert_eq!(value(&m, &model, "workers_needed", 0, None), 10.0);
}

fn errors(src: &str) -> String {
    let (mission, diags) = labgen::mission::parse(Path::new("m.yaml"), src.to_string(), &[])
        .unwrap_or_else(|d| panic!("{d:?}"));
    if diags.has_errors() {
        return diags.to_string();
    }
    match labgen::model::compile(&mission.unwrap()) {
        Ok(_) => panic!("should fail"),
        Err(d) => d.to_string(),
    }
}

#[test]
fn searching_over_a_formula_is_an_error() {
    let src = MISSION.replace(
        "over: interval, unit: min }\n  - { id: t_net",
        "over: waste, unit: min }\n  - { id: t_net",
    );
    let line = line_of(&src, "over: waste");
    assert_eq!(
        errors(&src),
        format!("m.yaml:{line}:44: error: `waste` is not a control; `minimize` searches over a control\n  help: name a control declared under `controls`\n")
    );
}

#[test]
fn a_search_without_over_or_with_two_goals_is_an_error() {
    let src = MISSION.replace(", over: dataset, unit: TB", ", unit: TB");
    let line = line_of(&src, "id: breakeven");
    assert_eq!(
        errors(&src),
        format!("m.yaml:{line}:11: error: search formula `breakeven` needs `over`\n  help: name the control to search, e.g. `over: interval`\n")
    );
    let src = MISSION.replace("minimize: waste,", "minimize: waste, maximize: waste,");
    let line = line_of(&src, "maximize: waste, over");
    assert_eq!(
        errors(&src),
        format!("m.yaml:{line}:48: error: formula `tau_best` has both `minimize` and `maximize`\n  help: a formula is either an expression or one search; keep one of them\n")
    );
}

#[test]
fn solve_needs_one_equals_sign_and_matching_sides() {
    let src = MISSION.replace("t_net = ship_time", "t_net >= ship_time");
    let line = line_of(&src, "t_net >= ship_time");
    assert_eq!(
        errors(&src),
        format!("m.yaml:{line}:29: error: `solve` needs an equation with one `=`\n  help: write both sides, e.g. `solve: \"t_network = t_ship\"`\n")
    );
    let src = MISSION.replace("t_net = ship_time", "t_net = link");
    let line = line_of(&src, "t_net = link");
    assert_eq!(
        errors(&src),
        format!("m.yaml:{line}:29: error: the sides of `solve` in `breakeven` have different units: time on the left, data rate on the right\n  help: both sides of the equation need the same kind of unit\n")
    );
}

#[test]
fn an_unknown_name_in_an_objective_is_located() {
    let src = MISSION.replace("minimize: waste,", "minimize: wastee,");
    let line = line_of(&src, "minimize: wastee");
    assert_eq!(
        errors(&src),
        format!("m.yaml:{line}:31: error: unknown name `wastee`\n  help: did you mean `waste`?\n")
    );
}
