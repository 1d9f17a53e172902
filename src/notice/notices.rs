//! The words and tables of each public notice, from the data `app::notices` gathered:
//! 明码标价, 物资收支公示 and 管理制度 here, the per-group notices in `group_notices`.

use chrono::{Datelike, NaiveDate};
use rust_i18n::t;

pub use super::group_notices::{points_doc, redemptions_doc};

use super::document::{Align, Block, Column, NOTICE_LOCALE, NoticeDoc, Row, Table};
use crate::core::notice_period::NoticePeriod;
use crate::core::notices::{Duty, Fingerprint, PriceList, RulesNotice, StaffInCharge, StockNotice};
use crate::core::staff::Role;

pub(crate) fn tr(key: &str) -> String {
    t!(key, locale = NOTICE_LOCALE).into()
}

/// 2026年11月20日
pub fn chinese_date(day: NaiveDate) -> String {
    t!(
        "notice.date",
        locale = NOTICE_LOCALE,
        year = day.year(),
        month = day.month(),
        day = day.day()
    )
    .into()
}

/// 2026年11月, 2026年第四季度, 2026年度
pub fn period_label(period: NoticePeriod) -> String {
    match period {
        NoticePeriod::Month(p) => t!(
            "notice.period.month",
            locale = NOTICE_LOCALE,
            year = p.year,
            month = p.month
        )
        .into(),
        NoticePeriod::Quarter { year, quarter } => {
            let q = tr(&format!("notice.quarter.{quarter}"));
            t!(
                "notice.period.quarter",
                locale = NOTICE_LOCALE,
                year = year,
                quarter = q
            )
            .into()
        }
        NoticePeriod::Year(year) => {
            t!("notice.period.year", locale = NOTICE_LOCALE, year = year).into()
        }
    }
}

/// The running title of pages after the first: 物资收支公示（2026年第四季度）.
pub(crate) fn short_title(title_key: &str, period: NoticePeriod) -> String {
    t!(
        "notice.short_title",
        locale = NOTICE_LOCALE,
        title = tr(title_key),
        period = period_label(period)
    )
    .into()
}

/// 公示期间：2026年第四季度（2026年10月1日至2026年12月31日）
pub fn period_line(period: NoticePeriod) -> String {
    t!(
        "notice.period.range",
        locale = NOTICE_LOCALE,
        period = period_label(period),
        from = chinese_date(period.first_day()),
        to = chinese_date(period.last_day())
    )
    .into()
}

fn duty(d: &Duty) -> String {
    match d {
        Duty::Appointed(text) => text.clone(),
        Duty::Role(Role::Manager) => tr("notice.role.manager"),
        Duty::Role(Role::Cashier) => tr("notice.role.cashier"),
        Duty::Role(Role::Auditor) => tr("notice.role.auditor"),
    }
}

/// 管理人员：张丽（负责人）、王芳（兑换员）
pub(crate) fn staff_line(staff: &[StaffInCharge]) -> String {
    if staff.is_empty() {
        return tr("notice.staff.none");
    }
    let names: Vec<String> = staff
        .iter()
        .map(|s| {
            t!(
                "notice.staff.entry",
                locale = NOTICE_LOCALE,
                name = s.name,
                duty = match s.disabled_on {
                    // Shown as such, not hidden: the notice says who was in charge.
                    Some(day) => t!(
                        "notice.staff.disabled",
                        locale = NOTICE_LOCALE,
                        duty = duty(&s.duty),
                        day = day
                    )
                    .to_string(),
                    None => duty(&s.duty),
                }
            )
            .to_string()
                // The signing key's fingerprint after the name, for a villager to compare
                // with `staff list` at the counter (issue 15).
                + &s.key
                    .as_ref()
                    .map(|key| t!("notice.staff.key", locale = NOTICE_LOCALE, key = key).to_string())
                    .unwrap_or_default()
        })
        .collect();
    t!(
        "notice.staff.line",
        locale = NOTICE_LOCALE,
        names = names.join("、")
    )
    .into()
}

pub(crate) fn signatures(keys: &[&str]) -> Block {
    Block::Signatures(keys.iter().map(|k| tr(k)).collect())
}

fn col(key: &str, weight: f32, align: Align) -> Column {
    Column::new(tr(key), weight, align)
}

/// The day the price took effect, and a later approved price as 将调整 (issue 18).
fn effective_cell(g: &crate::core::notices::PriceLine) -> String {
    let since = g.effective_from.map(|d| d.to_string()).unwrap_or_default();
    match g.upcoming {
        Some((points, from)) => t!(
            "notice18.upcoming",
            locale = NOTICE_LOCALE,
            since = since,
            points = points,
            from = from.format("%m-%d")
        )
        .into(),
        None => since,
    }
}

/// 明码标价: every good on sale with the price in force. It also fits a receipt slip.
pub fn price_list_doc(list: &PriceList, issued_on: NaiveDate) -> NoticeDoc {
    let tiered = list.goods.iter().any(|g| !g.tiers.is_empty());
    let mut columns = vec![
        col("notice.col.category", 1.2, Align::Left),
        col("notice.col.code", 1.1, Align::Left),
        col("notice.col.goods", 3.0, Align::Left).slip(0),
        col("notice.col.unit", 0.8, Align::Center).slip(4),
        col("notice.col.price", 1.2, Align::Right).slip_as(5, tr("notice.slip.points")),
        col("notice.col.effective", 1.9, Align::Center),
        col("notice.col.limit", 1.4, Align::Center).slip_as(4, tr("notice.slip.limit")),
    ];
    if tiered {
        columns.push(col("notice.col.tiers", 2.2, Align::Left));
    }
    let rows = list
        .goods
        .iter()
        .map(|g| {
            let mut cells = vec![
                g.category.clone().unwrap_or_default(),
                g.code.to_string(),
                g.name.clone(),
                g.unit.clone(),
                g.price_points
                    .map_or_else(|| tr("notice.prices.unpriced"), |p| p.to_string()),
                effective_cell(g),
                g.monthly_limit.map_or_else(
                    || tr("notice.prices.no_limit"),
                    |q| format!("{q}{}", g.unit),
                ),
            ];
            if tiered {
                cells.push(g.tiers.join("、"));
            }
            Row::new(cells)
        })
        .collect();
    NoticeDoc {
        title: tr("notice.prices.title"),
        subtitle: Some(
            t!(
                "notice.prices.subtitle",
                locale = NOTICE_LOCALE,
                date = chinese_date(list.day)
            )
            .into(),
        ),
        issuer: list.store_name.clone(),
        date: issued_on,
        short_title: tr("notice.prices.short"),
        blocks: vec![
            Block::Paragraph(tr("notice.prices.intro")),
            Block::Table(Table::new(columns, rows, tr("notice.prices.empty"))),
            Block::Paragraph(staff_line(&list.staff)),
        ],
    }
}

fn signed(q: i64) -> String {
    if q > 0 {
        format!("+{q}")
    } else {
        q.to_string()
    }
}

/// 物资收支公示 for a period.
pub fn stock_doc(notice: &StockNotice, issued_on: NaiveDate) -> NoticeDoc {
    let number = |key: &str| col(key, 1.05, Align::Right).slip(4);
    let columns = vec![
        col("notice.col.goods", 2.8, Align::Left).slip(0),
        col("notice.col.unit", 0.7, Align::Center),
        number("notice.col.opening"),
        number("notice.col.donated"),
        number("notice.col.purchased"),
        number("notice.col.issued"),
        number("notice.col.written_off"),
        number("notice.col.corrected"),
        number("notice.col.closing"),
    ];
    let rows = notice
        .lines
        .iter()
        .map(|l| {
            Row::new(vec![
                l.name.clone(),
                l.unit.clone(),
                l.opening.to_string(),
                l.donated.to_string(),
                l.purchased.to_string(),
                l.issued.to_string(),
                l.written_off.to_string(),
                signed(l.corrected.0),
                l.closing.to_string(),
            ])
        })
        .collect();
    let mut blocks = vec![
        Block::Heading(tr("notice.stock.h_goods")),
        Block::Table(Table::new(columns, rows, tr("notice.stock.no_goods"))),
        Block::Note(tr("notice.stock.formula")),
    ];
    if !notice.opening_stock.is_empty() {
        let lines: Vec<String> = notice
            .opening_stock
            .iter()
            .map(|o| format!("{} {}{}（{}）", o.goods, o.qty, o.unit, o.source))
            .collect();
        blocks.push(Block::Note(
            t!(
                "setup.notice.opening_stock",
                locale = NOTICE_LOCALE,
                lines = lines.join("；")
            )
            .into(),
        ));
    }
    blocks.push(Block::Heading(tr("notice.stock.h_donations")));
    blocks.push(Block::Table(Table::new(
        vec![
            col("notice.col.date", 1.5, Align::Center),
            col("notice.col.donor", 3.2, Align::Left).slip(0),
            col("notice.col.goods", 2.8, Align::Left).slip(10),
            col("notice.col.qty", 1.2, Align::Right).slip(6),
        ],
        notice
            .donations
            .iter()
            .map(|d| {
                Row::new(vec![
                    d.received_on.to_string(),
                    d.donor.clone(),
                    d.goods.clone(),
                    format!("{}{}", d.qty, d.unit),
                ])
            })
            .collect(),
        tr("notice.stock.no_donations"),
    )));
    if !notice.donations.is_empty() {
        blocks.push(Block::Paragraph(tr("notice.stock.thanks")));
    }
    blocks.push(Block::Heading(tr("notice.stock.h_purchases")));
    let mut purchases: Vec<Row> = notice
        .purchases
        .iter()
        .map(|p| {
            Row::new(vec![
                p.received_on.to_string(),
                p.supplier.clone(),
                p.invoice_no.clone(),
                p.amount.to_string(),
                p.goods.join("、"),
            ])
        })
        .collect();
    if !purchases.is_empty() {
        let total = notice.purchases_total().to_string();
        purchases.push(Row::total(vec![
            tr("notice.total"),
            String::new(),
            String::new(),
            total,
            String::new(),
        ]));
    }
    blocks.push(Block::Table(Table::new(
        vec![
            col("notice.col.date", 1.5, Align::Center),
            col("notice.col.supplier", 2.2, Align::Left).slip(0),
            col("notice.col.invoice", 1.5, Align::Center).slip(10),
            col("notice.col.amount", 1.3, Align::Right).slip(9),
            col("notice.col.goods_bought", 3.4, Align::Left),
        ],
        purchases,
        tr("notice.stock.no_purchases"),
    )));
    blocks.push(Block::Heading(tr("notice.stock.h_redeemed")));
    blocks.push(Block::Paragraph(
        t!(
            "notice.stock.redeemed",
            locale = NOTICE_LOCALE,
            redemptions = notice.redemptions,
            households = notice.households_served,
            points = notice.points_redeemed
        )
        .into(),
    ));
    blocks.push(Block::Heading(tr("notice.stock.h_staff")));
    blocks.push(Block::Paragraph(staff_line(&notice.staff)));
    blocks.push(signatures(&[
        "notice.sign.handler",
        "notice.sign.supervisor",
    ]));
    blocks.extend(fingerprint_blocks(&notice.fingerprint));
    NoticeDoc {
        title: tr("notice.stock.title"),
        subtitle: Some(period_line(notice.period)),
        issuer: notice.store_name.clone(),
        date: issued_on,
        short_title: short_title("notice.stock.title", notice.period),
        blocks,
    }
}

/// The ledgers' fingerprint in small print, so anyone can compare it with the next notice.
pub fn fingerprint_blocks(f: &Fingerprint) -> Vec<Block> {
    let as_of = f.as_of.format("%Y-%m-%d %H:%M").to_string();
    let line = |key: &str, head: &crate::core::notices::ChainHead| -> String {
        t!(
            key,
            locale = NOTICE_LOCALE,
            entries = head.entries,
            hash = head.hash
        )
        .into()
    };
    vec![
        Block::Note(
            t!(
                "notice.fingerprint.title",
                locale = NOTICE_LOCALE,
                as_of = as_of
            )
            .into(),
        ),
        Block::Note(line("notice.fingerprint.points", &f.points)),
        Block::Note(line("notice.fingerprint.stock", &f.stock)),
        Block::Note(t!("notice.witness", locale = NOTICE_LOCALE, code = f.witness()).into()),
        Block::Note(tr("notice.fingerprint.why")),
    ]
}

/// 管理制度 from its template: `# ` a title, `## ` a heading, `// ` a comment for whoever edits
/// it, any other line a paragraph.
pub fn rules_doc(rules: &RulesNotice) -> NoticeDoc {
    let mut title = None;
    let mut blocks = Vec::new();
    for line in rules.text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with("//") {
            continue;
        } else if let Some(h) = line.strip_prefix("## ") {
            blocks.push(Block::Heading(h.trim().to_string()));
        } else if let Some(t) = line.strip_prefix("# ") {
            title.get_or_insert_with(|| t.trim().to_string());
        } else {
            blocks.push(Block::Paragraph(line.to_string()));
        }
    }
    NoticeDoc {
        title: title.unwrap_or_else(|| tr("notice.rules.title")),
        subtitle: None,
        issuer: rules.store_name.clone(),
        date: rules.day,
        short_title: tr("notice.rules.title"),
        blocks,
    }
}
