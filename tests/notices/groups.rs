//! The per-group notices (积分公示, 家庭积分兑换表), the price list and the management rules.

use jifen::app::notices::{self, NoticeKind};
use jifen::core::Points;
use jifen::notice::notice_text::{notice_slip, notice_text};

use super::read_back::read_back;
use super::{busy_demo, document, period, sql_sum};
use crate::common::*;

#[test]
fn points_notice_shows_scores_running_totals_balances_and_corrections() {
    let mut s = busy_demo();
    let sep = notices::points_notice(&mut s.db, period("2026-09"), None, 10).unwrap();
    assert_eq!(sep.groups.len(), 7);
    assert_eq!(
        sep.groups.iter().map(|g| g.households.len()).sum::<usize>(),
        300
    );
    let score = |s: &Store, number: &str, month: &str| -> i64 {
        sql_sum(
            s,
            &format!(
                "SELECT score FROM score JOIN household h ON h.id = household_id WHERE h.number = '{number}' AND period = '{month}'"
            ),
        )
    };
    let first = &sep.groups[0].households[0];
    assert_eq!(
        first.period_score,
        score(&s, first.number.as_str(), "2026-09")
    );
    let year: i64 = (1..=9)
        .map(|m| score(&s, first.number.as_str(), &format!("2026-{m:02}")))
        .sum();
    assert_eq!(first.year_total, year);
    // Before any redemption: opening balance plus every credit up to September.
    let credits = sql_sum(&s, &format!(
        "SELECT SUM(amount) FROM point_entry e JOIN household h ON h.id = e.household_id
         WHERE h.number = '{}' AND (e.kind = 'opening' OR (e.kind = 'monthly_credit' AND e.period <= '2026-09'))", first.number));
    assert_eq!(first.balance, Points(credits));
    for g in &sep.groups {
        assert!(
            g.honour_roll.len() >= 10 && g.honour_roll.windows(2).all(|w| w[0].score >= w[1].score)
        );
        assert_eq!(
            g.honour_roll[0].score,
            g.households.iter().map(|h| h.period_score).max().unwrap()
        );
    }
    // November: the balances are today's, the correction is posted in its group.
    let q4 = notices::points_notice(&mut s.db, period("2026-Q4"), None, 5).unwrap();
    for g in &q4.groups {
        for h in &g.households {
            assert_eq!(
                h.balance.0,
                balance(&mut s.db, h.number.as_str()),
                "{}",
                h.number
            );
        }
    }
    let corrections: Vec<_> = q4.groups.iter().flat_map(|g| &g.corrections).collect();
    assert_eq!(corrections.len(), 1);
    assert_eq!(
        (corrections[0].number.as_str(), corrections[0].change),
        ("101003", Points(5))
    );
    let one = notices::points_notice(
        &mut s.db,
        period("2026-Q3"),
        Some(&"河湾村/第二组".parse().unwrap()),
        3,
    )
    .unwrap();
    assert_eq!(one.groups.len(), 1);
    assert_eq!(one.groups[0].households[0].monthly.len(), 3);
    assert_eq!(one.committees.len(), 3);
    let doc = jifen::notice::notices::points_doc(&one, t0().date());
    assert!(doc.all_text().contains("评分小组：王建华、李国强、赵秀英"));
    assert!(doc.subtitle.as_deref().unwrap().starts_with("河湾村第二组"));
    assert!(
        notices::points_notice(
            &mut s.db,
            period("2026-Q3"),
            Some(&"第九组".parse().unwrap()),
            3
        )
        .is_err()
    );

    let doc = document(&mut s, NoticeKind::Points, "2026-Q4");
    let Some(text) = read_back(&doc, s.dir.path(), "points") else {
        return;
    };
    for needle in [
        "积分公示",
        "光荣榜",
        "年度累计",
        "积分余额",
        "十月评分漏记门前三包",
        "河湾村第三组",
        "本期尚未录入评分表",
    ] {
        assert!(text.contains(needle), "{needle} missing");
    }
    assert!(
        text.contains("青山村第一组（续）"),
        "a group running onto a second page repeats its heading"
    );
}

#[test]
fn the_redemption_sheet_lists_each_redemption_for_signing() {
    let mut s = busy_demo();
    let sheet = notices::redemption_sheet(&mut s.db, period("2026-11"), None).unwrap();
    let groups: Vec<&str> = sheet.groups.iter().map(|g| g.group.as_str()).collect();
    assert_eq!(groups, ["第一组", "第二组", "第一组"]);
    assert_eq!(
        (
            sheet.groups[0].village.as_str(),
            sheet.groups[2].village.as_str()
        ),
        ("青山村", "河湾村")
    );
    let first_group = &sheet.groups[0];
    assert_eq!(first_group.rows.len(), 2);
    assert!(first_group.rows[1].voided && !first_group.rows[0].voided);
    assert_eq!(first_group.points(), first_group.rows[0].points);
    assert_eq!(
        first_group.rows[0].balance_after.0,
        balance(&mut s.db, "101001")
    );
    assert!(
        notices::redemption_sheet(&mut s.db, period("2026-10"), None)
            .unwrap()
            .groups
            .is_empty()
    );

    let doc = document(&mut s, NoticeKind::Redemptions, "2026-11");
    let Some(text) = read_back(&doc, s.dir.path(), "redemptions") else {
        return;
    };
    for needle in [
        "家庭积分兑换表",
        "户主签字",
        "已作废",
        "2026-000001",
        "大米 5kg×1",
    ] {
        assert!(text.contains(needle), "{needle} missing");
    }
}

#[test]
fn prices_rules_text_and_slip() {
    let mut s = demo_store();
    let list = notices::price_list(&mut s.db, t0().date()).unwrap();
    assert_eq!(list.goods.len(), 46);
    let shelf = jifen::app::queries::stock(&mut s.db, None, t0().date()).unwrap();
    for g in &list.goods {
        let on_shelf = shelf.iter().find(|x| x.goods.code == g.code).unwrap();
        assert_eq!(g.price_points, on_shelf.price_points, "{}", g.code);
    }
    let doc = document(&mut s, NoticeKind::Prices, "2026-11");
    let text = notice_text(&doc);
    assert!(list.goods.iter().all(|g| text.contains(&g.name)));
    assert!(
        text.contains("明码标价") && text.contains("张丽（负责人）"),
        "{text}"
    );
    let slip = notice_slip(&doc);
    let table = slip.items.iter().find_map(|i| match i {
        jifen_hardware::Item::Table { rows, widths, .. } => Some((rows.len(), widths.len())),
        _ => None,
    });
    assert_eq!(
        table,
        Some((47, 4)),
        "header and 46 goods; name, unit, points, limit"
    );
    if let Some(pdf) = read_back(&doc, s.dir.path(), "prices") {
        assert!(pdf.contains("大米 5kg") && pdf.contains("每户每月限量"));
    }

    // Management rules: the bundled template until the manager saves the store's own.
    let rules = document(&mut s, NoticeKind::Rules, "2026-11");
    assert_eq!(rules.title, "青山河湾联合积分超市管理制度");
    assert!(
        !rules.all_text().contains("// "),
        "comments for the editor are not printed"
    );
    let own = "# 积分超市守则\n## 第一条\n{staff}每周三开门。\n";
    let refused = notices::save_rules_template(&mut s.db, &s.cashier, own, t0());
    assert!(refused.is_err(), "a cashier may not change the rules");
    notices::save_rules_template(&mut s.db, &s.manager, own, t0()).unwrap();
    let rules = document(&mut s, NoticeKind::Rules, "2026-11");
    assert_eq!(rules.title, "积分超市守则");
    assert!(
        rules.all_text().contains("张丽、王芳每周三开门。"),
        "{}",
        rules.all_text()
    );
    read_back(&rules, s.dir.path(), "rules");

    // 专人管理: once the manager appoints someone, the notices name the appointment.
    let from = t0().date() - chrono::Days::new(30);
    jifen::app::duty::appoint(
        &mut s.db,
        &s.manager,
        s.cashier.id,
        "超市管理员",
        from,
        None,
        t0(),
    )
    .unwrap();
    let list = notices::price_list(&mut s.db, t0().date()).unwrap();
    let staff: Vec<String> = list.staff.iter().map(|p| p.name.clone()).collect();
    assert_eq!(staff, ["王芳"]);
    let doc = document(&mut s, NoticeKind::Prices, "2026-11");
    assert!(doc.all_text().contains("王芳（超市管理员）"));
    let before = document(&mut s, NoticeKind::Prices, "2026-09");
    assert!(
        before.all_text().contains("张丽（负责人）"),
        "no appointment yet in September"
    );
}
