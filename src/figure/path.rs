//! Path geometry shared by the figures: clipping a segment to a rectangle,
//! thinning dense lines, and writing polylines and polygons compactly.

use super::svg::{push_pair, push_tenths};

/// Liang–Barsky clipping of the segment a→b to `rect` = [x0, y0, x1, y1].
/// An endpoint inside the rectangle is returned unchanged (bit for bit),
/// which lets [`super::frame::clip_runs`] join consecutive segments.
pub(crate) fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    rect: [f64; 4],
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    let checks = [
        (-dx, a.0 - rect[0]),
        (dx, rect[2] - a.0),
        (-dy, a.1 - rect[1]),
        (dy, rect[3] - a.1),
    ];
    for (p, q) in checks {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    if t0 > t1 || !t0.is_finite() || !t1.is_finite() {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            (a.0 + t * dx, a.1 + t * dy)
        }
    };
    Some((at(t0), at(t1)))
}

/// Ramer–Douglas–Peucker: drops points closer than `eps` pixels to the line
/// through their kept neighbours. Densely sampled model curves shrink to a
/// few dozen points with no visible change, which keeps the SVG small.
/// Iterative, so long inputs cannot overflow the stack.
pub(crate) fn simplify(points: &[(f64, f64)], eps: f64) -> Vec<(f64, f64)> {
    let n = points.len();
    if n < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    let mut stack = vec![(0, n - 1)];
    while let Some((i, j)) = stack.pop() {
        let (a, b) = (points[i], points[j]);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = dx.hypot(dy);
        let mut best = (0.0, i);
        for (k, p) in points.iter().enumerate().take(j).skip(i + 1) {
            let d = if len > 0.0 {
                ((p.0 - a.0) * dy - (p.1 - a.1) * dx).abs() / len
            } else {
                (p.0 - a.0).hypot(p.1 - a.1)
            };
            if d > best.0 {
                best = (d, k);
            }
        }
        if best.0 > eps {
            keep[best.1] = true;
            stack.push((i, best.1));
            stack.push((best.1, j));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

/// Appends "M x y l dx dy …" in tenths: relative steps are shorter than
/// absolute coordinates, and computing them from the rounded positions
/// means rounding errors cannot accumulate along the line.
pub(crate) fn push_polyline(d: &mut String, points: &[(f64, f64)]) {
    let tenths = |v: f64| (v * 10.0).round() as i64;
    let mut last: Option<(i64, i64)> = None;
    for &(x, y) in points {
        let p = (tenths(x), tenths(y));
        match last {
            None => {
                d.push('M');
                push_tenths(d, p.0);
                d.push(' ');
                push_tenths(d, p.1);
            }
            Some(q) if q == p => continue,
            Some(q) => {
                d.push('l');
                push_tenths(d, p.0 - q.0);
                // A minus sign separates numbers on its own.
                if p.1 - q.1 >= 0 {
                    d.push(' ');
                }
                push_tenths(d, p.1 - q.1);
            }
        }
        last = Some(p);
    }
}

/// Closed polygon path "M…L…Z" through `pts`.
pub(crate) fn polygon(pts: impl Iterator<Item = (f64, f64)>) -> String {
    let mut d = String::with_capacity(96);
    for (k, (x, y)) in pts.enumerate() {
        d.push(if k == 0 { 'M' } else { 'L' });
        push_pair(&mut d, x, y);
    }
    if !d.is_empty() {
        d.push('Z');
    }
    d
}
