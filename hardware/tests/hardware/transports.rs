//! Real transports with a fake printer on the other end: a pseudo-terminal pair played
//! like a serial printer that answers `DLE EOT n`, loopback TCP as a network printer,
//! and a temp file as `/dev/usb/lp0`.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use jifen_hardware::transport::TransportError;
use jifen_hardware::{
    PrintError, PrinterProfile, PrinterStatus, PrinterUri, decode, open, print_job, render,
    test_page,
};
use serialport::{SerialPort, TTYPort};

use crate::common::font;

/// escpos's real-time status requests: `DLE EOT n` and the NUL it sends after each.
const QUERIES: [u8; 12] = [0x10, 0x04, 1, 0, 0x10, 0x04, 2, 0, 0x10, 0x04, 4, 0];
const READY: [Option<u8>; 3] = [Some(0x12), Some(0x12), Some(0x12)];
const PAPER_OUT: [Option<u8>; 3] = [Some(0x1A), Some(0x32), Some(0x72)];
const COVER_OPEN: [Option<u8>; 3] = [Some(0x1A), Some(0x16), Some(0x12)];
const SILENT: [Option<u8>; 3] = [None, None, None];

fn job() -> Vec<u8> {
    let profile = PrinterProfile::mm58();
    render(&test_page(&profile), &profile, font()).expect("renders")
}

/// Plays a serial printer on the pty master: records every byte and answers
/// `DLE EOT 1/2/4` with the current replies (changed when paper is "loaded").
struct FakeSerialPrinter {
    received: Arc<Mutex<Vec<u8>>>,
    replies: Arc<Mutex<[Option<u8>; 3]>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    _slave: TTYPort,
    path: String,
}

impl FakeSerialPrinter {
    fn start(replies: [Option<u8>; 3]) -> Self {
        let (mut master, slave) = TTYPort::pair().expect("pty pair");
        let path = slave.name().expect("slave path");
        let received = Arc::new(Mutex::new(Vec::new()));
        let replies = Arc::new(Mutex::new(replies));
        let stop = Arc::new(AtomicBool::new(false));
        let (rec, rep, halt) = (
            Arc::clone(&received),
            Arc::clone(&replies),
            Arc::clone(&stop),
        );
        let thread = thread::spawn(move || {
            master
                .set_timeout(Duration::from_millis(20))
                .expect("timeout");
            let mut buf = [0u8; 4096];
            while !halt.load(Ordering::Relaxed) {
                let Ok(n) = master.read(&mut buf) else {
                    continue;
                };
                for &b in &buf[..n] {
                    let mut all = rec.lock().expect("lock");
                    all.push(b);
                    if let [.., 0x10, 0x04, q] = all.as_slice() {
                        let index = match q {
                            1 => Some(0),
                            2 => Some(1),
                            4 => Some(2),
                            _ => None,
                        };
                        let reply = index.and_then(|i| rep.lock().expect("lock")[i]);
                        if let Some(r) = reply {
                            master.write_all(&[r]).expect("reply");
                        }
                    }
                }
            }
        });
        Self {
            received,
            replies,
            stop,
            thread: Some(thread),
            _slave: slave,
            path,
        }
    }

    fn uri(&self) -> PrinterUri {
        PrinterUri::parse(&format!("serial:{}?baud=9600", self.path)).expect("uri")
    }

    /// Everything received, once `len` bytes are in or nothing more came for 300 ms.
    fn received(&self, len: usize) -> Vec<u8> {
        let until = Instant::now() + Duration::from_secs(5);
        let (mut seen, mut quiet_since) = (0, Instant::now());
        loop {
            let now_len = self.received.lock().expect("lock").len();
            if now_len != seen {
                (seen, quiet_since) = (now_len, Instant::now());
            }
            let quiet = quiet_since.elapsed() > Duration::from_millis(300);
            if now_len >= len || quiet || Instant::now() > until {
                break;
            }
            thread::sleep(Duration::from_millis(10));
        }
        self.received.lock().expect("lock").clone()
    }
}

impl Drop for FakeSerialPrinter {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[test]
fn serial_printer_that_is_ready_gets_the_job_intact() {
    let printer = FakeSerialPrinter::start(READY);
    let mut port = open(&printer.uri()).expect("opens the pty by path");
    let job = job();
    let outcome = print_job(port.as_mut(), &job, Duration::from_secs(2)).expect("prints");
    assert_eq!(outcome.status, PrinterStatus::Ready);
    assert!(!outcome.status_unknown);
    assert_eq!(
        printer.received(QUERIES.len() + job.len()),
        [&QUERIES[..], &job].concat()
    );
}

#[test]
fn paper_out_holds_the_job_until_paper_is_loaded() {
    let printer = FakeSerialPrinter::start(PAPER_OUT);
    let mut port = open(&printer.uri()).expect("opens");
    let job = job();
    let err = print_job(port.as_mut(), &job, Duration::from_secs(2)).expect_err("refused");
    assert!(matches!(err, PrintError::NotReady(PrinterStatus::PaperOut)));
    assert!(err.to_string().contains("缺纸"), "{err}");
    assert_eq!(
        printer.received(usize::MAX),
        QUERIES,
        "only the status queries, no job"
    );

    *printer.replies.lock().expect("lock") = READY; // staff loads paper
    print_job(port.as_mut(), &job, Duration::from_secs(2)).expect("prints now");
    let all = printer.received(2 * QUERIES.len() + job.len());
    assert_eq!(all, [&QUERIES[..], &QUERIES, &job].concat());
}

#[test]
fn cover_open_is_reported_and_nothing_sent() {
    let printer = FakeSerialPrinter::start(COVER_OPEN);
    let mut port = open(&printer.uri()).expect("opens");
    let err = print_job(port.as_mut(), &job(), Duration::from_secs(2)).expect_err("refused");
    assert!(
        matches!(err, PrintError::NotReady(PrinterStatus::CoverOpen)),
        "{err}"
    );
    assert_eq!(printer.received(usize::MAX), QUERIES);
}

#[test]
fn serial_printer_that_never_answers_prints_with_status_unknown_after_the_timeout() {
    let printer = FakeSerialPrinter::start(SILENT);
    let mut port = open(&printer.uri()).expect("opens");
    let job = job();
    let started = Instant::now();
    let outcome =
        print_job(port.as_mut(), &job, Duration::from_millis(400)).expect("prints anyway");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert!(outcome.status_unknown);
    assert_eq!(
        printer.received(3 + job.len()),
        [&QUERIES[..4], &job].concat()
    );
}

/// A network printer on loopback: answers status and keeps what it is sent.
#[test]
fn network_printer_receives_the_job() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let printer = thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("accept");
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = stream.read(&mut buf) {
            // Byte by byte, as a printer parses: the reply follows `DLE EOT n` at once.
            for &b in &buf[..n] {
                all.push(b);
                if let [.., 0x10, 0x04, 1 | 2 | 4] = all.as_slice() {
                    stream.write_all(&[0x12]).expect("reply");
                }
            }
        }
        all
    });
    let uri = PrinterUri::parse(&format!("tcp:127.0.0.1:{port}")).expect("uri");
    let mut transport = open(&uri).expect("connects");
    let job = job();
    let outcome = print_job(transport.as_mut(), &job, Duration::from_secs(2)).expect("prints");
    assert_eq!(outcome.status, PrinterStatus::Ready);
    drop(transport);
    let all = printer.join().expect("printer thread");
    assert_eq!(all, [&QUERIES[..], &job].concat());
    assert_eq!(decode(&all[QUERIES.len()..]), decode(&job));
}

#[test]
fn network_printer_that_never_reads_does_not_hang_the_caller() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (release, released) = mpsc::channel::<()>();
    let hold = thread::spawn(move || {
        let (stream, _) = listener.accept().expect("accept");
        let _ = released.recv(); // hold the connection open, reading nothing
        drop(stream);
    });
    let mut transport = open(&PrinterUri::Tcp {
        host: "127.0.0.1".into(),
        port,
    })
    .expect("connects");
    let started = Instant::now();
    let outcome =
        print_job(transport.as_mut(), &job(), Duration::from_millis(400)).expect("queued");
    assert!(outcome.status_unknown);
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );

    // A job far bigger than the socket buffers: the write stalls, and gives up.
    let started = Instant::now();
    let huge = vec![b'x'; 64 << 20];
    let err = transport
        .write_all(&huge, Duration::from_millis(400))
        .expect_err("stalls");
    assert!(matches!(err, TransportError::Timeout(_)), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    drop(transport);
    drop(release);
    hold.join().expect("holder");
}

#[test]
fn nobody_listening_is_an_open_error_naming_the_printer() {
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let err = open(&PrinterUri::Tcp {
        host: "127.0.0.1".into(),
        port,
    })
    .err()
    .expect("refused");
    assert!(
        err.to_string().contains(&format!("127.0.0.1:{port}")),
        "{err}"
    );
}

#[test]
fn file_printer_gets_the_bytes_and_is_never_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("lp0");
    let uri = PrinterUri::parse(&format!("file:{}", path.display())).expect("uri");
    let mut transport = open(&uri).expect("opens lazily");
    assert!(!transport.can_read());
    let job = job();
    let outcome = print_job(transport.as_mut(), &job, Duration::from_secs(2)).expect("prints");
    assert_eq!(outcome.status, PrinterStatus::Unknown);
    assert!(outcome.status_unknown);
    assert_eq!(std::fs::read(&path).expect("written"), job);
}

#[test]
fn no_printer_configured() {
    assert!(matches!(
        open(&PrinterUri::None),
        Err(TransportError::NoPrinter)
    ));
}
