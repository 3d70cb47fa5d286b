//! `rtc-tokens`: build, parse and verify ZEGOCLOUD token04 and Agora
//! AccessToken 006 / AccessToken2 007 tokens from the command line.
//!
//! Exit codes: 0 success, 1 the token was rejected, 2 usage or I/O error.
//! See the crate README for commands, environment variables and `--json` fields.

mod build;
mod choice;
mod cli;
mod completions;
mod creds;
mod demo;
mod output;
mod parse;
mod time;

use std::ffi::OsString;
use std::io::{IsTerminal as _, Read as _};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::Parser as _;
use rtc_tokens::{TokenVersion, Vendor, agora_dynamic_key};

use crate::cli::{BuildVendor, Cli, Command, ParseArgs};
use crate::output::{Style, emit, json_text};

/// Exit code: the token was rejected.
const EXIT_REJECTED: u8 = 1;
/// Exit code: usage or I/O error.
const EXIT_USAGE: u8 = 2;

/// What a command prints and whether it rejected the token.
struct Outcome {
    /// For stdout.
    stdout: String,
    /// For stderr, before anything else (details a terminal should see).
    details: Option<String>,
    /// The rejection, for a one-line message on stderr when stdout does not
    /// already show it to the same terminal.
    rejected: Option<String>,
    /// Whether `stdout` is a text report that ends with the rejection.
    stdout_says_why: bool,
}

impl Outcome {
    fn ok(stdout: String) -> Self {
        Self {
            stdout,
            details: None,
            rejected: None,
            stdout_says_why: false,
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    if let Some(flag) = creds::secret_flag_in(&args) {
        eprintln!(
            "error: {flag}: secrets are never taken from a flag value (it would end up in shell \
             history and the process list); set the environment variable or use --secret-file"
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    let style = Style::detect();
    match run(cli, style) {
        Ok(outcome) => {
            if let Some(details) = &outcome.details {
                eprint!("{details}");
            }
            emit(&outcome.stdout);
            match outcome.rejected {
                Some(message) => {
                    // A text report on a terminal already ends with the
                    // rejection: saying it again on stderr would print it twice.
                    if !(outcome.stdout_says_why && std::io::stdout().is_terminal()) {
                        eprintln!("rejected: {}", one_line(&message));
                    }
                    ExitCode::from(EXIT_REJECTED)
                }
                None => ExitCode::SUCCESS,
            }
        }
        Err(e) => {
            eprintln!("error: {}", one_line(&error_text(&e)));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Help and version go to stdout with status 0; errors become one line on stderr.
fn clap_exit(e: &clap::Error) -> ExitCode {
    if !e.use_stderr() {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        // `rtc-tokens build` and the like: the help is the most useful answer.
        let _ = e.print();
        return ExitCode::from(EXIT_USAGE);
    }
    let text = e.render().to_string();
    let first = text.split("\n\n").next().unwrap_or_default();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    eprintln!("error: {} (see --help)", redact_tokens(&one_line(first)));
    ExitCode::from(EXIT_USAGE)
}

/// An error and its causes, `: `-separated. A facade error's message
/// already says what its vendor `source()` says, so the chain stops there.
fn error_text(e: &anyhow::Error) -> String {
    let mut parts = Vec::new();
    for cause in e.chain() {
        parts.push(cause.to_string());
        if cause.downcast_ref::<rtc_tokens::Error>().is_some() {
            break;
        }
    }
    parts.join(": ")
}

/// Joins lines into one, collapsing indentation.
fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Replaces quoted values that look like tokens (clap echoes stray arguments).
fn redact_tokens(text: &str) -> String {
    text.split('\'')
        .enumerate()
        .map(|(i, part)| {
            let quoted = i % 2 == 1;
            if quoted && part.len() > 20 && TokenVersion::detect(part).is_ok() {
                "<token>".to_owned()
            } else {
                part.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("'")
}

fn run(cli: Cli, style: Style) -> anyhow::Result<Outcome> {
    let json = cli.json;
    match cli.command {
        Command::Build(args) => {
            let now = rtc_tokens::unix_now();
            let built = match &args.vendor {
                BuildVendor::Zego(z) => build::zego(z, now)?,
                BuildVendor::Agora(a) => build::agora(&a.kind, now)?,
                BuildVendor::Tencent(t) => build::tencent(t, now)?,
            };
            if json {
                Ok(Outcome::ok(json_text(&built)))
            } else if std::io::stdout().is_terminal() {
                Ok(Outcome::ok(built.render(style, now)))
            } else {
                // To a pipe or a file (`T=$(rtc-tokens build …)`) the token
                // goes alone; the details go to a terminal on stderr, if any.
                let details = std::io::stderr()
                    .is_terminal()
                    .then(|| built.details(Style::detect_stderr(), now));
                Ok(Outcome {
                    stdout: format!("{}\n", built.token),
                    details,
                    rejected: None,
                    stdout_says_why: false,
                })
            }
        }
        Command::Parse(args) => parse_command(&args, json, style),
        Command::Demo => {
            let now = rtc_tokens::unix_now();
            let demo = demo::run(now)?;
            let rejected = (!demo.all_ok()).then(|| "a demo token did not parse back".to_owned());
            let stdout = if json {
                json_text(&demo)
            } else {
                demo.render(style, now)
            };
            Ok(Outcome {
                stdout,
                details: None,
                rejected,
                stdout_says_why: false,
            })
        }
        Command::Completions { shell } => {
            let script = completions::script(shell);
            Ok(Outcome::ok(if json {
                json_text(&serde_json::json!({ "shell": shell.to_string(), "script": script }))
            } else {
                script
            }))
        }
    }
}

/// Reads the token argument, or stdin for `-` or no argument.
fn read_token(arg: Option<&str>) -> anyhow::Result<String> {
    match arg {
        Some(token) if token != "-" => Ok(token.to_owned()),
        _ => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                bail!("no token: pass TOKEN, or pipe it on stdin");
            }
            let mut text = String::new();
            stdin
                .lock()
                .take(1 << 20)
                .read_to_string(&mut text)
                .context("cannot read the token from stdin")?;
            // Only the line break goes: a trailing space may be a `+` that a
            // URL decoder turned into one, which `parse` then recognises.
            let token = text.trim_end_matches(['\n', '\r']);
            if token.trim().is_empty() {
                bail!("no token on stdin");
            }
            Ok(token.to_owned())
        }
    }
}

fn parse_command(args: &ParseArgs, json: bool, style: Style) -> anyhow::Result<Outcome> {
    let token = read_token(args.token.as_deref())?;
    let uid = match (args.uid, &args.account) {
        (Some(uid), _) => Some(agora_dynamic_key::access_token::uid_string(uid)),
        (None, Some(account)) => Some(account.clone()),
        (None, None) => None,
    };
    // Read forgivingly: `parse::analyse` trims the token and warns about it.
    let version = TokenVersion::detect(token.trim()).ok();
    if version == Some(TokenVersion::Agora006) && args.channel.is_some() != uid.is_some() {
        bail!("a 006 token verifies only with both --channel and --uid (or --account)");
    }
    let vendor = args.vendor;
    // Only the token's own vendor's secret is read: a broken setting of the
    // other vendor does not get in the way.
    let mut keys = parse::Keys::default();
    let mut expected_app_id = None;
    match version.map(TokenVersion::vendor) {
        Some(Vendor::Zego) if vendor.is_none_or(|v| v == Vendor::Zego) => {
            keys.zego = creds::zego_for_parse(args.secret_file.as_deref())?;
            expected_app_id = creds::configured_app_id(Vendor::Zego);
        }
        Some(Vendor::Agora) if vendor.is_none_or(|v| v == Vendor::Agora) => {
            keys.agora = creds::agora_for_parse(args.secret_file.as_deref())?;
            expected_app_id = creds::configured_app_id(Vendor::Agora);
        }
        Some(Vendor::Tencent) if vendor.is_none_or(|v| v == Vendor::Tencent) => {
            let own = rtc_tokens::dangerous::insecure_decode(token.trim())
                .ok()
                .and_then(|seen| seen.app_id);
            keys.tencent = creds::tencent_for_parse(args.secret_file.as_deref(), own.as_deref())?;
            expected_app_id = creds::configured_app_id(Vendor::Tencent);
        }
        _ => {}
    }
    let options = parse::Options {
        vendor,
        channel: args.channel.clone(),
        uid,
        app_id: expected_app_id.as_ref().map(|want| want.value.clone()),
        now: args.at.unwrap_or_else(rtc_tokens::unix_now),
        ignore_expiry: args.ignore_expiry,
        hints: true,
    };
    let mut report = parse::analyse(&token, &keys, &options);
    // The facade rejected it with `mismatch`; this line names the setting.
    if let (Some(want), Some(have)) = (expected_app_id, &report.app_id)
        && want.value != *have
    {
        report.warnings.push(format!(
            "the token is for app id {have}, but {} is {}",
            want.name, want.value
        ));
    }
    let rejected = report.first_problem().map(str::to_owned);
    let stdout = if json {
        json_text(&report)
    } else {
        report.render(style)
    };
    Ok(Outcome {
        stdout,
        details: None,
        rejected,
        stdout_says_why: !json,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_errors_do_not_echo_tokens() {
        let text = "unexpected argument '007eJxTYBBb9mfJ8s0AAAAAAAAAAAA' found";
        assert_eq!(redact_tokens(text), "unexpected argument '<token>' found");
        assert_eq!(
            redact_tokens("invalid value 'x' for '--uid'"),
            "invalid value 'x' for '--uid'"
        );
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory as _;
        Cli::command().debug_assert();
    }
}
