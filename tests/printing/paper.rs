//! What the paper says: every document decoded from the exact bytes that would be sent.

use jifen::app::printing::{self, JobKind, JobStatus, Preview};
use jifen::app::redeem::{redeem, void_redemption};
use jifen::app::settings::PrinterSettings;
use jifen::app::{Error, cards, sessions, stock};
use jifen::core::ReceiptNo;
use jifen::core::redemption::Via;
use jifen::core::refusal::Refusal;
use jifen_hardware::{Decoded, PrinterProfile, decode};

use super::{receipt_bytes, settings_for, text_lines, use_printer, value_of, widest};
use crate::common::*;

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
    let id =
        printing::queue_session_report(&mut s.db, &s.auditor, session.id, at(2026, 11, 20, 17, 5))
            .unwrap();
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

#[test]
fn a_card_slip_carries_the_households_current_card() {
    let mut s = small_store();
    let issued = cards::issue_card(&mut s.db, &s.manager, &hh("102001"), None, t0()).unwrap();
    let id = printing::queue_card_slip(&mut s.db, &s.manager, &hh("102001"), t0()).unwrap();
    assert!(matches!(
        printing::queue_card_slip(&mut s.db, &s.cashier, &hh("102001"), t0()),
        Err(Error::Refused(Refusal::NotPermitted { .. }))
    ));
    let job = printing::find_job(&mut s.db, id).unwrap();
    let bytes = printing::job_bytes(&mut s.db, &job, &PrinterSettings::default()).unwrap();
    let decoded = decode(&bytes);
    let payload = issued.face.payload.as_str().to_string();
    assert!(decoded.contains(&Decoded::Qr(payload)), "{decoded:?}");
    let lines = text_lines(&bytes);
    assert!(lines.iter().any(|l| l.contains("102001")), "{lines:#?}");
    assert!(
        decoded.iter().any(|d| matches!(d, Decoded::Image { .. })),
        "刘䶮 as an image"
    );
}
