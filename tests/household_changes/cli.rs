//! The household commands as CLI.md writes them, options in any order.

use std::process::{Command, Output};

use crate::common::*;

fn jifen_cli(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jifen"))
        .arg("--data")
        .arg(data)
        .args(["--staff", "1"])
        .args(args)
        .env("JIFEN_PIN", "842619")
        .output()
        .unwrap()
}

#[test]
fn the_household_commands_work_as_cli_md_writes_them() {
    let s = small_store();
    let data = s.dir.path().to_path_buf();
    drop(s.db);
    let ok = |args: &[&str]| {
        let out = jifen_cli(&data, args);
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        text
    };
    let dry = ok(&[
        "household",
        "split",
        "101001",
        "--new-id",
        "101009",
        "--head",
        "王小山",
        "--group",
        "第一组",
        "--points",
        "30",
        "--approved-by",
        "甲,乙,丙",
        "--dry-run",
    ]);
    assert!(dry.contains("-30") && dry.contains("+30"), "{dry}");
    let card = data.join("new.png");
    let out = ok(&[
        "household",
        "split",
        "101001",
        "--points",
        "30",
        "--new-id",
        "101009",
        "--head",
        "王小山",
        "--group",
        "第一组",
        "--members",
        "3",
        "--approved-by",
        "甲,乙,丙",
        "--card-out",
        card.to_str().unwrap(),
    ]);
    assert!(out.contains("101009") && card.exists(), "{out}");
    ok(&[
        "household",
        "merge",
        "101002",
        "101001",
        "--approved-by",
        "甲,乙,丙",
    ]);
    ok(&[
        "household",
        "head",
        "101001",
        "--name",
        "王二山",
        "--reason",
        "户主变更",
    ]);
    ok(&[
        "household",
        "move",
        "101009",
        "--group",
        "第二组",
        "--reason",
        "搬家",
    ]);
    let refused = jifen_cli(
        &data,
        &[
            "household",
            "move",
            "102001",
            "--away",
            "--reason",
            "迁往县城",
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("100"));
    ok(&[
        "household",
        "move",
        "102001",
        "--reason",
        "迁往县城",
        "--away",
        "--approved-by",
        "甲,乙,丙",
    ]);
    let joined = ok(&[
        "household",
        "join",
        "109001",
        "--head",
        "陈外来",
        "--village",
        "青山村",
        "--group",
        "第二组",
        "--arrived",
        "2026-06-01",
        "--approved-by",
        "甲,乙,丙",
    ]);
    assert!(
        joined.contains("109001") && joined.contains("常住户"),
        "{joined}"
    );
    let history = ok(&["household", "history", "101001"]);
    assert!(
        history.contains("王二山") && history.contains("合户"),
        "{history}"
    );
    let refused = jifen_cli(
        &data,
        &[
            "household",
            "merge",
            "101001",
            "101009",
            "--approved-by",
            "甲,甲,乙",
        ],
    );
    assert!(!refused.status.success());
    ok(&["check"]);
}
