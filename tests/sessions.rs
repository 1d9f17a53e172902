//! Redemption days: the closing report agrees with the ledgers, and closing backs up.

use jifen::app::redeem::{redeem, void_redemption};
use jifen::app::sessions::{close_session, current_session, open_session};

use crate::common::*;

#[test]
fn the_closing_report_equals_the_ledgers() {
    let mut s = small_store();
    // A redemption before the day opens does not belong to it.
    redeem(&mut s.db, &s.cashier, &cart("102001", &[("1003", 1)]), t0()).unwrap();
    let groups = vec!["青山村第一组".to_string()];
    let session = open_session(&mut s.db, &s.cashier, t0().date(), &[], &groups, t0()).unwrap();
    assert_eq!(session.staff_on_duty, vec!["王芳"]);
    assert!(
        open_session(&mut s.db, &s.manager, t0().date(), &[], &groups, t0())
            .unwrap_err()
            .to_string()
            .contains("还没有结束")
    );
    let a = redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1001", 1), ("1003", 2)]),
        t0(),
    )
    .unwrap();
    redeem(&mut s.db, &s.manager, &cart("101002", &[("1002", 2)]), t0()).unwrap();
    let voided = redeem(&mut s.db, &s.cashier, &cart("101002", &[("1003", 1)]), t0()).unwrap();
    void_redemption(
        &mut s.db,
        &s.manager,
        &voided.receipt.receipt_no,
        "重复录入",
        t0(),
    )
    .unwrap();

    let (report, backup) =
        close_session(&mut s.db, s.dir.path(), &s.cashier, at(2026, 11, 20, 17, 0)).unwrap();
    assert!(
        backup.unwrap().file.exists(),
        "closing a day takes a backup"
    );
    assert_eq!((report.households_served, report.redemptions), (2, 2));
    assert_eq!(report.points_redeemed.0, a.receipt.total_points.0 + 30);
    // Goods issued per good equal the stock ledger's redemption movements of the day's receipts.
    let issued: Vec<(String, i64)> = report
        .goods
        .iter()
        .map(|g| (g.code.to_string(), g.qty.0))
        .collect();
    assert_eq!(
        issued,
        vec![("1001".into(), 1), ("1002".into(), 2), ("1003".into(), 2)]
    );
    let from_ledger: i64 = s
        .db
        .connection()
        .query_row(
            "SELECT -SUM(m.qty) FROM stock_movement m JOIN redemption r ON r.id = m.redemption_id
             WHERE r.session_id = ?1 AND m.goods_code = '1003'",
            [session.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(from_ledger, 2, "issued 3, one voided back");
    assert_eq!(
        report.goods[2].on_hand_at_close.0,
        on_hand(&mut s.db, "1003")
    );
    assert_eq!(report.voids.len(), 1);
    assert_eq!(report.voids[0].reason, "重复录入");
    let staff: Vec<(String, i64)> = report
        .per_staff
        .iter()
        .map(|p| (p.name.clone(), p.redemptions))
        .collect();
    assert_eq!(staff, vec![("张丽".into(), 1), ("王芳".into(), 1)]);
    assert!(current_session(&mut s.db).unwrap().is_none());
}

#[test]
fn a_session_left_open_past_midnight_is_flagged() {
    let mut s = small_store();
    let session = open_session(&mut s.db, &s.cashier, t0().date(), &[], &[], t0()).unwrap();
    assert!(!session.open_past_midnight(at(2026, 11, 20, 23, 59)));
    assert!(session.open_past_midnight(at(2026, 11, 21, 0, 1)));
}

#[test]
fn an_auditor_cannot_open_a_redemption_day() {
    let mut s = small_store();
    assert!(open_session(&mut s.db, &s.auditor, t0().date(), &[], &[], t0()).is_err());
}

// Redemption days on the calendar (issue 14): 翁源 redeems one fixed day a month, by group.

use jifen::app::calendar::{DayPlan, plan_day};
use jifen::app::sessions::{OpenDay, open_day};
use jifen::core::session::Session;

/// The small store's 青山村 under 翁源's rules without tiers (so any household may redeem on
/// its day): only on a redemption day.
fn calendar_store() -> Store {
    let mut s = small_store();
    let rules = "name = \"兑换日规定\"\n[redemption]\nonly_on_redemption_day = true\n";
    jifen::app::rules::set_policy(&mut s.db, &s.manager, "青山村", rules, t0()).unwrap();
    s
}

fn plan(
    s: &mut Store,
    day: chrono::NaiveDate,
    groups: &[&str],
    moved_from: Option<chrono::NaiveDate>,
) {
    let plan = DayPlan {
        village: "青山村".into(),
        day: Some(day),
        groups: groups.iter().map(|g| g.to_string()).collect(),
        moved_from,
        note: None,
    };
    plan_day(&mut s.db, &s.manager, &plan, t0()).unwrap();
}

fn open_as(
    s: &mut Store,
    who: &jifen::app::Actor,
    day: chrono::NaiveDate,
    groups: &[&str],
    reason: Option<&str>,
    now: chrono::NaiveDateTime,
) -> Result<Session, String> {
    let request = OpenDay {
        day,
        staff_on_duty: vec![],
        groups: groups.iter().map(|g| g.to_string()).collect(),
        reason: reason.map(str::to_string),
    };
    open_day(&mut s.db, who, &request, now).map_err(|e| e.to_string())
}

#[test]
fn a_cashier_cannot_open_a_redemption_day_that_is_not_on_the_calendar() {
    let mut s = calendar_store();
    let before = content(&s.path());
    let cashier = s.cashier.clone();
    let err = open_as(&mut s, &cashier, t0().date(), &[], None, t0()).unwrap_err();
    assert!(err.contains("2026-11-20 不是青山村的兑换日"), "{err}");
    let err = open_as(
        &mut s,
        &cashier,
        t0().date(),
        &["青山村/第一组"],
        Some("村里通知"),
        t0(),
    )
    .unwrap_err();
    assert!(
        err.contains("请管理员开并写明理由"),
        "a cashier's reason is not enough: {err}"
    );
    let manager = s.manager.clone();
    let err = open_as(&mut s, &manager, t0().date(), &[], None, t0()).unwrap_err();
    assert!(
        err.contains("不是青山村的兑换日"),
        "a manager needs a reason too: {err}"
    );
    assert_eq!(content(&s.path()), before, "refusals write nothing");
    // The household cannot redeem either: no day is open.
    let err = redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 1)]), t0()).unwrap_err();
    assert!(err.to_string().contains("只在兑换日兑换"), "{err}");
}

#[test]
fn a_manager_opens_a_day_off_the_calendar_with_a_reason_in_the_audit_log_and_the_report() {
    let mut s = calendar_store();
    let manager = s.manager.clone();
    let session = open_as(
        &mut s,
        &manager,
        t0().date(),
        &["青山村第一组"],
        Some("镇里检查，临时兑换"),
        t0(),
    )
    .unwrap();
    assert_eq!(
        session.off_calendar_reason.as_deref(),
        Some("镇里检查，临时兑换")
    );
    assert_eq!(session.groups_served, vec!["青山村/第一组"]);
    let audit: String =
        s.db.connection()
            .query_row(
                "SELECT detail FROM audit_log WHERE action = 'open_session'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert!(audit.contains("镇里检查，临时兑换"), "{audit}");
    redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 1)]), t0()).unwrap();
    let (report, _) =
        close_session(&mut s.db, s.dir.path(), &s.cashier, at(2026, 11, 20, 17, 0)).unwrap();
    assert_eq!(
        report.session.off_calendar_reason.as_deref(),
        Some("镇里检查，临时兑换")
    );
    assert_eq!(report.redemptions, 1);
}

#[test]
fn a_household_of_a_group_not_served_is_refused_naming_its_group_and_the_groups_served() {
    let mut s = calendar_store();
    plan(&mut s, t0().date(), &["第一组"], None);
    let cashier = s.cashier.clone();
    let session = open_as(&mut s, &cashier, t0().date(), &[], None, t0()).unwrap();
    assert_eq!(
        session.groups_served,
        vec!["青山村/第一组"],
        "the calendar's groups"
    );
    let before = content(&s.path());
    let err = redeem(&mut s.db, &s.cashier, &cart("102001", &[("1003", 1)]), t0()).unwrap_err();
    assert!(
        err.to_string()
            .contains("本户属于 青山村/第二组，本次兑换日只为 青山村/第一组 兑换"),
        "{err}"
    );
    assert_eq!(content(&s.path()), before);
    redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 1)]), t0()).unwrap();
}

#[test]
fn a_cashier_cannot_open_a_planned_day_for_groups_it_does_not_plan_or_another_day() {
    let mut s = calendar_store();
    plan(&mut s, t0().date(), &["第一组"], None);
    let cashier = s.cashier.clone();
    let err = open_as(
        &mut s,
        &cashier,
        t0().date(),
        &["青山村/第二组"],
        None,
        t0(),
    )
    .unwrap_err();
    assert!(
        err.contains("只安排了 青山村/第一组，没有 青山村/第二组"),
        "{err}"
    );
    let tomorrow = at(2026, 11, 21, 9, 0).date();
    plan(&mut s, tomorrow, &[], None);
    let err = open_as(&mut s, &cashier, tomorrow, &[], None, t0()).unwrap_err();
    assert!(
        err.contains("只能开今天的兑换日，2026-11-21 不是今天"),
        "{err}"
    );
    open_as(
        &mut s,
        &cashier,
        t0().date(),
        &["青山村/第一组"],
        None,
        t0(),
    )
    .unwrap();
}

#[test]
fn a_holiday_move_opens_on_the_new_day_and_not_the_old_one() {
    let mut s = calendar_store();
    let old = at(2026, 11, 19, 9, 0);
    plan(&mut s, old.date(), &["第一组", "第二组"], None);
    // Moved to the 20th; the groups move with it.
    plan(&mut s, t0().date(), &[], Some(old.date()));
    let days = jifen::app::calendar::calendar(&mut s.db, "青山村", 2026).unwrap();
    assert_eq!(days.len(), 1);
    assert_eq!(days[0].groups, vec!["第一组", "第二组"]);
    let cashier = s.cashier.clone();
    let err = open_as(&mut s, &cashier, old.date(), &[], None, old).unwrap_err();
    assert!(err.contains("2026-11-19 不是青山村的兑换日"), "{err}");
    let session = open_as(&mut s, &cashier, t0().date(), &[], None, t0()).unwrap();
    assert_eq!(
        session.groups_served,
        vec!["青山村/第一组", "青山村/第二组"]
    );
}

#[test]
fn a_session_left_open_past_its_day_refuses_redemptions_until_a_manager_closes_it() {
    let mut s = calendar_store();
    plan(&mut s, t0().date(), &[], None);
    let cashier = s.cashier.clone();
    open_as(&mut s, &cashier, t0().date(), &[], None, t0()).unwrap();
    let next_day = at(2026, 11, 21, 9, 0);
    let before = content(&s.path());
    let err = redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1003", 1)]),
        next_day,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("2026-11-20 的兑换日过了当天还没有结束"),
        "{err}"
    );
    let err = close_session(&mut s.db, s.dir.path(), &s.cashier, next_day).unwrap_err();
    assert!(err.to_string().contains("请管理员先结束它"), "{err}");
    assert_eq!(content(&s.path()), before);
    let (report, _backup) = close_session(&mut s.db, s.dir.path(), &s.manager, next_day).unwrap();
    assert_eq!(report.closed_by, "张丽");
    // A manager may open that day again, with a reason, to enter its paper records.
    let manager = s.manager.clone();
    let err = open_as(&mut s, &cashier, t0().date(), &[], Some("补录"), next_day).unwrap_err();
    assert!(err.contains("只能开今天的兑换日"), "{err}");
    let again = open_as(
        &mut s,
        &manager,
        t0().date(),
        &[],
        Some("补录 20 日纸质兑换单"),
        next_day,
    )
    .unwrap();
    assert_eq!(again.day, t0().date());
    redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1003", 1)]),
        next_day,
    )
    .unwrap();
    assert!(
        redeem(
            &mut s.db,
            &s.cashier,
            &cart("101001", &[("1003", 1)]),
            at(2026, 11, 22, 9, 0)
        )
        .is_err()
    );
}

#[test]
fn a_village_whose_rules_need_no_calendar_redeems_and_opens_on_any_day() {
    let mut s = small_store();
    redeem(&mut s.db, &s.cashier, &cart("101001", &[("1003", 1)]), t0()).unwrap();
    let cashier = s.cashier.clone();
    let session = open_as(&mut s, &cashier, t0().date(), &[], None, t0()).unwrap();
    assert!(session.groups_served.is_empty(), "every group");
    assert_eq!(session.off_calendar_reason, None);
    redeem(&mut s.db, &s.cashier, &cart("102001", &[("1003", 1)]), t0()).unwrap();
}

#[test]
fn a_store_from_before_migration_011_keeps_its_open_day_and_its_groups() {
    // A store as the released code (2026-11-23, migrations 001–010) left it: the demo village,
    // 青山村 on redemption-day rules, and a day open for 青山村第一组 written run-together, as
    // the old `session open --groups` stored it. See fixtures/stores/README.md.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "fixtures/stores/released-2026-11-23.db",
        dir.path().join("jifen.db"),
    )
    .unwrap();
    let now = at(2026, 12, 1, 18, 0);
    let mut db = jifen::store::Db::open_in(dir.path()).unwrap();
    // The released demo's PINs break today's rules: each member signs in once and changes it.
    let manager = jifen::app::sign_in(&mut db, jifen::core::StaffId(1), "1234", now).unwrap();
    assert!(manager.must_change_pin);
    jifen::app::staff::change_own_pin(&mut db, &manager, "1234", "842619", now).unwrap();
    let cashier = jifen::app::sign_in(&mut db, jifen::core::StaffId(2), "2345", now).unwrap();
    let cashier =
        jifen::app::staff::change_own_pin(&mut db, &cashier, "2345", "5827", now).unwrap();
    let open = current_session(&mut db).unwrap().unwrap();
    assert_eq!(open.off_calendar_reason, None);
    redeem(&mut db, &cashier, &cart("101001", &[("1003", 1)]), now).unwrap();
    let err = redeem(&mut db, &cashier, &cart("102001", &[("1003", 1)]), now).unwrap_err();
    assert!(err.to_string().contains("本户属于 青山村/第二组"), "{err}");
    let (report, _) = close_session(&mut db, dir.path(), &cashier, now).unwrap();
    assert_eq!(report.redemptions, 1);
    assert_eq!(jifen::app::check::check(&mut db).unwrap(), vec![]);
}
