//! The day's closing report on the receipt printer: the same figures as the screen and
//! `jifen session report --day`, from `DayReport::lines`.

use jifen_hardware::{Align, Doc, Item};
use rust_i18n::t;

use super::PRINT_LOCALE;
use crate::core::day_report::DayReport;

fn word(key: &str) -> String {
    t!(key, locale = PRINT_LOCALE).into()
}

pub fn day_report(r: &DayReport) -> Doc {
    let mut doc = Doc::new();
    doc.title(r.store_name.as_str());
    doc.push(Item::Text {
        text: t!("dayreport.title", locale = PRINT_LOCALE, day = r.day).into(),
        align: Align::Center,
        bold: true,
    });
    doc.rule();
    for line in r.lines(PRINT_LOCALE) {
        if line.is_empty() {
            doc.rule();
        } else {
            doc.text(line);
        }
    }
    doc.rule()
        .push(Item::Feed(1))
        .text(word("print.session.sign_closed"))
        .push(Item::Feed(2))
        .text(word("print.session.sign_checked"));
    doc.push(Item::Feed(2)).push(Item::Cut);
    doc
}
