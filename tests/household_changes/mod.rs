//! Households that change (issue 24): split, merge, new head, move, join — balances before
//! and after, the transfer pair, the cards, the notice lines, and what is refused.

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

mod checks;
mod cli;
mod periods;
mod stats;
mod ui;

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
        Committee::parse("王书记,李主任"),
        Err(Refusal::TooFewApprovers { given: 2 })
    );
    // The same rule as every committee of the store (issue 16): a name twice is refused.
    assert_eq!(
        Committee::parse("王书记,王书记,李主任,赵组长"),
        jifen::core::staff_rules::approvers(
            &["王书记,王书记,李主任,赵组长".into()],
            jifen::core::staff_rules::Approval::Committee
        )
        .map(|_| unreachable!())
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
