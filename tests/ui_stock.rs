//! Issue 18 on the stock screen: an invoice is recorded once per supplier (a repeat is refused
//! naming the first entry; old duplicates are flagged by check), its scan is kept with its
//! SHA-256 and shown again, forms clear and say what they wrote, stocktake boxes hold six
//! digits.

use egui_kittest::kittest::Queryable;

use crate::common::*;
use crate::ui::{fill, harness, sign_in};

fn purchase_form(h: &mut egui_kittest::Harness<'static, jifen::ui::JifenApp>, invoice_file: &str) {
    fill(h, "供应商", "青山米业有限公司");
    fill(h, "增值税发票号", "44120001");
    fill(h, "金额（元）", "1250.50");
    fill(h, "采购物品（编码=数量）", "1001=20");
    if !invoice_file.is_empty() {
        fill(h, "发票扫描件/照片（文件路径，可空）", invoice_file);
    }
    h.get_by_role_and_label(eframe::egui::accesskit::Role::Button, "采购入库")
        .click();
    h.run();
}

#[test]
fn a_repeated_invoice_is_refused_naming_the_first_entry_and_the_form_clears() {
    let mut s = small_store();
    let scan = s.dir.path().join("发票44120001.png");
    image::RgbaImage::from_pixel(40, 30, image::Rgba([200, 30, 30, 255]))
        .save(&scan)
        .unwrap();
    let mut h = harness(&s);
    sign_in(&mut h, "张丽（管理员）", "842619");
    h.get_all_by_label("库存").next().unwrap().click();
    h.run();
    purchase_form(&mut h, scan.to_str().unwrap());
    assert!(
        h.query_all_by_label_contains("已入库 入库单 P1（采购）：大米 5kg ×20（结存 25）")
            .count()
            >= 1,
        "the form says what it wrote"
    );
    assert_eq!(
        h.get_by_label("增值税发票号").value().as_deref(),
        Some(""),
        "the form is cleared after saving"
    );
    assert_eq!(on_hand(&mut s.db, "1001"), 25);
    // The same invoice again (a second click after re-typing it).
    purchase_form(&mut h, "");
    assert!(
        h.query_by_label_contains("青山米业有限公司 的发票 44120001 已经入过库（P1，2026-11-20）")
            .is_some()
    );
    assert_eq!(on_hand(&mut s.db, "1001"), 25, "nothing written twice");
    // The invoice copy: in the data folder under its SHA-256, shown from the stock screen.
    let sha = jifen::app::invoice_files::sha256_hex(&std::fs::read(&scan).unwrap());
    let stored: String =
        s.db.connection()
            .query_row(
                "SELECT invoice_sha256 FROM purchase WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(stored, sha);
    assert!(s.dir.path().join(format!("invoices/{sha}.png")).exists());
    h.get_by_label("查看 P1 发票").click();
    h.run();
    assert!(
        h.query_by_label("与入库时的文件一致（SHA-256 核对无误）")
            .is_some()
    );
    std::fs::write(s.dir.path().join(format!("invoices/{sha}.png")), b"changed").unwrap();
    h.get_by_label("查看 P1 发票").click_accesskit();
    h.run();
    assert!(h.query_by_label_contains("文件已被改动或丢失").is_some());
}

#[test]
fn the_service_refuses_a_repeated_invoice_and_check_flags_old_duplicates() {
    let mut s = small_store();
    let purchase = jifen::app::stock::Purchase {
        supplier: "青山米业有限公司".into(),
        invoice_no: "44120001".into(),
        amount: jifen::core::AmountCents(125050),
        received_on: t0().date(),
        lines: vec![jifen::app::stock::ReceiveLine {
            code: code("1001"),
            qty: jifen::core::Qty(20),
            value: None,
        }],
    };
    jifen::app::stock::receive_purchase(&mut s.db, &s.manager, &purchase, t0()).unwrap();
    let before = content(&s.path());
    let again = jifen::app::stock::receive_purchase(&mut s.db, &s.manager, &purchase, t0());
    assert!(again.unwrap_err().to_string().contains("已经入过库（P1"));
    assert_eq!(content(&s.path()), before);
    // Another supplier may use the same number.
    let other = jifen::app::stock::Purchase {
        supplier: "河湾粮油店".into(),
        ..purchase.clone()
    };
    jifen::app::stock::receive_purchase(&mut s.db, &s.manager, &other, t0()).unwrap();
    assert!(jifen::app::check::check(&mut s.db).unwrap().is_empty());
    // A store from before migration 016 may already hold a duplicate: check names it.
    s.db.connection()
        .execute_batch(
            "DROP TRIGGER purchase_invoice_once;
             INSERT INTO purchase (supplier, invoice_no, amount_cents, received_on, staff_id, created_at)
             VALUES (' 青山米业有限公司', '44120001 ', 125050, '2026-11-20', 1, '2026-11-20 09:00:00');",
        )
        .unwrap();
    let faults = jifen::app::check::check(&mut s.db).unwrap();
    let text: Vec<String> = faults.iter().map(jifen::app::messages::fault).collect();
    // The duplicate is named; the row written with SQL is also caught as unsigned (issue 15),
    // and nothing else is reported.
    assert_eq!(text.len(), 2, "{text:?}");
    assert!(
        text.iter()
            .any(|t| t.contains("发票 44120001 入库了不止一次（P1、P3）")),
        "{text:?}"
    );
    assert!(text.iter().any(|t| t.contains("没有签名记录")), "{text:?}");
}

#[test]
fn stocktake_boxes_show_six_digits() {
    let s = small_store();
    let mut h = harness(&s);
    sign_in(&mut h, "张丽（管理员）", "842619");
    h.get_all_by_label("库存").next().unwrap().click();
    h.run();
    h.get_by_label("盘点").click();
    h.run();
    fill(&mut h, "大米 5kg（袋）", "175000");
    let rect = h.get_by_label("大米 5kg（袋）").rect();
    assert!(rect.width() >= 6.0 * 12.0 + 8.0, "{rect:?}");
    assert_eq!(
        h.get_by_label("大米 5kg（袋）").value().as_deref(),
        Some("175000")
    );
}
