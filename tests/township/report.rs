//! The township report for a quarter: its numbers equal each store's own notices for the
//! same quarter; written as xlsx and PDF and read back.

use std::process::Command;

use jifen::app::notices::{points_notice, stock_notice};
use jifen::core::notice_period::NoticePeriod;
use jifen::township::Township;
use jifen::township::report::{TOP_PER_GROUP, report};

use super::{Town, busy_store, push};
use crate::common::at;

#[test]
fn a_quarters_report_equals_the_stores_own_notices_and_renders_as_xlsx_and_pdf() {
    let town = Town::new();
    let q4: NoticePeriod = "2026-Q4".parse().unwrap();
    let now = at(2026, 12, 31, 18, 0);
    let mut stores = vec![("青山河湾A", busy_store(0)), ("青山河湾B", busy_store(1))];
    for (name, store) in &mut stores {
        let url = town.enrol(name);
        push(store, &url).unwrap();
    }
    let mut admin = Township::connect_admin(&town.admin_url).unwrap();
    let data = report(&mut admin, q4, now).unwrap();
    assert_eq!(data.stores.len(), 2);
    for (name, store) in &mut stores {
        let stock = stock_notice(&mut store.db, q4, now).unwrap();
        let points = points_notice(&mut store.db, q4, None, TOP_PER_GROUP as usize).unwrap();
        let groups: Vec<_> = data.groups.iter().filter(|g| g.store == *name).collect();
        assert_eq!(
            groups.len(),
            points.groups.len(),
            "{name}: one line per village group"
        );
        assert!(stock.redemptions > 0 && stock.points_redeemed.0 > 0);
        assert_eq!(
            groups.iter().map(|g| g.redeemed).sum::<i64>(),
            stock.points_redeemed.0,
            "{name}"
        );
        assert_eq!(
            groups.iter().map(|g| g.redemptions).sum::<i64>(),
            stock.redemptions,
            "{name}"
        );
        assert_eq!(
            groups.iter().map(|g| g.households_redeemed).sum::<i64>(),
            stock.households_served,
            "{name}"
        );
        for notice_group in &points.groups {
            let line = groups
                .iter()
                .find(|g| g.village == notice_group.village && g.group == notice_group.group)
                .expect("the group is in the report");
            let balance: i64 = notice_group.households.iter().map(|h| h.balance.0).sum();
            assert_eq!(
                line.balance, balance,
                "{name} {}/{}",
                line.village, line.group
            );
            assert_eq!(line.households as usize, notice_group.households.len());
            let top: Vec<(i64, String, i64)> = data
                .top
                .iter()
                .filter(|t| {
                    t.store == *name
                        && t.village == notice_group.village
                        && t.group == notice_group.group
                })
                .map(|t| (t.rank, t.number.clone(), t.score))
                .collect();
            let honour: Vec<(i64, String, i64)> = notice_group
                .honour_roll
                .iter()
                .map(|h| (h.rank as i64, h.number.to_string(), h.score))
                .collect();
            assert_eq!(top, honour, "{name} {}: honour roll", notice_group.group);
        }
        let goods: Vec<_> = data.goods.iter().filter(|g| g.store == *name).collect();
        assert_eq!(goods.len(), stock.lines.len(), "{name}: goods lines");
        for line in &stock.lines {
            let g = goods
                .iter()
                .find(|g| g.code == line.code.as_str())
                .expect("the good is in the report");
            assert_eq!(
                (
                    g.opening,
                    g.donated,
                    g.purchased,
                    g.issued,
                    g.written_off,
                    g.corrected,
                    g.closing
                ),
                (
                    line.opening.0,
                    line.donated.0,
                    line.purchased.0,
                    line.issued.0,
                    line.written_off.0,
                    line.corrected.0,
                    line.closing.0
                ),
                "{name} {}",
                g.code
            );
        }
        let purchases: i64 = data
            .purchases
            .iter()
            .filter(|p| p.store == *name)
            .map(|p| p.amount_cents)
            .sum();
        assert_eq!(purchases, stock.purchases_total().0);
        // Credits: the store's own monthly credits of the quarter.
        let credited: i64 = store
            .db
            .connection()
            .query_row(
                "SELECT COALESCE(SUM(amount), 0) FROM point_entry WHERE kind = 'monthly_credit' AND period BETWEEN '2026-10' AND '2026-12'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(groups.iter().map(|g| g.credited).sum::<i64>(), credited);
    }

    // The CLI writes both forms; read them back.
    let dir = tempfile::tempdir().unwrap();
    let (xlsx, pdf) = (
        dir.path().join("镇报表.xlsx"),
        dir.path().join("镇公示.pdf"),
    );
    for out in [&xlsx, &pdf] {
        let run = Command::new(env!("CARGO_BIN_EXE_jifen"))
            .args(["township", "report", "--period", "2026-Q4", "--out"])
            .arg(out)
            .args(["--url", &town.admin_url])
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let (households, credited, redeemed, balance) = data.totals();
    use calamine::{DataType, Reader, open_workbook_auto};
    let mut book = open_workbook_auto(&xlsx).unwrap();
    let sheet = book.worksheet_range("各组积分").unwrap();
    let column = |c: usize| -> f64 {
        sheet
            .rows()
            .skip(3)
            .filter_map(|r| r.get(c).and_then(|v| v.get_float()))
            .sum()
    };
    assert_eq!(column(3) as i64, households);
    assert_eq!(column(5) as i64, redeemed);
    assert_eq!(column(8) as i64, balance);
    let text = Command::new("pdftotext")
        .arg("-layout")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) reads the notice back");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("积分超市汇总公示"), "{text}");
    assert!(text.contains("青山河湾A") && text.contains("青山河湾B"));
    for total in [households, credited, redeemed, balance] {
        assert!(
            text.contains(&total.to_string()),
            "{total} missing from the PDF"
        );
    }
    if let Ok(keep) = std::env::var("JIFEN_KEEP_REPORT") {
        std::fs::copy(&pdf, format!("{keep}.pdf")).unwrap();
        std::fs::copy(&xlsx, format!("{keep}.xlsx")).unwrap();
    }
}
