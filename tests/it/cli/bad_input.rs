//! One test per class of bad input: each edit breaks the fixture in one
//! way, and the build fails with exactly the diagnostic that says where and
//! how.

use super::*;

#[test]
fn yaml_mismatched_bracket() {
    let book = Book::new();
    book.edit(
        MISSION,
        "controls: [disk, workers]",
        "controls: [disk, workers}",
    );
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:76:17: error: mismatched bracket '[' closed by '}'
  help: check the YAML syntax near this position (indentation, quotes, brackets)
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn yaml_unclosed_bracket() {
    let book = Book::new();
    book.edit(
        MISSION,
        "controls: [disk, workers]",
        "controls: [disk, workers",
    );
    let run = book.fails();
    // WANTING: the parser's "illegal placement of ':' indicator" at 77:18
    // (the `:` of `instruments:` on the next line) does not say that the `[`
    // at 76:17 is never closed.
    line_starting(&run, "missions/mini.yaml:");
    assert_line(
        &run,
        "  help: check the YAML syntax near this position (indentation, quotes, brackets)",
    );
    assert!(run
        .stderr
        .ends_with("labgen: 1 error(s), 0 warning(s); nothing was written\n"));
}

#[test]
fn yaml_bad_indentation() {
    let book = Book::new();
    book.edit(MISSION, "      controls: [size]", "     controls: [size]");
    let run = book.fails();
    // WANTING: reported at 91:7 (the line after the misindented one) as
    // "while parsing a block mapping, did not find expected key", which
    // does not mention indentation.
    line_starting(&run, "missions/mini.yaml:");
    assert_line(
        &run,
        "  help: check the YAML syntax near this position (indentation, quotes, brackets)",
    );
    assert!(run
        .stderr
        .ends_with("labgen: 1 error(s), 0 warning(s); nothing was written\n"));
}

#[test]
fn mission_unknown_key() {
    let book = Book::new();
    book.edit(MISSION, "title: Mini Lab", "titel: Mini Lab");
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:6:1: error: unknown field `titel`, expected one of id, chapter, title, subtitle, duration, core_invariant, reading, tracks, constants, shared, controls, formulas, scenarios, claims, acts
  help: remove the key or fix its spelling; the README lists every key a mission accepts
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn mission_wrong_type() {
    let book = Book::new();
    book.edit(MISSION, "title: Mini Lab", "title: [Mini, Lab]");
    let run = book.fails();
    // WANTING: "expected string scalar" does not name the key, and the hint
    // (check the YAML syntax) is wrong: the syntax is fine, the type is not.
    line_starting(&run, "missions/mini.yaml:6:8: error: ");
}

#[test]
fn mission_duplicate_key() {
    let book = Book::new();
    book.edit(MISSION, "duration: 10 min", "title: Again");
    let run = book.fails();
    assert_line(
        &run,
        "missions/mini.yaml:8:1: error: key `title` is written twice in the same mapping",
    );
    assert_line(&run, "  help: remove one of the two entries");
}

#[test]
fn book_toml_unknown_key() {
    let book = Book::new();
    book.edit(CONFIG, "language = \"en\"", "lang = \"en\"");
    assert_stderr(
        &book.fails(),
        "\
book.toml:6:1: error: unknown field `lang`, expected one of `title`, `description`, `authors`, `language`
  help: see the book.toml section of the README for the accepted keys
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn book_toml_wrong_type() {
    let book = Book::new();
    book.edit(
        CONFIG,
        "authors = [\"labgen tests\"]",
        "authors = \"labgen tests\"",
    );
    let run = book.fails();
    // WANTING: the message is serde's `invalid type: string "labgen tests",
    // expected a sequence`: it names neither the key nor TOML's word for
    // the expected type (an array of strings). The location is right.
    line_starting(&run, "book.toml:5:11: error: ");
    assert_line(
        &run,
        "  help: see the book.toml section of the README for the accepted keys",
    );
}

#[test]
fn missing_book_toml() {
    let book = Book::new();
    fs::remove_file(book.root().join(CONFIG)).unwrap();
    let run = book.fails();
    // The OS error text differs between platforms: only its start is fixed.
    line_starting(&run, "book.toml:1:1: error: cannot read book.toml: ");
    assert_line(
        &run,
        &format!(
            "  help: run labgen in a book folder, or pass --root DIR pointing at one ({} not found)",
            book.root().join(CONFIG).display()
        ),
    );
}

#[test]
fn formula_unknown_name_suggests_the_closest() {
    let book = Book::new();
    book.edit(
        MISSION,
        "min(disk * workers, link_bw)",
        "min(disk * workerz, link_bw)",
    );
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:59:65: error: unknown name `workerz`
  help: did you mean `workers`?
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn formula_adds_time_and_data() {
    let book = Book::new();
    book.edit(MISSION, "\"t_a + t_setup\"", "\"t_a + size\"");
    // Only the broken formula is reported; what is built on it is skipped.
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:61:46: error: cannot add time and data: `t_a` is time (s), `size` is data (B)
  help: check the units of both sides; both must have the same dimension
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn formula_unit_does_not_match_its_dimension() {
    let book = Book::new();
    book.edit(MISSION, "unit: s, digits: 0", "unit: GB, digits: 0");
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:60:67: error: formula `t_a` is time but its unit shows data
  help: change `unit` to one that matches the expression, or fix the expression
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn formula_cycle_lists_the_path() {
    let book = Book::new();
    book.edit(MISSION, "\"size / eff_bw\"", "\"size / eff_bw + t_total\"");
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:60:44: error: formulas depend on each other in a cycle: t_a -> t_total -> t_a
  help: break the cycle: one of these formulas must be computed without the others
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn slider_default_out_of_range() {
    let book = Book::new();
    book.edit(MISSION, "    default: 2\n", "    default: 12\n");
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:48:14: error: `12` is not a position of control `workers`
  help: use a value from 1 to 8 that falls on a step of the slider
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn select_default_not_an_option_key() {
    let book = Book::new();
    book.edit(MISSION, "    default: ssd", "    default: nvme");
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:41:14: error: default `nvme` is not an option key
  help: use one of: hdd, ssd
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn prediction_correct_not_an_option() {
    let book = Book::new();
    book.edit(MISSION, "      correct: B", "      correct: E");
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:71:16: error: the correct option `E` is not one of the options
  help: use one of: A, B
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn prose_unknown_name_is_located_inside_a_block_scalar() {
    let book = Book::new();
    // The second line of `story: |` in the act `move`.
    book.edit(
        MISSION,
        "The whole job takes {{ t_total }}.",
        "The whole job takes {{ t_totl }}.",
    );
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:88:27: error: unknown name `t_totl`
  help: did you mean `t_total`?
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn prose_unknown_name_without_a_close_match() {
    let book = Book::new();
    book.edit(MISSION, "How fast does", "How {{ nmae }} does");
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:68:26: error: unknown name `nmae`
  help: refer to a formula, constant or control of this mission
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn prose_malformed_reference() {
    let book = Book::new();
    book.edit(
        MISSION,
        "The whole job takes {{ t_total }}.",
        "The whole job takes {{ t_total in s }}.",
    );
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:88:27: error: cannot read `in s` in a value reference
  help: did you mean `{{ t_total as s }}`?
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn division_by_zero_names_the_state() {
    let book = Book::new();
    // Zero readers: `eff_bw` is 0 and `t_a = size / eff_bw` divides by it.
    book.edit(MISSION, "    min: 1\n", "    min: 0\n");
    // Reported once, where the infinity starts, not in `t_total` too.
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:60:44: error: `t_a` is infinite (division by zero?) when track = lan, disk = HDD, workers = 0, size = 10 GB
  help: guard the expression (e.g. `max(x, 1 ms)` or `if(x > 0, a / x, 0)`) or narrow the control's range
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn missing_missions_folder() {
    let book = Book::new();
    book.edit(CONFIG, "missions = \"missions\"", "missions = \"labs\"");
    assert_stderr(
        &book.fails(),
        "\
book.toml:9:12: error: the missions folder `labs` does not exist
  help: create it, or set `missions` under [build] to the folder holding the mission YAML files
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn unknown_tone() {
    let book = Book::new();
    book.edit(
        MISSION,
        "label: Transfer, tone: bad",
        "label: Transfer, tone: danger",
    );
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:99:54: error: unknown tone `danger`
  help: use one of good, warn, bad, info
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn mathpeek_bad_latex_is_located_at_the_latex_field() {
    let book = Book::new();
    book.edit(MISSION, "\\frac{D}{\\min", "\\frac{D}{\\mni");
    let run = book.fails();
    let line = line_starting(
        &run,
        "missions/mini.yaml:113:14: error: the LaTeX does not render: ",
    );
    assert_eq!(
        line,
        "missions/mini.yaml:113:14: error: the LaTeX does not render: undefined control sequence: \\mni at position 14"
    );
    assert_line(
        &run,
        "  help: check the equation's syntax; KaTeX supports most of LaTeX math mode",
    );
}
