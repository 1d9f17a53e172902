//! The USB way: an export file ingested at the township gives the same rows as a push, through
//! the same checks; and the CLI forms of shared/CLI.md, options in any order.

use std::process::Command;

use jifen::township::spec::Ledger;

use super::{Town, busy_store, push};

fn jifen(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_jifen"))
        .arg("--data")
        .arg(data)
        .env_remove("JIFEN_DATA")
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    serde_json::from_str(text.lines().last().unwrap_or("{}")).unwrap_or(serde_json::Value::Null)
}

#[test]
fn a_usb_export_ingested_gives_the_same_rows_as_a_push() {
    let pushed = Town::new();
    let ingested = Town::new();
    let mut a = busy_store(0);
    let url = pushed.enrol("青山河湾A");
    push(&mut a, &url).unwrap();
    let data = a.dir.path().to_path_buf();
    let file = data.join("township-export.db");
    drop(a.db);

    // At the store: the export. At the township: enrol, then ingest with the owner's login.
    let export = ok(jifen(
        &data,
        &[
            "township",
            "export",
            "--out",
            file.to_str().unwrap(),
            "--json",
        ],
    ));
    assert!(export["rows"].as_i64().unwrap() > 1000);
    let empty = tempfile::tempdir().unwrap();
    ok(jifen(
        empty.path(),
        &[
            "--json",
            "township",
            "enrol",
            "--url",
            &ingested.admin_url,
            "--store",
            "青山河湾A",
        ],
    ));
    let first = ok(jifen(
        empty.path(),
        &[
            "township",
            "ingest",
            file.to_str().unwrap(),
            "--url",
            &ingested.admin_url,
            "--store",
            "青山河湾A",
            "--json",
        ],
    ));
    assert!(first["masters_added"].as_i64().unwrap() > 0);
    for ledger in Ledger::ALL {
        let rows = ingested.rows("青山河湾A", ledger);
        assert!(!rows.is_empty());
        assert_eq!(rows, pushed.rows("青山河湾A", ledger), "{ledger:?}");
    }
    assert_eq!(ingested.masters("青山河湾A"), pushed.masters("青山河湾A"));
    // The same file again adds nothing.
    let again = ok(jifen(
        empty.path(),
        &[
            "--json",
            "township",
            "ingest",
            "--url",
            &ingested.admin_url,
            file.to_str().unwrap(),
        ],
    ));
    assert_eq!(again["masters_added"], 0);
    assert!(again["added"].as_object().unwrap().values().all(|v| v == 0));
    // No secrets leave the store in the file.
    let conn = rusqlite::Connection::open(&file).unwrap();
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('staff') UNION ALL SELECT name FROM pragma_table_info('store')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        !columns
            .iter()
            .any(|c| c == "pin_hash" || c == "card_secret"),
        "{columns:?}"
    );
}

#[test]
fn an_export_file_goes_through_the_same_fork_checks() {
    let town = Town::new();
    let mut a = busy_store(0);
    let url = town.enrol("青山河湾A");
    push(&mut a, &url).unwrap();
    let data = a.dir.path().to_path_buf();
    // A different store's file under the same enrolled name (its chains differ from entry 1).
    let other = busy_store(1);
    let file = other.dir.path().join("x.db");
    drop(other.db);
    ok(jifen(
        other.dir.path(),
        &["township", "export", "--out", file.to_str().unwrap()],
    ));
    drop(a.db);
    let _ = data;
    let refused = jifen(
        other.dir.path(),
        &["township", "ingest", file.to_str().unwrap(), "--url", &url],
    );
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("属于") || stderr.contains("改写"),
        "{stderr}"
    );
    // A file that is not an export is refused by name.
    let not_export = jifen(
        other.dir.path(),
        &[
            "township",
            "ingest",
            other.dir.path().join("jifen.db").to_str().unwrap(),
            "--url",
            &town.admin_url,
        ],
    );
    assert_eq!(not_export.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&not_export.stderr).contains("township export"));
}
