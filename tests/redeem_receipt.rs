//! The receipt a redemption returns is built from what it has just written instead of being
//! read back (issue 23): it must be exactly the receipt the store holds, which reprints,
//! closing reports and `jifen reprint` read.

use jifen::app::redeem::redeem;
use jifen::core::Qty;
use jifen::core::redemption::Via;
use jifen::store::redemptions::{find_id, load_receipt};

use crate::common::*;

fn stored(s: &Store, receipt: &jifen::core::receipt::Receipt) -> jifen::core::receipt::Receipt {
    let conn = s.db.connection();
    let id = find_id(conn, &receipt.receipt_no).unwrap().unwrap();
    load_receipt(conn, id).unwrap()
}

#[test]
fn the_receipt_a_redemption_returns_is_the_receipt_the_store_holds() {
    let mut s = crate::services::with_haircut();
    let carts = [
        // Goods only, a repeated line merged.
        (
            cart("101001", &[("1002", 1), ("1001", 1), ("1002", 1)]),
            t0(),
        ),
        // Goods and a service: vouchers on the receipt, the witness from the goods' movement.
        (cart("101002", &[("1003", 2), ("9001", 1)]), t0()),
        // A service alone (no stock movement of its own for the witness), at a time with
        // sub-seconds: the store keeps it to the second.
        (
            cart("102001", &[("9001", 1)]),
            t0() + chrono::Duration::milliseconds(1_500),
        ),
    ];
    for (request, now) in carts {
        let done = redeem(&mut s.db, &s.cashier, &request, now).unwrap();
        assert_eq!(done.receipt, stored(&s, &done.receipt));
        assert!(done.receipt.witness.is_some());
    }
    let mut manual = cart("101001", &[("1003", 1)]);
    manual.via = Via::Manual {
        reason: "忘带卡".into(),
    };
    let later = t0() + chrono::Duration::seconds(2);
    let done = redeem(&mut s.db, &s.cashier, &manual, later).unwrap();
    assert_eq!(done.receipt, stored(&s, &done.receipt));
    assert_eq!(done.receipt.lines[0].qty, Qty(1));
    assert_eq!(jifen::app::check::check(&mut s.db).unwrap(), vec![]);
}

#[test]
fn a_cart_over_the_stock_just_read_is_refused_and_writes_nothing() {
    // The stock the plan read is the stock the movement continues from: five bags, two asked
    // for twice in one cart (merged) is four, six is refused.
    let mut s = small_store();
    let before = on_hand(&mut s.db, "1002");
    let err = redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1002", 3), ("1002", 3)]),
        t0(),
    )
    .unwrap_err();
    assert!(err.refusal().is_some(), "{err}");
    assert_eq!(on_hand(&mut s.db, "1002"), before);
    redeem(
        &mut s.db,
        &s.cashier,
        &cart("101001", &[("1002", 2), ("1002", 2)]),
        t0(),
    )
    .unwrap();
    assert_eq!(on_hand(&mut s.db, "1002"), before - 4);
}
