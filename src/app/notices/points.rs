//! 积分公示 (each household's score, running total and balance, the corrections, the honour
//! roll) and 家庭积分兑换表 (each redemption of the period for households to sign), per
//! village group.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{Connection, OptionalExtension, params};

use super::stock::balances_at_end;
use super::{GroupSpec, Result, group_filter, store_name, stored_day};
use crate::core::notice_period::NoticePeriod;
use crate::core::notices::{
    CorrectionLine, GroupPoints, GroupRedemptions, HouseholdPoints, PointsNotice, RedemptionRow,
    RedemptionSheet, honour_roll,
};
use crate::core::{Period, Points};
use crate::store::{Db, format_time, parse_stored, parse_time};

struct Member {
    id: i64,
    number: String,
    head_name: String,
    village: String,
    group: String,
}

/// Households of one group or all, grouped in the order the groups were created: active
/// ones, and any that moved away but scored in the period.
fn members(conn: &Connection, group: Option<i64>, period: NoticePeriod) -> Result<Vec<Member>> {
    // Each household under the group it was in at the period's end (issue 24: a move never
    // rewrites a past notice).
    let sql = format!(
        "SELECT h.id, h.number, h.head_name, v.name, g.name FROM household h
         JOIN village_group g ON g.id = {} JOIN village v ON v.id = g.village_id
         WHERE (?1 IS NULL OR g.id = ?1)
           AND (h.status = 'active' OR EXISTS (SELECT 1 FROM score s WHERE s.household_id = h.id
                AND s.period >= ?2 AND s.period <= ?3))
         ORDER BY v.id, g.id, h.number",
        crate::store::transfers::group_at_sql("?4")
    );
    let mut stmt = conn.prepare(&sql)?;
    let (first, last) = (
        period.first_month().to_string(),
        period.last_month().to_string(),
    );
    let end = period.last_day().to_string();
    let rows = stmt.query_map(params![group, first, last, end], |r| {
        Ok(Member {
            id: r.get(0)?,
            number: r.get(1)?,
            head_name: r.get(2)?,
            village: r.get(3)?,
            group: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every score from January of the period's year to its last month: (household, month) → score.
fn scores(conn: &Connection, period: NoticePeriod) -> Result<HashMap<(i64, Period), i64>> {
    let mut stmt = conn.prepare(
        "SELECT household_id, period, score FROM score WHERE period >= ?1 AND period <= ?2",
    )?;
    let from = Period {
        year: period.last_month().year,
        month: 1,
    };
    let rows = stmt.query_map(
        params![from.to_string(), period.last_month().to_string()],
        |r| {
            let month: String = r.get(1)?;
            Ok((
                (r.get(0)?, parse_stored(&month, |s| s.parse().ok())?),
                r.get(2)?,
            ))
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The period's corrections (transfers and household changes are shown apart), of every
/// household or, with `household`, of one (read through its index).
fn corrections(
    conn: &Connection,
    period: NoticePeriod,
    household: Option<i64>,
) -> Result<HashMap<i64, Vec<CorrectionLine>>> {
    // One household's through its index: `?3 IS NULL OR …` would make SQLite scan them all.
    let which = match household {
        Some(_) => "e.household_id = ?3",
        None => "?3 IS NULL",
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT e.household_id, e.created_at, h.number, h.head_name, e.amount, e.reason, e.approved_by
         FROM point_entry e JOIN household h ON h.id = e.household_id
         WHERE {which} AND e.kind = 'correction' AND e.created_at >= ?1 AND e.created_at < ?2
           AND e.id NOT IN (SELECT out_entry_id FROM point_transfer UNION SELECT in_entry_id FROM point_transfer
                            UNION SELECT entry_id FROM household_change WHERE entry_id IS NOT NULL)
         ORDER BY e.id"
    ))?;
    let (from, to) = period.time_range();
    let mut out: HashMap<i64, Vec<CorrectionLine>> = HashMap::new();
    let mut rows = stmt.query(params![format_time(from), format_time(to), household])?;
    while let Some(r) = rows.next()? {
        let number: String = r.get(2)?;
        out.entry(r.get(0)?).or_default().push(CorrectionLine {
            day: stored_day(&r.get::<_, String>(1)?)?,
            number: parse_stored(&number, |s| s.parse().ok())?,
            head_name: r.get(3)?,
            change: Points(r.get(4)?),
            reason: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            approved_by: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
        });
    }
    Ok(out)
}

type Gathered = (
    HashMap<(i64, Period), i64>,
    BTreeMap<i64, Points>,
    HashMap<i64, Vec<CorrectionLine>>,
);

/// The scores, balances and corrections of `members` only, one household at a time by its
/// keys: the same figures `scores`, `balances_at_end` and `corrections` give for them.
fn gather_households(
    conn: &Connection,
    members: &[Member],
    period: NoticePeriod,
) -> Result<Gathered> {
    let year = period.last_month().year;
    let mut scores = HashMap::new();
    let mut balances = BTreeMap::new();
    let mut corrections = HashMap::new();
    let mut score =
        conn.prepare_cached("SELECT score FROM score WHERE period = ?1 AND household_id = ?2")?;
    // The day each entry counts on, as `stock::POINT_ENTRIES` says.
    let mut balance = conn.prepare_cached(
        "SELECT SUM(amount) FROM point_entry WHERE household_id = ?1
           AND CASE kind WHEN 'opening' THEN '0000-01-01'
                         WHEN 'monthly_credit' THEN period || '-01'
                         ELSE substr(created_at, 1, 10) END < ?2",
    )?;
    let end = period.end().to_string();
    for m in members {
        for month in 1..=period.last_month().month {
            let p = Period { year, month };
            let found: Option<i64> = score
                .query_row(params![p.to_string(), m.id], |r| r.get(0))
                .optional()?;
            if let Some(found) = found {
                scores.insert((m.id, p), found);
            }
        }
        let sum: Option<i64> = balance.query_row(params![m.id, end], |r| r.get(0))?;
        if let Some(sum) = sum {
            balances.insert(m.id, Points(sum));
        }
        corrections.extend(self::corrections(conn, period, Some(m.id))?);
    }
    Ok((scores, balances, corrections))
}

/// 积分公示 for a period, one section per village group (or only `group`), each with its
/// best `honour_roll_size` households.
pub fn points_notice(
    db: &mut Db,
    period: NoticePeriod,
    group: Option<&GroupSpec>,
    honour_roll_size: usize,
) -> Result<PointsNotice> {
    db.read(|tx| {
        let group_id = group_filter(tx, group)?;
        let members = members(tx, group_id, period)?;
        // One group's notice reads only its own households, through the indexes (issue 23:
        // a hundred households of twenty thousand); the whole store's reads each table once.
        let (scores, balances, mut corrections) = match group_id {
            Some(_) => gather_households(tx, &members, period)?,
            None => (
                scores(tx, period)?,
                balances_at_end(tx, period)?,
                corrections(tx, period, None)?,
            ),
        };
        let months = period.months();
        let mut groups: Vec<GroupPoints> = Vec::new();
        for m in members {
            let monthly: Vec<Option<i64>> = months
                .iter()
                .map(|p| scores.get(&(m.id, *p)).copied())
                .collect();
            let year_total = (1..=period.last_month().month)
                .filter_map(|month| {
                    scores.get(&(
                        m.id,
                        Period {
                            year: period.last_month().year,
                            month,
                        },
                    ))
                })
                .sum();
            let line = HouseholdPoints {
                number: parse_stored(&m.number, |s| s.parse().ok())?,
                head_name: m.head_name,
                period_score: monthly.iter().flatten().sum(),
                monthly,
                year_total,
                balance: balances.get(&m.id).copied().unwrap_or_default(),
            };
            if groups
                .last()
                .is_none_or(|g| (g.village.as_str(), g.group.as_str()) != (&m.village, &m.group))
            {
                groups.push(GroupPoints {
                    village: m.village,
                    group: m.group,
                    households: Vec::new(),
                    corrections: Vec::new(),
                    honour_roll: Vec::new(),
                    changes: Vec::new(),
                });
            }
            let current = groups.last_mut().expect("a group was just pushed");
            current
                .corrections
                .extend(corrections.remove(&m.id).unwrap_or_default());
            current.households.push(line);
        }
        let changes = crate::app::household_changes::notice_changes(
            tx,
            period.first_day(),
            period.last_day(),
            crate::notice::document::NOTICE_LOCALE,
        )?;
        for (id, village, group, line) in changes {
            if group_id.is_some_and(|wanted| wanted != id) {
                continue;
            }
            match groups
                .iter_mut()
                .find(|g| (&g.village, &g.group) == (&village, &group))
            {
                Some(g) => g.changes.push(line),
                None => groups.push(GroupPoints {
                    village,
                    group,
                    households: Vec::new(),
                    corrections: Vec::new(),
                    honour_roll: Vec::new(),
                    changes: vec![line],
                }),
            }
        }
        for g in &mut groups {
            g.corrections
                .sort_by(|a, b| (a.day, &a.number).cmp(&(b.day, &b.number)));
            g.honour_roll = honour_roll(&g.households, honour_roll_size);
        }
        Ok(PointsNotice {
            store_name: store_name(tx)?,
            period,
            committees: committees(tx, period)?,
            months,
            groups,
            honour_roll_size,
        })
    })
}

fn committees(conn: &Connection, period: NoticePeriod) -> Result<Vec<(Period, String)>> {
    let mut stmt = conn.prepare(
        "SELECT period, approved_by FROM score_sheet WHERE period >= ?1 AND period <= ?2 ORDER BY period",
    )?;
    let rows = stmt.query_map(
        params![
            period.first_month().to_string(),
            period.last_month().to_string()
        ],
        |r| {
            let month: String = r.get(0)?;
            Ok((parse_stored(&month, |s| s.parse().ok())?, r.get(1)?))
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// 家庭积分兑换表: every redemption of the period, per village group (or only `group`), in
/// the order they were made. Voided ones stay on the sheet, marked.
pub fn redemption_sheet(
    db: &mut Db,
    period: NoticePeriod,
    group: Option<&GroupSpec>,
) -> Result<RedemptionSheet> {
    db.read(|tx| {
        let group_id = group_filter(tx, group)?;
        let (from, to) = period.time_range();
        let (from, to) = (format_time(from), format_time(to));
        let goods = redeemed_goods(tx, &from, &to)?;
        let mut stmt = tx.prepare(
            "SELECT r.id, r.created_at, r.receipt_no, h.number, h.head_name, v.name, g.name,
                    r.total_points, r.balance_after,
                    EXISTS (SELECT 1 FROM redemption_void x WHERE x.redemption_id = r.id)
             FROM redemption r JOIN household h ON h.id = r.household_id
             JOIN village_group g ON g.id = h.group_id JOIN village v ON v.id = g.village_id
             WHERE r.created_at >= ?1 AND r.created_at < ?2 AND (?3 IS NULL OR g.id = ?3)
             ORDER BY v.id, g.id, r.created_at, r.id",
        )?;
        let mut groups: Vec<GroupRedemptions> = Vec::new();
        let mut rows = stmt.query(params![from, to, group_id])?;
        while let Some(r) = rows.next()? {
            let (id, village, group): (i64, String, String) = (r.get(0)?, r.get(5)?, r.get(6)?);
            let number: String = r.get(3)?;
            let row = RedemptionRow {
                at: parse_time(&r.get::<_, String>(1)?)?,
                receipt_no: r.get(2)?,
                number: parse_stored(&number, |s| s.parse().ok())?,
                head_name: r.get(4)?,
                goods: goods.get(&id).cloned().unwrap_or_default(),
                points: Points(r.get(7)?),
                balance_after: Points(r.get(8)?),
                voided: r.get(9)?,
            };
            if groups
                .last()
                .is_none_or(|g| (&g.village, &g.group) != (&village, &group))
            {
                groups.push(GroupRedemptions {
                    village,
                    group,
                    rows: Vec::new(),
                });
            }
            groups
                .last_mut()
                .expect("a group was just pushed")
                .rows
                .push(row);
        }
        Ok(RedemptionSheet {
            store_name: store_name(tx)?,
            period,
            groups,
        })
    })
}

/// "name ×qty" per line of each redemption in the range.
fn redeemed_goods(conn: &Connection, from: &str, to: &str) -> Result<BTreeMap<i64, Vec<String>>> {
    let mut stmt = conn.prepare(
        "SELECT l.redemption_id, l.name, l.qty FROM redemption_line l
         JOIN redemption r ON r.id = l.redemption_id
         WHERE r.created_at >= ?1 AND r.created_at < ?2 ORDER BY l.redemption_id, l.line_no",
    )?;
    let mut out: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    let mut rows = stmt.query(params![from, to])?;
    while let Some(r) = rows.next()? {
        let (name, qty): (String, i64) = (r.get(1)?, r.get(2)?);
        out.entry(r.get(0)?)
            .or_default()
            .push(format!("{name}×{qty}"));
    }
    Ok(out)
}
