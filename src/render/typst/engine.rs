//! The Typst engine: the World the compiler sees (the prelude, the
//! bundled fonts, the virtual files, the build's date) and [`compile`],
//! which turns a document's markup into PDF bytes, in-process.
//!
//! The HTML book is the primary output of labgen; this module adds a printable
//! PDF edition without shelling out to any program. A generator writes Typst
//! markup that imports the lab-book prelude ([`BOOK_TYP`], served to the
//! document as `/book.typ`) and calls its layout functions with string
//! literals made by [`super::string`]. [`compile`] then turns that markup, plus
//! any virtual files it references (the SVG plots), into PDF bytes.
//!
//! ```text
//! #import "/book.typ": *
//! #show: book.with(title: "Machine Learning Systems Labs", edition: "Student edition")
//! #lab("The Data Gravity Trap", number: 4, meta: (("Duration", "35-40 min"),))
//! #figure-svg("/plots/3.svg", caption: [One training step.])
//! ```
//!
//! # Determinism
//!
//! The same input gives byte-identical PDFs, which keeps builds reproducible
//! and lets snapshot tests compare output:
//!
//! * Only fonts compiled into the binary are used (Typst's embedded Libertinus
//!   Serif, New Computer Modern (Math) and DejaVu Sans Mono, plus DejaVu Sans
//!   regular and bold from `theme/fonts/`); system fonts are never scanned.
//! * No timestamp is written unless the build has a date (the
//!   `SOURCE_DATE_EPOCH` environment variable, read with `book.toml` into
//!   the configuration); then that time is the document date and the
//!   answer of Typst's `datetime.today()`. Without it `datetime.today()` is an
//!   error rather than a hidden source of change.
//! * The PDF identifier is derived by typst-pdf from the document title and
//!   authors (`PdfOptions::ident` left at `Auto`), not from a random value.
//!
//! # Fonts in SVG images
//!
//! labgen's plots declare `font-family="system-ui, sans-serif"`. Typst's SVG
//! loader ignores generic families and, when no named family matches, falls
//! back to the text font in effect where the image is placed. The prelude's
//! `figure-svg` therefore places every image under `text(font: "DejaVu Sans")`,
//! so plot labels come out in the bundled sans font, bold where the SVG asks.
//!
//! # Concurrency and cost
//!
//! [`compile`] and the LaTeX converter, which lays formulas out in this
//! World ([`crate::render::math::typst::latex_to_typst`]), are thread-safe
//! and can run in parallel (e.g. from rayon). Fonts and the standard
//! library are loaded once per process; Typst caches evaluation results
//! globally, so a second compilation of similar markup (the key after the
//! student edition) is faster. A ten-page sample compiles in about 0.2 s in
//! a release build.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{LazyLock, OnceLock};

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

#[cfg(test)]
pub(crate) mod tests;

/// The lab-book prelude: page setup and the layout functions (`lab`, `act`,
/// `question`, ...). Each function's arguments are documented in the file.
///
/// [`compile`] serves it as the virtual file `/book.typ` unless `files`
/// brings its own `/book.typ`, so documents start with
/// `#import "/book.typ": *`.
pub const BOOK_TYP: &str = include_str!("../../../theme/book.typ");

/// Virtual path of the prelude inside every compiled document.
pub const BOOK_TYP_PATH: &str = "/book.typ";

/// Virtual path given to the `main` markup. Paths in `main` resolve relative
/// to it (so `"plots/3.svg"` and `"/plots/3.svg"` name the same file), and a
/// file in `files` with this path is shadowed by `main`.
pub const MAIN_PATH: &str = "/main.typ";

// DejaVu Sans regular and bold (Bitstream Vera licence, see
// theme/fonts/LICENSE-DejaVu.txt). Typst's own embedded fonts have no
// proportional sans face; headings, tables and SVG plot labels need one.
// The paths are relative to this file: module in src/render/typst/, fonts
// in theme/fonts/.
const SANS_REGULAR: &[u8] = include_bytes!("../../../theme/fonts/DejaVuSans.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../../../theme/fonts/DejaVuSans-Bold.ttf");

/// An error (or warning) from Typst, located in the caller's markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineError {
    /// What went wrong, as Typst words it.
    pub message: String,
    /// Typst's hints on how to fix it, plus, for an error raised inside
    /// another virtual file, where exactly in that file.
    pub hints: Vec<String>,
    /// 1-based line in `main`. For an error inside another file (usually the
    /// prelude) this is the line of the call in `main` that led there, when
    /// Typst's trace names one. `None` when no position is known.
    pub line: Option<usize>,
    /// 1-based column (in characters) on `line`.
    pub column: Option<usize>,
    /// `None` when the error lies in `main`; otherwise the virtual path of the
    /// file where it was raised, such as `"/book.typ"` or `"/plots/3.svg"`.
    pub file: Option<String>,
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(col)) => write!(f, "{line}:{col}: ")?,
            (Some(line), None) => write!(f, "{line}: ")?,
            _ => {}
        }
        f.write_str(&self.message)?;
        if let Some(file) = &self.file {
            write!(f, " (in {file})")?;
        }
        for hint in &self.hints {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for EngineError {}

impl EngineError {
    /// An error that has no position in any file.
    fn plain(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hints: Vec::new(),
            line: None,
            column: None,
            file: None,
        }
    }
}

/// Compiles Typst markup to PDF bytes, in-process.
///
/// `main` is the document's source. `files` are virtual files it can reach
/// by absolute path, such as `("/plots/3.svg", svg_bytes)` for
/// `figure-svg("/plots/3.svg")`. The prelude [`BOOK_TYP`] is always
/// available as `/book.typ` unless `files` overrides it.
///
/// Warnings are dropped; use [`compile_with_warnings`] to see them. On
/// failure every error is returned, each located in `main` where possible.
///
/// `epoch` is the document's date as Unix seconds (the build's
/// `SOURCE_DATE_EPOCH`); without it the PDF has no date. The output is
/// byte-identical for identical input and identical `epoch`.
pub fn compile(
    main: &str,
    files: &[(String, Vec<u8>)],
    epoch: Option<i64>,
) -> Result<Vec<u8>, Vec<EngineError>> {
    compile_with_warnings(main, files, epoch).map(|(pdf, _)| pdf)
}

/// Like [`compile`], but also returns Typst's warnings (for example an
/// unknown font family or a label that is never referenced), located the
/// same way as errors.
pub fn compile_with_warnings(
    main: &str,
    files: &[(String, Vec<u8>)],
    epoch: Option<i64>,
) -> Result<(Vec<u8>, Vec<EngineError>), Vec<EngineError>> {
    let world = BookWorld::new(main, files, epoch)?;
    // Typst is well tested but large; a bug in it must not take the whole
    // labgen build down, so a panic becomes an ordinary error here.
    let result = catch_unwind(AssertUnwindSafe(|| run(&world)));
    // Typst memoizes across compilations in a global cache. Dropping entries
    // unused for a few compilations bounds memory in long runs while keeping
    // the cache warm for the student and key editions built back to back.
    typst::comemo::evict(10);
    match result {
        Ok(outcome) => outcome,
        Err(_) => Err(vec![EngineError::plain(
            "internal error in the Typst compiler (it panicked)",
        )]),
    }
}

/// Compile, lay out and export `world`'s main file.
fn run(world: &BookWorld) -> Result<(Vec<u8>, Vec<EngineError>), Vec<EngineError>> {
    let warned = typst::compile::<PagedDocument>(world);
    let mut warnings: Vec<EngineError> = warned.warnings.iter().map(|d| world.locate(d)).collect();
    let document = warned
        .output
        .map_err(|errors| errors.iter().map(|d| world.locate(d)).collect::<Vec<_>>())?;
    let options = PdfOptions {
        // Fixed creator string: the default embeds the Typst version, which
        // is fine too, but naming labgen tells readers where the file came
        // from.
        creator: Smart::Custom(Some(String::from("labgen (Typst)"))),
        timestamp: world.epoch.and_then(timestamp_from_epoch),
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| errors.iter().map(|d| world.locate(d)).collect::<Vec<_>>())?;
    warnings.dedup();
    Ok((pdf, warnings))
}

// ---------------------------------------------------------------------------
// The World: what Typst sees of the outside.

/// State shared by every compilation: the standard library and the fonts.
/// Building them takes a while (parsing ~20 fonts), so it is done once.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// The prelude, parsed once: every trial compilation of a formula
    /// imports it, and parsing 800 lines each time would dominate.
    prelude: Option<Source>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let mut fonts: Vec<Font> = typst_kit::fonts::embedded().map(|(font, _)| font).collect();
    for data in [SANS_REGULAR, SANS_BOLD] {
        fonts.extend(Font::iter(Bytes::new(data)));
    }
    let book = FontBook::from_fonts(&fonts);
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(book),
        fonts,
        prelude: file_id(BOOK_TYP_PATH)
            .ok()
            .map(|id| Source::new(id, BOOK_TYP.to_string())),
    }
});

/// One virtual file: its bytes and, once asked for, its parse as Typst.
struct VirtualFile {
    bytes: Bytes,
    source: OnceLock<FileResult<Source>>,
}

/// The world of one compilation: `main`, the virtual files, shared fonts.
pub(crate) struct BookWorld {
    shared: &'static Shared,
    main: Source,
    files: HashMap<FileId, VirtualFile>,
    /// The document's date as Unix seconds, if any.
    epoch: Option<i64>,
}

impl BookWorld {
    /// The world of `main` with `files` beside the prelude, dated `epoch`.
    pub(crate) fn new(
        main: &str,
        files: &[(String, Vec<u8>)],
        epoch: Option<i64>,
    ) -> Result<Self, Vec<EngineError>> {
        let main_id = file_id(MAIN_PATH).map_err(|e| vec![e])?;
        let mut map = HashMap::new();
        // The built-in prelude goes in first so that a caller's own
        // `/book.typ` replaces it.
        if let Some(prelude) = &SHARED.prelude {
            map.insert(
                prelude.id(),
                VirtualFile {
                    bytes: Bytes::new(BOOK_TYP.as_bytes()),
                    source: OnceLock::from(Ok(prelude.clone())),
                },
            );
        }
        for (path, bytes) in files {
            let id = file_id(path).map_err(|e| vec![e])?;
            map.insert(
                id,
                VirtualFile {
                    bytes: Bytes::new(bytes.clone()),
                    source: OnceLock::new(),
                },
            );
        }
        Ok(Self {
            shared: &SHARED,
            main: Source::new(main_id, main.to_string()),
            files: map,
            epoch,
        })
    }

    /// Turns a Typst diagnostic into an [`EngineError`] located in `main`.
    fn locate(&self, diag: &SourceDiagnostic) -> EngineError {
        let mut hints: Vec<String> = diag.hints.iter().map(|h| h.v.to_string()).collect();
        let mut line = None;
        let mut column = None;
        let mut file = None;
        let main_id = self.main.id();
        match diag.span.id() {
            Some(id) if id == main_id => {
                if let Some((l, c)) = self.line_col(diag.span) {
                    line = Some(l);
                    column = Some(c);
                }
            }
            Some(id) => {
                let path = id.vpath().get_with_slash().to_string();
                if let Some((l, c)) = self.line_col(diag.span) {
                    hints.push(format!("raised in {path} at line {l}, column {c}"));
                }
                file = Some(path);
                // The trace runs from the innermost call outwards; the first
                // point in `main` is the caller's own line.
                if let Some((l, c)) = diag
                    .trace
                    .iter()
                    .filter(|point| point.span.id() == Some(main_id))
                    .find_map(|point| self.line_col(point.span))
                {
                    line = Some(l);
                    column = Some(c);
                }
            }
            None => {}
        }
        EngineError {
            message: diag.message.to_string(),
            hints,
            line,
            column,
            file,
        }
    }

    /// 1-based line and column of the start of `span`, in whatever file it
    /// lies (Typst sources only; binary files such as SVGs have no lines).
    fn line_col(&self, span: impl Into<typst::syntax::DiagSpan>) -> Option<(usize, usize)> {
        let span = span.into();
        let id = span.id()?;
        let range = self.range(span)?;
        let source = self.source(id).ok()?;
        let (line, col) = source.lines().byte_to_line_column(range.start)?;
        Some((line + 1, col + 1))
    }
}

impl World for BookWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        let file = self.files.get(&id).ok_or_else(|| not_found(id))?;
        file.source
            .get_or_init(|| {
                let text = std::str::from_utf8(file.bytes.as_slice())
                    .map_err(|_| FileError::InvalidUtf8)?;
                Ok(Source::new(id, text.to_string()))
            })
            .clone()
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.files
            .get(&id)
            .map(|file| file.bytes.clone())
            .ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    fn today(&self, offset: Option<Duration>) -> Option<Datetime> {
        // Without SOURCE_DATE_EPOCH there is no "today": the clock would make
        // the output change from run to run.
        let epoch = self.epoch?;
        // Typst asks for local time when `offset` is None; without a time
        // zone database, UTC is the reproducible reading of "local".
        let shift = offset.map_or(0, |d| d.seconds() as i64);
        let (y, m, d, _, _, _) = civil_from_epoch(epoch.checked_add(shift)?)?;
        Datetime::from_ymd(y, m, d)
    }
}

/// Typst's standard library, as every compilation sees it (the LaTeX
/// converter checks its output's names against it).
pub(crate) fn library() -> &'static Library {
    &SHARED.library
}

/// The interned id of a virtual path in the project root.
fn file_id(path: &str) -> Result<FileId, EngineError> {
    let vpath = VirtualPath::new(path)
        .map_err(|e| EngineError::plain(format!("invalid virtual path {path:?}: {e}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(PathBuf::from(id.vpath().get_with_slash()))
}

fn timestamp_from_epoch(epoch: i64) -> Option<Timestamp> {
    let (y, mo, d, h, mi, s) = civil_from_epoch(epoch)?;
    Datetime::from_ymd_hms(y, mo, d, h, mi, s).map(Timestamp::new_utc)
}

/// Splits Unix seconds into UTC (year, month, day, hour, minute, second).
///
/// Howard Hinnant's `civil_from_days`; a dependency on chrono or time for
/// this one conversion is not worth it.
fn civil_from_epoch(epoch: i64) -> Option<(i32, u8, u8, u8, u8, u8)> {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let z = days.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe.checked_add(era.checked_mul(400)?)? + i64::from(month <= 2);
    Some((
        i32::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
        u8::try_from(secs / 3_600).ok()?,
        u8::try_from(secs % 3_600 / 60).ok()?,
        u8::try_from(secs % 60).ok()?,
    ))
}
