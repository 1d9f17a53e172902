use chrono::NaiveDate;

use super::*;
use crate::core::StaffId;

fn grid(rows: &[&[&str]]) -> crate::core::import_rows::Grid {
    rows.iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

fn fuling_items() -> Vec<ScoringItem> {
    item_rows(&grid(&[
        &["序号", "类别", "项目", "积分内容", "分值"],
        &[
            "1",
            "基础积分",
            "爱国",
            "1.爱党爱国：拥护中国共产党领导",
            "1分",
        ],
        &["2", "", "", "2.遵纪守法：自觉遵循党和国家的方针政策", "1分"],
        &["3", "", "爱居", "3.遵德守礼：注重社会公德", "1分"],
        &["4", "", "", "4.居容整洁：爱护公共卫生", "1分"],
        &["5", "", "爱家", "5.平等和谐：彼此扶助", "1分"],
        &["6", "", "", "6.文明健康：奉行科学文明健康的生活理念", "1分"],
        &[
            "7",
            "贡献积分",
            "环境好",
            "7.美化民居：支持美丽宜居居庄建设",
            "1分",
        ],
        &["12", "", "风尚好", "12.助人为乐：充满爱心", "4分"],
        &["30", "", "活动积极", "积极参加文明社区创建", "每次2分"],
        &["31", "", "示范引领", "获评镇（街）级荣誉", "4分"],
        &["40", "负向扣分", "七有", "1.有家庭成员非法上访", ""],
    ]))
    .unwrap()
}

fn event(id: i64, item: i64, day: u32, points: i64) -> RegisterEvent {
    RegisterEvent {
        id,
        household_id: 1,
        table_id: 1,
        item_number: item,
        date: NaiveDate::from_ymd_opt(2026, 10, day).unwrap(),
        place: None,
        what: None,
        basis: Basis::Onsite,
        points,
        corrects: None,
        withdrawn: false,
        evidence: None,
        dispute_id: None,
        staff: StaffId(1),
        created_at: NaiveDate::from_ymd_opt(2026, 10, 31)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
        prev_hash: String::new(),
        hash: String::new(),
    }
}

fn fuling_rules() -> RegisterRules {
    RegisterRules {
        mode: Mode::Additive,
        full_marks: 100,
        negative_list_zeroes: vec!["基础积分".into(), "贡献积分".into()],
    }
}

const OCT: Period = Period {
    year: 2026,
    month: 10,
};

#[test]
fn merged_cells_take_the_value_above_and_kinds_follow_the_class() {
    let items = fuling_items();
    assert_eq!(items[1].class, "基础积分");
    assert_eq!(items[1].item, "爱国");
    assert_eq!(items[1].name(), "遵纪守法");
    assert_eq!(items[8].points, ItemPoints::PerOccurrence(2));
    assert_eq!(items[10].kind, ItemKind::Negative);
    assert_eq!(items[6].kind, ItemKind::Add);
}

#[test]
fn six_base_items_and_two_contribution_items_give_their_sum() {
    let items = fuling_items();
    let mut events: Vec<RegisterEvent> = (1..=6).map(|n| event(n, n, 20, 1)).collect();
    events.push(event(7, 7, 21, 1));
    events.push(event(8, 12, 22, 4));
    let score = month_total(&fuling_rules(), &items, &events, OCT);
    assert_eq!(score.classes["基础积分"], 6);
    assert_eq!(score.classes["贡献积分"], 5);
    assert_eq!(score.total, 11);
}

#[test]
fn one_negative_list_item_zeroes_base_and_contribution_of_its_month_only() {
    let items = fuling_items();
    let mut events: Vec<RegisterEvent> = (1..=6).map(|n| event(n, n, 20, 1)).collect();
    events.push(event(7, 7, 21, 1));
    events.push(event(8, 12, 22, 4));
    events.push(event(9, 40, 25, 0));
    let mut september = event(10, 1, 1, 1);
    september.date = NaiveDate::from_ymd_opt(2026, 9, 3).unwrap();
    events.push(september);
    let score = month_total(&fuling_rules(), &items, &events, OCT);
    assert!(score.negative);
    assert_eq!(score.classes["基础积分"], 0);
    assert_eq!(score.classes["贡献积分"], 0);
    assert_eq!(score.total, 0);
    let sept = month_total(
        &fuling_rules(),
        &items,
        &events,
        Period {
            year: 2026,
            month: 9,
        },
    );
    assert_eq!(
        sept.total, 1,
        "the negative item zeroes only the month of its date"
    );
}

#[test]
fn a_fixed_item_counts_once_a_month_a_per_occurrence_item_every_time() {
    let items = fuling_items();
    let events = vec![
        event(1, 1, 2, 1),
        event(2, 1, 9, 1),
        event(3, 30, 3, 2),
        event(4, 30, 4, 2),
    ];
    let score = month_total(&fuling_rules(), &items, &events, OCT);
    assert_eq!(score.total, 1 + 4);
    assert_eq!(score.not_counted, vec![2]);
}

#[test]
fn a_correction_replaces_the_event_it_corrects_and_a_withdrawal_removes_it() {
    let items = fuling_items();
    let mut fix = event(2, 12, 22, 4);
    fix.corrects = Some(1);
    let events = vec![event(1, 7, 22, 1), fix];
    assert_eq!(month_total(&fuling_rules(), &items, &events, OCT).total, 4);
    let mut gone = event(3, 12, 22, 0);
    gone.corrects = Some(2);
    gone.withdrawn = true;
    let events = vec![events[0].clone(), events[1].clone(), gone];
    assert_eq!(month_total(&fuling_rules(), &items, &events, OCT).total, 0);
}

#[test]
fn a_deduction_month_is_100_minus_the_deductions() {
    let items = item_rows(&grid(&[
        &["类别", "项目", "积分内容", "分值"],
        &["人居环境", "庭院", "房前屋后杂物乱堆乱放", "扣5分"],
        &["", "垃圾", "垃圾未分类投放", "每次扣2分"],
        &["乡风文明", "孝老", "不赡养老人", "扣10分"],
    ]))
    .unwrap();
    assert!(items.iter().all(|i| i.kind == ItemKind::Deduct));
    let rules = RegisterRules {
        mode: Mode::Deduction,
        ..RegisterRules::default()
    };
    let events = vec![
        event(1, 1, 5, 5),
        event(2, 2, 6, 2),
        event(3, 2, 7, 2),
        event(4, 3, 8, 10),
    ];
    let score = month_total(&rules, &items, &events, OCT);
    assert_eq!(score.total, 100 - 5 - 2 - 2 - 10);
    assert_eq!(month_total(&rules, &items, &[], OCT).total, 100);
}

#[test]
fn points_cells_as_villages_write_them() {
    assert_eq!(
        ItemPoints::parse("6分"),
        Some((ItemPoints::Fixed(6), false))
    );
    assert_eq!(
        ItemPoints::parse("每次扣2分"),
        Some((ItemPoints::PerOccurrence(2), true))
    );
    assert_eq!(
        ItemPoints::parse("1-5分"),
        Some((ItemPoints::Range(1, 5), false))
    );
    assert_eq!(
        ItemPoints::parse("扣1～3分"),
        Some((ItemPoints::Range(1, 3), true))
    );
    assert_eq!(ItemPoints::parse("两分"), None);
    assert_eq!(ItemPoints::parse("5-1分"), None);
}

#[test]
fn items_are_found_by_number_or_name_and_a_shared_name_is_ambiguous() {
    let items = fuling_items();
    assert_eq!(find_item(&items, "12").unwrap().number, 12);
    assert_eq!(find_item(&items, "助人为乐").unwrap().number, 12);
    assert!(matches!(
        find_item(&items, "爱国"),
        Err(RegisterRefusal::AmbiguousItem { .. })
    ));
    assert!(matches!(
        find_item(&items, "99"),
        Err(RegisterRefusal::UnknownItem { .. })
    ));
}

#[test]
fn an_event_hash_covers_its_points() {
    let a = event(1, 1, 2, 1);
    let mut b = a.clone();
    b.points = 5;
    assert_ne!(a.expected_hash(), b.expected_hash());
}

mod props {
    use proptest::prelude::*;

    use super::*;

    fn items() -> Vec<ScoringItem> {
        let item = |number, kind, points| ScoringItem {
            number,
            class: if kind == ItemKind::Negative {
                "负向扣分".into()
            } else {
                "贡献积分".into()
            },
            kind,
            item: format!("项{number}"),
            content: String::new(),
            points,
            cycle: Cycle::Month,
        };
        vec![
            item(1, ItemKind::Add, ItemPoints::Fixed(3)),
            item(2, ItemKind::Add, ItemPoints::PerOccurrence(2)),
            item(3, ItemKind::Add, ItemPoints::Range(1, 5)),
            item(4, ItemKind::Deduct, ItemPoints::PerOccurrence(4)),
            item(5, ItemKind::Negative, ItemPoints::Fixed(0)),
        ]
    }

    fn events_strategy() -> impl Strategy<Value = Vec<(i64, u32, i64)>> {
        prop::collection::vec((1i64..=5, 1u32..=28, 0i64..=5), 0..25)
    }

    fn build(raw: &[(i64, u32, i64)]) -> Vec<RegisterEvent> {
        let items = items();
        raw.iter()
            .enumerate()
            .map(|(i, (item, day, points))| {
                let (min, max) = items[(*item - 1) as usize].points.bounds();
                event(i as i64 + 1, *item, *day, (*points).clamp(min, max))
            })
            .collect()
    }

    /// The model: once-a-month items count their first event by date, the rest every event.
    fn model_added(events: &[RegisterEvent]) -> i64 {
        let mut sorted: Vec<&RegisterEvent> = events.iter().collect();
        sorted.sort_by_key(|e| (e.date, e.id));
        let mut seen = std::collections::HashSet::new();
        sorted
            .iter()
            .filter(|e| matches!(e.item_number, 1..=3))
            .filter(|e| e.item_number == 2 || seen.insert(e.item_number))
            .map(|e| e.points)
            .sum()
    }

    proptest! {
        #[test]
        fn an_additive_month_is_the_model_sum_or_zero_with_a_negative_item(raw in events_strategy()) {
            let events = build(&raw);
            let score = month_total(&fuling_rules(), &items(), &events, OCT);
            let negative = events.iter().any(|e| e.item_number == 5);
            prop_assert_eq!(score.negative, negative);
            prop_assert_eq!(score.total, if negative { 0 } else { model_added(&events) });
        }

        #[test]
        fn a_deduction_month_is_full_marks_less_deductions_floored_at_zero_plus_additions(raw in events_strategy()) {
            let events = build(&raw);
            let rules = RegisterRules { mode: Mode::Deduction, ..RegisterRules::default() };
            let score = month_total(&rules, &items(), &events, OCT);
            let deducted: i64 = events.iter().filter(|e| e.item_number == 4).map(|e| e.points).sum();
            prop_assert_eq!(score.total, (100 - deducted).max(0) + model_added(&events));
        }

        #[test]
        fn withdrawing_every_event_leaves_an_empty_month(raw in events_strategy()) {
            let mut events = build(&raw);
            let n = events.len() as i64;
            for id in 1..=n {
                let mut gone = event(n + id, 1, 1, 0);
                gone.corrects = Some(id);
                gone.withdrawn = true;
                events.push(gone);
            }
            let score = month_total(&fuling_rules(), &items(), &events, OCT);
            prop_assert_eq!(score, MonthScore::default());
        }
    }
}
