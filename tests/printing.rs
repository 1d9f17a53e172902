//! Receipts and slips on the receipt printer: what the paper says (decoded from the exact
//! bytes), and what happens with real transports: a pseudo-terminal serial printer that runs
//! out of paper, a file, loopback TCP printers that answer, refuse or never read.

mod fake;
mod golden;
mod paper;
mod printers;
mod usb;

use jifen::app::printing;
use jifen::app::settings::{self, PrinterSettings};
use jifen::core::ReceiptNo;
use jifen_hardware::text::gbk_width;
use jifen_hardware::{Decoded, PrinterProfile, StyleChange, decode};

use crate::common::*;

pub fn text_lines(bytes: &[u8]) -> Vec<String> {
    decode(bytes)
        .into_iter()
        .filter_map(|d| match d {
            Decoded::Text(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// The value printed to the right of a label (`兑换后积分 ........ 30`).
pub fn value_of(lines: &[String], label: &str) -> String {
    let line = lines
        .iter()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no line {label} in {lines:#?}"));
    line[label.len()..].trim().to_string()
}

/// The widest printed line in ASCII columns, double-size text counted twice.
pub fn widest(bytes: &[u8]) -> usize {
    let mut magnify = 1;
    let mut widest = 0;
    for d in decode(bytes) {
        match d {
            Decoded::Style(StyleChange::Size { width, .. }) => magnify = usize::from(width),
            Decoded::Text(t) => widest = widest.max(gbk_width(&t) * magnify),
            _ => {}
        }
    }
    widest
}

pub fn settings_for(profile: PrinterProfile) -> PrinterSettings {
    PrinterSettings {
        profile,
        ..PrinterSettings::default()
    }
}

/// The bytes the job queued for a receipt would send.
pub fn receipt_bytes(s: &mut Store, no: &ReceiptNo, profile: PrinterProfile) -> Vec<u8> {
    let id = printing::queue_receipt(&mut s.db, None, no, t0()).unwrap();
    let job = printing::find_job(&mut s.db, id).unwrap();
    printing::job_bytes(&mut s.db, &job, &settings_for(profile)).unwrap()
}

pub fn use_printer(s: &mut Store, uri: &str, timeout_ms: u32) {
    let m = s.manager.clone();
    settings::set(&mut s.db, &m, settings::PRINTER_URI, uri, t0()).unwrap();
    let timeout = timeout_ms.to_string();
    settings::set(&mut s.db, &m, settings::PRINTER_TIMEOUT_MS, &timeout, t0()).unwrap();
}

/// Every row except print jobs, settings and the audit log: the ledgers and redemptions.
pub fn ledgers(s: &Store) -> Vec<String> {
    content(&s.path())
        .into_iter()
        .filter(|row| {
            !["print_job:", "setting:", "audit_log:"]
                .iter()
                .any(|t| row.starts_with(t))
        })
        .collect()
}
