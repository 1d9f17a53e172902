//! The scoring register (issue 20) with the documents' own tables: 涪陵's items imported from
//! the fixture, months scored from events, approved into credits, disputes that name an event,
//! and `check` catching an event altered behind the app's back.

use jifen::app::register::{self as reg, EventDecision, EventInput};
use jifen::app::{self, rules};
use jifen::core::Period;
use jifen::core::register::Basis;
use jifen::store::check::Fault;
use jifen::store::register_check::RegisterFault;

use crate::common::*;

pub(crate) const OCT: Period = Period {
    year: 2026,
    month: 10,
};

/// The small store with 青山村 under the given rules and items (fixtures/policies, fixtures/register).
pub(crate) fn register_store(policy: &str, items: &str) -> Store {
    let mut s = small_store();
    let text = std::fs::read_to_string(fixture(&format!("policies/{policy}.toml"))).unwrap();
    rules::set_policy(&mut s.db, &s.manager, "青山村", &text, t0()).unwrap();
    reg::import_items(
        &mut s.db,
        &s.manager,
        &fixture(&format!("register/{items}")),
        "青山村",
        2026,
        t0(),
    )
    .unwrap();
    s
}

pub(crate) fn event(s: &mut Store, household: &str, item: &str, day: u32) -> i64 {
    let input = EventInput::new(
        hh(household),
        item,
        chrono::NaiveDate::from_ymd_opt(2026, 10, day).unwrap(),
    );
    reg::add_event(&mut s.db, &s.cashier, &input, t0())
        .unwrap()
        .id
}

pub(crate) fn committee() -> Vec<String> {
    ["王建华", "李国强", "赵秀英"].map(String::from).to_vec()
}

pub(crate) fn register_faults(s: &mut Store) -> Vec<RegisterFault> {
    app::check::check(&mut s.db)
        .unwrap()
        .into_iter()
        .filter_map(|f| match f {
            Fault::Register(r) => Some(r),
            _ => None,
        })
        .collect()
}

#[test]
fn the_fuling_table_from_the_document_is_imported_whole() {
    let mut s = register_store("fuling", "fuling_items.xlsx");
    let (_, table) = reg::show_items(&mut s.db, "青山村").unwrap();
    assert_eq!(table.items.len(), 39);
    let base: Vec<_> = table
        .items
        .iter()
        .filter(|i| i.class == "基础积分")
        .collect();
    assert_eq!(base.len(), 6, "the 三爱 items");
    assert_eq!(table.items[12].name(), "见义勇为");
    assert_eq!(table.items[12].points.bounds(), (10, 10));
    let negative = table
        .items
        .iter()
        .filter(|i| i.kind == jifen::core::register::ItemKind::Negative)
        .count();
    assert_eq!(negative, 7, "the 七有 negative list");
}

#[test]
fn six_base_and_two_contribution_items_give_their_sum_and_one_negative_item_zeroes_both() {
    let mut s = register_store("fuling", "fuling_items.xlsx");
    for household in ["101001", "101002"] {
        for item in [
            "爱党爱国",
            "遵纪守法",
            "遵德守礼",
            "居容整洁",
            "平等和谐",
            "文明健康",
            "美化民居",
            "助人为乐",
        ] {
            event(&mut s, household, item, 12);
        }
    }
    event(&mut s, "101002", "违规办酒", 20);
    let review = reg::month_review(&mut s.db, "青山村/一组", OCT).unwrap();
    let first = &review.households[0];
    assert_eq!(
        (
            first.score.classes["基础积分"],
            first.score.classes["贡献积分"],
            first.score.total
        ),
        (6, 5, 11)
    );
    let second = &review.households[1];
    assert!(second.score.negative);
    assert_eq!(
        (
            second.score.classes["基础积分"],
            second.score.classes["贡献积分"],
            second.score.total
        ),
        (0, 0, 0)
    );

    let approved = reg::approve_month(
        &mut s.db,
        &s.manager,
        "青山村一组",
        OCT,
        &committee(),
        None,
        t0(),
    )
    .unwrap();
    assert_eq!(approved.leader.as_deref(), Some("王建华"));
    assert_eq!(
        approved.points_total, 11,
        "the approved credits are the computed totals"
    );
    assert_eq!(balance(&mut s.db, "101001"), 100 + 11);
    assert_eq!(balance(&mut s.db, "101002"), 100);
    assert!(app::check::check(&mut s.db).unwrap().is_empty());
    // The approval is the month's score sheet: a paper sheet for the same month is refused.
    let rows = vec![jifen::core::import_rows::ScoreRow {
        row: 2,
        household: hh("101001"),
        head_name: None,
        score: 5,
    }];
    assert!(
        app::import::post_scores(
            &mut s.db,
            &s.manager,
            "paper.csv",
            OCT,
            &committee(),
            &rows,
            t0()
        )
        .is_err()
    );
}

#[test]
fn a_wengyuan_month_is_100_minus_the_deductions() {
    let mut s = register_store("wengyuan", "wengyuan_items_example.csv");
    event(&mut s, "101001", "庭院整洁", 3);
    event(&mut s, "101001", "垃圾分类", 5);
    event(&mut s, "101001", "垃圾分类", 19);
    let mut range = EventInput::new(
        hh("101001"),
        "门前三包",
        chrono::NaiveDate::from_ymd_opt(2026, 10, 21).unwrap(),
    );
    assert!(
        reg::add_event(&mut s.db, &s.cashier, &range, t0()).is_err(),
        "a range item needs its points"
    );
    range.points = Some(4);
    reg::add_event(&mut s.db, &s.cashier, &range, t0()).unwrap();
    let month = reg::approve_month(
        &mut s.db,
        &s.manager,
        "青山村/第一组",
        OCT,
        &committee(),
        Some("李国强"),
        t0(),
    )
    .unwrap();
    assert_eq!(month.households[0].score.total, 100 - 5 - 2 - 2 - 4);
    assert_eq!(
        month.households[1].score.total, 100,
        "no deductions, full marks"
    );
    assert_eq!(balance(&mut s.db, "101001"), 100 + 87);
    assert_eq!(balance(&mut s.db, "101002"), 200);
    assert!(register_faults(&mut s).is_empty());
}

#[test]
fn the_scoring_group_needs_three_people_and_approves_a_month_once() {
    let mut s = register_store("fuling", "fuling_items.xlsx");
    let two = vec![
        "王建华".to_string(),
        "李国强".to_string(),
        "王建华".to_string(),
    ];
    assert!(
        reg::approve_month(&mut s.db, &s.manager, "青山村/一组", OCT, &two, None, t0()).is_err()
    );
    assert!(
        reg::approve_month(
            &mut s.db,
            &s.cashier,
            "青山村/一组",
            OCT,
            &committee(),
            None,
            t0()
        )
        .is_err()
    );
    reg::approve_month(
        &mut s.db,
        &s.manager,
        "青山村/一组",
        OCT,
        &committee(),
        None,
        t0(),
    )
    .unwrap();
    assert!(
        reg::approve_month(
            &mut s.db,
            &s.manager,
            "青山村/一组",
            OCT,
            &committee(),
            None,
            t0()
        )
        .is_err()
    );
    let late = EventInput::new(
        hh("101001"),
        "1",
        chrono::NaiveDate::from_ymd_opt(2026, 10, 30).unwrap(),
    );
    let refused = reg::add_event(&mut s.db, &s.cashier, &late, t0())
        .unwrap_err()
        .to_string();
    assert!(refused.contains("审定"), "{refused}");
}

#[test]
fn check_fails_when_an_event_is_altered_with_sql() {
    let mut s = register_store("fuling", "fuling_items.xlsx");
    event(&mut s, "101001", "助人为乐", 8);
    reg::approve_month(
        &mut s.db,
        &s.manager,
        "青山村/一组",
        OCT,
        &committee(),
        None,
        t0(),
    )
    .unwrap();
    assert!(register_faults(&mut s).is_empty());
    let conn = s.db.connection();
    assert!(
        conn.execute("UPDATE register_event SET points = 10 WHERE id = 1", [])
            .is_err(),
        "append-only"
    );
    conn.execute_batch(
        "DROP TRIGGER register_event_no_update;
         UPDATE register_event SET item_number = 13, points = 10 WHERE id = 1;",
    )
    .unwrap();
    let faults = register_faults(&mut s);
    assert!(
        faults.contains(&RegisterFault::HashMismatch { event: 1 }),
        "{faults:?}"
    );
    assert!(
        faults.iter().any(|f| matches!(
            f,
            RegisterFault::ScoreMismatch {
                computed: 10,
                recorded: 4,
                ..
            }
        )),
        "{faults:?}"
    );
}

#[test]
fn evidence_is_kept_with_its_hash_and_a_replaced_photo_fails_check() {
    let mut s = register_store("fuling", "fuling_items.xlsx");
    let photo = s.dir.path().join("现场照片.jpg");
    std::fs::write(&photo, b"\xFF\xD8 a photo of a clean yard").unwrap();
    let mut input = EventInput::new(
        hh("101001"),
        "净化环境",
        chrono::NaiveDate::from_ymd_opt(2026, 10, 15).unwrap(),
    );
    input.place = Some("王大山家院坝".into());
    input.basis = Basis::Onsite;
    input.evidence = Some(photo);
    let e = reg::add_event(&mut s.db, &s.cashier, &input, t0()).unwrap();
    let kept = e.evidence.clone().unwrap();
    let kept_path = s.dir.path().join(&kept.file);
    assert!(kept.file.starts_with("evidence/") && kept_path.exists());
    assert!(register_faults(&mut s).is_empty());
    let photos = reg::scoring_photos(&mut s.db, OCT.first_day(), t0().date(), None).unwrap();
    assert_eq!(photos, vec!["10月15日 王大山家院坝".to_string()]);
    // The points notice of the month lists the scoring photos' dates and places.
    let request = app::notices::NoticeRequest::new(
        app::notices::NoticeKind::Points,
        jifen::core::notice_period::NoticePeriod::Month(OCT),
    );
    let notice = app::notices::document(&mut s.db, &request, t0())
        .unwrap()
        .all_text();
    assert!(
        notice.contains("评分及检查图片资料") && notice.contains("10月15日 王大山家院坝"),
        "{notice}"
    );
    std::fs::write(&kept_path, b"another picture").unwrap();
    let faults = register_faults(&mut s);
    assert!(
        matches!(
            faults.as_slice(),
            [RegisterFault::Evidence { event: 1, .. }]
        ),
        "{faults:?}"
    );
}

#[test]
fn an_upheld_dispute_names_the_event_adds_a_correcting_event_and_corrects_the_month() {
    let mut s = register_store("fuling", "fuling_items.xlsx");
    let wrong = event(&mut s, "101001", "违规办酒", 10);
    event(&mut s, "101001", "助人为乐", 12);
    reg::approve_month(
        &mut s.db,
        &s.manager,
        "青山村/一组",
        OCT,
        &committee(),
        None,
        t0(),
    )
    .unwrap();
    assert_eq!(
        balance(&mut s.db, "101001"),
        100,
        "the negative item zeroed October"
    );
    let dispute =
        reg::dispute_event(&mut s.db, &s.cashier, wrong, "酒席是家宴，未违规", t0()).unwrap();
    // The generic decision would bypass the register: it is refused for an event dispute.
    let generic = app::disputes::Decision {
        upheld: true,
        change: jifen::core::Points(4),
        note: "x".into(),
        committee: committee(),
    };
    assert!(app::disputes::decide_dispute(&mut s.db, &s.manager, dispute, &generic, t0()).is_err());
    let decision = EventDecision {
        upheld: true,
        item: None,
        points: None,
        withdraw: true,
        note: "核实为家宴".into(),
        committee: committee(),
    };
    let decided =
        reg::decide_event_dispute(&mut s.db, &s.manager, dispute, &decision, t0()).unwrap();
    assert_eq!(decided.decision.as_deref(), Some("upheld"));
    assert_eq!(
        balance(&mut s.db, "101001"),
        104,
        "the month corrected by the difference"
    );
    let review = reg::month_review(&mut s.db, "青山村/一组", OCT).unwrap();
    assert_eq!(review.households[0].score.total, 4);
    assert_eq!(
        review.households[0].events.len(),
        3,
        "the correction is a new, visible event"
    );
    assert!(app::check::check(&mut s.db).unwrap().is_empty());
}

/// Regression: the event dispute's decision de-duplicated the committee itself, so "王建华,
/// 李国强,王建华" passed as three people. It now uses the store's one committee rule: a repeated
/// name is refused with the clerk's sentence, and nothing is written.
/// One person written three ways as two of a committee of three: twice, twice in one field,
/// and once with a space inside the name.
fn repeated_names() -> Vec<Vec<String>> {
    vec![
        vec!["王建华".to_string(), "李国强".into(), "王建华".into()],
        vec!["王建华,李国强,王建华".to_string()],
        vec!["王建华".to_string(), "李国强".into(), "王 建华".into()],
    ]
}

/// Refused as a repeated name (王建华), with the clerk's sentence for it.
fn assert_refused_as_repeated<T: std::fmt::Debug>(refused: Result<T, app::Error>) {
    let Err(app::Error::Refused(refusal)) = refused else {
        panic!("expected a refusal, got {refused:?}");
    };
    assert!(
        matches!(&refusal, jifen::core::refusal::Refusal::RepeatedApprover { name } if name.contains("建华")),
        "{refusal:?}"
    );
    assert!(app::messages::refusal(&refusal).contains("出现了不止一次"));
}

#[test]
fn a_repeated_name_in_the_scoring_group_is_refused_and_the_month_is_not_posted() {
    let mut s = register_store("fuling", "fuling_items.xlsx");
    event(&mut s, "101001", "助人为乐", 12);
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let before = (
        count("SELECT COUNT(*) FROM audit_log"),
        count("SELECT COUNT(*) FROM point_entry"),
        count("SELECT COUNT(*) FROM score_sheet"),
    );
    for group in repeated_names() {
        assert_refused_as_repeated(reg::approve_month(
            &mut s.db,
            &s.manager,
            "青山村/一组",
            OCT,
            &group,
            None,
            t0(),
        ));
    }
    // Two names are still too few, with the scoring group's own sentence.
    let two = vec!["王建华".to_string(), "李国强".into()];
    let refused = reg::approve_month(&mut s.db, &s.manager, "青山村/一组", OCT, &two, None, t0());
    assert!(
        matches!(
            refused,
            Err(app::Error::Refused(
                jifen::core::refusal::Refusal::Register(
                    jifen::core::register::RegisterRefusal::ScoringGroup { given: 2 }
                )
            ))
        ),
        "{refused:?}"
    );
    assert_eq!(
        (
            count("SELECT COUNT(*) FROM audit_log"),
            count("SELECT COUNT(*) FROM point_entry"),
            count("SELECT COUNT(*) FROM score_sheet"),
        ),
        before,
        "nothing written"
    );
    // Three different people approve it.
    reg::approve_month(
        &mut s.db,
        &s.manager,
        "青山村/一组",
        OCT,
        &committee(),
        None,
        t0(),
    )
    .unwrap();
}

#[test]
fn a_repeated_committee_name_is_refused_for_an_event_dispute_and_nothing_is_written() {
    let mut s = register_store("fuling", "fuling_items.xlsx");
    let wrong = event(&mut s, "101001", "违规办酒", 10);
    event(&mut s, "101001", "助人为乐", 12);
    reg::approve_month(
        &mut s.db,
        &s.manager,
        "青山村/一组",
        OCT,
        &committee(),
        None,
        t0(),
    )
    .unwrap();
    let dispute =
        reg::dispute_event(&mut s.db, &s.cashier, wrong, "酒席是家宴，未违规", t0()).unwrap();
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let before = (
        count("SELECT COUNT(*) FROM audit_log"),
        count("SELECT COUNT(*) FROM point_entry"),
        count("SELECT COUNT(*) FROM register_event"),
    );
    for committee in repeated_names() {
        let decision = EventDecision {
            upheld: true,
            item: None,
            points: None,
            withdraw: true,
            note: "核实为家宴".into(),
            committee,
        };
        assert_refused_as_repeated(reg::decide_event_dispute(
            &mut s.db,
            &s.manager,
            dispute,
            &decision,
            t0(),
        ));
    }
    assert_eq!(
        (
            count("SELECT COUNT(*) FROM audit_log"),
            count("SELECT COUNT(*) FROM point_entry"),
            count("SELECT COUNT(*) FROM register_event"),
        ),
        before,
        "nothing written"
    );
    let undecided: Option<String> = conn
        .query_row(
            "SELECT decision FROM dispute WHERE id = ?1",
            [dispute],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(undecided, None, "the dispute is still open");
    assert_eq!(balance(&mut s.db, "101001"), 100);
}

#[test]
fn items_export_as_xlsx_and_import_back_the_same() {
    let mut s = register_store("fuling", "fuling_items.csv");
    let (_, table) = reg::show_items(&mut s.db, "青山村").unwrap();
    let out = s.dir.path().join("items.xlsx");
    reg::export_items(&table, &out).unwrap();
    let again = reg::import_items(&mut s.db, &s.manager, &out, "青山村", 2027, t0()).unwrap();
    assert_eq!(again.items, table.items);
    // A year with events keeps its table.
    event(&mut s, "101001", "1", 3);
    assert!(reg::import_items(&mut s.db, &s.manager, &out, "青山村", 2026, t0()).is_err());
}
