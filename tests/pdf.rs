//! The PDF editions. Most checks read the generated Typst source (fast, no
//! typesetting); one test typesets the bundled book and reads the PDFs'
//! text back, and checks that two builds give the same bytes.

#![cfg(feature = "pdf")]

use labgen::render::typst::{document, markdown, Document, Edition};
use std::path::Path;
use std::sync::OnceLock;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Leaves LaTeX as it is, in quotes, so tests can see where math went.
fn stub(latex: &str) -> Result<String, String> {
    Ok(format!("\"{latex}\""))
}

#[test]
fn markdown_becomes_typst_markup() {
    let typ = markdown(
        "A *story* with **bold**, `code` and \\(t_{\\mathrm{I/O}}\\).\n\n- one\n- two\n\nCosts $4,500 # not a heading",
        &stub,
    )
    .unwrap();
    assert_eq!(
        typ,
        "A #emph[story] with #strong[bold], #raw(\"code\") and $\"t_{\\mathrm{I/O}}\"$.\n\n- one\n- two\n\nCosts \\$4,500 \\# not a heading"
    );
}

#[test]
fn a_math_error_names_the_latex() {
    let err = markdown("See \\(\\frac{1}\\).", &|_| Err("bad fraction".to_string())).unwrap_err();
    assert_eq!(err, "`\\frac{1}`: bad fraction");
}

/// The bundled book's Typst source for both editions (with the real LaTeX
/// converter).
fn sources() -> &'static (Document, Document) {
    static S: OnceLock<(Document, Document)> = OnceLock::new();
    S.get_or_init(|| {
        let config = labgen::config::load(root()).unwrap();
        let (missions, shared, d) =
            labgen::mission::load_book(root(), &root().join(&config.missions));
        assert!(!d.has_errors(), "{d}");
        let models: Vec<_> = missions
            .iter()
            .map(|m| labgen::model::compile(m).unwrap())
            .collect();
        let sweeps: Vec<_> = missions
            .iter()
            .zip(&models)
            .map(|(m, model)| {
                let (plan, _) = labgen::plan::plan(m, model);
                labgen::sweep::run(m, model, &plan.requests).unwrap()
            })
            .collect();
        let labs: Vec<labgen::render::Lab> = missions
            .iter()
            .zip(&models)
            .zip(&sweeps)
            .map(|((mission, model), sweep)| labgen::render::Lab {
                mission,
                model,
                sweep,
            })
            .collect();
        let (_, _, key) = labgen::keys::render(&config, &labs).unwrap();
        let to_math = |l: &str| labgen::render::pdf::latex_to_typst(l);
        let student = document(&config, &labs, &shared, "v", Edition::Student, &to_math).unwrap();
        let graders = document(&config, &labs, &shared, "v", Edition::Key(&key), &to_math).unwrap();
        (student, graders)
    })
}

#[test]
fn every_lab_and_act_is_in_the_source() {
    let (student, _) = sources();
    for title in [
        "The Data Gravity Trap",
        "The Data Engineering Audit",
        "The Data Factory: Gravity and Drift",
        "Storage at Fleet Scale",
    ] {
        assert!(
            student.source.contains(&format!("#lab(\"{title}\"")),
            "{title}"
        );
    }
    assert!(student
        .source
        .contains("#act(\"The Pipeline Bottleneck\", duration: \"12-15 min\", number: 1)"));
    assert!(student.source.contains("#contents()"));
    assert!(student.source.contains("= Constants and sources"));
}

#[test]
fn the_student_edition_has_no_answers_and_the_key_has_them() {
    let (student, graders) = sources();
    assert!(student.source.contains("label: \"Prediction\")"));
    assert!(!student.source.contains("answer: \"B\""));
    assert!(student.source.contains("answer: none"));
    assert!(!student.source.contains("Prediction vs reality"));
    // The key marks the right option and restates every feedback.
    assert!(graders
        .source
        .contains("answer: \"B\", label: \"Prediction\")"));
    assert!(graders.source.contains("Prediction vs reality"));
    // Task answers per track: the Young-Daly optimum of the fleet lab.
    assert!(graders
        .source
        .contains("#states-table((\"Track\", \"Answer\", \"Accepted\")"));
    assert!(student.source.contains("Your answer: #box"));
}

#[test]
fn plots_are_the_pages_svgs() {
    let (student, _) = sources();
    let (path, svg) = student
        .files
        .iter()
        .find(|(p, _)| p.starts_with("/plots/data-gravity-trap-pipeline-"))
        .expect("the pipeline act's timeline");
    assert!(student.source.contains(&format!("#figure-svg(\"{path}\"")));
    let svg = String::from_utf8(svg.clone()).unwrap();
    assert!(svg.starts_with("<svg"));
    // The page's default state: HDD, 4 workers.
    let build = labgen::build(root()).unwrap();
    let page = build
        .files
        .iter()
        .find(|f| f.path == Path::new("data-gravity-trap.html"))
        .unwrap();
    assert!(String::from_utf8_lossy(&page.bytes).contains(&svg));
}

#[test]
fn the_pdfs_carry_the_book_and_are_reproducible() {
    let a = labgen::build(root()).unwrap_or_else(|d| panic!("{d}"));
    let pdf = &a
        .files
        .iter()
        .find(|f| f.path == Path::new("lab-book.pdf"))
        .expect("the book's PDF")
        .bytes;
    let key = &a
        .keys
        .iter()
        .find(|f| f.path == Path::new("lab-book-key.pdf"))
        .expect("the key's PDF")
        .bytes;
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_extract::extract_text_from_mem(pdf).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "The Data Gravity Trap",
        "Storage at Fleet Scale",
        "Constants and sources",
        "Your answer:",
    ] {
        assert!(flat.contains(needle), "{needle} not in the PDF text");
    }
    let key_text = pdf_extract::extract_text_from_mem(key).unwrap();
    let key_flat = key_text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(key_flat.contains("Prediction vs reality"));
    assert!(!flat.contains("Prediction vs reality"));
    // Byte-identical on a second build.
    let b = labgen::build(root()).unwrap();
    let again = &b
        .files
        .iter()
        .find(|f| f.path == Path::new("lab-book.pdf"))
        .unwrap()
        .bytes;
    assert!(pdf == again, "the PDF differs between two builds");
}
