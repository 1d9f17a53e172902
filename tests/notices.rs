//! Public notices on the demo village: every figure against the ledgers (here), and each
//! PDF read back with poppler's pdftotext/pdffonts (`read_back`, skipped with a note where
//! poppler-utils is missing), per village group (`groups`).

mod groups;
mod read_back;

use jifen::app::notices::{self, NoticeKind, NoticeRequest};
use jifen::app::redeem::{redeem, void_redemption};
use jifen::core::notice_period::NoticePeriod;
use jifen::core::notices::StockNotice;
use jifen::core::redemption::CartLine;
use jifen::core::{Points, Qty, ReceiptNo};
use jifen::notice::document::NoticeDoc;

use crate::common::*;

pub fn period(text: &str) -> NoticePeriod {
    text.parse().unwrap()
}

/// The demo village after a redemption day on 2026-11-20: four redemptions in three groups
/// (one voided), a write-off, a stock correction and a points correction.
pub fn busy_demo() -> Store {
    let mut s = demo_store();
    let carts = [
        ("101001", vec![("1001", 1), ("1020", 2)]),
        ("101002", vec![("1027", 1)]),
        ("102001", vec![("1015", 1), ("1018", 3)]),
        ("201001", vec![("1003", 1)]),
    ];
    let mut receipts = Vec::new();
    for (minute, (household, lines)) in carts.iter().enumerate() {
        let at = at(2026, 11, 20, 9, 5 + minute as u32);
        receipts.push(
            redeem(&mut s.db, &s.cashier, &cart(household, lines), at)
                .unwrap()
                .receipt,
        );
    }
    void_redemption(
        &mut s.db,
        &s.manager,
        &receipts[1].receipt_no,
        "户主改主意",
        at(2026, 11, 20, 9, 30),
    )
    .unwrap();
    let change = |c: &str, q: i64| CartLine {
        code: code(c),
        qty: Qty(q),
    };
    jifen::app::stock::adjust_stock(
        &mut s.db,
        &s.manager,
        &[change("1007", -2)],
        "鸡蛋破损",
        at(2026, 11, 20, 10, 0),
    )
    .unwrap();
    jifen::app::stock::adjust_stock(
        &mut s.db,
        &s.manager,
        &[change("1020", 3)],
        "盘点多出",
        at(2026, 11, 20, 10, 5),
    )
    .unwrap();
    jifen::app::points::correct_points(
        &mut s.db,
        &s.manager,
        &hh("101003"),
        Points(5),
        "十月评分漏记门前三包",
        "王建华,李国强,赵秀英",
        at(2026, 11, 20, 10, 10),
    )
    .unwrap();
    s
}

pub fn sql_sum(s: &Store, sql: &str) -> i64 {
    s.db.connection()
        .query_row(sql, [], |r| r.get::<_, Option<i64>>(0))
        .unwrap()
        .unwrap_or(0)
}

pub fn document(s: &mut Store, kind: NoticeKind, p: &str) -> NoticeDoc {
    notices::document(
        &mut s.db,
        &NoticeRequest::new(kind, period(p)),
        at(2026, 11, 21, 8, 0),
    )
    .unwrap()
}

fn assert_stock_balances(notice: &StockNotice) {
    assert!(!notice.lines.is_empty());
    for line in &notice.lines {
        assert!(line.balances(), "{}: {line:?}", notice.period);
    }
}

#[test]
fn stock_figures_add_up_and_equal_the_ledgers() {
    let mut s = busy_demo();
    let now = at(2026, 11, 21, 8, 0);
    let notice = |s: &mut Store, p: &str| notices::stock_notice(&mut s.db, period(p), now).unwrap();
    let (y2025, y2026, nov) = (
        notice(&mut s, "2025"),
        notice(&mut s, "2026"),
        notice(&mut s, "2026-11"),
    );
    for n in [
        &y2025,
        &y2026,
        &nov,
        &notice(&mut s, "2026-Q4"),
        &notice(&mut s, "2026-03"),
    ] {
        assert_stock_balances(n);
    }
    let shelf = jifen::app::queries::stock(&mut s.db, None, now.date()).unwrap();
    for good in &shelf {
        let closing = y2026
            .lines
            .iter()
            .find(|l| l.code == good.goods.code)
            .map_or(0, |l| l.closing.0);
        assert_eq!(
            closing, good.on_hand.0,
            "{}: closing of 2026 is the stock on hand",
            good.goods.code
        );
        let opening = y2026
            .lines
            .iter()
            .find(|l| l.code == good.goods.code)
            .map_or(0, |l| l.opening.0);
        let before = y2025
            .lines
            .iter()
            .find(|l| l.code == good.goods.code)
            .map_or(0, |l| l.closing.0);
        assert_eq!(
            opening, before,
            "{}: 2026 opens where 2025 closed",
            good.goods.code
        );
    }
    let total = |n: &[&StockNotice], f: fn(&jifen::core::notices::StockLine) -> i64| -> i64 {
        n.iter().flat_map(|n| &n.lines).map(f).sum()
    };
    let both = [&y2025, &y2026];
    assert_eq!(
        total(&both, |l| l.donated.0),
        sql_sum(
            &s,
            "SELECT SUM(qty) FROM stock_movement WHERE kind = 'donation'"
        )
    );
    assert_eq!(
        total(&both, |l| l.purchased.0),
        sql_sum(
            &s,
            "SELECT SUM(qty) FROM stock_movement WHERE kind = 'purchase'"
        )
    );
    assert_eq!(total(&[&nov], |l| l.written_off.0), 2);
    assert_eq!(total(&[&nov], |l| l.corrected.0), 3);
    // Issued: the redemption lines that stand (the voided one gave its goods back).
    let issued = sql_sum(
        &s,
        "SELECT SUM(l.qty) FROM redemption_line l WHERE l.redemption_id NOT IN (SELECT redemption_id FROM redemption_void)",
    );
    assert_eq!((total(&[&nov], |l| l.issued.0), issued), (8, 8));
    assert_eq!((nov.redemptions, nov.households_served), (3, 3));
    let points = sql_sum(
        &s,
        "SELECT SUM(total_points) FROM redemption WHERE id NOT IN (SELECT redemption_id FROM redemption_void)",
    );
    assert_eq!(nov.points_redeemed, Points(points));
    let amount = sql_sum(
        &s,
        "SELECT SUM(amount_cents) FROM purchase WHERE received_on LIKE '2026-%'",
    );
    assert_eq!(y2026.purchases_total().0, amount);
    assert_eq!(y2026.purchases.len(), 5);
    assert_eq!(
        y2025
            .donations
            .iter()
            .map(|d| d.donor.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        2
    );
    // Everything was recorded by now: the fingerprint is the head of each chain.
    let head = |t: &str| sql_sum(&s, &format!("SELECT MAX(id) FROM {t}"));
    assert_eq!(y2026.fingerprint.points.entries, head("point_entry"));
    assert_eq!(y2026.fingerprint.stock.entries, head("stock_movement"));
}

#[test]
fn altering_a_past_entry_changes_the_next_fingerprint_or_is_named_by_check() {
    let mut s = busy_demo();
    let now = at(2026, 11, 21, 8, 0);
    let posted = notices::stock_notice(&mut s.db, period("2026-Q4"), now)
        .unwrap()
        .fingerprint;
    // A careful forger changes a donation's value and recomputes every later hash: the
    // fingerprint no longer matches the one on the board, and (since issue 15) check names
    // the rows whose signed heads no longer match.
    let conn = rusqlite::Connection::open(s.path()).unwrap();
    conn.execute_batch("DROP TRIGGER stock_movement_no_update;")
        .unwrap();
    let mut movements = jifen::store::ledger::stock_movements(&conn, None).unwrap();
    movements[0].value = Some(jifen::core::AmountCents(1));
    let mut prev = movements[0].prev_hash.clone();
    for m in &mut movements {
        m.prev_hash = prev;
        m.hash = m.expected_hash();
        prev = m.hash.clone();
        conn.execute(
            "UPDATE stock_movement SET value_cents = ?2, prev_hash = ?3, hash = ?4 WHERE id = ?1",
            rusqlite::params![m.id, m.value.map(|v| v.0), m.prev_hash, m.hash],
        )
        .unwrap();
    }
    let faults = jifen::app::check::check(&mut s.db).unwrap();
    assert!(
        faults.contains(&jifen::store::check::Fault::HashMismatch {
            table: "stock_movement",
            id: 2
        }),
        "{faults:?}"
    );
    let next = notices::stock_notice(&mut s.db, period("2026-Q4"), now)
        .unwrap()
        .fingerprint;
    assert_eq!(next.stock.entries, posted.stock.entries);
    assert_ne!(next.stock.hash, posted.stock.hash);
    assert_eq!(next.points, posted.points);
    // A careless one edits a row and leaves the hashes: check names the row.
    conn.execute_batch("UPDATE stock_movement SET reason = '改过' WHERE id = 5;")
        .unwrap();
    let faults = jifen::app::check::check(&mut s.db).unwrap();
    assert!(
        faults.contains(&jifen::store::check::Fault::HashMismatch {
            table: "stock_movement",
            id: 5
        }),
        "{faults:?}"
    );
}

#[test]
fn a_receipt_number_in_the_sheet_is_the_stored_one() {
    let mut s = busy_demo();
    let sheet = notices::redemption_sheet(
        &mut s.db,
        period("2026-Q4"),
        Some(&"河湾村/第一组".parse().unwrap()),
    )
    .unwrap();
    assert_eq!(sheet.groups.len(), 1);
    let row = &sheet.groups[0].rows[0];
    let stored: ReceiptNo = row.receipt_no.parse().unwrap();
    assert_eq!(stored, ReceiptNo { year: 2026, seq: 4 });
    assert_eq!(row.goods, ["食用油 5L×1"]);
}

#[test]
fn notice_kinds_parse_and_refuse_in_words() {
    assert_eq!("stock".parse::<NoticeKind>(), Ok(NoticeKind::Stock));
    let refused = "stocks".parse::<NoticeKind>().unwrap_err();
    assert!(
        refused.contains("stocks") && refused.contains("redemptions"),
        "{refused}"
    );
    assert!(NoticeKind::Prices.fits_receipt() && !NoticeKind::Points.fits_receipt());
}
