use super::*;
use crate::figure::Waterfall;

/// A waterfall of two steps, drawn for one state.
fn state(a: f64, b: f64) -> Drawn {
    let step = |label: &str, value: f64| Series {
        label: label.to_string(),
        value,
        text: String::new(),
        tone: Tone::Neutral,
    };
    Drawn {
        chart: Figure::Waterfall(Waterfall {
            title: String::new(),
            description: String::new(),
            axis_label: String::new(),
            steps: vec![step("a", a), step("b", b)],
            total: None,
            range: None,
        }),
        table: String::new(),
    }
}

fn ranges(mut states: Vec<Drawn>) -> Vec<Option<(f64, f64)>> {
    fix_scales(&mut states.iter_mut().collect::<Vec<_>>());
    states
        .iter()
        .map(|d| match &d.chart {
            Figure::Waterfall(w) => w.range,
            _ => unreachable!(),
        })
        .collect()
}

#[test]
fn a_waterfall_axis_holds_still_over_states_of_like_size() {
    // Totals 30 and 150: within a factor of ten, one axis 0-150.
    assert_eq!(
        ranges(vec![state(10.0, 20.0), state(100.0, 50.0)]),
        [Some((0.0, 150.0)), Some((0.0, 150.0))]
    );
}

#[test]
fn a_waterfall_axis_follows_each_state_when_they_differ_a_hundredfold() {
    // Totals 3 and 300: one axis would flatten the first to a sliver.
    assert_eq!(
        ranges(vec![state(1.0, 2.0), state(100.0, 200.0)]),
        [None, None]
    );
}
