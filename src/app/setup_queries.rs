//! What the first-start screens show: each village group with its households and cards, and
//! each village's rules and redemption days.

use chrono::NaiveDate;

use super::Result;
use crate::store::Db;

/// Each village group as 村/组, with its active households and how many have a working card.
pub fn group_card_counts(db: &mut Db) -> Result<Vec<(String, usize, usize)>> {
    db.read(|tx| {
        let mut stmt = tx.prepare(
            "SELECT v.name, g.name,
                (SELECT COUNT(*) FROM household h WHERE h.group_id = g.id AND h.status = 'active'),
                (SELECT COUNT(*) FROM household h WHERE h.group_id = g.id AND h.status = 'active'
                   AND EXISTS (SELECT 1 FROM card c WHERE c.household_id = h.id
                               AND c.replaced_at IS NULL AND c.revoked_at IS NULL))
             FROM village_group g JOIN village v ON v.id = g.village_id ORDER BY v.name, g.id",
        )?;
        let rows = stmt.query_map([], |r| {
            let (v, g): (String, String) = (r.get(0)?, r.get(1)?);
            Ok((
                format!("{v}/{g}"),
                r.get::<_, i64>(2)? as usize,
                r.get::<_, i64>(3)? as usize,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

/// Each village's rules (name empty when none are set) and its redemption days from `today`.
/// One village as the rules screen shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VillageRules {
    pub village: String,
    /// The rules' name, empty when none are set (then any day is a redemption day).
    pub policy: String,
    pub only_on_day: bool,
    pub days: Vec<String>,
}

pub fn village_rules(db: &mut Db, today: NaiveDate) -> Result<Vec<VillageRules>> {
    db.read(|tx| {
        let mut stmt = tx.prepare("SELECT id, name FROM village ORDER BY name")?;
        let villages: Vec<(i64, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for (id, village) in villages {
            let set = crate::store::rules::policy_text(tx, id)?.is_some();
            let policy = super::rules::policy_for_village(tx, id)?;
            let mut days = tx.prepare(
                "SELECT day FROM redemption_day WHERE village_id = ?1 AND day >= ?2 ORDER BY day",
            )?;
            let days: Vec<String> = days
                .query_map(rusqlite::params![id, today.to_string()], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            out.push(VillageRules {
                village,
                policy: if set {
                    policy.name.clone()
                } else {
                    String::new()
                },
                only_on_day: policy.redemption.only_on_redemption_day,
                days,
            });
        }
        Ok(out)
    })
}

/// Whether a household was ever given a card (one that never had one is 无卡 at the counter).
pub fn ever_had_card(db: &mut Db, number: &crate::core::HouseholdNo) -> Result<bool> {
    db.read(|tx| {
        Ok(tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM card c JOIN household h ON h.id = c.household_id WHERE h.number = ?1)",
            [number.as_str()],
            |r| r.get(0),
        )?)
    })
}
