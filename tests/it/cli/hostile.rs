//! Hostile input (empty, not UTF-8, random bytes, huge numbers, deep
//! nesting): an error, never a panic; and regressions, each test named
//! after a bug that was fixed.

use super::*;

// ---------------------------------------------------------------------------
// Hostile input: an error, never a panic
// ---------------------------------------------------------------------------

/// The mission is rejected with exit code 1 and at least one located error.
#[track_caller]
fn assert_rejected(run: &Run) {
    assert_eq!(run.code, 1, "stderr:\n{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l.contains(": error: ")),
        "no error line in stderr:\n{}",
        run.stderr
    );
}

#[test]
fn empty_mission_file() {
    let book = Book::new();
    book.write(MISSION, "");
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:1:1: error: the mission file is empty
  help: a mission needs at least `id`, `title` and `acts`; see the README
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn invalid_utf8_mission_file() {
    let book = Book::new();
    let mut bytes = book.read(MISSION).into_bytes();
    bytes.splice(0..0, [0xff, 0xfe, 0x80]);
    book.write(MISSION, bytes);
    let run = book.fails();
    assert_rejected(&run);
    assert_line(
        &run,
        "missions/mini.yaml:1:1: error: cannot read the file: stream did not contain valid UTF-8",
    );
}

#[test]
fn random_bytes_never_panic() {
    // A fixed xorshift generator keeps the inputs the same from run to run.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let book = Book::new();
    // Raw bytes (mostly invalid UTF-8), then YAML punctuation soup.
    let yamlish = b"{}[]:-,'\"|>#&*!%@` \n\t ab01.e_";
    for round in 0..6 {
        let len = 50 + (next() % 400) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                let r = next();
                if round < 2 {
                    r as u8
                } else {
                    yamlish[(r % yamlish.len() as u64) as usize]
                }
            })
            .collect();
        book.write(MISSION, &bytes);
        assert_rejected(&book.fails());
    }
}

#[test]
fn huge_number_in_a_quantity() {
    let book = Book::new();
    book.edit(MISSION, "    value: 30 s", "    value: 1e999 s");
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:30:12: error: `1e999 s` is not a quantity: number `1e999` is too large
  help: numbers must be below about 1.8e308
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn huge_number_in_an_expression() {
    let book = Book::new();
    book.edit(MISSION, "\"t_a + t_setup\"", "\"t_a + t_setup * 1e999\"");
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:61:62: error: number `1e999` is too large
  help: numbers must be below about 1.8e308
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn huge_bare_number() {
    let book = Book::new();
    book.edit(MISSION, "    value: 30 s", "    value: 1e999");
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:30:12: error: this number is too large
  help: numbers must be below about 1.8e308
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn deeply_nested_expression() {
    let book = Book::new();
    let nested = format!("{}t_setup{}", "(".repeat(1000), ")".repeat(1000));
    book.edit(MISSION, "\"t_a + t_setup\"", &format!("\"t_a + {nested}\""));
    let run = book.fails();
    assert_rejected(&run);
    // The column is somewhere inside the run of parentheses, wherever the
    // depth limit is reached.
    let line = line_starting(&run, "missions/mini.yaml:61:");
    assert!(
        line.ends_with(": error: expression is nested too deeply"),
        "{line}"
    );
    assert_line(&run, "  help: split it into several named formulas");
}

#[test]
fn deeply_nested_yaml() {
    let book = Book::new();
    let nested = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    book.edit(MISSION, "title: Mini Lab", &format!("title: {nested}"));
    let run = book.fails();
    assert_rejected(&run);
    line_starting(&run, "missions/mini.yaml:6:8: error: ");
}

#[test]
fn slider_with_ten_thousand_positions() {
    let book = Book::new();
    book.edit(MISSION, "    max: 8\n", "    max: 10000\n");
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:44:11: error: the slider has 10000 positions; at most 1000 are allowed
  help: use a larger `step` or a list of `stops`: every position is precomputed
labgen: 1 error(s), 0 warning(s); nothing was written
",
    );
}

#[test]
fn empty_acts() {
    let book = Book::new();
    // Everything from `acts:` on becomes `acts: []`.
    let text = book.read(MISSION);
    let cut = text.find("\nacts:\n").expect("the fixture has acts");
    book.write(MISSION, format!("{}\nacts: []\n", &text[..cut]));
    let run = book.fails();
    assert_rejected(&run);
    // WANTING: located at the mission's `id` value (4:5), not at `acts: []`.
    let line = line_starting(&run, "missions/mini.yaml:");
    assert!(line.ends_with(": error: the mission has no acts"), "{line}");
    assert_line(&run, "  help: add an `acts:` list with at least one act");
    // The controls of the removed acts are now shown nowhere.
    assert!(
        run.stderr
            .ends_with("labgen: 1 error(s), 3 warning(s); nothing was written\n"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------
// Regressions: each test is named after a bug that was fixed.
// ---------------------------------------------------------------------------

#[test]
fn out_never_deletes_the_book_sources() {
    let book = Book::new();
    let run = book.build_into(book.root());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("it holds the book's sources (book.toml, missions); choose a separate folder such as book/"),
        "{}",
        run.stderr
    );
    assert!(book.root().join(CONFIG).exists(), "book.toml was deleted");
    assert!(
        book.root().join(MISSION).exists(),
        "the mission was deleted"
    );
}

#[test]
fn out_never_replaces_a_folder_labgen_did_not_write() {
    let book = Book::new();
    let foreign = book.root().join("thesis");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("thesis.txt"), "mine").unwrap();
    let run = book.build_into(&foreign);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("it holds files labgen did not write; choose a new or empty folder"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(foreign.join("thesis.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn unclosed_reference_is_located_where_it_is() {
    let book = Book::new();
    // Line 87 holds `{{ size }}` too; the unclosed one is on line 88.
    book.edit(
        MISSION,
        "The whole job takes {{ t_total }}.",
        "The whole job takes {{ size",
    );
    let run = book.fails();
    assert_line(
        &run,
        "missions/mini.yaml:88:27: error: unclosed value reference `{{`",
    );
}
