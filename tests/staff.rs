//! Staff accounts over the years (issue 16): leaving, PIN changes and resets, PIN rules, the
//! escalating lockout and its audit trail, who may print a card, and what a committee is.

use std::path::Path;
use std::process::{Command, Output};

use chrono::Duration;
use jifen::app::{self, Error, sign_in};
use jifen::core::refusal::Refusal;
use jifen::core::staff::Role;
use jifen::core::staff_rules::PinProblem;
use jifen::core::{Period, Points, StaffId};

use crate::common::{small_store, t0};

fn refusal<T: std::fmt::Debug>(result: Result<T, Error>) -> Refusal {
    match result {
        Err(Error::Refused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn check_is_clean(db: &mut jifen::store::Db) {
    let faults = app::check::check(db).unwrap();
    assert!(faults.is_empty(), "{faults:?}");
}

#[test]
fn a_disabled_cashier_is_refused_and_shown_as_disabled() {
    let mut s = small_store();
    let cashier = s.cashier.id;
    let member = app::staff::disable(&mut s.db, &s.manager, cashier, "已离职", t0()).unwrap();
    assert!(!member.active);
    assert_eq!(member.disabled_reason.as_deref(), Some("已离职"));
    assert_eq!(
        refusal(sign_in(&mut s.db, cashier, "5827", t0())),
        Refusal::StaffInactive(cashier)
    );
    let listed = app::staff::list(&mut s.db).unwrap();
    let shown = listed.iter().find(|m| m.id == cashier).unwrap();
    assert!(!shown.active && shown.disabled_at == Some(t0()));
    // Back again with the same PIN.
    app::staff::enable(&mut s.db, &s.manager, cashier, t0()).unwrap();
    assert!(sign_in(&mut s.db, cashier, "5827", t0()).is_ok());
    check_is_clean(&mut s.db);
}

#[test]
fn only_a_manager_disables_and_the_last_manager_stays() {
    let mut s = small_store();
    let manager = s.manager.id;
    assert!(matches!(
        refusal(app::staff::disable(
            &mut s.db,
            &s.cashier,
            manager,
            "试试",
            t0()
        )),
        Refusal::NotPermitted { .. }
    ));
    assert_eq!(
        refusal(app::staff::disable(
            &mut s.db,
            &s.manager,
            manager,
            "换人",
            t0()
        )),
        Refusal::LastManager
    );
    assert_eq!(
        refusal(app::staff::disable(
            &mut s.db,
            &s.manager,
            s.cashier.id,
            " ",
            t0()
        )),
        Refusal::MissingReason
    );
    // With a second manager, the first may go.
    let second =
        app::setup::add_staff(&mut s.db, &s.manager, "周强", Role::Manager, "904172", t0())
            .unwrap();
    app::staff::disable(&mut s.db, &s.manager, manager, "调走", t0()).unwrap();
    assert!(sign_in(&mut s.db, second, "904172", t0()).is_ok());
    check_is_clean(&mut s.db);
}

#[test]
fn a_changed_pin_works_and_the_old_one_does_not() {
    let mut s = small_store();
    let cashier = s.cashier.clone();
    let key_before = jifen::store::keys::current_key(s.db.connection(), cashier.id)
        .unwrap()
        .unwrap();
    app::staff::change_own_pin(&mut s.db, &cashier, "5827", "6093", t0()).unwrap();
    assert_eq!(
        refusal(sign_in(&mut s.db, cashier.id, "5827", t0())),
        Refusal::WrongPin
    );
    let again = sign_in(&mut s.db, cashier.id, "6093", t0()).unwrap();
    assert!(!again.must_change_pin);
    // The same key, sealed under the new PIN: what they signed stays theirs.
    let key_after = jifen::store::keys::current_key(s.db.connection(), cashier.id)
        .unwrap()
        .unwrap();
    assert_eq!(key_before, key_after);
    // …and they can still work (their writes are signed with it).
    app::stock::receive_donation(
        &mut s.db,
        &again,
        &app::stock::Donation {
            donor: "村民".into(),
            contact: None,
            received_on: t0().date(),
            lines: vec![app::stock::ReceiveLine {
                code: "1001".parse().unwrap(),
                qty: jifen::core::Qty(1),
                value: None,
            }],
        },
        t0(),
    )
    .unwrap();
    check_is_clean(&mut s.db);
}

#[test]
fn a_manager_pin_of_four_digits_and_guessable_pins_are_refused() {
    let mut s = small_store();
    let manager = s.manager.clone();
    assert_eq!(
        refusal(app::staff::change_own_pin(
            &mut s.db,
            &manager,
            "842619",
            "4826",
            t0()
        )),
        Refusal::PinRule {
            problem: PinProblem::Length { min: 6, max: 8 }
        }
    );
    assert_eq!(
        refusal(app::setup::add_staff(
            &mut s.db,
            &manager,
            "周强",
            Role::Manager,
            "4826",
            t0()
        )),
        Refusal::PinRule {
            problem: PinProblem::Length { min: 6, max: 8 }
        }
    );
    for (pin, problem) in [
        ("000000", PinProblem::Repeated),
        ("123456", PinProblem::Run),
        ("654321", PinProblem::Run),
    ] {
        let refused = refusal(app::staff::change_own_pin(
            &mut s.db,
            &manager,
            "842619",
            pin,
            t0(),
        ));
        assert_eq!(refused, Refusal::PinRule { problem });
        // The message says why.
        let text = app::messages::refusal(&refused);
        assert!(text.contains("最先猜"), "{text}");
    }
    // The old demo's first manager PIN is refused for a new store.
    let dir = tempfile::tempdir().unwrap();
    let mut fresh = jifen::store::Db::open_in(dir.path()).unwrap();
    assert_eq!(
        refusal(app::setup::init_store(
            &mut fresh,
            "新店",
            "张丽",
            "1234",
            t0()
        )),
        Refusal::PinRule {
            problem: PinProblem::Length { min: 6, max: 8 }
        }
    );
    assert_eq!(
        refusal(app::setup::init_store(
            &mut fresh,
            "新店",
            "张丽",
            "123456",
            t0()
        )),
        Refusal::PinRule {
            problem: PinProblem::Run
        }
    );
    // Nothing was changed: the old PIN still signs in.
    assert!(sign_in(&mut s.db, manager.id, "842619", t0()).is_ok());
}

fn audit_count(db: &jifen::store::Db, action: &str) -> i64 {
    db.connection()
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = ?1 AND staff_id IS NULL",
            [action],
            |r| r.get(0),
        )
        .unwrap()
}

fn count(db: &jifen::store::Db, table: &str) -> i64 {
    db.connection()
        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn the_lockout_escalates_from_a_minute_to_a_day_on_the_test_clock() {
    let mut s = small_store();
    let cashier = s.cashier.id;
    let mut now = t0();
    for _ in 0..4 {
        assert_eq!(
            refusal(sign_in(&mut s.db, cashier, "0000", now)),
            Refusal::WrongPin
        );
    }
    let mut expected = Vec::new();
    let mut seen = Vec::new();
    // The 5th wrong PIN locks for a minute, each further one (after the lock ends) twice as
    // long, up to a day.
    for wrong in 5..=18 {
        let minutes = match refusal(sign_in(&mut s.db, cashier, "0000", now)) {
            Refusal::AccountLocked { minutes } => minutes,
            other => panic!("wrong PIN {wrong}: {other:?}"),
        };
        seen.push(minutes);
        expected.push((1i64 << (wrong - 5)).min(24 * 60));
        // While locked even the right PIN is refused, to the last second.
        let last_second = now + Duration::minutes(minutes) - Duration::seconds(1);
        assert_eq!(
            refusal(sign_in(&mut s.db, cashier, "5827", last_second)),
            Refusal::AccountLocked { minutes: 1 }
        );
        now += Duration::minutes(minutes);
    }
    assert_eq!(seen, expected);
    assert_eq!(*seen.last().unwrap(), 24 * 60);
    // When the lock ends the right PIN works and the count starts again.
    assert!(sign_in(&mut s.db, cashier, "5827", now).is_ok());
    assert_eq!(
        refusal(sign_in(&mut s.db, cashier, "0000", now)),
        Refusal::WrongPin
    );
    check_is_clean(&mut s.db);
}

#[test]
fn failed_sign_ins_and_lockouts_are_in_the_audit_log_and_nothing_else_is_written() {
    let mut s = small_store();
    let cashier = s.cashier.id;
    let signatures = count(&s.db, "txn_signature");
    let changes = count(&s.db, "record_change");
    let audit = count(&s.db, "audit_log");
    for _ in 0..5 {
        let _ = sign_in(&mut s.db, cashier, "9999", t0());
    }
    let _ = sign_in(&mut s.db, StaffId(77), "9999", t0());
    assert_eq!(audit_count(&s.db, "sign_in_failed"), 6);
    assert_eq!(audit_count(&s.db, "account_locked"), 1);
    assert_eq!(count(&s.db, "audit_log"), audit + 7);
    // Unsigned (nobody proved who they are) and no signed record touched.
    assert_eq!(count(&s.db, "txn_signature"), signatures);
    assert_eq!(count(&s.db, "record_change"), changes);
    // The manager sees them, newest first.
    let events = app::staff::sign_in_events(&mut s.db, &s.manager, 10).unwrap();
    assert_eq!(events.len(), 7);
    assert_eq!(
        (events[0].staff, events[0].what.as_str()),
        (77, "unknown_staff")
    );
    assert_eq!(events[1].what, "account_locked");
    assert_eq!(
        (events[1].name.as_deref(), events[1].minutes),
        (Some("王芳"), Some(1))
    );
    assert_eq!(
        (events[2].what.as_str(), events[2].wrong_in_a_row),
        ("wrong_pin", Some(5))
    );
    // A cashier does not.
    assert!(matches!(
        refusal(app::staff::sign_in_events(&mut s.db, &s.cashier, 10)),
        Refusal::NotPermitted { .. }
    ));
    check_is_clean(&mut s.db);
}

#[test]
fn a_manager_reset_gives_a_new_key_and_the_member_must_change_the_pin() {
    let mut s = small_store();
    let cashier = s.cashier.id;
    let keys_before = count(&s.db, "staff_key");
    app::staff::reset_pin(&mut s.db, &s.manager, cashier, "7315", t0()).unwrap();
    let reason: String =
        s.db.connection()
            .query_row(
                "SELECT reason FROM staff_key WHERE staff_id = ?1 ORDER BY id DESC LIMIT 1",
                [cashier.0],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(
        (count(&s.db, "staff_key"), reason.as_str()),
        (keys_before + 1, "reset")
    );
    assert_eq!(
        refusal(sign_in(&mut s.db, cashier, "5827", t0())),
        Refusal::WrongPin
    );
    let member = sign_in(&mut s.db, cashier, "7315", t0()).unwrap();
    assert!(member.must_change_pin);
    // Nothing but the PIN change until then.
    let request = crate::common::cart("101001", &[("1003", 1)]);
    assert_eq!(
        refusal(app::redeem::redeem(&mut s.db, &member, &request, t0())),
        Refusal::MustChangePin
    );
    assert!(
        app::staff::list(&mut s.db)
            .unwrap()
            .iter()
            .any(|m| m.id == cashier && m.must_change_pin)
    );
    let member = app::staff::change_own_pin(&mut s.db, &member, "7315", "6093", t0()).unwrap();
    assert!(app::redeem::redeem(&mut s.db, &member, &request, t0()).is_ok());
    assert!(
        !sign_in(&mut s.db, cashier, "6093", t0())
            .unwrap()
            .must_change_pin
    );
    // A reset PIN meets the rules too, and only a manager resets.
    assert!(matches!(
        refusal(app::staff::reset_pin(
            &mut s.db,
            &s.manager,
            cashier,
            "1111",
            t0()
        )),
        Refusal::PinRule { .. }
    ));
    assert!(matches!(
        refusal(app::staff::reset_pin(
            &mut s.db,
            &s.cashier,
            s.auditor.id,
            "6093",
            t0()
        )),
        Refusal::NotPermitted { .. }
    ));
    check_is_clean(&mut s.db);
}

#[test]
fn a_pin_that_no_longer_meets_the_rules_signs_in_once_more_and_must_change() {
    use argon2::PasswordHasher;
    let mut s = small_store();
    // A member from before the rules, with the old demo's run "2345" and no key yet.
    let salt = argon2::password_hash::SaltString::encode_b64(&[7u8; 16]).unwrap();
    let hash = argon2::Argon2::default()
        .hash_password(b"2345", &salt)
        .unwrap()
        .to_string();
    s.db.connection()
        .execute(
            "INSERT INTO staff (name, role, pin_hash, created_at) VALUES ('老李', 'cashier', ?1, '2025-01-01 08:00:00')",
            [hash],
        )
        .unwrap();
    let old = StaffId(s.db.connection().last_insert_rowid());
    let member = sign_in(&mut s.db, old, "2345", t0()).unwrap();
    assert!(member.must_change_pin);
    let request = crate::common::cart("101001", &[("1003", 1)]);
    let refused = refusal(app::redeem::redeem(&mut s.db, &member, &request, t0()));
    assert_eq!(refused, Refusal::MustChangePin);
    assert!(app::messages::refusal(&refused).contains("请先修改密码"));
    let member = app::staff::change_own_pin(&mut s.db, &member, "2345", "4826", t0()).unwrap();
    assert!(app::redeem::redeem(&mut s.db, &member, &request, t0()).is_ok());
    assert!(
        !sign_in(&mut s.db, old, "4826", t0())
            .unwrap()
            .must_change_pin
    );
}

#[test]
fn a_dispute_committee_of_one_name_three_times_is_refused() {
    let mut s = small_store();
    let october: Period = "2026-10".parse().unwrap();
    let household = "101001".parse().unwrap();
    let id = app::disputes::record_dispute(
        &mut s.db,
        &s.cashier,
        &household,
        october,
        "漏记 5 分",
        t0(),
    )
    .unwrap();
    let decision = |committee: Vec<String>| app::disputes::Decision {
        upheld: true,
        change: Points(5),
        note: "核实属实".into(),
        committee,
    };
    let refused = refusal(app::disputes::decide_dispute(
        &mut s.db,
        &s.manager,
        id,
        &decision(vec!["张丽,张丽,张丽".into()]),
        t0(),
    ));
    assert_eq!(
        refused,
        Refusal::RepeatedApprover {
            name: "张丽".into()
        }
    );
    assert!(app::messages::refusal(&refused).contains("3 位不同的人"));
    let three_entries = vec!["张丽".to_string(); 3];
    assert!(matches!(
        refusal(app::disputes::decide_dispute(
            &mut s.db,
            &s.manager,
            id,
            &decision(three_entries),
            t0()
        )),
        Refusal::RepeatedApprover { .. }
    ));
    // The same rule for a correction and a score sheet.
    assert!(matches!(
        refusal(app::points::correct_points(
            &mut s.db,
            &s.manager,
            &household,
            Points(5),
            "漏记",
            "张丽,张丽,张丽",
            t0()
        )),
        Refusal::RepeatedApprover { .. }
    ));
    assert!(matches!(
        refusal(app::import::post_scores(
            &mut s.db,
            &s.manager,
            "scores.csv",
            october,
            &["王建华".into(), "王建华".into(), "李国强".into()],
            &[],
            t0()
        )),
        Refusal::RepeatedApprover { .. }
    ));
    // A price change needs one approver.
    assert_eq!(
        refusal(app::stock::set_price(
            &mut s.db,
            &s.manager,
            &"1003".parse().unwrap(),
            Points(12),
            t0().date(),
            None,
            t0()
        )),
        Refusal::PriceNeedsApprover
    );
    let decided = app::disputes::decide_dispute(
        &mut s.db,
        &s.manager,
        id,
        &decision(vec!["王建华，李国强、赵秀英".into()]),
        t0(),
    )
    .unwrap();
    assert_eq!(decided.committee.as_deref(), Some("王建华,李国强,赵秀英"));
}

fn jifen(data: &Path, pin: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jifen"));
    command
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("JIFEN_DATA")
        .env_remove("JIFEN_NEW_PIN");
    match pin {
        Some(pin) => command.env("JIFEN_PIN", pin),
        None => command.env_remove("JIFEN_PIN"),
    };
    command.output().unwrap()
}

#[test]
fn card_print_without_a_managers_pin_exits_1_and_writes_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    assert!(jifen(data, None, &["demo", "--seed-only"]).status.success());
    let png = data.join("card.png");
    let out = png.to_str().unwrap();
    let issued = jifen(
        data,
        Some("842619"),
        &["--staff", "1", "card", "issue", "101001", "--out", out],
    );
    assert_eq!(
        issued.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&issued.stderr)
    );
    std::fs::remove_file(&png).unwrap();
    let print = ["card", "print", "101001", "--out", out];
    assert_eq!(jifen(data, None, &print).status.code(), Some(1));
    assert!(!png.exists());
    let as_cashier = ["--staff", "2", "card", "print", "101001", "--out", out];
    let refused = jifen(data, Some("5827"), &as_cashier);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("无权"));
    assert!(!png.exists());
    // A manager prints it; the digits only with --show-payload, never by default.
    let as_manager = ["--staff", "1", "card", "print", "101001", "--out", out];
    let printed = jifen(data, Some("842619"), &as_manager);
    assert_eq!(printed.status.code(), Some(0));
    assert!(png.exists());
    let shown = jifen(
        data,
        Some("842619"),
        &[&as_manager[..], &["--show-payload"]].concat(),
    );
    let payload = String::from_utf8(shown.stdout).unwrap().trim().to_string();
    let verified = jifen(data, None, &["card", "verify", &payload]);
    assert_eq!(verified.status.code(), Some(0), "{payload}");
    let silent =
        String::from_utf8(printed.stdout).unwrap() + &String::from_utf8(issued.stdout).unwrap();
    assert!(!silent.contains(&payload), "{silent}");
    // Each print is on record.
    let db = jifen::store::Db::open_in(data).unwrap();
    let prints: i64 = db
        .connection()
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'print_card' AND staff_id = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(prints, 2);
    assert_eq!(jifen(data, None, &["check"]).status.code(), Some(0));
}

#[test]
fn staff_commands_disable_enable_and_change_a_pin() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    assert!(jifen(data, None, &["demo", "--seed-only"]).status.success());
    let disable = [
        "--staff",
        "1",
        "staff",
        "disable",
        "2",
        "--reason",
        "已离职",
    ];
    assert_eq!(jifen(data, Some("842619"), &disable).status.code(), Some(0));
    let list = String::from_utf8(jifen(data, None, &["staff", "list"]).stdout).unwrap();
    assert!(
        list.lines()
            .any(|l| l.contains("王芳") && l.contains("已停用") && l.contains("已离职")),
        "{list}"
    );
    let redeem = ["--staff", "2", "redeem", "--household", "101001", "1015=1"];
    assert_eq!(jifen(data, Some("5827"), &redeem).status.code(), Some(1));
    let last_manager = ["--staff", "1", "staff", "disable", "1", "--reason", "试试"];
    assert_eq!(
        jifen(data, Some("842619"), &last_manager).status.code(),
        Some(1)
    );
    assert_eq!(
        jifen(
            data,
            Some("842619"),
            &["--staff", "1", "staff", "enable", "2"]
        )
        .status
        .code(),
        Some(0)
    );
    // Own PIN change: old in JIFEN_PIN, new in JIFEN_NEW_PIN.
    let mut change = Command::new(env!("CARGO_BIN_EXE_jifen"));
    let changed = change
        .arg("--data")
        .arg(data)
        .args(["--staff", "2", "staff", "pin", "2"])
        .env("JIFEN_PIN", "5827")
        .env("JIFEN_NEW_PIN", "6093")
        .output()
        .unwrap();
    assert_eq!(
        changed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );
    assert_eq!(jifen(data, Some("5827"), &redeem).status.code(), Some(1));
    assert_eq!(jifen(data, Some("6093"), &redeem).status.code(), Some(0));
    assert_eq!(jifen(data, None, &["check"]).status.code(), Some(0));
}

/// The 员工 tab and the sign-in screen, driven through egui_kittest on the real app.
mod app_flows {
    use eframe::egui;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use jifen::app::sign_in;
    use jifen::core::refusal::Refusal;
    use jifen::store::Db;
    use jifen::ui::JifenApp;

    use super::refusal;
    use crate::common::*;

    fn harness(s: &Store) -> Harness<'static, JifenApp> {
        let db = Db::open(&s.path()).unwrap();
        Harness::builder()
            .with_size(egui::vec2(1366.0, 768.0))
            .with_max_steps(12)
            .build_eframe(move |cc| JifenApp::new(cc, db, Box::new(t0)))
    }

    fn fill(h: &mut Harness<'static, JifenApp>, label: &str, text: &str) {
        let field = h.get_by_label(label);
        field.focus();
        field.type_text(text);
        h.run();
    }

    fn click(h: &mut Harness<'static, JifenApp>, label: &str) {
        h.get_by_label(label).click();
        h.run();
    }

    fn sign_in_as(h: &mut Harness<'static, JifenApp>, who: &str, pin: &str) {
        click(h, who);
        fill(h, "密码", pin);
        h.key_press(egui::Key::Enter);
        h.run();
    }

    #[test]
    fn a_manager_disables_a_cashier_in_the_staff_tab_and_they_cannot_sign_in() {
        let mut s = small_store();
        let mut h = harness(&s);
        sign_in_as(&mut h, "张丽（管理员）", "842619");
        click(&mut h, "员工");
        click(&mut h, "停用王芳");
        fill(&mut h, "停用原因", "已离职");
        click(&mut h, "确认停用");
        assert!(h.query_by_label_contains("已停用 2 王芳").is_some());
        assert!(h.query_by_label("已停用（2026-11-20，已离职）").is_some());
        // The cashier is gone from the sign-in screen, and refused by the services anyway.
        click(&mut h, "锁定/换人 F9");
        assert!(h.query_by_label("王芳（收银员）").is_none());
        assert!(h.query_by_label("张丽（管理员）").is_some());
        assert_eq!(
            refusal(sign_in(&mut s.db, s.cashier.id, "5827", t0())),
            Refusal::StaffInactive(s.cashier.id)
        );
    }

    #[test]
    fn a_cashier_changes_their_pin_on_the_sign_in_screen() {
        let mut s = small_store();
        let mut h = harness(&s);
        click(&mut h, "王芳（收银员）");
        click(&mut h, "修改密码");
        fill(&mut h, "当前密码", "5827");
        fill(&mut h, "新密码", "1234");
        fill(&mut h, "再输一次新密码", "1234");
        click(&mut h, "确认修改密码");
        // A run is refused, and says why.
        assert!(h.query_by_label_contains("连续的数字").is_some());
        fill(&mut h, "当前密码", "5827");
        fill(&mut h, "新密码", "6093");
        fill(&mut h, "再输一次新密码", "6093");
        click(&mut h, "确认修改密码");
        assert!(h.query_by_label("请扫描农户积分卡").is_some());
        assert_eq!(
            refusal(sign_in(&mut s.db, s.cashier.id, "5827", t0())),
            Refusal::WrongPin
        );
        assert!(sign_in(&mut s.db, s.cashier.id, "6093", t0()).is_ok());
    }

    #[test]
    fn a_reset_pin_must_be_changed_at_the_next_sign_in() {
        let mut s = small_store();
        let mut h = harness(&s);
        sign_in_as(&mut h, "张丽（管理员）", "842619");
        click(&mut h, "员工");
        click(&mut h, "重设王芳的密码");
        fill(&mut h, "临时密码", "7315");
        click(&mut h, "确认重设");
        assert!(h.query_by_label_contains("下次登录时须改密码").is_some());
        click(&mut h, "锁定/换人 F9");
        sign_in_as(&mut h, "王芳（收银员）", "7315");
        assert!(h.query_by_label("请先修改密码").is_some());
        assert!(h.query_by_label("请扫描农户积分卡").is_none());
        fill(&mut h, "当前密码", "7315");
        fill(&mut h, "新密码", "6093");
        fill(&mut h, "再输一次新密码", "6093");
        click(&mut h, "确认修改密码");
        assert!(h.query_by_label("请扫描农户积分卡").is_some());
        assert!(
            !sign_in(&mut s.db, s.cashier.id, "6093", t0())
                .unwrap()
                .must_change_pin
        );
    }
}

#[test]
fn a_disabled_member_is_shown_as_such_on_the_designated_staff_notice() {
    use jifen::app::notices::{NoticeKind, NoticeRequest};
    let mut s = small_store();
    let from = t0().date() - Duration::days(30);
    app::duty::appoint(
        &mut s.db,
        &s.manager,
        s.cashier.id,
        "兑换员",
        from,
        None,
        t0(),
    )
    .unwrap();
    let notice = |s: &mut crate::common::Store| {
        let request = NoticeRequest::new(NoticeKind::Prices, "2026-11".parse().unwrap());
        let doc = app::notices::document(&mut s.db, &request, t0()).unwrap();
        jifen::notice::notice_text::notice_text(&doc)
    };
    let before = notice(&mut s);
    assert!(before.contains("王芳（兑换员）"), "{before}");
    app::staff::disable(&mut s.db, &s.manager, s.cashier.id, "已离职", t0()).unwrap();
    let after = notice(&mut s);
    assert!(
        after.contains("王芳（兑换员，2026-11-20 起已停用）"),
        "{after}"
    );
}
