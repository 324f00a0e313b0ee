//! The one label-placing routine: each label takes the first of its
//! candidate positions (nearest first) that stays on the plot and crosses
//! no label, mark or line placed before it, or else the one that crosses
//! fewest. Placed labels are drawn last, with a halo in the card's colour,
//! so where a crossing cannot be avoided the text still reads.

use super::palette::Paint;
use super::path::clip_segment;
use super::svg::{Anchor, Style, Svg};

/// Room already taken by labels and marks (boxes) and by drawn lines
/// (segments), so later labels can avoid both.
#[derive(Default)]
pub(crate) struct Taken {
    pub boxes: Vec<[f64; 4]>,
    pub segs: Vec<[(f64, f64); 2]>,
}

/// Bounding box of a one-line label of width `w` centred on `y`.
pub(crate) fn label_box(x: f64, y: f64, w: f64, anchor: Anchor) -> [f64; 4] {
    let x0 = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - w / 2.0,
        Anchor::End => x - w,
    };
    [x0, y - 8.0, x0 + w, y + 8.0]
}

fn overlaps(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

fn contains(outer: &[f64; 4], b: &[f64; 4]) -> bool {
    b[0] >= outer[0] && b[1] >= outer[1] && b[2] <= outer[2] && b[3] <= outer[3]
}

impl Taken {
    /// Number of taken boxes and segments the box `b` runs into.
    fn clutter(&self, b: &[f64; 4]) -> usize {
        let boxes = self.boxes.iter().filter(|t| overlaps(t, b)).count();
        let segs = self
            .segs
            .iter()
            .filter(|s| clip_segment(s[0], s[1], *b).is_some())
            .count();
        boxes + segs
    }

    /// Of the candidate positions whose box lies inside `bounds`, the one
    /// overlapping the fewest taken boxes and drawn segments (the earliest
    /// on a tie, so candidates go nearest first); if none lies inside, the
    /// first shifted into `bounds`. The chosen box is then taken.
    pub(crate) fn place(
        &mut self,
        cands: &[(f64, f64, Anchor)],
        w: f64,
        bounds: [f64; 4],
    ) -> (f64, f64, Anchor) {
        let mut best: Option<((f64, f64, Anchor), usize)> = None;
        for &c in cands {
            let b = label_box(c.0, c.1, w, c.2);
            if !contains(&bounds, &b) {
                continue;
            }
            let score = self.clutter(&b);
            if best.is_none_or(|(_, s)| score < s) {
                best = Some((c, score));
            }
            if score == 0 {
                break;
            }
        }
        let chosen = best
            .map(|(c, _)| c)
            .unwrap_or_else(|| shift_into(cands.first().copied(), w, bounds));
        self.boxes.push(label_box(chosen.0, chosen.1, w, chosen.2));
        chosen
    }
}

/// The candidate `c` (or the top left of `bounds`) moved just far enough to
/// lie inside `bounds`.
fn shift_into(c: Option<(f64, f64, Anchor)>, w: f64, bounds: [f64; 4]) -> (f64, f64, Anchor) {
    let (x, y, a) = c.unwrap_or((bounds[0], bounds[1], Anchor::Start));
    let b = label_box(x, y, w, a);
    let shift = if b[0] < bounds[0] {
        bounds[0] - b[0]
    } else if b[2] > bounds[2] {
        (bounds[2] - b[2]).max(bounds[0] - b[0])
    } else {
        0.0
    };
    let y = y.clamp(bounds[1] + 8.0, (bounds[3] - 8.0).max(bounds[1] + 8.0));
    (x + shift, y, a)
}

/// A label whose position is decided during layout and which is written
/// later, with the others, inside one halo group.
pub(crate) struct Label {
    pub x: f64,
    pub y: f64,
    pub text: String,
    pub style: Style,
}

/// Writes `labels` in one group that gives text an outline in the card's
/// colour behind its glyphs, so labels stay legible where they cross lines
/// and bands.
pub(crate) fn draw_halo_labels(svg: &mut Svg, labels: &[Label]) {
    if labels.is_empty() {
        return;
    }
    svg.open(
        None,
        Some(Paint::Card),
        " stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
    );
    for l in labels {
        svg.text(l.x, l.y, &l.text, l.style);
    }
    svg.close();
}
