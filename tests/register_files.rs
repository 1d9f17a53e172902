//! The register with files: the group's sheet read back as events, evidence carried by backups,
//! and a change of village rules after a month was approved.

use jifen::app::register::{self as reg, EventInput};
use jifen::app::{self, rules};
use jifen::core::register::Basis;

use crate::common::*;
use crate::register::{OCT, committee, event, register_faults, register_store};

#[test]
fn the_groups_sheet_is_written_blank_and_read_back_as_events() {
    let mut s = register_store("fuling", "fuling_items.xlsx");
    let blank = s.dir.path().join("一组10月.xlsx");
    assert_eq!(
        reg::write_group_sheet(&mut s.db, "青山村一组", OCT, &blank).unwrap(),
        2
    );
    let filled = s.dir.path().join("一组10月.csv");
    std::fs::write(
        &filled,
        "户号,户主,1.爱党爱国,2,助人为乐,37.违规办酒\n101001,王大山,√,1,4,\n101002,李秀英,√,,,√\n",
    )
    .unwrap();
    let at = chrono::NaiveDate::from_ymd_opt(2026, 10, 31);
    let events = reg::import_group_sheet(
        &mut s.db,
        &s.cashier,
        &filled,
        "青山村/一组",
        OCT,
        at,
        Basis::Onsite,
        t0(),
    )
    .unwrap();
    assert_eq!(events.len(), 5);
    let review = reg::month_review(&mut s.db, "青山村/一组", OCT).unwrap();
    assert_eq!(review.households[0].score.total, 6);
    assert_eq!(
        review.households[1].score.total, 0,
        "the negative list zeroes the month"
    );
    // A household of another group on the sheet: nothing of the sheet is recorded.
    std::fs::write(&filled, "户号,1\n101001,√\n102001,√\n").unwrap();
    let refused = reg::import_group_sheet(
        &mut s.db,
        &s.cashier,
        &filled,
        "青山村/一组",
        OCT,
        at,
        Basis::Onsite,
        t0(),
    )
    .unwrap_err()
    .to_string();
    assert!(refused.contains("102001"), "{refused}");
    assert_eq!(
        reg::month_review(&mut s.db, "青山村/一组", OCT)
            .unwrap()
            .households[0]
            .events
            .len(),
        3
    );
}

#[test]
fn a_backup_carries_the_evidence_and_a_restore_on_a_new_pc_passes_check() {
    let mut s = register_store("fuling", "fuling_items.xlsx");
    let photo = s.dir.path().join("photo.png");
    std::fs::write(&photo, b"\x89PNG a yard").unwrap();
    let mut input = EventInput::new(
        hh("101001"),
        "净化环境",
        chrono::NaiveDate::from_ymd_opt(2026, 10, 15).unwrap(),
    );
    input.evidence = Some(photo);
    reg::add_event(&mut s.db, &s.cashier, &input, t0()).unwrap();
    let stick = tempfile::tempdir().unwrap();
    app::backup::backup_to(&s.db, &stick.path().join("jifen-backup.db")).unwrap();
    assert_eq!(
        std::fs::read_dir(stick.path().join("evidence"))
            .unwrap()
            .count(),
        1
    );
    let new_pc = tempfile::tempdir().unwrap();
    let backup_file = stick.path().join("jifen-backup.db");
    app::backup::restore(
        new_pc.path(),
        &app::backup::RestoreRequest {
            file: &backup_file,
            manager: s.manager.id,
            pin: "842619",
            reason: "换了新电脑",
            confirm_loss: None,
            last_receipt: None,
        },
        t0(),
    )
    .unwrap();
    let mut restored = jifen::store::Db::open_in(new_pc.path()).unwrap();
    assert!(
        app::check::check(&mut restored).unwrap().is_empty(),
        "the photo came back with the store"
    );
}

#[test]
fn a_change_of_rules_after_approval_does_not_make_the_approved_month_fail_check() {
    let mut s = register_store("fuling", "fuling_items.xlsx");
    event(&mut s, "101001", "助人为乐", 8);
    reg::approve_month(
        &mut s.db,
        &s.manager,
        "青山村/一组",
        OCT,
        &committee(),
        None,
        t0(),
    )
    .unwrap();
    let later = at(2026, 11, 21, 9, 0);
    let text = std::fs::read_to_string(fixture("policies/wengyuan.toml")).unwrap();
    rules::set_policy(&mut s.db, &s.manager, "青山村", &text, later).unwrap();
    assert!(
        register_faults(&mut s).is_empty(),
        "October stays as credited under the rules then"
    );
}
