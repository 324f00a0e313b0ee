//! In-process PDF rendering of the lab book with Typst.
//!
//! The HTML book is the primary output of labgen; this module adds a printable
//! PDF edition without shelling out to any program. A generator writes Typst
//! markup that imports the lab-book prelude ([`BOOK_TYP`], served to the
//! document as `/book.typ`) and calls its layout functions with string
//! literals made by [`super::typst::string`]. [`compile`] then turns that markup, plus
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
//! # LaTeX
//!
//! [`latex_to_typst`] converts LaTeX math (as written in MathPeek panels) to
//! Typst math with the `mitex` crate, then repairs what mitex 0.2 gets wrong
//! for Typst 0.15: symbols Typst has renamed since (`\partial` came out as
//! `diff`, `\cap` as `sect`, `\langle` as `angle.l`), and `|x|` pairs that
//! mitex spaces out so that Typst sets them as relations. mitex's output also
//! calls helpers such as `mitexsqrt(..)` or `#textmath[..]` that its Typst
//! package would define; the prelude defines the ones a lab book can meet.
//! Finally the formula is laid out once on its own, so a formula that
//! converts but would not compile is an `Err` here, naming the LaTeX
//! command, rather than a failure of the whole book later.
//!
//! # Concurrency and cost
//!
//! Both entry points are thread-safe and can run in parallel (e.g. from
//! rayon). Fonts and the standard library are loaded once per process; Typst
//! caches evaluation results globally, so a second compilation of similar
//! markup (the key after the student edition) is faster. A ten-page sample
//! compiles in about 0.2 s in a release build.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{LazyLock, OnceLock};

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{
    ast, FileId, LinkedNode, RootedPath, Source, SyntaxKind, VirtualPath, VirtualRoot,
};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

/// The lab-book prelude: page setup and the layout functions (`lab`, `act`,
/// `question`, ...). Each function's arguments are documented in the file.
///
/// [`compile`] serves it as the virtual file `/book.typ` unless `files`
/// brings its own `/book.typ`, so documents start with
/// `#import "/book.typ": *`.
pub const BOOK_TYP: &str = include_str!("../../theme/book.typ");

/// Virtual path of the prelude inside every compiled document.
pub const BOOK_TYP_PATH: &str = "/book.typ";

/// Virtual path given to the `main` markup. Paths in `main` resolve relative
/// to it (so `"plots/3.svg"` and `"/plots/3.svg"` name the same file), and a
/// file in `files` with this path is shadowed by `main`.
pub const MAIN_PATH: &str = "/main.typ";

// DejaVu Sans regular and bold (Bitstream Vera licence, see
// theme/fonts/LICENSE-DejaVu.txt). Typst's own embedded fonts have no
// proportional sans face; headings, tables and SVG plot labels need one.
// The paths are relative to this file: module in src/, fonts in theme/fonts/.
const SANS_REGULAR: &[u8] = include_bytes!("../../theme/fonts/DejaVuSans.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../../theme/fonts/DejaVuSans-Bold.ttf");

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
struct BookWorld {
    shared: &'static Shared,
    main: Source,
    files: HashMap<FileId, VirtualFile>,
    /// The document's date as Unix seconds, if any.
    epoch: Option<i64>,
}

impl BookWorld {
    fn new(
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

// ---------------------------------------------------------------------------
// LaTeX math.

/// Names that mitex's output may call which are not Typst built-ins; the
/// prelude defines each of them (a unit test checks that). Output naming
/// anything outside Typst's math scope and this list is rejected.
const MITEX_PRELUDE_NAMES: &[&str] = &[
    "mitexsqrt",
    "mitexmathbf",
    "mitexdisplay",
    "mitexinline",
    "mitexscript",
    "mitexsscript",
    "mitexbold",
    "mitexupright",
    "mitexitalic",
    "mitexsans",
    "mitexfrak",
    "mitexmono",
    "mitexcal",
    "mitexoverbrace",
    "mitexunderbrace",
    "mitexoverbracket",
    "mitexunderbracket",
    "textmath",
    "textmd",
    "textnormal",
    "textbf",
    "textit",
    "textrm",
    "textup",
    "textsf",
    "texttt",
    "operatorname",
    "operatornamewithlimits",
    "negthinspace",
    "negthinmedspace",
    "negmedspace",
    "negthickspace",
    "enspace",
    "tfrac",
    "dfrac",
    "cfrac",
    "dbinom",
    "tbinom",
    "overset",
    "underset",
    "stackrel",
    "boxed",
    "colortext",
    "aligned",
    "pmod",
    "pod",
    "mitexcolor",
    "mitexlabel",
    "rcases",
    "phantom",
    "hphantom",
    "vphantom",
    "big",
    "Big",
    "bigg",
    "Bigg",
    "mathbin",
    "mathrel",
    "mathop",
    "mathord",
    "mathopen",
    "mathclose",
    "mathpunct",
    "substack",
    "hbox",
    "fbox",
    "xcancel",
    "bcancel",
    "matrix",
    "pmatrix",
    "bmatrix",
    "Bmatrix",
    "vmatrix",
    "Vmatrix",
    "smallmatrix",
    "argmax",
    "argmin",
    "middle",
    "xrightarrow",
    "xleftarrow",
    "underbar",
];

/// Converts LaTeX math (the body of `$...$`, without the dollars) to Typst
/// math markup (also without dollars), ready to be placed between `$ ` and
/// ` $` (display) or `$` and `$` (inline) in a document that imports the
/// prelude.
///
/// Supported: what the `mitex` crate converts and Typst can then lay out
/// with the prelude, which covers the usual formula vocabulary: `\frac`,
/// `\sqrt`, sub- and superscripts, `\mathrm` and friends, `\text`, Greek
/// letters, relations (`\le`, `\approx`, ...), operators (`\times`,
/// `\cdot`, `\sum`, `\max`, `\sup`, ...), `\left( ... \right)`, `|x|`,
/// spacing (`\,`, `\;`, `\quad`, `\qquad`), and the `aligned`, `cases`
/// and matrix environments.
///
/// Errors (never panics): unbalanced braces, an unknown command, a command
/// with no Typst counterpart here (such as `\cite` or `\hspace`), or
/// output that does not compile, each with a message naming the culprit.
/// Each call lays the formula out once to check it (a few milliseconds).
pub fn latex_to_typst(latex: &str) -> Result<String, String> {
    check_braces(latex)?;
    // mitex panics on a few malformed inputs (e.g. `\includegraphics` without
    // an argument); that must not end the build. The default panic hook
    // still prints the message to stderr.
    let latex = escape_dollars(latex);
    let raw = catch_unwind(|| mitex::convert_math(&latex, None))
        .map_err(|_| String::from("LaTeX conversion failed (mitex panicked)"))?
        .map_err(|e| e.trim().trim_start_matches("error: ").to_string())?;
    let typst = tighten_bars(&rename_symbols(&raw));
    let root = typst::syntax::parse_math(&typst);
    let (errors, _) = root.errors_and_warnings();
    if let Some(err) = errors.first() {
        return Err(format!(
            "LaTeX converted to invalid Typst math ({}): {typst}",
            err.message
        ));
    }
    check_names(&LinkedNode::new(&root))?;
    trial_compile(&typst)?;
    Ok(typst)
}

/// Lays the converted math out once, alone, so that every remaining problem
/// (a symbol variant Typst does not know, a helper called with the wrong
/// arguments) is reported here, against the formula, rather than later in
/// the book. Costs a few milliseconds; the prelude's evaluation is cached
/// between calls.
fn trial_compile(typst: &str) -> Result<(), String> {
    let source = format!(
        "#import \"{BOOK_TYP_PATH}\": *\n#set page(width: 20cm, height: auto, margin: 1cm)\n$ {typst} $\n"
    );
    let world = BookWorld::new(&source, &[], None).map_err(|e| join_messages(&e))?;
    let result = catch_unwind(AssertUnwindSafe(|| {
        typst::compile::<PagedDocument>(&world).output.map(|_| ())
    }));
    match result {
        Ok(Ok(())) => Ok(()),
        Ok(Err(errors)) => Err(format!(
            "LaTeX converted to Typst math that does not compile ({}): {typst}",
            errors
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        )),
        Err(_) => Err(String::from(
            "internal error in the Typst compiler (it panicked)",
        )),
    }
}

fn join_messages(errors: &[EngineError]) -> String {
    errors
        .iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Symbols that mitex 0.2 emits under names Typst 0.14/0.15 has since
/// renamed or removed, as (old dotted prefix, new prefix). A prefix also
/// covers longer paths: `plus.circle.big` becomes `plus.o.big`.
const RENAMED_SYMBOLS: &[(&str, &str)] = &[
    ("diff", "partial"),
    ("sect", "inter"),
    ("angle.l", "chevron.l"),
    ("angle.r", "chevron.r"),
    ("bracket.l.double", "bracket.l.stroked"),
    ("bracket.r.double", "bracket.r.stroked"),
    ("dot.circle", "dot.o"),
    ("plus.circle", "plus.o"),
    ("minus.circle", "minus.o"),
    ("times.circle", "times.o"),
    ("ast.circle", "ast.op.o"),
    ("circle.nested", "compose.o"),
    ("dash.circle", "dash.o"),
    ("arrow.l.dash", "arrow.l.dashed"),
    ("arrow.r.dash", "arrow.r.dashed"),
    ("planck.reduce", "planck"),
];

/// Applies [`RENAMED_SYMBOLS`] to every symbol path in `typst` math.
fn rename_symbols(typst: &str) -> String {
    let root = typst::syntax::parse_math(typst);
    let mut edits = Vec::new();
    collect_renames(&LinkedNode::new(&root), &mut edits);
    let mut out = typst.to_string();
    // Back to front, so earlier ranges stay valid.
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    for (range, new) in edits {
        if out.get(range.clone()).is_some() {
            out.replace_range(range, &new);
        }
    }
    out
}

fn collect_renames(node: &LinkedNode, edits: &mut Vec<(std::ops::Range<usize>, String)>) {
    let is_path = matches!(
        node.kind(),
        SyntaxKind::MathIdent | SyntaxKind::MathFieldAccess
    );
    // Only whole paths: not the `dots.h` inside `dots.h.c`.
    let inside_path = node.parent_kind() == Some(SyntaxKind::MathFieldAccess);
    if is_path && !inside_path {
        let path = node.get().full_text();
        let renamed = RENAMED_SYMBOLS.iter().find_map(|(old, new)| {
            let rest = path.strip_prefix(old)?;
            (rest.is_empty() || rest.starts_with('.')).then(|| format!("{new}{rest}"))
        });
        if let Some(renamed) = renamed {
            edits.push((node.range(), renamed));
        }
        return;
    }
    for child in node.children() {
        collect_renames(&child, edits);
    }
}

/// Makes `|x|` pairs tight.
///
/// mitex separates every token with spaces, and Typst sets a `|` with spaces
/// on both sides as a relation (`| x |`), while LaTeX authors mean absolute
/// values or norms. Within each group (a call's parentheses, or literal
/// `\(..\)` / `\[..\]`), when the bars of one kind (`|` or `||`) come in an
/// even number, they are paired left to right and the space inside each pair
/// is removed. A lone bar, as in `P(A | B)`, keeps its spacing.
fn tighten_bars(typst: &str) -> String {
    let bytes = typst.as_bytes();
    // Per open group: bars as (start, len).
    let mut groups: Vec<Vec<(usize, usize)>> = vec![Vec::new()];
    let mut cut: Vec<std::ops::Range<usize>> = Vec::new();
    let mut content_depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\\' {
            match bytes.get(i + 1) {
                Some(b'(' | b'[') if content_depth == 0 => groups.push(Vec::new()),
                Some(b')' | b']') if content_depth == 0 && groups.len() > 1 => {
                    close_group(&mut groups, bytes, &mut cut);
                }
                _ => {}
            }
            i += 2;
            continue;
        }
        if content_depth > 0 {
            // Inside `#textmath[...]`: text, not math.
            match b {
                b'[' => content_depth += 1,
                b']' => content_depth -= 1,
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'[' => content_depth = 1,
            b'(' => groups.push(Vec::new()),
            // An unbalanced `)` must not close the outermost group.
            b')' if groups.len() > 1 => close_group(&mut groups, bytes, &mut cut),
            b'|' => {
                let len = if bytes.get(i + 1) == Some(&b'|') {
                    2
                } else {
                    1
                };
                if let Some(group) = groups.last_mut() {
                    group.push((i, len));
                }
                i += len;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    while !groups.is_empty() {
        close_group(&mut groups, bytes, &mut cut);
    }
    let mut out = typst.to_string();
    cut.sort_by_key(|r| std::cmp::Reverse(r.start));
    for range in cut {
        if out.get(range.clone()).is_some() {
            out.replace_range(range, "");
        }
    }
    out
}

/// Pops the innermost group and records the spaces to cut inside its bar
/// pairs.
fn close_group(
    groups: &mut Vec<Vec<(usize, usize)>>,
    bytes: &[u8],
    cut: &mut Vec<std::ops::Range<usize>>,
) {
    let Some(bars) = groups.pop() else { return };
    for len in [1, 2] {
        let same: Vec<usize> = bars.iter().filter(|b| b.1 == len).map(|b| b.0).collect();
        if same.len() < 2 || !same.len().is_multiple_of(2) {
            continue;
        }
        for pair in same.chunks(2) {
            if let [open, close] = pair {
                // Spaces right after the opening bar and right before the
                // closing one. `get` keeps this total even if the bars were
                // ever out of order.
                let after = open + len;
                let inside = bytes.get(after..*close).unwrap_or_default();
                let lead = inside
                    .iter()
                    .take_while(|b| b.is_ascii_whitespace())
                    .count();
                let trail = inside[lead..]
                    .iter()
                    .rev()
                    .take_while(|b| b.is_ascii_whitespace())
                    .count();
                let end = after + lead;
                let start = close - trail;
                if end > after {
                    cut.push(after..end);
                }
                if *close > start {
                    cut.push(start..*close);
                }
            }
        }
    }
}

/// Replaces `\$` with `\textdollarsign`: mitex turns `\$` inside `\text{..}`
/// into the word "dollar", while `\textdollarsign` gives a `$` in both text
/// and math.
fn escape_dollars(latex: &str) -> String {
    let mut out = String::with_capacity(latex.len());
    let mut chars = latex.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('$') => out.push_str("\\textdollarsign "),
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// mitex silently closes unbalanced groups; a missing brace is almost always
/// a typo, so it is reported instead.
fn check_braces(latex: &str) -> Result<(), String> {
    let mut depth: usize = 0;
    let mut chars = latex.chars();
    while let Some(c) = chars.next() {
        match c {
            // `\{`, `\}` and `\\` are literal characters, not groups.
            '\\' => {
                chars.next();
            }
            '{' => depth += 1,
            '}' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| String::from("unbalanced braces: unexpected '}'"))?;
            }
            _ => {}
        }
    }
    if depth == 0 {
        Ok(())
    } else {
        Err(format!("unbalanced braces: {depth} '{{' not closed"))
    }
}

/// Every identifier in mitex's output must be a Typst math or global name
/// or one of the prelude's mitex helpers.
fn check_names(node: &LinkedNode) -> Result<(), String> {
    let name = match node.kind() {
        SyntaxKind::MathIdent => node.cast::<ast::MathIdent>().map(|i| i.get().clone()),
        SyntaxKind::Ident => node.cast::<ast::Ident>().map(|i| i.get().clone()),
        _ => None,
    };
    if let Some(name) = name {
        // Field names (`dot.c`, `arrow.l.double`) are children of a
        // FieldAccess after the first; only the head is looked up.
        let parent = node.parent_kind();
        let is_field = matches!(
            parent,
            Some(SyntaxKind::FieldAccess | SyntaxKind::MathFieldAccess)
        ) && node.prev_sibling().is_some();
        // The name of a named argument (`delim: ..`) is not a variable.
        let is_arg_name = parent == Some(SyntaxKind::Named) && node.prev_sibling().is_none();
        if !is_field && !is_arg_name && !is_known_name(&name) {
            return Err(format!(
                "LaTeX command converted to `{name}`, which has no Typst equivalent here"
            ));
        }
    }
    for child in node.children() {
        check_names(&child)?;
    }
    Ok(())
}

fn is_known_name(name: &str) -> bool {
    let library = &SHARED.library;
    MITEX_PRELUDE_NAMES.contains(&name)
        || library.math.scope().get(name).is_some()
        || library.global.scope().get(name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::typst::{escape, string};

    const EXAMPLES: &[&str] = &[
        r"\eta_{\mathrm{GPU}} = \frac{t_{\mathrm{compute}}}{\max\left(t_{\mathrm{compute}},\; t_{\mathrm{I/O}},\; t_{\mathrm{prep}}\right)} \qquad \text{feeding tax} = 1 - \eta_{\mathrm{GPU}}",
        r"T = \sqrt{2 \delta M}",
        r"\tau_{\mathrm{opt}} \approx \sqrt{2\,\delta\,M} + \delta",
        r"D = \sup_x |F_1(x) - F_2(x)|",
        r"a \times b \approx c \le d \quad e",
    ];

    fn doc(body: &str) -> String {
        format!("#import \"/book.typ\": *\n#show: book.with(title: \"Test\")\n{body}\n")
    }

    #[test]
    fn deterministic() {
        let src = doc("= Hello\n#lorem(50)\n$ x^2 $\n#figure-svg(\"/a.svg\", caption: [A])");
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40" font-family="system-ui, sans-serif"><text x="4" y="20">Hi</text></svg>"##;
        let files = vec![("/a.svg".to_string(), svg.to_vec())];
        let a = compile(&src, &files, None).expect("compiles");
        let b = compile(&src, &files, None).expect("compiles");
        assert!(a.starts_with(b"%PDF-"));
        assert_eq!(a, b);
    }

    #[test]
    fn error_in_main_has_line_and_column() {
        let src = "Hello\n\nworld #undefined-thing(1)\n";
        let errors = compile(src, &[], None).expect_err("must fail");
        let e = &errors[0];
        assert!(e.message.contains("unknown variable"), "{e}");
        assert_eq!(
            (e.line, e.column, e.file.as_deref()),
            (Some(3), Some(8), None)
        );
    }

    #[test]
    fn error_in_prelude_points_at_call_site() {
        // `banner` needs a known tone; the failure is raised in /book.typ
        // but reported at the call in main.
        let src = doc("\n#banner(\"purple\", [T], [B])");
        let errors = compile(&src, &[], None).expect_err("must fail");
        let e = &errors[0];
        assert_eq!(e.file.as_deref(), Some("/book.typ"), "{e}");
        assert_eq!(e.line, Some(4), "{e}");
    }

    #[test]
    fn missing_file_is_an_error() {
        let errors = compile("#image(\"/nope.svg\")", &[], None).expect_err("must fail");
        assert!(errors[0].message.contains("not found"), "{}", errors[0]);
        assert_eq!(errors[0].line, Some(1));
    }

    #[test]
    fn latex_examples_compile() {
        let mut body = String::new();
        for ex in EXAMPLES {
            let t = latex_to_typst(ex).unwrap_or_else(|e| panic!("{ex}: {e}"));
            body.push_str(&format!("$ {t} $\n"));
        }
        compile(&doc(&body), &[], None).unwrap_or_else(|e| panic!("{e:?}\n{body}"));
    }

    #[test]
    fn bad_latex_is_an_error() {
        for bad in [
            r"\frac{1}{2",
            r"x}",
            r"\notacommand{x}",
            r"\cite{knuth}",
            r"\includegraphics",
            r"\hspace{1cm}",
        ] {
            assert!(latex_to_typst(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn latex_fixups() {
        let conv = |l: &str| latex_to_typst(l).unwrap_or_else(|e| panic!("{l}: {e}"));
        // Symbols renamed in Typst 0.14/0.15.
        assert!(conv(r"\partial x").contains("partial"));
        assert!(conv(r"A \cap B").contains("inter"));
        assert!(conv(r"\langle x \rangle").contains("chevron.l"));
        assert!(conv(r"\bigoplus_i x_i").contains("plus.o.big"));
        // Bars: pairs tight, a lone bar (conditional) keeps its spaces.
        assert_eq!(tighten_bars("| x |  +  | y | "), "|x|  +  |y| ");
        assert_eq!(tighten_bars("P \\(A | B \\)"), "P \\(A | B \\)");
        assert_eq!(tighten_bars("|| v || "), "||v|| ");
        assert_eq!(
            tighten_bars("#textmath[a | b]; | x |"),
            "#textmath[a | b]; |x|"
        );
        // A dollar in text stays a dollar; text cannot inject code.
        assert!(conv(r"\text{cost in \$}").contains("\\$"));
        assert!(conv(r"\text{#panic()}").contains("\\#panic"));
        // Environments and helpers from the prelude.
        conv(r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}");
        conv(r"\begin{aligned} a &= b \\ &= c \end{aligned}");
        conv(r"\sqrt[3]{x} + \tfrac{1}{2} + \operatorname{argmax}_x f(x)");
    }

    #[test]
    fn markup_escape_neutralises_markup() {
        assert_eq!(escape("a*b*"), "a\\*b\\*");
        assert_eq!(escape("1. item"), "1\\. item");
        assert_eq!(escape("v1.2"), "v1.2");
        assert_eq!(string("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
    }

    #[test]
    fn source_date_epoch_is_the_document_date() {
        // Only the timestamp conversion is tested here: setting the variable
        // would race with the other tests, which run in parallel.
        assert!(timestamp_from_epoch(1_700_000_000).is_some());
        assert!(timestamp_from_epoch(i64::MAX).is_none());
    }

    #[test]
    fn prelude_defines_every_mitex_name() {
        let body: String = MITEX_PRELUDE_NAMES
            .iter()
            .map(|n| format!("#let _ = {n}\n"))
            .collect();
        compile(&doc(&body), &[], None).unwrap_or_else(|e| panic!("{e:?}"));
    }

    #[test]
    fn escapes_round_trip() {
        // typst_str: the string value is exactly the input.
        let nasty = "a \"quoted\" \\ back\nslash\t\u{1} # $x$ [c] //";
        let codes: Vec<String> = nasty.chars().map(|c| u32::from(c).to_string()).collect();
        let src = format!(
            "#assert.eq({}, ({},).map(str.from-unicode).join())",
            string(nasty),
            codes.join(", ")
        );
        compile(&src, &[], None).unwrap_or_else(|e| panic!("{e:?}\n{src}"));

        // typst_markup_escape: the markup is plain text equal to the input.
        let text = "back\\slash # $x$ *b* _i_ [c] <l> @r ~ = + - // 1. `r` -5 -- 2.5 h=1 a:b";
        let src = format!(
            "#let plain(c) = if c.has(\"text\") {{ c.text }} else if c.has(\"children\") {{ c.children.map(plain).join() }} else {{ \" \" }}\n\
             #assert.eq(plain[{}], {})",
            escape(text),
            string(text)
        );
        compile(&src, &[], None).unwrap_or_else(|e| panic!("{e:?}\n{src}"));
    }

    #[test]
    fn epoch_conversion() {
        assert_eq!(civil_from_epoch(0), Some((1970, 1, 1, 0, 0, 0)));
        assert_eq!(
            civil_from_epoch(1_700_000_000),
            Some((2023, 11, 14, 22, 13, 20))
        );
        assert_eq!(civil_from_epoch(951_782_400), Some((2000, 2, 29, 0, 0, 0)));
    }
}
