//! The one tick algorithm of the figures: nice linear steps (1, 2 or 5
//! times a power of ten) and decade ticks on log axes.
//!
//! Labels on one axis share one notation: linear ticks share one SI suffix
//! (k, M, G, T) and one number of decimals; log ticks are plain numbers
//! (0.001 … 1 … 10k … 100T) when every decade of the axis has such a form,
//! else all of them are powers of ten (10⁻⁶, 10⁻³, 1, 10³), never a mix.

use super::metrics::clean_suffix;
use super::{Axis, Scale};

/// Range of usable data values seen so far (empty while `lo > hi`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Span {
    pub lo: f64,
    pub hi: f64,
}

impl Span {
    pub(crate) const EMPTY: Span = Span {
        lo: f64::INFINITY,
        hi: f64::NEG_INFINITY,
    };

    pub(crate) fn add(&mut self, v: f64) {
        self.lo = self.lo.min(v);
        self.hi = self.hi.max(v);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.lo > self.hi
    }
}

/// `v` made safe to place: finite values are clamped to ±1e300 (on a log
/// scale, positive ones to 1e-300..=1e300), which keeps every derived
/// quantity (spans, sums, logs, pixel positions) finite; NaN, infinities
/// and, on a log scale, values <= 0 give `None`.
pub(crate) fn tame(v: f64, log: bool) -> Option<f64> {
    if !v.is_finite() || (log && v <= 0.0) {
        return None;
    }
    Some(if log {
        v.clamp(1e-300, 1e300)
    } else {
        v.clamp(-1e300, 1e300)
    })
}

/// The covered range of an axis and its labelled positions.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ticks {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
    /// Labelled values, with gridlines.
    pub major: Vec<f64>,
    pub labels: Vec<String>,
    /// Unlabelled lighter gridlines (2..9 × each decade on short log axes).
    pub minor: Vec<f64>,
}

impl Ticks {
    /// Position of `v` along the axis, 0 at `lo` and 1 at `hi` (outside
    /// that range for clipped data); `None` if `v` cannot be placed.
    pub(crate) fn frac(&self, v: f64) -> Option<f64> {
        let f = if self.log {
            if !(v.is_finite() && v > 0.0) {
                return None;
            }
            let (a, b) = (self.lo.log10(), self.hi.log10());
            (v.log10() - a) / (b - a)
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        f.is_finite().then_some(f)
    }
}

/// Ticks for a [`super::Curves`] axis: the caller's fixed range if usable, else
/// fitted to `data`.
pub(crate) fn axis_ticks(axis: &Axis, data: Span) -> Ticks {
    let log = axis.scale == Scale::Log;
    let suffix = clean_suffix(&axis.tick_suffix);
    if let Some((a, b)) = axis.range {
        let (a, b) = (
            tame(a, log).unwrap_or(f64::NAN),
            tame(b, log).unwrap_or(f64::NAN),
        );
        if a < b {
            return if log {
                log_ticks(a, b, true, &suffix)
            } else {
                linear_ticks(a, b, true, &suffix)
            };
        }
    }
    if log {
        let (lo, hi) = if data.is_empty() {
            (1.0, 10.0)
        } else {
            (data.lo, data.hi)
        };
        log_ticks(lo, hi, false, &suffix)
    } else {
        // Physical quantities are compared from zero: a fitted linear axis
        // includes 0 so lengths stay honest.
        let (lo, hi) = if data.is_empty() {
            (0.0, 1.0)
        } else {
            (data.lo.min(0.0), data.hi.max(0.0))
        };
        let (lo, hi) = if hi > lo { (lo, hi) } else { (0.0, 1.0) };
        linear_ticks(lo, hi, false, &suffix)
    }
}

/// A fixed axis range that covers `lo..=hi` with round ends: whole decades
/// on a log axis; on a linear axis a nice step's multiples, from 0 when the
/// data is all on one side of it. Used to keep a chart's axes still while
/// its data moves with the controls. `None` when there is nothing to cover.
pub fn nice_range(lo: f64, hi: f64, log: bool) -> Option<(f64, f64)> {
    if !(lo.is_finite() && hi.is_finite()) {
        return None;
    }
    if log {
        if hi <= 0.0 {
            return None;
        }
        let lo = if lo > 0.0 { lo } else { hi / 10.0 };
        let a = 10f64.powf((lo.log10() + 1e-9).floor());
        let b = 10f64.powf((hi.log10() - 1e-9).ceil());
        return Some(if b > a { (a, b) } else { (a, a * 10.0) });
    }
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    if hi <= lo {
        return Some((0.0, 1.0));
    }
    nice_step(lo, hi).map(|(a, b, _)| (a, b))
}

/// Chooses a "nice" step (1, 2 or 5 × 10^e) giving 3 to 6 intervals whose
/// multiples cover `lo..=hi`, picking the tightest cover (ties: fewer
/// intervals). Returns (first, last, step).
fn nice_step(lo: f64, hi: f64) -> Option<(f64, f64, f64)> {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return None;
    }
    let exp = span.log10().floor() as i32;
    let mut best: Option<(f64, f64, f64)> = None;
    for e in exp - 2..=exp {
        for m in [1.0, 2.0, 5.0] {
            let step = m * 10f64.powi(e);
            if !(step.is_finite() && step > 0.0) {
                continue;
            }
            // The tolerance keeps exact fits (hi = 10, step 2) from being
            // pushed out an interval by float noise in the division.
            let a = (lo / step + 1e-9).floor() * step;
            let b = (hi / step - 1e-9).ceil() * step;
            let n = ((b - a) / step).round();
            if !(3.0..=6.0).contains(&n) || !a.is_finite() || !b.is_finite() {
                continue;
            }
            // Later candidates have larger steps, so `<=` prefers fewer intervals.
            if best.is_none_or(|(ba, bb, _)| b - a <= (bb - ba) * (1.0 + 1e-9)) {
                best = Some((a, b, step));
            }
        }
    }
    best
}

/// Linear ticks at multiples of a nice step. A `fixed` range is kept as
/// given (ticks fall inside it); otherwise it widens to the nice bounds.
pub(crate) fn linear_ticks(lo: f64, hi: f64, fixed: bool, suffix: &str) -> Ticks {
    let (a, b, step) = nice_step(lo, hi).unwrap_or((lo, hi, hi - lo));
    let (lo, hi) = if fixed { (lo, hi) } else { (a, b) };
    let mut major = Vec::new();
    if step > 0.0 && step.is_finite() {
        let first = (lo / step - 1e-9).ceil();
        let last = (hi / step + 1e-9).floor();
        let mut k = first;
        // At most 7 ticks by construction; the cap guards float surprises.
        while k <= last && major.len() < 12 {
            major.push(k * step);
            k += 1.0;
        }
    }
    let labels = linear_labels(&major, step, suffix);
    Ticks {
        lo,
        hi,
        log: false,
        major,
        labels,
        minor: Vec::new(),
    }
}

/// Tick labels with one shared SI suffix (k, M, G, T) and one number of
/// decimals; 0 is written bare.
fn linear_labels(values: &[f64], step: f64, suffix: &str) -> Vec<String> {
    let m = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let (div, si) = match m {
        m if m >= 1e15 => (0.0, ""),
        m if m >= 1e12 => (1e12, "T"),
        m if m >= 1e9 => (1e9, "G"),
        m if m >= 1e6 => (1e6, "M"),
        m if m >= 1e4 => (1e3, "k"),
        _ => (1.0, ""),
    };
    values
        .iter()
        .map(|&v| {
            if v.abs() < step.abs() * 1e-6 {
                format!("0{suffix}")
            } else if div == 0.0 {
                format!("{v:.1e}{suffix}")
            } else {
                let decimals = decimals_for(step / div);
                format!("{:.*}{si}{suffix}", decimals, v / div)
            }
        })
        .collect()
}

/// Fewest decimals (up to 9) that show multiples of `step` exactly.
fn decimals_for(step: f64) -> usize {
    let mut scaled = step;
    for d in 0..9 {
        if (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0) {
            return d;
        }
        scaled *= 10.0;
    }
    9
}

/// Decade ticks. A fitted axis runs from the decade at or below `lo` to the
/// one at or above `hi` (3 to 4500 gives 1 … 10k). Labels go on every
/// decade up to 6 decades, then on every 2nd, 3rd… so they never crowd;
/// short axes (up to 4 decades) also get minor gridlines at 2..9 ×.
pub(crate) fn log_ticks(lo: f64, hi: f64, fixed: bool, suffix: &str) -> Ticks {
    let dlo = (lo.log10() + 1e-9).floor().clamp(-300.0, 300.0) as i32;
    let mut dhi = (hi.log10() - 1e-9).ceil().clamp(-300.0, 300.0) as i32;
    if dhi <= dlo {
        dhi = dlo + 1;
    }
    let every = (dhi - dlo + 5) / 6;
    // One notation for the whole axis.
    let plain = (-3..=14).contains(&dlo) && (-3..=14).contains(&dhi);
    let (lo, hi) = if fixed {
        (lo, hi)
    } else {
        // Round the top up so the last label sits on the end of the axis.
        dhi = dlo + (dhi - dlo + every - 1) / every * every;
        (10f64.powi(dlo), 10f64.powi(dhi))
    };
    let mut major = Vec::new();
    let mut labels = Vec::new();
    for d in (dlo..=dhi).step_by(every.max(1) as usize) {
        let v = 10f64.powi(d);
        if v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9) {
            major.push(v);
            let label = if plain {
                decade_label(d)
            } else {
                power_label(d)
            };
            labels.push(format!("{label}{suffix}"));
        }
    }
    if fixed {
        // A fixed range need not end on decades (1 to 256, or 2 to 8
        // inside one decade): label its ends too, unless a decade label is
        // already close (within 8 % of the axis).
        let span = hi.log10() - lo.log10();
        let end_label = |v: f64| if plain { fmt_num(v) } else { sci(v) };
        let near = |v: f64, m: &[f64]| {
            m.iter()
                .any(|d| (d.log10() - v.log10()).abs() < 0.08 * span)
        };
        if !near(lo, &major) {
            major.insert(0, lo);
            labels.insert(0, format!("{}{suffix}", end_label(lo)));
        }
        if !near(hi, &major) {
            major.push(hi);
            labels.push(format!("{}{suffix}", end_label(hi)));
        }
    }
    let mut minor = Vec::new();
    if dhi - dlo <= 4 {
        for d in dlo..dhi {
            for m in 2..=9 {
                let v = f64::from(m) * 10f64.powi(d);
                if v > lo && v < hi {
                    minor.push(v);
                }
            }
        }
    }
    Ticks {
        lo,
        hi,
        log: true,
        major,
        labels,
        minor,
    }
}

/// Plain label of 10^d for -3 <= d <= 14: 0.001, 0.01, 0.1, 1, 10, 100,
/// 1k … 100T.
fn decade_label(d: i32) -> String {
    match d {
        0..=14 => {
            let m = 10u64.pow((d % 3) as u32);
            let si = ["", "k", "M", "G", "T"][(d / 3) as usize];
            format!("{m}{si}")
        }
        _ => format!("{:.*}", d.unsigned_abs() as usize, 10f64.powi(d)),
    }
}

/// 10^d written as a power: "10⁻⁴", "10³"; 10^0 is "1".
fn power_label(d: i32) -> String {
    if d == 0 {
        return "1".to_string();
    }
    let digits: String = d
        .to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            c => ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'][c as usize - '0' as usize],
        })
        .collect();
    format!("10{digits}")
}

/// `v` as "m×10ⁿ" with two significant digits, the notation of a log axis
/// whose decades are written as powers.
fn sci(v: f64) -> String {
    if !(v.is_finite() && v > 0.0) {
        return fmt_num(v);
    }
    let d = v.log10().floor() as i32;
    let m = v / 10f64.powi(d);
    if (m - 1.0).abs() < 0.05 {
        return power_label(d);
    }
    let m = format!("{m:.1}");
    format!("{}×{}", m.trim_end_matches(".0"), power_label(d))
}

/// Compact number for text this module composes (gauge band edges,
/// composed descriptions): 3 significant digits and an SI suffix, e.g.
/// 4500 → "4.5k", 0.0123 → "0.0123", 2.5e6 → "2.5M".
pub(crate) fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let a = v.abs();
    if a == 0.0 {
        return "0".to_string();
    }
    if !(1e-4..1e15).contains(&a) {
        return format!("{v:.2e}");
    }
    let (div, si) = match a {
        a if a >= 1e12 => (1e12, "T"),
        a if a >= 1e9 => (1e9, "G"),
        a if a >= 1e6 => (1e6, "M"),
        a if a >= 1e3 => (1e3, "k"),
        _ => (1.0, ""),
    };
    let s = v / div;
    let decimals = (2 - s.abs().log10().floor() as i32).clamp(0, 6) as usize;
    let mut out = format!("{s:.decimals$}");
    if out.contains('.') {
        let trimmed = out.trim_end_matches('0').trim_end_matches('.').len();
        out.truncate(trimmed);
    }
    out.push_str(si);
    out
}

#[cfg(test)]
mod tests;
