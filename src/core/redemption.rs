//! The heart of the counter: turning a cart into a redemption, or refusing it with a reason.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::goods::Goods;
use super::household::HouseholdStatus;
use super::refusal::Refusal;
use super::{GoodsCode, HouseholdNo, IdempotencyKey, Points, Qty};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub code: GoodsCode,
    pub qty: Qty,
}

/// How the household was identified. A redemption without a card is allowed (paper records,
/// forgotten cards) but always says so, with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Via {
    Card,
    Manual { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedemptionRequest {
    pub household: HouseholdNo,
    pub lines: Vec<CartLine>,
    pub via: Via,
    pub key: Option<IdempotencyKey>,
}

impl RedemptionRequest {
    /// What a retry must repeat exactly: the household and the (merged) lines. The key itself
    /// and how the household was identified are not part of it.
    pub fn fingerprint(&self) -> String {
        let mut lines = merge_lines(&self.lines);
        lines.sort_by(|a, b| a.code.cmp(&b.code));
        let fields: Vec<String> = std::iter::once(self.household.to_string())
            .chain(lines.iter().map(|l| format!("{}x{}", l.code, l.qty)))
            .collect();
        super::chain::link_hash(super::chain::GENESIS, &fields)
    }
}

/// A good as it stands when the redemption is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoodsState {
    pub goods: Goods,
    pub price_points: Option<Points>,
    pub on_hand: Qty,
    /// Already taken by this household this calendar month (voided redemptions excluded).
    pub taken_this_month: Qty,
    /// Set when the item is a service (积分换服务): it has no stock, only a daily capacity.
    pub service: Option<ServiceState>,
}

/// A service as it stands when the redemption is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceState {
    /// Vouchers the service can still issue today; `None` means no daily capacity.
    pub capacity_left: Option<Qty>,
    /// The daily capacity itself, for the refusal's words.
    pub capacity: Option<Qty>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedLine {
    pub code: GoodsCode,
    pub name: String,
    pub unit: String,
    pub qty: Qty,
    pub unit_price_points: Points,
    pub line_points: Points,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub lines: Vec<PlannedLine>,
    pub total_points: Points,
    pub balance_before: Points,
    pub balance_after: Points,
}

/// Adds up lines of the same good, keeping the order in which goods first appeared.
pub fn merge_lines(lines: &[CartLine]) -> Vec<CartLine> {
    let mut merged: Vec<CartLine> = Vec::new();
    for line in lines {
        match merged.iter_mut().find(|m| m.code == line.code) {
            Some(existing) => existing.qty = Qty(existing.qty.0.saturating_add(line.qty.0)),
            None => merged.push(line.clone()),
        }
    }
    merged
}

/// Checks a cart against the household and the shelf. Pure: the caller reads the state inside
/// its transaction and writes the plan in the same transaction.
pub fn plan(
    household: &HouseholdNo,
    status: HouseholdStatus,
    balance: Points,
    lines: &[CartLine],
    shelf: &HashMap<GoodsCode, GoodsState>,
) -> Result<Plan, Refusal> {
    if status != HouseholdStatus::Active {
        return Err(Refusal::HouseholdInactive(household.clone()));
    }
    let lines = merge_lines(lines);
    if lines.is_empty() {
        return Err(Refusal::EmptyCart);
    }
    let mut planned = Vec::with_capacity(lines.len());
    let mut total: i64 = 0;
    for line in &lines {
        let state = shelf
            .get(&line.code)
            .ok_or_else(|| Refusal::UnknownGoods(line.code.clone()))?;
        let planned_line = plan_line(line, state)?;
        total = total
            .checked_add(planned_line.line_points.0)
            .ok_or(Refusal::Overflow)?;
        planned.push(planned_line);
    }
    if total > balance.0 {
        return Err(Refusal::InsufficientPoints {
            balance,
            needed: Points(total),
        });
    }
    Ok(Plan {
        lines: planned,
        total_points: Points(total),
        balance_before: balance,
        balance_after: Points(balance.0 - total),
    })
}

fn plan_line(line: &CartLine, state: &GoodsState) -> Result<PlannedLine, Refusal> {
    let goods = &state.goods;
    let name = goods.name.clone();
    if line.qty.0 <= 0 {
        return Err(Refusal::BadQuantity {
            code: line.code.clone(),
        });
    }
    if goods.retired {
        return Err(Refusal::GoodsRetired {
            code: line.code.clone(),
            name,
        });
    }
    let price = state.price_points.ok_or_else(|| Refusal::NoPrice {
        code: line.code.clone(),
        name: name.clone(),
    })?;
    match &state.service {
        Some(ServiceState {
            capacity_left: Some(left),
            capacity,
        }) if line.qty > *left => {
            let capacity = capacity.unwrap_or(*left);
            return Err(Refusal::ServiceFull {
                name,
                capacity,
                issued: Qty(capacity.0 - left.0),
                wanted: line.qty,
            });
        }
        Some(_) => {}
        None if line.qty > state.on_hand => {
            return Err(Refusal::OutOfStock {
                code: line.code.clone(),
                name,
                on_hand: state.on_hand,
                wanted: line.qty,
            });
        }
        None => {}
    }
    if let Some(limit) = goods.monthly_limit
        && state.taken_this_month.0 + line.qty.0 > limit.0
    {
        return Err(Refusal::OverLimit {
            code: line.code.clone(),
            name,
            limit,
            taken: state.taken_this_month,
            wanted: line.qty,
        });
    }
    let line_points = price.0.checked_mul(line.qty.0).ok_or(Refusal::Overflow)?;
    Ok(PlannedLine {
        code: line.code.clone(),
        name: goods.name.clone(),
        unit: goods.unit.clone(),
        qty: line.qty,
        unit_price_points: price,
        line_points: Points(line_points),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> GoodsCode {
        s.parse().unwrap()
    }

    fn shelf(on_hand: i64, limit: Option<i64>, taken: i64) -> HashMap<GoodsCode, GoodsState> {
        let goods = Goods {
            code: code("1001"),
            barcode: None,
            name: "大米 5kg".into(),
            unit: "袋".into(),
            category: None,
            monthly_limit: limit.map(Qty),
            retired: false,
        };
        let state = GoodsState {
            goods,
            price_points: Some(Points(50)),
            on_hand: Qty(on_hand),
            taken_this_month: Qty(taken),
            service: None,
        };
        HashMap::from([(code("1001"), state)])
    }

    fn cart(qty: i64) -> Vec<CartLine> {
        vec![CartLine {
            code: code("1001"),
            qty: Qty(qty),
        }]
    }

    fn hh() -> HouseholdNo {
        "101001".parse().unwrap()
    }

    #[test]
    fn plan_debits_price_times_quantity() {
        let plan = plan(
            &hh(),
            HouseholdStatus::Active,
            Points(120),
            &cart(2),
            &shelf(5, None, 0),
        )
        .unwrap();
        assert_eq!(plan.total_points, Points(100));
        assert_eq!(plan.balance_after, Points(20));
    }

    #[test]
    fn refusals_name_the_reason() {
        let active = HouseholdStatus::Active;
        assert!(matches!(
            plan(&hh(), active, Points(99), &cart(2), &shelf(5, None, 0)),
            Err(Refusal::InsufficientPoints { .. })
        ));
        assert!(matches!(
            plan(&hh(), active, Points(999), &cart(6), &shelf(5, None, 0)),
            Err(Refusal::OutOfStock { .. })
        ));
        assert!(matches!(
            plan(&hh(), active, Points(999), &cart(1), &shelf(5, Some(2), 2)),
            Err(Refusal::OverLimit { .. })
        ));
        assert!(matches!(
            plan(
                &hh(),
                HouseholdStatus::MovedAway,
                Points(999),
                &cart(1),
                &shelf(5, None, 0)
            ),
            Err(Refusal::HouseholdInactive(_))
        ));
        assert!(matches!(
            plan(&hh(), active, Points(999), &[], &shelf(5, None, 0)),
            Err(Refusal::EmptyCart)
        ));
    }

    #[test]
    fn same_good_twice_is_one_line_and_counts_toward_the_limit() {
        let twice = [cart(1), cart(1)].concat();
        let plan = plan(
            &hh(),
            HouseholdStatus::Active,
            Points(999),
            &twice,
            &shelf(5, Some(2), 0),
        )
        .unwrap();
        assert_eq!(plan.lines.len(), 1);
        assert_eq!(plan.lines[0].qty, Qty(2));
        let thrice = [cart(1), cart(1), cart(1)].concat();
        assert!(
            super::plan(
                &hh(),
                HouseholdStatus::Active,
                Points(999),
                &thrice,
                &shelf(5, Some(2), 0)
            )
            .is_err()
        );
    }

    #[test]
    fn a_service_has_no_stock_but_a_daily_capacity() {
        let mut services = shelf(0, None, 0);
        if let Some(state) = services.get_mut(&code("1001")) {
            state.service = Some(ServiceState {
                capacity_left: Some(Qty(2)),
                capacity: Some(Qty(3)),
            });
        }
        let active = HouseholdStatus::Active;
        assert!(plan(&hh(), active, Points(999), &cart(2), &services).is_ok());
        assert!(matches!(
            plan(&hh(), active, Points(999), &cart(3), &services),
            Err(Refusal::ServiceFull { issued: Qty(1), .. })
        ));
    }

    #[test]
    fn fingerprint_ignores_line_order_but_not_quantities() {
        let a = RedemptionRequest {
            household: hh(),
            lines: cart(2),
            via: Via::Card,
            key: None,
        };
        let split = RedemptionRequest {
            lines: [cart(1), cart(1)].concat(),
            ..a.clone()
        };
        let more = RedemptionRequest {
            lines: cart(3),
            ..a.clone()
        };
        assert_eq!(a.fingerprint(), split.fingerprint());
        assert_ne!(a.fingerprint(), more.fingerprint());
    }
}
