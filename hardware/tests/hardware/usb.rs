//! The USB transport as far as a machine without a printer allows: the write and read path
//! through a test double of escpos's `Driver` (what `NativeUsbDriver` and
//! `WindowsUsbPrintDriver` are to it), and the listing and opening with no printer present.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use escpos::driver::Driver;
use jifen_hardware::transport::TransportError;
use jifen_hardware::{
    PrintError, PrinterProfile, PrinterStatus, PrinterUri, UsbError, UsbTransport, open, print_job,
    render, test_page, usb,
};

use crate::common::font;

const QUERIES: [u8; 12] = [0x10, 0x04, 1, 0, 0x10, 0x04, 2, 0, 0x10, 0x04, 4, 0];

/// Plays a USB printer behind escpos's driver API: keeps what it is sent, queues a reply to
/// each `DLE EOT 1/2/4` on its bulk-in side, and can stop taking data (a printer whose
/// buffer is full). Reads wait up to 5 s, as escpos's USB drivers do.
#[derive(Clone)]
struct FakeUsbDriver {
    sent: Arc<Mutex<Vec<u8>>>,
    replies: [Option<u8>; 3],
    answers: Sender<u8>,
    bulk_in: Arc<Mutex<Receiver<u8>>>,
    stalled: bool,
}

impl FakeUsbDriver {
    fn new(replies: [Option<u8>; 3]) -> Self {
        let (answers, bulk_in) = mpsc::channel();
        Self {
            sent: Arc::default(),
            replies,
            answers,
            bulk_in: Arc::new(Mutex::new(bulk_in)),
            stalled: false,
        }
    }

    fn sent(&self) -> Vec<u8> {
        self.sent.lock().unwrap().clone()
    }
}

impl Driver for FakeUsbDriver {
    fn name(&self) -> String {
        "fake USB printer".into()
    }

    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        if self.stalled {
            std::thread::sleep(Duration::from_secs(5));
            return Err(escpos::errors::PrinterError::Io("timed out".into()));
        }
        let mut sent = self.sent.lock().unwrap();
        for &b in data {
            sent.push(b);
            if let [.., 0x10, 0x04, q] = sent.as_slice() {
                let slot = [1u8, 2, 4].iter().position(|n| n == q);
                if let Some(r) = slot.and_then(|i| self.replies[i]) {
                    self.answers.send(r).unwrap();
                }
            }
        }
        Ok(())
    }

    fn read(&self, buf: &mut [u8]) -> escpos::errors::Result<usize> {
        let bulk_in = self.bulk_in.lock().unwrap();
        match bulk_in.recv_timeout(Duration::from_secs(5)) {
            Ok(b) => {
                buf[0] = b;
                Ok(1)
            }
            Err(_) => Err(escpos::errors::PrinterError::Io("timed out".into())),
        }
    }

    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

fn job() -> Vec<u8> {
    let profile = PrinterProfile::mm58();
    render(&test_page(&profile), &profile, font()).expect("renders")
}

#[test]
fn a_ready_usb_printer_gets_escposs_status_queries_then_the_job_intact() {
    let fake = FakeUsbDriver::new([Some(0x12); 3]);
    let mut transport = UsbTransport::new(fake.clone());
    let job = job();
    let outcome = print_job(&mut transport, &job, Duration::from_secs(2)).expect("prints");
    assert_eq!(outcome.status, PrinterStatus::Ready);
    assert!(!outcome.status_unknown);
    assert_eq!(fake.sent(), [&QUERIES[..], &job].concat());
}

#[test]
fn a_usb_printer_out_of_paper_gets_no_job() {
    let fake = FakeUsbDriver::new([Some(0x1A), Some(0x32), Some(0x72)]);
    let mut transport = UsbTransport::new(fake.clone());
    let result = print_job(&mut transport, &job(), Duration::from_secs(2));
    assert!(matches!(
        result,
        Err(PrintError::NotReady(PrinterStatus::PaperOut))
    ));
    assert_eq!(fake.sent(), QUERIES, "only the status queries");
}

#[test]
fn a_usb_printer_that_never_answers_prints_with_status_unknown() {
    let fake = FakeUsbDriver::new([None; 3]);
    let mut transport = UsbTransport::new(fake.clone());
    let job = job();
    // escpos's driver would wait 5 s for the reply; we wait the job's timeout, and the job
    // still goes out on the other endpoint while that read is outstanding.
    let outcome = print_job(&mut transport, &job, Duration::from_millis(300)).expect("prints");
    assert!(outcome.status_unknown);
    assert_eq!(fake.sent(), [&QUERIES[..4], &job].concat());
}

#[test]
fn a_usb_printer_that_takes_no_data_times_out_instead_of_hanging() {
    let mut fake = FakeUsbDriver::new([None; 3]);
    fake.stalled = true;
    let mut transport = UsbTransport::new(fake);
    let result = print_job(&mut transport, b"\x1b@abc\n", Duration::from_millis(200));
    assert!(
        matches!(
            result,
            Err(PrintError::Transport(TransportError::Timeout(_)))
        ),
        "{result:?}"
    );
}

/// On this machine (and CI's) no USB printer is attached.
#[test]
fn with_no_usb_printer_present_listing_and_opening_say_so_clearly() {
    match usb::printers() {
        Ok(printers) => assert!(!printers.is_empty(), "an empty list is NoneFound"),
        Err(e) => {
            assert!(
                matches!(e, UsbError::NoneFound | UsbError::List(_)),
                "{e:?}"
            );
            assert!(e.to_string().contains("USB"), "{e}");
        }
    }
    let uri = PrinterUri::parse("usb:ffff:fffe").expect("parses");
    let Err(e) = open(&uri) else {
        panic!("no such printer here");
    };
    let TransportError::Open { target, source } = &e else {
        panic!("{e:?}");
    };
    assert_eq!(target, "usb:ffff:fffe");
    let message = source.to_string();
    assert!(
        message.contains("USB 打印机 ffff:fffe") || message.contains("USB 设备列表"),
        "{message}"
    );
}
