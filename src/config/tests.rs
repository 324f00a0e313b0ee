//! book.toml parsing: defaults, outputs, grading schemes and their errors.

use super::*;

fn root() -> PathBuf {
    // The crate root has a `missions` folder.
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn reads_defaults() {
    let c = parse("[book]\ntitle = \"T\"\n", &root()).unwrap();
    assert_eq!(c.book.title, "T");
    assert_eq!(c.book.language, "en");
    assert_eq!(c.missions, PathBuf::from("missions"));
    assert_eq!(c.output, PathBuf::from("book"));
    assert!(c.outputs.html);
    assert!(!c.outputs.exam);
    assert_eq!(c.outputs.keys, Some(KeysOutput::default()));
    assert_eq!(c.grading, Grading::default());
}

#[test]
fn reads_exam_keys_and_grading() {
    let c = parse(
        "[output.html]\nexam = true\n[output.keys]\npath = \"answers\"\n\
         [grading]\nprediction = \"correctness\"\nnumeric = \"engagement\"\n\
         tolerance = { relative = 0.05 }\nweights = { reflection = 2 }\n",
        &root(),
    )
    .unwrap();
    assert!(c.outputs.html && c.outputs.exam);
    assert_eq!(c.outputs.keys.unwrap().path, Some(PathBuf::from("answers")));
    assert_eq!(c.grading.prediction, QuestionScoring::Correctness);
    assert_eq!(c.grading.reflection, QuestionScoring::Correctness);
    assert_eq!(c.grading.numeric, NumericScoring::Engagement);
    assert_eq!(c.grading.tolerance.relative, 0.05);
    assert_eq!(c.grading.tolerance.absolute, 0.0);
    assert_eq!(c.grading.weights.reflection, 2.0);
    assert_eq!(c.grading.weights.prediction, 1.0);
}

#[test]
fn html_only_output_writes_no_keys() {
    let c = parse("[output.html]\n", &root()).unwrap();
    assert!(c.outputs.html);
    assert_eq!(c.outputs.keys, None);
}

#[test]
fn unknown_scoring_is_located() {
    let e = parse("[grading]\nreflection = \"vibes\"\n", &root()).unwrap_err();
    assert_eq!(e.location, Some(Location::new(CONFIG_FILE, 2, 14)), "{e}");
    assert!(
        e.message.contains("unknown variant `vibes`"),
        "{}",
        e.message
    );
}

#[test]
fn negative_weight_is_an_error() {
    let e = parse("[grading]\nweights = { numeric = -1 }\n", &root()).unwrap_err();
    assert_eq!(
        e.to_string().lines().next().unwrap(),
        "book.toml:1:1: error: [grading] weights.numeric must be a number of 0 or more, not -1"
    );
}

#[test]
fn unknown_key_is_located() {
    let e = parse("[book]\ntitle = \"T\"\ntitel = \"x\"\n", &root()).unwrap_err();
    assert_eq!(e.location, Some(Location::new(CONFIG_FILE, 3, 1)), "{e}");
    assert!(e.message.contains("unknown field `titel`"), "{}", e.message);
}

#[test]
fn wrong_type_is_located() {
    let e = parse("[book]\nauthors = \"me\"\n", &root()).unwrap_err();
    assert_eq!(e.location, Some(Location::new(CONFIG_FILE, 2, 11)), "{e}");
}

#[test]
fn empty_output_table_is_an_error() {
    let e = parse("[book]\ntitle = \"T\"\n[output]\n", &root()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "book.toml:3:1: error: [output] names no output, so the build would write an empty book\n  help: add `[output.html]`, or remove the [output] table to get the default outputs"
    );
}

#[test]
fn missing_missions_folder_is_located() {
    let e = parse("[build]\nmissions = \"nowhere\"\n", &root()).unwrap_err();
    assert_eq!(
        e.to_string().lines().next().unwrap(),
        "book.toml:2:12: error: the missions folder `nowhere` does not exist"
    );
}
