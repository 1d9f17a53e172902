//! Public notices (张榜公布) gathered from the ledgers: each function reads in one read
//! transaction, so every figure on a notice comes from the same snapshot, and writes nothing.
//! `document` turns a request into the drawable notice for the CLI and the app.

mod points;
mod prices;
mod stock;

use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

pub use points::{points_notice, redemption_sheet};
pub use prices::{
    DEFAULT_RULES_TEMPLATE, RULES_SETTING, management_rules, price_list, rules_template,
    save_rules_template,
};
pub use stock::stock_notice;

use super::Result;
use super::cards::GroupSpec;
use crate::core::notice_period::NoticePeriod;
use crate::core::notices::{ChainHead, Duty, StaffInCharge};
use crate::core::refusal::Refusal;
use crate::core::staff::Role;
use crate::notice::document::NoticeDoc;
use crate::store::{Db, format_time, parse_stored, parse_time};

/// Households on the honour roll (光荣榜) of each group unless the caller says otherwise.
pub const HONOUR_ROLL_SIZE: usize = 10;

/// Which notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// 明码标价
    Prices,
    /// 物资收支公示
    Stock,
    /// 积分公示
    Points,
    /// 家庭积分兑换表
    Redemptions,
    /// 管理制度
    Rules,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 5] = [
        NoticeKind::Prices,
        NoticeKind::Stock,
        NoticeKind::Points,
        NoticeKind::Redemptions,
        NoticeKind::Rules,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Prices => "prices",
            NoticeKind::Stock => "stock",
            NoticeKind::Points => "points",
            NoticeKind::Redemptions => "redemptions",
            NoticeKind::Rules => "rules",
        }
    }

    /// Fits a 58 mm receipt slip whatever the size of the village. (The stock notice needs
    /// 80 mm paper; points and redemption sheets run as long as the village is large.)
    pub fn fits_receipt(self) -> bool {
        matches!(self, NoticeKind::Prices)
    }
}

impl FromStr for NoticeKind {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        NoticeKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| rust_i18n::t!("notice.kind.invalid", kind = s.trim()).into())
    }
}

/// What the staff asked for: a notice, its period, optionally one village group (points and
/// redemption sheets), and the size of the honour roll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRequest {
    pub kind: NoticeKind,
    pub period: NoticePeriod,
    pub group: Option<GroupSpec>,
    pub honour_roll: usize,
}

impl NoticeRequest {
    pub fn new(kind: NoticeKind, period: NoticePeriod) -> Self {
        NoticeRequest {
            kind,
            period,
            group: None,
            honour_roll: HONOUR_ROLL_SIZE,
        }
    }
}

/// The notice, ready to draw (PDF, PNG, text, receipt slip), dated `now`.
pub fn document(db: &mut Db, request: &NoticeRequest, now: NaiveDateTime) -> Result<NoticeDoc> {
    use crate::notice::notices as build;
    let today = now.date();
    let period = request.period;
    let group = request.group.as_ref();
    Ok(match request.kind {
        NoticeKind::Prices => {
            build::price_list_doc(&price_list(db, period.reference_day(today))?, today)
        }
        NoticeKind::Stock => build::stock_doc(&stock_notice(db, period, now)?, today),
        NoticeKind::Points => {
            let mut doc = build::points_doc(
                &points_notice(db, period, group, request.honour_roll)?,
                today,
            );
            // Issue 20: the scoring photos' dates and places (001: 公示…评分及检查图片资料).
            let photos =
                super::register::scoring_photos(db, period.first_day(), period.last_day(), group)?;
            doc.blocks
                .extend(crate::notice::register::photos_block(&photos));
            doc
        }
        NoticeKind::Redemptions => {
            build::redemptions_doc(&redemption_sheet(db, period, group)?, today)
        }
        NoticeKind::Rules => build::rules_doc(&management_rules(db, today)?),
    })
}

pub(crate) fn store_name(conn: &Connection) -> Result<String> {
    Ok(conn.query_row("SELECT name FROM store WHERE id = 1", [], |r| r.get(0))?)
}

/// 专人管理 during `[first, last]`: the appointments that overlap it, or, when the store has
/// recorded none, its active staff by role (managers first).
pub(crate) fn staff_in_charge(
    conn: &Connection,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<StaffInCharge>> {
    let mut stmt = conn.prepare(
        "SELECT s.name, d.duty, CASE WHEN s.active = 0 AND substr(s.disabled_at, 1, 10) <= ?2
                THEN substr(s.disabled_at, 1, 10) END, s.id
         FROM designated_staff d JOIN staff s ON s.id = d.staff_id
         WHERE d.from_date <= ?2 AND (d.to_date IS NULL OR d.to_date >= ?1)
         ORDER BY d.from_date, d.id",
    )?;
    let appointed: Vec<StaffInCharge> = stmt
        .query_map(params![first.to_string(), last.to_string()], |r| {
            let disabled: Option<String> = r.get(2)?;
            Ok(StaffInCharge {
                name: r.get(0)?,
                duty: Duty::Appointed(r.get(1)?),
                disabled_on: disabled.and_then(|d| d.parse().ok()),
                key: key_at(conn, r.get(3)?, last)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    if !appointed.is_empty() {
        return Ok(appointed);
    }
    let mut stmt = conn.prepare(
        "SELECT name, role, id FROM staff WHERE active = 1
         ORDER BY CASE role WHEN 'manager' THEN 0 WHEN 'cashier' THEN 1 ELSE 2 END, id",
    )?;
    let rows = stmt.query_map([], |r| {
        let role: String = r.get(1)?;
        Ok(StaffInCharge {
            name: r.get(0)?,
            duty: Duty::Role(parse_stored(&role, Role::from_db)?),
            disabled_on: None,
            key: key_at(conn, r.get(2)?, last)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The fingerprint of the signing key a member held at the end of `last` (the staff key
/// history is append-only and chained, so the notice names the key `check` verifies against).
fn key_at(conn: &Connection, staff: i64, last: NaiveDate) -> rusqlite::Result<Option<String>> {
    let public: Option<String> = conn
        .query_row(
            "SELECT public_key FROM staff_key WHERE staff_id = ?1 AND created_at < ?2
             ORDER BY id DESC LIMIT 1",
            params![staff, (last + chrono::Duration::days(1)).to_string()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(public
        .as_deref()
        .and_then(crate::store::keys::parse_public)
        .map(|k| crate::store::keys::fingerprint(&k)))
}

/// The last entry of a chain recorded at or before `cut`.
pub(crate) fn chain_head(conn: &Connection, table: &str, cut: NaiveDateTime) -> Result<ChainHead> {
    let sql =
        format!("SELECT id, hash FROM {table} WHERE created_at <= ?1 ORDER BY id DESC LIMIT 1");
    let head: Option<(i64, String)> = conn
        .query_row(&sql, [format_time(cut)], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match head {
        Some((entries, hash)) => ChainHead { entries, hash },
        None => ChainHead {
            entries: 0,
            hash: crate::core::chain::GENESIS.to_string(),
        },
    })
}

pub(crate) fn stored_time(text: Option<String>) -> rusqlite::Result<Option<NaiveDateTime>> {
    text.map(|t| parse_time(&t)).transpose()
}

pub(crate) fn stored_day(text: &str) -> rusqlite::Result<NaiveDate> {
    parse_stored(text, |s| s.get(..10)?.parse().ok())
}

/// The village groups a notice covers: the one asked for, or `None` for all of them.
pub(crate) fn group_filter(conn: &Connection, spec: Option<&GroupSpec>) -> Result<Option<i64>> {
    let Some(spec) = spec else { return Ok(None) };
    let mut found = crate::store::cards::groups_named(conn, spec.village.as_deref(), &spec.group)?;
    match found.len() {
        1 => Ok(Some(found.remove(0).id)),
        0 => Err(Refusal::UnknownGroup(match &spec.village {
            Some(v) => format!("{v}/{}", spec.group),
            None => spec.group.clone(),
        })
        .into()),
        _ => Err(Refusal::AmbiguousGroup {
            group: spec.group.clone(),
            villages: found.into_iter().map(|g| g.village).collect(),
        }
        .into()),
    }
}
