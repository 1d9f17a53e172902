//! Household cards: every card the project draws scans back to its payload, and a card that is
//! altered, replaced, revoked or another store's is refused with its reason.

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Output};

use jifen::app::cards::{
    GroupSpec, group_cards, issue_card, redeem_by_card, revoke_card, verify_card,
};
use jifen::core::Qty;
use jifen::core::card::{CardId, CardPayload, CardReason, CardSecret, CardSerial, StoreCode};
use jifen::core::redemption::CartLine;
use jifen::core::refusal::Refusal;
use jifen::notice::card_png::card_png;
use jifen::notice::card_sheet::{SheetTitle, cards_pdf, slot_origin};
use jifen::notice::qr::{QUIET_ZONE, QrMatrix};

use crate::common::*;

/// Every QR symbol rqrr finds in a greyscale picture, decoded.
fn decode_all(width: usize, height: usize, luma: impl Fn(usize, usize) -> u8) -> Vec<String> {
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, luma);
    image
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

fn decode_png(bytes: &[u8]) -> Vec<String> {
    let image = image::load_from_memory(bytes).unwrap().to_luma8();
    let (w, h) = (image.width() as usize, image.height() as usize);
    decode_all(w, h, |x, y| image.get_pixel(x as u32, y as u32).0[0])
}

fn refusal(result: jifen::app::Result<impl std::fmt::Debug>) -> Refusal {
    result.unwrap_err().refusal().cloned().expect("a refusal")
}

#[test]
fn the_qr_matrix_every_renderer_draws_decodes_to_the_payload() {
    let secret = CardSecret::new([5; 32]);
    let store = StoreCode::new(4821).unwrap();
    for household in [1, 42, 999_999] {
        let id = CardId::new(store, household, CardSerial::new(7).unwrap()).unwrap();
        let payload = CardPayload::issue(id, &secret);
        let matrix = QrMatrix::encode(&payload).unwrap();
        assert_eq!(matrix.width(), 21, "24 digits fit version 1");
        let scale = 4;
        let side = matrix.width_with_quiet_zone() * scale;
        let found = decode_all(side, side, |x, y| {
            let (mx, my) = (x / scale, y / scale);
            let dark = mx >= QUIET_ZONE
                && my >= QUIET_ZONE
                && matrix.is_dark(mx - QUIET_ZONE, my - QUIET_ZONE);
            if dark { 0 } else { 255 }
        });
        assert_eq!(found, vec![payload.to_string()]);
    }
}

#[test]
fn an_issued_card_png_scans_back_to_its_payload_and_verifies() {
    let mut s = small_store();
    // 刘䶮: a name whose second character only the Noto subset has.
    let issued = issue_card(&mut s.db, &s.manager, &hh("102001"), None, t0()).unwrap();
    let png = card_png(&issued.face).unwrap();
    let image = image::load_from_memory(&png).unwrap();
    assert_eq!((image.width(), image.height()), (1011, 638));
    assert_eq!(decode_png(&png), vec![issued.face.payload.to_string()]);
    let holder = verify_card(&mut s.db, issued.face.payload.as_str()).unwrap();
    assert_eq!(holder.household.head_name, "刘䶮");
    assert_eq!(holder.serial, CardSerial::FIRST);
}

#[test]
fn a_group_sheet_renders_to_pages_whose_codes_scan_back() {
    let mut s = demo_store();
    let spec: GroupSpec = "青山村/第二组".parse().unwrap();
    let group = group_cards(&mut s.db, &s.manager, &spec, true, t0()).unwrap();
    assert_eq!((group.cards.len(), group.issued), (42, 42));
    let title = SheetTitle {
        store_name: "青山河湾联合积分超市",
        what: "青山村/第二组 户卡",
        date: t0().date(),
    };
    let pdf = cards_pdf(&group.cards, &title).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sheet.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let rendered = Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-f", "2", "-l", "2"])
        .arg(&file)
        .arg(dir.path().join("page"))
        .output();
    let Ok(out) = rendered else {
        eprintln!(
            "NOTE: pdftoppm (poppler-utils) not installed: the PDF page round trip was skipped"
        );
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = image::open(dir.path().join("page-2.png"))
        .unwrap()
        .to_luma8();
    let px_per_mm = 150.0 / 25.4;
    // Each slot is cut out as the guillotine would, and must hold exactly its own card.
    for (slot, card) in group.cards[10..20].iter().enumerate() {
        let (x, y) = slot_origin(slot);
        let (left, top) = ((x * px_per_mm) as u32, (y * px_per_mm) as u32);
        let (w, h) = ((85.6 * px_per_mm) as u32, (54.0 * px_per_mm) as u32);
        let cut = image::imageops::crop_imm(&page, left, top, w, h).to_image();
        let found = decode_all(w as usize, h as usize, |x, y| {
            cut.get_pixel(x as u32, y as u32).0[0]
        });
        assert_eq!(found, vec![card.payload.to_string()], "page 2, slot {slot}");
    }
    // The Chinese is text in the PDF, rare characters included (李𠇔 lives in 青山村/第二组).
    if let Ok(text) = Command::new("pdftotext").arg(&file).arg("-").output() {
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(
            text.contains("李𠇔") && text.contains("青山村 第二组"),
            "{text}"
        );
    }
}

#[test]
fn a_replaced_card_is_refused_with_the_date_of_the_new_one() {
    let mut s = small_store();
    let first = issue_card(&mut s.db, &s.manager, &hh("101001"), None, t0()).unwrap();
    let later = at(2026, 12, 3, 10, 0);
    let second = issue_card(
        &mut s.db,
        &s.manager,
        &hh("101001"),
        Some(CardReason::Lost),
        later,
    )
    .unwrap();
    assert_eq!(second.replaced, Some(CardSerial::FIRST));
    assert_eq!(second.face.serial, CardSerial::new(2).unwrap());
    let error = verify_card(&mut s.db, first.face.payload.as_str()).unwrap_err();
    assert_eq!(
        error.refusal(),
        Some(&Refusal::CardReplaced {
            replaced_on: later.date()
        })
    );
    assert!(
        error.to_string().contains("已补办新卡（2026-12-03）"),
        "{error}"
    );
    assert!(verify_card(&mut s.db, second.face.payload.as_str()).is_ok());
    revoke_card(&mut s.db, &s.manager, &hh("101001"), "户主报失", later).unwrap();
    assert_eq!(
        refusal(verify_card(&mut s.db, second.face.payload.as_str())),
        Refusal::CardRevoked {
            revoked_on: later.date()
        }
    );
}

#[test]
fn only_a_manager_issues_and_every_issue_is_audited() {
    let mut s = small_store();
    let before = content(&s.path());
    let refused = refusal(issue_card(&mut s.db, &s.cashier, &hh("101001"), None, t0()));
    assert!(matches!(refused, Refusal::NotPermitted { .. }));
    assert_eq!(content(&s.path()), before);
    issue_card(&mut s.db, &s.manager, &hh("101001"), None, t0()).unwrap();
    let conn = s.db.connection();
    let mut stmt = conn
        .prepare("SELECT staff_id, detail FROM audit_log WHERE action = 'issue_card'")
        .unwrap();
    let audits: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(audits.len(), 1);
    assert_eq!(audits[0].0, s.manager.id.0);
    assert!(audits[0].1.contains("101001"), "{}", audits[0].1);
}

#[test]
fn the_same_household_under_another_stores_secret_is_refused() {
    let mut ours = small_store();
    let mut theirs = small_store();
    let card = issue_card(&mut theirs.db, &theirs.manager, &hh("101001"), None, t0()).unwrap();
    let ours_code: i64 = ours
        .db
        .connection()
        .query_row("SELECT store_code FROM store", [], |r| r.get(0))
        .unwrap();
    let expected = match card.face.payload.claimed().store().get() as i64 {
        code if code == ours_code => Refusal::CardForged,
        code => Refusal::CardOtherStore {
            store_code: code as u16,
        },
    };
    assert_eq!(
        refusal(verify_card(&mut ours.db, card.face.payload.as_str())),
        expected
    );
    // Even with the same store code (two stores drew the same number) the secret tells them apart.
    theirs
        .db
        .connection()
        .execute("UPDATE store SET store_code = ?1", [ours_code])
        .unwrap();
    let card = issue_card(&mut theirs.db, &theirs.manager, &hh("101001"), None, t0()).unwrap();
    assert_eq!(
        refusal(verify_card(&mut ours.db, card.face.payload.as_str())),
        Refusal::CardForged
    );
}

#[test]
fn redeeming_by_card_debits_the_household_and_a_bad_card_writes_nothing() {
    let mut s = small_store();
    let card = issue_card(&mut s.db, &s.manager, &hh("101002"), None, t0()).unwrap();
    let lines = vec![CartLine {
        code: code("1003"),
        qty: Qty(1),
    }];
    let done = redeem_by_card(
        &mut s.db,
        &s.cashier,
        card.face.payload.as_str(),
        lines.clone(),
        None,
        t0(),
    )
    .unwrap();
    assert_eq!(done.receipt.household, hh("101002"));
    assert_eq!(balance(&mut s.db, "101002"), 90);
    let via: String =
        s.db.connection()
            .query_row("SELECT via FROM redemption", [], |r| r.get(0))
            .unwrap();
    assert_eq!(via, "card");
    let mut forged = card.face.payload.to_string();
    let last = forged.pop().unwrap();
    forged.push(if last == '0' { '1' } else { '0' });
    let before = content(&s.path());
    let refused = refusal(redeem_by_card(
        &mut s.db,
        &s.cashier,
        &forged,
        lines,
        None,
        t0(),
    ));
    assert_eq!(refused, Refusal::CardForged);
    assert_eq!(content(&s.path()), before);
}

#[test]
fn no_two_households_of_the_demo_village_share_a_payload() {
    let mut s = demo_store();
    let mut payloads = HashSet::new();
    for group in [
        "青山村/第一组",
        "青山村/第二组",
        "青山村/第三组",
        "青山村/第四组",
        "河湾村/第一组",
        "河湾村/第二组",
        "河湾村/第三组",
    ] {
        let spec: GroupSpec = group.parse().unwrap();
        let found = group_cards(&mut s.db, &s.manager, &spec, true, t0()).unwrap();
        for card in found.cards {
            assert!(
                payloads.insert(card.payload.to_string()),
                "{} shared",
                card.payload
            );
        }
    }
    assert_eq!(payloads.len(), 300);
    let ambiguous = refusal(group_cards(
        &mut s.db,
        &s.manager,
        &"第一组".parse().unwrap(),
        false,
        t0(),
    ));
    assert!(matches!(ambiguous, Refusal::AmbiguousGroup { .. }));
}

fn jifen(data: &Path, pin: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jifen"));
    command
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("JIFEN_DATA");
    match pin {
        Some(pin) => command.env("JIFEN_PIN", pin),
        None => command.env_remove("JIFEN_PIN"),
    };
    command.output().unwrap()
}

#[test]
fn card_commands_keep_the_exit_code_contract() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    assert!(jifen(data, None, &["demo", "--seed-only"]).status.success());
    let png = data.join("card.png");
    let png_arg = png.to_str().unwrap();
    let first = jifen(
        data,
        Some("842619"),
        &[
            "--staff",
            "1",
            "card",
            "issue",
            "102015",
            "--out",
            png_arg,
            "--show-payload",
        ],
    );
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let old = String::from_utf8(first.stdout)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert_eq!(decode_png(&std::fs::read(&png).unwrap()), vec![old.clone()]);
    let valid = jifen(data, None, &["card", "verify", &old]);
    assert_eq!(valid.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&valid.stdout).contains("李𠇔"));

    let pdf = data.join("card.pdf");
    let second = jifen(
        data,
        Some("842619"),
        &[
            "--staff",
            "1",
            "card",
            "issue",
            "102015",
            "--out",
            pdf.to_str().unwrap(),
            "--show-payload",
        ],
    );
    assert_eq!(second.status.code(), Some(0));
    let replaced = jifen(data, None, &["card", "verify", &old]);
    assert_eq!(replaced.status.code(), Some(1));
    let reason = String::from_utf8(replaced.stderr).unwrap();
    assert!(
        reason.contains("已补办新卡") && reason.lines().count() == 1,
        "{reason}"
    );
    assert_eq!(
        jifen(data, None, &["card", "verify", "12345"])
            .status
            .code(),
        Some(1)
    );

    let new = String::from_utf8(second.stdout)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    let redeem = ["--staff", "2", "redeem", "--card", &new, "1015=1", "--json"];
    assert_eq!(jifen(data, Some("5827"), &redeem).status.code(), Some(0));
    let stale = ["--staff", "2", "redeem", "--card", &old, "1015=1"];
    assert_eq!(jifen(data, Some("5827"), &stale).status.code(), Some(1));
    let both = [
        "--staff",
        "2",
        "redeem",
        "--card",
        &new,
        "--household",
        "102015",
        "1015=1",
    ];
    assert_eq!(jifen(data, Some("5827"), &both).status.code(), Some(2));
    let sheet = data.join("group.pdf");
    let group = [
        "--staff",
        "1",
        "cards",
        "--group",
        "第一组",
        "--out",
        sheet.to_str().unwrap(),
    ];
    assert_eq!(
        jifen(data, Some("842619"), &group).status.code(),
        Some(1),
        "ambiguous group"
    );
    let group = [
        "--staff",
        "1",
        "cards",
        "--group",
        "青山村/第二组",
        "--out",
        sheet.to_str().unwrap(),
    ];
    // A sheet of cards is a sheet of credentials: a manager's PIN or nothing (issue 16).
    assert_eq!(jifen(data, None, &group).status.code(), Some(1));
    assert!(!sheet.exists());
    assert_eq!(jifen(data, Some("842619"), &group).status.code(), Some(0));
    assert!(std::fs::read(&sheet).unwrap().starts_with(b"%PDF"));
    assert_eq!(jifen(data, None, &["check"]).status.code(), Some(0));
}
