//! A serial scanner on a pseudo-terminal: the test types on the master like the scanner.

use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

use jifen_hardware::{ScannerConfig, Suffix, start_scanner};
use serialport::{SerialPort, TTYPort};

#[test]
fn a_scan_arrives_on_the_channel() {
    let (mut master, slave) = TTYPort::pair().expect("pty pair");
    let path = slave.name().expect("slave path");
    let (tx, rx) = mpsc::channel();
    let config = ScannerConfig {
        path,
        baud: 9600,
        suffix: Suffix::CrLf,
    };
    let handle = start_scanner(&config, tx).expect("opens the port");
    master
        .write_all(b"\xff\xfe\r\n6901234567892\r\n")
        .expect("types");
    let scan = rx.recv_timeout(Duration::from_secs(5)).expect("a scan");
    assert_eq!(scan, "6901234567892");
    assert!(handle.is_running());
    handle.stop().expect("stops cleanly");
    assert!(
        rx.recv_timeout(Duration::from_millis(100)).is_err(),
        "garbage line dropped"
    );
    drop(slave);
}

#[test]
fn a_missing_port_is_a_clear_error() {
    let (tx, _rx) = mpsc::channel();
    let config = ScannerConfig {
        path: "/dev/does-not-exist-ttyUSB9".into(),
        baud: 9600,
        suffix: Suffix::Cr,
    };
    let err = start_scanner(&config, tx).err().expect("fails");
    assert!(
        err.to_string().contains("/dev/does-not-exist-ttyUSB9"),
        "{err}"
    );
}
