//! Redemption, the heart of the counter, and its void.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use chrono::{Datelike, Timelike};
use serde::Serialize;
use serde_json::json;

use super::{Actor, Result, audit};
use crate::core::chain::witness_code;
use crate::core::ledger::{PointEntryKind, StockMovementKind};
use crate::core::policy::{TierStanding, double_value_price};
use crate::core::receipt::Receipt;
use crate::core::redemption::{GoodsState, RedemptionRequest, ServiceState, merge_lines, plan};
use crate::core::refusal::Refusal;
use crate::core::staff::Action;
use crate::core::{GoodsCode, Points, Qty, ReceiptNo};
use crate::store::cart_shelf::{CartGoods, cart_shelf};
use crate::store::ledger::{
    MovementSource, NewPointEntry, NewStockMovement, append_point_entry, append_point_entry_after,
    append_stock_movement, append_stock_movement_after, balance, on_hand,
};
use crate::store::{Db, households, redemptions};
use rust_i18n::t;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redeemed {
    pub receipt: Receipt,
    /// True when this was a retry of a key already used: nothing was written this time.
    pub replayed: bool,
}

/// Redeems a cart for a household in one transaction: checks the household, every good's
/// price, stock and monthly limit, and the balance; then writes the redemption, its lines,
/// the points debit, the stock movements of goods, the vouchers of services and the audit
/// record, under the next receipt number.
/// With an idempotency key, a retry returns the first result and writes nothing.
pub fn redeem(
    db: &mut Db,
    actor: &Actor,
    request: &RedemptionRequest,
    now: NaiveDateTime,
) -> Result<Redeemed> {
    actor.require(Action::Redeem)?;
    let fingerprint = request.fingerprint();
    db.write(|tx| {
        if let Some(key) = &request.key
            && let Some((id, first_fingerprint)) = redemptions::find_by_key(tx, key.as_str())?
        {
            if first_fingerprint != fingerprint {
                return Err(Refusal::KeyReused {
                    key: key.to_string(),
                }
                .into());
            }
            return Ok(Redeemed {
                receipt: redemptions::load_receipt(tx, id)?,
                replayed: true,
            });
        }
        let household = households::find(tx, &request.household)?
            .ok_or_else(|| Refusal::UnknownHousehold(request.household.clone()))?;
        let shelf = shelf_for(tx, household.id, request, now)?;
        let balance_now = balance(tx, household.id)?;
        let plan = plan(
            &request.household,
            household.household.status,
            balance_now,
            &request.lines,
            &shelf,
        )?;

        let receipt_no = redemptions::next_receipt_no(tx, now.year())?;
        let id = redemptions::insert(
            tx,
            &redemptions::NewRedemption {
                receipt_no,
                household_id: household.id,
                staff: actor.id,
                key: request.key.as_ref().map(|k| k.as_str()),
                fingerprint: &fingerprint,
                via: &request.via,
                plan: &plan,
                session_id: crate::store::sessions::current(tx)?.map(|s| s.id),
                created_at: now,
            },
        )?;
        // The balance and stock just read for the plan are not read again (issue 23); the
        // ledgers' insert triggers still check each running total against the last row.
        let debit = append_point_entry_after(
            tx,
            NewPointEntry {
                household_id: household.id,
                household_no: &request.household,
                kind: PointEntryKind::RedemptionDebit,
                amount: Points(-plan.total_points.0),
                period: None,
                redemption_id: Some(id),
                receipt_no: Some(receipt_no.to_string()),
                reason: None,
                approved_by: None,
                staff: actor.id,
                created_at: now,
            },
            balance_now,
        )?;
        let has_services = shelf.values().any(|s| s.service.is_some());
        if has_services {
            super::services::issue_vouchers(tx, household.id, id, &receipt_no, &plan, now)?;
        }
        let mut stock: HashMap<&GoodsCode, Qty> =
            shelf.iter().map(|(code, s)| (code, s.on_hand)).collect();
        let mut last_movement = None;
        for line in plan
            .lines
            .iter()
            .filter(|l| shelf.get(&l.code).is_none_or(|s| s.service.is_none()))
        {
            let before = match stock.get(&line.code) {
                Some(qty) => *qty,
                None => on_hand(tx, &line.code)?,
            };
            let movement = append_stock_movement_after(
                tx,
                NewStockMovement {
                    goods: &line.code,
                    kind: StockMovementKind::RedemptionIssue,
                    qty: Qty(-line.qty.0),
                    source: MovementSource {
                        redemption_id: Some(id),
                        label: Some(receipt_no.to_string()),
                        ..Default::default()
                    },
                    reason: None,
                    value: None,
                    staff: actor.id,
                    created_at: now,
                },
                before,
            )?;
            stock.insert(&line.code, movement.stock_after);
            last_movement = Some((movement.id, movement.hash));
        }
        audit(
            tx,
            Some(actor.id),
            "redeem",
            json!({
                "receipt_no": receipt_no.to_string(),
                "household": request.household.as_str(),
                "total_points": plan.total_points.0,
                "via": request.via,
            }),
            now,
        )?;
        #[cfg(feature = "failpoints")]
        fail::fail_point!("redeem::before_commit", |_| Err(
            crate::store::StoreError::Invariant("fault injected before commit".into()).into()
        ));
        let witness = match &last_movement {
            Some((stock_id, stock_hash)) => {
                Some(witness_code(debit.id, &debit.hash, *stock_id, stock_hash))
            }
            None => crate::store::witness::for_redemption(tx, id)?,
        };
        let vouchers = if has_services {
            crate::store::services::vouchers_of(tx, id)?
                .into_iter()
                .map(|v| v.voucher)
                .collect()
        } else {
            Vec::new()
        };
        let (staff_name, store_name) = redemptions::staff_and_store_names(tx, actor.id)?;
        // What `redemptions::load_receipt` would read back, built from what was just written.
        let receipt = Receipt {
            receipt_no,
            // Stored to the second, as `load_receipt` reads it back.
            created_at: now.with_nanosecond(0).unwrap_or(now),
            store_name,
            staff: actor.id,
            staff_name,
            household: request.household.clone(),
            head_name: household.household.head_name,
            village: household.household.village,
            group: household.household.group,
            lines: plan.lines,
            total_points: plan.total_points,
            balance_before: plan.balance_before,
            balance_after: plan.balance_after,
            via: request.via.clone(),
            void: None,
            vouchers,
            witness,
        };
        Ok(Redeemed {
            receipt,
            replayed: false,
        })
    })
}

/// The goods of a cart as they stand now (one read for all lines), under the household's
/// village rules: the rules' monthly limits replace the goods' own, a top household under
/// double value pays half, and rules that forbid the redemption (not a redemption day, not
/// eligible, another tier's goods) refuse it here, naming the rule.
fn shelf_for(
    tx: &rusqlite::Connection,
    household_id: i64,
    request: &RedemptionRequest,
    now: NaiveDateTime,
) -> Result<HashMap<GoodsCode, GoodsState>> {
    let (policy, rules) = super::rules::household_rules(tx, household_id, now)?;
    super::household_changes::check_resident_eligible(tx, household_id, &policy, now.date())?;
    let policy_name = if policy.name.is_empty() {
        t!("rules.default_name").to_string()
    } else {
        policy.name.clone()
    };
    super::calendar::check_redemption(
        tx,
        household_id,
        rules.only_on_redemption_day,
        &policy_name,
        now,
    )?;
    let tier = match (&policy.tiers, &rules.tier) {
        (Some(tiers), Some((_, TierStanding::Tier { index, name, .. }))) => {
            Some((tiers, *index, name.clone()))
        }
        (Some(_), Some((_, standing))) => {
            return Err(Refusal::RuleNotEligible {
                policy: policy_name,
                reason: standing_text(standing),
            }
            .into());
        }
        _ => None,
    };
    let lines = merge_lines(&request.lines);
    let codes: Vec<&GoodsCode> = lines.iter().map(|l| &l.code).collect();
    let mut found = cart_shelf(tx, &codes, household_id, now.date())?;
    let mut shelf = HashMap::new();
    for line in &lines {
        let Some(at) = found.iter().position(|g| g.goods.code == line.code) else {
            continue;
        };
        let CartGoods {
            mut goods,
            price_points,
            on_hand,
            service,
            taken_this_month,
        } = found.swap_remove(at);
        if let Some((tiers, index, tier_name)) = &tier
            && !tiers.allows(*index, &line.code)
        {
            return Err(Refusal::RuleTierGoods {
                policy: policy_name,
                tier: tier_name.clone(),
                name: goods.name,
            }
            .into());
        }
        goods.monthly_limit = policy.limit_for(&line.code, goods.monthly_limit);
        let service = service.map(|(info, issued_today)| ServiceState {
            capacity_left: info
                .capacity_per_day
                .map(|capacity| Qty((capacity.0 - issued_today.0).max(0))),
            capacity: info.capacity_per_day,
        });
        let state = GoodsState {
            service,
            price_points: if rules.double_value {
                price_points.map(double_value_price)
            } else {
                price_points
            },
            on_hand,
            taken_this_month,
            goods,
        };
        shelf.insert(line.code.clone(), state);
    }
    Ok(shelf)
}

/// Why a household is not eligible under the tiered rule, in words staff can read out.
pub fn standing_text(standing: &TierStanding) -> String {
    match standing {
        TierStanding::SheetNotPosted { group, period } => t!(
            "rules.sheet_not_posted",
            group = group,
            year = period.year,
            month = period.month
        )
        .to_string(),
        TierStanding::NoScore => t!("rules.no_score").to_string(),
        TierStanding::BelowMinimum { score, min_score } => {
            t!("rules.below_minimum", score = score, min = min_score).to_string()
        }
        TierStanding::OutsideTop { score, rank, top_n } => {
            t!("rules.outside_top", score = score, rank = rank, top = top_n).to_string()
        }
        TierStanding::Tier { name, .. } => name.clone(),
    }
}

/// A manager voids a redemption of the same day: the points and the goods come back as new
/// reversal entries; the redemption itself stays, marked void, with the reason. Its unused
/// service vouchers are cancelled (services have no stock to return); a used one refuses the void.
pub fn void_redemption(
    db: &mut Db,
    actor: &Actor,
    receipt_no: &ReceiptNo,
    reason: &str,
    now: NaiveDateTime,
) -> Result<Receipt> {
    actor.require(Action::VoidRedemption)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Refusal::MissingReason.into());
    }
    db.write(|tx| {
        let id = redemptions::find_id(tx, receipt_no)?
            .ok_or_else(|| Refusal::UnknownReceipt(receipt_no.to_string()))?;
        let receipt = redemptions::load_receipt(tx, id)?;
        if receipt.void.is_some() {
            return Err(Refusal::AlreadyVoided(receipt_no.to_string()).into());
        }
        if receipt.created_at.date() != now.date() {
            return Err(Refusal::VoidNotSameDay(receipt_no.to_string()).into());
        }
        let household = households::find(tx, &receipt.household)?
            .ok_or_else(|| Refusal::UnknownHousehold(receipt.household.clone()))?;
        // Refuses the void if a voucher was used; cancels the unused ones (the points come
        // back once, with the whole redemption's reversal below).
        let (service_codes, returned) =
            super::services::cancel_for_void(tx, actor, id, receipt_no, reason, now)?;
        redemptions::insert_void(tx, id, reason, actor.id, now)?;
        // Vouchers cancelled one by one earlier already gave their points back.
        let amount = Points(receipt.total_points.0 - returned.0);
        if amount.0 > 0 {
            append_point_entry(
                tx,
                NewPointEntry {
                    household_id: household.id,
                    household_no: &receipt.household,
                    kind: PointEntryKind::Reversal,
                    amount,
                    period: None,
                    redemption_id: Some(id),
                    receipt_no: Some(receipt_no.to_string()),
                    reason: Some(reason.to_string()),
                    approved_by: None,
                    staff: actor.id,
                    created_at: now,
                },
            )?;
        }
        for line in receipt
            .lines
            .iter()
            .filter(|l| !service_codes.contains(&l.code))
        {
            append_stock_movement(
                tx,
                NewStockMovement {
                    goods: &line.code,
                    kind: StockMovementKind::Reversal,
                    qty: line.qty,
                    source: MovementSource {
                        redemption_id: Some(id),
                        label: Some(receipt_no.to_string()),
                        ..Default::default()
                    },
                    reason: Some(reason.to_string()),
                    value: None,
                    staff: actor.id,
                    created_at: now,
                },
            )?;
        }
        audit(
            tx,
            Some(actor.id),
            "void_redemption",
            json!({ "receipt_no": receipt_no.to_string(), "reason": reason }),
            now,
        )?;
        Ok(redemptions::load_receipt(tx, id)?)
    })
}
