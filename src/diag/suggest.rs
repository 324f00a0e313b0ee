//! Did-you-mean suggestions for misspelt names, units and functions.
//!
//! One ranking serves every hint in labgen. What differs between hints is the vocabulary: names
//! an author declared forgive more edits than the short built-in symbols, where a wide net would
//! catch a different unit rather than the intended one. Distances come from `strsim`.

/// The kind of word being corrected, which decides how typos are counted and how many guesses
/// are worth showing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vocabulary {
    /// Names declared in the book (controls, formulas, scenarios, …): up to a third of the name
    /// may be wrong (at least one edit, at most three), case is ignored, and the one closest name
    /// is suggested, the alphabetically first among equally close ones.
    Names,
    /// Built-in symbols (unit atoms, function names): a swap of two adjacent characters is one
    /// edit, so `Gpbs` is one away from `Gbps`. Words of 2–3 characters allow one edit, longer
    /// ones two, a single character none (every guess would be as good as any). Candidates equal
    /// ignoring case all count (`gb` suggests both `GB` and `Gb`); otherwise ties are broken by
    /// the case-sensitive distance, then by candidate order. At most three are kept.
    Symbols,
}

/// Symbols longer than this get no suggestion: nobody misspells a 40-character unit, and
/// skipping them keeps hostile input cheap.
const LONGEST_SYMBOL: usize = 40;

impl Vocabulary {
    /// Largest distance, ignoring case, at which a candidate still counts as a likely typo of
    /// a word of `len` characters.
    fn max_distance(self, len: usize) -> usize {
        match self {
            Vocabulary::Names => (len / 3).clamp(1, 3),
            Vocabulary::Symbols => match len {
                0 | 1 => 0,
                2 | 3 => 1,
                _ => 2,
            },
        }
    }

    /// Edit distance in characters: plain Levenshtein for names, optimal string alignment
    /// (adjacent swaps cost one) for symbols.
    fn distance(self, a: &str, b: &str) -> usize {
        match self {
            Vocabulary::Names => strsim::levenshtein(a, b),
            Vocabulary::Symbols => strsim::osa_distance(a, b),
        }
    }
}

/// The candidates `word` was most likely meant to be, best first; empty when nothing is close
/// enough to be a plausible typo. See [`Vocabulary`] for what counts as close.
pub fn suggestions<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    vocabulary: Vocabulary,
) -> Vec<&'a str> {
    let len = word.chars().count();
    if vocabulary == Vocabulary::Symbols && len > LONGEST_SYMBOL {
        return Vec::new();
    }
    let lower = word.to_lowercase();
    let max = vocabulary.max_distance(len);
    // (distance ignoring case, tie-breaker distance, candidate order, candidate)
    let mut scored: Vec<(usize, usize, usize, &'a str)> = Vec::new();
    for (i, c) in candidates.into_iter().enumerate() {
        if vocabulary == Vocabulary::Symbols && c == word {
            continue;
        }
        let ci = vocabulary.distance(&lower, &c.to_lowercase());
        if ci > max {
            continue;
        }
        scored.push(match vocabulary {
            // Equally close names are ordered alphabetically.
            Vocabulary::Names => (ci, 0, 0, c),
            // Case-only variants are ranked by table order (`GB` before `Gb`), not by how many
            // letters differ in case.
            Vocabulary::Symbols if ci == 0 => (0, 0, i, c),
            Vocabulary::Symbols => (ci, vocabulary.distance(word, c), i, c),
        });
    }
    scored.sort_unstable();
    let Some(&(best_ci, best_cs, _, best)) = scored.first() else {
        return Vec::new();
    };
    match vocabulary {
        Vocabulary::Names => vec![best],
        Vocabulary::Symbols => {
            // Case-only differences are all equally plausible (`gb` could be `GB` or `Gb`).
            let keep_all_case_matches = best_ci == 0;
            scored
                .iter()
                .filter(|s| s.0 == best_ci && (keep_all_case_matches || s.1 == best_cs))
                .take(3)
                .map(|s| s.3)
                .collect()
        }
    }
}

/// The declared name closest to `name`, for "did you mean" hints; `None` when nothing is close
/// enough to be a plausible typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    suggestions(name, candidates, Vocabulary::Names)
        .into_iter()
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["workers", "storage", "t_io"];
        assert_eq!(did_you_mean("workerz", names), Some("workers"));
        assert_eq!(did_you_mean("storag", names), Some("storage"));
        assert_eq!(did_you_mean("bandwidth", names), None);
    }

    #[test]
    fn equally_close_names_are_suggested_alphabetically() {
        assert_eq!(did_you_mean("cat", ["hat", "bat"]), Some("bat"));
        assert_eq!(did_you_mean("Workers", ["workers"]), Some("workers"));
    }

    #[test]
    fn a_swap_is_one_edit_for_symbols_and_two_for_names() {
        assert_eq!(Vocabulary::Symbols.distance("ab", "ba"), 1);
        assert_eq!(Vocabulary::Names.distance("ab", "ba"), 2);
        assert_eq!(Vocabulary::Symbols.distance("", "abc"), 3);
    }

    #[test]
    fn symbols_keep_every_case_variant_and_at_most_three() {
        let units = ["GB", "Gb", "gB", "gb", "MB"];
        assert_eq!(
            suggestions("GB", units, Vocabulary::Symbols),
            vec!["Gb", "gB", "gb"]
        );
        assert_eq!(
            suggestions("G", units, Vocabulary::Symbols),
            Vec::<&str>::new()
        );
        let long = "G".repeat(LONGEST_SYMBOL + 1);
        assert!(suggestions(&long, [long.as_str()], Vocabulary::Symbols).is_empty());
    }
}
