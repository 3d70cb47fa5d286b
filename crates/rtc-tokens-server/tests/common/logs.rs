//! Every tracing event of the test binary, at TRACE, as text and as JSON,
//! captured in memory. The subscriber is process-global: a test file that
//! uses this is its own binary, and events from every runtime thread are
//! captured.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::prelude::*;

/// The capture buffer; the first call installs the subscriber.
pub fn logs() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let (a, b) = (buf.clone(), buf.clone());
        let subscriber = tracing_subscriber::registry()
            .with(
                tracing_subscriber::fmt::layer()
                    .with_ansi(false)
                    .with_target(true)
                    .with_writer(move || Sink(a.clone())),
            )
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_writer(move || Sink(b.clone())),
            )
            .with(LevelFilter::TRACE);
        tracing::subscriber::set_global_default(subscriber).unwrap();
        buf
    })
}

/// Everything captured so far, as text.
pub fn captured() -> String {
    String::from_utf8_lossy(&logs().lock().unwrap()).into_owned()
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
