//! The staff's signing keys in public (issue 15): the designated-staff lines of a notice carry
//! each member's key fingerprint, and `staff list` at the counter shows the same, so a villager
//! can compare the paper on the wall with the PC.

use std::process::Command;

use jifen::app::notices::{self, NoticeKind, NoticeRequest};
use jifen::notice::notice_pdf::notice_pdf;

use crate::common::*;

/// `jifen staff list` on the store: (name, fingerprint) of each line.
fn listed_keys(data: &std::path::Path) -> Vec<(String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_jifen"))
        .arg("--data")
        .arg(data)
        .args(["staff", "list"])
        .env_remove("JIFEN_DATA")
        .env_remove("JIFEN_PIN")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols[1].to_string(), cols.last().unwrap().to_string())
        })
        .collect()
}

#[test]
fn the_notice_prints_each_members_key_fingerprint_and_staff_list_shows_the_same() {
    let mut s = demo_store();
    let listed = listed_keys(s.dir.path());
    assert_eq!(listed.len(), 3, "{listed:?}");
    for (name, key) in &listed {
        assert_eq!(
            key.len(),
            9,
            "{name}: a short fingerprint like 3F2A-9C01, got {key}"
        );
        assert_eq!(&key[4..5], "-");
    }
    let doc = notices::document(
        &mut s.db,
        &NoticeRequest::new(NoticeKind::Prices, "2026-11".parse().unwrap()),
        at(2026, 11, 21, 8, 0),
    )
    .unwrap();
    let pdf = notice_pdf(&doc).unwrap();
    let path = s.dir.path().join("prices.pdf");
    std::fs::write(&path, pdf).unwrap();
    let Ok(out) = Command::new("pdftotext").arg(&path).arg("-").output() else {
        eprintln!("note: pdftotext not found (apt-get install poppler-utils); not read back");
        return;
    };
    let text: String = String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for (name, key) in &listed {
        assert!(
            text.contains(&format!("{name}（")) && text.contains(&format!("签名钥匙{key}")),
            "the notice names {name} with key {key}: {text}"
        );
    }
    // A PIN reset gives the member a new key: the next notice and the list both change.
    let before = listed.iter().find(|(n, _)| n == "王芳").unwrap().1.clone();
    jifen::app::staff::reset_pin(
        &mut s.db,
        &s.manager,
        s.cashier.id,
        "3846",
        at(2026, 11, 22, 8, 0),
    )
    .unwrap();
    let after = listed_keys(s.dir.path());
    let now = &after.iter().find(|(n, _)| n == "王芳").unwrap().1;
    assert_ne!(now, &before);
}
