//! The register's command-line forms (shared/CLI.md) with concrete values, options in any order.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::*;

fn jifen(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jifen"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("JIFEN_DATA")
        .env("JIFEN_PIN", "842619")
        .output()
        .unwrap()
}

/// The PDF's text read back with poppler (pdftotext -layout).
fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("poppler-utils (pdftotext)");
    String::from_utf8(out.stdout).unwrap()
}

fn ok(data: &Path, args: &[&str]) -> String {
    let out = jifen(data, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_register_form_of_the_contract_runs_with_options_in_any_order() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    ok(data, &["demo", "--seed-only"]);
    let policy = fixture("policies/fuling.toml");
    ok(
        data,
        &[
            "--staff",
            "1",
            "policy",
            "set",
            "青山村",
            policy.to_str().unwrap(),
        ],
    );
    let items = fixture("register/fuling_items.xlsx");
    ok(
        data,
        &[
            "--staff",
            "1",
            "items",
            "import",
            items.to_str().unwrap(),
            "--year",
            "2026",
            "--village",
            "青山村",
        ],
    );
    assert!(ok(data, &["items", "show", "青山村"]).contains("助人为乐"));
    let photo = data.join("photo.jpg");
    std::fs::write(&photo, b"\xFF\xD8 yard").unwrap();
    let added = ok(
        data,
        &[
            "--staff",
            "1",
            "--json",
            "event",
            "add",
            "101001",
            "助人为乐",
            "--evidence",
            photo.to_str().unwrap(),
            "--basis",
            "vote",
            "--what",
            "帮邻居收稻谷",
            "--place",
            "第一组晒场",
            "--date",
            "2026-11-18",
        ],
    );
    let added: serde_json::Value = serde_json::from_str(&added).unwrap();
    assert_eq!(added["points"], 4);
    assert_eq!(added["evidence_sha256"].as_str().unwrap().len(), 64);
    ok(
        data,
        &[
            "--staff",
            "1",
            "event",
            "add",
            "101002",
            "12",
            "--date",
            "2026-11-20",
        ],
    );
    let review = ok(
        data,
        &[
            "--json",
            "month",
            "review",
            "--period",
            "2026-11",
            "--group",
            "青山村一组",
        ],
    );
    let review: serde_json::Value = serde_json::from_str(&review).unwrap();
    assert_eq!(review["households"][0]["total"], 4);
    let before: serde_json::Value =
        serde_json::from_str(&ok(data, &["balance", "101001", "--json"])).unwrap();
    ok(
        data,
        &[
            "--staff",
            "1",
            "month",
            "approve",
            "--approved-by",
            "王建华,李国强,赵秀英",
            "--period",
            "2026-11",
            "--group",
            "青山村/一组",
        ],
    );
    let after: serde_json::Value =
        serde_json::from_str(&ok(data, &["balance", "101001", "--json"])).unwrap();
    assert_eq!(
        after["balance_points"].as_i64().unwrap() - before["balance_points"].as_i64().unwrap(),
        4
    );
    let again = jifen(
        data,
        &[
            "--staff",
            "1",
            "month",
            "approve",
            "--group",
            "青山村/一组",
            "--period",
            "2026-11",
            "--approved-by",
            "王建华,李国强,赵秀英",
        ],
    );
    assert_eq!(again.status.code(), Some(1), "a month is approved once");
    let household = data.join("户.pdf");
    ok(
        data,
        &[
            "notice",
            "household",
            "101001",
            "--out",
            household.to_str().unwrap(),
            "--year",
            "2026",
        ],
    );
    let text = pdf_text(&household);
    assert!(
        text.contains("家庭积分情况统计表") && text.contains("第一组晒场"),
        "{text}"
    );
    let summary = data.join("组.pdf");
    ok(
        data,
        &[
            "notice",
            "group-summary",
            "--out",
            summary.to_str().unwrap(),
            "--period",
            "2026-11",
            "--group",
            "青山村一组",
        ],
    );
    let text = pdf_text(&summary);
    assert!(
        text.contains("小组家庭积分情况汇总表")
            && text.contains("光荣榜")
            && text.contains("11月18日 第一组晒场"),
        "{text}"
    );
    ok(data, &["check"]);
}
