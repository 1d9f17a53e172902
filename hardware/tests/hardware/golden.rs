//! Golden bytes of the first encoder (`tests/golden/*.bin`, written before the encoder moved
//! onto the `escpos` crate) for the documents this crate builds itself: the test page, a
//! receipt with a rare name, a QR and a drawer pulse, and a QR too long to print, at 58 mm
//! (no cutter) and 80 mm (cutter). Today's bytes must print the same: same text lines in the
//! same modes, same images dot for dot, same QR payloads, feeds, cuts and drawer pulses.
//! The app's layouts have their own golden set (`tests/golden/` at the workspace root).
//!
//! `JIFEN_WRITE_GOLDEN=1 cargo test -p jifen-hardware golden` rewrites them: only for a
//! deliberate change of the paper.

use std::path::PathBuf;

use jifen_hardware::{Align, Decoded, Doc, Item, PrinterProfile, StyleChange, decode, render};

use crate::common::font;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    Text {
        text: String,
        align: Align,
        bold: bool,
        size: (u8, u8),
        reverse: bool,
    },
    Image {
        width_dots: usize,
        height: usize,
        bits: Vec<u8>,
    },
    Qr {
        data: String,
        align: Align,
    },
    Feed(u8),
    Cut,
    DrawerKick,
}

/// What a reader of the paper sees, in order; mode changes only shape the marks.
pub fn marks(bytes: &[u8]) -> Vec<Mark> {
    let fresh = || (Align::Left, false, (1u8, 1u8), false);
    let (mut align, mut bold, mut size, mut reverse) = fresh();
    let mut out = Vec::new();
    for d in decode(bytes) {
        match d {
            Decoded::Init => (align, bold, size, reverse) = fresh(),
            Decoded::Style(StyleChange::Align(a)) => align = a,
            Decoded::Style(StyleChange::Bold(b)) => bold = b,
            Decoded::Style(StyleChange::Size { width, height }) => size = (width, height),
            Decoded::Style(StyleChange::Reverse(r)) => reverse = r,
            Decoded::Text(text) => out.push(Mark::Text {
                text,
                align,
                bold,
                size,
                reverse,
            }),
            Decoded::Image {
                width_dots,
                height,
                bits,
            } => out.push(Mark::Image {
                width_dots,
                height,
                bits,
            }),
            Decoded::Qr(data) => out.push(Mark::Qr { data, align }),
            Decoded::Feed(n) => out.push(Mark::Feed(n)),
            Decoded::Cut => out.push(Mark::Cut),
            Decoded::DrawerKick => out.push(Mark::DrawerKick),
            Decoded::ChineseMode(_) | Decoded::StatusQuery(_) => {}
            Decoded::Unknown(bytes) => panic!("unknown bytes {bytes:02X?} in a rendered job"),
        }
    }
    out
}

fn counter_receipt() -> Doc {
    let mut doc = Doc::new();
    doc.title("青山村积分超市")
        .push(Item::Stamp("重打 COPY".into()))
        .key_value("户主", "王𠇔")
        .key_value("村组", "䶮家湾 第三组")
        .rule()
        .push(Item::Columns(vec![
            ("大米 5kg".into(), Align::Left),
            ("×1".into(), Align::Center),
            ("50".into(), Align::Right),
        ]))
        .key_value("代购金额", "¥35.00 €")
        .push(Item::Text {
            text: "积分来之不易".into(),
            align: Align::Right,
            bold: true,
        })
        .push(Item::Qr("148210001230112345678901".into()))
        .push(Item::Qr("9".repeat(4000)))
        .push(Item::Feed(2))
        .push(Item::DrawerKick)
        .push(Item::Cut);
    doc
}

fn cases() -> Vec<(String, PrinterProfile, Doc)> {
    let mut out = Vec::new();
    for (mm, profile) in [
        ("58", PrinterProfile::mm58()),
        ("80", PrinterProfile::mm80()),
    ] {
        let drawer = PrinterProfile {
            drawer_kick: true,
            ..profile
        };
        out.push((
            format!("hw-test-page-{mm}"),
            profile,
            jifen_hardware::test_page(&profile),
        ));
        out.push((format!("hw-receipt-drawer-{mm}"), drawer, counter_receipt()));
        let raster = PrinterProfile {
            native_qr: false,
            ..profile
        };
        out.push((
            format!("hw-receipt-raster-qr-{mm}"),
            raster,
            counter_receipt(),
        ));
    }
    out
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// The old encoder's partial cut `GS V 66 0` and escpos's `cut()`, `GS V 65 0`: the one byte
/// form that changed when the commands moved onto escpos.
fn with_escpos_cut(old: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(old.len());
    let mut rest = old;
    while !rest.is_empty() {
        if rest.starts_with(&[0x1D, b'V', 66, 0]) {
            out.extend_from_slice(&[0x1D, b'V', 65, 0]);
            rest = &rest[4..];
        } else {
            out.push(rest[0]);
            rest = &rest[1..];
        }
    }
    out
}

#[test]
fn documents_print_the_same_as_the_golden_bytes_of_the_first_encoder() {
    let write = std::env::var_os("JIFEN_WRITE_GOLDEN").is_some();
    for (name, profile, doc) in cases() {
        let path = dir().join(format!("{name}.bin"));
        let now = render(&doc, &profile, font()).expect("renders");
        if write {
            std::fs::create_dir_all(dir()).unwrap();
            std::fs::write(&path, &now).unwrap();
        }
        let golden = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (old, new) = (marks(&golden), marks(&now));
        for (i, (o, n)) in old.iter().zip(&new).enumerate() {
            assert_eq!(o, n, "{name}: mark {i} differs");
        }
        assert_eq!(old.len(), new.len(), "{name}: number of marks");
        // Stricter than the paper: the bytes themselves are the old ones but for the cut.
        assert!(
            with_escpos_cut(&golden) == now,
            "{name}: bytes beyond the cut changed"
        );
    }
}

#[test]
fn the_golden_bytes_hold_what_they_claim() {
    let read = |name: &str| marks(&std::fs::read(dir().join(name)).unwrap());
    let drawer = read("hw-receipt-drawer-80.bin");
    assert!(drawer.contains(&Mark::DrawerKick) && drawer.contains(&Mark::Cut));
    assert!(drawer.iter().any(|m| matches!(m, Mark::Qr { .. })));
    let raster = read("hw-receipt-raster-qr-58.bin");
    assert!(!raster.iter().any(|m| matches!(m, Mark::Qr { .. })));
    let images = raster
        .iter()
        .filter(|m| matches!(m, Mark::Image { .. }))
        .count();
    assert!(
        images >= 4,
        "王𠇔, 䶮家湾, € and the QR are images: {images}"
    );
    assert!(
        !read("hw-test-page-58.bin").contains(&Mark::Cut),
        "58 mm has no cutter"
    );
}
