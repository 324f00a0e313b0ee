//! One horizontal stacked bar (640×200) splitting a total into segments,
//! with an x axis and a legend; taller only for a legend of three rows or
//! more.

use super::legend::{draw_legend, flow_legend, legend_rows, Swatch, LEGEND_ROW};
use super::metrics::{clean, fit, text_width};
use super::palette::Paint;
use super::svg::{Anchor, Style, Svg, LABEL_PX, PAD, TICK_PX};
use super::ticks::linear_ticks;
use super::{Series, Values};

const W: f64 = 640.0;
const H: f64 = 200.0;
const BAR_TOP: f64 = 46.0;
const BAR_BOTTOM: f64 = 90.0;
const TICK_LABEL_Y: f64 = 105.0;
const AXIS_LABEL_Y: f64 = 128.0;
const LEGEND_Y: f64 = 160.0;
/// Horizontal extent of the axis: wider margins than PAD so the first and
/// last tick labels, which are centred on their ticks, stay on the card.
const X0: f64 = 24.0;
const X1: f64 = 616.0;

/// The title and the series with XML-safe text and finite, non-negative
/// values (everything else is drawn as 0).
pub(crate) fn cleaned(v: &Values) -> (String, Vec<Series>) {
    let series = v
        .series
        .iter()
        .map(|s| Series {
            label: clean(&s.label),
            text: clean(&s.text),
            value: if s.value.is_finite() && s.value > 0.0 {
                s.value
            } else {
                0.0
            },
            tone: s.tone,
        })
        .collect();
    (clean(&v.title), series)
}

/// "Title. Label: text; label: text." for figures whose caller gave no
/// description, so `<desc>` is never empty.
pub(crate) fn fallback_description(title: &str, series: &[Series]) -> String {
    let mut d = super::metrics::sentence(title);
    if series.is_empty() {
        d.push_str("No data.");
        return d;
    }
    let items: Vec<String> = series
        .iter()
        .map(|s| match s.text.is_empty() {
            true => s.label.clone(),
            false => format!("{}: {}", s.label, s.text),
        })
        .collect();
    d.push_str(&items.join("; "));
    d.push('.');
    d
}

/// "label: text", or whichever of the two is not empty.
fn legend_text(s: &Series) -> String {
    match (s.label.is_empty(), s.text.is_empty()) {
        (_, true) => s.label.clone(),
        (true, false) => s.text.clone(),
        (false, false) => format!("{}: {}", s.label, s.text),
    }
}

pub(crate) fn render(v: &Values) -> String {
    let (title, series) = cleaned(v);
    let items = series
        .iter()
        .map(|s| (legend_text(s), s.tone, false))
        .collect();
    let legend = flow_legend(items, PAD, W - PAD);
    let rows = legend_rows(&legend).max(1);
    let height = H.max(LEGEND_Y + (rows - 1) as f64 * LEGEND_ROW + 22.0);
    let desc = match clean(&v.description) {
        d if d.is_empty() => fallback_description(&title, &series),
        d => d,
    };
    let mut svg = Svg::new(W as u32, height as u32, &title, &desc);
    svg.title(&title, W);
    draw_track(&mut svg, &series);
    let axis_label = clean(&v.axis_label);
    let label = fit(&axis_label, X1 - X0, f64::from(LABEL_PX), false);
    let muted = Style::new(LABEL_PX, Paint::Muted, Anchor::Middle);
    svg.text((X0 + X1) / 2.0, AXIS_LABEL_Y, &label, muted);
    draw_legend(&mut svg, &legend, LEGEND_Y, 0.0, Swatch::Square);
    svg.finish()
}

/// The scaled track with its gridlines and axis, and the segments on it.
fn draw_track(svg: &mut Svg, series: &[Series]) {
    // Capped so two huge values cannot sum to infinity and lose the scale.
    let total = series.iter().map(|s| s.value).sum::<f64>().min(f64::MAX);
    let ticks = linear_ticks(0.0, if total > 0.0 { total } else { 1.0 }, false, "");
    let full = X1 - X0;
    let scale = |v: f64| X0 + (v / ticks.hi * full).round().clamp(0.0, full);

    // The empty part of the track still shows the scale, so a short total
    // reads as short.
    svg.rect(X0, BAR_TOP, X1, BAR_BOTTOM, Some(Paint::Track));
    for (i, (v, label)) in ticks.major.iter().zip(&ticks.labels).enumerate() {
        let x = scale(*v);
        if i > 0 {
            svg.rect(x, BAR_TOP, x + 1.0, BAR_BOTTOM, Some(Paint::Grid));
        }
        svg.rect(x, BAR_BOTTOM, x + 1.0, BAR_BOTTOM + 5.0, Some(Paint::Axis));
        let st = Style::new(TICK_PX, Paint::Muted, Anchor::Middle);
        svg.text(x, TICK_LABEL_Y, label, st);
    }
    svg.rect(
        X0,
        BAR_BOTTOM,
        X1 + 1.0,
        BAR_BOTTOM + 1.0,
        Some(Paint::Axis),
    );

    // Edges come from rounded cumulative sums so the segments tile exactly.
    let mut drawn: Vec<(f64, f64, usize)> = Vec::with_capacity(series.len());
    let mut cum = 0.0;
    for (i, s) in series.iter().enumerate() {
        let x0 = scale(cum);
        cum += s.value;
        let x1 = scale(cum);
        if s.value > 0.0 && x1 > x0 {
            svg.rect(x0, BAR_TOP, x1, BAR_BOTTOM, Some(Paint::Tone(s.tone)));
            drawn.push((x0, x1, i));
        }
    }
    // Separators in the card's colour keep adjacent segments apart even when
    // two tones are close; skipped next to slivers, which they would erase.
    for pair in drawn.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a.1 - a.0 >= 4.0 && b.1 - b.0 >= 4.0 {
            svg.rect(b.0 - 1.0, BAR_TOP, b.0 + 1.0, BAR_BOTTOM, Some(Paint::Card));
        }
    }
    let mid_y = ((BAR_TOP + BAR_BOTTOM) / 2.0).round();
    let px = f64::from(LABEL_PX);
    for &(x0, x1, i) in &drawn {
        let s = &series[i];
        // Only when it fits with some air; otherwise the legend carries it.
        if !s.text.is_empty() && text_width(&s.text, px, true) + 10.0 <= x1 - x0 {
            let st = Style::new(LABEL_PX, Paint::On(s.tone), Anchor::Middle).bold();
            svg.text(((x0 + x1) / 2.0).round(), mid_y, &s.text, st);
        }
    }
    if series.is_empty() {
        svg.no_data((X0 + X1) / 2.0, mid_y);
    }
}
