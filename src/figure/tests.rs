//! Tests of every figure kind: snapshots of the fixtures, the promises
//! every figure keeps (root, title, desc, validity, determinism, size), and
//! each kind's own layout rules.

mod fixtures;
mod odd;

use super::path::simplify;
use super::*;
use fixtures::*;

/// Structural validity without an XML parser: one root, balanced tags,
/// no raw '&' outside entities, no ids, no NaN/inf, and every number in
/// every attribute (path data included) with at most one decimal.
pub(super) fn assert_valid(svg: &str) {
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.ends_with("</svg>\n"));
    assert!(!svg.contains(" id="), "no id attributes");
    assert!(!svg.contains("NaN") && !svg.contains("inf\""), "{svg}");
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let close = open + rest[open..].find('>').expect("unclosed tag");
        let tag = &rest[open + 1..close];
        assert!(!tag[1..].contains('<'), "stray < in {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name), "mismatched </{name}>");
        } else if !tag.ends_with('/') {
            stack.push(tag.split(' ').next().unwrap());
        }
        let parts: Vec<&str> = tag.split('"').collect();
        for pair in parts.chunks(2).filter(|p| p.len() == 2) {
            let (key, value) = (pair[0], pair[1]);
            if key.ends_with("opacity=") {
                continue; // not a coordinate
            }
            let mut digits_after_dot: Option<usize> = None;
            for ch in value.chars().chain([' ']) {
                match (ch, digits_after_dot) {
                    ('.', None) => digits_after_dot = Some(0),
                    ('.', Some(_)) => panic!("two dots in a number: {tag}"),
                    ('0'..='9', Some(n)) => {
                        assert!(n < 1, "too many decimals in {tag}");
                        digits_after_dot = Some(n + 1);
                    }
                    ('0'..='9', None) => {}
                    _ => digits_after_dot = None,
                }
            }
        }
        rest = &rest[close + 1..];
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
    for (i, _) in svg.match_indices('&') {
        let ent = &svg[i..svg.len().min(i + 6)];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| ent.starts_with(e)),
            "bare & at {ent}"
        );
    }
}

/// Absolute points of every line path ("M x y" then "l dx dy" steps)
/// in `svg`, for checking where lines were drawn.
fn polyline_points(svg: &str) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for line in svg.lines().filter(|l| l.starts_with("<path d=\"M")) {
        let d = line.split('"').nth(1).unwrap();
        if d.contains(['L', 'C', 'A', 'Z', 'H', 'V']) {
            continue; // polygons, bands, arcs
        }
        let mut cur = (0.0, 0.0);
        // Walk commands: each starts with its letter.
        let mut rest = d;
        while let Some(letter) = rest.chars().next() {
            let body_end = rest[1..].find(['M', 'l']).map_or(rest.len(), |i| i + 1);
            let nums: Vec<f64> = rest[1..body_end]
                .replace('-', " -")
                .split_whitespace()
                .map(|n| n.parse().unwrap())
                .collect();
            assert_eq!(nums.len(), 2, "{d}");
            cur = match letter {
                'M' => (nums[0], nums[1]),
                _ => (cur.0 + nums[0], cur.1 + nums[1]),
            };
            out.push(cur);
            rest = &rest[body_end..];
        }
    }
    out
}

#[test]
fn snapshot_timeline() {
    let svg = render(&Figure::Timeline(timeline()));
    assert_valid(&svg);
    insta::assert_snapshot!(svg);
}

#[test]
fn snapshot_bars() {
    let svg = render(&Figure::Bars(bars()));
    assert_valid(&svg);
    insta::assert_snapshot!(svg);
}

#[test]
fn snapshot_curves_optimum() {
    let svg = render(&Figure::Curves(young_daly()));
    assert_valid(&svg);
    insta::assert_snapshot!(svg);
}

#[test]
fn snapshot_curves_crossover_loglog() {
    let svg = render(&Figure::Curves(sneakernet()));
    assert_valid(&svg);
    insta::assert_snapshot!(svg);
}

#[test]
fn snapshot_saturation() {
    let svg = render(&Figure::Saturation(saturation()));
    assert_valid(&svg);
    insta::assert_snapshot!(svg);
}

#[test]
fn snapshot_gauge() {
    let svg = render(&Figure::Gauge(gauge()));
    assert_valid(&svg);
    insta::assert_snapshot!(svg);
}

#[test]
fn snapshot_radar() {
    let svg = render(&Figure::Radar(radar()));
    assert_valid(&svg);
    insta::assert_snapshot!(svg);
}

#[test]
fn snapshot_waterfall() {
    let svg = render(&Figure::Waterfall(waterfall()));
    assert_valid(&svg);
    insta::assert_snapshot!(svg);
}

#[test]
fn snapshot_sankey() {
    let svg = render(&Figure::Sankey(sankey()));
    assert_valid(&svg);
    insta::assert_snapshot!(svg);
}

/// Writes every fixture to $CHARTS_PREVIEW_DIR for looking at them in a
/// browser; does nothing when the variable is unset.
#[test]
fn write_previews() {
    let Ok(dir) = std::env::var("CHARTS_PREVIEW_DIR") else {
        return;
    };
    let mut charts = all();
    charts.extend(harder());
    for (name, chart) in charts {
        std::fs::write(format!("{dir}/{name}.svg"), render(&chart)).unwrap();
    }
}

/// Harder layouts, looked at in a browser but not snapshotted.
fn harder() -> Vec<(&'static str, Figure)> {
    let mut r = radar();
    r.log = false;
    r.tick_suffix = String::new();
    r.axes = (0..8)
        .map(|i| RadarAxis {
            label: format!("Tier {i}: a rather long axis label"),
            min: 0.0,
            max: 100.0,
        })
        .collect();
    r.series[0].values = vec![90.0, 70.0, 40.0, 100.0, 20.0, 55.0, 80.0, 65.0];
    r.series[1].values = vec![30.0, 50.0, 60.0, 20.0, 45.0, 75.0, 10.0, 35.0];
    let mut w = waterfall();
    w.steps[2].value = -20.0;
    w.steps[2].text = s("-20 s");
    w.steps[2].label = s("Overlap with prefetching saves");
    w.total.as_mut().unwrap().text = s("123 s");
    let mut k = sankey();
    k.nodes.push(Node {
        label: s("Local SSD"),
        column: 0,
        tone: Tone::Neutral,
    });
    k.nodes.push(Node {
        label: s("CPU decode"),
        column: 2,
        tone: Tone::Warn,
    });
    k.flows.push(Flow {
        from: 4,
        to: 5,
        value: 0.4,
        text: s("0.4 GB/s"),
        tone: Tone::Info,
        highlight: false,
    });
    k.flows.push(Flow {
        from: 5,
        to: 3,
        value: 0.4,
        text: s("0.4 GB/s"),
        tone: Tone::Warn,
        highlight: false,
    });
    let mut c = sneakernet();
    c.x = Axis::linear("Distance (km)");
    c.y = Axis::linear("Time (h)");
    for i in 0..4 {
        c.series.push(Curve {
            label: format!("Extra series number {i} with a long name"),
            tone: [Tone::Good, Tone::Warn, Tone::Neutral, Tone::Bad][i],
            dashed: i % 2 == 1,
            points: (0..50)
                .map(|d| (f64::from(d) * 200.0, f64::from(d) * (i as f64 + 1.0)))
                .collect(),
        });
    }
    let mut g = gauge();
    g.value = 97.0;
    g.value_text = s("97 %");
    vec![
        ("x_radar8", Figure::Radar(r)),
        ("x_waterfall_neg", Figure::Waterfall(w)),
        ("x_sankey_big", Figure::Sankey(k)),
        ("x_curves_legend", Figure::Curves(c)),
        ("x_gauge_high", Figure::Gauge(g)),
    ]
}

#[test]
fn root_is_responsive_and_accessible() {
    let sizes = [
        "640 200", "480 320", "640 360", "640 360", "640 360", "360 220", "420 400", "640 360",
        "640 360",
    ];
    for ((name, chart), size) in all().into_iter().zip(sizes) {
        let svg = render(&chart);
        let mut lines = svg.lines();
        let head = lines.next().unwrap();
        assert!(
            head.contains(&format!("viewBox=\"0 0 {size}\"")),
            "{name}: {head}"
        );
        assert!(head.contains("role=\"img\"") && head.contains("width=\"100%\""));
        assert!(!head.contains("height=\""), "no fixed height: {head}");
        let title = lines.next().unwrap();
        assert!(title.starts_with("<title>") && title.len() > 15, "{name}");
        let desc = lines.next().unwrap();
        assert!(
            desc.starts_with("<desc>") && desc.len() > 30,
            "{name}: {desc}"
        );
    }
}

/// The fixtures' texts all have room: nothing in them is shortened.
#[test]
fn fixtures_are_not_shortened() {
    for (name, chart) in all() {
        let svg = render(&chart);
        assert!(!svg.contains('…'), "{name}: {svg}");
    }
}

#[test]
fn deterministic() {
    for (_, chart) in all() {
        assert_eq!(render(&chart), render(&chart.clone()));
    }
}

#[test]
fn compact() {
    for (name, chart) in all() {
        let n = render(&chart).len();
        assert!(n < 8 * 1024, "{name}: {n} bytes");
    }
}

#[test]
fn text_is_escaped_and_cleaned() {
    let mut c = young_daly();
    c.title = s("A<b> & \"c\" 'd'\u{0}\nnext");
    c.series[0].label = s("<script>&");
    c.markers[0].label = s("x < y");
    let svg = render(&Figure::Curves(c));
    assert!(svg.contains("<title>A&lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; next</title>"));
    assert!(svg.contains(">&lt;script&gt;&amp;</text>"));
    assert!(svg.contains(">x &lt; y</text>"));
    assert!(!svg.contains("<script>") && !svg.contains("<b>"));
    assert_valid(&svg);
}

#[test]
fn composed_descriptions_carry_the_data() {
    let cases = [
        (
            Figure::Curves(young_daly()),
            "How often should the job checkpoint?. Wasted work (%) against Checkpoint \
             interval (min). Lines: Checkpoint writes, Rework after failures, Total wasted. \
             Marked: Optimum: 76 min, 5.3 % wasted. Guides: current interval: 30 min.",
        ),
        (
            Figure::Gauge(gauge()),
            "Is the GPU starving?. GPU idle time per step: 23 % on a scale from 0% to 100%.",
        ),
        (
            Figure::Waterfall(waterfall()),
            "Data gravity: where one epoch&apos;s time goes. Disk I/O: 48 s; Network: 31 s; \
             Preprocessing: 12 s; GPU math: 64 s; Epoch: 155 s.",
        ),
        (
            Figure::Sankey(sankey()),
            "Where the bytes flow on their way to the GPU. Cloud bucket → Local NVMe: 1.2 GB/s; \
             Cloud bucket → DRAM: 0.6 GB/s; Local NVMe → DRAM: 1.2 GB/s; DRAM → GPU: 1.8 GB/s. \
             Highlighted: Cloud bucket → Local NVMe.",
        ),
    ];
    for (chart, desc) in cases {
        let svg = render(&chart);
        assert!(svg.contains(&format!("<desc>{desc}</desc>")), "{svg}");
    }
    let svg = render(&Figure::Radar(radar()));
    assert!(svg.contains(
        "<desc>Energy per 32-bit operation. 45 nm (2014): FP32 multiply-add 4.6 pJ, \
         SRAM read (8 KB) 5 pJ, DRAM read 640 pJ, Network hop (rack) 5k pJ, SSD read 20k pJ; "
    ));
}

#[test]
fn fixed_ranges_clip_lines_to_the_plot() {
    let svg = render(&Figure::Curves(young_daly()));
    let pts = polyline_points(&svg);
    assert!(pts.len() > 10);
    // Plot box of the fixture: x 48..612, y 72..294 (the baseline).
    assert!(svg.contains(
        "<rect x=\"48\" y=\"294\" width=\"565\" height=\"1\" fill=\"#9CA3AF\" class=\"f-axis\"/>"
    ));
    for &(x, y) in &pts {
        assert!(
            (47.9..=612.1).contains(&x) && (71.9..=294.1).contains(&y),
            "{x},{y}"
        );
    }
    // C/τ at τ = 5 min is 40 %, off the 0..20 % range: cut at the top.
    assert!(pts.iter().filter(|p| p.1 == 72.0).count() >= 2, "{pts:?}");
}

#[test]
fn non_positive_values_are_skipped_on_log_axes() {
    let mut c = sneakernet();
    c.series[0].points.insert(0, (0.0, 5.0));
    c.series[0].points.insert(3, (-1.0, -1.0));
    c.series[1].points.push((f64::NAN, 3.0));
    c.markers.push(Marker {
        x: -5.0,
        y: 0.0,
        label: s("invisible"),
        kind: MarkerKind::Optimum,
        tone: Tone::Good,
    });
    let svg = render(&Figure::Curves(c));
    assert_valid(&svg);
    assert!(!svg.contains(">invisible</text>"));
    // The axis still starts at the first positive decade.
    assert!(svg.contains(">1</text>") && svg.contains(">10k</text>"));
}

#[test]
fn dense_curves_are_simplified() {
    let pts: Vec<(f64, f64)> = (0..2000)
        .map(|i| (f64::from(i), f64::from(i) * 2.0))
        .collect();
    assert_eq!(simplify(&pts, 0.3).len(), 2);
    let mut c = young_daly();
    c.series = vec![Curve {
        label: s("dense"),
        tone: Tone::Info,
        dashed: false,
        points: (0..5000)
            .map(|i| f64::from(i) * 0.048)
            .map(|x| (x, 10.0 + 5.0 * (x / 20.0).sin()))
            .collect(),
    }];
    let svg = render(&Figure::Curves(c));
    assert!(svg.len() < 8 * 1024, "{}", svg.len());
}

#[test]
fn saturation_plateau_is_found_or_taken() {
    let curves = saturation().to_curves();
    let xs: Vec<f64> = curves.markers.iter().map(|m| m.x).collect();
    assert_eq!(xs, [32.0, 8.0, 8.0]);
    assert_eq!(
        curves.markers[2].label, "HDD",
        "label falls back to the curve's"
    );
    let mut sat = saturation();
    sat.curves[0].plateau = Some((16.0, 3000.0));
    sat.curves[1].points.clear();
    let curves = sat.to_curves();
    assert_eq!(curves.markers[0].x, 16.0);
    assert_eq!(curves.markers.len(), 2, "no plateau without points");
    assert!(curves
        .markers
        .iter()
        .all(|m| m.kind == MarkerKind::Saturation));
}

#[test]
fn gauge_highlights_the_band_holding_the_value() {
    let svg = render(&Figure::Gauge(gauge()));
    // Warn band at full strength; the others pale.
    assert!(svg.contains("fill=\"#E69F00\" class=\"f-warn\"/>"));
    assert!(svg.contains(" fill-opacity=\"0.3\" fill=\"#009E73\" class=\"f-good\"/>"));
    assert!(svg.contains(" fill-opacity=\"0.3\" fill=\"#D55E00\" class=\"f-bad\"/>"));
    let mut g = gauge();
    g.value = f64::NAN;
    let svg = render(&Figure::Gauge(g));
    assert_eq!(
        svg.matches("fill-opacity=\"0.3\"").count(),
        3,
        "no needle, no verdict"
    );
}

#[test]
fn empty_inputs_say_no_data() {
    let mut c = young_daly();
    c.series.clear();
    c.markers.clear();
    let mut r = radar();
    r.axes.clear();
    let mut w = waterfall();
    w.steps.clear();
    w.total = None;
    let mut k = sankey();
    k.nodes.clear();
    k.flows.clear();
    for chart in [
        Figure::Curves(c),
        Figure::Radar(r),
        Figure::Waterfall(w),
        Figure::Sankey(k),
    ] {
        assert!(render(&chart).contains(">No data</text>"), "{chart:?}");
    }
}

/// Rendering cost per kind. Run with
/// `cargo test --release -- --ignored --nocapture timing`.
#[test]
#[ignore]
fn timing() {
    for (name, chart) in all() {
        let n = 5000;
        let start = std::time::Instant::now();
        let mut bytes = 0;
        for _ in 0..n {
            bytes += std::hint::black_box(render(std::hint::black_box(&chart))).len();
        }
        let us = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
        println!(
            "{name:<24} {us:7.1} µs/chart  {:5} bytes",
            bytes / n as usize
        );
    }
}

#[test]
fn empty_description_gets_a_fallback() {
    let mut t = timeline();
    t.description = s("  ");
    let svg = render(&Figure::Timeline(t));
    assert!(svg.contains(
        "<desc>Where one training step&apos;s time goes. GPU compute: 5.05 ms; \
         I/O wait: 1.60 ms; Preprocess wait: 0.65 ms.</desc>"
    ));
}

#[test]
fn timeline_zero_segment_stays_in_legend() {
    let mut t = timeline();
    t.series[1].value = 0.0;
    t.series[1].text = s("0.00 ms");
    let svg = render(&Figure::Timeline(t));
    assert!(svg.contains(">I/O wait: 0.00 ms</text>"));
    // Skipped in the bar: only the legend's swatch is vermillion.
    assert_eq!(svg.matches("class=\"f-bad\"").count(), 1, "swatch only");
    let with_bad = render(&Figure::Timeline(timeline()));
    assert_eq!(
        with_bad.matches("class=\"f-bad\"").count(),
        2,
        "segment + swatch"
    );
}

#[test]
fn timeline_labels_only_inside_wide_segments() {
    let svg = render(&Figure::Timeline(timeline()));
    // 5.05 ms is wide enough for its label, 0.65 ms is not.
    assert!(svg.contains("font-weight=\"bold\" fill=\"#FFFFFF\" class=\"f-on\">5.05 ms</text>"));
    assert_eq!(svg.matches(">0.65 ms</text>").count(), 0);
    assert!(svg.contains(">Preprocess wait: 0.65 ms</text>"));
}

#[test]
fn timeline_grows_for_a_long_legend() {
    let mut t = timeline();
    t.series = (0..30)
        .map(|i| Series {
            label: format!("Segment number {i}"),
            value: 1.0,
            text: s("1 ms"),
            tone: Tone::series(i),
        })
        .collect();
    let svg = render(&Figure::Timeline(t));
    let h: f64 = svg
        .split_once("viewBox=\"0 0 640 ")
        .and_then(|(_, r)| r.split('"').next())
        .and_then(|h| h.parse().ok())
        .unwrap();
    assert!(h > 200.0, "{h}");
    // The last entry is drawn, and inside the enlarged canvas.
    let last = svg
        .lines()
        .find(|l| l.ends_with(">Segment number 29: 1 ms</text>"))
        .unwrap();
    let y: f64 = last.split('"').nth(3).unwrap().parse().unwrap();
    assert!(y < h - 10.0, "{y} vs {h}");
}

#[test]
fn empty_series_say_no_data() {
    for kind in [Figure::Timeline, Figure::Bars] {
        let mut v = timeline();
        v.series.clear();
        assert!(render(&kind(v)).contains(">No data</text>"));
    }
}

/// Every kind starts with the same root and card, and draws its title the
/// same way: one family.
#[test]
fn one_family() {
    let heads: Vec<(String, String)> = all()
        .iter()
        .map(|(_, f)| {
            let svg = render(f);
            let mut lines = svg.lines();
            let root = lines.next().unwrap();
            let root = root.split(" viewBox").next().unwrap().to_string()
                + root.split("role=").nth(1).unwrap();
            let card = svg
                .lines()
                .nth(3)
                .unwrap()
                .split(" width")
                .next()
                .unwrap()
                .to_string();
            assert!(
                svg.contains(
                    "<text x=\"16\" y=\"24\" dy=\"0.5ex\" font-size=\"15\" font-weight=\"bold\">"
                ),
                "{svg}"
            );
            (root, card)
        })
        .collect();
    assert!(heads.windows(2).all(|w| w[0] == w[1]), "{heads:?}");
}

/// Series without named tones take eight different colours, and the
/// stylesheet's dark block is the palette's.
#[test]
fn palette_has_eight_series_colours_and_a_dark_variant() {
    use palette::Paint;
    let mut hex: Vec<&str> = Tone::SERIES.iter().map(|&t| Paint::Tone(t).hex()).collect();
    hex.sort_unstable();
    hex.dedup();
    assert_eq!(hex.len(), 8);
    let css = include_str!("../../theme/labgen.css");
    let dark = palette::dark_css();
    assert!(
        css.contains(&dark),
        "theme/labgen.css must contain the palette's dark block:\n{dark}"
    );
}
