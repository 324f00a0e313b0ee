//! Flows between nodes in columns (640×360): bands whose width is
//! proportional to the flow, routed through gaps in the columns they cross.

use super::labels::{draw_halo_labels, label_box, Label, Taken};
use super::metrics::{clean, fit, sentence, text_width};
use super::palette::{Paint, Tone};
use super::svg::{push_num, push_pair, Anchor, Style, Svg, LABEL_PX, PAD, TICK_PX};
use super::ticks::tame;
use std::fmt::Write as _;

/// Flows between nodes placed in columns, e.g. Cloud → Disk → DRAM → GPU.
#[derive(Debug, Clone, PartialEq)]
pub struct Sankey {
    /// Heading, also the SVG `<title>`.
    pub title: String,
    /// Text alternative for `<desc>`; composed from the data if blank.
    pub description: String,
    /// Nodes; within a column they are stacked top to bottom in this order.
    pub nodes: Vec<Node>,
    /// Flows, each from a node to a node in a later column.
    pub flows: Vec<Flow>,
}

/// A node of a [`Sankey`].
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Text above the node.
    pub label: String,
    /// Column, left to right. Only the order matters: the columns used are
    /// spread evenly across the chart.
    pub column: usize,
    /// Node colour.
    pub tone: Tone,
}

/// A flow of a [`Sankey`]; its band's width is proportional to `value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// Index into [`Sankey::nodes`].
    pub from: usize,
    /// Index into [`Sankey::nodes`]; must be in a later column than `from`,
    /// or the flow is not drawn (it stays in the composed description).
    pub to: usize,
    /// Amount, in any unit shared by all flows; <= 0 or not finite: not drawn.
    pub value: f64,
    /// Caller-formatted amount shown on the band, e.g. "1.2 GB/s".
    pub text: String,
    /// Band colour.
    pub tone: Tone,
    /// Draw this flow (typically the bottleneck) stronger, outlined, with
    /// bold text.
    pub highlight: bool,
}

const SK_W: f64 = 640.0;
const SK_H: f64 = 360.0;
/// Top of the first node's label row, and bottom of the layout.
const SK_TOP: f64 = 40.0;
const SK_BOTTOM: f64 = 344.0;
const SK_NODE_W: f64 = 12.0;
/// Room above each node for its label, and between stacked nodes.
const SK_LABEL_H: f64 = 18.0;
const SK_GAP: f64 = 10.0;

/// What occupies a stretch of a column: a node, or room kept free for a
/// flow passing through on its way to a later column (so long bands run
/// through gaps instead of under other nodes).
#[derive(Clone, Copy)]
enum Slot {
    Node(usize),
    Pass(usize),
}

/// A point a band passes: its left and right x (equal at the ends) and the
/// y of its top edge.
#[derive(Clone, Copy)]
struct Station {
    left: f64,
    right: f64,
    y: f64,
}

/// Where everything goes: columns, drawable flows, the scale, node boxes,
/// pass-through room and where each band leaves and enters its nodes.
struct Layout {
    n: usize,
    /// Each node's column rank.
    col: Vec<usize>,
    ncols: usize,
    flows: Vec<Flow>,
    /// Pixels per unit of flow, one for every column.
    k: f64,
    top: Vec<f64>,
    height: Vec<f64>,
    col_x: Vec<f64>,
    /// Per flow, its pass-through room in each column it crosses.
    passes: Vec<Vec<Station>>,
    y_out: Vec<f64>,
    y_in: Vec<f64>,
}

/// Each node's rank among the columns used (so sparse or huge column
/// numbers still spread evenly), and the number of columns.
fn columns(s: &Sankey) -> (Vec<usize>, usize) {
    let mut cols: Vec<usize> = s.nodes.iter().map(|nd| nd.column).collect();
    cols.sort_unstable();
    cols.dedup();
    let col = s
        .nodes
        .iter()
        .map(|nd| cols.binary_search(&nd.column).unwrap_or(0))
        .collect();
    (col, cols.len())
}

/// The flows that can be drawn: between known nodes, rightwards, with a
/// positive finite value (tamed) and clean text.
fn drawable(s: &Sankey, col: &[usize]) -> Vec<Flow> {
    let n = s.nodes.len();
    s.flows
        .iter()
        .filter(|f| f.from < n && f.to < n && col[f.to] > col[f.from])
        .filter_map(|f| Some((f, tame(f.value, false).filter(|v| *v > 0.0)?)))
        .map(|(f, value)| Flow {
            value,
            text: clean(&f.text),
            ..f.clone()
        })
        .collect()
}

impl Layout {
    fn new(s: &Sankey) -> Layout {
        let n = s.nodes.len();
        let (col, ncols) = columns(s);
        let flows = drawable(s, &col);
        let col_x = (0..ncols)
            .map(|c| {
                if ncols < 2 {
                    ((SK_W - SK_NODE_W) / 2.0).round()
                } else {
                    (PAD + c as f64 * (SK_W - 2.0 * PAD - SK_NODE_W) / (ncols - 1) as f64).round()
                }
            })
            .collect();
        let mut l = Layout {
            n,
            col,
            ncols,
            flows,
            k: 0.0,
            top: vec![0.0; n],
            height: Vec::new(),
            col_x,
            passes: Vec::new(),
            y_out: Vec::new(),
            y_in: Vec::new(),
        };
        l.stack();
        l.ports();
        l
    }

    fn inflow(&self, i: usize) -> f64 {
        self.flows
            .iter()
            .filter(|f| f.to == i)
            .map(|f| f.value)
            .sum()
    }

    fn outflow(&self, i: usize) -> f64 {
        self.flows
            .iter()
            .filter(|f| f.from == i)
            .map(|f| f.value)
            .sum()
    }

    /// A band's thickness.
    fn thick(&self, v: f64) -> f64 {
        (v * self.k).max(1.0)
    }

    /// Sets the scale, the node boxes and the pass-through room: nodes in
    /// the caller's order, then room for flows passing through, centred in
    /// each column; one scale for every column, set by the fullest one.
    fn stack(&mut self) {
        let size: Vec<f64> = (0..self.n)
            .map(|i| self.inflow(i).max(self.outflow(i)))
            .collect();
        let mut members: Vec<Vec<Slot>> = vec![Vec::new(); self.ncols];
        for i in 0..self.n {
            members[self.col[i]].push(Slot::Node(i));
        }
        for (f, fl) in self.flows.iter().enumerate() {
            for m in &mut members[self.col[fl.from] + 1..self.col[fl.to]] {
                m.push(Slot::Pass(f));
            }
        }
        let amount = |slot: Slot| match slot {
            Slot::Node(i) => (size[i], SK_LABEL_H),
            Slot::Pass(f) => (self.flows[f].value, 0.0),
        };
        let avail = SK_BOTTOM - SK_TOP;
        let k = members
            .iter()
            .filter_map(|m| {
                let total: f64 = m.iter().map(|&sl| amount(sl).0).sum();
                let fixed: f64 =
                    m.iter().map(|&sl| amount(sl).1).sum::<f64>() + SK_GAP * (m.len() as f64 - 1.0);
                (total > 0.0).then(|| (avail - fixed) / total)
            })
            .fold(f64::INFINITY, f64::min);
        self.k = if k.is_finite() { k.max(0.0) } else { 0.0 };
        self.height = size.iter().map(|v| (v * self.k).max(3.0)).collect();
        self.passes = vec![Vec::new(); self.flows.len()];
        for (c, m) in members.iter().enumerate() {
            let hs: Vec<f64> = m
                .iter()
                .map(|&sl| match sl {
                    Slot::Node(i) => SK_LABEL_H + self.height[i],
                    Slot::Pass(f) => self.thick(self.flows[f].value),
                })
                .collect();
            let total: f64 = hs.iter().sum::<f64>() + SK_GAP * (m.len() as f64 - 1.0).max(0.0);
            let mut y = SK_TOP + ((avail - total) / 2.0).max(0.0);
            for (&sl, h) in m.iter().zip(hs) {
                match sl {
                    Slot::Node(i) => self.top[i] = y + SK_LABEL_H,
                    Slot::Pass(f) => self.passes[f].push(Station {
                        left: self.col_x[c],
                        right: self.col_x[c] + SK_NODE_W,
                        y,
                    }),
                }
                y += h + SK_GAP;
            }
        }
    }

    /// Where each band leaves and enters its nodes: stacked in the order of
    /// where the band goes next (or came from), which avoids needless
    /// crossings, and centred on the node when the node is taller than its
    /// flows on that side.
    fn ports(&mut self) {
        let nf = self.flows.len();
        let centre = |i: usize| self.top[i] + self.height[i] / 2.0;
        let next_y: Vec<f64> = (0..nf)
            .map(|f| {
                self.passes[f]
                    .first()
                    .map_or(centre(self.flows[f].to), |p| p.y)
            })
            .collect();
        self.y_out = self.stack_ports(&next_y, |fl| fl.from, |l, i| l.outflow(i));
        let prev_y: Vec<f64> = (0..nf)
            .map(|f| self.passes[f].last().map_or(self.y_out[f], |p| p.y))
            .collect();
        self.y_in = self.stack_ports(&prev_y, |fl| fl.to, |l, i| l.inflow(i));
    }

    /// For each node, the flows whose `end` it is, stacked down its side in
    /// the order of `key`.
    fn stack_ports(
        &self,
        key: &[f64],
        end: impl Fn(&Flow) -> usize,
        side: impl Fn(&Layout, usize) -> f64,
    ) -> Vec<f64> {
        let mut ys = vec![0.0f64; self.flows.len()];
        for i in 0..self.n {
            let mut mine: Vec<usize> = (0..self.flows.len())
                .filter(|&f| end(&self.flows[f]) == i)
                .collect();
            mine.sort_by(|&a, &b| key[a].total_cmp(&key[b]).then(a.cmp(&b)));
            let mut y = self.top[i] + ((self.height[i] - side(self, i) * self.k) / 2.0).max(0.0);
            for f in mine {
                ys[f] = y;
                y += self.flows[f].value * self.k;
            }
        }
        ys
    }

    /// The stations of flow `f`: out of its source, through its pass-through
    /// room, into its target.
    fn stations(&self, f: usize) -> Vec<Station> {
        let fl = &self.flows[f];
        let start = self.col_x[self.col[fl.from]] + SK_NODE_W;
        let end = self.col_x[self.col[fl.to]];
        let mut st = Vec::with_capacity(self.passes[f].len() + 2);
        st.push(Station {
            left: start,
            right: start,
            y: self.y_out[f],
        });
        st.extend_from_slice(&self.passes[f]);
        st.push(Station {
            left: end,
            right: end,
            y: self.y_in[f],
        });
        st
    }
}

/// Sankey, 640×360, columns left to right.
pub(crate) fn render(s: &Sankey) -> String {
    let title = clean(&s.title);
    let labels: Vec<String> = s.nodes.iter().map(|nd| clean(&nd.label)).collect();
    let lay = Layout::new(s);
    let desc = match clean(&s.description) {
        d if d.is_empty() => description(s, &title, &labels),
        d => d,
    };
    let mut svg = Svg::new(SK_W as u32, SK_H as u32, &title, &desc);
    svg.title(&title, SK_W);
    if lay.n == 0 {
        svg.no_data(SK_W / 2.0, (SK_TOP + SK_BOTTOM) / 2.0);
        return svg.finish();
    }
    // Bands: plain ones first, highlighted ones on top.
    for pass in [false, true] {
        for (f, fl) in lay
            .flows
            .iter()
            .enumerate()
            .filter(|(_, f)| f.highlight == pass)
        {
            let d = band_path(&lay.stations(f), lay.thick(fl.value));
            let paint = Paint::Tone(fl.tone);
            if fl.highlight {
                let extra = " fill-opacity=\"0.55\" stroke-width=\"1.5\"";
                svg.path(&d, Some(paint), Some(paint), extra);
            } else {
                svg.path(&d, Some(paint), None, " fill-opacity=\"0.3\"");
            }
        }
    }
    for i in 0..lay.n {
        let x = lay.col_x[lay.col[i]];
        let paint = Some(Paint::Tone(s.nodes[i].tone));
        svg.rect(
            x,
            lay.top[i],
            x + SK_NODE_W,
            lay.top[i] + lay.height[i],
            paint,
        );
    }
    let mut taken = Taken::default();
    let mut texts = node_labels(&lay, &labels, &mut taken);
    texts.extend(flow_labels(&lay, &mut taken));
    draw_halo_labels(&mut svg, &texts);
    svg.finish()
}

/// Node labels above their nodes: centred in middle columns, and inward
/// from the card's edge in the first and last. Two neighbouring middle
/// labels fit between their columns at `spacing - 16` each; an end label
/// gets what its neighbour column's widest half leaves.
fn node_labels(lay: &Layout, labels: &[String], taken: &mut Taken) -> Vec<Label> {
    let (n, ncols, col) = (lay.n, lay.ncols, &lay.col);
    let lx = f64::from(LABEL_PX);
    let spacing = if ncols < 2 {
        SK_W - 2.0 * PAD
    } else {
        (SK_W - 2.0 * PAD) / (ncols - 1) as f64
    };
    let is_end = |c: usize| ncols > 1 && (c == 0 || c + 1 == ncols);
    let middle: Vec<String> = (0..n)
        .map(|i| match is_end(col[i]) {
            true => String::new(),
            false => fit(&labels[i], spacing - 16.0, lx, true),
        })
        .collect();
    let half_width = |c: usize| {
        (0..n)
            .filter(|&i| col[i] == c)
            .map(|i| text_width(&middle[i], lx, true) / 2.0)
            .fold(0.0, f64::max)
    };
    let end_room = |c: usize| {
        if ncols == 2 {
            (spacing - 16.0) / 2.0
        } else {
            let neighbour = if c == 0 { 1 } else { ncols - 2 };
            spacing - 16.0 - half_width(neighbour)
        }
    };
    let mut texts = Vec::with_capacity(n);
    for i in 0..n {
        let x = lay.col_x[col[i]];
        let (x, anchor) = match col[i] {
            0 if ncols > 1 => (x, Anchor::Start),
            c if c + 1 == ncols && ncols > 1 => (x + SK_NODE_W, Anchor::End),
            _ => (x + SK_NODE_W / 2.0, Anchor::Middle),
        };
        let text = match is_end(col[i]) {
            true => fit(&labels[i], end_room(col[i]), lx, true),
            false => middle[i].clone(),
        };
        let y = lay.top[i] - 9.0;
        taken
            .boxes
            .push(label_box(x, y, text_width(&text, lx, true), anchor));
        texts.push(Label {
            x,
            y,
            text,
            style: Style::new(LABEL_PX, Paint::Text, anchor).bold(),
        });
    }
    texts
}

/// Flow texts on the middle of each band's first hop, or just above or
/// below it when that spot is taken.
fn flow_labels(lay: &Layout, taken: &mut Taken) -> Vec<Label> {
    let bounds = [PAD, SK_TOP, SK_W - PAD, SK_H - 4.0];
    let px = f64::from(TICK_PX);
    let mut texts = Vec::with_capacity(lay.flows.len());
    for (f, fl) in lay.flows.iter().enumerate() {
        let st = lay.stations(f);
        let (a, b) = (st[0], st[1]);
        let x = (a.right + b.left) / 2.0;
        let y = (a.y + b.y + lay.thick(fl.value)) / 2.0;
        let room = (b.left - a.right - 8.0).max(0.0);
        let text = fit(&fl.text, room, px, fl.highlight);
        let w = text_width(&text, px, fl.highlight);
        let cands = [
            (x, y, Anchor::Middle),
            (x, y - 15.0, Anchor::Middle),
            (x, y + 15.0, Anchor::Middle),
        ];
        let (x, y, anchor) = taken.place(&cands, w, bounds);
        let style = Style::new(TICK_PX, Paint::Text, anchor);
        texts.push(Label {
            x,
            y,
            text,
            style: if fl.highlight { style.bold() } else { style },
        });
    }
    texts
}

/// Closed band of thickness `t` through `stations`: a cubic Bézier with
/// horizontal tangents between consecutive stations (so bands leave and
/// enter nodes level), straight across each pass-through, and back along
/// the bottom edge.
fn band_path(st: &[Station], t: f64) -> String {
    let mut d = String::with_capacity(64 * st.len());
    let Some(first) = st.first() else {
        return d;
    };
    d.push('M');
    push_pair(&mut d, first.right, first.y);
    let hop = |d: &mut String, from_x: f64, from_y: f64, to_x: f64, to_y: f64| {
        let xm = (from_x + to_x) / 2.0;
        d.push('C');
        push_pair(d, xm, from_y);
        d.push(' ');
        push_pair(d, xm, to_y);
        d.push(' ');
        push_pair(d, to_x, to_y);
    };
    for w in st.windows(2) {
        hop(&mut d, w[0].right, w[0].y, w[1].left, w[1].y);
        if w[1].right > w[1].left {
            d.push('H');
            push_num(&mut d, w[1].right);
        }
    }
    d.push('V');
    push_num(&mut d, st[st.len() - 1].y + t);
    for w in st.windows(2).rev() {
        hop(&mut d, w[1].left, w[1].y + t, w[0].right, w[0].y + t);
        if w[0].right > w[0].left {
            d.push('H');
            push_num(&mut d, w[0].left);
        }
    }
    d.push('Z');
    d
}

/// "Title. A → B: text; … Highlighted: A → B." Flows that cannot be drawn
/// are still listed, so the text alternative never loses data.
fn description(s: &Sankey, title: &str, labels: &[String]) -> String {
    let mut d = sentence(title);
    let name = |i: usize| labels.get(i).map_or("?", String::as_str);
    if s.flows.is_empty() {
        d.push_str("No flows.");
        return d;
    }
    for (i, f) in s.flows.iter().enumerate() {
        if i > 0 {
            d.push_str("; ");
        }
        let _ = write!(d, "{} → {}", name(f.from), name(f.to));
        let text = clean(&f.text);
        if !text.is_empty() {
            let _ = write!(d, ": {text}");
        }
    }
    d.push('.');
    let hl: Vec<String> = s
        .flows
        .iter()
        .filter(|f| f.highlight)
        .map(|f| format!("{} → {}", name(f.from), name(f.to)))
        .collect();
    if !hl.is_empty() {
        let _ = write!(d, " Highlighted: {}.", hl.join(", "));
    }
    d
}

// ---------------------------------------------------------------------------
// Text (the measuring and escaping helpers are shared with plots.rs)
