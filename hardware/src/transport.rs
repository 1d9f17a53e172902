//! The wire to a printer. Every call is bounded by a timeout: a printer that is switched
//! off, out of paper with a full buffer, or unplugged must never freeze the counter.

use std::fs::{File, OpenOptions};
use std::io::{self, ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serialport::{FlowControl, SerialPort};
use thiserror::Error;

use crate::uri::{Flow, PrinterUri};

/// How long to wait for a network printer to accept the connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, Error)]
pub enum TransportError {
    #[error("no printer is set up (none)")]
    NoPrinter,
    #[error("cannot open printer {target}: {source}")]
    Open { target: String, source: io::Error },
    #[error("printer took no data for {0:?}: is it on, connected and loaded?")]
    Timeout(Duration),
    #[error("printer connection closed")]
    Closed,
    #[error("printer I/O error: {0}")]
    Io(#[from] io::Error),
}

pub trait Transport: Send {
    /// Send everything. `timeout` bounds each wait for progress: a printer that takes
    /// bytes slowly (9600 baud, ~1 KB/s) is not cut off, one that takes none is.
    fn write_all(&mut self, bytes: &[u8], timeout: Duration) -> Result<(), TransportError>;
    /// Read what has arrived, waiting up to `timeout`; `Ok(0)` means nothing came.
    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError>;
    /// Whether replies can come back (false for device files, whose reads block forever).
    fn can_read(&self) -> bool;
}

/// Open the transport a URI names.
pub fn open(uri: &PrinterUri) -> Result<Box<dyn Transport>, TransportError> {
    Ok(match uri {
        PrinterUri::Serial { path, baud, flow } => {
            Box::new(SerialTransport::open(path, *baud, *flow)?)
        }
        PrinterUri::Tcp { host, port } => {
            Box::new(TcpTransport::connect(host, *port, CONNECT_TIMEOUT)?)
        }
        PrinterUri::File { path } => Box::new(FileTransport::new(path)),
        PrinterUri::Usb { device } => crate::usb::open(*device)?,
        PrinterUri::None => return Err(TransportError::NoPrinter),
    })
}

/// Serial ports present now (from sysfs on Linux, the registry on Windows), for the
/// settings screen's port list. Empty when none can be listed.
pub fn serial_ports() -> Vec<String> {
    serialport::available_ports()
        .map(|ports| ports.into_iter().map(|p| p.port_name).collect())
        .unwrap_or_default()
}

/// Time to push `len` bytes through a serial line at `baud` (8N1: 10 bits a byte).
pub fn transmit_time(len: usize, baud: u32) -> Duration {
    Duration::from_secs_f64(len as f64 * 10.0 / f64::from(baud.max(1)))
}

/// Write with a stall timeout; `set_timeout` arms the next single write.
fn write_with_stall<W: Write>(
    w: &mut W,
    mut rest: &[u8],
    timeout: Duration,
    mut set_timeout: impl FnMut(&mut W, Duration) -> io::Result<()>,
) -> Result<(), TransportError> {
    let mut deadline = Instant::now() + timeout;
    while !rest.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(TransportError::Timeout(timeout));
        }
        set_timeout(w, left)?;
        match w.write(rest) {
            Ok(0) => return Err(TransportError::Closed),
            Ok(n) => {
                rest = &rest[n..];
                deadline = Instant::now() + timeout;
            }
            Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => {
                return Err(TransportError::Timeout(timeout));
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

fn nothing_came(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::TimedOut | ErrorKind::WouldBlock | ErrorKind::Interrupted
    )
}

/// A USB-serial (CH340 `ttyUSB*`, CDC `ttyACM*`) or RS-232 printer.
pub struct SerialTransport {
    port: Box<dyn SerialPort>,
}

impl SerialTransport {
    pub fn open(path: &str, baud: u32, flow: Flow) -> Result<Self, TransportError> {
        // serialport's "hardware" flow is RTS/CTS; printers wired for DTR/DSR usually also
        // work with it because their cable loops DSR to CTS.
        let flow = match flow {
            Flow::None => FlowControl::None,
            Flow::Hardware => FlowControl::Hardware,
            Flow::Software => FlowControl::Software,
        };
        let port = serialport::new(path, baud)
            .flow_control(flow)
            .timeout(Duration::from_millis(100))
            .open()
            .map_err(|e| TransportError::Open {
                target: path.to_string(),
                source: e.into(),
            })?;
        Ok(Self { port })
    }
}

impl Transport for SerialTransport {
    fn write_all(&mut self, bytes: &[u8], timeout: Duration) -> Result<(), TransportError> {
        // No flush(): it is tcdrain, which waits forever while flow control holds the line.
        write_with_stall(&mut self.port, bytes, timeout, |p, t| {
            p.set_timeout(t).map_err(io::Error::from)
        })
    }

    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        self.port.set_timeout(timeout).map_err(io::Error::from)?;
        match self.port.read(buf) {
            Ok(n) => Ok(n),
            Err(e) if nothing_came(&e) => Ok(0),
            Err(e) => Err(e.into()),
        }
    }

    fn can_read(&self) -> bool {
        true
    }
}

/// A network printer on raw TCP (port 9100).
pub struct TcpTransport {
    stream: TcpStream,
}

impl TcpTransport {
    pub fn connect(host: &str, port: u16, timeout: Duration) -> Result<Self, TransportError> {
        let target = format!("{host}:{port}");
        let open_err = |source: io::Error| TransportError::Open {
            target: target.clone(),
            source,
        };
        let addrs: Vec<_> = (host, port).to_socket_addrs().map_err(open_err)?.collect();
        let mut last = io::Error::new(ErrorKind::NotFound, "host has no address");
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, timeout) {
                Ok(stream) => {
                    // Small status queries must not wait for Nagle's delay.
                    stream.set_nodelay(true).map_err(open_err)?;
                    return Ok(Self { stream });
                }
                Err(e) => last = e,
            }
        }
        Err(open_err(last))
    }
}

impl Transport for TcpTransport {
    fn write_all(&mut self, bytes: &[u8], timeout: Duration) -> Result<(), TransportError> {
        write_with_stall(&mut self.stream, bytes, timeout, |s, t| {
            s.set_write_timeout(Some(t))
        })
    }

    fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, TransportError> {
        // A zero timeout means "block forever" to the OS: use a millisecond instead.
        self.stream
            .set_read_timeout(Some(timeout.max(Duration::from_millis(1))))?;
        match self.stream.read(buf) {
            Ok(0) if !buf.is_empty() => Err(TransportError::Closed),
            Ok(n) => Ok(n),
            Err(e) if nothing_came(&e) => Ok(0),
            Err(e) => Err(e.into()),
        }
    }

    fn can_read(&self) -> bool {
        true
    }
}

/// A device file (`/dev/usb/lp0`) or a plain file. It is never read: reading `lp0`
/// blocks forever. Writes to a device whose printer is off can block too, so each
/// write runs on a helper thread and the caller waits at most the timeout; a stuck
/// helper keeps its file, and the next job opens the path afresh.
pub struct FileTransport {
    path: PathBuf,
    file: Option<File>,
}

impl FileTransport {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            file: None,
        }
    }
}

impl Transport for FileTransport {
    fn write_all(&mut self, bytes: &[u8], timeout: Duration) -> Result<(), TransportError> {
        let file = self.file.take();
        let path = self.path.clone();
        let data = bytes.to_vec();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let result = (|| {
                let mut file = match file {
                    Some(f) => f,
                    None => OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(&path)
                        .map_err(|source| TransportError::Open {
                            target: path.display().to_string(),
                            source,
                        })?,
                };
                file.write_all(&data)?;
                file.flush()?;
                Ok(file)
            })();
            // The caller may have given up waiting; nothing to do then.
            let _ = tx.send(result);
        });
        // A whole-job bound here (a file write cannot report progress), scaled so a
        // slow but working printer is not cut off: the timeout plus 9600-baud time.
        let budget = timeout + transmit_time(bytes.len(), 9600);
        match rx.recv_timeout(budget) {
            Ok(Ok(file)) => {
                self.file = Some(file);
                Ok(())
            }
            Ok(Err(e)) => Err(e),
            Err(_) => Err(TransportError::Timeout(budget)),
        }
    }

    fn read(&mut self, _buf: &mut [u8], _timeout: Duration) -> Result<usize, TransportError> {
        Ok(0)
    }

    fn can_read(&self) -> bool {
        false
    }
}
