//! Properties over arbitrary input: nothing panics, nothing is wider than the paper.

use jifen_hardware::text::{gbk_width, wrap};
use jifen_hardware::{Align, Doc, Item, PrinterProfile, PrinterUri, decode, render};
use proptest::prelude::*;

use crate::common::{font, widest};

/// Strings mixing ASCII, common Chinese, ￥/¥, and characters that need raster.
fn mixed() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            proptest::char::range('a', 'z'),
            Just(' '),
            Just('5'),
            Just('大'),
            Just('米'),
            Just('¥'),
            Just('·'),
            Just('𠇔'),
            Just('䶮'),
        ],
        0..60,
    )
    .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #[test]
    fn uri_parser_never_panics(s in ".{0,80}") {
        let _ = PrinterUri::parse(&s);
    }

    #[test]
    fn uri_parser_never_panics_on_near_misses(
        scheme in prop_oneof![Just("serial:"), Just("tcp:"), Just("file:"), Just("")],
        rest in "[a-z0-9/:?&=\\[\\].-]{0,40}",
    ) {
        if let Ok(uri) = PrinterUri::parse(&format!("{scheme}{rest}")) {
            prop_assert_eq!(PrinterUri::parse(&uri.to_string()), Ok(uri));
        }
    }

    #[test]
    fn decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = decode(&bytes);
    }

    #[test]
    fn decoder_never_panics_on_damaged_receipts(flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..20)) {
        let profile = PrinterProfile::mm58();
        let mut bytes = render(&jifen_hardware::test_page(&profile), &profile, font()).expect("renders");
        for (at, value) in flips {
            let i = at % bytes.len();
            bytes[i] = value;
        }
        let _ = decode(&bytes);
        let _ = decode(&bytes[..bytes.len() / 2]);
    }

    #[test]
    fn wrapped_lines_never_exceed_the_width(s in mixed(), width in 2usize..60) {
        for line in wrap(&s, width) {
            prop_assert!(gbk_width(&line) <= width, "{:?} wider than {}", line, width);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn rendered_lines_never_exceed_the_paper(
        key in mixed(), value in mixed(), cell in mixed(), wide in any::<bool>(),
    ) {
        let profile = if wide { PrinterProfile::mm80() } else { PrinterProfile::mm58() };
        let mut doc = Doc::new();
        doc.title(&key)
            .key_value(&key, &value)
            .push(Item::Columns(vec![(cell.clone(), Align::Left), (value.clone(), Align::Right)]))
            .push(Item::Table {
                widths: vec![0, 3, 60],
                aligns: vec![Align::Left, Align::Right],
                rows: vec![vec![cell.clone(), "12".into(), value.clone()]],
            })
            .push(Item::Stamp(cell));
        let bytes = render(&doc, &profile, font()).expect("renders");
        prop_assert!(!bytes.windows(2).any(|w| w == b"&#"));
        prop_assert!(widest(&decode(&bytes)) <= profile.columns());
    }
}
