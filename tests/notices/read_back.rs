//! Each notice's PDF read back with poppler-utils: the Chinese text, 第 i 页 / 共 N 页 on every
//! page, the fonts embedded and subset, and the stock figures of the ledgers in the table.

use std::path::Path;
use std::process::Command;

use jifen::app::notices::{self, NoticeKind};
use jifen::notice::document::NoticeDoc;
use jifen::notice::notice_pdf::notice_pdf;
use jifen::notice::notice_png::{NOTICE_DPI, notice_png_pages};

use super::{busy_demo, document, period};
use crate::common::*;

/// The PDF's text as pdftotext lays it out, or `None` (with a note) without poppler-utils.
fn pdf_text(pdf: &[u8], dir: &Path, name: &str) -> Option<String> {
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).unwrap();
    match Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(out) => {
            assert!(out.status.success(), "pdftotext failed on {name}");
            Some(String::from_utf8(out.stdout).unwrap())
        }
        Err(_) => {
            eprintln!(
                "note: pdftotext not found (apt-get install poppler-utils); {name}.pdf not read back"
            );
            None
        }
    }
}

/// Reads the PDF back: Chinese text, every page numbered 第 i 页 / 共 N 页, fonts embedded.
pub fn read_back(doc: &NoticeDoc, dir: &Path, name: &str) -> Option<String> {
    let pdf = notice_pdf(doc).unwrap();
    let text = pdf_text(&pdf, dir, name)?;
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(!pages.is_empty());
    for (i, page) in pages.iter().enumerate() {
        // pdftotext drops the thin spaces of "第 1 页 / 共 3 页".
        let footer = format!("第{}页/共{}页", i + 1, pages.len());
        let squeezed: String = page.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            squeezed.contains(&footer),
            "{name}: page {} lacks {footer}",
            i + 1
        );
    }
    assert!(
        text.contains(&doc.title) && text.contains(&doc.issuer),
        "{name}: title or issuer missing"
    );
    let fonts = Command::new("pdffonts")
        .arg(dir.join(format!("{name}.pdf")))
        .output()
        .unwrap();
    let fonts = String::from_utf8(fonts.stdout).unwrap();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{name}: no fonts\n{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 3],
            ["yes", "yes"],
            "{name}: font not embedded and subset: {row}"
        );
    }
    assert_eq!(
        notice_png_pages(doc, 40.0).unwrap().len(),
        pages.len(),
        "{name}: PNG pages"
    );
    Some(text)
}

#[test]
fn the_stock_notice_pdf_shows_the_figures_of_the_ledgers() {
    let mut s = busy_demo();
    let now = at(2026, 11, 21, 8, 0);
    let data = notices::stock_notice(&mut s.db, period("2026"), now).unwrap();
    let doc = document(&mut s, NoticeKind::Stock, "2026");
    let Some(text) = read_back(&doc, s.dir.path(), "stock") else {
        return;
    };
    for needle in [
        "物资收支公示",
        "期初库存",
        "兑换发放",
        "经手人",
        "监督人",
        "盖章处",
        "县城百货批发部",
        "44124468",
        "乡贤 李秀英",
    ] {
        assert!(text.contains(needle), "{needle} missing");
    }
    assert!(
        text.contains(&data.fingerprint.stock.hash),
        "the stock chain head is printed in full"
    );
    // Each good's row, read back from the PDF, carries the ledger's seven figures.
    for line in &data.lines {
        let row = text.lines().find(|l| {
            l.trim_start().starts_with(&format!("{} ", line.name))
                || l.trim_start().starts_with(&format!("{}  ", line.name))
        });
        let row = row.unwrap_or_else(|| panic!("no row for {}", line.name));
        let numbers: Vec<i64> = row
            .split_whitespace()
            .rev()
            .take(7)
            .map(|n| n.parse().unwrap())
            .collect();
        let expected = [
            line.closing.0,
            line.corrected.0,
            line.written_off.0,
            line.issued.0,
            line.purchased.0,
            line.donated.0,
            line.opening.0,
        ];
        assert_eq!(numbers, expected, "{}", line.name);
    }
}

#[test]
fn png_pages_are_a4_at_150_dpi_and_drawn() {
    let mut s = demo_store();
    let doc = document(&mut s, NoticeKind::Prices, "2026-11");
    let pages = notice_png_pages(&doc, NOTICE_DPI).unwrap();
    assert_eq!(pages.len(), 2);
    let image = image::load_from_memory(&pages[0]).unwrap().to_rgb8();
    assert_eq!(image.dimensions(), (1240, 1754));
    let dark = image
        .pixels()
        .filter(|p| p.0.iter().all(|c| *c < 100))
        .count();
    assert!(
        dark > 20_000,
        "text and rules were drawn ({dark} dark pixels)"
    );
}

/// Redraws the pictures in `docs/notices/` from the demo village after its redemption day:
/// `cargo test --test tests regenerate_docs_notices -- --ignored`.
#[test]
#[ignore = "writes docs/notices/; run by hand after changing how notices look"]
fn regenerate_docs_notices() {
    let mut s = busy_demo();
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/notices");
    std::fs::create_dir_all(&out).unwrap();
    let wanted = [
        (NoticeKind::Prices, "2026-11", 1),
        (NoticeKind::Stock, "2026-Q4", 2),
        (NoticeKind::Points, "2026-Q3", 2),
        (NoticeKind::Redemptions, "2026-11", 1),
        (NoticeKind::Rules, "2026-11", 1),
    ];
    for (kind, p, pages) in wanted {
        let doc = document(&mut s, kind, p);
        let images = notice_png_pages(&doc, NOTICE_DPI).unwrap();
        for (i, png) in images.iter().take(pages).enumerate() {
            let name = format!("{}-{p}-{}.png", kind.as_str(), i + 1);
            std::fs::write(out.join(name), png).unwrap();
        }
    }
}
