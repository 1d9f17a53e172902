//! Real transports with a printer played by the test, and the printer worker: a job that
//! cannot print fails with the reason, never blocks the counter, never touches the ledgers.

use std::time::{Duration, Instant};

use jifen::app::Error;
use jifen::app::print_worker::{JobOutcome, PrintWorker};
use jifen::app::printing::{self, JobKind, JobStatus};
use jifen::app::redeem::redeem;
use jifen::app::settings::{self, PrinterSettings};
use jifen::core::refusal::Refusal;
use jifen_hardware::{PrinterProfile, PrinterUri};

use super::{fake, ledgers, text_lines, use_printer, value_of};
use crate::common::*;

#[test]
fn paper_out_fails_the_job_the_redemption_stands_and_the_reprint_prints_after_loading_paper() {
    let mut s = small_store();
    let printer = fake::SerialPrinter::start(fake::PAPER_OUT);
    use_printer(&mut s, &printer.uri(), 1000);
    let worker = PrintWorker::start(&s.path()).unwrap();

    let done = redeem(&mut s.db, &s.cashier, &cart("101001", &[("1001", 1)]), t0()).unwrap();
    let no = done.receipt.receipt_no;
    let before = ledgers(&s);
    let id = printing::queue_receipt(&mut s.db, Some(&s.cashier), &no, t0()).unwrap();
    worker.wake();
    let event = worker
        .events()
        .recv_timeout(Duration::from_secs(10))
        .unwrap();
    assert_eq!(
        (event.job_id, event.kind, event.reference.as_str()),
        (id, JobKind::Receipt, "2026-000001")
    );
    let JobOutcome::Failed(reason) = &event.outcome else {
        panic!("{event:?}")
    };
    assert!(reason.contains("缺纸"), "{reason}");
    let job = printing::find_job(&mut s.db, id).unwrap();
    assert_eq!(job.status, JobStatus::Failed);
    assert!(
        job.error.as_deref().unwrap().starts_with("打印机缺纸"),
        "{job:?}"
    );
    assert_eq!(
        printer.received(usize::MAX),
        fake::QUERIES,
        "nothing but the status queries"
    );
    assert_eq!(ledgers(&s), before, "the redemption stands as it was");
    assert_eq!(balance(&mut s.db, "101001"), 50);

    *printer.replies.lock().unwrap() = fake::READY; // staff loads paper
    printer.clear();
    let again = printing::retry(&mut s.db, &s.cashier, id, at(2026, 11, 20, 9, 5)).unwrap();
    worker.wake();
    let event = worker
        .events()
        .recv_timeout(Duration::from_secs(10))
        .unwrap();
    assert_eq!(
        (event.job_id, &event.outcome),
        (again, &JobOutcome::Printed { note: None })
    );
    let job = printing::find_job(&mut s.db, again).unwrap();
    assert_eq!(
        (job.kind, job.status, job.attempts),
        (JobKind::Reprint, JobStatus::Printed, 1)
    );
    let settings = PrinterSettings::load(&mut s.db).unwrap();
    let expected = printing::job_bytes(&mut s.db, &job, &settings).unwrap();
    let got = printer.received(fake::QUERIES.len() + expected.len());
    assert_eq!(got, [&fake::QUERIES[..], &expected].concat());
    let lines = text_lines(&got);
    assert!(lines.iter().any(|l| l.contains("重打")), "{lines:#?}");
    assert_eq!(value_of(&lines, "重打时间"), "2026-11-20 09:05");
    assert_eq!(value_of(&lines, "兑换后积分"), "50");
    assert_eq!(ledgers(&s), before);
    worker.stop();
}

#[test]
fn a_file_printer_gets_exactly_the_rendered_bytes() {
    let mut s = small_store();
    let path = s.dir.path().join("lp0");
    use_printer(&mut s, &format!("file:{}", path.display()), 1000);
    let done = redeem(&mut s.db, &s.cashier, &cart("102001", &[("1003", 1)]), t0()).unwrap();
    let id = printing::queue_receipt(&mut s.db, None, &done.receipt.receipt_no, t0()).unwrap();
    let job = printing::print_now(&mut s.db, id).unwrap();
    assert_eq!(job.status, JobStatus::Printed);
    assert!(
        job.note.as_deref().unwrap().contains("没有回应"),
        "a file never answers: {job:?}"
    );
    let settings = PrinterSettings::load(&mut s.db).unwrap();
    let expected = printing::job_bytes(&mut s.db, &job, &settings).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), expected);
    // Printing a job that is done does nothing.
    assert_eq!(printing::print_now(&mut s.db, id).unwrap().attempts, 1);
    assert_eq!(std::fs::read(&path).unwrap().len(), expected.len());
}

#[test]
fn a_network_printer_gets_the_receipt_after_the_status_queries() {
    let mut s = small_store();
    let (uri, printer) = fake::network_printer();
    use_printer(&mut s, &uri, 2000);
    let done = redeem(&mut s.db, &s.cashier, &cart("101002", &[("1001", 2)]), t0()).unwrap();
    let id = printing::queue_receipt(&mut s.db, None, &done.receipt.receipt_no, t0()).unwrap();
    let job = printing::print_now(&mut s.db, id).unwrap();
    assert_eq!(
        (job.status, job.note.as_deref()),
        (JobStatus::Printed, None)
    );
    assert_eq!(job.printer.as_deref(), Some(uri.as_str()));
    let settings = PrinterSettings::load(&mut s.db).unwrap();
    let expected = printing::job_bytes(&mut s.db, &job, &settings).unwrap();
    assert_eq!(
        printer.join().unwrap(),
        [&fake::QUERIES[..], &expected].concat()
    );
    assert_eq!(value_of(&text_lines(&expected), "兑换后积分"), "0");
}

#[test]
fn a_dead_network_printer_never_blocks_the_counter() {
    let mut s = small_store();
    // Nobody listening: the job fails at once, with the reason.
    let gone = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = gone.local_addr().unwrap().port();
    drop(gone);
    use_printer(&mut s, &format!("tcp:127.0.0.1:{port}"), 400);
    let worker = PrintWorker::start(&s.path()).unwrap();
    let done = redeem(&mut s.db, &s.cashier, &cart("101001", &[("1002", 1)]), t0()).unwrap();
    let no = done.receipt.receipt_no;
    let started = Instant::now();
    let id = printing::queue_receipt(&mut s.db, Some(&s.cashier), &no, t0()).unwrap();
    worker.wake();
    assert!(
        started.elapsed() < Duration::from_millis(1000),
        "queueing waited on the printer"
    );
    let event = worker
        .events()
        .recv_timeout(Duration::from_secs(5))
        .unwrap();
    let JobOutcome::Failed(reason) = &event.outcome else {
        panic!("{event:?}")
    };
    assert!(reason.contains("打不开打印机"), "{reason}");
    assert_eq!(
        printing::find_job(&mut s.db, id).unwrap().status,
        JobStatus::Failed
    );

    // Accepts the connection, never reads, never answers: the status query times out (1.5 s,
    // on the worker, not here); the small job fits the socket buffers, so it goes out as
    // "status unknown" with a note to check the paper.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = silent.local_addr().unwrap();
    use_printer(&mut s, &format!("tcp:{address}"), 1500);
    let started = Instant::now();
    let id = printing::queue_reprint(&mut s.db, &s.cashier, &no, t0()).unwrap();
    worker.wake();
    assert!(
        started.elapsed() < Duration::from_millis(1000),
        "queueing waited on the printer"
    );
    let event = worker
        .events()
        .recv_timeout(Duration::from_secs(5))
        .unwrap();
    let waited = started.elapsed();
    assert!(
        (Duration::from_millis(1400)..Duration::from_secs(5)).contains(&waited),
        "{waited:?}"
    );
    assert_eq!(event.job_id, id);
    let JobOutcome::Printed { note: Some(note) } = &event.outcome else {
        panic!("{event:?}")
    };
    assert!(note.contains("没有回应"), "{note}");
    assert_eq!(balance(&mut s.db, "101001"), 85);
    worker.stop();
    drop(silent);
}

#[test]
fn printer_settings_are_typed_checked_and_only_a_manager_changes_them() {
    let mut s = small_store();
    let default = PrinterSettings::load(&mut s.db).unwrap();
    assert_eq!(default.uri, PrinterUri::None);
    assert_eq!(default.footer, "积分来之不易，感谢您为乡村文明出力");
    let mut mine = default.clone();
    mine.uri = PrinterUri::parse("tcp:192.168.1.50").unwrap();
    mine.profile = PrinterProfile::new(80, 512).unwrap();
    mine.footer = "文明新风 积分兑换".into();
    assert!(matches!(
        mine.save(&mut s.db, &s.cashier, t0()),
        Err(Error::Refused(Refusal::NotPermitted { .. }))
    ));
    mine.save(&mut s.db, &s.manager, t0()).unwrap();
    assert_eq!(PrinterSettings::load(&mut s.db).unwrap(), mine);

    let m = s.manager.clone();
    settings::set(&mut s.db, &m, settings::PRINTER_PAPER_MM, "58", t0()).unwrap();
    let now = PrinterSettings::load(&mut s.db).unwrap();
    assert_eq!(
        now.profile.dots(),
        384,
        "58 mm paper brings its own head width"
    );
    for (key, value) in [
        (settings::PRINTER_HEAD_DOTS, "576"),
        (settings::PRINTER_URI, "usb:1"),
        (settings::PRINTER_CHARSET, "big5"),
        (settings::IDLE_LOCK_MINUTES, "many"),
        ("Bad Key", "1"),
    ] {
        let err = settings::set(&mut s.db, &m, key, value, t0()).unwrap_err();
        assert!(
            matches!(err, Error::Refused(Refusal::BadSetting { .. })),
            "{key}: {err}"
        );
    }
    settings::set(&mut s.db, &m, settings::IDLE_LOCK_MINUTES, "10", t0()).unwrap();
    settings::set(&mut s.db, &m, settings::SCANNER_PORT, "/dev/ttyACM0", t0()).unwrap();
    assert_eq!(
        settings::get(&mut s.db, settings::IDLE_LOCK_MINUTES)
            .unwrap()
            .as_deref(),
        Some("10")
    );
    assert_eq!(
        settings::get(&mut s.db, settings::SCANNER_PORT)
            .unwrap()
            .as_deref(),
        Some("/dev/ttyACM0")
    );
    assert!(settings::set(&mut s.db, &s.cashier, settings::LANGUAGE, "en", t0()).is_err());
}

#[test]
fn a_job_left_printing_by_a_crash_fails_as_interrupted_and_is_not_printed_twice() {
    let mut s = small_store();
    let path = s.dir.path().join("lp0");
    use_printer(&mut s, &format!("file:{}", path.display()), 500);
    let done = redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 1)]), t0()).unwrap();
    let id = printing::queue_receipt(&mut s.db, None, &done.receipt.receipt_no, t0()).unwrap();
    s.db.connection()
        .execute(
            "UPDATE print_job SET status = 'printing', updated_at = '2000-01-01 00:00:00' WHERE id = ?1",
            [id],
        )
        .unwrap();
    let worker = PrintWorker::start(&s.path()).unwrap();
    let job = printing::find_job(&mut s.db, id).unwrap();
    assert_eq!(job.status, JobStatus::Failed);
    assert!(job.error.unwrap().contains("打印中断"));
    worker.wake();
    assert!(
        worker
            .events()
            .recv_timeout(Duration::from_millis(500))
            .is_err()
    );
    assert!(!path.exists(), "nothing was sent");
    worker.stop();
}

#[test]
fn command_line_overrides_are_checked_like_settings() {
    let base = PrinterSettings::default();
    let s = base
        .clone()
        .with_overrides(Some("tcp:10.0.0.9"), Some(80))
        .unwrap();
    assert_eq!(s.uri, PrinterUri::parse("tcp:10.0.0.9:9100").unwrap());
    assert_eq!((s.profile.paper.mm(), s.profile.dots()), (80, 576));
    assert!(matches!(
        base.clone().with_overrides(None, Some(76)),
        Err(Error::Refused(Refusal::BadSetting { .. }))
    ));
    assert!(base.with_overrides(Some("lpt1"), None).is_err());
}
