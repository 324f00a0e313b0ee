//! Odd inputs of every kind: nothing panics and the SVG stays valid.

use super::assert_valid;
use crate::figure::*;

fn s(x: &str) -> String {
    x.to_string()
}

const BAD: [f64; 7] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    -1.0,
    0.0,
    1e-320,
    f64::MAX,
];

fn long() -> String {
    "L".repeat(200)
}

fn words() -> String {
    "word ".repeat(40)
}
/// Odd inputs of every kind: nothing panics and the SVG stays valid.
#[test]
fn odd_inputs_render_valid_svg() {
    let mut charts = odd_curves();
    charts.push(Figure::Saturation(Saturation {
        title: String::new(),
        description: String::new(),
        x: Axis::log(""),
        y: Axis::linear(""),
        curves: vec![SaturationCurve {
            label: long(),
            tone: Tone::Good,
            points: vec![(1.0, f64::NAN), (0.0, 0.0), (2.0, -5.0)],
            plateau: Some((f64::NAN, 1.0)),
            plateau_label: String::new(),
        }],
    }));
    charts.extend(odd_gauges());
    charts.extend(odd_radars());
    charts.extend(odd_waterfalls());
    charts.extend(odd_sankeys());
    for series in odd_series() {
        let v = Values {
            title: "T".repeat(200),
            axis_label: "A ".repeat(100),
            series,
            description: "d".repeat(200),
        };
        charts.push(Figure::Timeline(v.clone()));
        charts.push(Figure::Bars(v));
    }
    let dump = std::env::var("CHARTS_PREVIEW_DIR").ok();
    for (i, chart) in charts.iter().enumerate() {
        let svg = render(chart);
        assert_valid(&svg);
        assert_eq!(svg, render(chart));
        if let Some(dir) = &dump {
            std::fs::write(format!("{dir}/odd_{i:03}.svg"), &svg).unwrap();
        }
    }
    assert!(charts.len() > 100);
}

/// Series lists that stress timelines and bars.
/// Curves on every pair of scales, with unusable ranges, points, markers and guides.
fn odd_curves() -> Vec<Figure> {
    let (long, words, bad) = (long(), words(), BAD);
    let mut charts = Vec::new();
    for xs in [Scale::Linear, Scale::Log] {
        for ys in [Scale::Linear, Scale::Log] {
            for range in [
                None,
                Some((0.0, 0.0)),
                Some((f64::NAN, 1.0)),
                Some((5.0, 1.0)),
                Some((1e-3, 1e3)),
            ] {
                let axis = |scale| Axis {
                    label: long.clone(),
                    scale,
                    tick_suffix: words.clone(),
                    range,
                };
                let pts: Vec<(f64, f64)> = bad
                    .iter()
                    .flat_map(|&a| bad.iter().map(move |&b| (a, b)))
                    .collect();
                for points in [vec![], vec![(1.0, 1.0)], pts] {
                    charts.push(Figure::Curves(Curves {
                        title: long.clone(),
                        description: String::new(),
                        x: axis(xs),
                        y: axis(ys),
                        series: (0..12)
                            .map(|i| Curve {
                                label: if i % 2 == 0 {
                                    long.clone()
                                } else {
                                    words.clone()
                                },
                                tone: Tone::Info,
                                dashed: i % 3 == 0,
                                points: points.clone(),
                            })
                            .collect(),
                        markers: bad
                            .iter()
                            .map(|&v| Marker {
                                x: v,
                                y: 1.0,
                                label: long.clone(),
                                kind: MarkerKind::Crossover,
                                tone: Tone::Bad,
                            })
                            .collect(),
                        guides: bad
                            .iter()
                            .map(|&v| Guide {
                                x: v,
                                label: words.clone(),
                                tone: Tone::Neutral,
                            })
                            .collect(),
                    }));
                }
            }
        }
    }
    charts
}

/// Gauges with odd values, ranges and bands.
fn odd_gauges() -> Vec<Figure> {
    let (long, words, bad) = (long(), words(), BAD);
    let mut charts = Vec::new();
    for &v in &bad {
        for (min, max) in [(0.0, 100.0), (v, v), (5.0, 1.0), (0.0, v), (v, 0.0)] {
            charts.push(Figure::Gauge(Gauge {
                title: long.clone(),
                description: String::new(),
                min,
                max,
                value: v,
                value_text: long.clone(),
                label: words.clone(),
                tick_suffix: words.clone(),
                bands: bad
                    .iter()
                    .map(|&b| Band {
                        from: b,
                        to: v,
                        tone: Tone::Warn,
                    })
                    .chain([Band {
                        from: 0.0,
                        to: 0.0,
                        tone: Tone::Bad,
                    }])
                    .collect(),
            }));
        }
    }
    charts
}

/// Radars with 0 to 12 axes, odd ranges and values.
fn odd_radars() -> Vec<Figure> {
    let (long, words, bad) = (long(), words(), BAD);
    let mut charts = Vec::new();
    for n in [0, 1, 2, 3, 8, 12] {
        for log in [false, true] {
            let axes: Vec<RadarAxis> = (0..n)
                .map(|i| RadarAxis {
                    label: if i % 2 == 0 {
                        long.clone()
                    } else {
                        words.clone()
                    },
                    min: bad[i % bad.len()],
                    max: bad[(i + 3) % bad.len()],
                })
                .collect();
            for values in [vec![], bad.to_vec(), vec![1.0; 20]] {
                charts.push(Figure::Radar(Radar {
                    title: long.clone(),
                    description: String::new(),
                    log,
                    tick_suffix: words.clone(),
                    axes: axes.clone(),
                    series: vec![RadarSeries {
                        label: long.clone(),
                        tone: Tone::Accent,
                        values,
                    }],
                }));
            }
            // Zero max on every axis, and no series at all.
            let zero: Vec<RadarAxis> = (0..n)
                .map(|_| RadarAxis {
                    label: s("z"),
                    min: 0.0,
                    max: 0.0,
                })
                .collect();
            charts.push(Figure::Radar(Radar {
                title: String::new(),
                description: String::new(),
                log,
                tick_suffix: String::new(),
                axes: zero,
                series: vec![],
            }));
        }
    }
    charts
}

/// Waterfalls with odd, negative and many steps.
fn odd_waterfalls() -> Vec<Figure> {
    let (long, words, bad) = (long(), words(), BAD);
    let mut charts = Vec::new();
    for steps in [
        vec![],
        bad.iter()
            .map(|&v| Series {
                label: words.clone(),
                value: v,
                text: long.clone(),
                tone: Tone::Neutral,
            })
            .collect(),
        vec![
            Series {
                label: s("up"),
                value: 5.0,
                text: s("5"),
                tone: Tone::Bad,
            },
            Series {
                label: s("down"),
                value: -8.0,
                text: s("-8"),
                tone: Tone::Good,
            },
        ],
        (0..60)
            .map(|i| Series {
                label: format!("step {i}"),
                value: 1.0,
                text: s("1"),
                tone: Tone::Info,
            })
            .collect(),
    ] {
        for total in [
            None,
            Some(Total {
                label: long.clone(),
                text: long.clone(),
                tone: Tone::Info,
            }),
        ] {
            charts.push(Figure::Waterfall(Waterfall {
                title: long.clone(),
                description: String::new(),
                axis_label: words.clone(),
                steps: steps.clone(),
                total,
                range: None,
            }));
        }
    }
    charts
}

/// Sankeys with unknown nodes, backward and odd flows.
fn odd_sankeys() -> Vec<Figure> {
    let long = long();
    let mut charts = Vec::new();
    let nodes: Vec<Node> = (0..30)
        .map(|i| Node {
            label: long.clone(),
            column: [0, 1, usize::MAX, 1, 1][i % 5],
            tone: Tone::Neutral,
        })
        .collect();
    let flows: Vec<Flow> = (0..60)
        .map(|i| Flow {
            from: i % 31,
            to: (i * 7) % 33,
            value: [1.0, f64::NAN, -2.0, 1e300, 0.0, 3.0, f64::INFINITY][i % 7],
            text: long.clone(),
            tone: Tone::Info,
            highlight: i % 4 == 0,
        })
        .collect();
    for (nodes, flows) in [
        (vec![], vec![]),
        (nodes[..1].to_vec(), vec![]),
        (nodes[..3].to_vec(), flows[..10].to_vec()),
        (nodes.clone(), flows.clone()),
    ] {
        charts.push(Figure::Sankey(Sankey {
            title: long.clone(),
            description: String::new(),
            nodes,
            flows,
        }));
    }
    charts
}

fn odd_series() -> Vec<Vec<Series>> {
    let s = |label: &str, value: f64, tone| Series {
        label: label.into(),
        value,
        text: format!("{label} ms"),
        tone,
    };
    let long = "L".repeat(200);
    let words = "word ".repeat(40);
    vec![
        vec![],
        vec![
            s("not a number", f64::NAN, Tone::Good),
            s("one", 1.0, Tone::Bad),
        ],
        vec![s("a", 0.0, Tone::Good), s("b", 0.0, Tone::Warn)],
        vec![s("huge", 1e12, Tone::Info), s("more", 3e12, Tone::Accent)],
        vec![
            s("max", f64::MAX, Tone::Info),
            s("max", f64::MAX, Tone::Info),
        ],
        vec![
            s("infinite", f64::INFINITY, Tone::Info),
            s("neg", -5.0, Tone::Bad),
        ],
        vec![
            s("tiny", 1e-320, Tone::Neutral),
            s("small", 1e-7, Tone::Good),
        ],
        vec![s(&long, 3.0, Tone::Good), s(&words, 2.0, Tone::Warn)],
        (0..40)
            .map(|i| s(&format!("series {i}"), 1.0, Tone::series(i)))
            .collect(),
    ]
}
