//! Receipts and slips on the receipt printer: what the paper says (decoded from the exact
//! bytes), and what happens with real transports: a pseudo-terminal serial printer that runs
//! out of paper, a file, loopback TCP printers that answer, refuse or never read.

mod fake;

use std::time::{Duration, Instant};

use jifen::app::print_worker::{JobOutcome, PrintWorker};
use jifen::app::printing::{self, JobKind, JobStatus, Preview};
use jifen::app::redeem::{redeem, void_redemption};
use jifen::app::settings::{self, PrinterSettings};
use jifen::app::{Error, sessions, stock};
use jifen::core::ReceiptNo;
use jifen::core::redemption::Via;
use jifen::core::refusal::Refusal;
use jifen_hardware::text::gbk_width;
use jifen_hardware::{Decoded, PrinterProfile, PrinterUri, StyleChange, decode};

use crate::common::*;

fn text_lines(bytes: &[u8]) -> Vec<String> {
    decode(bytes)
        .into_iter()
        .filter_map(|d| match d {
            Decoded::Text(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// The value printed to the right of a label (`兑换后积分 ........ 30`).
fn value_of(lines: &[String], label: &str) -> String {
    let line = lines
        .iter()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no line {label} in {lines:#?}"));
    line[label.len()..].trim().to_string()
}

/// The widest printed line in ASCII columns, double-size text counted twice.
fn widest(bytes: &[u8]) -> usize {
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

fn settings_for(profile: PrinterProfile) -> PrinterSettings {
    PrinterSettings {
        profile,
        ..PrinterSettings::default()
    }
}

/// The bytes the job queued for a receipt would send.
fn receipt_bytes(s: &mut Store, no: &ReceiptNo, profile: PrinterProfile) -> Vec<u8> {
    let id = printing::queue_receipt(&mut s.db, None, no, t0()).unwrap();
    let job = printing::find_job(&mut s.db, id).unwrap();
    printing::job_bytes(&mut s.db, &job, &settings_for(profile)).unwrap()
}

fn use_printer(s: &mut Store, uri: &str, timeout_ms: u32) {
    let m = s.manager.clone();
    settings::set(&mut s.db, &m, settings::PRINTER_URI, uri, t0()).unwrap();
    let timeout = timeout_ms.to_string();
    settings::set(&mut s.db, &m, settings::PRINTER_TIMEOUT_MS, &timeout, t0()).unwrap();
}

/// Every row except print jobs, settings and the audit log: the ledgers and redemptions.
fn ledgers(s: &Store) -> Vec<String> {
    content(&s.path())
        .into_iter()
        .filter(|row| {
            !["print_job:", "setting:", "audit_log:"]
                .iter()
                .any(|t| row.starts_with(t))
        })
        .collect()
}

#[test]
fn a_receipt_says_what_the_store_recorded() {
    let mut s = small_store();
    let done = redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1001", 1), ("1003", 2)]),
        t0(),
    )
    .unwrap();
    let no = done.receipt.receipt_no;
    for profile in [
        PrinterProfile::mm58(),
        PrinterProfile::mm80(),
        PrinterProfile::new(80, 512).unwrap(),
    ] {
        let bytes = receipt_bytes(&mut s, &no, profile);
        let lines = text_lines(&bytes);
        assert!(
            lines.iter().any(|l| l.contains("测试积分超市")),
            "{lines:#?}"
        );
        assert_eq!(value_of(&lines, "单号"), "2026-000001");
        assert_eq!(value_of(&lines, "时间"), "2026-11-20 09:00");
        assert_eq!(value_of(&lines, "经办"), "王芳");
        assert_eq!(value_of(&lines, "户号"), "101001");
        assert_eq!(value_of(&lines, "户主"), "王大山");
        assert_eq!(value_of(&lines, "村组"), "青山村 第一组");
        let words = |l: &str| l.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        let rice = lines.iter().find(|l| l.starts_with("大米")).unwrap();
        assert_eq!(words(rice), ["大米", "5kg", "×1", "50", "50"]);
        let toothpaste = lines.iter().find(|l| l.starts_with("牙膏")).unwrap();
        assert_eq!(words(toothpaste), ["牙膏", "×2", "10", "20"]);
        assert_eq!(value_of(&lines, "合计积分"), "70");
        assert_eq!(value_of(&lines, "兑换前积分"), "100");
        assert_eq!(value_of(&lines, "兑换后积分"), "30");
        assert!(lines.iter().any(|l| l.starts_with("领取人签字")));
        let all: String = lines.iter().map(|l| l.trim()).collect();
        assert!(
            all.contains("积分来之不易，感谢您为乡村文明出力"),
            "{lines:#?}"
        );
        assert!(
            !lines
                .iter()
                .any(|l| l.contains("未用卡") || l.contains("重打"))
        );
        assert!(widest(&bytes) <= profile.columns(), "{lines:#?}");
        assert!(!bytes.windows(2).any(|w| w == b"&#"));
    }
}

#[test]
fn no_card_and_void_are_printed() {
    let mut s = small_store();
    let mut request = cart("101002", &[("1002", 1)]);
    request.via = Via::Manual {
        reason: "户卡遗失".into(),
    };
    let done = redeem(&mut s.db, &s.cashier, &request, t0()).unwrap();
    let no = done.receipt.receipt_no;
    let lines = text_lines(&receipt_bytes(&mut s, &no, PrinterProfile::mm58()));
    assert!(
        lines.iter().any(|l| l.contains("未用卡：户卡遗失")),
        "{lines:#?}"
    );
    assert!(!lines.iter().any(|l| l.contains("已作废")));

    void_redemption(
        &mut s.db,
        &s.manager,
        &no,
        "拿错了",
        at(2026, 11, 20, 9, 30),
    )
    .unwrap();
    let lines = text_lines(&receipt_bytes(&mut s, &no, PrinterProfile::mm58()));
    assert!(lines.iter().any(|l| l.contains("已作废")), "{lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("作废：2026-11-20 09:30 张丽"))
    );
    assert!(lines.iter().any(|l| l.contains("原因：拿错了")));
}

#[test]
fn a_reprint_says_chongda_and_when() {
    let mut s = small_store();
    let done = redeem(&mut s.db, &s.cashier, &cart("101001", &[("1002", 1)]), t0()).unwrap();
    let no = done.receipt.receipt_no;
    let id = printing::queue_reprint(&mut s.db, &s.cashier, &no, at(2026, 11, 20, 10, 15)).unwrap();
    let job = printing::find_job(&mut s.db, id).unwrap();
    assert_eq!(
        (job.kind, job.status),
        (JobKind::Reprint, JobStatus::Pending)
    );
    let bytes = printing::job_bytes(&mut s.db, &job, &PrinterSettings::default()).unwrap();
    let lines = text_lines(&bytes);
    assert!(lines.iter().any(|l| l.contains("重打")), "{lines:#?}");
    assert_eq!(value_of(&lines, "重打时间"), "2026-11-20 10:15");
    assert_eq!(value_of(&lines, "单号"), no.to_string());
    assert!(matches!(
        printing::queue_reprint(&mut s.db, &s.auditor, &no, t0()),
        Err(Error::Refused(Refusal::NotPermitted { .. }))
    ));
    let unknown: ReceiptNo = "2026-000099".parse().unwrap();
    assert!(matches!(
        printing::queue_reprint(&mut s.db, &s.cashier, &unknown, t0()),
        Err(Error::Refused(Refusal::UnknownReceipt(_)))
    ));
}

#[test]
fn rare_name_characters_print_as_an_image_line_never_as_entities() {
    let mut s = demo_store();
    for (household, name) in [("201012", "刘䶮"), ("102015", "李𠇔")] {
        let done = redeem(
            &mut s.db,
            &s.cashier,
            &cart(household, &[("1004", 1)]),
            t0(),
        )
        .unwrap();
        assert_eq!(done.receipt.head_name, name);
        for profile in [PrinterProfile::mm58(), PrinterProfile::mm80()] {
            let bytes = receipt_bytes(&mut s, &done.receipt.receipt_no, profile);
            let decoded = decode(&bytes);
            let images: Vec<_> = decoded
                .iter()
                .filter(|d| matches!(d, Decoded::Image { .. }))
                .collect();
            assert_eq!(images.len(), 1, "only the head's line is an image");
            assert!(
                matches!(images[0], Decoded::Image { width_dots, height: 24, .. } if *width_dots == profile.dots() as usize)
            );
            let lines = text_lines(&bytes);
            assert!(!lines.iter().any(|l| l.starts_with("户主")), "{lines:#?}");
            assert!(!lines.iter().any(|l| l.contains('?') || l.contains("&#")));
            assert_eq!(value_of(&lines, "户号"), household);
            assert!(widest(&bytes) <= profile.columns());
        }
    }
}

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
        started.elapsed() < Duration::from_millis(300),
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

    // Accepts the connection, never reads, never answers: the status query times out, the
    // small job fits the socket buffers, so it goes out "unknown" with a note to check.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    use_printer(
        &mut s,
        &format!("tcp:{}", silent.local_addr().unwrap()),
        400,
    );
    let started = Instant::now();
    let id = printing::queue_reprint(&mut s.db, &s.cashier, &no, t0()).unwrap();
    worker.wake();
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "queueing waited on the printer"
    );
    let event = worker
        .events()
        .recv_timeout(Duration::from_secs(5))
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
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
fn donation_slip_and_session_report_print_their_figures() {
    let mut s = small_store();
    let session = sessions::open_session(
        &mut s.db,
        &s.cashier,
        t0().date(),
        &[],
        &["第一组".into()],
        t0(),
    )
    .unwrap();
    redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1001", 1), ("1002", 2)]),
        t0(),
    )
    .unwrap();
    redeem(&mut s.db, &s.manager, &cart("101002", &[("1003", 3)]), t0()).unwrap();
    let donation = stock::Donation {
        donor: "青山村老年协会".into(),
        contact: Some("13800000000".into()),
        received_on: t0().date(),
        lines: vec![stock::ReceiveLine {
            code: code("1002"),
            qty: jifen::core::Qty(12),
            value: None,
        }],
    };
    let received = stock::receive_donation(&mut s.db, &s.cashier, &donation, t0()).unwrap();
    let id = printing::queue_donation_slip(&mut s.db, Some(&s.cashier), &received.reference, t0())
        .unwrap();
    let settings = PrinterSettings::default();
    let job = printing::find_job(&mut s.db, id).unwrap();
    let lines = text_lines(&printing::job_bytes(&mut s.db, &job, &settings).unwrap());
    assert!(lines.iter().any(|l| l.contains("捐赠回执")), "{lines:#?}");
    assert_eq!(value_of(&lines, "编号"), received.reference);
    assert_eq!(value_of(&lines, "捐赠人"), "青山村老年协会");
    assert_eq!(value_of(&lines, "捐赠日期"), "2026-11-20");
    assert_eq!(value_of(&lines, "接收人"), "王芳");
    let towels = lines.iter().find(|l| l.starts_with("毛巾")).unwrap();
    assert_eq!(
        towels.split_whitespace().collect::<Vec<_>>(),
        ["毛巾", "×12", "条"]
    );
    assert!(lines.iter().any(|l| l.contains("感谢")));

    let (_, backup) =
        sessions::close_session(&mut s.db, s.dir.path(), &s.cashier, at(2026, 11, 20, 17, 0))
            .unwrap();
    backup.unwrap();
    let id = printing::queue_session_report(&mut s.db, &s.auditor, session.id, t0()).unwrap();
    let job = printing::find_job(&mut s.db, id).unwrap();
    let lines = text_lines(&printing::job_bytes(&mut s.db, &job, &settings).unwrap());
    assert!(
        lines.iter().any(|l| l.contains("兑换日结账报告")),
        "{lines:#?}"
    );
    assert_eq!(value_of(&lines, "日期"), "2026-11-20");
    assert_eq!(value_of(&lines, "结束"), "2026-11-20 17:00");
    assert_eq!(value_of(&lines, "服务户数"), "2");
    assert_eq!(value_of(&lines, "兑换笔数"), "2");
    assert_eq!(value_of(&lines, "兑换积分"), "110");
    let words = |start: &str| -> Vec<String> {
        let l = lines.iter().find(|l| l.starts_with(start)).unwrap();
        l.split_whitespace().map(str::to_string).collect()
    };
    assert_eq!(words("毛巾"), ["毛巾", "2", "30", "15"]);
    assert_eq!(words("牙膏"), ["牙膏", "3", "30", "2"]);
    assert_eq!(words("王芳"), ["王芳", "1", "80"]);
    assert_eq!(words("张丽"), ["张丽", "1", "30"]);
    assert!(lines.iter().any(|l| l.contains("作废 0 笔")));
    assert!(matches!(
        printing::queue_session_report(&mut s.db, &s.auditor, 99, t0()),
        Err(Error::Refused(Refusal::UnknownSession(99)))
    ));
}

#[test]
fn preview_shows_the_decoded_bytes_that_will_be_sent() {
    let mut s = small_store();
    let done = redeem(&mut s.db, &s.cashier, &cart("102001", &[("1002", 1)]), t0()).unwrap();
    let no = done.receipt.receipt_no;
    let settings = PrinterSettings::default();
    let text = printing::preview(&mut s.db, &Preview::Receipt(no), &settings).unwrap();
    let id = printing::queue_receipt(&mut s.db, None, &no, t0()).unwrap();
    assert_eq!(
        printing::preview(&mut s.db, &Preview::Job(id), &settings).unwrap(),
        text
    );
    assert!(
        text.contains("[图像 384×24]"),
        "刘䶮 is an image line:\n{text}"
    );
    assert!(text.contains("兑换后积分") && text.contains("2026-000001"));
    println!("{text}");
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
fn a_test_page_shows_the_printer_and_the_store() {
    let mut s = small_store();
    use_printer(&mut s, "file:/dev/null", 500);
    let id = printing::queue_test_page(&mut s.db, Some(&s.cashier), t0()).unwrap();
    let job = printing::print_now(&mut s.db, id).unwrap();
    assert_eq!(job.status, JobStatus::Printed);
    let settings = PrinterSettings::load(&mut s.db).unwrap();
    let lines = text_lines(&printing::job_bytes(&mut s.db, &job, &settings).unwrap());
    assert!(lines.iter().any(|l| l.contains("测试积分超市")));
    assert_eq!(value_of(&lines, "打印机"), "file:/dev/null");
    assert!(lines.iter().any(|l| l.contains("打印测试页")));
    let bytes = printing::test_page_bytes(&settings_for(PrinterProfile::mm80()), None).unwrap();
    assert!(widest(&bytes) <= 48);
}
