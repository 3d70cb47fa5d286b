//! Terminal styling and writing to stdout.

use std::io::{IsTerminal, Write};

/// ANSI styling, enabled only when stdout is a terminal and `NO_COLOR` is
/// unset or empty (<https://no-color.org>).
#[derive(Clone, Copy, Debug)]
pub struct Style {
    enabled: bool,
}

impl Style {
    /// Styling for stdout, as the environment asks for it.
    pub fn detect() -> Self {
        Self::for_stream(std::io::stdout().is_terminal())
    }

    /// Styling for stderr, as the environment asks for it.
    pub fn detect_stderr() -> Self {
        Self::for_stream(std::io::stderr().is_terminal())
    }

    fn for_stream(is_terminal: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            enabled: !no_color && is_terminal,
        }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// Bold text.
    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Green bold text, for success.
    pub fn good(self, text: &str) -> String {
        self.paint("1;32", text)
    }

    /// Red bold text, for a rejection.
    pub fn bad(self, text: &str) -> String {
        self.paint("1;31", text)
    }

    /// Yellow text, for warnings.
    pub fn warn(self, text: &str) -> String {
        self.paint("33", text)
    }

    /// Dimmed text, for secondary detail.
    pub fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }
}

/// Writes `text` to stdout in one go. A closed pipe (`| head`) is not an error
/// worth reporting, so write failures are ignored.
pub fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Pretty JSON followed by a newline.
pub fn json_text(value: &impl serde::Serialize) -> String {
    // Serializing our own report types cannot fail (string keys, no non-finite floats).
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_owned());
    text.push('\n');
    text
}

/// One `label  value` line of a human report, labels padded to a column.
pub fn field(out: &mut String, style: Style, label: &str, value: &str) {
    let mut lines = value.lines();
    let first = lines.next().unwrap_or("");
    out.push_str(&format!(
        "  {} {first}\n",
        style.bold(&format!("{label:<16}"))
    ));
    for line in lines {
        out.push_str(&format!("  {:<16} {line}\n", ""));
    }
}
