//! The township-wide public notice (全镇积分超市汇总公示) from a report: per village group the
//! households, points credited and redeemed, balances and participation; per store the goods
//! and the redemption days; each group's best households. Drawn by the notices' own PDF code.

use rust_i18n::t;

use super::report::TownshipReport;
use crate::notice::document::{Align, Block, Column, NOTICE_LOCALE, NoticeDoc, Row, Table};
use crate::notice::notices::{chinese_date, period_label};

fn tr(key: &str) -> String {
    t!(key, locale = NOTICE_LOCALE).into()
}

fn col(key: &str, weight: f32, align: Align) -> Column {
    Column::new(tr(&format!("township.report.col.{key}")), weight, align)
}

/// 12.3% from per-mille.
pub fn percent(permille: i64) -> String {
    format!("{}.{}%", permille / 10, permille % 10)
}

pub fn yuan(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

pub fn notice_doc(report: &TownshipReport, township: &str) -> NoticeDoc {
    let mut blocks = vec![Block::Paragraph(
        t!(
            "township.report.intro",
            locale = NOTICE_LOCALE,
            stores = report.stores.len(),
            groups = report.groups.len()
        )
        .into(),
    )];
    blocks.push(Block::Heading(tr("township.report.heading.groups")));
    let mut rows: Vec<Row> = report
        .groups
        .iter()
        .map(|g| {
            Row::new(vec![
                g.store.clone(),
                format!("{}/{}", g.village, g.group),
                g.households.to_string(),
                g.credited.to_string(),
                g.redeemed.to_string(),
                g.balance.to_string(),
                percent(g.participation_permille()),
            ])
        })
        .collect();
    let (households, credited, redeemed, balance) = report.totals();
    rows.push(Row::total(vec![
        tr("township.report.total"),
        String::new(),
        households.to_string(),
        credited.to_string(),
        redeemed.to_string(),
        balance.to_string(),
        String::new(),
    ]));
    blocks.push(Block::Table(Table::new(
        vec![
            col("store", 3.0, Align::Left),
            col("group", 2.6, Align::Left),
            col("households", 1.0, Align::Right),
            col("credited", 1.3, Align::Right),
            col("redeemed", 1.3, Align::Right),
            col("balance", 1.3, Align::Right),
            col("participation", 1.2, Align::Right),
        ],
        rows,
        tr("township.report.none"),
    )));
    blocks.push(Block::Heading(tr("township.report.heading.stores")));
    let store_rows = report
        .stores
        .iter()
        .map(|s| {
            let goods = report.goods.iter().filter(|g| g.store == s.store);
            let (donated, purchased, issued, closing) = goods.fold((0, 0, 0, 0), |t, g| {
                (
                    t.0 + g.donated,
                    t.1 + g.purchased,
                    t.2 + g.issued,
                    t.3 + g.closing,
                )
            });
            Row::new(vec![
                s.store.clone(),
                donated.to_string(),
                format!("{purchased}（{}）", yuan(s.purchases_cents)),
                issued.to_string(),
                closing.to_string(),
                s.days_held.to_string(),
            ])
        })
        .collect();
    blocks.push(Block::Table(Table::new(
        vec![
            col("store", 3.0, Align::Left),
            col("donated", 1.2, Align::Right),
            col("purchased", 1.8, Align::Right),
            col("issued", 1.2, Align::Right),
            col("stock", 1.2, Align::Right),
            col("days", 1.2, Align::Right),
        ],
        store_rows,
        tr("township.report.none"),
    )));
    blocks.push(Block::Heading(tr("township.report.heading.top")));
    let top_rows = report
        .top
        .iter()
        .map(|h| {
            Row::new(vec![
                h.store.clone(),
                format!("{}/{}", h.village, h.group),
                h.rank.to_string(),
                h.number.clone(),
                h.head_name.clone(),
                h.score.to_string(),
            ])
        })
        .collect();
    blocks.push(Block::Table(Table::new(
        vec![
            col("store", 3.0, Align::Left),
            col("group", 2.4, Align::Left),
            col("rank", 0.8, Align::Right),
            col("number", 1.4, Align::Left),
            col("head", 1.4, Align::Left),
            col("score", 1.0, Align::Right),
        ],
        top_rows,
        tr("township.report.none"),
    )));
    blocks.push(Block::Note(tr("township.report.note")));
    blocks.push(Block::Signatures(vec![
        tr("township.report.sign.prepared"),
        tr("township.report.sign.checked"),
    ]));
    NoticeDoc {
        title: tr("township.report.title"),
        subtitle: Some(period_label(report.period)),
        issuer: township.to_string(),
        date: report.generated_at.date(),
        blocks,
        short_title: format!(
            "{}（{}）",
            tr("township.report.title"),
            period_label(report.period)
        ),
    }
}

/// The date line used by the xlsx title too.
pub fn dated(report: &TownshipReport) -> String {
    chinese_date(report.generated_at.date())
}
