//! Facade enums as command-line choices.
//!
//! A [`Choice`] is a [`Named`] facade (or vendor) enum, whose names and
//! aliases the facade owns, plus the one thing the CLI adds: a help line per
//! value. [`parser`] gives clap one [`TypedValueParser`] for any of them: it
//! reads with [`Named::parse_named`] (so the command line accepts exactly the
//! spellings the facade does) and lists the values, with their aliases and
//! help, for `--help`, error messages and shell completion.

use std::ffi::OsStr;
use std::marker::PhantomData;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use rtc_tokens::zego_token04::Mode;
use rtc_tokens::{AgoraVersion, Named, Role, Vendor};

/// A facade enum offered on the command line: its help lines.
pub trait Choice: Named + Send + Sync {
    /// One line for `--help` (presentation, so the CLI's).
    fn help(self) -> &'static str;
}

impl Choice for Role {
    fn help(self) -> &'static str {
        match self {
            Self::Publisher => "Join and publish",
            Self::Subscriber => "Join and receive only",
        }
    }
}

impl Choice for Vendor {
    fn help(self) -> &'static str {
        match self {
            Self::Zego => "ZEGOCLOUD",
            Self::Agora => "Agora",
            Self::Tencent => "Tencent Cloud TRTC (UserSig, PrivateMapKey)",
        }
    }
}

impl Choice for AgoraVersion {
    fn help(self) -> &'static str {
        match self {
            Self::V007 => "AccessToken2 (current)",
            Self::V006 => "AccessToken (legacy; rtc and rtm only)",
        }
    }
}

impl Choice for Mode {
    fn help(self) -> &'static str {
        match self {
            Self::Gcm => "AES-256-GCM (authenticated; recommended)",
            Self::Cbc => "AES-256-CBC (legacy; not authenticated)",
        }
    }
}

/// The clap value parser for a [`Choice`].
#[derive(Clone, Copy, Debug)]
pub struct ChoiceParser<T>(PhantomData<T>);

/// The value parser for `T`, for `#[arg(value_parser = choice::parser::<T>())]`.
#[must_use]
pub const fn parser<T: Choice>() -> ChoiceParser<T> {
    ChoiceParser(PhantomData)
}

impl<T: Choice> TypedValueParser for ChoiceParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        if let Some(parsed) = value.to_str().and_then(T::parse_named) {
            return Ok(parsed);
        }
        let mut err = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
        if let Some(arg) = arg {
            err.insert(
                ContextKind::InvalidArg,
                ContextValue::String(arg.to_string()),
            );
        }
        err.insert(
            ContextKind::InvalidValue,
            ContextValue::String(value.to_string_lossy().into_owned()),
        );
        let names = T::ALL.iter().map(|v| v.name().to_owned()).collect();
        err.insert(ContextKind::ValidValue, ContextValue::Strings(names));
        Err(err)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::ALL.iter().map(|&v| {
            let help = match v.aliases() {
                [] => v.help().to_owned(),
                aliases => format!("{} [aliases: {}]", v.help(), aliases.join(", ")),
            };
            PossibleValue::new(v.name())
                .aliases(v.aliases().iter().copied())
                .help(help)
        })))
    }
}

#[cfg(test)]
mod tests {
    use clap::{Arg, Command};

    use super::*;

    fn command<T: Choice + Clone>() -> Command {
        Command::new("t").arg(Arg::new("x").long("x").value_parser(parser::<T>()))
    }

    fn parse<T: Choice + Clone>(value: &str) -> Result<T, clap::Error> {
        command::<T>()
            .try_get_matches_from(["t", "--x", value])
            .map(|m| *m.get_one::<T>("x").unwrap())
    }

    #[test]
    fn every_facade_spelling_parses() {
        for &role in Role::ALL {
            assert_eq!(parse::<Role>(role.name()).unwrap(), role);
            for alias in role.aliases() {
                assert_eq!(parse::<Role>(&alias.to_uppercase()).unwrap(), role);
            }
        }
        assert_eq!(parse::<AgoraVersion>("6").unwrap(), AgoraVersion::V006);
        assert_eq!(parse::<Mode>("CBC").unwrap(), Mode::Cbc);
        assert_eq!(parse::<Vendor>("ZegoCloud").unwrap(), Vendor::Zego);
    }

    #[test]
    fn a_bad_value_lists_the_names() {
        let err = parse::<Role>("king").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidValue);
        let text = err.render().to_string();
        assert!(
            text.contains("invalid value 'king' for '--x <x>'"),
            "{text}"
        );
        assert!(
            text.contains("[possible values: publisher, subscriber]"),
            "{text}"
        );
    }

    #[test]
    fn help_shows_names_aliases_and_help() {
        let help = command::<Role>().render_long_help().to_string();
        assert!(
            help.contains("publisher:  Join and publish [aliases: host, broadcaster]"),
            "{help}"
        );
        assert!(
            help.contains("subscriber: Join and receive only [aliases: audience]"),
            "{help}"
        );
    }
}
