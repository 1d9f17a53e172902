//! A printed document as the app describes it, with no printer in sight: the layout
//! decides line breaks for a profile and the encoder decides text or raster per line.

use crate::profile::{Charset, PrinterProfile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// Double width and height, bold, centred: the store name.
    Title(String),
    /// Wrapped to the paper width; `\n` breaks a line.
    Text {
        text: String,
        align: Align,
        bold: bool,
    },
    /// Cells of equal width on one row, each wrapped within its cell.
    Columns(Vec<(String, Align)>),
    /// Label at the left, value at the right edge (`合计 ........ 35`).
    KeyValue(String, String),
    /// Columns of the given widths in ASCII columns (a 0 takes what is left), one space
    /// between them; cells wrap within their column. `aligns` missing a column means left.
    Table {
        widths: Vec<usize>,
        aligns: Vec<Align>,
        rows: Vec<Vec<String>>,
    },
    /// A line of dashes across the paper.
    Rule,
    /// A QR code of this payload, centred.
    Qr(String),
    /// Blank lines.
    Feed(u8),
    /// Cut the paper (or, without a cutter, feed so it can be torn off).
    Cut,
    /// Open the cash drawer, when the profile says one is wired.
    DrawerKick,
    /// A big reversed mark such as "重打 / COPY".
    Stamp(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Doc {
    pub items: Vec<Item>,
}

impl Doc {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, item: Item) -> &mut Self {
        self.items.push(item);
        self
    }

    pub fn title(&mut self, text: impl Into<String>) -> &mut Self {
        self.push(Item::Title(text.into()))
    }

    pub fn text(&mut self, text: impl Into<String>) -> &mut Self {
        self.push(Item::Text {
            text: text.into(),
            align: Align::Left,
            bold: false,
        })
    }

    pub fn key_value(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.push(Item::KeyValue(key.into(), value.into()))
    }

    pub fn rule(&mut self) -> &mut Self {
        self.push(Item::Rule)
    }
}

/// A test page that needs no store: what the printer is set up as, the characters that
/// go wrong on cheap printers, a ruler of the column width, a raster line and a QR code.
/// If the ruler wraps or the last digit is cut, the profile's head width is wrong.
pub fn test_page(profile: &PrinterProfile) -> Doc {
    let columns = profile.columns();
    let yes_no = |b: bool| if b { "有 yes" } else { "无 no" };
    let charset = match profile.charset {
        Charset::Gbk => "GBK",
        Charset::Gb2312Only => "GB2312",
    };
    let ruler: String = (1..=columns)
        .map(|i| char::from(b'0' + (i % 10) as u8))
        .collect();
    let mut doc = Doc::new();
    doc.title("打印测试页")
        .push(Item::Text {
            text: "PRINTER TEST PAGE".into(),
            align: Align::Center,
            bold: false,
        })
        .rule()
        .key_value("纸宽 Paper", profile.paper.to_string())
        .key_value("打印头 Dots", profile.dots().to_string())
        .key_value(
            "每行 Columns",
            format!("{} / {} 汉字", columns, columns / 2),
        )
        .key_value("字库 Charset", charset)
        .key_value("切刀 Cutter", yes_no(profile.cutter))
        .key_value(
            "二维码 QR",
            if profile.native_qr {
                "打印机 native"
            } else {
                "图像 raster"
            },
        )
        .rule()
        .text("中文：积分超市 大米 食用油 洗衣粉")
        .text("金额：￥12.50 ×2 · 合计")
        .text("数字：0123456789")
        .text("ASCII: ABCxyz !@#%&*()")
        .text("生僻字（图像）：䶮 𠇔")
        .text("列宽 ruler:")
        .text(ruler)
        .text("汉".repeat(columns / 2))
        .rule()
        .push(Item::Qr("JIFEN-TEST-0123456789".into()))
        .push(Item::Text {
            text: "扫码应得 JIFEN-TEST-0123456789".into(),
            align: Align::Center,
            bold: false,
        })
        .push(Item::Feed(1))
        .push(Item::Cut);
    doc
}
