//! Receipts rendered to bytes and read back as a user would check the paper.

use jifen_hardware::{
    Align, Charset, Decoded, Doc, Item, PrinterProfile, decode, preview_text, render, test_page,
    transport::transmit_time,
};

use crate::common::{Printed, contains, font, printed, text_lines, widest};

/// A redemption receipt shaped like the app's: names, a table, a ￥ amount, a rare name.
fn receipt() -> Doc {
    let mut doc = Doc::new();
    doc.title("青山村积分超市")
        .key_value("单号", "R2026-000123")
        .key_value("时间", "2026-11-05 09:30")
        .key_value("户主", "王𠇔")
        .rule()
        .push(Item::Table {
            widths: vec![0, 4, 6, 6],
            aligns: vec![Align::Left, Align::Right, Align::Right, Align::Right],
            rows: vec![
                vec!["品名".into(), "数量".into(), "单价".into(), "积分".into()],
                vec!["大米 5kg".into(), "1".into(), "120".into(), "120".into()],
                vec!["食用油 5L".into(), "2".into(), "90".into(), "180".into()],
                vec![
                    "洗衣粉加香型大包装家庭装".into(),
                    "1".into(),
                    "25".into(),
                    "25".into(),
                ],
            ],
        })
        .rule()
        .key_value("合计积分", "325")
        .key_value("代购金额", "¥35.00")
        .push(Item::Qr("R2026-000123".into()))
        .push(Item::Cut);
    doc
}

#[test]
fn receipt_reads_back_as_the_exact_chinese_text() {
    let profile = PrinterProfile::mm58();
    let bytes = render(&receipt(), &profile, font()).expect("renders");
    assert_eq!(&bytes[..4], &[0x1B, 0x40, 0x1C, 0x26], "ESC @ then FS &");
    assert!(
        !contains(&bytes, b"&#"),
        "no HTML escapes for missing characters"
    );
    let decoded = decode(&bytes);
    let dashes = "-".repeat(32);
    let expected = [
        "青山村积分超市",
        "单号                R2026-000123",
        "时间            2026-11-05 09:30",
        &dashes,
        "品名          数量   单价   积分",
        "大米 5kg         1    120    120",
        "食用油 5L        2     90    180",
        "洗衣粉加香型     1     25     25",
        "大包装家庭装",
        &dashes,
        "合计积分                     325",
        "代购金额                 ￥35.00", // 8 + 17 + 7 = 32 columns
        "",                                 // the line feed after the native QR code
    ];
    assert_eq!(text_lines(&decoded), expected);
    assert!(decoded.contains(&Decoded::Qr("R2026-000123".into())));
    assert!(!text_lines(&decoded).iter().any(|l| l.contains('?')));
}

#[test]
fn a_rare_name_is_printed_as_an_image_drawn_with_the_bundled_font() {
    let profile = PrinterProfile::mm58();
    let decoded = decode(&render(&receipt(), &profile, font()).expect("renders"));
    let lines = printed(&decoded);
    // The 户主 line is the fourth printed line and comes back as a raster line, not text.
    assert_eq!(
        lines[3],
        Printed::Image {
            width_dots: 384,
            height: 24
        }
    );
    let image = decoded.iter().find_map(Decoded::bitmap).expect("an image");
    let redrawn = font().render_line("户主                        王𠇔", 384, 1, Align::Left);
    assert_eq!(image, redrawn);
    assert!(font().has_glyph('𠇔') && font().has_glyph('䶮'));
    let preview = preview_text(&decoded);
    assert!(preview.contains("[图像 384×24]"), "{preview}");
}

#[test]
fn no_line_is_wider_than_the_paper_at_58_or_80_mm() {
    for profile in [
        PrinterProfile::mm58(),
        PrinterProfile::new(80, 512).expect("profile"),
        PrinterProfile::mm80(),
    ] {
        let decoded = decode(&render(&receipt(), &profile, font()).expect("renders"));
        assert!(widest(&decoded) <= profile.columns(), "{:?}", profile.dots);
        let rule = "-".repeat(profile.columns());
        assert!(text_lines(&decoded).contains(&rule));
    }
}

#[test]
fn eighty_mm_is_wider_and_wraps_less() {
    let narrow = text_lines(&decode(
        &render(&receipt(), &PrinterProfile::mm58(), font()).expect("renders"),
    ));
    let wide = text_lines(&decode(
        &render(&receipt(), &PrinterProfile::mm80(), font()).expect("renders"),
    ));
    assert!(
        narrow.iter().any(|l| l == "大包装家庭装"),
        "58 mm wraps the long name"
    );
    assert!(
        wide.iter()
            .any(|l| l.starts_with("洗衣粉加香型大包装家庭装 ")),
        "80 mm does not"
    );
    let total = wide
        .iter()
        .find(|l| l.starts_with("合计积分"))
        .expect("total line");
    assert_eq!(
        jifen_hardware::text::gbk_width(total),
        48,
        "value flush with the 80 mm edge"
    );
}

#[test]
fn cut_only_with_a_cutter() {
    let with = render(&receipt(), &PrinterProfile::mm80(), font()).expect("renders");
    let without = render(&receipt(), &PrinterProfile::mm58(), font()).expect("renders");
    assert!(decode(&with).contains(&Decoded::Cut));
    assert!(!decode(&without).contains(&Decoded::Cut));
    assert!(decode(&without).contains(&Decoded::Feed(4)));
}

#[test]
fn gb2312_only_printer_gets_a_raster_line_for_kun() {
    let mut doc = Doc::new();
    doc.text("户主：张堃").text("户主：张三");
    let gbk = PrinterProfile::mm58();
    let old = PrinterProfile {
        charset: Charset::Gb2312Only,
        ..gbk
    };
    let on_gbk = printed(&decode(&render(&doc, &gbk, font()).expect("renders")));
    let on_old = printed(&decode(&render(&doc, &old, font()).expect("renders")));
    assert_eq!(on_gbk[0], Printed::Text("户主：张堃".into(), 1));
    assert_eq!(
        on_old[0],
        Printed::Image {
            width_dots: 384,
            height: 24
        }
    );
    assert_eq!(on_old[1], Printed::Text("户主：张三".into(), 1));
}

#[test]
fn reprint_stamp_is_big_and_reversed() {
    let mut doc = Doc::new();
    doc.push(Item::Stamp("重打 COPY".into()));
    let decoded = decode(&render(&doc, &PrinterProfile::mm58(), font()).expect("renders"));
    assert_eq!(
        printed(&decoded),
        vec![Printed::Text(" 重打 COPY ".into(), 2)]
    );
    assert!(decoded.contains(&Decoded::Style(jifen_hardware::StyleChange::Reverse(true))));
}

#[test]
fn test_page_shows_the_profile_and_a_full_ruler() {
    for profile in [PrinterProfile::mm58(), PrinterProfile::mm80()] {
        let decoded = decode(&render(&test_page(&profile), &profile, font()).expect("renders"));
        let lines = text_lines(&decoded);
        let ruler: String = (1..=profile.columns())
            .map(|i| char::from(b'0' + (i % 10) as u8))
            .collect();
        assert!(lines.contains(&ruler));
        assert!(lines.contains(&"汉".repeat(profile.columns() / 2)));
        assert!(
            lines
                .iter()
                .any(|l| l.contains(&profile.dots().to_string()))
        );
        assert!(lines.iter().any(|l| l.contains("￥12.50")));
        assert!(decoded.contains(&Decoded::Qr("JIFEN-TEST-0123456789".into())));
        assert_eq!(
            printed(&decoded)
                .iter()
                .filter(|p| matches!(p, Printed::Image { .. }))
                .count(),
            1
        );
        assert!(widest(&decoded) <= profile.columns());
    }
}

#[test]
fn an_all_text_receipt_is_small_enough_for_9600_baud() {
    let mut doc = Doc::new();
    doc.title("青山村积分超市")
        .key_value("单号", "R2026-000123")
        .rule();
    for (name, points) in [
        ("大米 5kg", "120"),
        ("食用油 5L", "180"),
        ("洗衣粉", "25"),
        ("毛巾", "10"),
        ("肥皂", "8"),
    ] {
        doc.key_value(format!("{name} ×1"), points);
    }
    doc.rule().key_value("合计", "343").push(Item::Cut);
    let bytes = render(&doc, &PrinterProfile::mm58(), font()).expect("renders");
    assert!(bytes.len() < 1500, "{} bytes", bytes.len());
    assert!(transmit_time(bytes.len(), 9600).as_secs_f64() < 1.5);
}
