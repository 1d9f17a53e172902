//! What the counter knows before anything is written: whether more of a good may go into the
//! basket, and why a basket as it stands would be refused (points, limits, stock), so 确认 is
//! disabled with the reason and the shortfall on screen instead of a refusal after Enter.
//! The service checks all of this again inside its transaction; this is the early warning.

use std::collections::HashMap;

use rust_i18n::t;

use super::counter::CounterScreen;
use crate::core::goods::GoodsOnShelf;
use crate::core::{GoodsCode, Points};

/// Whether a quantity of a good may go into the basket, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    Yes,
    OutOfStock,
    OverLimit,
    NoPrice,
    /// The village's tiered rule keeps this good from this household.
    NotForTier,
}

/// Why the basket would be refused, with the figures a clerk reads out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BasketProblem {
    ShortOfPoints {
        balance: i64,
        total: i64,
    },
    OverLimit {
        name: String,
        limit: i64,
        taken: i64,
        wanted: i64,
    },
    OutOfStock {
        name: String,
        on_hand: i64,
        wanted: i64,
    },
    NotAllowed {
        name: String,
    },
}

impl BasketProblem {
    pub fn message(&self) -> String {
        match self {
            BasketProblem::ShortOfPoints { balance, total } => t!(
                "counter18.short_of_points",
                balance = balance,
                total = total,
                short = total - balance
            )
            .to_string(),
            BasketProblem::OverLimit {
                name,
                limit,
                taken,
                wanted,
            } => t!(
                "counter18.over_limit",
                name = name,
                limit = limit,
                taken = taken,
                wanted = wanted,
                over = taken + wanted - limit
            )
            .to_string(),
            BasketProblem::OutOfStock {
                name,
                on_hand,
                wanted,
            } => t!(
                "counter18.out_of_stock",
                name = name,
                on_hand = on_hand,
                wanted = wanted,
                short = wanted - on_hand
            )
            .to_string(),
            BasketProblem::NotAllowed { name } => {
                t!("ui.counter.cannot_add_tier", name = name).to_string()
            }
        }
    }
}

impl CounterScreen {
    pub fn in_cart(&self, code: &GoodsCode) -> i64 {
        self.cart
            .iter()
            .filter(|(c, _)| c == code)
            .map(|(_, q)| q)
            .sum()
    }

    pub(super) fn taken(&self, code: &GoodsCode) -> i64 {
        self.household
            .as_ref()
            .and_then(|h| h.taken_this_month.iter().find(|(c, _, _)| c == code))
            .map_or(0, |(_, _, q)| q.0)
    }

    fn limit(&self, goods: &GoodsOnShelf) -> Option<i64> {
        let code = &goods.goods.code;
        match &self.household {
            Some(h) => h.policy.limit_for(code, goods.goods.monthly_limit),
            None => goods.goods.monthly_limit,
        }
        .map(|q| q.0)
    }

    /// Whether one more of `goods` may go into the basket.
    pub fn availability(&self, goods: &GoodsOnShelf) -> Availability {
        self.availability_of(goods, self.in_cart(&goods.goods.code) + 1)
    }

    /// Whether the basket may hold `wanted` of `goods` in all.
    pub fn availability_of(&self, goods: &GoodsOnShelf, wanted: i64) -> Availability {
        let code = &goods.goods.code;
        if goods.price_points.is_none() || goods.goods.retired {
            Availability::NoPrice
        } else if self
            .household
            .as_ref()
            .is_some_and(|h| !h.rules_allow(code))
        {
            Availability::NotForTier
        } else if goods.service.is_none() && wanted > goods.on_hand.0 {
            // A service has no stock; its daily capacity is checked when the redemption commits.
            Availability::OutOfStock
        } else if self
            .limit(goods)
            .is_some_and(|l| self.taken(code) + wanted > l)
        {
            Availability::OverLimit
        } else {
            Availability::Yes
        }
    }

    /// The first reason the basket would be refused, or `None` when it can be confirmed.
    pub fn basket_problem(&self) -> Option<BasketProblem> {
        let shelf: HashMap<&GoodsCode, &GoodsOnShelf> =
            self.shelf.iter().map(|g| (&g.goods.code, g)).collect();
        for (code, qty) in &self.cart {
            let Some(g) = shelf.get(code) else { continue };
            let name = g.goods.name.clone();
            match self.availability_of(g, *qty) {
                Availability::Yes => {}
                Availability::OutOfStock => {
                    return Some(BasketProblem::OutOfStock {
                        name,
                        on_hand: g.on_hand.0,
                        wanted: *qty,
                    });
                }
                Availability::OverLimit => {
                    return Some(BasketProblem::OverLimit {
                        name,
                        limit: self.limit(g).unwrap_or(0),
                        taken: self.taken(code),
                        wanted: *qty,
                    });
                }
                Availability::NoPrice | Availability::NotForTier => {
                    return Some(BasketProblem::NotAllowed { name });
                }
            }
        }
        let h = self.household.as_ref()?;
        let total = self.total().0;
        (total > h.balance_points.0).then_some(BasketProblem::ShortOfPoints {
            balance: h.balance_points.0,
            total,
        })
    }

    /// The price this household pays: half for a top household under double value.
    pub fn price_for(&self, goods: &GoodsOnShelf) -> Option<Points> {
        let double = self
            .household
            .as_ref()
            .is_some_and(|h| h.rules.double_value);
        goods.price_points.map(|p| {
            if double {
                crate::core::policy::double_value_price(p)
            } else {
                p
            }
        })
    }

    pub fn total(&self) -> Points {
        let prices: HashMap<&GoodsCode, i64> = self
            .shelf
            .iter()
            .filter_map(|g| Some((&g.goods.code, self.price_for(g)?.0)))
            .collect();
        Points(
            self.cart
                .iter()
                .map(|(c, q)| prices.get(c).copied().unwrap_or(0) * q)
                .sum(),
        )
    }
}

/// `1032*20`, `1032×20`, `1032x20` or `1032 20`: a code (or barcode) and a quantity; a bare
/// code is one. `None` when the quantity is not a whole number above zero.
pub fn parse_code_and_qty(text: &str) -> Option<(String, i64)> {
    let text = text.trim();
    let split = text
        .split_once(['*', '×', 'x', 'X', '＊', ' ', '='])
        .map(|(c, q)| {
            // "1032 x 3": the separator may have spaces around it.
            let q = q.trim().trim_start_matches(['*', '×', 'x', 'X', '＊', '=']);
            (c.trim(), q.trim())
        });
    match split {
        None => (!text.is_empty()).then(|| (text.to_string(), 1)),
        Some((code, qty)) => {
            let qty = crate::core::parse_whole_number(qty)
                .ok()
                .filter(|q| *q > 0)?;
            (!code.is_empty()).then(|| (code.to_string(), qty))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_code_and_qty;

    #[test]
    fn typed_quantities_parse_the_way_clerks_type_them() {
        assert_eq!(parse_code_and_qty("1032*20"), Some(("1032".into(), 20)));
        assert_eq!(parse_code_and_qty(" 1032×２0 "), Some(("1032".into(), 20)));
        assert_eq!(parse_code_and_qty("1032 x 3"), Some(("1032".into(), 3)));
        assert_eq!(
            parse_code_and_qty("6901234567890"),
            Some(("6901234567890".into(), 1))
        );
        assert_eq!(parse_code_and_qty("1032*0"), None);
        assert_eq!(parse_code_and_qty("1032*abc"), None);
    }
}
