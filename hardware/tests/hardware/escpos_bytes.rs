//! The commands that must be `escpos`'s own, byte for byte: the native QR code, the status
//! requests and the cut, each compared with what a bare escpos `Printer` builds for it (and
//! with the ESC/POS manual's bytes, so an escpos upgrade that changed them would show here).

use std::time::Duration;

use escpos::printer::Printer;
use escpos::utils::{QRCodeCorrectionLevel, QRCodeModel, QRCodeOption, RealTimeStatusRequest};
use jifen_hardware::transport::TransportError;
use jifen_hardware::{
    Doc, Item, MemoryDriver, PrinterProfile, Transport, decode, print_job, query_status, render,
};

use crate::common::{contains, font};

/// What a bare escpos printer sends for `build`.
fn escpos_bytes(build: impl FnOnce(&mut Printer<MemoryDriver>)) -> Vec<u8> {
    let sink = MemoryDriver::default();
    let mut printer = Printer::new(sink.clone(), jifen_hardware::encode::protocol(), None);
    build(&mut printer);
    printer.print().expect("memory never fails");
    sink.take()
}

#[test]
fn a_native_qr_is_escposs_model_2_module_6_level_m() {
    let payload = "148210001230112345678901";
    let mut doc = Doc::new();
    doc.push(Item::Qr(payload.into()));
    let ours = render(&doc, &PrinterProfile::mm58(), font()).expect("renders");
    let theirs = escpos_bytes(|p| {
        let option = QRCodeOption::new(QRCodeModel::Model2, 6, QRCodeCorrectionLevel::M);
        p.qrcode_option(payload, option).expect("qr");
    });
    assert!(contains(&ours, &theirs), "escpos's QR bytes in the job");
    let manual = [
        &[0x1D, 0x28, 0x6B, 4, 0, 49, 65, 50, 0][..], // model 2
        &[0x1D, 0x28, 0x6B, 3, 0, 49, 67, 6],         // module 6 dots
        &[0x1D, 0x28, 0x6B, 3, 0, 49, 69, 49],        // level M
        &[0x1D, 0x28, 0x6B, 27, 0, 49, 80, 48],       // store 24 bytes
        payload.as_bytes(),
        &[0x1D, 0x28, 0x6B, 3, 0, 49, 81, 48], // print
    ]
    .concat();
    assert_eq!(theirs, manual);
}

#[test]
fn the_cut_is_escposs_and_there_is_one() {
    let mut doc = Doc::new();
    doc.text("大米").push(Item::Cut);
    let ours = render(&doc, &PrinterProfile::mm80(), font()).expect("renders");
    let theirs = escpos_bytes(|p| {
        p.cut().expect("cut");
    });
    assert_eq!(theirs, [0x1D, b'V', 65, 0], "feed to the cutter and cut");
    assert!(contains(&ours, &theirs));
    let cuts = decode(&ours)
        .into_iter()
        .filter(|d| *d == jifen_hardware::Decoded::Cut)
        .count();
    assert_eq!(cuts, 1);
}

/// A transport that records what it is sent and answers every read with "ready".
struct Recorder {
    sent: Vec<u8>,
    answers: bool,
}

impl Transport for Recorder {
    fn write_all(&mut self, bytes: &[u8], _timeout: Duration) -> Result<(), TransportError> {
        self.sent.extend_from_slice(bytes);
        Ok(())
    }

    fn read(&mut self, buf: &mut [u8], _timeout: Duration) -> Result<usize, TransportError> {
        // One reply per request written, never more (the drain before the queries gets 0).
        let asked = self.sent.iter().filter(|b| **b == 0x04).count();
        if self.answers && asked > 0 && !buf.is_empty() {
            self.answers = asked < 3;
            buf[0] = 0x12;
            return Ok(1);
        }
        Ok(0)
    }

    fn can_read(&self) -> bool {
        true
    }
}

#[test]
fn status_requests_are_escposs_and_precede_the_job() {
    let theirs = escpos_bytes(|p| {
        for r in [
            RealTimeStatusRequest::Printer,
            RealTimeStatusRequest::OfflineCause,
            RealTimeStatusRequest::RollPaperSensor,
        ] {
            p.real_time_status(r).expect("status");
        }
    });
    // `DLE EOT n` and the NUL escpos puts after it (printers ignore a NUL).
    assert_eq!(theirs, [0x10, 4, 1, 0, 0x10, 4, 2, 0, 0x10, 4, 4, 0]);
    let mut printer = Recorder {
        sent: Vec::new(),
        answers: true,
    };
    let status = query_status(&mut printer, Duration::from_millis(200));
    assert_eq!(status, jifen_hardware::PrinterStatus::Ready);
    assert_eq!(printer.sent, theirs);

    let mut printer = Recorder {
        sent: Vec::new(),
        answers: true,
    };
    let job = [0x1B, b'@', b'A', b'\n'];
    let outcome = print_job(&mut printer, &job, Duration::from_millis(200)).expect("prints");
    assert!(!outcome.status_unknown);
    assert_eq!(printer.sent, [&theirs[..], &job].concat());
}
