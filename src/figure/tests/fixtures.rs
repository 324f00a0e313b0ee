//! Fixtures: one realistic figure of every kind, as the labs draw them.

use crate::figure::*;

pub(super) fn s(x: &str) -> String {
    x.to_string()
}

/// Young-Daly: wasted work vs checkpoint interval, linear axes with a
/// fixed range (the C/τ term leaves the plot and is clipped), the
/// optimum marked and the student's current interval as a guide.
pub(super) fn young_daly() -> Curves {
    let (c, m) = (2.0, 1440.0); // checkpoint cost, MTBF (min)
    let taus: Vec<f64> = (1..=48).map(|i| f64::from(i) * 5.0).collect();
    let line = |f: &dyn Fn(f64) -> f64| taus.iter().map(|&t| (t, 100.0 * f(t))).collect();
    let opt = (2.0f64 * c * m).sqrt();
    Curves {
        title: s("How often should the job checkpoint?"),
        description: String::new(),
        x: Axis {
            range: Some((0.0, 240.0)),
            ..Axis::linear("Checkpoint interval (min)")
        },
        y: Axis {
            range: Some((0.0, 20.0)),
            ..Axis::linear("Wasted work (%)")
        },
        series: vec![
            Curve {
                label: s("Checkpoint writes"),
                tone: Tone::Info,
                dashed: true,
                points: line(&|t| c / t),
            },
            Curve {
                label: s("Rework after failures"),
                tone: Tone::Warn,
                dashed: true,
                points: line(&|t| t / (2.0 * m)),
            },
            Curve {
                label: s("Total wasted"),
                tone: Tone::Bad,
                dashed: false,
                points: line(&|t| c / t + t / (2.0 * m)),
            },
        ],
        markers: vec![Marker {
            x: opt,
            y: 100.0 * (c / opt + opt / (2.0 * m)),
            label: s("Optimum: 76 min, 5.3 % wasted"),
            kind: MarkerKind::Optimum,
            tone: Tone::Good,
        }],
        guides: vec![Guide {
            x: 30.0,
            label: s("current interval: 30 min"),
            tone: Tone::Accent,
        }],
    }
}

/// Sneakernet: moving 100 TB over a 10 Gb/s link vs shipping disks,
/// log-log, crossover marked.
pub(super) fn sneakernet() -> Curves {
    let ds: Vec<f64> = (0..=40).map(|i| 10f64.powf(f64::from(i) / 10.0)).collect();
    let network = 100e12 * 8.0 / 10e9 / 3600.0; // hours
    let ship = |d: f64| 4.0 + d / 60.0;
    let cross = (network - 4.0) * 60.0;
    Curves {
        title: s("Ship the disks or use the network?"),
        description: s(
            "Moving 100 TB takes 22.2 h over a 10 Gb/s link at any distance; \
             shipping takes 4 h plus driving at 60 km/h, so shipping is faster \
             below about 1,090 km.",
        ),
        x: Axis::log("Distance (km)"),
        y: Axis::log("Time to move 100 TB (h)"),
        series: vec![
            Curve {
                label: s("Network, 10 Gb/s"),
                tone: Tone::Info,
                dashed: false,
                points: ds.iter().map(|&d| (d, network)).collect(),
            },
            Curve {
                label: s("Shipping by van"),
                tone: Tone::Accent,
                dashed: true,
                points: ds.iter().map(|&d| (d, ship(d))).collect(),
            },
        ],
        markers: vec![Marker {
            x: cross,
            y: network,
            label: s("Crossover: 1,090 km"),
            kind: MarkerKind::Crossover,
            tone: Tone::Bad,
        }],
        guides: Vec::new(),
    }
}

pub(super) fn saturation() -> Saturation {
    let qds: Vec<f64> = (0..=8).map(|i| 2f64.powi(i)).collect();
    let curve = |label: &str, tone, top: f64, k: f64, plateau: &str| SaturationCurve {
        label: s(label),
        tone,
        points: qds
            .iter()
            .map(|&q| (q, top * (1.0 - (-q / k).exp())))
            .collect(),
        plateau: None,
        plateau_label: s(plateau),
    };
    Saturation {
        title: s("When does each disk stop getting faster?"),
        description: String::new(),
        x: Axis {
            range: Some((1.0, 256.0)),
            ..Axis::log("Queue depth (outstanding requests)")
        },
        y: Axis::linear("Throughput (MB/s)"),
        curves: vec![
            curve(
                "NVMe SSD",
                Tone::Good,
                3200.0,
                6.0,
                "NVMe: 3.2 GB/s from QD 32",
            ),
            curve(
                "SATA SSD",
                Tone::Info,
                550.0,
                2.0,
                "SATA: 550 MB/s from QD 8",
            ),
            curve("HDD", Tone::Neutral, 180.0, 1.5, ""),
        ],
    }
}

pub(super) fn gauge() -> Gauge {
    Gauge {
        title: s("Is the GPU starving?"),
        description: String::new(),
        min: 0.0,
        max: 100.0,
        value: 23.0,
        value_text: s("23 %"),
        label: s("GPU idle time per step"),
        tick_suffix: s("%"),
        bands: vec![
            Band {
                from: 0.0,
                to: 10.0,
                tone: Tone::Good,
            },
            Band {
                from: 10.0,
                to: 30.0,
                tone: Tone::Warn,
            },
            Band {
                from: 30.0,
                to: 100.0,
                tone: Tone::Bad,
            },
        ],
    }
}

pub(super) fn radar() -> Radar {
    let axis = |label: &str| RadarAxis {
        label: s(label),
        min: 0.1,
        max: 100_000.0,
    };
    Radar {
        title: s("Energy per 32-bit operation"),
        description: String::new(),
        log: true,
        tick_suffix: s(" pJ"),
        axes: vec![
            axis("FP32 multiply-add"),
            axis("SRAM read (8 KB)"),
            axis("DRAM read"),
            axis("Network hop (rack)"),
            axis("SSD read"),
        ],
        series: vec![
            RadarSeries {
                label: s("45 nm (2014)"),
                tone: Tone::Bad,
                values: vec![4.6, 5.0, 640.0, 5000.0, 20000.0],
            },
            RadarSeries {
                label: s("7 nm (2020)"),
                tone: Tone::Info,
                values: vec![0.5, 1.5, 200.0, 2000.0, 10000.0],
            },
        ],
    }
}

pub(super) fn waterfall() -> Waterfall {
    let step = |label: &str, value: f64, tone| Series {
        label: s(label),
        value,
        text: format!("{value} s"),
        tone,
    };
    Waterfall {
        title: s("Data gravity: where one epoch's time goes"),
        description: String::new(),
        axis_label: s("Time per epoch (s)"),
        steps: vec![
            step("Disk I/O", 48.0, Tone::Bad),
            step("Network", 31.0, Tone::Warn),
            step("Preprocessing", 12.0, Tone::Neutral),
            step("GPU math", 64.0, Tone::Good),
        ],
        total: Some(Total {
            label: s("Epoch"),
            text: s("155 s"),
            tone: Tone::Info,
        }),
        range: None,
    }
}

pub(super) fn sankey() -> Sankey {
    let node = |label: &str, column, tone| Node {
        label: s(label),
        column,
        tone,
    };
    let flow = |from, to, value: f64, highlight| Flow {
        from,
        to,
        value,
        text: format!("{value} GB/s"),
        tone: if highlight { Tone::Bad } else { Tone::Info },
        highlight,
    };
    Sankey {
        title: s("Where the bytes flow on their way to the GPU"),
        description: String::new(),
        nodes: vec![
            node("Cloud bucket", 0, Tone::Neutral),
            node("Local NVMe", 1, Tone::Neutral),
            node("DRAM", 2, Tone::Neutral),
            node("GPU", 3, Tone::Good),
        ],
        flows: vec![
            flow(0, 1, 1.2, true),
            flow(0, 2, 0.6, false),
            flow(1, 2, 1.2, false),
            flow(2, 3, 1.8, false),
        ],
    }
}

pub(super) fn all() -> Vec<(&'static str, Figure)> {
    vec![
        ("timeline", Figure::Timeline(timeline())),
        ("bars", Figure::Bars(bars())),
        ("curves_optimum", Figure::Curves(young_daly())),
        ("curves_crossover_loglog", Figure::Curves(sneakernet())),
        ("saturation", Figure::Saturation(saturation())),
        ("gauge", Figure::Gauge(gauge())),
        ("radar", Figure::Radar(radar())),
        ("waterfall", Figure::Waterfall(waterfall())),
        ("sankey", Figure::Sankey(sankey())),
    ]
}

pub(super) fn timeline() -> Values {
    let seg = |label: &str, value: f64, text: &str, tone| Series {
        label: s(label),
        value,
        text: s(text),
        tone,
    };
    Values {
        title: s("Where one training step's time goes"),
        axis_label: s("Time per batch (ms)"),
        series: vec![
            seg("GPU compute", 5.05, "5.05 ms", Tone::Good),
            seg("I/O wait", 1.6, "1.60 ms", Tone::Bad),
            seg("Preprocess wait", 0.65, "0.65 ms", Tone::Warn),
        ],
        description: s(
            "One step takes 7.30 ms: GPU compute 5.05 ms, I/O wait 1.60 ms, \
                        preprocess wait 0.65 ms.",
        ),
    }
}

pub(super) fn bars() -> Values {
    let bar = |label: &str, value: f64, text: &str, tone| Series {
        label: s(label),
        value,
        text: s(text),
        tone,
    };
    Values {
        title: s("Can the data arrive in time?"),
        axis_label: s("Time per epoch (s)"),
        series: vec![
            bar("Transfer time", 64.2, "64.2 s", Tone::Bad),
            bar("Training budget", 41.0, "41.0 s", Tone::Info),
        ],
        description: s(
            "Transfer takes 64.2 s per epoch, longer than the 41.0 s of \
                        training it must feed.",
        ),
    }
}
