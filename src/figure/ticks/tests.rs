use super::*;

#[test]
fn log_ticks_cover_the_data_in_decades() {
    let t = log_ticks(3.0, 4500.0, false, "");
    assert_eq!(t.labels, ["1", "10", "100", "1k", "10k"]);
    assert_eq!((t.lo, t.hi), (1.0, 10_000.0));
    assert_eq!(t.minor.len(), 4 * 8);
    let t = log_ticks(0.02, 3.0, false, " s");
    assert_eq!(t.labels, ["0.01 s", "0.1 s", "1 s", "10 s"]);
    // Exact decades are not widened.
    let t = log_ticks(10.0, 1000.0, false, "");
    assert_eq!(t.labels, ["10", "100", "1k"]);
    // One value: one decade.
    let t = log_ticks(100.0, 100.0, false, "");
    assert_eq!(t.labels, ["100", "1k"]);
    // Many decades: every 2nd labelled, the top still on a label, no minor.
    let t = log_ticks(1.0, 5e9, false, "");
    assert_eq!(t.labels, ["1", "100", "10k", "1M", "100M", "10G"]);
    assert!(t.minor.is_empty());
    // A fixed range inside one decade labels its ends.
    let t = log_ticks(2.0, 8.0, true, "");
    assert_eq!(t.labels, ["2", "8"]);
    assert_eq!((t.lo, t.hi), (2.0, 8.0));
    // Extremes stay finite.
    let t = log_ticks(1e-300, 1e300, false, "");
    assert!(t.lo > 0.0 && t.hi.is_finite());
}

/// An axis reaching past 0.001 or 100T writes every decade as a power,
/// never "1k" beside "1e-4".
#[test]
fn log_labels_share_one_notation() {
    let t = log_ticks(1e-6, 1e3, false, "");
    assert_eq!(t.labels, ["10⁻⁶", "10⁻⁴", "10⁻²", "1", "10²", "10⁴"]);
    let t = log_ticks(1e-9, 1e20, false, "");
    assert!(
        t.labels.len() <= 7 && t.labels[0] == "10⁻⁹",
        "{:?}",
        t.labels
    );
    let t = log_ticks(2e-5, 8e-5, true, "");
    assert_eq!(t.labels, ["2×10⁻⁵", "8×10⁻⁵"]);
    assert_eq!(decade_label(14), "100T");
    assert_eq!(decade_label(-3), "0.001");
    assert_eq!(power_label(-4), "10⁻⁴");
    assert_eq!(power_label(15), "10¹⁵");
}

#[test]
fn linear_ticks_are_nice() {
    let t = linear_ticks(0.0, 7.3, false, "");
    assert_eq!(t.labels, ["0", "2", "4", "6", "8"]);
    let t = linear_ticks(0.0, 45_000.0, false, "");
    assert_eq!(t.labels, ["0", "10k", "20k", "30k", "40k", "50k"]);
    let t = linear_ticks(-3.2, 7.5, false, "");
    assert_eq!(
        t.labels,
        ["-4", "-2", "0", "2", "4", "6", "8"][..t.labels.len()]
    );
    assert!(t.lo <= -3.2 && t.hi >= 7.5);
    let t = linear_ticks(0.0, 37.0, true, "%");
    assert_eq!((t.lo, t.hi), (0.0, 37.0));
    assert_eq!(t.labels, ["0%", "10%", "20%", "30%"]);
    let t = linear_ticks(0.0, 1.0, false, "");
    assert_eq!(t.labels, ["0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
    let t = linear_ticks(0.0, 2.3, false, "");
    assert_eq!(t.labels, ["0", "0.5", "1.0", "1.5", "2.0", "2.5"]);
    let t = linear_ticks(0.0, 3.1e12, false, "");
    assert_eq!(t.labels, ["0", "1T", "2T", "3T", "4T"]);
}

/// From zero, the nice cover of a value: the tightest 1-2-5 step with 3 to
/// 6 intervals.
#[test]
fn nice_steps_from_zero() {
    let cases = [
        (7.3, 8.0, 2.0),
        (64.2, 80.0, 20.0),
        (0.84, 1.0, 0.2),
        (10.0, 10.0, 2.0),
        (1.0, 1.0, 0.2),
        (3.0, 3.0, 1.0),
        (11.0, 12.0, 2.0),
        (41.0, 50.0, 10.0),
        (0.06, 0.06, 0.02),
        (1e12, 1e12, 2e11),
    ];
    for (v, max, step) in cases {
        let (a, b, s) = nice_step(0.0, v).unwrap();
        assert_eq!(a, 0.0);
        assert!((b - max).abs() <= 1e-9 * max, "{v} → {b}");
        assert!((s - step).abs() <= 1e-9 * step, "{v} → {s}");
    }
}

#[test]
fn compact_numbers() {
    let cases = [
        (4500.0, "4.5k"),
        (0.0123, "0.0123"),
        (2.5e6, "2.5M"),
        (100.0, "100"),
        (1.0, "1"),
        (-12.5, "-12.5"),
        (0.0, "0"),
        (1e-7, "1.00e-7"),
        (f64::NAN, "n/a"),
    ];
    for (v, want) in cases {
        assert_eq!(fmt_num(v), want, "{v}");
    }
}
