//! A USB printer address at the counter, on a machine with no USB printer (this one, CI's):
//! the setting is accepted, the job fails with a reason a clerk can act on, and the
//! redemption stands for a reprint.

use jifen::app::printing::{self, JobStatus};
use jifen::app::redeem::redeem;
use jifen::app::settings::PrinterSettings;
use jifen_hardware::PrinterUri;

use super::{ledgers, use_printer};
use crate::common::*;

#[test]
fn a_usb_printer_that_is_not_plugged_in_fails_the_job_with_what_to_check() {
    let mut s = small_store();
    use_printer(&mut s, "usb:ffff:fffe", 500);
    let settings = PrinterSettings::load(&mut s.db).unwrap();
    assert_eq!(
        settings.uri,
        PrinterUri::Usb {
            device: Some((0xffff, 0xfffe))
        }
    );
    let done = redeem(&mut s.db, &s.cashier, &cart("101001", &[("1002", 1)]), t0()).unwrap();
    let before = ledgers(&s);
    let id = printing::queue_receipt(&mut s.db, None, &done.receipt.receipt_no, t0()).unwrap();
    let job = printing::print_now(&mut s.db, id).unwrap();
    assert_eq!(job.status, JobStatus::Failed);
    let reason = job.error.unwrap_or_default();
    // Said the clerk's way (issue 17): which printer, and what to check.
    assert!(reason.contains("找不到打印机 usb:ffff:fffe"), "{reason}");
    assert!(reason.contains("数据线"), "{reason}");
    assert_eq!(ledgers(&s), before, "the redemption stands as it was");
}
