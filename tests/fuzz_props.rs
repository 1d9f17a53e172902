//! Every parser of outside input, fed arbitrary and mutated input: import files (CSV in any
//! encoding, .xlsx/.xls/.ods) and the sheets they decode to, scanner keystrokes, scanned card
//! text, and the villages' TOML rule files. None may panic; each refusal must be a clear
//! message that names the file (or row and column). Card payload mutations and printer URIs
//! have their own property tests (card_props, hardware).

use std::cell::RefCell;

use jifen::app::Error;
use jifen::app::import::grid_from_bytes;
use jifen::app::messages::import_problem;
use jifen::core::card::CardPayload;
use jifen::core::import_rows::{
    self, CellError, GOODS_COLUMNS, Grid, HOUSEHOLD_COLUMNS, SCORE_COLUMNS,
};
use jifen::core::policy::VillagePolicy;
use jifen::core::refusal::Refusal;
use jifen::ui::scan::{MAX_GAP_SECONDS, MIN_SCAN_LEN, ScanBuffer};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::common::*;

const EXTENSIONS: &[&str] = &[
    ".csv", ".CSV", ".txt", ".tsv", ".xlsx", ".xls", ".ods", ".doc", "",
];

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

/// Every documented column name, Chinese and English.
fn column_names() -> Vec<&'static str> {
    [HOUSEHOLD_COLUMNS, GOODS_COLUMNS, SCORE_COLUMNS]
        .iter()
        .flat_map(|cols| cols.iter().flat_map(|c| [c.zh, c.en]))
        .collect()
}

/// Runs the three sheet readers on a grid and checks how each refusal names its cell.
fn read_every_way(grid: &Grid, file: &str) -> Result<(), TestCaseError> {
    let documented = column_names();
    let errors: Vec<CellError> = [
        import_rows::households(grid).err(),
        import_rows::goods(grid).err(),
        import_rows::scores(grid).err(),
    ]
    .into_iter()
    .flatten()
    .collect();
    for cell in errors {
        prop_assert!(cell.row <= grid.len(), "row {} of {}", cell.row, grid.len());
        prop_assert!(
            cell.column.is_empty() || documented.contains(&cell.column.as_str()),
            "column {:?}",
            cell.column
        );
        let message = import_problem(file, &cell);
        prop_assert!(message.contains(file), "{message}");
        if cell.row > 0 {
            prop_assert!(
                message.contains(&format!("第 {} 行", cell.row)),
                "{message}"
            );
        }
    }
    Ok(())
}

/// Decodes bytes as the importer would; a refusal must be a file error naming the file.
fn decode_and_read(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    match grid_from_bytes(name, bytes) {
        Ok(grid) => read_every_way(&grid, name),
        Err(err) => {
            prop_assert!(matches!(err, Error::File { .. }), "{err:?}");
            let message = err.to_string();
            prop_assert!(message.contains(name), "{message}");
            Ok(())
        }
    }
}

/// A byte-level mutation of a real file: what a bad USB stick, a cut download or a person
/// with a hex editor does.
#[derive(Debug, Clone)]
enum Mutation {
    Set(usize, u8),
    Delete(usize, usize),
    Insert(usize, Vec<u8>),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Set(at, b)),
        1 => (any::<usize>(), 1usize..64).prop_map(|(at, n)| Mutation::Delete(at, n)),
        1 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, b)| Mutation::Insert(at, b)),
        1 => any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(bytes: &mut Vec<u8>, mutations: &[Mutation]) {
    for m in mutations {
        let len = bytes.len().max(1);
        match m {
            Mutation::Set(at, b) if !bytes.is_empty() => bytes[at % len] = *b,
            Mutation::Delete(at, n) if !bytes.is_empty() => {
                let from = at % len;
                let to = (from + n).min(bytes.len());
                bytes.drain(from..to);
            }
            Mutation::Insert(at, new) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, new.iter().copied());
            }
            Mutation::Truncate(at) => bytes.truncate(at % len),
            _ => {}
        }
    }
}

/// Cells as villages type them: numbers in every spelling, codes, names, blanks and junk.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[0-9]{1,8}",
        1 => "-?[0-9]{1,20}(\\.[05])?",
        1 => "[０-９]{1,6}",
        1 => " ?[0-9]{1,6} ?",
        1 => Just(String::new()),
        1 => "[ \t\u{3000}]{1,3}",
        1 => "\\PC{0,12}",
        1 => "[一二三优良中差王李张青山村组]{1,4}",
        1 => prop::sample::select(vec!["户籍", "常住", "外地", "1e5", "NaN", "12.0", "9223372036854775808"])
            .prop_map(String::from),
    ]
}

/// A sheet: a header mixing documented names (some with BOM or spaces) and junk, then rows.
fn grid() -> impl Strategy<Value = Grid> {
    let header_cell = prop_oneof![
        4 => prop::sample::select(column_names()).prop_map(String::from),
        1 => prop::sample::select(column_names()).prop_map(|c| format!("\u{feff} {c} ")),
        1 => "\\PC{0,6}",
    ];
    (
        prop::collection::vec(header_cell, 0..9),
        prop::collection::vec(prop::collection::vec(cell(), 0..9), 0..8),
    )
        .prop_map(|(header, rows)| std::iter::once(header).chain(rows).collect())
}

proptest! {
    #![proptest_config(Config::with_cases(256))]

    #[test]
    fn arbitrary_bytes_under_any_name_are_decoded_or_refused_naming_the_file(
        stem in "[a-zA-Z0-9农户商品_. -]{0,12}",
        ext in prop::sample::select(EXTENSIONS),
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
    ) {
        decode_and_read(&format!("{stem}{ext}"), &bytes)?;
    }

    #[test]
    fn any_text_in_any_encoding_decodes_to_a_sheet_that_is_read_or_refused_by_cell(
        text in "(\\PC|[,\"\n\r\t])*",
        encoding in 0..4usize,
    ) {
        let bytes = match encoding {
            0 => text.as_bytes().to_vec(),
            1 => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            2 => encoding_rs::GB18030.encode(&text).0.into_owned(),
            _ => std::iter::once(0xFEFFu16)
                .chain(text.encode_utf16())
                .flat_map(u16::to_le_bytes)
                .collect(),
        };
        decode_and_read("农户.csv", &bytes)?;
    }

    #[test]
    fn arbitrary_sheets_are_read_or_refused_at_a_real_row_and_column(grid in grid()) {
        read_every_way(&grid, "表.xlsx")?;
    }

    /// Parse, don't validate: the spellings staff and Excel use for a number mean that number.
    #[test]
    fn a_number_in_any_spelling_reads_as_itself(members in 1i64..=30, spelling in 0..4usize) {
        let text = match spelling {
            0 => members.to_string(),
            1 => members.to_string().chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap()).collect(),
            2 => format!(" {members}\u{3000}"),
            _ => format!("{members}.0"),
        };
        let grid: Grid = vec![
            ["户号", "户主", "村", "村小组", "人口"].map(String::from).to_vec(),
            vec!["101001".into(), "王大山".into(), "青山村".into(), "第一组".into(), text],
        ];
        let rows = import_rows::households(&grid).unwrap();
        prop_assert_eq!(rows[0].1.household.members, members);
    }
}

proptest! {
    // Mutated real files; spreadsheets are slower to open, so fewer cases.
    #![proptest_config(Config::with_cases(96))]

    #[test]
    fn mutated_import_files_are_read_or_refused_naming_the_file(
        which in 0..5usize,
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let (name, source) = [
            ("households.csv", "households.csv"),
            ("households_gbk.csv", "households_gbk.csv"),
            ("goods.csv", "goods.csv"),
            ("goods.xlsx", "goods.xlsx"),
            ("商品.xls", "goods.xlsx"),
        ][which];
        let mut bytes = fixture_bytes(source);
        mutate(&mut bytes, &mutations);
        decode_and_read(name, &bytes)?;
    }
}

/// One keyboard event as egui delivers it: text typed, or Enter, some seconds after the last.
#[derive(Debug, Clone)]
enum Key {
    Text(String, f64),
    Enter(f64),
}

fn keys() -> impl Strategy<Value = Vec<Key>> {
    let gap = prop_oneof![4 => 0.0..0.2f64, 1 => 0.0..3.0f64, 1 => -1.0..0.0f64];
    let key = prop_oneof![
        4 => ("[0-9]{1,3}", gap.clone()).prop_map(|(t, g)| Key::Text(t, g)),
        1 => ("\\PC{1,3}", gap.clone()).prop_map(|(t, g)| Key::Text(t, g)),
        1 => gap.prop_map(Key::Enter),
    ];
    prop::collection::vec(key, 0..40)
}

fn feed(buffer: &mut ScanBuffer, keys: &[Key], mut time: f64) -> (Vec<String>, f64) {
    let mut scans = Vec::new();
    for key in keys {
        match key {
            Key::Text(text, gap) => {
                time += gap;
                buffer.push_text(text, time);
            }
            Key::Enter(gap) => {
                time += gap;
                scans.extend(buffer.enter(time));
            }
        }
    }
    (scans, time)
}

proptest! {
    #![proptest_config(Config::with_cases(512))]

    #[test]
    fn scanner_input_yields_only_digit_scans(keys in keys()) {
        let mut buffer = ScanBuffer::default();
        let (scans, _) = feed(&mut buffer, &keys, 0.0);
        for scan in scans {
            prop_assert!(scan.len() >= MIN_SCAN_LEN && scan.bytes().all(|b| b.is_ascii_digit()), "{scan:?}");
        }
        prop_assert!(buffer.pending().bytes().all(|b| b.is_ascii_digit()));
    }

    /// Whatever came before, a scanner's burst after an Enter is read exactly.
    #[test]
    fn a_burst_after_any_input_is_read_exactly(
        before in keys(),
        digits in "[0-9]{4,30}",
        gaps in prop::collection::vec(0.0..MAX_GAP_SECONDS * 0.9, 31),
    ) {
        let mut buffer = ScanBuffer::default();
        let (_, mut time) = feed(&mut buffer, &before, 0.0);
        time += 0.05;
        buffer.enter(time);
        for (c, gap) in digits.chars().zip(&gaps) {
            time += gap;
            buffer.push_text(&c.to_string(), time);
        }
        prop_assert_eq!(buffer.enter(time + 0.01), Some(digits));
        prop_assert_eq!(buffer.pending(), "");
    }

    #[test]
    fn any_scanned_text_is_a_payload_of_24_digits_or_refused(
        text in prop_oneof![
            "\\PC{0,40}",
            "[0-9０-９ \u{3000}\t\r\n]{0,40}",
            "1[0-9]{23}",
        ]
    ) {
        if let Ok(payload) = text.parse::<CardPayload>() {
            prop_assert_eq!(payload.as_str().len(), 24);
            prop_assert!(payload.as_str().bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(payload.grouped().parse::<CardPayload>(), Ok(payload.clone()));
        }
    }
}

/// At the counter, whatever is scanned is a household's card or a refusal staff can read;
/// nothing is written.
#[test]
fn any_scanned_text_at_the_counter_names_a_household_or_says_why_not() {
    let s = RefCell::new(small_store());
    {
        let mut s = s.borrow_mut();
        let manager = s.manager.clone();
        jifen::app::cards::issue_card(&mut s.db, &manager, &hh("101001"), None, t0()).unwrap();
    }
    let before = content(&s.borrow().path());
    let strategy = prop_oneof!["\\PC{0,30}", "[0-9０-９ ]{20,30}", "1[0-9]{23}"];
    let mut runner = TestRunner::new(Config::with_cases(256));
    runner
        .run(&strategy, |text| {
            let mut s = s.borrow_mut();
            match jifen::app::cards::verify_card(&mut s.db, &text) {
                Ok(holder) => prop_assert_eq!(holder.household.number.as_str(), "101001"),
                Err(err) => {
                    let refusal = err.refusal().cloned();
                    prop_assert!(
                        matches!(
                            refusal,
                            Some(
                                Refusal::CardMalformed
                                    | Refusal::CardOtherStore { .. }
                                    | Refusal::CardForged
                                    | Refusal::CardUnknown
                            )
                        ),
                        "{err:?}"
                    );
                    prop_assert!(!err.to_string().is_empty());
                }
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(content(&s.borrow().path()), before);
}

fn policy_fixture(which: usize) -> String {
    let name = ["fuling.toml", "wengyuan.toml", "zhujiajiao.toml"][which];
    std::fs::read_to_string(fixture(&format!("policies/{name}"))).unwrap()
}

/// A line-level edit of a committee's rule file: what a person editing it in Notepad does.
fn edit_policy(text: &str, edits: &[(usize, usize, &str)]) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for (kind, at, replacement) in edits {
        let len = lines.len().max(1);
        let at = at % len;
        match kind % 5 {
            0 if !lines.is_empty() => {
                lines.remove(at);
            }
            1 if !lines.is_empty() => {
                let copy = lines[at].clone();
                lines.insert(at, copy);
            }
            // Replace the first number on the line.
            2 if !lines.is_empty() => {
                let line = &lines[at];
                if let Some(start) = line.find(|c: char| c.is_ascii_digit()) {
                    let end = line[start..]
                        .find(|c: char| !c.is_ascii_digit())
                        .map_or(line.len(), |e| start + e);
                    lines[at] = format!("{}{replacement}{}", &line[..start], &line[end..]);
                }
            }
            3 => lines.insert(at, replacement.to_string()),
            _ if !lines.is_empty() => {
                let line = &lines[at];
                let cut = line
                    .char_indices()
                    .nth(line.chars().count() / 2)
                    .map_or(0, |(i, _)| i);
                lines[at] = line[..cut].to_string();
            }
            _ => {}
        }
    }
    lines.join("\n")
}

fn replacement() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "0",
        "-1",
        "101",
        "9223372036854775807",
        "-9223372036854775808",
        "99999999999999999999",
        "1e400",
        "nan",
        "\"八十\"",
        "[",
        "]]",
        "[tiers]",
        "[[tiers.levels]]",
        "name = 1",
        "unknown_key = true",
        "goods = [1002]",
        "top_n = 0",
        "x = {a = [[[[]]]]}",
    ])
}

proptest! {
    #![proptest_config(Config::with_cases(256))]

    #[test]
    fn arbitrary_rule_text_is_parsed_or_refused_with_a_reason(text in "(\\PC|\n){0,300}") {
        if let Err(reason) = VillagePolicy::parse(&text) {
            prop_assert!(!reason.trim().is_empty());
        }
    }

    #[test]
    fn edited_rule_files_are_parsed_or_refused_with_a_reason(
        which in 0..3usize,
        edits in prop::collection::vec((0..5usize, any::<usize>(), replacement()), 1..5),
    ) {
        let text = edit_policy(&policy_fixture(which), &edits);
        if let Err(reason) = VillagePolicy::parse(&text) {
            prop_assert!(!reason.trim().is_empty());
        }
    }
}

/// A rule file nested past any sense (a stack overflow here would abort the whole counter).
#[test]
fn deeply_nested_rule_text_is_refused_not_a_crash() {
    for depth in [100, 10_000] {
        let arrays = format!("name = {}{}", "[".repeat(depth), "]".repeat(depth));
        let tables = format!("name = {}{}", "{a = ".repeat(depth), "}".repeat(depth));
        assert!(VillagePolicy::parse(&arrays).is_err());
        assert!(VillagePolicy::parse(&tables).is_err());
    }
}

/// The rule files' numbers as a committee could write them.
fn rule_numbers() -> impl Strategy<Value = (i64, i64, i64, i64, i64)> {
    let n = prop_oneof![4 => -200i64..=200, 1 => any::<i64>()];
    (n.clone(), n.clone(), n.clone(), n.clone(), n)
}

proptest! {
    #![proptest_config(Config::with_cases(256))]

    /// Found here (issue 10), now fixed: rules files once parsed with prize percentages such as
    /// 125 and -25 (or an overflowing points_per_score) that later broke `jifen prizes`.
    #[test]
    fn rules_that_parse_can_be_used_without_panicking(
        (points_per_score, max_score, share, first, second) in rule_numbers(),
        households in 0usize..500,
    ) {
        let text = format!(
            "[scoring]\npoints_per_score = {points_per_score}\nmax_score = {max_score}\n\
             [annual_prize]\nshare_percent = {share}\nfirst_percent = {first}\nsecond_percent = {second}\n"
        );
        if let Ok(policy) = VillagePolicy::parse(&text) {
            for score in [0, 1, policy.scoring.max_score.min(1000)] {
                policy.points_for_score(score);
            }
            let prize = policy.annual_prize.as_ref().unwrap();
            let (a, b, c) = jifen::core::policy::prize_counts(prize, households);
            prop_assert!(a + b + c <= households);
        }
    }
}
