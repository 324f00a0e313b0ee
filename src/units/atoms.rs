//! The table of unit atoms (`GB`, `h`, `$`, `image`, …) and suggestions for misspelt ones.

use crate::diag::suggest::{suggestions, Vocabulary};

/// One entry of the unit table.
pub(super) struct Atom {
    /// Symbol as the author writes it.
    pub(super) sym: &'static str,
    /// Base-unit value of one of it.
    pub(super) factor: f64,
    /// Dimension exponents.
    pub(super) dim: [i8; 6],
    /// English name, used in did-you-mean hints.
    pub(super) name: &'static str,
    /// Canonical spelling for display (`USD` → `$`, `us` → `µs`).
    pub(super) canon: &'static str,
    /// Count nouns (image, GPU, …) can shadow names in expressions, so they are flagged.
    pub(super) count: bool,
}

const fn atom(sym: &'static str, factor: f64, dim: [i8; 6], name: &'static str) -> Atom {
    Atom {
        sym,
        factor,
        dim,
        name,
        canon: sym,
        count: false,
    }
}

const fn alias(
    sym: &'static str,
    canon: &'static str,
    factor: f64,
    dim: [i8; 6],
    name: &'static str,
) -> Atom {
    Atom {
        sym,
        factor,
        dim,
        name,
        canon,
        count: false,
    }
}

const fn count(sym: &'static str) -> Atom {
    Atom {
        sym,
        factor: 1.0,
        dim: [0; 6],
        name: "count (dimensionless)",
        canon: sym,
        count: true,
    }
}

const T: [i8; 6] = [1, 0, 0, 0, 0, 0];
const D: [i8; 6] = [0, 1, 0, 0, 0, 0];
const L: [i8; 6] = [0, 0, 1, 0, 0, 0];
const M: [i8; 6] = [0, 0, 0, 1, 0, 0];
const C: [i8; 6] = [0, 0, 0, 0, 1, 0];
const F: [i8; 6] = [0, 0, 0, 0, 0, 1];
const DR: [i8; 6] = [-1, 1, 0, 0, 0, 0];
const FR: [i8; 6] = [-1, 0, 0, 0, 0, 1];
const HZ: [i8; 6] = [-1, 0, 0, 0, 0, 0];
const E: [i8; 6] = [-2, 0, 2, 1, 0, 0];
const P: [i8; 6] = [-3, 0, 2, 1, 0, 0];
const ONE: [i8; 6] = [0; 6];

/// Seconds in a day; `month` and `year` are fixed multiples of it (30 and 365 days).
const DAY: f64 = 86_400.0;
/// A bit is an eighth of a byte.
const BIT: f64 = 0.125;

/// Every unit symbol labgen understands. Order matters only for the order of suggestions.
pub(super) const ATOMS: &[Atom] = &[
    // time
    atom("s", 1.0, T, "second"),
    atom("second", 1.0, T, "second"),
    atom("seconds", 1.0, T, "second"),
    atom("ms", 1e-3, T, "millisecond"),
    alias("us", "µs", 1e-6, T, "microsecond"),
    atom("µs", 1e-6, T, "microsecond"),
    alias("μs", "µs", 1e-6, T, "microsecond"),
    atom("ns", 1e-9, T, "nanosecond"),
    atom("min", 60.0, T, "minute"),
    atom("minute", 60.0, T, "minute"),
    atom("minutes", 60.0, T, "minute"),
    atom("h", 3600.0, T, "hour"),
    atom("hour", 3600.0, T, "hour"),
    atom("hours", 3600.0, T, "hour"),
    atom("d", DAY, T, "day"),
    atom("day", DAY, T, "day"),
    atom("days", DAY, T, "day"),
    atom("week", 7.0 * DAY, T, "week"),
    atom("weeks", 7.0 * DAY, T, "week"),
    atom("month", 30.0 * DAY, T, "month (30 days)"),
    atom("months", 30.0 * DAY, T, "month (30 days)"),
    atom("year", 365.0 * DAY, T, "year (365 days)"),
    atom("years", 365.0 * DAY, T, "year (365 days)"),
    // data, decimal prefixes
    atom("B", 1.0, D, "byte"),
    atom("byte", 1.0, D, "byte"),
    atom("bytes", 1.0, D, "byte"),
    atom("KB", 1e3, D, "kilobyte (1000 B)"),
    atom("kB", 1e3, D, "kilobyte (1000 B)"),
    atom("MB", 1e6, D, "megabyte"),
    atom("GB", 1e9, D, "gigabyte"),
    atom("TB", 1e12, D, "terabyte"),
    atom("PB", 1e15, D, "petabyte"),
    atom("EB", 1e18, D, "exabyte"),
    // data, binary prefixes (exact powers of two)
    atom("KiB", 1024.0, D, "kibibyte (1024 B)"),
    atom("MiB", 1_048_576.0, D, "mebibyte"),
    atom("GiB", 1_073_741_824.0, D, "gibibyte"),
    atom("TiB", 1_099_511_627_776.0, D, "tebibyte"),
    atom("PiB", 1_125_899_906_842_624.0, D, "pebibyte"),
    atom("EiB", 1_152_921_504_606_846_976.0, D, "exbibyte"),
    // bits
    atom("bit", BIT, D, "bit"),
    atom("bits", BIT, D, "bit"),
    atom("b", BIT, D, "bit"),
    atom("Kb", 1e3 * BIT, D, "kilobit"),
    atom("kbit", 1e3 * BIT, D, "kilobit"),
    atom("Kbit", 1e3 * BIT, D, "kilobit"),
    atom("Mb", 1e6 * BIT, D, "megabit"),
    atom("Mbit", 1e6 * BIT, D, "megabit"),
    atom("Gb", 1e9 * BIT, D, "gigabit"),
    atom("Gbit", 1e9 * BIT, D, "gigabit"),
    atom("Tb", 1e12 * BIT, D, "terabit"),
    atom("Tbit", 1e12 * BIT, D, "terabit"),
    // link rates, bits per second
    atom("bps", BIT, DR, "bit per second"),
    atom("Kbps", 1e3 * BIT, DR, "kilobit per second"),
    atom("kbps", 1e3 * BIT, DR, "kilobit per second"),
    atom("Mbps", 1e6 * BIT, DR, "megabit per second"),
    atom("Gbps", 1e9 * BIT, DR, "gigabit per second"),
    atom("Tbps", 1e12 * BIT, DR, "terabit per second"),
    // length
    atom("m", 1.0, L, "metre"),
    atom("km", 1e3, L, "kilometre"),
    atom("cm", 1e-2, L, "centimetre"),
    atom("mm", 1e-3, L, "millimetre"),
    atom("mi", 1609.344, L, "mile"),
    atom("ft", 0.3048, L, "foot"),
    // mass
    atom("g", 1e-3, M, "gram"),
    atom("kg", 1.0, M, "kilogram"),
    // currency
    atom("$", 1.0, C, "US dollar"),
    alias("USD", "$", 1.0, C, "US dollar"),
    // compute
    atom("FLOP", 1.0, F, "floating-point operation"),
    atom("KFLOP", 1e3, F, "kilo-FLOP"),
    atom("MFLOP", 1e6, F, "mega-FLOP"),
    atom("GFLOP", 1e9, F, "giga-FLOP"),
    atom("TFLOP", 1e12, F, "tera-FLOP"),
    atom("PFLOP", 1e15, F, "peta-FLOP"),
    atom("EFLOP", 1e18, F, "exa-FLOP"),
    atom("MAC", 2.0, F, "multiply-accumulate (2 FLOP)"),
    atom("MMAC", 2e6, F, "mega-MAC (2e6 FLOP)"),
    atom("GMAC", 2e9, F, "giga-MAC (2e9 FLOP)"),
    atom("TMAC", 2e12, F, "tera-MAC (2e12 FLOP)"),
    atom("OP", 1.0, F, "operation (counted as 1 FLOP)"),
    atom("MOP", 1e6, F, "mega-operation"),
    atom("GOP", 1e9, F, "giga-operation"),
    atom("TOP", 1e12, F, "tera-operation"),
    // compute rates
    atom("FLOPS", 1.0, FR, "FLOP per second"),
    atom("MFLOPS", 1e6, FR, "mega-FLOP per second"),
    atom("GFLOPS", 1e9, FR, "giga-FLOP per second"),
    atom("TFLOPS", 1e12, FR, "tera-FLOP per second"),
    atom("PFLOPS", 1e15, FR, "peta-FLOP per second"),
    atom("GOPS", 1e9, FR, "giga-operation per second"),
    atom("TOPS", 1e12, FR, "tera-operation per second"),
    // energy
    atom("J", 1.0, E, "joule"),
    atom("pJ", 1e-12, E, "picojoule"),
    atom("nJ", 1e-9, E, "nanojoule"),
    alias("uJ", "µJ", 1e-6, E, "microjoule"),
    atom("µJ", 1e-6, E, "microjoule"),
    alias("μJ", "µJ", 1e-6, E, "microjoule"),
    atom("mJ", 1e-3, E, "millijoule"),
    atom("kJ", 1e3, E, "kilojoule"),
    atom("MJ", 1e6, E, "megajoule"),
    atom("GJ", 1e9, E, "gigajoule"),
    atom("Wh", 3600.0, E, "watt-hour"),
    atom("kWh", 3.6e6, E, "kilowatt-hour"),
    atom("MWh", 3.6e9, E, "megawatt-hour"),
    atom("GWh", 3.6e12, E, "gigawatt-hour"),
    // power
    atom("W", 1.0, P, "watt"),
    atom("mW", 1e-3, P, "milliwatt"),
    alias("uW", "µW", 1e-6, P, "microwatt"),
    atom("µW", 1e-6, P, "microwatt"),
    alias("μW", "µW", 1e-6, P, "microwatt"),
    atom("kW", 1e3, P, "kilowatt"),
    atom("MW", 1e6, P, "megawatt"),
    atom("GW", 1e9, P, "gigawatt"),
    // frequency
    atom("Hz", 1.0, HZ, "hertz"),
    atom("kHz", 1e3, HZ, "kilohertz"),
    atom("MHz", 1e6, HZ, "megahertz"),
    atom("GHz", 1e9, HZ, "gigahertz"),
    // dimensionless
    atom("%", 0.01, ONE, "percent"),
    atom("ppm", 1e-6, ONE, "part per million"),
    atom("x", 1.0, ONE, "times (a ratio)"),
    // count nouns: documentation only, factor 1
    count("image"),
    count("images"),
    count("img"),
    count("sample"),
    count("samples"),
    count("item"),
    count("items"),
    count("step"),
    count("steps"),
    count("batch"),
    count("batches"),
    count("epoch"),
    count("epochs"),
    count("node"),
    count("nodes"),
    count("GPU"),
    count("GPUs"),
    count("device"),
    count("devices"),
    count("request"),
    count("requests"),
    count("file"),
    count("files"),
    count("worker"),
    count("workers"),
    count("token"),
    count("tokens"),
    count("param"),
    count("params"),
    count("parameter"),
    count("parameters"),
];

/// Misspellings common enough to deserve a specific explanation rather than a did-you-mean.
const SPECIAL_HINTS: &[(&str, &str)] = &[
    (
        "FLOPs",
        "`FLOPs` is ambiguous: write `FLOP` for an amount of compute or `FLOP/s` for a rate",
    ),
    (
        "flops",
        "write `FLOP` for an amount of compute or `FLOP/s` for a rate",
    ),
    (
        "Bps",
        "write `B/s` for bytes per second (`bps` is bits per second)",
    ),
    (
        "KBps",
        "write `KB/s` for bytes per second (`Kbps` is bits per second)",
    ),
    (
        "MBps",
        "write `MB/s` for bytes per second (`Mbps` is bits per second)",
    ),
    (
        "GBps",
        "write `GB/s` for bytes per second (`Gbps` is bits per second)",
    ),
    (
        "TBps",
        "write `TB/s` for bytes per second (`Tbps` is bits per second)",
    ),
    ("sec", "did you mean `s`?"),
    ("secs", "did you mean `s`?"),
    ("hr", "did you mean `h`?"),
    ("hrs", "did you mean `h`?"),
    ("mins", "did you mean `min`?"),
    ("yr", "did you mean `year`?"),
    ("yrs", "did you mean `year`?"),
    ("dollar", "write `$` (or `USD`)"),
    ("dollars", "write `$` (or `USD`)"),
];

pub(super) fn find_atom(sym: &str) -> Option<&'static Atom> {
    ATOMS.iter().find(|a| a.sym == sym)
}

/// True if `word` is a unit symbol on its own (`GB`, `min`, `image`), as opposed to a compound
/// unit. The expression tokenizer uses this to decide whether a word after a number is a unit.
pub fn is_unit_atom(word: &str) -> bool {
    find_atom(word).is_some()
}

/// True if `word` is one of the count nouns (`image`, `GPU`, `worker`, …), which are
/// dimensionless units with factor 1.
pub fn is_count_noun(word: &str) -> bool {
    find_atom(word).is_some_and(|a| a.count)
}

/// English name of a unit symbol (`Gbps` → "gigabit per second"), for messages.
pub fn unit_name(word: &str) -> Option<&'static str> {
    find_atom(word).map(|a| a.name)
}

/// A did-you-mean hint for an unknown unit symbol, or `None` if nothing is close.
pub fn suggest_unit(word: &str) -> Option<String> {
    if let Some((_, hint)) = SPECIAL_HINTS.iter().find(|(w, _)| *w == word) {
        return Some((*hint).to_string());
    }
    if let Some(prefix) = word.strip_suffix("FLOPs") {
        return Some(format!(
            "`{word}` is ambiguous: write `{prefix}FLOP` for an amount of compute or \
             `{prefix}FLOP/s` for a rate"
        ));
    }
    let found = suggestions(word, ATOMS.iter().map(|a| a.sym), Vocabulary::Symbols);
    if found.is_empty() {
        return None;
    }
    let described: Vec<String> = found
        .iter()
        .map(|s| match unit_name(s) {
            Some(name) => format!("`{s}` ({name})"),
            None => format!("`{s}`"),
        })
        .collect();
    Some(format!("did you mean {}?", join_or(&described)))
}

/// Joins alternatives as "a", "a or b", "a, b or c".
fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
