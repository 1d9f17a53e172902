//! Best-before dates without tracking every bag: the shop hands out the earliest-expiring
//! goods first (FEFO), so what is left on the shelf is the latest-expiring part of what came in.
//! Derived from the deliveries and the stock on hand, never stored.

use chrono::NaiveDate;
use serde::Serialize;

use super::Qty;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LotOnShelf {
    /// `None` for stock with no recorded date (undated deliveries, returns, corrections).
    pub best_before: Option<NaiveDate>,
    pub qty: Qty,
}

/// What remains on the shelf when `on_hand` are left: `dated` are the deliveries with a
/// best-before date, `undated_in` everything else that came in (undated deliveries, returns).
/// Dated goods go out earliest first; undated goods are assumed to have gone out before any
/// dated ones, so a best-before date is never forgotten while its goods may still be there.
/// Earliest-expiring first in the result: that is the lot to hand out next.
pub fn on_shelf(dated: &[(NaiveDate, Qty)], undated_in: Qty, on_hand: Qty) -> Vec<LotOnShelf> {
    let mut dated: Vec<(NaiveDate, i64)> = dated.iter().map(|(d, q)| (*d, q.0)).collect();
    dated.sort();
    let mut left = on_hand.0.max(0);
    let mut lots = Vec::new();
    for (day, qty) in dated.iter().rev() {
        if left <= 0 {
            break;
        }
        let take = (*qty).min(left);
        lots.push(LotOnShelf {
            best_before: Some(*day),
            qty: Qty(take),
        });
        left -= take;
    }
    lots.reverse();
    let undated = left.min(undated_in.0.max(0));
    if undated > 0 {
        lots.push(LotOnShelf {
            best_before: None,
            qty: Qty(undated),
        });
    }
    lots
}

/// Lots expiring on or before `horizon` that are still on the shelf.
pub fn expiring(lots: &[LotOnShelf], horizon: NaiveDate) -> Vec<LotOnShelf> {
    lots.iter()
        .filter(|l| l.best_before.is_some_and(|d| d <= horizon))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_earliest_lots_are_issued_first() {
        let deliveries = [(d("2027-03-01"), Qty(10)), (d("2026-12-01"), Qty(10))];
        // 12 of 20 left: the December lot went first, 2 of it remain.
        let lots = on_shelf(&deliveries, Qty(0), Qty(12));
        assert_eq!(
            lots,
            vec![
                LotOnShelf {
                    best_before: Some(d("2026-12-01")),
                    qty: Qty(2)
                },
                LotOnShelf {
                    best_before: Some(d("2027-03-01")),
                    qty: Qty(10)
                },
            ]
        );
        assert_eq!(expiring(&lots, d("2026-12-15")).len(), 1);
    }

    #[test]
    fn undated_stock_is_assumed_gone_first() {
        // 5 dated + 4 undated came in, 6 are left: the dated 5 are kept, and 1 undated.
        let lots = on_shelf(&[(d("2026-12-01"), Qty(5))], Qty(4), Qty(6));
        assert_eq!(
            lots,
            vec![
                LotOnShelf {
                    best_before: Some(d("2026-12-01")),
                    qty: Qty(5)
                },
                LotOnShelf {
                    best_before: None,
                    qty: Qty(1)
                },
            ]
        );
        assert!(on_shelf(&[(d("2026-12-01"), Qty(5))], Qty(0), Qty(0)).is_empty());
    }
}
