//! Services as well as goods (积分换服务): adding a service, the vouchers a redemption issues,
//! the provider using one, a manager cancelling an unused one.

use std::collections::HashSet;

use chrono::{Duration, NaiveDateTime};
use rusqlite::Connection;
use serde_json::json;

use super::{Actor, Result, audit};
use crate::core::goods::NewGoods;
use crate::core::ledger::PointEntryKind;
use crate::core::receipt::Voucher;
use crate::core::redemption::Plan;
use crate::core::refusal::Refusal;
use crate::core::staff::Action;
use crate::core::{GoodsCode, Points, ReceiptNo};
use crate::store::ledger::{NewPointEntry, append_point_entry};
use crate::store::services::{self, NewVoucher, StoredVoucher};
use crate::store::{Db, goods, households};

pub use crate::store::services::{DEFAULT_VALIDITY_DAYS, ServiceInfo};

/// Adds a service to the catalogue: a good (name, unit, price) with its provider. It never
/// has stock; its daily capacity, if any, limits the vouchers issued per day.
pub fn add_service(
    db: &mut Db,
    actor: &Actor,
    new: &NewGoods,
    info: &ServiceInfo,
    now: NaiveDateTime,
) -> Result<()> {
    actor.require(Action::ImportGoods)?;
    if new.price_points.0 <= 0 {
        return Err(Refusal::BadPrice.into());
    }
    if info.provider_name.trim().is_empty()
        || info.validity_days < 1
        || info.capacity_per_day.is_some_and(|c| c.0 < 1)
    {
        return Err(Refusal::BadServiceInfo.into());
    }
    db.write(|tx| {
        if goods::find(tx, &new.goods.code)?.is_some() {
            return Err(Refusal::GoodsExists(new.goods.code.clone()).into());
        }
        goods::insert(tx, &new.goods, now)?;
        goods::insert_price(
            tx,
            &goods::NewPrice {
                goods: &new.goods.code,
                price_points: new.price_points,
                effective_from: now.date(),
                set_by: actor.id,
                approved_by: None,
                created_at: now,
            },
        )?;
        services::insert(tx, &new.goods.code, info)?;
        audit(
            tx,
            Some(actor.id),
            "add_service",
            json!({
                "code": new.goods.code.as_str(),
                "name": new.goods.name,
                "price_points": new.price_points.0,
                "provider": info.provider_name,
                "capacity_per_day": info.capacity_per_day.map(|q| q.0),
                "validity_days": info.validity_days,
            }),
            now,
        )?;
        Ok(())
    })
}

/// Every service by goods code, for the counter grid and the price list (shown as 服务, no stock).
pub fn all_services(db: &mut Db) -> Result<Vec<(GoodsCode, ServiceInfo)>> {
    db.read(|tx| Ok(services::all(tx)?))
}

/// Issues one voucher per unit of each service line of a redemption being written, numbered
/// `V<receipt no>-<n>`.
pub(crate) fn issue_vouchers(
    tx: &Connection,
    household_id: i64,
    redemption_id: i64,
    receipt_no: &ReceiptNo,
    plan: &Plan,
    now: NaiveDateTime,
) -> Result<()> {
    let mut n = 0;
    for line in &plan.lines {
        let Some(info) = services::find(tx, &line.code)? else {
            continue;
        };
        let valid_until = now.date() + Duration::days(info.validity_days);
        for _ in 0..line.qty.0 {
            n += 1;
            services::insert_voucher(
                tx,
                &NewVoucher {
                    voucher_no: &format!("V{receipt_no}-{n}"),
                    household_id,
                    redemption_id,
                    code: &line.code,
                    unit_points: line.unit_price_points.0,
                    issued_at: now,
                    valid_until,
                },
            )?;
        }
    }
    Ok(())
}

/// Before a redemption is voided: refuses if one of its vouchers was used, cancels the unused
/// ones (their points come back with the redemption's own reversal), and returns the codes of
/// its service lines, which have no stock to put back, and the points of vouchers cancelled
/// earlier, which were already given back.
pub(crate) fn cancel_for_void(
    tx: &Connection,
    actor: &Actor,
    redemption_id: i64,
    receipt_no: &ReceiptNo,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(HashSet<GoodsCode>, Points)> {
    let vouchers = services::vouchers_of(tx, redemption_id)?;
    if let Some(used) = vouchers.iter().find(|v| v.voucher.used_at.is_some()) {
        return Err(Refusal::VoidVoucherUsed {
            receipt_no: receipt_no.to_string(),
            voucher: used.voucher.voucher_no.clone(),
            used_on: used.voucher.used_at.map(|t| t.date()).unwrap_or(now.date()),
        }
        .into());
    }
    for v in vouchers.iter().filter(|v| v.voucher.cancelled_at.is_none()) {
        services::mark_cancelled(tx, v.id, actor.id, reason, None, now)?;
    }
    let mut codes = HashSet::new();
    for line in crate::store::redemptions::lines_of(tx, redemption_id)? {
        if services::find(tx, &line.code)?.is_some() {
            codes.insert(line.code);
        }
    }
    let returned = vouchers
        .iter()
        .filter(|v| v.voucher.cancelled_at.is_some())
        .map(|v| v.voucher.unit_points.0)
        .sum();
    Ok((codes, Points(returned)))
}

/// A voucher that can still be used or cancelled, or the refusal saying why not.
fn open_voucher(tx: &Connection, voucher_no: &str, now: NaiveDateTime) -> Result<StoredVoucher> {
    let found = services::find_voucher(tx, voucher_no)?
        .ok_or_else(|| Refusal::UnknownVoucher(voucher_no.trim().to_string()))?;
    let v = &found.voucher;
    if let Some(used_at) = v.used_at {
        return Err(Refusal::VoucherUsed {
            voucher: v.voucher_no.clone(),
            used_on: used_at.date(),
        }
        .into());
    }
    if let Some(cancelled_at) = v.cancelled_at {
        return Err(Refusal::VoucherCancelled {
            voucher: v.voucher_no.clone(),
            cancelled_on: cancelled_at.date(),
        }
        .into());
    }
    if now.date() > v.valid_until {
        return Err(Refusal::VoucherExpired {
            voucher: v.voucher_no.clone(),
            valid_until: v.valid_until,
        }
        .into());
    }
    Ok(found)
}

/// Records that the provider redeemed a voucher (once): on `now`, by `provider_person`.
pub fn use_voucher(
    db: &mut Db,
    actor: &Actor,
    voucher_no: &str,
    provider_person: &str,
    now: NaiveDateTime,
) -> Result<Voucher> {
    actor.require(Action::Redeem)?;
    let by = provider_person.trim();
    if by.is_empty() {
        return Err(Refusal::MissingReason.into());
    }
    db.write(|tx| {
        let found = open_voucher(tx, voucher_no, now)?;
        services::mark_used(tx, found.id, by, now)?;
        audit(
            tx,
            Some(actor.id),
            "use_voucher",
            json!({ "voucher_no": found.voucher.voucher_no, "used_by": by }),
            now,
        )?;
        Ok(services::find_voucher(tx, &found.voucher.voucher_no)?
            .map(|v| v.voucher)
            .unwrap_or(found.voucher))
    })
}

/// A manager cancels an unused voucher: exactly its points come back as a reversal entry.
pub fn cancel_voucher(
    db: &mut Db,
    actor: &Actor,
    voucher_no: &str,
    reason: &str,
    now: NaiveDateTime,
) -> Result<Voucher> {
    actor.require(Action::VoidRedemption)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Refusal::MissingReason.into());
    }
    db.write(|tx| {
        let found = open_voucher(tx, voucher_no, now)?;
        let household = households::find_by_id(tx, found.household_id)?
            .ok_or_else(|| {
                crate::store::StoreError::Invariant("a voucher without its household".into())
            })?
            .household
            .number;
        let receipt_no: Option<String> = tx.query_row(
            "SELECT receipt_no FROM redemption WHERE id = ?1",
            [found.redemption_id],
            |r| r.get(0),
        )?;
        let entry = append_point_entry(
            tx,
            NewPointEntry {
                household_id: found.household_id,
                household_no: &household,
                kind: PointEntryKind::Reversal,
                amount: Points(found.voucher.unit_points.0),
                period: None,
                redemption_id: Some(found.redemption_id),
                receipt_no,
                reason: Some(reason.to_string()),
                approved_by: None,
                staff: actor.id,
                created_at: now,
            },
        )?;
        services::mark_cancelled(tx, found.id, actor.id, reason, Some(entry.id), now)?;
        audit(
            tx,
            Some(actor.id),
            "cancel_voucher",
            json!({
                "voucher_no": found.voucher.voucher_no,
                "points": found.voucher.unit_points.0,
                "reason": reason,
            }),
            now,
        )?;
        Ok(services::find_voucher(tx, &found.voucher.voucher_no)?
            .map(|v| v.voucher)
            .unwrap_or(found.voucher))
    })
}
