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
    },
    /// Check the book without writing anything: every error and warning that
    /// `build` would report. Exits 1 if there are errors.
    Check {
        /// The book folder (holding book.toml).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
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
    let (root, out, write) = match cli.command {
        Command::Build { root, out } => (root, out, true),
        Command::Check { root } => (root, None, false),
    };
    let started = std::time::Instant::now();
    match labgen::build(&root) {
        Ok(build) => {
            eprint!("{}", build.warnings);
            if write {
                let dir = labgen::output_dir(&root, &build.config, out.as_deref());
                let written = labgen::output::check_target(&dir, &root)
                    .and_then(|()| labgen::output::write_atomically(&dir, &build.files));
                match written {
                    Ok(()) => {}
                    Err(e @ labgen::output::WriteError::Refused { .. }) => {
                        eprintln!("error: {e}");
                        return ExitCode::from(1);
                    }
                    Err(e) => {
                        eprintln!("error: cannot write the book to {}: {e}", dir.display());
                        return ExitCode::from(2);
                    }
                }
                eprintln!(
                    "built {} lab(s), {} states, {} files into {} in {:.2?}",
                    build.labs,
                    build.states,
                    build.files.len(),
                    dir.display(),
                    started.elapsed()
                );
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
