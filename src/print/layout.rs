//! The printed documents, laid out as `Doc`s; `jifen_hardware` decides the line breaks for the
//! paper and measures by GBK width, so a table lines up at 58 and at 80 mm alike.

use chrono::NaiveDateTime;
use jifen_hardware::text::gbk_width;
use jifen_hardware::{Align, Doc, Item, PrinterProfile};
use rust_i18n::t;

use super::{DonationSlip, PRINT_LOCALE};
use crate::core::card::CardFace;
use crate::core::receipt::Receipt;
use crate::core::redemption::Via;
use crate::core::session::SessionReport;

const TIME: &str = "%Y-%m-%d %H:%M";

fn word(key: &str) -> String {
    t!(key, locale = PRINT_LOCALE).into()
}

fn time(at: NaiveDateTime) -> String {
    at.format(TIME).to_string()
}

fn centred(doc: &mut Doc, text: impl Into<String>, bold: bool) {
    doc.push(Item::Text {
        text: text.into(),
        align: Align::Center,
        bold,
    });
}

/// A table with its header row; the first column takes what the others leave.
fn table(doc: &mut Doc, widths: &[usize], header: &[&str], rows: Vec<Vec<String>>) {
    let mut all = vec![header.iter().map(|k| word(k)).collect::<Vec<_>>()];
    all.extend(rows);
    let mut aligns = vec![Align::Left];
    aligns.resize(widths.len(), Align::Right);
    doc.push(Item::Table {
        widths: widths.to_vec(),
        aligns,
        rows: all,
    });
}

fn finish(doc: &mut Doc) {
    doc.push(Item::Feed(2)).push(Item::Cut);
}

/// The redemption receipt, exactly as stored: store, number, time, staff, household, each
/// line, total, balance before and after, how the household was identified, a signature
/// line and the footer. A voided redemption says 已作废 at the top.
pub fn receipt(r: &Receipt, footer: &str) -> Doc {
    receipt_doc(r, footer, None)
}

/// One line per service voucher (服务券): its number, the service and provider, and its validity.
fn voucher_lines(doc: &mut Doc, r: &Receipt) {
    if r.vouchers.is_empty() {
        return;
    }
    doc.rule().text(word("services.print.vouchers"));
    for v in &r.vouchers {
        doc.text(t!(
            "services.print.voucher",
            locale = PRINT_LOCALE,
            no = v.voucher_no,
            name = v.name,
            provider = v.provider,
            day = v.valid_until
        ));
    }
}

/// A receipt printed again: 重打 and the time it was asked for, under the store name.
pub fn reprint(r: &Receipt, footer: &str, reprinted_at: NaiveDateTime) -> Doc {
    receipt_doc(r, footer, Some(reprinted_at))
}

fn receipt_doc(r: &Receipt, footer: &str, reprinted_at: Option<NaiveDateTime>) -> Doc {
    let mut doc = Doc::new();
    doc.title(&r.store_name);
    centred(&mut doc, word("print.receipt.title"), true);
    if let Some(at) = reprinted_at {
        doc.push(Item::Stamp(word("print.reprint.stamp")));
        doc.key_value(word("print.reprint.time"), time(at));
    }
    if r.void.is_some() {
        doc.push(Item::Stamp(word("print.void.stamp")));
    }
    doc.rule()
        .key_value(word("print.receipt.no"), r.receipt_no.to_string())
        .key_value(word("print.time"), time(r.created_at))
        .key_value(word("print.staff"), &r.staff_name)
        .key_value(word("print.household.no"), r.household.to_string())
        .key_value(word("print.household.head"), &r.head_name)
        .key_value(
            word("print.household.group"),
            format!("{} {}", r.village, r.group),
        )
        .rule();
    let rows = r
        .lines
        .iter()
        .map(|l| {
            vec![
                l.name.clone(),
                format!("×{}", l.qty),
                l.unit_price_points.to_string(),
                l.line_points.to_string(),
            ]
        })
        .collect();
    table(
        &mut doc,
        &[0, 4, 4, 5],
        &[
            "print.col.goods",
            "print.col.qty",
            "print.col.unit_points",
            "print.col.points",
        ],
        rows,
    );
    doc.rule()
        .key_value(word("print.total"), r.total_points.to_string())
        .key_value(word("print.balance_before"), r.balance_before.to_string())
        .key_value(word("print.balance_after"), r.balance_after.to_string());
    if let Via::Manual { reason } = &r.via {
        doc.text(t!("print.no_card", locale = PRINT_LOCALE, reason = reason));
    }
    voucher_lines(&mut doc, r);
    if let Some(void) = &r.void {
        doc.rule().text(t!(
            "print.void.detail",
            locale = PRINT_LOCALE,
            time = time(void.voided_at),
            staff = void.staff_name
        ));
        doc.text(t!(
            "print.void.reason",
            locale = PRINT_LOCALE,
            reason = void.reason
        ));
    }
    doc.rule().push(Item::Feed(1)).text(word("print.signature"));
    doc.push(Item::Feed(2)).rule();
    if let Some(witness) = &r.witness {
        doc.text(format!("{} {witness}", word("print.witness")));
    }
    for line in footer_lines(footer) {
        centred(&mut doc, line, false);
    }
    finish(&mut doc);
    doc
}

/// Columns of the narrowest paper (58 mm, 384 dots).
const NARROWEST: usize = 32;

/// The footer, broken after its punctuation when it would not fit the narrowest paper, so
/// that "积分来之不易，感谢您为乡村文明出力" does not leave one character on a line of its own.
fn footer_lines(footer: &str) -> Vec<String> {
    let footer = footer.trim();
    if footer.is_empty() {
        return Vec::new();
    }
    if gbk_width(footer) <= NARROWEST {
        return vec![footer.to_string()];
    }
    let mut lines = vec![String::new()];
    for c in footer.chars() {
        if let Some(last) = lines.last_mut() {
            last.push(c);
        }
        if matches!(c, '，' | '。' | '；' | '！' | '\n') {
            lines.push(String::new());
        }
    }
    lines
        .into_iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// 捐赠回执: who gave what, when, who received it, and thanks.
pub fn donation_slip(s: &DonationSlip) -> Doc {
    let mut doc = Doc::new();
    doc.title(&s.store_name);
    centred(&mut doc, word("print.donation.title"), true);
    doc.rule()
        .key_value(word("print.donation.ref"), &s.reference)
        .key_value(word("print.donation.donor"), &s.donor);
    if let Some(contact) = s.contact.as_deref().filter(|c| !c.trim().is_empty()) {
        doc.key_value(word("print.donation.contact"), contact);
    }
    doc.key_value(word("print.donation.date"), s.received_on.to_string())
        .rule();
    let rows = s
        .lines
        .iter()
        .map(|l| vec![l.name.clone(), format!("×{}", l.qty), l.unit.clone()])
        .collect();
    table(
        &mut doc,
        &[0, 5, 4],
        &["print.col.goods", "print.col.qty", "print.col.unit"],
        rows,
    );
    doc.rule()
        .key_value(word("print.donation.receiver"), &s.staff_name)
        .key_value(word("print.time"), time(s.recorded_at))
        .push(Item::Feed(1));
    centred(&mut doc, word("print.donation.thanks"), true);
    finish(&mut doc);
    doc
}

/// The closing report of a redemption day (or, before closing, its figures so far).
/// Services issued in the day, per service and provider: count and points.
fn service_lines(doc: &mut Doc, r: &SessionReport) {
    if r.services.is_empty() {
        return;
    }
    doc.rule().text(word("services.report.issued"));
    let rows = r
        .services
        .iter()
        .map(|s| {
            vec![
                format!("{}（{}）", s.name, s.provider),
                s.qty.to_string(),
                s.points.to_string(),
            ]
        })
        .collect();
    table(
        doc,
        &[0, 4, 6],
        &["print.col.goods", "print.col.count", "print.col.points"],
        rows,
    );
}

pub fn session_report(store_name: &str, r: &SessionReport) -> Doc {
    let s = &r.session;
    let mut doc = Doc::new();
    doc.title(store_name);
    centred(&mut doc, word("print.session.title"), true);
    if s.closed_at.is_none() {
        centred(&mut doc, word("print.session.unclosed"), false);
    }
    doc.rule()
        .key_value(word("print.session.day"), s.day.to_string())
        .key_value(word("print.session.opened"), time(s.opened_at))
        .key_value(word("print.session.opened_by"), &s.opened_by);
    if let Some(closed) = s.closed_at {
        doc.key_value(word("print.session.closed"), time(closed))
            .key_value(word("print.session.closed_by"), &r.closed_by);
    }
    if let Some(reason) = &s.off_calendar_reason {
        doc.key_value(word("print.session.off_calendar"), reason);
    }
    doc.key_value(word("print.session.on_duty"), s.staff_on_duty.join("、"))
        .key_value(word("print.session.groups"), s.groups_served.join("、"))
        .rule()
        .key_value(
            word("print.session.households"),
            r.households_served.to_string(),
        )
        .key_value(word("print.session.redemptions"), r.redemptions.to_string())
        .key_value(word("print.session.points"), r.points_redeemed.to_string())
        .rule();
    let goods = r
        .goods
        .iter()
        .map(|g| {
            vec![
                g.name.clone(),
                g.qty.to_string(),
                g.points.to_string(),
                g.on_hand_at_close.to_string(),
            ]
        })
        .collect();
    table(
        &mut doc,
        &[0, 4, 6, 4],
        &[
            "print.col.goods",
            "print.col.qty",
            "print.col.points",
            "print.col.on_hand",
        ],
        goods,
    );
    service_lines(&mut doc, r);
    doc.rule();
    let staff = r
        .per_staff
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                p.redemptions.to_string(),
                p.points.to_string(),
            ]
        })
        .collect();
    table(
        &mut doc,
        &[0, 4, 6],
        &["print.col.staff", "print.col.count", "print.col.points"],
        staff,
    );
    doc.rule().text(t!(
        "print.session.voids",
        locale = PRINT_LOCALE,
        count = r.voids.len()
    ));
    for v in &r.voids {
        doc.text(format!("{} {} {}", v.receipt_no, v.points, v.voided_by));
        doc.text(t!(
            "print.void.reason",
            locale = PRINT_LOCALE,
            reason = v.reason
        ));
    }
    doc.rule()
        .push(Item::Feed(1))
        .text(word("print.session.sign_closed"))
        .push(Item::Feed(2))
        .text(word("print.session.sign_checked"));
    finish(&mut doc);
    doc
}

/// A household card printed on the receipt printer: the card's words and its QR code.
pub fn card_slip(face: &CardFace) -> Doc {
    let mut lines = crate::notice::slip_lines(face).into_iter();
    let mut doc = Doc::new();
    if let Some(store) = lines.next() {
        doc.title(store);
    }
    centred(&mut doc, word("print.card.title"), true);
    doc.rule();
    let rest: Vec<String> = lines.collect();
    let (payload, words) = rest
        .split_last()
        .map_or((None, &rest[..]), |(p, w)| (Some(p), w));
    for line in words {
        doc.text(line.clone());
    }
    doc.push(Item::Qr(face.payload.as_str().to_string()));
    if let Some(p) = payload {
        centred(&mut doc, p.clone(), false);
    }
    finish(&mut doc);
    doc
}

/// The hardware test page with what this counter is set up to print: the store, the printer
/// address, and the receipt footer (to see it fits).
pub fn test_page(
    profile: &PrinterProfile,
    store_name: Option<&str>,
    printer: &str,
    footer: &str,
) -> Doc {
    let mut doc = Doc::new();
    if let Some(name) = store_name {
        centred(&mut doc, name, true);
    }
    doc.key_value(word("print.test.printer"), printer);
    let page = jifen_hardware::test_page(profile);
    let tail = page
        .items
        .iter()
        .rposition(|i| !matches!(i, Item::Feed(_) | Item::Cut))
        .map_or(0, |i| i + 1);
    doc.items.extend_from_slice(&page.items[..tail]);
    if !footer.trim().is_empty() {
        doc.rule();
    }
    for line in footer_lines(footer) {
        centred(&mut doc, line, false);
    }
    doc.items.extend_from_slice(&page.items[tail..]);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_footer_breaks_after_its_punctuation() {
        assert_eq!(
            footer_lines("积分来之不易，感谢您为乡村文明出力"),
            ["积分来之不易，", "感谢您为乡村文明出力"]
        );
        assert_eq!(footer_lines(" 谢谢惠顾 "), ["谢谢惠顾"]);
        assert!(footer_lines("  ").is_empty());
    }
}
