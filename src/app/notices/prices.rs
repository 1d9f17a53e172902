//! 明码标价 (the point price of every good in force on a day) and 管理制度 (the store's rules,
//! from a template the manager may edit).

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use rust_i18n::t;
use serde_json::json;

use super::{Result, staff_in_charge, store_name, stored_day};
use crate::app::rules::policy_for_village;
use crate::app::{Actor, audit};
use crate::core::notices::{Duty, PriceLine, PriceList, RulesNotice, fill_rules_template};
use crate::core::refusal::Refusal;
use crate::core::staff::{Action, Role};
use crate::core::{Points, Qty};
use crate::store::{Db, parse_stored, settings};

/// The rules template shipped with Jifen, used until the store saves its own.
pub const DEFAULT_RULES_TEMPLATE: &str =
    include_str!("../../../fixtures/notices/management_rules.txt");

/// The setting that holds the store's own rules template.
pub const RULES_SETTING: &str = "notice.rules_template";
const RULES_MAX_CHARS: usize = 20_000;

/// Every good on sale (not retired) with the price in force on `day`, in the shop's order:
/// categories as the shop numbered them (粮油 first), then by code.
pub fn price_list(db: &mut Db, day: NaiveDate) -> Result<PriceList> {
    db.read(|tx| {
        let tiers = tiers_by_goods(tx)?;
        let mut stmt = tx.prepare(
            "SELECT g.code, g.name, g.unit, g.category, g.monthly_limit, p.price_points, p.effective_from,
                    n.price_points, n.effective_from
             FROM goods g LEFT JOIN price p ON p.id = (
                SELECT id FROM price q WHERE q.goods_code = g.code AND q.effective_from <= ?1
                ORDER BY q.effective_from DESC, q.id DESC LIMIT 1)
             LEFT JOIN price n ON n.id = (
                SELECT id FROM price q WHERE q.goods_code = g.code AND q.effective_from > ?1
                ORDER BY q.effective_from ASC, q.id DESC LIMIT 1)
             WHERE g.retired = 0 ORDER BY (SELECT MIN(x.code) FROM goods x WHERE x.category IS g.category), g.code",
        )?;
        let rows = stmt.query_map([day.to_string()], |r| {
            let code: String = r.get(0)?;
            Ok(PriceLine {
                tiers: tiers.get(&code).cloned().unwrap_or_default(),
                code: parse_stored(&code, |s| s.parse().ok())?,
                name: r.get(1)?,
                unit: r.get(2)?,
                category: r.get(3)?,
                monthly_limit: r.get::<_, Option<i64>>(4)?.map(Qty),
                price_points: r.get::<_, Option<i64>>(5)?.map(Points),
                effective_from: r
                    .get::<_, Option<String>>(6)?
                    .map(|d| stored_day(&d))
                    .transpose()?,
                upcoming: match (r.get::<_, Option<i64>>(7)?, r.get::<_, Option<String>>(8)?) {
                    (Some(points), Some(day)) => Some((Points(points), stored_day(&day)?)),
                    _ => None,
                },
            })
        })?;
        Ok(PriceList {
            store_name: store_name(tx)?,
            day,
            goods: rows.collect::<rusqlite::Result<_>>()?,
            staff: staff_in_charge(tx, day, day)?,
        })
    })
}

/// Goods code → the tiers that hold it, from each village's rules (翁源 分档兑换). With more
/// than one village tiered, the tier names carry the village's name.
fn tiers_by_goods(conn: &Connection) -> Result<BTreeMap<String, Vec<String>>> {
    let mut stmt = conn.prepare("SELECT id, name FROM village ORDER BY id")?;
    let villages: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut tiered = Vec::new();
    for (id, name) in villages {
        if let Some(tiers) = policy_for_village(conn, id)?.tiers {
            tiered.push((name, tiers));
        }
    }
    let several = tiered.len() > 1;
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (village, tiers) in tiered {
        for level in tiers.levels {
            for code in level.goods {
                let name = if several {
                    format!("{village}{}", level.name)
                } else {
                    level.name.clone()
                };
                out.entry(code).or_default().push(name);
            }
        }
    }
    Ok(out)
}

/// The rules template in force: the store's own when a manager saved one, else the default.
pub fn rules_template(db: &mut Db) -> Result<String> {
    db.read(|tx| template_in(tx))
}

fn template_in(conn: &Connection) -> Result<String> {
    Ok(settings::get(conn, RULES_SETTING)?
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_RULES_TEMPLATE.to_string()))
}

/// Saves the store's rules template (manager only, audited). It lives in the database, so a
/// backup keeps it; an empty text goes back to the default.
pub fn save_rules_template(
    db: &mut Db,
    actor: &Actor,
    text: &str,
    now: NaiveDateTime,
) -> Result<()> {
    actor.require(Action::SetRules)?;
    if text.chars().count() > RULES_MAX_CHARS {
        return Err(Refusal::BadSetting {
            key: RULES_SETTING.to_string(),
            value: text.chars().take(20).collect(),
            reason: t!("setting.reason.too_long", max = RULES_MAX_CHARS).into(),
        }
        .into());
    }
    db.write(|tx| {
        settings::put(tx, RULES_SETTING, text.trim(), actor.id, now)?;
        audit(
            tx,
            Some(actor.id),
            "save_management_rules",
            json!({ "chars": text.chars().count() }),
            now,
        )
    })
}

/// 管理制度 as posted on `day`: the template with the store's name and staff filled in.
pub fn management_rules(db: &mut Db, day: NaiveDate) -> Result<RulesNotice> {
    db.read(|tx| {
        let template = template_in(tx)?;
        let store = store_name(tx)?;
        let staff = staff_in_charge(tx, day, day)?;
        let names: Vec<&str> = staff
            .iter()
            .filter(|s| !matches!(s.duty, Duty::Role(Role::Auditor)))
            .map(|s| s.name.as_str())
            .collect();
        Ok(RulesNotice {
            text: fill_rules_template(&template, &store, &names.join("、")),
            store_name: store,
            day,
            staff,
        })
    })
}
