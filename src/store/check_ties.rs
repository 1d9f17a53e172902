//! `check`'s ties between redemptions and the ledgers: each redemption against its lines,
//! its debit, its stock movements and its vouchers; points given back against why; each
//! entry against its household; receipt numbers without a gap. After a verified mark only the
//! redemptions written or given back since are looked at.

use rusqlite::{Connection, OptionalExtension};

use super::Result;
use super::check::{Fault, Heads};

/// The redemptions to look at: all, or those after the mark and those given back since.
fn which(after: &Heads) -> String {
    let (points, redemptions) = (after.id("point_entry"), after.id("redemption"));
    if points == 0 && redemptions == 0 {
        return "1".to_string();
    }
    // One IN list, not `r.id > N OR r.id IN (…)`: beside the correlated subqueries SQLite
    // planned the OR as a scan of every redemption (73 ms on five years; this is 0.3 ms).
    format!(
        "r.id IN (SELECT id FROM redemption WHERE id > {redemptions}
           UNION SELECT redemption_id FROM point_entry
           WHERE id > {points} AND redemption_id IS NOT NULL)"
    )
}

/// Every redemption's total must equal its lines, its debit entry and its stock movements;
/// a service line has no stock movement but one voucher per unit, and a cancelled voucher's
/// reversal returns exactly its points.
pub(super) fn check_redemptions(
    conn: &Connection,
    after: &Heads,
    faults: &mut Vec<Fault>,
) -> Result<()> {
    let sql = format!(
        "SELECT r.receipt_no FROM redemption r
         WHERE {} AND (r.total_points <> (SELECT COALESCE(SUM(line_points), 0) FROM redemption_line l WHERE l.redemption_id = r.id)
            OR -r.total_points <> (SELECT COALESCE(SUM(amount), 0) FROM point_entry p
                                   WHERE p.redemption_id = r.id AND p.kind = 'redemption_debit')
            OR EXISTS (SELECT 1 FROM redemption_line l WHERE l.redemption_id = r.id
                       AND NOT EXISTS (SELECT 1 FROM service s WHERE s.goods_code = l.goods_code)
                       AND -l.qty <> (SELECT COALESCE(SUM(qty), 0) FROM stock_movement m
                        WHERE m.redemption_id = r.id AND m.goods_code = l.goods_code AND m.kind = 'redemption_issue'))
            OR EXISTS (SELECT 1 FROM redemption_line l JOIN service s ON s.goods_code = l.goods_code
                       WHERE l.redemption_id = r.id
                         AND (l.qty <> (SELECT COUNT(*) FROM voucher v
                                        WHERE v.redemption_id = r.id AND v.goods_code = l.goods_code
                                          AND v.unit_points = l.unit_price_points)
                              OR EXISTS (SELECT 1 FROM stock_movement m
                                         WHERE m.redemption_id = r.id AND m.goods_code = l.goods_code)))
            OR EXISTS (SELECT 1 FROM voucher v LEFT JOIN point_entry p ON p.id = v.reversal_entry_id
                       WHERE v.redemption_id = r.id AND v.reversal_entry_id IS NOT NULL
                         AND (p.id IS NULL OR p.kind <> 'reversal' OR p.amount <> v.unit_points)))
         ORDER BY r.id",
        which(after)
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for row in rows {
        faults.push(Fault::RedemptionMismatch { receipt_no: row? });
    }
    Ok(())
}

/// Points given back for a redemption match why they were given back: a voided redemption
/// has given back exactly its total, any other exactly its cancelled vouchers.
pub(super) fn check_returns(
    conn: &Connection,
    after: &Heads,
    faults: &mut Vec<Fault>,
) -> Result<()> {
    let sql = format!(
        "SELECT r.receipt_no FROM redemption r
         WHERE {} AND (SELECT COALESCE(SUM(amount), 0) FROM point_entry p WHERE p.redemption_id = r.id AND p.kind = 'reversal')
            <> CASE WHEN EXISTS (SELECT 1 FROM redemption_void v WHERE v.redemption_id = r.id) THEN r.total_points
                    ELSE (SELECT COALESCE(SUM(unit_points), 0) FROM voucher u
                          WHERE u.redemption_id = r.id AND u.cancelled_at IS NOT NULL) END
         ORDER BY r.id",
        which(after)
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for row in rows {
        faults.push(Fault::RedemptionMismatch { receipt_no: row? });
    }
    Ok(())
}

/// Every points entry belongs to the household it names, and a redemption's entries to the
/// redemption's household (the row id is not in the hash; this ties it to what is).
pub(super) fn check_owners(
    conn: &Connection,
    after: &Heads,
    faults: &mut Vec<Fault>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT p.id FROM point_entry p JOIN household h ON h.id = p.household_id
         WHERE p.id > ?1 AND (p.household_no <> h.number
            OR EXISTS (SELECT 1 FROM redemption r WHERE r.id = p.redemption_id AND r.household_id <> p.household_id))
         ORDER BY p.id",
    )?;
    let rows = stmt.query_map([after.id("point_entry")], |r| r.get::<_, i64>(0))?;
    for row in rows {
        faults.push(Fault::HashMismatch {
            table: "point_entry",
            id: row?,
        });
    }
    Ok(())
}

/// Where an audited restore made the receipt counter continue: (year, last seq before).
fn restore_floors(conn: &Connection) -> Result<Vec<(i32, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT json_extract(detail, '$.continue_after_year'), json_extract(detail, '$.continue_after_seq')
         FROM audit_log WHERE action = 'restore' AND json_valid(detail)
           AND json_extract(detail, '$.continue_after_seq') IS NOT NULL",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Receipt numbers run 1, 2, 3… per year with no gap, except where an audited restore made
/// the counter skip the numbers the replaced store had already printed.
pub(super) fn check_receipt_numbers(
    conn: &Connection,
    after: &Heads,
    faults: &mut Vec<Fault>,
) -> Result<()> {
    let floors = restore_floors(conn)?;
    // From the verified head's receipt on (all of them for a full check).
    let head = after.id("redemption");
    let mut last: Option<(i32, i64)> = conn
        .query_row(
            "SELECT year, seq FROM redemption WHERE id = ?1",
            [head],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let mut stmt =
        conn.prepare("SELECT year, seq FROM redemption WHERE id > ?1 ORDER BY year, seq")?;
    let rows = stmt.query_map([head], |r| Ok((r.get::<_, i32>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (year, seq) = row?;
        let expected = match last {
            Some((y, s)) if y == year => s + 1,
            _ => 1,
        };
        let previous = if expected == 1 { 0 } else { expected - 1 };
        let skipped = floors
            .iter()
            .any(|(y, floor)| *y == year && *floor >= previous && seq == floor + 1);
        if seq != expected && !skipped {
            faults.push(Fault::ReceiptGap {
                year,
                missing: expected,
            });
        }
        last = Some((year, seq));
    }
    // The last number of each year is the counter's: a receipt removed from the end shows.
    let mut stmt = conn.prepare(
        "SELECT c.year, c.last_seq FROM receipt_counter c
         WHERE c.last_seq <> COALESCE((SELECT MAX(seq) FROM redemption r WHERE r.year = c.year), 0)",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i32>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (year, last) = row?;
        if floors.iter().any(|(y, floor)| *y == year && *floor == last) {
            continue;
        }
        faults.push(Fault::ReceiptGap {
            year,
            missing: last,
        });
    }
    Ok(())
}
