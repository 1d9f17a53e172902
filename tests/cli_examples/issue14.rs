//! Regression tests for issue 14, through the command line.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use super::{MANAGER_PIN, On, fresh_store, run, text};
use crate::common::content;

fn demo_copy() -> TempDir {
    fresh_store(On::Demo)
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|a| a.to_string()).collect()
}

fn on_hand(data: &Path, code: &str) -> i64 {
    let out = run(data, "", &[], &args(&["stock", code, "--json"]));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = json["goods"].as_array().cloned().unwrap_or_default();
    rows.iter()
        .find(|g| g["code"] == code)
        .and_then(|g| g["on_hand"].as_i64())
        .unwrap_or_else(|| panic!("no stock figure for {code}: {json}"))
}

#[test]
fn adjust_with_a_negative_quantity_then_reason_parses_and_writes_off() {
    let store = demo_copy();
    let before = on_hand(store.path(), "1001");
    let out = run(
        store.path(),
        MANAGER_PIN,
        &[],
        &args(&["--staff", "1", "adjust", "1001=-3", "--reason", "鼠咬破损"]),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(on_hand(store.path(), "1001"), before - 3);
}

#[test]
fn import_scores_for_next_month_is_refused_naming_the_month_and_writes_nothing() {
    let store = demo_copy();
    let db: PathBuf = store.path().join("jifen.db");
    let before = content(&db);
    let today = chrono::Local::now().date_naive();
    let next = jifen::core::Period::of(today).next().to_string();
    let out = run(
        store.path(),
        MANAGER_PIN,
        &[],
        &args(&[
            "--staff",
            "1",
            "import",
            "scores",
            "fixtures/scores/2026-10.csv",
            "--period",
            &next,
            "--approved-by",
            "王建华,李国强,赵秀英",
        ]),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("{next} 还没有到")), "{err}");
    assert_eq!(content(&db), before, "nothing written");
}
