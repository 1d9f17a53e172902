//! A basket given up at the counter (放弃本单): nothing is redeemed, but the attempt is kept in
//! the audit log, so a basket that vanished between two households can be traced afterwards.

use chrono::NaiveDateTime;
use serde_json::json;

use super::{Actor, Result, audit};
use crate::core::redemption::CartLine;
use crate::core::staff::Action;
use crate::core::{HouseholdNo, Points};
use crate::store::Db;

/// Records that `actor` discarded the basket of `household` (its lines and total as shown).
pub fn log_discarded_basket(
    db: &mut Db,
    actor: &Actor,
    household: &HouseholdNo,
    lines: &[CartLine],
    total: Points,
    why: &str,
    now: NaiveDateTime,
) -> Result<()> {
    actor.require(Action::Redeem)?;
    let detail: Vec<_> = lines
        .iter()
        .map(|l| json!({ "code": l.code.as_str(), "qty": l.qty.0 }))
        .collect();
    db.write(|tx| {
        audit(
            tx,
            Some(actor.id),
            "discard_basket",
            json!({ "household": household.as_str(), "lines": detail, "total_points": total.0, "why": why }),
            now,
        )
    })
}
