//! The command line's own value parsers (clap `value_parser`s): goods lines, stocktake counts,
//! best-before dates, roles and yuan amounts, each refused with what was expected.

use chrono::NaiveDate;

use crate::core::redemption::CartLine;
use crate::core::staff::Role;
use crate::core::{AmountCents, GoodsCode, Qty};

fn parse_line_with(text: &str, signed: bool) -> Result<CartLine, String> {
    let (code, qty) = text
        .split_once('=')
        .ok_or_else(|| format!("expected CODE=QTY, got {text:?}"))?;
    let code: GoodsCode = code
        .parse()
        .map_err(|_| format!("bad goods code {code:?}"))?;
    let qty: i64 = qty
        .trim_start_matches('+')
        .parse()
        .map_err(|_| format!("bad quantity {qty:?}"))?;
    if qty == 0 || (!signed && qty < 0) {
        return Err(format!("bad quantity {qty} for {code}"));
    }
    Ok(CartLine {
        code,
        qty: Qty(qty),
    })
}

pub(super) fn parse_line(text: &str) -> Result<CartLine, String> {
    parse_line_with(text, false)
}

pub(super) fn parse_signed_line(text: &str) -> Result<CartLine, String> {
    parse_line_with(text, true)
}

/// A stocktake count: CODE=QTY where 0 is a valid count.
pub(super) fn parse_count(text: &str) -> Result<CartLine, String> {
    let (code, qty) = text
        .split_once('=')
        .ok_or_else(|| format!("expected CODE=QTY, got {text:?}"))?;
    let code: GoodsCode = code
        .parse()
        .map_err(|_| format!("bad goods code {code:?}"))?;
    let qty: i64 = qty
        .parse()
        .ok()
        .filter(|q: &i64| *q >= 0)
        .ok_or_else(|| format!("bad count {qty:?}"))?;
    Ok(CartLine {
        code,
        qty: Qty(qty),
    })
}

pub(super) fn parse_best_before(text: &str) -> Result<(GoodsCode, NaiveDate), String> {
    let (code, day) = text
        .split_once('=')
        .ok_or_else(|| format!("expected CODE=YYYY-MM-DD, got {text:?}"))?;
    let code: GoodsCode = code
        .parse()
        .map_err(|_| format!("bad goods code {code:?}"))?;
    let day: NaiveDate = day
        .parse()
        .map_err(|_| format!("bad date {day:?} (YYYY-MM-DD)"))?;
    Ok((code, day))
}

pub(crate) fn parse_role(text: &str) -> Result<Role, String> {
    Role::from_db(text).ok_or_else(|| "role must be manager, cashier or auditor".to_string())
}

pub(super) fn parse_yuan(text: &str) -> Result<AmountCents, String> {
    AmountCents::parse_yuan(text)
        .map_err(|_| format!("bad amount {text:?} (yuan, at most 2 decimals)"))
}
