//! 恢复备份 in the real app (issue 15), driven through egui_kittest on a real store: the
//! manager picks an automatic backup (damaged ones marked and not offered), sees what the
//! restore would do, is refused in words with nothing written until reason, loss and PIN are
//! right, and the app then reopens the restored store, whose receipts continue after the
//! highest number printed.

use std::path::Path;

use chrono::Duration;
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jifen::app::redeem::redeem;
use jifen::store::Db;
use jifen::ui::JifenApp;

use crate::common::*;

fn redemptions(path: &Path) -> i64 {
    let db = Db::open(path).unwrap();
    db.connection()
        .query_row("SELECT COUNT(*) FROM redemption", [], |r| r.get(0))
        .unwrap()
}

fn type_into(h: &mut Harness<'static, JifenApp>, label: &str, text: &str) {
    let field = h.get_by_label(label);
    field.focus();
    field.type_text(text);
    h.run();
}

fn banner(h: &Harness<'static, JifenApp>) -> String {
    format!("{:?}", h.state().banner)
}

/// The store's own connection closed, the app opened on it an hour later at `width`×768,
/// the manager signed in and on 设置 → 恢复备份…; the store's path.
fn restore_screen(s: &mut Store, width: f32) -> (std::path::PathBuf, Harness<'static, JifenApp>) {
    drop(std::mem::replace(
        &mut s.db,
        Db::open(Path::new(":memory:")).unwrap(),
    ));
    let path = s.path();
    let db = Db::open(&path).unwrap();
    let later = t0() + Duration::hours(1);
    let mut h = Harness::builder()
        .with_size(egui::vec2(width, 768.0))
        .with_max_steps(12)
        .build_eframe(move |cc| JifenApp::new(cc, db, Box::new(move || later)));
    crate::ui::sign_in(&mut h, "张丽（管理员）", "842619");
    h.get_by_label("设置").click();
    h.run();
    h.get_by_label("恢复备份…").click();
    h.run();
    (path, h)
}

#[test]
fn a_manager_restores_an_automatic_backup_from_the_app_and_receipts_continue() {
    let mut s = small_store();
    let dir = s.dir.path().to_path_buf();
    jifen::app::backup::auto_backup(&s.db, &dir, t0(), 14).unwrap();
    // A backup taken of a damaged store: listed, marked, not offered.
    let damaged = dir.join("backups/damaged");
    std::fs::create_dir_all(&damaged).unwrap();
    std::fs::write(
        damaged.join("damaged-jifen-20261119-090000.db"),
        b"not a store",
    )
    .unwrap();
    for (i, h) in ["101001", "102001"].iter().enumerate() {
        redeem(
            &mut s.db,
            &s.cashier,
            &cart(h, &[("1003", 1)]),
            t0() + Duration::minutes(10 + i as i64),
        )
        .unwrap();
    }
    let (path, mut h) = restore_screen(&mut s, 1366.0);
    assert!(h.query_by_label("本机的自动备份（最新的在上面）").is_some());
    assert!(h.query_by_label("2026-11-20 09:00").is_some());
    assert!(h.query_by_label("检查通过").is_some());
    assert!(h.query_by_label("2026-11-19 09:00").is_some());
    assert!(
        h.query_by_label("已损坏（备份时检查没通过，不能用）")
            .is_some()
    );
    // One button per backup; the damaged one's is greyed out (listed last).
    let buttons: Vec<_> = h.query_all_by_label("用这个").collect();
    assert_eq!(buttons.len(), 2);
    buttons[0].click();
    h.run();
    assert!(
        h.query_by_label("恢复这个备份会怎样（现在还没有改动任何东西）")
            .is_some(),
        "{}",
        banner(&h)
    );
    assert!(
        h.query_by_label("还没有小票").is_some(),
        "the backup's last receipt"
    );
    assert!(
        h.query_by_label("2026-000002").is_some(),
        "the current last receipt"
    );
    assert!(
        h.query_by_label_contains("备份之后做的 2 笔兑换会从账上消失")
            .is_some()
    );
    assert!(h.query_by_label_contains("下一张是 2026-000003").is_some());

    // Refused in words, nothing written: no reason; then the loss not confirmed; a wrong PIN.
    h.get_by_label("恢复这个备份").click();
    h.run();
    assert!(banner(&h).contains("请写上恢复原因"), "{}", banner(&h));
    type_into(&mut h, "恢复原因：", "硬盘坏了");
    type_into(&mut h, "负责人密码：", "842619");
    h.get_by_label("恢复这个备份").click();
    h.run();
    assert!(banner(&h).contains("请在确认栏填上 2"), "{}", banner(&h));
    type_into(&mut h, "确认请填上丢失的笔数（2）：", "2");
    type_into(&mut h, "负责人密码：", "111111");
    h.get_by_label("恢复这个备份").click();
    h.run();
    assert!(banner(&h).contains("密码"), "{}", banner(&h));
    assert_eq!(redemptions(&path), 2, "nothing restored yet");
    assert!(!dir.join("restore-staging.db").exists());

    type_into(&mut h, "负责人密码：", "842619");
    h.get_by_label("恢复这个备份").click();
    h.run();
    assert!(banner(&h).contains("已恢复"), "{}", banner(&h));
    assert!(h.state().actor.is_none(), "everyone signs in again");
    assert_eq!(redemptions(&path), 0, "the app reopened the restored store");
    // The cashier sells on the restored store: the receipt number is not one already printed.
    crate::ui::sign_in(&mut h, "王芳（收银员）", "5827");
    crate::ui::scan(&mut h, "101001");
    crate::ui::type_code(&mut h, "1003");
    crate::ui::confirm(&mut h);
    assert!(
        h.query_by_label_contains("兑换成功：单号 2026-000003")
            .is_some(),
        "{}",
        banner(&h)
    );
    let mut db = Db::open(&path).unwrap();
    assert_eq!(jifen::app::check::check(&mut db).unwrap(), vec![]);
}

#[test]
fn only_a_manager_may_see_or_do_a_restore() {
    let s = small_store();
    let dir = s.dir.path();
    jifen::app::backup::auto_backup(&s.db, dir, t0(), 14).unwrap();
    let file = jifen::app::backup::automatic_backups(dir).pop().unwrap();
    let refused = jifen::app::restore_preview::preview(&s.cashier, dir, &file).unwrap_err();
    assert!(refused.to_string().contains("无权"), "{refused}");
    assert!(jifen::app::restore_preview::backups(&s.auditor, dir).is_err());
    let request = jifen::app::backup::RestoreRequest {
        file: &file,
        manager: s.manager.id,
        pin: "842619",
        reason: "试试",
        confirm_loss: None,
        last_receipt: None,
    };
    // A cashier cannot restore even naming the manager with the manager's PIN.
    let err = jifen::app::restore_preview::restore_signed_in(&s.cashier, dir, &request, t0())
        .unwrap_err();
    assert!(err.to_string().contains("无权"), "{err}");
    assert!(!dir.join("restore-staging.db").exists());
}

#[test]
fn when_the_current_store_cannot_be_read_the_last_paper_receipt_is_typed_and_numbers_continue_after_it()
 {
    let mut s = small_store();
    let dir = s.dir.path().to_path_buf();
    jifen::app::backup::auto_backup(&s.db, &dir, t0(), 14).unwrap();
    let (path, mut h) = restore_screen(&mut s, 1366.0);
    // The disk fails under the running app: the store's file is now garbage.
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    std::fs::write(&path, vec![0x5a; 64 * 1024]).unwrap();
    h.get_by_label("用这个").click();
    h.run();
    assert!(
        h.query_by_label("现在的数据库读不出来").is_some(),
        "{}",
        banner(&h)
    );
    assert!(
        h.query_by_label_contains("请找到最后一张打印出来的兑换小票")
            .is_some()
    );
    type_into(&mut h, "恢复原因：", "硬盘坏了，数据库打不开");
    type_into(&mut h, "负责人密码：", "842619");
    h.get_by_label("恢复这个备份").click();
    h.run();
    assert!(
        banner(&h).contains("最后一张纸质小票的单号"),
        "{}",
        banner(&h)
    );
    type_into(&mut h, "最后一张纸质小票的单号：", "2026-000041");
    type_into(&mut h, "负责人密码：", "842619");
    h.get_by_label("恢复这个备份").click();
    h.run();
    assert!(banner(&h).contains("已恢复"), "{}", banner(&h));
    crate::ui::sign_in(&mut h, "王芳（收银员）", "5827");
    crate::ui::scan(&mut h, "101001");
    crate::ui::type_code(&mut h, "1003");
    crate::ui::confirm(&mut h);
    assert!(
        h.query_by_label_contains("兑换成功：单号 2026-000042")
            .is_some(),
        "{}",
        banner(&h)
    );
}

/// Regression: with no receipt issued yet the preview read "接着已经发出的最大单号 还没有小票
/// 往下编，下一张是 第一张", which is not Chinese. That case has its own sentence, and it is true:
/// after the restore the first receipt is the year's 000001.
#[test]
fn with_no_receipt_issued_yet_the_preview_says_so_in_its_own_sentence() {
    let mut s = small_store();
    let dir = s.dir.path().to_path_buf();
    jifen::app::backup::auto_backup(&s.db, &dir, t0(), 14).unwrap();
    let (_, mut h) = restore_screen(&mut s, 1024.0);
    h.get_by_label("用这个").click();
    h.run();
    assert!(
        h.query_by_label("还没有发出过小票，下一张是第一张（当年的 000001 号）。")
            .is_some(),
        "{}",
        banner(&h)
    );
    assert!(
        h.query_by_label_contains("往下编").is_none(),
        "no 'continues after' without a receipt to continue after"
    );
    type_into(&mut h, "恢复原因：", "换电脑");
    type_into(&mut h, "负责人密码：", "842619");
    h.get_by_label("恢复这个备份").click();
    h.run();
    assert!(banner(&h).contains("已恢复"), "{}", banner(&h));
    crate::ui::sign_in(&mut h, "王芳（收银员）", "5827");
    crate::ui::scan(&mut h, "101001");
    crate::ui::type_code(&mut h, "1003");
    crate::ui::confirm(&mut h);
    assert!(
        h.query_by_label_contains("兑换成功：单号 2026-000001")
            .is_some(),
        "{}",
        banner(&h)
    );
}
