//! `rtc-tokens completions`: shell completion scripts from clap_complete,
//! with a workaround for its bash generator and hyphenated binary names.
//!
//! clap_complete's bash script (up to at least 4.6.11) names each state in
//! two ways: its dispatch loop escapes `rtc-tokens build` to
//! `rtc__tokens__subcmd__build`, while its case arms escape the whole path at
//! once and get `rtc__subcmd__tokens__subcmd__build`. No arm matches, so
//! nothing below the top level completes (clap-rs/clap#6421, #6529). The
//! arms are renamed here to what the loop produces; once clap_complete is
//! fixed the rename finds nothing and changes nothing. The binary tests run
//! the script in bash to check that completion works below the top level.

use clap::CommandFactory as _;
use clap_complete::Shell;

use crate::cli::Cli;

/// The binary's name, as shells see it.
pub const BIN_NAME: &str = "rtc-tokens";

/// The completion script for `shell`.
pub fn script(shell: Shell) -> String {
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), BIN_NAME, &mut bytes);
    // clap_complete writes only our own (ASCII) names and its fixed text.
    let script = String::from_utf8_lossy(&bytes).into_owned();
    match shell {
        Shell::Bash => fix_bash_state_names(&script, BIN_NAME),
        _ => script,
    }
}

/// Renames the case arms spelled `rtc__subcmd__tokens__…` to the
/// `rtc__tokens__…` the dispatch loop produces.
fn fix_bash_state_names(script: &str, bin: &str) -> String {
    let wrong = format!("{}__subcmd__", bin.replace('-', "__subcmd__"));
    let right = format!("{}__subcmd__", bin.replace('-', "__"));
    if wrong == right {
        return script.to_owned();
    }
    script.replace(&wrong, &right)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_arms_match_the_dispatch_loop() {
        let script = script(Shell::Bash);
        assert!(!script.contains("rtc__subcmd__tokens"), "arms not renamed");
        assert!(script.contains("rtc__tokens__subcmd__build__subcmd__agora)"));
        assert_eq!(
            fix_bash_state_names("a__subcmd__b", "plain"),
            "a__subcmd__b"
        );
    }
}
