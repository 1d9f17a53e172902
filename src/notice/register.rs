//! The register's paper forms (001 附件 1–3): 积分项目及评定标准, 家庭积分情况统计表 (one
//! household's year, the 一户一档 page a family can be handed) and 小组家庭积分情况汇总表 (a
//! group's month with ranks and the honour roll). Built from what `app::register` gathered.

use chrono::NaiveDate;
use rust_i18n::t;

use super::document::{Align, Block, Column, NOTICE_LOCALE, NoticeDoc, Row, Table};
use super::notices::{chinese_date, signatures, tr};
use crate::app::register::{GroupSummary, HouseholdYear};
use crate::core::register::{MonthScore, RegisterEvent, ScoringItem};
use crate::store::register::ItemTable;

fn col(key: &str, weight: f32, align: Align) -> Column {
    Column::new(tr(key), weight, align)
}

/// A class's figure in a month: its points, or its deduction written "-5".
fn class_cell(score: &MonthScore, class: &str, items: &[ScoringItem]) -> String {
    let negative_only = items
        .iter()
        .filter(|i| i.class == class)
        .all(|i| i.kind == crate::core::register::ItemKind::Negative);
    if negative_only {
        return if score.negative {
            tr("register.form.negative_hit")
        } else {
            "—".to_string()
        };
    }
    match (score.classes.get(class), score.deductions.get(class)) {
        (Some(p), _) => p.to_string(),
        (None, Some(d)) if *d > 0 => format!("-{d}"),
        _ => "0".to_string(),
    }
}

fn item_name(items: &[ScoringItem], number: i64) -> String {
    items.iter().find(|i| i.number == number).map_or_else(
        || number.to_string(),
        |i| format!("{}.{}", i.number, i.name()),
    )
}

pub fn items_doc(village: &str, table: &ItemTable, today: NaiveDate) -> NoticeDoc {
    let columns = vec![
        col("register.form.col.number", 0.6, Align::Center),
        col("register.form.col.class", 1.2, Align::Center),
        col("register.form.col.item", 1.1, Align::Center),
        col("register.form.col.content", 6.0, Align::Left),
        col("register.form.col.points", 1.1, Align::Center),
        col("register.form.col.cycle", 0.8, Align::Center),
    ];
    let rows = table
        .items
        .iter()
        .map(|i| {
            Row::new(vec![
                i.number.to_string(),
                i.class.clone(),
                i.item.clone(),
                i.content.clone(),
                i.points.label(i.kind),
                i.cycle.label().to_string(),
            ])
        })
        .collect();
    NoticeDoc {
        title: tr("register.form.items_title"),
        subtitle: Some(
            t!(
                "register.form.items_subtitle",
                locale = NOTICE_LOCALE,
                village = village,
                year = table.year
            )
            .into(),
        ),
        issuer: village.to_string(),
        date: today,
        blocks: vec![Block::Table(Table::new(
            columns,
            rows,
            tr("register.form.none"),
        ))],
        short_title: tr("register.form.items_title"),
    }
}

fn event_rows(items: &[ScoringItem], events: &[RegisterEvent]) -> Vec<Row> {
    let corrected: Vec<i64> = events.iter().filter_map(|e| e.corrects).collect();
    events
        .iter()
        .map(|e| {
            let mut note = Vec::new();
            if let Some(c) = e.corrects {
                note.push(t!("register.form.corrects", locale = NOTICE_LOCALE, id = c).to_string());
            }
            if e.withdrawn {
                note.push(tr("register.form.withdrawn"));
            }
            if corrected.contains(&e.id) {
                note.push(tr("register.form.superseded"));
            }
            if let Some(ev) = &e.evidence {
                note.push(
                    t!(
                        "register.form.photo",
                        locale = NOTICE_LOCALE,
                        sha = &ev.sha256[..8]
                    )
                    .to_string(),
                );
            }
            Row::new(vec![
                e.id.to_string(),
                format!("{}", e.date.format("%m-%d")),
                item_name(items, e.item_number),
                if e.withdrawn {
                    "—".into()
                } else {
                    e.points.to_string()
                },
                e.place.clone().unwrap_or_default(),
                e.what.clone().unwrap_or_default(),
                e.basis.label().to_string(),
                note.join("；"),
            ])
        })
        .collect()
}

fn event_columns() -> Vec<Column> {
    vec![
        col("register.form.col.event", 0.6, Align::Center),
        col("register.form.col.date", 0.9, Align::Center),
        col("register.form.col.item_name", 2.0, Align::Left),
        col("register.form.col.points", 0.7, Align::Center),
        col("register.form.col.place", 1.4, Align::Left),
        col("register.form.col.what", 2.6, Align::Left),
        col("register.form.col.basis", 1.3, Align::Center),
        col("register.form.col.note", 1.8, Align::Left),
    ]
}

pub fn household_doc(h: &HouseholdYear, today: NaiveDate) -> NoticeDoc {
    let mut columns = vec![col("register.form.col.month", 1.0, Align::Center)];
    for class in &h.classes {
        columns.push(Column::new(class.clone(), 1.3, Align::Center));
    }
    columns.push(col("register.form.col.total", 1.1, Align::Center));
    columns.push(col("register.form.col.state", 1.1, Align::Center));
    let mut rows = Vec::new();
    for (period, score, approved) in &h.months {
        let mut cells = vec![
            t!(
                "register.form.month",
                locale = NOTICE_LOCALE,
                month = period.month
            )
            .to_string(),
        ];
        for class in &h.classes {
            cells.push(class_cell(score, class, &h.items));
        }
        let total = if score.negative {
            t!(
                "register.form.zeroed",
                locale = NOTICE_LOCALE,
                total = score.total
            )
            .to_string()
        } else {
            score.total.to_string()
        };
        cells.push(total);
        cells.push(tr(if *approved {
            "register.form.approved"
        } else {
            "register.form.draft"
        }));
        rows.push(Row::new(cells));
    }
    let mut total = vec![tr("register.form.year_total")];
    total.extend(h.classes.iter().map(|_| String::new()));
    total.push(h.total().to_string());
    total.push(String::new());
    rows.push(Row::total(total));
    let who = t!(
        "register.form.household_line",
        locale = NOTICE_LOCALE,
        household = h.household,
        head = h.head_name,
        village = h.village,
        group = h.group
    );
    NoticeDoc {
        title: tr("register.form.household_title"),
        subtitle: Some(
            t!(
                "register.form.household_subtitle",
                locale = NOTICE_LOCALE,
                year = h.year,
                head = h.head_name
            )
            .into(),
        ),
        issuer: h.store.clone(),
        date: today,
        blocks: vec![
            Block::Paragraph(who.into()),
            Block::Table(Table::new(columns, rows, tr("register.form.none"))),
            Block::Heading(tr("register.form.events_heading")),
            Block::Table(Table::new(
                event_columns(),
                event_rows(&h.items, &h.events),
                tr("register.form.no_events"),
            )),
        ]
        .into_iter()
        // Issue 24: the household's splits, merges, new heads, moves of the year.
        .chain(super::group_notices::changes_blocks(
            &h.changes,
            "households34.no_changes_year",
        ))
        .chain([
            Block::Note(tr("register.form.household_note")),
            signatures(&[
                "register.form.sign.head",
                "register.form.sign.leader",
                "register.form.sign.liaison",
            ]),
        ])
        .collect(),
        short_title: tr("register.form.household_title"),
    }
}

pub fn group_summary_doc(s: &GroupSummary, honour_roll: usize, today: NaiveDate) -> NoticeDoc {
    let m = &s.month;
    let mut columns = vec![
        col("register.form.col.household", 1.2, Align::Center),
        col("register.form.col.head", 1.3, Align::Left),
    ];
    for class in &m.classes {
        columns.push(Column::new(class.clone(), 1.2, Align::Center));
    }
    columns.push(col("register.form.col.total", 1.0, Align::Center));
    columns.push(col("register.form.col.rank", 0.8, Align::Center));
    let mut rows = Vec::new();
    for (h, rank) in m.households.iter().zip(&s.ranks) {
        let mut cells = vec![h.household.clone(), h.head_name.clone()];
        for class in &m.classes {
            cells.push(class_cell(&h.score, class, &m.items));
        }
        cells.push(if h.score.negative {
            t!(
                "register.form.zeroed",
                locale = NOTICE_LOCALE,
                total = h.score.total
            )
            .to_string()
        } else {
            h.score.total.to_string()
        });
        cells.push(rank.to_string());
        rows.push(Row::new(cells));
    }
    let mut order: Vec<usize> = (0..m.households.len())
        .filter(|i| m.households[*i].score.total > 0)
        .collect();
    order.sort_by_key(|i| (s.ranks[*i], m.households[*i].household.clone()));
    let roll: Vec<String> = order
        .iter()
        .take(honour_roll)
        .map(|i| {
            let h = &m.households[*i];
            t!(
                "register.form.roll_entry",
                locale = NOTICE_LOCALE,
                rank = s.ranks[*i],
                head = h.head_name,
                household = h.household,
                total = h.score.total
            )
            .to_string()
        })
        .collect();
    let approval = match (&m.approved_by, &m.leader, m.approved_at) {
        (Some(by), Some(leader), Some(at)) => t!(
            "register.form.approved_line",
            locale = NOTICE_LOCALE,
            names = by.replace(',', "、"),
            leader = leader,
            date = chinese_date(at.date())
        )
        .to_string(),
        _ => tr("register.form.draft_line"),
    };
    let photos = photo_lines(m.households.iter().flat_map(|h| h.events.iter()));
    let mut blocks = vec![
        Block::Table(Table::new(columns, rows, tr("register.form.none"))),
        Block::Heading(tr("register.form.honour_roll")),
        Block::Paragraph(if roll.is_empty() {
            tr("register.form.none")
        } else {
            roll.join("　")
        }),
        Block::Paragraph(approval),
    ];
    if !photos.is_empty() {
        blocks.push(Block::Heading(tr("register.form.photos_heading")));
        blocks.push(Block::Paragraph(photos.join("；")));
    }
    blocks.push(Block::Note(tr("register.form.summary_note")));
    blocks.push(signatures(&[
        "register.form.sign.leader",
        "register.form.sign.members",
        "register.form.sign.liaison",
    ]));
    NoticeDoc {
        title: tr("register.form.summary_title"),
        subtitle: Some(
            t!(
                "register.form.summary_subtitle",
                locale = NOTICE_LOCALE,
                village = m.village,
                group = m.group,
                year = m.period.year,
                month = m.period.month
            )
            .into(),
        ),
        issuer: s.store.clone(),
        date: today,
        blocks,
        short_title: tr("register.form.summary_title"),
    }
}

/// "10月12日 三组晒场" for each event with a photo, by date, without repeats.
pub fn photo_lines<'a>(events: impl Iterator<Item = &'a RegisterEvent>) -> Vec<String> {
    let mut seen: Vec<(NaiveDate, String)> = events
        .filter(|e| e.evidence.is_some())
        .map(|e| {
            (
                e.date,
                e.place
                    .clone()
                    .unwrap_or_else(|| tr("register.form.no_place")),
            )
        })
        .collect();
    seen.sort();
    seen.dedup();
    seen.into_iter()
        .map(|(d, place)| {
            t!(
                "register.form.photo_line",
                locale = NOTICE_LOCALE,
                month = d.format("%-m"),
                day = d.format("%-d"),
                place = place
            )
            .to_string()
        })
        .collect()
}

/// The block the points notice gains: the scoring photos' dates and places (001: 公示…开展
/// 评分及检查图片资料).
pub fn photos_block(lines: &[String]) -> Vec<Block> {
    if lines.is_empty() {
        return Vec::new();
    }
    vec![
        Block::Heading(tr("register.form.photos_heading")),
        Block::Paragraph(lines.join("；")),
    ]
}
