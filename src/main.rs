//! The `labgen` command line: a thin layer over the library that prints
//! diagnostics and maps results to exit codes (0 ok, 1 bad input, 2
//! internal error).

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Turns YAML mission plans into a static, offline, interactive lab book.
#[derive(Parser)]
#[command(name = "labgen", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the lab book: read book.toml and the missions, run every state,
    /// and write the HTML book.
    Build {
        /// The book folder (holding book.toml).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Where to write the book (default: `[build] output` in book.toml, else `book`).
        /// labgen replaces this folder, so it must be new, empty, or an earlier labgen output.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Where to write the answer keys, when book.toml asks for them (default:
        /// `[output.keys] path`, else `keys` next to the book). Never inside the book.
        #[arg(long, value_name = "DIR")]
        keys: Option<PathBuf>,
    },
    /// Check the book without writing anything: every error and warning that
    /// `build` would report. Exits 1 if there are errors.
    Check {
        /// The book folder (holding book.toml).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
    /// Grade student ledgers against a key: write a CSV gradebook and one
    /// report per ledger. Exits 1 if any ledger was skipped.
    Grade {
        /// The book's answers.json, from the keys folder.
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        /// Ledger files, or folders whose *.json files are ledgers.
        #[arg(value_name = "LEDGER", required = true)]
        ledgers: Vec<PathBuf>,
        /// Where to write gradebook.csv and reports/ (replaced as a whole).
        #[arg(long, default_value = "grades", value_name = "DIR")]
        out: PathBuf,
    },
}

/// Prints a failed write and maps it to an exit code: a refused folder is
/// bad input (1), a file-system failure is an internal error (2).
fn report_write(
    written: Result<(), labgen::output::WriteError>,
    what: &str,
    dir: &std::path::Path,
) -> Result<(), ExitCode> {
    match written {
        Ok(()) => Ok(()),
        Err(e @ labgen::output::WriteError::Refused { .. }) => {
            eprintln!("error: {e}");
            Err(ExitCode::from(1))
        }
        Err(e) => {
            eprintln!("error: cannot write {what} to {}: {e}", dir.display());
            Err(ExitCode::from(2))
        }
    }
}

fn main() -> ExitCode {
    // Usage mistakes are bad input (exit 1); --help and --version exit 0.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 1 } else { 0 });
        }
    };
    let (root, out, keys, write) = match cli.command {
        Command::Build { root, out, keys } => (root, out, keys, true),
        Command::Check { root } => (root, None, None, false),
        Command::Grade { key, ledgers, out } => return grade::run(&key, &ledgers, &out),
    };
    let started = std::time::Instant::now();
    match labgen::build(&root) {
        Ok(build) => {
            eprint!("{}", build.warnings);
            if write {
                let dir = labgen::output_dir(&root, &build.config, out.as_deref());
                let kdir = build
                    .config
                    .outputs
                    .keys
                    .as_ref()
                    .map(|_| labgen::keys_dir(&root, &build.config, &dir, keys.as_deref()));
                // Both folders are checked before either is written.
                let written = labgen::output::check_target(&dir, &root)
                    .and_then(|()| match &kdir {
                        Some(k) => labgen::output::check_keys_target(k, &dir, &root),
                        None => Ok(()),
                    })
                    .and_then(|()| labgen::output::write_atomically(&dir, &build.files));
                if let Err(code) = report_write(written, "the book", &dir) {
                    return code;
                }
                eprintln!(
                    "built {} lab(s), {} states, {} files into {} in {:.2?}",
                    build.labs,
                    build.states,
                    build.files.len(),
                    dir.display(),
                    started.elapsed()
                );
                // The keys go to their own folder, after the book: a failure
                // here leaves the new book with the previous keys, whose
                // book_version then tells them apart.
                if let Some(kdir) = kdir {
                    let written = labgen::output::write_atomically(&kdir, &build.keys);
                    if let Err(code) = report_write(written, "the keys", &kdir) {
                        return code;
                    }
                    eprintln!(
                        "wrote {} key files into {}; keep them away from students",
                        build.keys.len(),
                        kdir.display()
                    );
                }
            } else {
                eprintln!(
                    "checked {} lab(s), {} states: {} warning(s)",
                    build.labs,
                    build.states,
                    build.warnings.warning_count()
                );
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            eprint!("{diags}");
            eprintln!(
                "labgen: {} error(s), {} warning(s); nothing was written",
                diags.error_count(),
                diags.warning_count()
            );
            let internal = diags
                .iter()
                .any(|d| d.message.starts_with("internal error"));
            ExitCode::from(if internal { 2 } else { 1 })
        }
    }
}

/// `labgen grade`: reads the key and the ledgers, grades each one and
/// writes the gradebook. Every ledger problem is reported per file; only a
/// bad key or an unwritable output stops the run.
mod grade {
    use labgen::grade::{self, files};
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    /// Grades every ledger in `inputs` against the key at `key_path` and
    /// writes the gradebook and reports into `out`.
    pub fn run(key_path: &Path, inputs: &[PathBuf], out: &Path) -> ExitCode {
        let key = match files::read_key(key_path) {
            Ok(k) => k,
            Err(e) => {
                eprintln!("error: {}: {e}", key_path.display());
                return ExitCode::from(1);
            }
        };
        let listed = files::ledger_files(inputs);
        if listed.is_empty() {
            eprintln!("error: no ledger files found (a folder is searched for *.json files)");
            return ExitCode::from(1);
        }
        let outcomes = files::grade_files(&key, &listed);
        let mut skipped = 0;
        for o in &outcomes {
            for w in &o.warnings {
                eprintln!("{}: warning: {w}", o.name);
            }
            if let Err(e) = &o.result {
                eprintln!("{}: error: {e}; skipped", o.name);
                skipped += 1;
            }
        }
        let protected: Vec<&Path> = std::iter::once(key_path)
            .chain(listed.iter().map(|(p, _)| p.as_path()))
            .chain(inputs.iter().map(PathBuf::as_path))
            .collect();
        let written = labgen::output::check_grades_target(out, &protected)
            .and_then(|()| labgen::output::write_atomically(out, &grade::files(&outcomes)));
        if let Err(code) = super::report_write(written, "the grades", out) {
            return code;
        }
        eprintln!(
            "graded {} ledger(s), skipped {skipped}; wrote {} and {} report(s)",
            outcomes.len() - skipped,
            out.join("gradebook.csv").display(),
            outcomes.len()
        );
        ExitCode::from(if skipped > 0 { 1 } else { 0 })
    }
}
