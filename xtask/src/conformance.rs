//! `cargo xtask conformance`: runs the suites with the shared harness
//! (`rtc-tokens-conformance`, the crate in `tests/`) and prints its report.

use std::path::PathBuf;

use anyhow::Result;

/// Totals of a run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Report {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
}

/// Runs every suite under `paths` (files or directories of `*.json`),
/// printing one line per suite and per failed case to stderr and stdout, then
/// `N passed, N failed` alone on the last line of stdout.
///
/// # Errors
///
/// When a path cannot be read or a file is not a suite.
pub fn run_paths(paths: &[PathBuf]) -> Result<Report> {
    let mut report = Report::default();
    for suite in rtc_tokens_conformance::run_paths(paths)? {
        for case in suite.failures() {
            println!(
                "FAIL {} / {}: {}",
                suite.suite,
                case.name,
                case.failure.as_deref().unwrap_or_default()
            );
        }
        eprintln!(
            "{} ({}): {} passed, {} failed",
            suite.path.display(),
            suite.suite,
            suite.passed(),
            suite.failed()
        );
        report.passed += suite.passed();
        report.failed += suite.failed();
    }
    println!("{} passed, {} failed", report.passed, report.failed);
    Ok(report)
}
