//! The built server binary as a child process: its stdout read line by line
//! until it logs the address it listens on; killed on drop.

use std::io::BufRead;
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A running server binary (`--log-format text`).
pub struct Spawned {
    pub child: Child,
    /// Where it listens, from its `listening … addr=` line.
    pub addr: SocketAddr,
    /// The lines it logged up to and including the listening one.
    pub log: Vec<String>,
    /// The lines after those.
    pub lines: Receiver<String>,
    reader: Option<JoinHandle<()>>,
}

impl Spawned {
    /// Spawns `command` with its stdout piped and waits (at most 30 s) for
    /// the line saying where it listens.
    pub fn start(command: &mut Command) -> Self {
        let mut child = command.stdout(Stdio::piped()).spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut log = Vec::new();
        let addr = loop {
            let line = lines
                .recv_timeout(Duration::from_secs(30))
                .expect("the server did not log that it listens");
            log.push(line.clone());
            if line.contains("listening") {
                let addr = line
                    .split_whitespace()
                    .find_map(|w| w.strip_prefix("addr="))
                    .expect("no addr= in the listening line");
                break addr.parse().unwrap();
            }
        };
        Self {
            child,
            addr,
            log,
            lines,
            reader: Some(reader),
        }
    }

    /// Sends SIGTERM.
    pub fn sigterm(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the exit (at most `bound`); the status and the whole log.
    pub fn wait(&mut self, bound: Duration) -> (ExitStatus, String) {
        let deadline = Instant::now() + bound;
        let exit = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("the server did not exit within {bound:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        self.log.extend(self.lines.try_iter());
        (exit, self.log.join("\n"))
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
