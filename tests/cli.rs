//! The command-line contract (shared/CLI.md): exit codes, JSON, stderr reasons, PINs.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::*;

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

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn seeded() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = jifen(dir.path(), None, &["demo", "--seed-only"]);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

#[test]
fn redeem_balance_and_retry_through_the_command_line() {
    let dir = seeded();
    let data = dir.path();
    let before: serde_json::Value = serde_json::from_str(&stdout(&jifen(
        data,
        None,
        &["balance", "101001", "--json"],
    )))
    .unwrap();
    let before = before["balance_points"].as_i64().unwrap();
    let args = [
        "--staff",
        "2",
        "redeem",
        "--household",
        "101001",
        "1001=1",
        "1015=2",
        "--key",
        "k-1",
        "--json",
    ];
    let first = jifen(data, Some("5827"), &args);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let receipt: serde_json::Value = serde_json::from_str(&stdout(&first)).unwrap();
    assert_eq!(
        receipt["receipt_no"],
        "2026-000001".replace("2026", &chrono::Local::now().format("%Y").to_string())
    );
    let spent = receipt["points_spent"].as_i64().unwrap();
    assert_eq!(receipt["balance_after"].as_i64().unwrap(), before - spent);
    let retry: serde_json::Value =
        serde_json::from_str(&stdout(&jifen(data, Some("5827"), &args))).unwrap();
    assert_eq!(retry["replayed"], true);
    assert_eq!(retry["receipt_no"], receipt["receipt_no"]);
    let after: serde_json::Value = serde_json::from_str(&stdout(&jifen(
        data,
        None,
        &["balance", "101001", "--json"],
    )))
    .unwrap();
    assert_eq!(after["balance_points"].as_i64().unwrap(), before - spent);
    assert_eq!(jifen(data, None, &["check"]).status.code(), Some(0));
}

#[test]
fn refusals_exit_1_with_a_one_line_chinese_reason() {
    let dir = seeded();
    let data = dir.path();
    let out = jifen(
        data,
        Some("5827"),
        &["--staff", "2", "redeem", "--household", "101001", "1002=50"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("超过限量") || err.contains("库存不足") || err.contains("积分不足"),
        "{err}"
    );
    let out = jifen(data, None, &["balance", "999999"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("查无此户"));
    let out = jifen(data, None, &["--lang", "en", "balance", "999999"]);
    assert!(
        stderr(&out).contains("No such household"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_wrong_pin_is_exit_1_and_writes_no_ledger_row() {
    let dir = seeded();
    let data = dir.path();
    let ledger_before = content(&data.join("jifen.db"))
        .into_iter()
        .filter(|r| !r.starts_with("staff:"))
        .collect::<Vec<_>>();
    let out = jifen(
        data,
        Some("9999"),
        &["--staff", "2", "redeem", "--household", "101001", "1015=1"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("密码错误"));
    let ledger_after = content(&data.join("jifen.db"))
        .into_iter()
        .filter(|r| !r.starts_with("staff:"))
        .collect::<Vec<_>>();
    // The refused sign-in's audit record is the only new row (issue 16).
    let new: Vec<&String> = ledger_after
        .iter()
        .filter(|r| !ledger_before.contains(r))
        .collect();
    assert_eq!(new.len(), 1, "{new:?}");
    assert!(new[0].starts_with("audit_log:"), "{new:?}");
    assert!(ledger_before.iter().all(|r| ledger_after.contains(r)));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        jifen(
            dir.path(),
            None,
            &["redeem", "--household", "101001", "1001=abc"]
        )
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        jifen(dir.path(), None, &["no-such-command"]).status.code(),
        Some(2)
    );
}

#[test]
fn commands_on_a_folder_without_a_store_say_to_init() {
    let dir = tempfile::tempdir().unwrap();
    let out = jifen(dir.path(), None, &["balance", "101001"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("jifen init"), "{}", stderr(&out));
}

#[test]
fn check_exits_1_naming_the_entry_altered_with_sql() {
    let dir = seeded();
    let db = dir.path().join("jifen.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("DROP TRIGGER point_entry_no_update; UPDATE point_entry SET amount = amount + 1 WHERE id = 7;").unwrap();
    drop(conn);
    let out = jifen(dir.path(), None, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("积分流水 #7"), "{}", stderr(&out));
}

#[test]
fn init_then_import_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let out = jifen(
        data,
        Some("842619"),
        &[
            "init",
            "--store-name",
            "石桥村积分超市",
            "--manager-name",
            "赵强",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let id: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(id["staff_id"], 1);
    let households = fixture("households_gbk.csv");
    let out = jifen(
        data,
        Some("842619"),
        &[
            "--staff",
            "1",
            "import",
            "households",
            households.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bad = fixture("bad/households_bad_members.csv");
    let out = jifen(
        data,
        Some("842619"),
        &[
            "--staff",
            "1",
            "import",
            "households",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("第 4 行“人口”列"), "{}", stderr(&out));
    let out = jifen(data, None, &["balance", "301001"]);
    assert!(stdout(&out).contains("邓志强"));
}
