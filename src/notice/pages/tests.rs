//! The hand layout: headers repeat on every page, long names wrap inside their cell.

use chrono::NaiveDate;

use super::*;
use crate::notice::document::{Column, Row};

fn texts(page: &Page) -> Vec<(f32, f32, &str)> {
    page.iter()
        .filter_map(|op| match op {
            Op::Text {
                x, baseline, text, ..
            } => Some((*x, *baseline, text.as_str())),
            _ => None,
        })
        .collect()
}

fn doc(rows: Vec<Row>) -> NoticeDoc {
    let columns = vec![
        Column::new("户主", 1.0, Align::Left),
        Column::new("捐赠方", 1.0, Align::Left),
        Column::new("数量", 1.0, Align::Right),
    ];
    NoticeDoc {
        title: "物资收支公示".into(),
        subtitle: None,
        issuer: "青山积分超市".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        blocks: vec![
            Block::Heading("二、捐赠物资".into()),
            Block::Table(Table::new(columns, rows, "")),
        ],
        short_title: "物资收支公示".into(),
    }
}

#[test]
fn a_long_table_repeats_its_header_and_heading_on_every_page() {
    let rows = (0..150)
        .map(|i| Row::new(vec![format!("户{i}"), "县供销社".into(), i.to_string()]))
        .collect();
    let pages = paginate(&doc(rows)).unwrap();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        let words: Vec<&str> = texts(page).iter().map(|t| t.2).collect();
        assert!(
            words.contains(&"捐赠方"),
            "page {} has the header row",
            i + 1
        );
        let footer = format!("第 {} 页 / 共 {} 页", i + 1, pages.len());
        assert!(
            words.contains(&footer.as_str()),
            "page {} is numbered",
            i + 1
        );
        if i > 0 {
            assert!(
                words.contains(&"二、捐赠物资（续）"),
                "page {} says continued",
                i + 1
            );
        }
        for (_, baseline, _) in texts(page) {
            assert!((0.0..PAGE_H).contains(&baseline), "text stays on the page");
        }
    }
}

#[test]
fn a_long_name_wraps_inside_its_cell() {
    let donor = "爱心企业青山顺发建材厂与河湾电器商行联合捐赠小组";
    let rows = vec![Row::new(vec!["王英".into(), donor.into(), "100".into()])];
    let pages = paginate(&doc(rows)).unwrap();
    let fonts = Fonts::get().unwrap();
    let column_w = CONTENT_W / 3.0;
    let pieces: Vec<(f32, f32, &str)> = texts(&pages[0])
        .into_iter()
        .filter(|(x, _, t)| {
            *x > LEFT + column_w
                && *x < LEFT + 2.0 * column_w
                && donor.contains(t)
                && t.chars().count() > 1
        })
        .collect();
    assert!(pieces.len() >= 2, "{pieces:?}");
    assert_eq!(pieces.iter().map(|p| p.2).collect::<String>(), donor);
    for (x, _, t) in &pieces {
        assert!(
            x + fonts.width_em(t) * CELL <= LEFT + 2.0 * column_w,
            "{t} overflows its cell"
        );
    }
}
