//! What each command prints: a few Chinese lines for people, or one JSON object with --json.

use std::path::Path;

use chrono::NaiveDate;
use rust_i18n::t;
use serde_json::json;

use super::{CliResult, Failure};
use crate::app::Error;
use crate::app::cards::{CardHolder, GroupCards, IssuedCard};
use crate::app::import::ImportSummary;
use crate::app::queries::HouseholdBalance;
use crate::app::redeem::Redeemed;
use crate::core::card::{CardFace, CardSerial};
use crate::core::goods::GoodsOnShelf;
use crate::core::household::{Household, HouseholdStatus};
use crate::core::ledger::{PointEntry, TIME_FORMAT};
use crate::core::receipt::Receipt;
use crate::core::refusal::Refusal;
use crate::core::staff::Staff;
use crate::core::{GoodsCode, HouseholdNo, Qty, StaffId};

pub fn print_json(value: serde_json::Value) {
    println!("{value}");
}

pub fn staff_created(json: bool, id: StaffId) {
    if json {
        print_json(json!({ "staff_id": id.0 }));
    } else {
        println!("{}", t!("cli.staff_created", id = id));
    }
}

/// The staff with their signing keys' fingerprints (the last column; `-` before signatures).
pub fn staff_list(
    json: bool,
    staff: &[Staff],
    keys: &std::collections::HashMap<crate::core::StaffId, String>,
) {
    if json {
        let rows: Vec<serde_json::Value> = staff
            .iter()
            .map(|s| {
                let mut row = json!(s);
                row["key"] = json!(keys.get(&s.id));
                row
            })
            .collect();
        print_json(json!({ "staff": rows }));
        return;
    }
    for s in staff {
        let role: String = t!(format!("role.{}", s.role.as_db())).into();
        let status = crate::app::staff::status_text(s);
        let key = keys.get(&s.id).map_or("-", String::as_str);
        println!("{}\t{}\t{}\t{}\t{}", s.id, s.name, role, status, key);
    }
}

pub fn demo_seeded(json: bool, dir: &Path) {
    if json {
        print_json(json!({ "data": dir }));
    } else {
        println!("{}", t!("cli.demo_seeded", dir = dir.display()));
    }
}

pub fn imported(json: bool, summary: &ImportSummary) {
    if json {
        print_json(json!(summary));
    } else {
        println!(
            "{}",
            t!(
                "cli.imported",
                rows = summary.rows,
                file = summary.file,
                points = summary.points_total
            )
        );
    }
}

pub fn stock_changes(json: bool, reference: Option<&str>, lines: &[(GoodsCode, Qty, Qty)]) {
    if json {
        let lines: Vec<_> = lines
            .iter()
            .map(|(c, q, after)| json!({ "code": c, "qty": q.0, "on_hand": after.0 }))
            .collect();
        print_json(json!({ "reference": reference, "lines": lines }));
        return;
    }
    if let Some(reference) = reference {
        println!("{}", t!("cli.received", reference = reference));
    }
    for (code, qty, after) in lines {
        println!(
            "{}",
            t!(
                "cli.stock_change",
                code = code,
                qty = format!("{:+}", qty.0),
                after = after
            )
        );
    }
}

pub fn redeemed(json: bool, redeemed: &Redeemed) {
    let r = &redeemed.receipt;
    if json {
        print_json(json!({
            "receipt_no": r.receipt_no.to_string(),
            "household": r.household,
            "points_spent": r.total_points.0,
            "balance_before": r.balance_before.0,
            "balance_after": r.balance_after.0,
            "replayed": redeemed.replayed,
            "lines": r.lines,
        }));
        return;
    }
    if redeemed.replayed {
        println!("{}", t!("cli.replayed"));
    }
    println!(
        "{}",
        t!(
            "cli.redeemed",
            number = r.receipt_no,
            head = r.head_name,
            household = r.household
        )
    );
    for line in &r.lines {
        println!(
            "  {} {} × {}{} = {}",
            line.code, line.name, line.qty, line.unit, line.line_points
        );
    }
    println!(
        "{}",
        t!(
            "cli.redeemed_total",
            total = r.total_points,
            before = r.balance_before,
            after = r.balance_after
        )
    );
}

pub fn voided(json: bool, receipt: &Receipt) {
    if json {
        print_json(
            json!({ "receipt_no": receipt.receipt_no.to_string(), "points_returned": receipt.total_points.0 }),
        );
    } else {
        println!(
            "{}",
            t!(
                "cli.voided",
                number = receipt.receipt_no,
                points = receipt.total_points
            )
        );
    }
}

pub fn corrected(json: bool, entry: &PointEntry) {
    if json {
        print_json(
            json!({ "entry_id": entry.id, "household": entry.household, "change": entry.amount.0, "balance_after": entry.balance_after.0 }),
        );
    } else {
        println!(
            "{}",
            t!(
                "cli.corrected",
                household = entry.household,
                change = format!("{:+}", entry.amount.0),
                after = entry.balance_after
            )
        );
    }
}

pub fn price_set(json: bool, code: &GoodsCode, points: i64, from: NaiveDate) {
    if json {
        print_json(
            json!({ "code": code, "price_points": points, "effective_from": from.to_string() }),
        );
    } else {
        println!(
            "{}",
            t!("cli.price_set", code = code, points = points, from = from)
        );
    }
}

pub fn balance(json: bool, b: &HouseholdBalance) {
    let h = &b.household;
    if json {
        print_json(json!({
            "household": h.number, "head_name": h.head_name, "village": h.village, "group": h.group,
            "status": h.status, "balance_points": b.balance_points.0,
        }));
    } else {
        println!(
            "{}",
            t!(
                "cli.balance",
                household = h.number,
                head = h.head_name,
                village = h.village,
                group = h.group,
                balance = b.balance_points
            )
        );
    }
}

pub fn stock(json: bool, shelf: &[GoodsOnShelf]) {
    if json {
        let goods: Vec<_> = shelf
            .iter()
            .map(|g| json!({
                "code": g.goods.code, "name": g.goods.name, "unit": g.goods.unit, "category": g.goods.category,
                "price_points": g.price_points.map(|p| p.0), "on_hand": g.on_hand.0, "retired": g.goods.retired,
            }))
            .collect();
        print_json(json!({ "goods": goods }));
        return;
    }
    println!("{}", t!("cli.stock_header"));
    for g in shelf {
        let price = g
            .price_points
            .map(|p| p.to_string())
            .unwrap_or_else(|| "-".into());
        println!(
            "{}\t{}\t{}\t{}\t{}",
            g.goods.code, g.goods.name, g.goods.unit, price, g.on_hand
        );
    }
}

fn kind_text(entry: &PointEntry) -> String {
    t!(format!("entry_kind.{}", entry.kind.as_db())).into()
}

pub fn ledger(json: bool, csv: bool, household: &Household, entries: &[PointEntry]) -> CliResult {
    if json {
        print_json(
            json!({ "household": household.number, "head_name": household.head_name, "entries": entries }),
        );
        return Ok(());
    }
    if csv {
        let mut writer = csv::Writer::from_writer(std::io::stdout());
        let header: Vec<String> = [
            "id",
            "time",
            "kind",
            "amount",
            "balance_after",
            "period",
            "receipt_no",
            "reason",
            "approved_by",
            "staff",
        ]
        .iter()
        .map(|k| t!(format!("ledger_column.{k}")).into())
        .collect();
        let fail = |e: csv::Error| Failure(e.to_string());
        writer.write_record(&header).map_err(fail)?;
        for e in entries {
            writer
                .write_record([
                    e.id.to_string(),
                    e.created_at.format(TIME_FORMAT).to_string(),
                    kind_text(e),
                    e.amount.to_string(),
                    e.balance_after.to_string(),
                    e.period.map(|p| p.to_string()).unwrap_or_default(),
                    e.receipt_no.clone().unwrap_or_default(),
                    e.reason.clone().unwrap_or_default(),
                    e.approved_by.clone().unwrap_or_default(),
                    e.staff.to_string(),
                ])
                .map_err(fail)?;
        }
        writer.flush().map_err(|e| Failure(e.to_string()))?;
        return Ok(());
    }
    println!(
        "{}",
        t!(
            "cli.ledger_title",
            household = household.number,
            head = household.head_name
        )
    );
    for e in entries {
        let note = e
            .period
            .map(|p| p.to_string())
            .or(e.receipt_no.clone())
            .or(e.reason.clone())
            .unwrap_or_default();
        println!(
            "{}\t{}\t{:>+6}\t{:>6}\t{}",
            e.created_at.format(TIME_FORMAT),
            kind_text(e),
            e.amount.0,
            e.balance_after.0,
            note
        );
    }
    Ok(())
}

/// The card's digits are the household's credential: on stdout only when asked for.
pub fn card_issued(json: bool, issued: &IssuedCard, out: &Path, show_payload: bool) {
    let face = &issued.face;
    let payload = show_payload.then(|| face.payload.to_string());
    if json {
        print_json(json!({
            "payload": payload, "household": face.household, "head_name": face.head_name,
            "serial": face.serial.get(), "replaced_serial": issued.replaced.map(|s| s.get()),
            "out": out,
        }));
        return;
    }
    // The payload alone on the first line, for scripts that read it.
    if let Some(payload) = payload {
        println!("{payload}");
    }
    println!(
        "{}",
        t!(
            "cli.card_issued",
            number = face.household,
            head = face.head_name,
            serial = face.serial,
            file = out.display()
        )
    );
    if let Some(old) = issued.replaced {
        println!("{}", t!("cli.card_replaced", serial = old));
    }
}

pub fn card_saved(json: bool, face: &CardFace, out: &Path, show_payload: bool) {
    let payload = show_payload.then(|| face.payload.to_string());
    if json {
        print_json(
            json!({ "payload": payload, "household": face.household, "serial": face.serial.get(), "out": out }),
        );
    } else if let Some(payload) = payload {
        println!("{payload}");
    } else {
        println!(
            "{}",
            t!(
                "cards.cli.saved",
                number = face.household,
                serial = face.serial,
                file = out.display()
            )
        );
    }
}

pub fn card_valid(json: bool, holder: &CardHolder) {
    let h = &holder.household;
    if json {
        print_json(json!({
            "valid": true, "household": h.number, "head_name": h.head_name, "village": h.village,
            "group": h.group, "status": h.status, "serial": holder.serial.get(),
        }));
        return;
    }
    println!(
        "{}",
        t!(
            "cli.card_valid",
            number = h.number,
            head = h.head_name,
            village = h.village,
            group = h.group,
            serial = holder.serial
        )
    );
    if h.status != HouseholdStatus::Active {
        println!("{}", t!("cli.card_household_moved"));
    }
}

/// With --json a refused card still gets its JSON object (the reason also goes to stderr).
pub fn card_invalid(error: &Error) {
    let reason = match error.refusal() {
        Some(Refusal::CardMalformed) => "malformed",
        Some(Refusal::CardOtherStore { .. }) => "other_store",
        Some(Refusal::CardForged) => "forged",
        Some(Refusal::CardReplaced { .. }) => "replaced",
        Some(Refusal::CardRevoked { .. }) => "revoked",
        Some(Refusal::CardUnknown) => "unknown",
        _ => "error",
    };
    print_json(json!({ "valid": false, "reason": reason, "message": error.to_string() }));
}

pub fn card_revoked(json: bool, number: &HouseholdNo, serial: CardSerial) {
    if json {
        print_json(json!({ "household": number, "revoked_serial": serial.get() }));
    } else {
        println!(
            "{}",
            t!("cli.card_revoked", number = number, serial = serial)
        );
    }
}

pub fn group_cards(json: bool, found: &GroupCards, pages: usize, out: &Path) {
    if json {
        print_json(json!({
            "village": found.village, "group": found.group, "cards": found.cards.len(),
            "pages": pages, "issued": found.issued, "without_card": found.without_card, "out": out,
        }));
        return;
    }
    println!(
        "{}",
        t!(
            "cli.cards_written",
            village = found.village,
            group = found.group,
            count = found.cards.len(),
            pages = pages,
            file = out.display()
        )
    );
    if found.issued > 0 {
        println!("{}", t!("cli.cards_issued_now", count = found.issued));
    }
    if !found.without_card.is_empty() {
        let numbers: Vec<&str> = found.without_card.iter().map(|n| n.as_str()).collect();
        println!(
            "{}",
            t!(
                "cli.cards_missing",
                count = numbers.len(),
                numbers = numbers.join(" ")
            )
        );
    }
}
