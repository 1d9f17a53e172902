//! Households that change (issue 24): split, merge, new head, move, join — balances before
//! and after, the transfer pair, the cards, the notice lines, and what is refused.

use std::process::{Command, Output};

use jifen::app::cards::{GroupSpec, issue_card, verify_card};
use jifen::app::check::check;
use jifen::app::household_changes::{
    self as changes, Join, Move, MoveTo, Split, change_head, merge, move_household, split,
};
use jifen::app::redeem::redeem;
use jifen::core::household::HouseholdStatus;
use jifen::core::household_change::{ChangeRefusal, Committee};
use jifen::core::refusal::Refusal;
use jifen::core::{Period, Points};

use crate::common::*;

#[allow(clippy::too_many_arguments)]
fn mv(
    s: &mut Store,
    number: &jifen::core::HouseholdNo,
    to: &MoveTo,
    reason: &str,
    committee: Option<&Committee>,
    on: chrono::NaiveDate,
    now: chrono::NaiveDateTime,
) -> jifen::app::Result<changes::ChangeDone> {
    let order = Move {
        to: to.clone(),
        reason: reason.into(),
        committee: committee.cloned(),
        on,
    };
    move_household(&mut s.db, &s.manager, number, &order, now)
}

fn committee() -> Committee {
    Committee::parse("王书记,李主任,赵组长").unwrap()
}

fn refusal<T: std::fmt::Debug>(r: jifen::app::Result<T>) -> Refusal {
    r.unwrap_err().refusal().cloned().expect("a refusal")
}

fn count(s: &Store, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn the_split(points: i64) -> Split {
    Split {
        from: hh("101001"),
        new_number: hh("101009"),
        head_name: "王小山".into(),
        group: "第一组".parse().unwrap(),
        members: 3,
        points: Points(points),
        committee: committee(),
        reason: "长子成家分户".into(),
    }
}

/// (out household, out amount, in household, in amount) of every transfer pair.
fn pairs(s: &Store) -> Vec<(String, i64, String, i64)> {
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT o.household_no, o.amount, i.household_no, i.amount FROM point_transfer t
             JOIN point_entry o ON o.id = t.out_entry_id JOIN point_entry i ON i.id = t.in_entry_id ORDER BY t.id",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_split_moves_the_committees_points_and_gives_the_new_household_a_card() {
    let mut s = small_store();
    let old_card = issue_card(&mut s.db, &s.manager, &hh("101001"), None, t0()).unwrap();
    assert_eq!(balance(&mut s.db, "101001"), 100);

    let preview = changes::preview_split(
        &mut s.db,
        &hh("101001"),
        &hh("101009"),
        Points(40),
        "长子成家分户",
    )
    .unwrap();
    let done = split(&mut s.db, &s.manager, &the_split(40), t0()).unwrap();
    assert_eq!(
        done.entries, preview,
        "the preview shows exactly what is written"
    );

    assert_eq!(balance(&mut s.db, "101001"), 60);
    assert_eq!(balance(&mut s.db, "101009"), 40);
    assert_eq!(pairs(&s), vec![("101001".into(), -40, "101009".into(), 40)]);
    // Each half names the other household and the committee.
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    let (reason, approved): (String, String) = conn
        .query_row(
            "SELECT reason, approved_by FROM point_entry WHERE household_no = '101009'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(
        reason.contains("101001") && reason.contains("长子成家分户"),
        "{reason}"
    );
    assert_eq!(approved, "王书记,李主任,赵组长");

    // The new card scans to the new household; the old household's card still works.
    let card = done.card.unwrap();
    let holder = verify_card(&mut s.db, &card.face.payload.to_string()).unwrap();
    assert_eq!(holder.household.number, hh("101009"));
    assert_eq!(holder.household.head_name, "王小山");
    assert_eq!(holder.household.group, "第一组");
    let old = verify_card(&mut s.db, &old_card.face.payload.to_string()).unwrap();
    assert_eq!(old.household.number, hh("101001"));
    assert!(check(&mut s.db).unwrap().is_empty());

    let history = changes::history(&mut s.db, &hh("101009")).unwrap();
    let line = changes::change_line(&history[0]);
    assert!(
        line.contains("分户") && line.contains("101009") && line.contains("40 分"),
        "{line}"
    );
}

#[test]
fn a_split_beyond_the_balance_is_refused_and_writes_nothing() {
    let mut s = small_store();
    let before = content(&s.path());
    let r = refusal(split(&mut s.db, &s.manager, &the_split(101), t0()));
    assert_eq!(
        r,
        Refusal::HouseholdChange(ChangeRefusal::PointsExceedBalance {
            household: hh("101001"),
            balance: Points(100),
            wanted: Points(101)
        })
    );
    let text = jifen::app::messages::refusal(&r);
    assert!(
        text.contains("101") && text.contains("100") && text.contains("未做任何改动"),
        "{text}"
    );
    assert_eq!(content(&s.path()), before);
}

#[test]
fn a_committee_of_fewer_than_three_distinct_names_is_refused() {
    assert_eq!(
        Committee::parse("王书记,王书记,李主任"),
        Err(Refusal::TooFewApprovers { given: 2 })
    );
    let mut s = small_store();
    // A cashier may not change households.
    assert!(matches!(
        refusal(split(&mut s.db, &s.cashier, &the_split(10), t0())),
        Refusal::NotPermitted { .. }
    ));
}

#[test]
fn a_merge_moves_every_point_stops_the_card_and_keeps_the_old_history() {
    let mut s = small_store();
    let card = issue_card(&mut s.db, &s.manager, &hh("101002"), None, t0()).unwrap();
    redeem(&mut s.db, &s.cashier, &cart("101002", &[("1003", 1)]), t0()).unwrap();
    assert_eq!(balance(&mut s.db, "101002"), 90);

    let done = merge(
        &mut s.db,
        &s.manager,
        &hh("101002"),
        &hh("101001"),
        &committee(),
        "两户合并",
        t0(),
    )
    .unwrap();
    assert_eq!(done.household.status, HouseholdStatus::MovedAway);
    assert_eq!(balance(&mut s.db, "101002"), 0);
    assert_eq!(balance(&mut s.db, "101001"), 190);
    assert_eq!(pairs(&s), vec![("101002".into(), -90, "101001".into(), 90)]);
    assert!(matches!(
        refusal(verify_card(&mut s.db, &card.face.payload.to_string())),
        Refusal::CardRevoked { .. }
    ));
    // Its history still reads under its own number: opening, redemption, transfer out.
    let (_, entries) = jifen::app::queries::ledger(&mut s.db, &hh("101002")).unwrap();
    assert_eq!(
        entries.iter().map(|e| e.amount.0).collect::<Vec<_>>(),
        vec![100, -10, -90]
    );
    // It earns nothing more: a score sheet naming it is refused, naming it.
    let sheet = s.dir.path().join("scores.csv");
    std::fs::write(&sheet, "户号,得分\n101001,90\n101002,90\n").unwrap();
    let r = jifen::app::import::import_scores(
        &mut s.db,
        &s.manager,
        &sheet,
        Period {
            year: 2026,
            month: 11,
        },
        &["甲".into(), "乙".into(), "丙".into()],
        t0(),
    );
    assert_eq!(refusal(r), Refusal::HouseholdInactive(hh("101002")));
    assert!(check(&mut s.db).unwrap().is_empty());
}

#[test]
fn a_merge_of_a_household_with_an_open_voucher_is_refused_naming_it() {
    let mut s = crate::services::with_haircut();
    let done = redeem(&mut s.db, &s.cashier, &cart("101002", &[("9001", 1)]), t0()).unwrap();
    let voucher = done.receipt.vouchers[0].voucher_no.clone();
    let before = content(&s.path());
    let r = refusal(merge(
        &mut s.db,
        &s.manager,
        &hh("101002"),
        &hh("101001"),
        &committee(),
        "",
        t0(),
    ));
    match &r {
        Refusal::HouseholdChange(ChangeRefusal::OpenVoucher {
            household,
            voucher_no,
            ..
        }) => {
            assert_eq!((household, voucher_no), (&hh("101002"), &voucher));
        }
        other => panic!("{other:?}"),
    }
    assert!(jifen::app::messages::refusal(&r).contains(&voucher));
    assert_eq!(content(&s.path()), before);
}

#[test]
fn a_new_head_keeps_number_and_points_and_the_old_card_stops() {
    let mut s = small_store();
    let old = issue_card(&mut s.db, &s.manager, &hh("101001"), None, t0()).unwrap();
    let done = change_head(
        &mut s.db,
        &s.manager,
        &hh("101001"),
        "王小山",
        "户主王大山去世",
        t0(),
    )
    .unwrap();
    assert_eq!(balance(&mut s.db, "101001"), 100);
    assert!(done.entries.is_empty());
    let card = done.card.unwrap();
    assert_eq!(card.face.head_name, "王小山");
    assert_eq!(card.replaced, Some(old.face.serial));
    assert!(matches!(
        refusal(verify_card(&mut s.db, &old.face.payload.to_string())),
        Refusal::CardReplaced { .. }
    ));
    let holder = verify_card(&mut s.db, &card.face.payload.to_string()).unwrap();
    assert_eq!(
        (holder.household.number, holder.household.head_name.as_str()),
        (hh("101001"), "王小山")
    );
    let line = changes::change_line(&changes::history(&mut s.db, &hh("101001")).unwrap()[0]);
    assert!(
        line.contains("王大山") && line.contains("王小山") && line.contains("去世"),
        "{line}"
    );
    assert!(
        refusal(change_head(
            &mut s.db,
            &s.manager,
            &hh("101001"),
            "王小山",
            "再来",
            t0()
        )) == Refusal::HouseholdChange(ChangeRefusal::SameHead(hh("101001")))
    );
}

#[test]
fn a_move_to_another_group_counts_from_its_day_and_leaves_the_past_alone() {
    let mut s = small_store();
    let group: GroupSpec = "第二组".parse().unwrap();
    let day = at(2026, 11, 15, 0, 0).date();
    let done = mv(
        &mut s,
        &hh("101001"),
        &MoveTo::Group(group.clone()),
        "搬到二组",
        None,
        day,
        t0(),
    )
    .unwrap();
    assert_eq!(done.household.group, "第二组");
    assert!(done.entries.is_empty());
    assert_eq!(balance(&mut s.db, "101001"), 100);
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    let id: i64 = conn
        .query_row(
            "SELECT id FROM household WHERE number = '101001'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let name = |g: i64| -> String {
        conn.query_row("SELECT name FROM village_group WHERE id = ?1", [g], |r| {
            r.get(0)
        })
        .unwrap()
    };
    assert_eq!(
        name(jifen::store::transfers::group_at(&conn, id, at(2026, 11, 14, 0, 0).date()).unwrap()),
        "第一组"
    );
    assert_eq!(
        name(jifen::store::transfers::group_at(&conn, id, day).unwrap()),
        "第二组"
    );
    assert_eq!(
        refusal(mv(
            &mut s,
            &hh("101001"),
            &MoveTo::Group(group),
            "再搬",
            None,
            day,
            t0()
        )),
        Refusal::HouseholdChange(ChangeRefusal::AlreadyInGroup {
            household: hh("101001"),
            group: "第二组".into()
        })
    );
}

#[test]
fn moving_away_with_points_needs_the_committee_and_ends_them_visibly() {
    let mut s = small_store();
    issue_card(&mut s.db, &s.manager, &hh("102001"), None, t0()).unwrap();
    let before = content(&s.path());
    let r = refusal(mv(
        &mut s,
        &hh("102001"),
        &MoveTo::Away,
        "迁往县城",
        None,
        t0().date(),
        t0(),
    ));
    assert_eq!(
        r,
        Refusal::HouseholdChange(ChangeRefusal::BalanceLeft {
            household: hh("102001"),
            balance: Points(100)
        })
    );
    assert_eq!(content(&s.path()), before, "never silently");

    let c = committee();
    let done = mv(
        &mut s,
        &hh("102001"),
        &MoveTo::Away,
        "迁往县城",
        Some(&c),
        t0().date(),
        t0(),
    )
    .unwrap();
    assert_eq!(done.household.status, HouseholdStatus::MovedAway);
    assert_eq!(balance(&mut s.db, "102001"), 0);
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    let (kind, amount, reason, approved): (String, i64, String, String) = conn
        .query_row("SELECT kind, amount, reason, approved_by FROM point_entry WHERE household_no = '102001' ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap();
    assert_eq!((kind.as_str(), amount), ("correction", -100));
    assert!(reason.contains("迁往县城") && approved.contains("赵组长"));
    assert_eq!(
        count(&s, "SELECT COUNT(*) FROM card WHERE revoked_at IS NOT NULL"),
        1
    );
    let r = refusal(redeem(
        &mut s.db,
        &s.cashier,
        &cart("102001", &[("1003", 1)]),
        t0(),
    ));
    assert_eq!(r, Refusal::HouseholdInactive(hh("102001")));
    let line = changes::change_line(&changes::history(&mut s.db, &hh("102001")).unwrap()[0]);
    assert!(line.contains("迁出") && line.contains("100 分"), "{line}");
    assert!(check(&mut s.db).unwrap().is_empty());
}

#[test]
fn a_resident_household_joins_and_redeems_only_after_the_village_waiting_time() {
    let mut s = small_store();
    jifen::app::rules::set_policy(
        &mut s.db,
        &s.manager,
        "青山村",
        "resident_months_before_eligible = 6\n",
        t0(),
    )
    .unwrap();
    let join = Join {
        number: hh("109001"),
        head_name: "陈外来".into(),
        village: "青山村".into(),
        group: "第一组".parse().unwrap(),
        members: 2,
        phone: None,
        arrived: at(2026, 8, 1, 0, 0).date(),
        committee: committee(),
        reason: "居住满三个月，经两委同意".into(),
    };
    let done = changes::join(&mut s.db, &s.manager, &join, t0()).unwrap();
    assert_eq!(
        done.household.kind,
        jifen::core::household::HouseholdKind::Resident
    );
    assert!(done.card.is_some());
    // Give it points the ordinary way, then try before and after 2027-02-01.
    jifen::app::points::correct_points(
        &mut s.db,
        &s.manager,
        &hh("109001"),
        Points(30),
        "评议加分",
        "甲,乙,丙",
        t0(),
    )
    .unwrap();
    let r = refusal(redeem(
        &mut s.db,
        &s.cashier,
        &cart("109001", &[("1003", 1)]),
        t0(),
    ));
    assert_eq!(
        r,
        Refusal::HouseholdChange(ChangeRefusal::NotYetEligible {
            household: hh("109001"),
            eligible_on: at(2027, 2, 1, 0, 0).date()
        })
    );
    redeem(
        &mut s.db,
        &s.cashier,
        &cart("109001", &[("1003", 1)]),
        at(2027, 2, 1, 10, 0),
    )
    .unwrap();
}

#[test]
fn check_finds_a_transfer_pair_that_does_not_balance() {
    let mut s = small_store();
    split(&mut s.db, &s.manager, &the_split(40), t0()).unwrap();
    assert!(check(&mut s.db).unwrap().is_empty());
    // A forged second transfer pointing at the opening entries: not corrections, not opposite.
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    conn.execute(
        "INSERT INTO point_transfer (kind, from_household_id, to_household_id, out_entry_id, in_entry_id, points, approved_by, reason, staff_id, created_at)
         VALUES ('split', 1, 2, 1, 2, 100, 'x', 'y', 1, '2026-11-20 09:00:00')",
        [],
    )
    .unwrap();
    assert!(
        conn.execute("DELETE FROM point_transfer", []).is_err(),
        "append-only"
    );
    let faults = check(&mut s.db).unwrap();
    assert_eq!(faults.len(), 2, "{faults:?}");
    assert!(
        faults
            .iter()
            .all(|f| jifen::app::messages::fault(f).contains("转移"))
    );
}

fn jifen_cli(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jifen"))
        .arg("--data")
        .arg(data)
        .args(["--staff", "1"])
        .args(args)
        .env("JIFEN_PIN", "1234")
        .output()
        .unwrap()
}

#[test]
fn the_household_commands_work_as_cli_md_writes_them() {
    let s = small_store();
    let data = s.dir.path().to_path_buf();
    drop(s.db);
    let ok = |args: &[&str]| {
        let out = jifen_cli(&data, args);
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        text
    };
    let dry = ok(&[
        "household",
        "split",
        "101001",
        "--new-id",
        "101009",
        "--head",
        "王小山",
        "--group",
        "第一组",
        "--points",
        "30",
        "--approved-by",
        "甲,乙,丙",
        "--dry-run",
    ]);
    assert!(dry.contains("-30") && dry.contains("+30"), "{dry}");
    let card = data.join("new.png");
    let out = ok(&[
        "household",
        "split",
        "101001",
        "--points",
        "30",
        "--new-id",
        "101009",
        "--head",
        "王小山",
        "--group",
        "第一组",
        "--members",
        "3",
        "--approved-by",
        "甲,乙,丙",
        "--card-out",
        card.to_str().unwrap(),
    ]);
    assert!(out.contains("101009") && card.exists(), "{out}");
    ok(&[
        "household",
        "merge",
        "101002",
        "101001",
        "--approved-by",
        "甲,乙,丙",
    ]);
    ok(&[
        "household",
        "head",
        "101001",
        "--name",
        "王二山",
        "--reason",
        "户主变更",
    ]);
    ok(&[
        "household",
        "move",
        "101009",
        "--group",
        "第二组",
        "--reason",
        "搬家",
    ]);
    let refused = jifen_cli(
        &data,
        &[
            "household",
            "move",
            "102001",
            "--away",
            "--reason",
            "迁往县城",
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("100"));
    ok(&[
        "household",
        "move",
        "102001",
        "--reason",
        "迁往县城",
        "--away",
        "--approved-by",
        "甲,乙,丙",
    ]);
    let joined = ok(&[
        "household",
        "join",
        "109001",
        "--head",
        "陈外来",
        "--village",
        "青山村",
        "--group",
        "第二组",
        "--arrived",
        "2026-06-01",
        "--approved-by",
        "甲,乙,丙",
    ]);
    assert!(
        joined.contains("109001") && joined.contains("常住户"),
        "{joined}"
    );
    let history = ok(&["household", "history", "101001"]);
    assert!(
        history.contains("王二山") && history.contains("合户"),
        "{history}"
    );
    let refused = jifen_cli(
        &data,
        &[
            "household",
            "merge",
            "101001",
            "101009",
            "--approved-by",
            "甲,甲,乙",
        ],
    );
    assert!(!refused.status.success());
    ok(&["check"]);
}

fn notice_text(s: &mut Store, period: &str) -> (jifen::core::notices::PointsNotice, String) {
    let notice =
        jifen::app::notices::points_notice(&mut s.db, crate::notices::period(period), None, 3)
            .unwrap();
    let doc = jifen::notice::group_notices::points_doc(&notice, t0().date());
    let text = jifen::notice::notice_text::notice_text(&doc);
    (notice, text)
}

fn numbers_in(notice: &jifen::core::notices::PointsNotice, group: &str) -> Vec<String> {
    notice
        .groups
        .iter()
        .filter(|g| g.group == group)
        .flat_map(|g| g.households.iter().map(|h| h.number.to_string()))
        .collect()
}

#[test]
fn each_change_is_on_the_points_notice_of_its_period_and_past_notices_keep_the_old_group() {
    let mut s = small_store();
    let day = at(2026, 11, 15, 0, 0).date();
    split(&mut s.db, &s.manager, &the_split(40), t0()).unwrap();
    change_head(
        &mut s.db,
        &s.manager,
        &hh("101001"),
        "王二山",
        "户主年迈交给儿子",
        t0(),
    )
    .unwrap();
    mv(
        &mut s,
        &hh("101001"),
        &MoveTo::Group("第二组".parse().unwrap()),
        "搬到二组",
        None,
        day,
        t0(),
    )
    .unwrap();
    merge(
        &mut s.db,
        &s.manager,
        &hh("101002"),
        &hh("101009"),
        &committee(),
        "两户合并",
        t0(),
    )
    .unwrap();

    let (november, text) = notice_text(&mut s, "2026-11");
    assert!(numbers_in(&november, "第二组").contains(&"101001".to_string()));
    assert!(!numbers_in(&november, "第一组").contains(&"101001".to_string()));
    // Each change is listed under the group the household was in on its day: the move was
    // back-dated to the 15th, so the split and the new head of the 20th are 第二组's.
    let lines = |group: &str| -> Vec<String> {
        november
            .groups
            .iter()
            .filter(|g| g.group == group)
            .flat_map(|g| g.changes.iter().map(|c| c.change.clone()))
            .collect()
    };
    let (first_lines, second_lines) = (lines("第一组"), lines("第二组"));
    assert_eq!(
        (first_lines.len(), second_lines.len()),
        (2, 2),
        "{first_lines:?} {second_lines:?}"
    );
    assert!(
        second_lines
            .iter()
            .any(|c| c.contains("分出 101009") && c.contains("40 分")),
        "{second_lines:?}"
    );
    assert!(
        second_lines
            .iter()
            .any(|c| c.contains("王大山") && c.contains("王二山"))
    );
    assert!(
        first_lines
            .iter()
            .any(|c| c.contains("第一组") && c.contains("第二组"))
    );
    assert!(
        first_lines
            .iter()
            .any(|c| c.contains("并入 101009") && c.contains("100 分"))
    );
    let first = november
        .groups
        .iter()
        .find(|g| g.group == "第一组")
        .unwrap();
    assert!(
        text.contains("变动情况") && text.contains("长子成家分户") && text.contains("王书记"),
        "{text}"
    );
    // The transfer pairs are listed as changes, not again as corrections.
    assert!(first.corrections.is_empty(), "{:?}", first.corrections);

    // October's notice, made after the move, still shows 101001 in its old group, no changes.
    let (october, _) = notice_text(&mut s, "2026-10");
    assert!(numbers_in(&october, "第一组").contains(&"101001".to_string()));
    assert!(october.groups.iter().all(|g| g.changes.is_empty()));
}

#[test]
fn a_store_made_before_migration_019_gets_each_households_group_history() {
    let mut s = small_store();
    let path = s.path();
    drop(s.db);
    // Turn the file back into what today's main writes (every migration before 019), with a
    // household added after, as an older build would.
    let conn = rusqlite::Connection::open(&path).unwrap();
    // 019 is the last migration: stepping the version back by one re-runs only it.
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    conn.pragma_update(None, "user_version", version - 1)
        .unwrap();
    conn.execute_batch(
        "DROP TRIGGER household_group_history_first; DROP TRIGGER household_group_history_follows;
         DROP TABLE household_change; DROP TABLE point_transfer; DROP TABLE household_group_history;
         INSERT INTO household (number, head_name, group_id, members, kind, status, created_at)
           SELECT '102002', '周老汉', group_id, 2, 'registered', 'active', '2026-11-20 09:00:00'
           FROM household WHERE number = '102001';",
    )
    .unwrap();
    drop(conn);
    s.db = jifen::store::Db::open(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let rows: i64 = conn
        .query_row("SELECT COUNT(*) FROM household_group_history", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(rows, 4, "one row per household");
    assert!(check(&mut s.db).unwrap().is_empty());
    let day = t0().date();
    mv(
        &mut s,
        &hh("102002"),
        &MoveTo::Group("第一组".parse().unwrap()),
        "搬家",
        None,
        day,
        t0(),
    )
    .unwrap();
    assert_eq!(balance(&mut s.db, "101001"), 100);
}

#[test]
fn ranks_for_a_month_before_a_move_stay_in_the_old_group() {
    let mut s = small_store();
    let sheet = s.dir.path().join("october.csv");
    std::fs::write(&sheet, "户号,得分\n101001,95\n101002,90\n102001,85\n").unwrap();
    let october = Period {
        year: 2026,
        month: 10,
    };
    jifen::app::import::import_scores(
        &mut s.db,
        &s.manager,
        &sheet,
        october,
        &["甲".into(), "乙".into(), "丙".into()],
        t0(),
    )
    .unwrap();
    let day = at(2026, 11, 15, 0, 0).date();
    mv(
        &mut s,
        &hh("101001"),
        &MoveTo::Group("第二组".parse().unwrap()),
        "搬到二组",
        None,
        day,
        t0(),
    )
    .unwrap();
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    let group = |name: &str| -> i64 {
        conn.query_row(
            "SELECT id FROM village_group WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
    };
    let mut first = jifen::store::rules::group_scores(&conn, group("第一组"), october).unwrap();
    first.sort();
    assert_eq!(
        first,
        vec![90, 95],
        "October's ranking is the one 第一组 was scored in"
    );
    assert_eq!(
        jifen::store::rules::group_scores(&conn, group("第二组"), october).unwrap(),
        vec![85]
    );
    assert!(jifen::store::rules::group_sheet_posted(&conn, group("第一组"), october).unwrap());
}

#[test]
fn a_move_dated_before_the_last_move_or_in_the_future_is_refused() {
    let mut s = small_store();
    let to = |g: &str| MoveTo::Group(g.parse().unwrap());
    mv(
        &mut s,
        &hh("101001"),
        &to("第二组"),
        "搬到二组",
        None,
        at(2026, 11, 15, 0, 0).date(),
        t0(),
    )
    .unwrap();
    let earlier = at(2026, 11, 10, 0, 0).date();
    let r = refusal(mv(
        &mut s,
        &hh("101001"),
        &to("第一组"),
        "搬回",
        None,
        earlier,
        t0(),
    ));
    assert_eq!(r, Refusal::HouseholdChange(ChangeRefusal::BadDate(earlier)));
    let later = at(2026, 11, 21, 0, 0).date();
    let r = refusal(mv(
        &mut s,
        &hh("101001"),
        &to("第一组"),
        "搬回",
        None,
        later,
        t0(),
    ));
    assert_eq!(r, Refusal::HouseholdChange(ChangeRefusal::BadDate(later)));
}
