//! Village rules with the documents' own numbers (翁源 001, 朱家角 002, 涪陵 004).

use jifen::app::{self, rules};
use jifen::core::import_rows::ScoreRow;
use jifen::core::{Period, Qty};

use crate::common::*;

/// A store of one village with `scores.len()` households in one group (opening 500 points
/// each), the demo goods in stock, the given rules, and October's scores posted.
fn village_store(rules_file: &str, scores: &[i64]) -> Store {
    let mut s = small_store_with_demo_goods();
    let mut grid = vec![
        ["户号", "户主", "村", "村小组", "期初积分"]
            .map(String::from)
            .to_vec(),
    ];
    for i in 0..scores.len() {
        grid.push(vec![
            format!("5010{:02}", i + 1),
            format!("村民{}", i + 1),
            "试点村".into(),
            "第一组".into(),
            "500".into(),
        ]);
    }
    app::import::import_households_grid(&mut s.db, &s.manager, "h.csv", &grid, t0()).unwrap();
    let text = std::fs::read_to_string(fixture(&format!("policies/{rules_file}.toml"))).unwrap();
    rules::set_policy(&mut s.db, &s.manager, "试点村", &text, t0()).unwrap();
    let rows: Vec<ScoreRow> = scores
        .iter()
        .enumerate()
        .map(|(i, score)| ScoreRow {
            row: i + 2,
            household: hh(&format!("5010{:02}", i + 1)),
            head_name: None,
            score: *score,
        })
        .collect();
    let october: Period = "2026-10".parse().unwrap();
    let approvers = ["王建华", "李国强", "赵秀英"].map(String::from);
    app::import::post_scores(
        &mut s.db,
        &s.manager,
        "scores.csv",
        october,
        &approvers,
        &rows,
        t0(),
    )
    .unwrap();
    s
}

fn small_store_with_demo_goods() -> Store {
    chinese();
    let dir = tempfile::tempdir().unwrap();
    let mut db = jifen::store::Db::open_in(dir.path()).unwrap();
    let id = app::setup::init_store(&mut db, "试点积分超市", "张丽", "842619", t0()).unwrap();
    let manager = app::sign_in(&mut db, id, "842619", t0()).unwrap();
    let cashier_id = app::setup::add_staff(
        &mut db,
        &manager,
        "王芳",
        jifen::core::staff::Role::Cashier,
        "5827",
        t0(),
    )
    .unwrap();
    let cashier = app::sign_in(&mut db, cashier_id, "5827", t0()).unwrap();
    app::import::import_goods(&mut db, &manager, &fixture("goods.csv"), t0()).unwrap();
    let lines = ["1001", "1002", "1003", "1015", "1020"]
        .iter()
        .map(|c| app::stock::ReceiveLine {
            code: code(c),
            qty: Qty(100),
            value: None,
        })
        .collect();
    let donation = app::stock::Donation {
        donor: "县供销社".into(),
        contact: None,
        received_on: t0().date(),
        lines,
    };
    app::stock::receive_donation(&mut db, &manager, &donation, t0()).unwrap();
    Store {
        dir,
        db,
        auditor: manager.clone(),
        manager,
        cashier,
    }
}

/// Plans today on the village's calendar and opens it (翁源 redeems only on a redemption day).
fn open_day(s: &mut Store) {
    open_day_at(s, t0());
}

fn open_day_at(s: &mut Store, now: chrono::NaiveDateTime) {
    app::duty::plan_day(&mut s.db, &s.manager, "试点村", now.date(), None, None, now).unwrap();
    app::sessions::open_session(&mut s.db, &s.cashier, now.date(), &[], &[], now).unwrap();
}

fn approvers() -> [String; 3] {
    ["王建华", "李国强", "赵秀英"].map(String::from)
}

fn post(s: &mut Store, period: &str, scores: &[(&str, i64)], now: chrono::NaiveDateTime) {
    let rows: Vec<ScoreRow> = scores
        .iter()
        .enumerate()
        .map(|(i, (number, score))| ScoreRow {
            row: i + 2,
            household: hh(number),
            head_name: None,
            score: *score,
        })
        .collect();
    let file = format!("{period}.csv");
    let period: Period = period.parse().unwrap();
    app::import::post_scores(
        &mut s.db,
        &s.manager,
        &file,
        period,
        &approvers(),
        &rows,
        now,
    )
    .unwrap();
}

#[test]
fn the_sixteenth_household_of_a_group_with_96_is_not_eligible() {
    let mut scores = vec![98; 15];
    scores.push(96);
    let mut s = village_store("wengyuan", &scores);
    open_day(&mut s);
    let err = app::redeem::redeem(&mut s.db, &s.cashier, &cart("501016", &[("1020", 1)]), t0())
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("得分 96，在小组排第 16 名，只有前 15 名可兑换"),
        "{err}"
    );
    app::redeem::redeem(&mut s.db, &s.cashier, &cart("501015", &[("1020", 1)]), t0()).unwrap();
}

#[test]
fn a_93_gets_tier_two_goods_and_not_tier_one_goods() {
    let mut s = village_store("wengyuan", &[93, 85, 70]);
    open_day(&mut s);
    let err = app::redeem::redeem(&mut s.db, &s.cashier, &cart("501001", &[("1002", 1)]), t0())
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("二档（≥90分），不能兑换“大米 10kg”"),
        "{err}"
    );
    app::redeem::redeem(&mut s.db, &s.cashier, &cart("501001", &[("1001", 1)]), t0()).unwrap();
    let err = app::redeem::redeem(&mut s.db, &s.cashier, &cart("501003", &[("1020", 1)]), t0())
        .unwrap_err();
    assert!(err.to_string().contains("得分 70，不到 80 分"), "{err}");
}

#[test]
fn the_tiered_village_redeems_only_on_a_redemption_day() {
    let mut s = village_store("wengyuan", &[99]);
    let err = app::redeem::redeem(&mut s.db, &s.cashier, &cart("501001", &[("1020", 1)]), t0())
        .unwrap_err();
    assert!(err.to_string().contains("只在兑换日兑换"), "{err}");
}

#[test]
fn a_top_three_household_pays_half_under_double_value() {
    let mut s = village_store("fuling", &[100, 99, 98, 97, 60]);
    let top =
        app::redeem::redeem(&mut s.db, &s.cashier, &cart("501001", &[("1001", 2)]), t0()).unwrap();
    assert_eq!(
        top.receipt.total_points.0, 50,
        "2 × 50 points at double value"
    );
    let fourth =
        app::redeem::redeem(&mut s.db, &s.cashier, &cart("501004", &[("1001", 2)]), t0()).unwrap();
    assert_eq!(fourth.receipt.total_points.0, 100);
}

#[test]
fn the_year_end_reset_clears_every_balance_with_one_entry_each_after_the_warning() {
    let mut s = village_store("fuling", &[90, 80, 70]);
    let err = rules::year_end_reset(&mut s.db, &s.manager, "试点村", 2026, t0()).unwrap_err();
    assert!(
        err.to_string().contains("尚未张贴年底清零提醒公告"),
        "{err}"
    );
    rules::record_reset_warning(&mut s.db, &s.manager, "试点村", 2026, t0()).unwrap();
    let end = at(2026, 12, 31, 18, 0);
    assert_eq!(
        rules::year_end_reset(&mut s.db, &s.manager, "试点村", 2026, end).unwrap(),
        3
    );
    for (number, before) in [("501001", 590), ("501002", 580), ("501003", 570)] {
        assert_eq!(balance(&mut s.db, number), 0);
        let (_, entries) = app::queries::ledger(&mut s.db, &hh(number)).unwrap();
        let expiries: Vec<_> = entries
            .iter()
            .filter(|e| e.kind.as_db() == "year_end_expiry")
            .collect();
        assert_eq!(expiries.len(), 1);
        assert_eq!(
            expiries[0].amount.0, -before,
            "the earlier balance stays visible in the ledger"
        );
    }
    assert!(
        rules::year_end_reset(&mut s.db, &s.manager, "试点村", 2026, end).is_err(),
        "once a year"
    );
    assert_eq!(app::check::check(&mut s.db).unwrap(), vec![]);
}

#[test]
fn the_annual_prize_list_of_a_47_household_group() {
    let scores: Vec<i64> = (0..47).map(|i| 100 - i).collect();
    let mut s = village_store("wengyuan", &scores);
    let winners = rules::annual_prizes(&mut s.db, "试点村", 2026).unwrap();
    let count = |prize| winners.iter().filter(|w| w.prize == prize).count();
    assert_eq!((count(1), count(2), count(3)), (3, 4, 7));
    assert_eq!(
        winners[0].household, "501001",
        "the best household wins the first prize"
    );
}

#[test]
fn a_score_above_the_rules_maximum_is_refused_by_row() {
    let mut s = village_store("wengyuan", &[90]);
    let rows = [ScoreRow {
        row: 7,
        household: hh("501001"),
        head_name: None,
        score: 120,
    }];
    let approvers = ["王建华", "李国强", "赵秀英"].map(String::from);
    let err = app::import::post_scores(
        &mut s.db,
        &s.manager,
        "11月.csv",
        "2026-11".parse().unwrap(),
        &approvers,
        &rows,
        t0(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("第 7 行“得分”列"), "{err}");
}

#[test]
fn an_upheld_dispute_is_a_correction_in_the_ledger_and_a_rejected_one_changes_nothing() {
    let mut s = village_store("fuling", &[80, 90]);
    let october: Period = "2026-10".parse().unwrap();
    let id = app::disputes::record_dispute(
        &mut s.db,
        &s.cashier,
        &hh("501001"),
        october,
        "漏记了义务劳动 5 分",
        t0(),
    )
    .unwrap();
    let decided = app::disputes::decide_dispute(
        &mut s.db,
        &s.manager,
        id,
        &decision(true, 5, "核实属实"),
        t0(),
    )
    .unwrap();
    assert_eq!(decided.decision.as_deref(), Some("upheld"));
    assert_eq!(balance(&mut s.db, "501001"), 585);
    let (_, entries) = app::queries::ledger(&mut s.db, &hh("501001")).unwrap();
    let last = entries.last().unwrap();
    assert_eq!((last.kind.as_db(), last.amount.0), ("correction", 5));
    assert!(last.reason.as_deref().unwrap().contains("异议更正 2026-10"));
    let other =
        app::disputes::record_dispute(&mut s.db, &s.cashier, &hh("501002"), october, "不服", t0())
            .unwrap();
    app::disputes::decide_dispute(
        &mut s.db,
        &s.manager,
        other,
        &decision(false, 0, "经核实评分无误"),
        t0(),
    )
    .unwrap();
    assert_eq!(balance(&mut s.db, "501002"), 590);
    assert!(
        app::disputes::decide_dispute(
            &mut s.db,
            &s.manager,
            other,
            &decision(true, 3, "再议"),
            t0()
        )
        .is_err()
    );
    assert_eq!(
        app::disputes::disputes_for_period(&mut s.db, october)
            .unwrap()
            .len(),
        2
    );
}

fn decision(upheld: bool, change: i64, note: &str) -> app::disputes::Decision {
    app::disputes::Decision {
        upheld,
        change: jifen::core::Points(change),
        note: note.to_string(),
        committee: ["王建华", "李国强", "赵秀英"].map(String::from).to_vec(),
    }
}

#[test]
fn a_reset_done_in_january_keeps_the_new_year_credits_and_march_is_too_late() {
    let mut s = village_store("fuling", &[90]);
    rules::record_reset_warning(&mut s.db, &s.manager, "试点村", 2026, t0()).unwrap();
    let january = at(2027, 1, 5, 9, 0);
    let rows = [ScoreRow {
        row: 2,
        household: hh("501001"),
        head_name: None,
        score: 88,
    }];
    let approvers = ["王建华", "李国强", "赵秀英"].map(String::from);
    app::import::post_scores(
        &mut s.db,
        &s.manager,
        "1月.csv",
        "2027-01".parse().unwrap(),
        &approvers,
        &rows,
        january,
    )
    .unwrap();
    let err = rules::year_end_reset(&mut s.db, &s.manager, "试点村", 2026, at(2027, 3, 1, 9, 0))
        .unwrap_err();
    assert!(
        err.to_string().contains("只能在当年 12 月至次年 1 月进行"),
        "{err}"
    );
    rules::year_end_reset(&mut s.db, &s.manager, "试点村", 2026, at(2027, 1, 10, 9, 0)).unwrap();
    assert_eq!(balance(&mut s.db, "501001"), 88, "January's credit stays");
}

// Regression tests for issue 14, named after what was fixed.

#[test]
fn year_end_reset_run_in_january_expires_only_old_points_and_leaves_90() {
    // The numbers: an old balance of 1285; 2027-01-05 a correction +90; 2027-01-10 a
    // redemption of 50; 2027-01-15 the reset of 2026 expires 1235 and leaves 90.
    let mut s = village_store("fuling", &[85]);
    let old = jifen::core::Points(1285 - 585);
    app::points::correct_points(
        &mut s.db,
        &s.manager,
        &hh("501001"),
        old,
        "补录纸质台账",
        "王建华,李国强,赵秀英",
        t0(),
    )
    .unwrap();
    assert_eq!(balance(&mut s.db, "501001"), 1285);
    rules::record_reset_warning(
        &mut s.db,
        &s.manager,
        "试点村",
        2026,
        at(2026, 12, 20, 9, 0),
    )
    .unwrap();
    let plus = jifen::core::Points(90);
    app::points::correct_points(
        &mut s.db,
        &s.manager,
        &hh("501001"),
        plus,
        "1月义务劳动补记",
        "王建华,李国强,赵秀英",
        at(2027, 1, 5, 9, 0),
    )
    .unwrap();
    let spent = app::redeem::redeem(
        &mut s.db,
        &s.cashier,
        &cart("501001", &[("1001", 1)]),
        at(2027, 1, 10, 9, 0),
    )
    .unwrap();
    assert_eq!(spent.receipt.total_points.0, 50);
    rules::year_end_reset(&mut s.db, &s.manager, "试点村", 2026, at(2027, 1, 15, 9, 0)).unwrap();
    let (_, entries) = app::queries::ledger(&mut s.db, &hh("501001")).unwrap();
    let expiry = entries
        .iter()
        .find(|e| e.kind.as_db() == "year_end_expiry")
        .unwrap();
    assert_eq!(expiry.amount.0, -1235);
    assert_eq!(balance(&mut s.db, "501001"), 90);
    assert_eq!(app::check::check(&mut s.db).unwrap(), vec![]);
}

#[test]
fn year_end_reset_expires_a_december_sheet_posted_in_january_with_its_year() {
    let mut s = village_store("fuling", &[80]);
    rules::record_reset_warning(
        &mut s.db,
        &s.manager,
        "试点村",
        2026,
        at(2026, 12, 20, 9, 0),
    )
    .unwrap();
    // December's committee meets late: its sheet is posted on 3 January, January's on the 31st.
    post(&mut s, "2026-12", &[("501001", 92)], at(2027, 1, 3, 9, 0));
    post(&mut s, "2027-01", &[("501001", 88)], at(2027, 1, 12, 9, 0));
    assert_eq!(balance(&mut s.db, "501001"), 580 + 92 + 88);
    rules::year_end_reset(&mut s.db, &s.manager, "试点村", 2026, at(2027, 1, 15, 9, 0)).unwrap();
    assert_eq!(
        balance(&mut s.db, "501001"),
        88,
        "the 2026-12 sheet expires with 2026; only January 2027's points stay"
    );
}

/// 试点村 under 翁源's tiered rules (October posted) and 河湾村, which needs no calendar.
fn two_village_store() -> Store {
    let mut s = village_store("wengyuan", &[93, 85]);
    let grid: Vec<Vec<String>> = vec![
        ["户号", "户主", "村", "村小组", "期初积分"]
            .map(String::from)
            .to_vec(),
        ["601001", "河湾一", "河湾村", "第一组", "100"]
            .map(String::from)
            .to_vec(),
    ];
    app::import::import_households_grid(&mut s.db, &s.manager, "h2.csv", &grid, t0()).unwrap();
    s
}

#[test]
fn tier_rule_reads_the_households_own_group_sheet_not_another_villages() {
    let mut s = two_village_store();
    // 河湾村's committee posts November first (on 20 November, the current month).
    post(&mut s, "2026-11", &[("601001", 90)], t0());
    open_day(&mut s);
    // 试点村's households still stand by their own October sheet and redeem their tier's goods.
    let r =
        app::redeem::redeem(&mut s.db, &s.cashier, &cart("501001", &[("1001", 1)]), t0()).unwrap();
    assert_eq!(r.receipt.lines[0].code.as_str(), "1001", "二档 goods");
    let err = app::redeem::redeem(&mut s.db, &s.cashier, &cart("501002", &[("1001", 1)]), t0())
        .unwrap_err();
    assert!(
        err.to_string().contains("三档"),
        "the 85 is tier three: {err}"
    );
    app::redeem::redeem(&mut s.db, &s.cashier, &cart("501002", &[("1015", 1)]), t0()).unwrap();
}

#[test]
fn tier_rule_refuses_until_the_groups_own_sheet_for_last_month_is_posted() {
    let mut s = two_village_store();
    post(&mut s, "2026-11", &[("601001", 90)], at(2026, 11, 30, 9, 0));
    let december = at(2026, 12, 5, 9, 0);
    open_day_at(&mut s, december);
    let before = content(&s.path());
    let err = app::redeem::redeem(
        &mut s.db,
        &s.cashier,
        &cart("501001", &[("1001", 1)]),
        december,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("试点村/第一组 2026年11月评分尚未公布"),
        "{err}"
    );
    assert_eq!(content(&s.path()), before, "a refusal writes nothing");
    post(
        &mut s,
        "2026-11",
        &[("501001", 96), ("501002", 70)],
        december,
    );
    app::redeem::redeem(
        &mut s.db,
        &s.cashier,
        &cart("501001", &[("1002", 1)]),
        december,
    )
    .unwrap();
}

#[test]
fn a_score_sheet_for_next_month_is_refused_naming_the_month_and_writes_nothing() {
    let mut s = village_store("wengyuan", &[90]);
    let before = content(&s.path());
    let rows = [ScoreRow {
        row: 2,
        household: hh("501001"),
        head_name: None,
        score: 90,
    }];
    // On 2026-12-28 a sheet for 2027-01 is a typing error.
    let err = app::import::post_scores(
        &mut s.db,
        &s.manager,
        "1月.csv",
        "2027-01".parse().unwrap(),
        &approvers(),
        &rows,
        at(2026, 12, 28, 9, 0),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("2027-01 还没有到（本月是 2026-12）"),
        "{err}"
    );
    let file = s.dir.path().join("2027-01.csv");
    std::fs::write(&file, "户号,得分\n501001,90\n").unwrap();
    let err = app::import::import_scores(
        &mut s.db,
        &s.manager,
        &file,
        "2027-01".parse().unwrap(),
        &approvers(),
        at(2026, 12, 28, 9, 0),
    )
    .unwrap_err();
    assert!(err.to_string().contains("2027-01 还没有到"), "{err}");
    assert_eq!(content(&s.path()), before);
}
