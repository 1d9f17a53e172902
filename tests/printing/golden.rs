//! Golden bytes: every receipt-printer layout at 58 and 80 mm, as the encoder of the first round
//! wrote them (`tests/golden/*.bin`, made before the encoder moved onto the `escpos` crate).
//! The paper must not change: the decoder must read the same lines, styles, images, QR codes,
//! feeds and cuts from the golden bytes and from today's bytes. Byte forms may differ (the cut
//! command is `escpos`'s now); what prints may not.
//!
//! Measured when the move was made: the bytes are identical but for the cut (`GS V 66 0` →
//! `GS V 65 0`), and the test holds them to that.
//!
//! `JIFEN_WRITE_GOLDEN=1 cargo test --features failpoints --test tests printing::golden` writes
//! the files afresh; do that only for a deliberate change of the paper, and say so in the commit.

use std::path::PathBuf;

use chrono::NaiveDate;
use jifen::app::printing::render_doc;
use jifen::app::settings::PrinterSettings;
use jifen::core::card::{CardFace, CardPayload, CardSerial};
use jifen::core::receipt::{Receipt, VoidInfo, Voucher};
use jifen::core::redemption::{PlannedLine, Via};
use jifen::core::session::{
    GoodsIssued, ServiceIssued, Session, SessionReport, StaffTotal, VoidLine,
};
use jifen::core::{Points, Qty, StaffId};
use jifen::notice::document::{Align as NAlign, Block, Column, NoticeDoc, Row, Table};
use jifen::notice::notice_text::notice_slip;
use jifen::print::{self, DonatedGoods, DonationSlip};
use jifen_hardware::{Align, Charset, Decoded, Doc, PrinterProfile, StyleChange, decode};

use super::settings_for;
use crate::common::*;

fn line(code: &str, name: &str, unit: &str, qty: i64, price: i64) -> PlannedLine {
    PlannedLine {
        code: code.parse().unwrap(),
        name: name.into(),
        unit: unit.into(),
        qty: Qty(qty),
        unit_price_points: Points(price),
        line_points: Points(qty * price),
    }
}

fn base_receipt() -> Receipt {
    let lines = vec![
        line("1001", "大米 5kg", "袋", 1, 50),
        line("1003", "牙膏", "支", 2, 10),
        line("1015", "金龙鱼食用调和油 1.8L", "桶", 1, 45),
    ];
    Receipt {
        receipt_no: "2026-000001".parse().unwrap(),
        created_at: t0(),
        store_name: "青山河湾联合积分超市".into(),
        staff: StaffId(2),
        staff_name: "王芳".into(),
        household: "101001".parse().unwrap(),
        head_name: "王大山".into(),
        village: "青山村".into(),
        group: "第一组".into(),
        total_points: Points(115),
        balance_before: Points(200),
        balance_after: Points(85),
        lines,
        via: Via::Card,
        void: None,
        vouchers: Vec::new(),
    }
}

const FOOTER: &str = "积分来之不易，感谢您为乡村文明出力";

fn voided_manual_receipt() -> Receipt {
    Receipt {
        via: Via::Manual {
            reason: "户卡遗失".into(),
        },
        void: Some(VoidInfo {
            reason: "录错数量".into(),
            staff_name: "张丽".into(),
            voided_at: at(2026, 11, 20, 9, 30),
        }),
        ..base_receipt()
    }
}

fn voucher_receipt() -> Receipt {
    let voucher = |no: &str| Voucher {
        voucher_no: no.into(),
        code: "9001".parse().unwrap(),
        name: "理发".into(),
        provider: "青山理发店".into(),
        unit_points: Points(20),
        issued_at: t0(),
        valid_until: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        used_at: None,
        used_by: None,
        cancelled_at: None,
    };
    let mut r = base_receipt();
    r.lines.push(line("9001", "理发", "次", 2, 20));
    r.total_points = Points(155);
    r.balance_after = Points(45);
    r.vouchers = vec![voucher("V2026-000001"), voucher("V2026-000002")];
    r
}

/// Names a GBK printer cannot print as text: 䶮 (Ext A, FE9F) and 𠇔 (Ext B, 4 bytes).
fn rare_name_receipt() -> Receipt {
    let mut r = base_receipt();
    r.head_name = "刘䶮".into();
    r.lines[0].name = "𠇔家大米".into();
    r
}

fn donation() -> DonationSlip {
    DonationSlip {
        store_name: "青山河湾联合积分超市".into(),
        reference: "D12".into(),
        donor: "县供销社 李国强".into(),
        contact: Some("13800001234".into()),
        received_on: NaiveDate::from_ymd_opt(2026, 11, 18).unwrap(),
        recorded_at: at(2026, 11, 18, 15, 20),
        staff_name: "王芳".into(),
        lines: vec![
            DonatedGoods {
                name: "大米 5kg".into(),
                unit: "袋".into(),
                qty: Qty(20),
            },
            DonatedGoods {
                name: "洗衣粉 1kg".into(),
                unit: "袋".into(),
                qty: Qty(30),
            },
        ],
    }
}

fn session() -> SessionReport {
    SessionReport {
        session: Session {
            id: 7,
            day: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            opened_at: at(2026, 11, 20, 8, 30),
            opened_by: "张丽".into(),
            staff_on_duty: vec!["王芳".into(), "李明".into()],
            groups_served: vec!["第一组".into(), "第二组".into()],
            closed_at: Some(at(2026, 11, 20, 11, 45)),
            off_calendar_reason: None,
        },
        closed_by: "张丽".into(),
        households_served: 42,
        redemptions: 45,
        points_redeemed: Points(3120),
        goods: vec![
            GoodsIssued {
                code: "1001".parse().unwrap(),
                name: "大米 5kg".into(),
                qty: Qty(30),
                points: Points(1500),
                on_hand_at_close: Qty(12),
            },
            GoodsIssued {
                code: "1003".parse().unwrap(),
                name: "牙膏".into(),
                qty: Qty(40),
                points: Points(400),
                on_hand_at_close: Qty(60),
            },
        ],
        voids: vec![VoidLine {
            receipt_no: "2026-000017".into(),
            points: Points(50),
            reason: "录错数量".into(),
            voided_by: "张丽".into(),
        }],
        per_staff: vec![
            StaffTotal {
                name: "王芳".into(),
                redemptions: 30,
                points: Points(2100),
            },
            StaffTotal {
                name: "李明".into(),
                redemptions: 15,
                points: Points(1020),
            },
        ],
        services: vec![ServiceIssued {
            code: "9001".parse().unwrap(),
            name: "理发".into(),
            provider: "青山理发店".into(),
            qty: Qty(5),
            points: Points(100),
        }],
    }
}

fn card() -> CardFace {
    CardFace {
        payload: "148210001230112345678901"
            .parse::<CardPayload>()
            .expect("a well-formed 24-digit payload"),
        store_name: "青山河湾联合积分超市".into(),
        household: "101001".parse().unwrap(),
        head_name: "王大山".into(),
        village: "青山村".into(),
        group: "第一组".into(),
        serial: CardSerial::new(1).unwrap(),
        issued_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
    }
}

fn price_notice() -> NoticeDoc {
    let columns = vec![
        Column::new("商品", 2.0, NAlign::Left).slip(0),
        Column::new("单位", 1.0, NAlign::Left).slip(4),
        Column::new("所需积分", 1.0, NAlign::Right).slip_as(5, "积分"),
        Column::new("备注", 1.0, NAlign::Left),
    ];
    let row = |c: [&str; 4]| Row::new(c.iter().map(|s| s.to_string()).collect());
    NoticeDoc {
        title: "积分兑换价目表".into(),
        subtitle: Some("2026年11月".into()),
        issuer: "青山河湾联合积分超市".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        blocks: vec![
            Block::Heading("一、生活用品".into()),
            Block::Table(Table::new(
                columns,
                vec![
                    row(["大米 5kg", "袋", "50", "每户每月限量2袋"]),
                    row(["牙膏", "支", "10", ""]),
                    row(["洗衣粉 1kg", "袋", "15", ""]),
                ],
                "暂无商品",
            )),
            Block::Paragraph("明码标价，凭卡兑换。".into()),
            Block::Signatures(vec!["经手人：".into(), "监督人：".into()]),
        ],
        short_title: "价目表".into(),
    }
}

fn gb2312_only(profile: PrinterProfile) -> PrinterProfile {
    PrinterProfile {
        charset: Charset::Gb2312Only,
        ..profile
    }
}

fn raster_qr(profile: PrinterProfile) -> PrinterProfile {
    PrinterProfile {
        native_qr: false,
        ..profile
    }
}

/// Every layout the app prints, by name, for one profile.
fn layouts(profile: &PrinterProfile) -> Vec<(&'static str, PrinterProfile, Doc)> {
    let p = *profile;
    let kun = {
        let mut r = base_receipt();
        r.head_name = "李堃".into();
        r
    };
    vec![
        ("receipt", p, print::receipt(&base_receipt(), FOOTER)),
        (
            "reprint",
            p,
            print::reprint(&base_receipt(), FOOTER, at(2026, 11, 21, 10, 5)),
        ),
        (
            "void-no-card",
            p,
            print::receipt(&voided_manual_receipt(), FOOTER),
        ),
        (
            "voucher-receipt",
            p,
            print::receipt(&voucher_receipt(), FOOTER),
        ),
        ("rare-name", p, print::receipt(&rare_name_receipt(), FOOTER)),
        ("gb2312-kun", gb2312_only(p), print::receipt(&kun, FOOTER)),
        ("donation-slip", p, print::donation_slip(&donation())),
        (
            "session-report",
            p,
            print::session_report("青山河湾联合积分超市", &session()),
        ),
        ("card-slip", p, print::card_slip(&card())),
        (
            "card-slip-raster-qr",
            raster_qr(p),
            print::card_slip(&card()),
        ),
        (
            "test-page",
            p,
            print::test_page(
                &p,
                Some("青山河湾联合积分超市"),
                "tcp:192.168.1.50:9100",
                FOOTER,
            ),
        ),
        ("notice-slip", p, notice_slip(&price_notice())),
    ]
}

fn profiles() -> [(&'static str, PrinterProfile); 2] {
    [
        ("58", PrinterProfile::mm58()),
        ("80", PrinterProfile::mm80()),
    ]
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn render(doc: &Doc, profile: PrinterProfile) -> Vec<u8> {
    let settings: PrinterSettings = settings_for(profile);
    render_doc(doc, &settings).unwrap()
}

/// What a reader of the paper sees, in order: each text line with the modes it is printed
/// in, each image's dots, each QR payload, feeds, cuts and the drawer pulse. Commands that
/// print nothing (mode changes on their own, Chinese mode, QR set-up) only shape the marks.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mark {
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

fn marks(bytes: &[u8]) -> Vec<Mark> {
    #[derive(Default)]
    struct Modes {
        align: Align,
        bold: bool,
        size: (u8, u8),
        reverse: bool,
    }
    let fresh = || Modes {
        size: (1, 1),
        ..Modes::default()
    };
    let mut m = fresh();
    let mut out = Vec::new();
    for d in decode(bytes) {
        match d {
            Decoded::Init => m = fresh(),
            Decoded::Style(StyleChange::Align(a)) => m.align = a,
            Decoded::Style(StyleChange::Bold(b)) => m.bold = b,
            Decoded::Style(StyleChange::Size { width, height }) => m.size = (width, height),
            Decoded::Style(StyleChange::Reverse(r)) => m.reverse = r,
            Decoded::Text(text) => out.push(Mark::Text {
                text,
                align: m.align,
                bold: m.bold,
                size: m.size,
                reverse: m.reverse,
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
            Decoded::Qr(data) => out.push(Mark::Qr {
                data,
                align: m.align,
            }),
            Decoded::Feed(n) => out.push(Mark::Feed(n)),
            Decoded::Cut => out.push(Mark::Cut),
            Decoded::DrawerKick => out.push(Mark::DrawerKick),
            Decoded::ChineseMode(_) | Decoded::StatusQuery(_) => {}
            Decoded::Unknown(bytes) => panic!("unknown bytes {bytes:02X?} in a rendered job"),
        }
    }
    out
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
fn every_layout_prints_the_same_as_the_golden_bytes_of_the_first_encoder() {
    chinese();
    let write = std::env::var_os("JIFEN_WRITE_GOLDEN").is_some();
    let dir = golden_dir();
    let mut checked = 0;
    for (mm, profile) in profiles() {
        for (name, profile, doc) in layouts(&profile) {
            let path = dir.join(format!("{name}-{mm}.bin"));
            let now = render(&doc, profile);
            if write {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &now).unwrap();
            }
            let golden = std::fs::read(&path).unwrap_or_else(|e| {
                panic!("{}: {e} (JIFEN_WRITE_GOLDEN=1 makes it)", path.display())
            });
            let (old, new) = (marks(&golden), marks(&now));
            assert!(!old.is_empty(), "{name} {mm} mm printed nothing");
            for (i, (o, n)) in old.iter().zip(&new).enumerate() {
                assert_eq!(o, n, "{name} {mm} mm: mark {i} differs");
            }
            assert_eq!(old.len(), new.len(), "{name} {mm} mm: number of marks");
            // Stricter than the paper: the bytes themselves are the old ones but for the cut.
            assert!(
                with_escpos_cut(&golden) == now,
                "{name} {mm} mm: bytes beyond the cut changed"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 24, "12 layouts at 58 and 80 mm");
}

/// The golden set really covers what it claims: raster name lines, the raster QR, a native
/// QR, both cut forms, double-size titles and the reversed stamp.
#[test]
fn the_golden_bytes_cover_raster_lines_qr_codes_and_cuts() {
    let read = |name: &str| marks(&std::fs::read(golden_dir().join(name)).unwrap());
    let images = |m: &[Mark]| m.iter().filter(|m| matches!(m, Mark::Image { .. })).count();
    let rare = read("rare-name-58.bin");
    assert!(images(&rare) >= 2, "刘䶮 and 𠇔家大米 lines are images");
    assert!(
        images(&read("gb2312-kun-80.bin")) >= 1,
        "堃 on a GB2312 printer"
    );
    let raster_qr = read("card-slip-raster-qr-58.bin");
    assert!(
        raster_qr
            .iter()
            .any(|m| matches!(m, Mark::Image { height, .. } if *height > 100))
    );
    assert!(!raster_qr.iter().any(|m| matches!(m, Mark::Qr { .. })));
    let native = read("card-slip-80.bin");
    assert!(
        native
            .iter()
            .any(|m| matches!(m, Mark::Qr { data, .. } if data.len() == 24))
    );
    assert!(
        read("receipt-80.bin").contains(&Mark::Cut),
        "80 mm has a cutter"
    );
    let no_cutter = read("receipt-58.bin");
    assert!(
        !no_cutter.contains(&Mark::Cut) && no_cutter.ends_with(&[Mark::Feed(2), Mark::Feed(4)])
    );
    let reprint = read("reprint-58.bin");
    assert!(reprint.iter().any(|m| matches!(m,
        Mark::Text { reverse: true, size: (2, 2), text, .. } if text.contains("重打"))));
}
