//! A QR/barcode scanner in USB-COM (serial) mode, read on its own thread. Each complete
//! scan goes to the same channel the keyboard-wedge path feeds, as plain ASCII.

use std::io::{self, ErrorKind, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use thiserror::Error;

/// What the scanner sends after each code (set in the scanner's own configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Suffix {
    Cr,
    Lf,
    #[default]
    CrLf,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannerConfig {
    pub path: String,
    pub baud: u32,
    pub suffix: Suffix,
}

#[derive(Debug, Error)]
pub enum ScanError {
    #[error("cannot open scanner {path}: {source}")]
    Open { path: String, source: io::Error },
    #[error("scanner read failed (unplugged?): {0}")]
    Read(io::Error),
    #[error("scanner thread stopped unexpectedly")]
    Panicked,
}

/// Longest payload we accept; anything longer is line noise, not a card or a barcode.
const MAX_PAYLOAD: usize = 256;
/// A scanner sends one code within milliseconds; bytes older than this with no suffix
/// are a partial read (scanner unplugged mid-code) and must not prefix the next scan.
const STALE_AFTER: Duration = Duration::from_millis(500);
/// How often the thread looks at the stop flag.
const POLL: Duration = Duration::from_millis(50);

/// Splits the byte stream into payloads; pure, so it is tested without a port.
#[derive(Debug, Default)]
pub struct Framer {
    suffix: Suffix,
    partial: Vec<u8>,
    last_byte: Option<Instant>,
}

impl Framer {
    pub fn new(suffix: Suffix) -> Self {
        Self {
            suffix,
            ..Self::default()
        }
    }

    /// Feed bytes that arrived at `now`; returns the complete, valid payloads.
    pub fn push(&mut self, bytes: &[u8], now: Instant) -> Vec<String> {
        if self
            .last_byte
            .is_some_and(|t| now.duration_since(t) > STALE_AFTER)
        {
            self.partial.clear();
        }
        if !bytes.is_empty() {
            self.last_byte = Some(now);
        }
        // With CR+LF the LF ends a payload and the CR is trimmed off.
        let end = match self.suffix {
            Suffix::Cr => b'\r',
            Suffix::Lf | Suffix::CrLf => b'\n',
        };
        let mut out = Vec::new();
        for &b in bytes {
            if b == end {
                out.extend(payload(&self.partial));
                self.partial.clear();
            } else if self.partial.len() <= MAX_PAYLOAD {
                self.partial.push(b);
            }
        }
        out
    }
}

/// Trimmed printable ASCII, or nothing: a scan with other bytes is garbage (wrong baud,
/// noise) and staff should simply scan again.
fn payload(raw: &[u8]) -> Option<String> {
    let trimmed = raw.trim_ascii();
    let ok = !trimmed.is_empty()
        && trimmed.len() <= MAX_PAYLOAD
        && trimmed.iter().all(|b| (0x20..0x7f).contains(b));
    ok.then(|| String::from_utf8_lossy(trimmed).into_owned())
}

/// The running reader. Dropping it stops the thread.
pub struct ScannerHandle {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Result<(), ScanError>>>,
}

impl ScannerHandle {
    /// Whether the reader still runs (false after an unplug or after the receiver went away).
    pub fn is_running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// Stop and wait; returns the read error if the thread had already died of one.
    pub fn stop(mut self) -> Result<(), ScanError> {
        self.finish()
    }

    fn finish(&mut self) -> Result<(), ScanError> {
        self.stop.store(true, Ordering::Relaxed);
        match self.thread.take() {
            Some(t) => t.join().map_err(|_| ScanError::Panicked)?,
            None => Ok(()),
        }
    }
}

impl Drop for ScannerHandle {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

/// Open the port and start reading; payloads go to `tx` until stopped, the port fails,
/// or the receiving side is dropped.
pub fn start_scanner(
    config: &ScannerConfig,
    tx: Sender<String>,
) -> Result<ScannerHandle, ScanError> {
    let mut port = serialport::new(&config.path, config.baud)
        .timeout(POLL)
        .open()
        .map_err(|e| ScanError::Open {
            path: config.path.clone(),
            source: e.into(),
        })?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let mut framer = Framer::new(config.suffix);
    let thread = thread::Builder::new()
        .name("jifen-scanner".into())
        .spawn(move || {
            let mut buf = [0u8; 256];
            while !flag.load(Ordering::Relaxed) {
                let n = match port.read(&mut buf) {
                    Ok(n) => n,
                    Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::Interrupted) => 0,
                    Err(e) => return Err(ScanError::Read(e)),
                };
                for scan in framer.push(&buf[..n], Instant::now()) {
                    if tx.send(scan).is_err() {
                        return Ok(()); // nobody listens any more
                    }
                }
            }
            Ok(())
        })
        .map_err(|source| ScanError::Open {
            path: config.path.clone(),
            source,
        })?;
    Ok(ScannerHandle {
        stop,
        thread: Some(thread),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_split_at_the_suffix_and_are_trimmed() {
        let mut f = Framer::new(Suffix::CrLf);
        let t = Instant::now();
        assert_eq!(f.push(b"690123", t), Vec::<String>::new());
        assert_eq!(
            f.push(b"4567892\r\n 42 \r\n", t),
            vec!["6901234567892", "42"]
        );
    }

    #[test]
    fn garbage_and_stale_partials_are_dropped() {
        let mut f = Framer::new(Suffix::Cr);
        let t = Instant::now();
        assert!(f.push(b"\xff\xfe12\r", t).is_empty());
        f.push(b"99", t);
        let later = t + Duration::from_secs(1);
        assert_eq!(f.push(b"123\r", later), vec!["123"]);
    }
}
