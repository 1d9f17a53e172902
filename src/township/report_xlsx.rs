//! The township report as a workbook for the township's office: one sheet per table, numbers
//! as numbers (so they sum in Excel), headers in Chinese.

use std::path::Path;

use rust_i18n::t;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::report::TownshipReport;
use super::report_doc::dated;
use super::{Result, TownshipError};
use crate::notice::document::NOTICE_LOCALE;
use crate::notice::notices::period_label;

enum Cell<'a> {
    Text(&'a str),
    Owned(String),
    Num(i64),
}

fn header(key: &str) -> String {
    t!(format!("township.report.col.{key}"), locale = NOTICE_LOCALE).into()
}

fn sheet<'a>(
    book: &mut Workbook,
    name_key: &str,
    title: &str,
    columns: &[&str],
    rows: impl Iterator<Item = Vec<Cell<'a>>>,
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let s: &mut Worksheet = book.add_worksheet();
    s.set_name(t!(
        format!("township.report.sheet.{name_key}"),
        locale = NOTICE_LOCALE
    ))?;
    s.write_string_with_format(0, 0, title, &bold)?;
    for (c, key) in columns.iter().enumerate() {
        s.write_string_with_format(2, c as u16, header(key), &bold)?;
        s.set_column_width(c as u16, if c < 2 { 22 } else { 12 })?;
    }
    for (r, row) in rows.enumerate() {
        let r = r as u32 + 3;
        for (c, cell) in row.into_iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(t) => s.write_string(r, c, t)?,
                Cell::Owned(t) => s.write_string(r, c, t)?,
                Cell::Num(n) => s.write_number(r, c, n as f64)?,
            };
        }
    }
    Ok(())
}

pub fn write_xlsx(report: &TownshipReport, township: &str, path: &Path) -> Result<()> {
    let title = format!(
        "{township} {} {}（{}）",
        t!("township.report.title", locale = NOTICE_LOCALE),
        period_label(report.period),
        dated(report)
    );
    let mut book = Workbook::new();
    let built = (|| -> Result<(), XlsxError> {
        sheet(
            &mut book,
            "groups",
            &title,
            &[
                "store",
                "village",
                "group_only",
                "households",
                "credited",
                "redeemed",
                "redemptions",
                "households_redeemed",
                "balance",
                "participation",
            ],
            report.groups.iter().map(|g| {
                vec![
                    Cell::Text(&g.store),
                    Cell::Text(&g.village),
                    Cell::Text(&g.group),
                    Cell::Num(g.households),
                    Cell::Num(g.credited),
                    Cell::Num(g.redeemed),
                    Cell::Num(g.redemptions),
                    Cell::Num(g.households_redeemed),
                    Cell::Num(g.balance),
                    Cell::Owned(super::report_doc::percent(g.participation_permille())),
                ]
            }),
        )?;
        sheet(
            &mut book,
            "months",
            &title,
            &["store", "village", "month", "credited", "redeemed"],
            report.months.iter().map(|m| {
                vec![
                    Cell::Text(&m.store),
                    Cell::Text(&m.village),
                    Cell::Text(&m.month),
                    Cell::Num(m.credited),
                    Cell::Num(m.redeemed),
                ]
            }),
        )?;
        sheet(
            &mut book,
            "goods",
            &title,
            &[
                "store",
                "code",
                "name",
                "unit",
                "opening",
                "donated",
                "purchased",
                "issued",
                "written_off",
                "corrected",
                "stock",
            ],
            report.goods.iter().map(|g| {
                vec![
                    Cell::Text(&g.store),
                    Cell::Text(&g.code),
                    Cell::Text(&g.name),
                    Cell::Text(&g.unit),
                    Cell::Num(g.opening),
                    Cell::Num(g.donated),
                    Cell::Num(g.purchased),
                    Cell::Num(g.issued),
                    Cell::Num(g.written_off),
                    Cell::Num(g.corrected),
                    Cell::Num(g.closing),
                ]
            }),
        )?;
        sheet(
            &mut book,
            "purchases",
            &title,
            &["store", "received_on", "supplier", "invoice", "amount"],
            report.purchases.iter().map(|p| {
                vec![
                    Cell::Text(&p.store),
                    Cell::Text(&p.received_on),
                    Cell::Text(&p.supplier),
                    Cell::Text(&p.invoice_no),
                    Cell::Owned(super::report_doc::yuan(p.amount_cents)),
                ]
            }),
        )?;
        sheet(
            &mut book,
            "stores",
            &title,
            &["store", "donations", "purchases", "amount", "days"],
            report.stores.iter().map(|s| {
                vec![
                    Cell::Text(&s.store),
                    Cell::Num(s.donations),
                    Cell::Num(s.purchases),
                    Cell::Owned(super::report_doc::yuan(s.purchases_cents)),
                    Cell::Num(s.days_held),
                ]
            }),
        )?;
        sheet(
            &mut book,
            "top",
            &title,
            &[
                "store",
                "village",
                "group_only",
                "rank",
                "number",
                "head",
                "score",
            ],
            report.top.iter().map(|h| {
                vec![
                    Cell::Text(&h.store),
                    Cell::Text(&h.village),
                    Cell::Text(&h.group),
                    Cell::Num(h.rank),
                    Cell::Text(&h.number),
                    Cell::Text(&h.head_name),
                    Cell::Num(h.score),
                ]
            }),
        )?;
        book.save(path)
    })();
    built.map_err(|e| TownshipError::file(path, e))
}
