//! Every chart kind declared in YAML, on the fixture book in
//! tests/fixtures/figures: the default state's SVG of each kind against a
//! snapshot, the numbers in the data tables against hand calculations, and
//! the grids the charts are precomputed over.

use serde_json::Value;

use crate::util::{build_without_pdf, fixture, text};

fn page() -> String {
    let build = build_without_pdf(&fixture("figures")).unwrap_or_else(|d| panic!("{d}"));
    assert!(build.warnings.is_empty(), "{}", build.warnings);
    text(&build.files, "figures.html")
}

/// The `<figure>` of the chart of `kind`.
fn figure<'a>(html: &'a str, kind: &str) -> &'a str {
    let start = format!("<figure class=\"plot\" data-chart=\"{kind}\">");
    let i = html
        .find(&start)
        .unwrap_or_else(|| panic!("no {kind} chart"));
    let j = html[i..].find("</figure>").unwrap() + i + "</figure>".len();
    &html[i..j]
}

/// The chart's SVG as the page first shows it.
fn svg<'a>(html: &'a str, kind: &str) -> &'a str {
    let f = figure(html, kind);
    let i = f.find("<svg").unwrap();
    let j = f.find("</svg>").unwrap() + "</svg>".len();
    &f[i..j]
}

/// The page's data block.
fn data(html: &str) -> Value {
    let start = "<script type=\"application/json\" id=\"labgen-data\">";
    let i = html.find(start).unwrap() + start.len();
    let j = html[i..].find("</script>").unwrap() + i;
    serde_json::from_str(&html[i..j]).unwrap()
}

/// The axes of the cell holding a chart's SVG.
fn svg_dims(html: &str, kind: &str) -> Vec<String> {
    let f = figure(html, kind);
    let at = f.find("class=\"plot-svg\" data-cell=\"").unwrap() + 28;
    let n: usize = f[at..at + f[at..].find('"').unwrap()].parse().unwrap();
    data(html)["cells"][n]["dims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_chart_kind_matches_its_snapshot() {
    let html = page();
    for kind in [
        "curves",
        "saturation",
        "gauge",
        "radar",
        "waterfall",
        "sankey",
    ] {
        insta::assert_snapshot!(format!("figure_{kind}"), svg(&html, kind));
    }
}

#[test]
fn a_curve_is_computed_once_per_state_of_the_other_controls() {
    let html = page();
    // The line spans the interval slider, so it depends only on the track
    // (the cluster's MTBF), not on the interval.
    assert_eq!(svg_dims(&html, "curves"), ["track"]);
    // One line per disk: the select is drawn, not a grid axis.
    assert!(svg_dims(&html, "saturation").is_empty());
    // The gauge follows the interval on each track.
    assert_eq!(svg_dims(&html, "gauge"), ["track", "interval"]);
    assert_eq!(svg_dims(&html, "sankey"), ["disk", "req"]);
}

#[test]
fn the_curve_table_holds_hand_calculated_points() {
    let html = page();
    let f = figure(&html, "curves");
    // At 1 min: writing 35 s / 60 s = 58.3%; redoing (60 + 35) s / (2 ×
    // 15,840 s) = 0.300%; lost 58.6%.
    assert!(
        f.contains("<tr><th scope=\"row\">1 min</th><td>58.6%</td><td>58.3%</td></tr>"),
        "{f}"
    );
    // At 600 min: 35/36,000 = 0.0972% writing, 36,035/31,680 = 113.75%
    // redoing, 113.85% lost, shown to three digits.
    assert!(
        f.contains("<tr><th scope=\"row\">600 min</th><td>114%</td><td>0.0972%</td></tr>"),
        "{f}"
    );
    // The optimum sqrt(2 δ M) = sqrt(2 × 35 × 15,840) s = 1,053 s = 17.5 min,
    // where 35/1,053 + 1,088/31,680 = 3.324% + 3.434% = 6.76% is lost.
    assert!(
        f.contains("<th scope=\"row\">Optimum 17.5 min</th><td colspan=\"2\">17.5 min: 6.76%</td>"),
        "{f}"
    );
    assert!(
        f.contains("<th scope=\"row\">Young</th><td colspan=\"2\">17.5 min</td>"),
        "{f}"
    );
}

#[test]
fn other_tables_show_the_default_state() {
    let html = page();
    // 60 min on one node: 0.972% writing + 11.5% redoing = 12.4% lost.
    assert!(figure(&html, "gauge").contains("<td>12.4%</td>"));
    assert!(
        figure(&html, "waterfall").contains("<tr><th scope=\"row\">Lost</th><td>12.4%</td></tr>")
    );
    assert!(
        figure(&html, "radar").contains("<tr><th scope=\"row\">Redoing</th><td>11.5%</td></tr>")
    );
    // SATA SSD at 64 KiB: 50,000 IOPS × 65,536 B = 3.28 GB/s, capped at 550 MB/s.
    assert!(figure(&html, "sankey")
        .contains("<tr><th scope=\"row\">Disk → Cache</th><td>550 MB/s</td></tr>"));
}

#[test]
fn scales_stay_put_within_a_track() {
    let html = page();
    let d = data(&html);
    let fragments = d["fragments"].as_array().unwrap();
    // The curves chart has one picture per track; each track's scale covers
    // that track's own lines.
    let curves = figure(&html, "curves");
    let at = curves.find("class=\"plot-svg\" data-cell=\"").unwrap() + 28;
    let n: usize = curves[at..at + curves[at..].find('"').unwrap()]
        .parse()
        .unwrap();
    let ids = d["cells"][n]["html"].as_array().unwrap();
    assert_eq!(ids.len(), 2);
    let ticks = |svg: &str| -> Vec<String> {
        svg.match_indices("text-anchor=\"end\"")
            .map(|(i, _)| {
                let rest = &svg[i..];
                let a = rest.find('>').unwrap() + 1;
                let b = rest.find('<').unwrap();
                rest[a..b].to_string()
            })
            .collect()
    };
    let one = fragments[ids[0].as_u64().unwrap() as usize]
        .as_str()
        .unwrap();
    let sixteen = fragments[ids[1].as_u64().unwrap() as usize]
        .as_str()
        .unwrap();
    // One node: the worst point is 113.8%, so the scale ends at 120%.
    assert!(ticks(one).contains(&"120".to_string()), "{:?}", ticks(one));
    // Sixteen nodes fail 16 times as often: redoing 600 min costs 1,820%.
    assert!(
        ticks(sixteen).contains(&"2000".to_string()) || ticks(sixteen).contains(&"2k".to_string()),
        "{:?}",
        ticks(sixteen)
    );
}

#[test]
fn charts_are_byte_identical_across_builds() {
    assert_eq!(page(), page());
}
