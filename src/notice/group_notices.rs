//! The notices made per village group: 积分公示 and 家庭积分兑换表. Each group starts on a
//! new page, so a group's sheet can be posted or handed to its group leader on its own.

use chrono::NaiveDate;
use rust_i18n::t;

use super::document::{Align, Block, Column, NOTICE_LOCALE, NoticeDoc, Row, Table};
use super::notices::{period_line, short_title, signatures, tr};
use crate::core::notices::{GroupPoints, PointsNotice, RedemptionSheet};

fn col(key: &str, weight: f32, align: Align) -> Column {
    Column::new(tr(key), weight, align)
}

fn group_name(village: &str, group: &str) -> String {
    t!(
        "notice.group",
        locale = NOTICE_LOCALE,
        village = village,
        group = group
    )
    .into()
}

/// "王建华、李国强、赵秀英", or per month when the committee changed within the period.
fn committee_line(notice: &PointsNotice) -> Option<String> {
    let names = |approved: &str| {
        approved
            .split([',', '，', '、'])
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("、")
    };
    let first = notice.committees.first()?;
    let text = if notice
        .committees
        .iter()
        .all(|(_, a)| names(a) == names(&first.1))
    {
        names(&first.1)
    } else {
        let months: Vec<String> = notice
            .committees
            .iter()
            .map(|(m, a)| {
                t!(
                    "notice.points.committee_month",
                    locale = NOTICE_LOCALE,
                    month = m,
                    names = names(a)
                )
                .into()
            })
            .collect();
        months.join("；")
    };
    Some(
        t!(
            "notice.points.committee",
            locale = NOTICE_LOCALE,
            names = text
        )
        .into(),
    )
}

fn group_points_blocks(notice: &PointsNotice, g: &GroupPoints) -> Vec<Block> {
    let by_month = (2..=3).contains(&notice.months.len());
    let mut columns = vec![
        col("notice.col.household", 1.3, Align::Center),
        col("notice.col.head", 1.6, Align::Left).slip(0),
    ];
    if by_month {
        for m in &notice.months {
            columns.push(Column::new(
                t!(
                    "notice.col.month_score",
                    locale = NOTICE_LOCALE,
                    month = m.month
                ),
                0.9,
                Align::Right,
            ));
        }
    }
    columns.push(col("notice.col.period_score", 1.1, Align::Right).slip(5));
    columns.push(col("notice.col.year_total", 1.1, Align::Right).slip(5));
    columns.push(col("notice.col.balance", 1.1, Align::Right).slip(6));
    let not_scored = tr("notice.points.not_scored");
    let rows = g
        .households
        .iter()
        .map(|h| {
            let mut cells = vec![h.number.to_string(), h.head_name.clone()];
            if by_month {
                cells.extend(
                    h.monthly
                        .iter()
                        .map(|s| s.map_or_else(|| not_scored.clone(), |s| s.to_string())),
                );
            }
            cells.extend([
                h.period_score.to_string(),
                h.year_total.to_string(),
                h.balance.to_string(),
            ]);
            Row::new(cells)
        })
        .collect();
    let honour = Table::new(
        vec![
            col("notice.col.rank", 1.0, Align::Center).slip(6),
            col("notice.col.household", 1.3, Align::Center),
            col("notice.col.head", 1.6, Align::Left).slip(0),
            col("notice.col.period_score", 1.1, Align::Right).slip(5),
        ],
        g.honour_roll
            .iter()
            .map(|h| {
                let rank = t!("notice.points.rank", locale = NOTICE_LOCALE, rank = h.rank).into();
                Row::new(vec![
                    rank,
                    h.number.to_string(),
                    h.head_name.clone(),
                    h.score.to_string(),
                ])
            })
            .collect(),
        tr("notice.points.no_honour"),
    );
    let mut blocks = vec![
        Block::Heading(group_name(&g.village, &g.group)),
        Block::Table(Table::new(columns, rows, tr("notice.points.no_households"))),
        Block::Heading(
            t!(
                "notice.points.h_honour",
                locale = NOTICE_LOCALE,
                n = notice.honour_roll_size
            )
            .into(),
        ),
        Block::Table(honour),
        Block::Heading(tr("notice.points.h_corrections")),
    ];
    let corrections = g
        .corrections
        .iter()
        .map(|c| {
            let change = if c.change.0 > 0 {
                format!("+{}", c.change)
            } else {
                c.change.to_string()
            };
            Row::new(vec![
                c.day.to_string(),
                c.number.to_string(),
                c.head_name.clone(),
                change,
                c.reason.clone(),
                c.approved_by.clone(),
            ])
        })
        .collect();
    blocks.push(Block::Table(Table::new(
        vec![
            col("notice.col.date", 1.5, Align::Center),
            col("notice.col.household", 1.2, Align::Center),
            col("notice.col.head", 1.3, Align::Left),
            col("notice.col.change", 1.0, Align::Right),
            col("notice.col.reason", 3.2, Align::Left),
            col("notice.col.approved_by", 1.8, Align::Left),
        ],
        corrections,
        tr("notice.points.no_corrections"),
    )));
    blocks.extend(changes_blocks(&g.changes, "households.no_changes"));
    blocks
}

/// 变动情况: splits, merges, new heads, moves and joins of the period (issue 24); also on a
/// household's 家庭积分情况统计表 (`empty`: the locale key said when there are none).
pub(crate) fn changes_blocks(
    changes: &[crate::core::notices::ChangeLine],
    empty: &str,
) -> Vec<Block> {
    let rows = changes
        .iter()
        .map(|c| {
            Row::new(vec![
                c.day.to_string(),
                c.number.to_string(),
                c.head_name.clone(),
                c.change.clone(),
                c.reason.clone(),
                c.approved_by.clone(),
            ])
        })
        .collect();
    vec![
        Block::Heading(tr("households.changes_title")),
        Block::Table(Table::new(
            vec![
                col("notice.col.date", 1.5, Align::Center),
                col("notice.col.household", 1.2, Align::Center),
                col("notice.col.head", 1.3, Align::Left),
                col("households.col_change", 3.0, Align::Left),
                col("notice.col.reason", 2.2, Align::Left),
                col("notice.col.approved_by", 1.8, Align::Left),
            ],
            rows,
            tr(empty),
        )),
    ]
}

/// 积分公示: per group each household's score, running total and balance, the honour roll
/// and the corrections made in the period.
pub fn points_doc(notice: &PointsNotice, issued_on: NaiveDate) -> NoticeDoc {
    let mut blocks = Vec::new();
    blocks.push(Block::Paragraph(
        committee_line(notice).unwrap_or_else(|| tr("notice.points.no_sheets")),
    ));
    // Each group's pages are complete on their own, to be posted in that group.
    for (i, g) in notice.groups.iter().enumerate() {
        if i > 0 {
            blocks.push(Block::PageBreak);
        }
        blocks.extend(group_points_blocks(notice, g));
        blocks.push(Block::Paragraph(tr("notice.points.objection")));
        blocks.push(signatures(&[
            "notice.sign.committee",
            "notice.sign.supervisor",
        ]));
    }
    if notice.groups.is_empty() {
        blocks.push(Block::Paragraph(tr("notice.points.no_households")));
    }
    let mut subtitle = period_line(notice.period);
    if let [only] = notice.groups.as_slice() {
        subtitle = t!(
            "notice.group_period",
            locale = NOTICE_LOCALE,
            group = group_name(&only.village, &only.group),
            period = subtitle
        )
        .into();
    }
    NoticeDoc {
        title: tr("notice.points.title"),
        subtitle: Some(subtitle),
        issuer: notice.store_name.clone(),
        date: issued_on,
        short_title: short_title("notice.points.title", notice.period),
        blocks,
    }
}

/// 家庭积分兑换表: each redemption of the period with a column for the household's signature.
pub fn redemptions_doc(sheet: &RedemptionSheet, issued_on: NaiveDate) -> NoticeDoc {
    let voided = tr("notice.redemptions.voided");
    let mut blocks = Vec::new();
    for (i, g) in sheet.groups.iter().enumerate() {
        if i > 0 {
            blocks.push(Block::PageBreak);
        }
        let mut rows: Vec<Row> = g
            .rows
            .iter()
            .map(|r| {
                let goods = r.goods.join("、");
                Row::new(vec![
                    r.at.format("%Y-%m-%d").to_string(),
                    r.receipt_no.clone(),
                    r.number.to_string(),
                    r.head_name.clone(),
                    if r.voided {
                        format!("{voided}{goods}")
                    } else {
                        goods
                    },
                    r.points.to_string(),
                    r.balance_after.to_string(),
                    String::new(),
                ])
            })
            .collect();
        let standing = g.rows.iter().filter(|r| !r.voided).count();
        let count: String = t!(
            "notice.redemptions.total",
            locale = NOTICE_LOCALE,
            count = standing
        )
        .into();
        let mut total = vec![String::new(); 8];
        (total[0], total[5]) = (count, g.points().to_string());
        rows.push(Row::total(total));
        let mut table = Table::new(
            vec![
                col("notice.col.date", 1.5, Align::Center),
                col("notice.col.receipt", 1.65, Align::Center),
                col("notice.col.household", 1.15, Align::Center),
                col("notice.col.head", 1.25, Align::Left).slip(0),
                col("notice.col.redeemed_goods", 3.0, Align::Left),
                col("notice.col.points", 0.85, Align::Right).slip(5),
                col("notice.col.balance_after", 0.85, Align::Right).slip(6),
                col("notice.col.signature", 1.5, Align::Left),
            ],
            rows,
            String::new(),
        );
        table.min_row_mm = 9.0;
        blocks.push(Block::Heading(group_name(&g.village, &g.group)));
        blocks.push(Block::Table(table));
        blocks.push(signatures(&[
            "notice.sign.handler",
            "notice.sign.supervisor",
        ]));
    }
    if sheet.groups.is_empty() {
        blocks.push(Block::Paragraph(tr("notice.redemptions.none")));
        blocks.push(signatures(&[
            "notice.sign.handler",
            "notice.sign.supervisor",
        ]));
    }
    let mut subtitle = period_line(sheet.period);
    if let [only] = sheet.groups.as_slice() {
        subtitle = t!(
            "notice.group_period",
            locale = NOTICE_LOCALE,
            group = group_name(&only.village, &only.group),
            period = subtitle
        )
        .into();
    }
    NoticeDoc {
        title: tr("notice.redemptions.title"),
        subtitle: Some(subtitle),
        issuer: sheet.store_name.clone(),
        date: issued_on,
        short_title: short_title("notice.redemptions.title", sheet.period),
        blocks,
    }
}
