//! Printers played by the test: a serial printer on a pseudo-terminal pair that answers
//! `DLE EOT n` (its replies change when paper is "loaded"), and a network printer on loopback.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serialport::{SerialPort, TTYPort};

/// Replies to `DLE EOT 1`, `2`, `4`.
pub type Replies = [Option<u8>; 3];
pub const READY: Replies = [Some(0x12), Some(0x12), Some(0x12)];
pub const PAPER_OUT: Replies = [Some(0x1A), Some(0x32), Some(0x72)];
/// The three status queries a printer that answers gets before each job: escpos's
/// `DLE EOT n` with the NUL it sends after each.
pub const QUERIES: [u8; 12] = [0x10, 0x04, 1, 0, 0x10, 0x04, 2, 0, 0x10, 0x04, 4, 0];

pub struct SerialPrinter {
    received: Arc<Mutex<Vec<u8>>>,
    pub replies: Arc<Mutex<Replies>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    _slave: TTYPort,
    path: String,
}

impl SerialPrinter {
    pub fn start(replies: Replies) -> Self {
        let (mut master, slave) = TTYPort::pair().expect("pty pair");
        let path = slave.name().expect("slave path");
        let received = Arc::new(Mutex::new(Vec::new()));
        let replies = Arc::new(Mutex::new(replies));
        let stop = Arc::new(AtomicBool::new(false));
        let (rec, rep, halt) = (received.clone(), replies.clone(), stop.clone());
        let thread = thread::spawn(move || {
            master.set_timeout(Duration::from_millis(20)).unwrap();
            let mut buf = [0u8; 4096];
            while !halt.load(Ordering::Relaxed) {
                let Ok(n) = master.read(&mut buf) else {
                    continue;
                };
                for &b in &buf[..n] {
                    let mut all = rec.lock().unwrap();
                    all.push(b);
                    if let [.., 0x10, 0x04, q] = all.as_slice() {
                        let slot = [1u8, 2, 4].iter().position(|n| n == q);
                        if let Some(r) = slot.and_then(|i| rep.lock().unwrap()[i]) {
                            master.write_all(&[r]).unwrap();
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

    pub fn uri(&self) -> String {
        format!("serial:{}?baud=9600", self.path)
    }

    /// Everything received so far, once `len` bytes are in or nothing came for 300 ms.
    pub fn received(&self, len: usize) -> Vec<u8> {
        let until = Instant::now() + Duration::from_secs(5);
        let (mut seen, mut quiet_since) = (0, Instant::now());
        loop {
            let now_len = self.received.lock().unwrap().len();
            if now_len != seen {
                (seen, quiet_since) = (now_len, Instant::now());
            }
            let quiet = quiet_since.elapsed() > Duration::from_millis(300);
            if now_len >= len || quiet || Instant::now() > until {
                return self.received.lock().unwrap().clone();
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn clear(&self) {
        self.received.lock().unwrap().clear();
    }
}

impl Drop for SerialPrinter {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A network printer on `127.0.0.1`: answers every status query "ready" and returns all it
/// was sent on one connection once the sender hangs up.
pub fn network_printer() -> (String, JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let printer = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = stream.read(&mut buf) {
            for &b in &buf[..n] {
                all.push(b);
                if let [.., 0x10, 0x04, 1 | 2 | 4] = all.as_slice() {
                    stream.write_all(&[0x12]).unwrap();
                }
            }
        }
        all
    });
    (format!("tcp:127.0.0.1:{port}"), printer)
}
