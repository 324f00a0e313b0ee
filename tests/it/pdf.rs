//! The PDF editions. Most checks read the generated Typst source (fast, no
//! typesetting); one test typesets the bundled book and reads the PDFs'
//! text back, and checks that two builds give the same bytes.

#![cfg(feature = "pdf")]

use labgen::render::typst::{document, markdown, Document, Edition};
use std::sync::OnceLock;

use crate::util::{build_errors, bundled_with_pdf, file, root, temp_book};

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
    assert_eq!(err.to_string(), "`\\frac{1}`: bad fraction");
}

/// Inline math that KaTeX accepts but print cannot set is reported at the
/// `\(` that opens it, with the LaTeX, and the build writes nothing.
#[test]
fn a_math_error_in_prose_is_located_at_its_opening_bracket() {
    let mission = r#"id: gap
title: A gap
constants:
  - { id: w, tex: 'w', value: 2 m, unit: m }
formulas:
  - { id: twice, label: Twice, expr: "2 * w", unit: m, tex: 'W' }
acts:
  - id: one
    title: One
    story: |
      The first line is fine.
      Then \(a \smash{b}\) leaves a gap.
"#;
    let dir = temp_book(&[("gap.yaml", mission)]);
    let err = build_errors(dir.path());
    let first = err.lines().next().unwrap();
    assert_eq!(
        first,
        "missions/gap.yaml:12:12: error: the inline math does not convert for the PDF: `a \\smash{b}`: unknown command: \\smash",
        "{err}"
    );
    assert!(
        err.contains("help: check the math between \\( and \\)"),
        "{err}"
    );
}

/// The bundled book's Typst source for both editions (with the real LaTeX
/// converter), and its HTML pages.
struct Sources {
    student: Document,
    graders: Document,
    pages: Vec<labgen::OutputFile>,
}

fn sources() -> &'static Sources {
    static S: OnceLock<Sources> = OnceLock::new();
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
        let answers: Vec<_> = missions
            .iter()
            .zip(&models)
            .zip(&sweeps)
            .map(|((m, model), sweep)| labgen::check::run(m, model, sweep).0)
            .collect();
        let labs: Vec<labgen::book::Lab> = missions
            .iter()
            .zip(&models)
            .zip(&sweeps)
            .zip(&answers)
            .map(|(((mission, model), sweep), answers)| labgen::book::Lab {
                mission,
                model,
                sweep,
                answers,
            })
            .collect();
        let book = labgen::book::Book::new(labs, &shared);
        let (key, _, _) = labgen::key::build(&config, &book).unwrap();
        let to_math = |l: &str| labgen::render::math::typst::latex_to_typst(l);
        // The figure stage draws every plot once, for the page and print.
        let figures = labgen::figure::states::draw(&book.labs).unwrap();
        let pages = labgen::render::html_book(&config, &book, &figures).unwrap();
        let student = document(&config, &book, Edition::Student, &to_math, &figures).unwrap();
        let graders = document(&config, &book, Edition::Key(&key), &to_math, &figures).unwrap();
        Sources {
            student,
            graders,
            pages,
        }
    })
}

#[test]
fn every_lab_and_act_is_in_the_source() {
    let student = &sources().student;
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
fn every_mathpeek_carries_its_model_and_assumptions() {
    let source = &sources().student.source;
    let panels = source.matches("#mathpeek(").count();
    assert!(panels >= 11, "{panels} MathPeek panels");
    assert_eq!(source.matches(", assumptions: [").count(), panels);
}

#[test]
fn the_student_edition_has_no_answers_and_the_key_has_them() {
    let Sources {
        student, graders, ..
    } = sources();
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
    let student = &sources().student;
    let (path, svg) = student
        .files
        .iter()
        .find(|(p, _)| p.starts_with("/plots/data-gravity-trap-pipeline-"))
        .expect("the pipeline act's timeline");
    assert!(student.source.contains(&format!("#figure-svg(\"{path}\"")));
    let svg = String::from_utf8(svg.clone()).unwrap();
    assert!(svg.starts_with("<svg"));
    // The page's default state: HDD, 4 workers.
    let page = file(&sources().pages, "data-gravity-trap.html");
    assert!(String::from_utf8_lossy(&page.bytes).contains(&svg));
}

#[test]
fn the_pdfs_carry_the_book_and_are_reproducible() {
    let a = bundled_with_pdf();
    let pdf = &file(&a.files, "lab-book.pdf").bytes;
    let key = &file(&a.keys, "lab-book-key.pdf").bytes;
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
    // A value in a worked example keeps its thousands separator tight (math
    // would set a lone comma as punctuation: "800, 000 s").
    assert!(flat.contains("800,000 s"), "{flat}");
    let key_text = pdf_extract::extract_text_from_mem(key).unwrap();
    let key_flat = key_text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(key_flat.contains("Prediction vs reality"));
    assert!(!flat.contains("Prediction vs reality"));
    // Byte-identical on a second build.
    let b = labgen::build(root()).unwrap();
    let again = &file(&b.files, "lab-book.pdf").bytes;
    assert!(pdf == again, "the PDF differs between two builds");
}

#[test]
fn a_wide_table_of_states_is_turned_on_its_side() {
    let student = &sources().student;
    // Act 1 of the audit: three controls and three cards fit as columns.
    assert!(student.source.contains("#states-table((\"State\", \"Dataset size\", \"Distance between the sites\", \"Network link between the sites\", \"Network transfer time\", \"Shipping time\", \"Effective bandwidth of the shipment\"), ((\"Scale tier 1 on the reference line\", \"10 GB\", \"3,000 km\""));
    // Act 2: three states and eight columns become a column per state.
    assert!(student.source.contains("#states-table((\"\", \"The team's pipeline (JSON, four workers, SATA SSD)\", \"Re-encoded as Protobuf\", \"Moved to an NVMe SSD\"), ((\"Serialization format\", \"JSON\", \"Protobuf\", \"JSON\"), (\"Data-loader workers\", \"4\", \"4\", \"4\"), (\"Storage\", \"SATA SSD\", \"SATA SSD\", \"NVMe SSD (PCIe Gen3)\"), (\"GPU idle (the feeding tax)\", \"73.2%\", \"0.0%\", \"73.2%\")"));
}

#[test]
fn a_worked_line_comes_whole_and_broken_at_its_equals_signs() {
    let student = &sources().student;
    // The first step of the audit's crossover example: 1 PB over 10 Gbps.
    let one = "$ T _(upright(w i r e )) = frac(D ,B W _(upright(l i n k ))) = frac(#textmath[1 PB];,#textmath[10 Gbps];) = #textmath[800\\,000 s]; approx  #textmath[9.3 days]; $";
    let broken = "$ T _(upright(w i r e )) &= frac(D ,B W _(upright(l i n k ))) \\\n  &= frac(#textmath[1 PB];,#textmath[10 Gbps];) \\\n  &= #textmath[800\\,000 s]; approx  #textmath[9.3 days]; $";
    assert!(
        student.source.contains(&format!(
            "(\"An archive across the country\", {one}, {broken})"
        )),
        "{}",
        &student.source[student.source.find("worked: (").unwrap()..][..600]
    );
}
