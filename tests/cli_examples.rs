//! The documented command lines, run for real: every example line of README.md exactly as
//! written, and every form of `shared/CLI.md` that exists today with concrete values and its
//! options in more than one order, each against its own copy of a demo store
//! (`jifen demo --seed-only --data DIR`).
//!
//! `FORMS` is a table with one row per form. An issue that adds or changes a command adds or
//! changes its row here. Forms of this round's new commands are added by their issues:
//! `staff disable|enable|pin`, `session report`, `township …`, `items import|show`,
//! `event add`, `month review|approve`, `notice household|group-summary`,
//! `household split|merge|head|move`, `import stock`, `import … --dry-run|--apply-changes`,
//! `card issue|print --show-payload`, `check --witness`, `restore … --reason --confirm-loss
//! --last-receipt`, `usb:` printer URIs. The demo's PINs live in the constants below, so a
//! change of the demo logins changes them in one place.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use tempfile::TempDir;

use crate::common::content;

const MANAGER_PIN: &str = "842619";
const CASHIER_PIN: &str = "5827";

/// The store a form runs on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum On {
    /// A copy of `jifen demo --seed-only`.
    Demo,
    /// A store just made by `init` (manager 1, no households or goods).
    Initialised,
    /// An empty folder.
    Empty,
}

/// A command run before the form, on the same store; it must succeed. `capture` keeps a field
/// of its JSON output as a `{placeholder}` for the form.
struct Before {
    pin: &'static str,
    args: &'static [&'static str],
    capture: Option<(&'static str, &'static str)>,
}

/// One documented form. Values may hold placeholders: `{out}` (a scratch folder), `{store}`
/// (the store's folder, also in `$JIFEN_DATA`), `{today}`, `{card}` (captured by a `Before`). The test runs the options as listed,
/// reversed, with the globals before the command, and around the positionals.
struct Form {
    /// The form as the documents write it.
    form: &'static str,
    on: On,
    pin: &'static str,
    env: &'static [(&'static str, &'static str)],
    before: &'static [Before],
    /// Command words (`import scores`).
    command: &'static [&'static str],
    /// Positionals, in order.
    args: &'static [&'static str],
    /// Each option with its values; global ones (`--staff`, `--json`, `--data`) included.
    options: &'static [&'static [&'static str]],
    /// Expected in stdout.
    expect: &'static str,
}

const BASE: Form = Form {
    form: "",
    on: On::Demo,
    pin: "",
    env: &[],
    before: &[],
    command: &[],
    args: &[],
    options: &[],
    expect: "",
};

const ISSUE_CARD: Before = Before {
    pin: MANAGER_PIN,
    args: &[
        "--staff",
        "1",
        "card",
        "issue",
        "101001",
        "--out",
        "{out}/before.png",
        "--show-payload",
        "--json",
    ],
    capture: Some(("card", "payload")),
};

const SET_WENGYUAN: Before = Before {
    pin: MANAGER_PIN,
    args: &[
        "--staff",
        "1",
        "policy",
        "set",
        "青山村",
        "fixtures/policies/wengyuan.toml",
    ],
    capture: None,
};

const OPEN_DAY: Before = Before {
    pin: CASHIER_PIN,
    args: &["--staff", "2", "session", "open"],
    capture: None,
};

const BACKUP: Before = Before {
    pin: "",
    args: &["backup", "--out", "{out}/backup.db"],
    capture: None,
};

static FORMS: &[Form] = &[
    // ---- shared/CLI.md, Global ----
    Form {
        form: "demo --seed-only --data DIR",
        on: On::Empty,
        command: &["demo"],
        options: &[&["--seed-only"], &["--data", "{out}/demo"]],
        expect: "演示数据已生成",
        ..BASE
    },
    Form {
        form: "jifen [--data DIR] [--lang zh|en] COMMAND",
        command: &["balance"],
        args: &["101001"],
        options: &[&["--lang", "en"], &["--data", "{store}"]],
        expect: "Household 101001",
        ..BASE
    },
    // ---- shared/CLI.md, Commands ----
    Form {
        form: "init --store-name NAME --manager-name NAME",
        on: On::Empty,
        pin: MANAGER_PIN,
        command: &["init"],
        options: &[
            &["--store-name", "石桥村积分超市"],
            &["--manager-name", "赵强"],
        ],
        ..BASE
    },
    Form {
        form: "import households FILE (.csv, GBK)",
        on: On::Initialised,
        pin: MANAGER_PIN,
        command: &["import", "households"],
        args: &["fixtures/households_gbk.csv"],
        options: &[&["--staff", "1"]],
        ..BASE
    },
    Form {
        form: "import households FILE (.csv, UTF-8)",
        on: On::Initialised,
        pin: MANAGER_PIN,
        command: &["import", "households"],
        args: &["fixtures/households.csv"],
        options: &[&["--staff", "1"], &["--json"]],
        expect: "\"rows\":300",
        ..BASE
    },
    Form {
        form: "import goods FILE (.xlsx)",
        on: On::Initialised,
        pin: MANAGER_PIN,
        command: &["import", "goods"],
        args: &["fixtures/goods.xlsx"],
        options: &[&["--staff", "1"]],
        ..BASE
    },
    Form {
        form: "import goods FILE (.csv)",
        on: On::Initialised,
        pin: MANAGER_PIN,
        command: &["import", "goods"],
        args: &["fixtures/goods.csv"],
        options: &[&["--staff", "1"]],
        ..BASE
    },
    Form {
        form: "import scores FILE --period YYYY-MM --approved-by \"NAME,NAME,NAME\"",
        pin: MANAGER_PIN,
        command: &["import", "scores"],
        args: &["fixtures/scores/2026-10.csv"],
        options: &[
            &["--period", "2026-10"],
            &["--approved-by", "王建华,李国强,赵秀英"],
            &["--staff", "1"],
        ],
        ..BASE
    },
    Form {
        form: "staff add --name N --role cashier",
        pin: MANAGER_PIN,
        env: &[("JIFEN_NEW_PIN", "6482")],
        command: &["staff", "add"],
        options: &[
            &["--name", "陈晓"],
            &["--role", "cashier"],
            &["--staff", "1"],
        ],
        ..BASE
    },
    Form {
        form: "staff add --name N --role manager|auditor",
        pin: MANAGER_PIN,
        env: &[("JIFEN_NEW_PIN", "6482")],
        command: &["staff", "add"],
        options: &[
            &["--role", "auditor"],
            &["--name", "刘会计"],
            &["--staff", "1"],
        ],
        ..BASE
    },
    Form {
        form: "receive donation --donor NAME CODE=QTY…",
        pin: CASHIER_PIN,
        command: &["receive", "donation"],
        args: &["1001=5", "1015=3"],
        options: &[&["--donor", "青山米业有限公司"], &["--staff", "2"]],
        ..BASE
    },
    Form {
        form: "receive purchase --supplier NAME --invoice NO --amount-yuan X CODE=QTY…",
        pin: MANAGER_PIN,
        command: &["receive", "purchase"],
        args: &["1001=10", "1003=4"],
        options: &[
            &["--supplier", "县供销社"],
            &["--invoice", "No.04512345"],
            &["--amount-yuan", "356.50"],
            &["--staff", "1"],
        ],
        ..BASE
    },
    Form {
        form: "adjust CODE=±QTY --reason TEXT",
        pin: MANAGER_PIN,
        command: &["adjust"],
        args: &["1001=-1", "1015=+2"],
        options: &[&["--reason", "破损报废，盘点更正"], &["--staff", "1"]],
        expect: "1001 -1",
        ..BASE
    },
    Form {
        form: "redeem --household ID CODE=QTY… [--key ID] [--printer URI] --json",
        pin: CASHIER_PIN,
        command: &["redeem"],
        args: &["1001=1", "1015=2"],
        options: &[
            &["--household", "101001"],
            &["--key", "counter1-0001"],
            &["--printer", "file:{out}/receipt.bin"],
            &["--json"],
            &["--staff", "2"],
        ],
        expect: "\"receipt_no\"",
        ..BASE
    },
    Form {
        form: "redeem --card PAYLOAD CODE=QTY…",
        pin: CASHIER_PIN,
        before: &[ISSUE_CARD],
        command: &["redeem"],
        args: &["1020=1"],
        options: &[&["--card", "{card}"], &["--staff", "2"]],
        ..BASE
    },
    Form {
        form: "balance HOUSEHOLD_ID (and --json)",
        command: &["balance"],
        args: &["101001"],
        options: &[&["--json"]],
        expect: "\"balance_points\"",
        ..BASE
    },
    Form {
        form: "stock (and --json)",
        command: &["stock"],
        options: &[&["--json"]],
        ..BASE
    },
    Form {
        form: "stock CODE",
        command: &["stock"],
        args: &["1001"],
        expect: "1001",
        ..BASE
    },
    Form {
        form: "policy show VILLAGE",
        command: &["policy", "show"],
        args: &["青山村"],
        ..BASE
    },
    Form {
        form: "policy set VILLAGE FILE.toml",
        pin: MANAGER_PIN,
        command: &["policy", "set"],
        args: &["河湾村", "fixtures/policies/fuling.toml"],
        options: &[&["--staff", "1"]],
        expect: "涪陵",
        ..BASE
    },
    Form {
        form: "ledger HOUSEHOLD_ID [--csv]",
        command: &["ledger"],
        args: &["101001"],
        options: &[&["--csv"]],
        ..BASE
    },
    Form {
        form: "card issue HOUSEHOLD_ID --out FILE.png",
        pin: MANAGER_PIN,
        command: &["card", "issue"],
        args: &["101001"],
        options: &[&["--out", "{out}/card.png"], &["--staff", "1"]],
        ..BASE
    },
    Form {
        form: "card issue HOUSEHOLD_ID --out FILE.pdf",
        pin: MANAGER_PIN,
        command: &["card", "issue"],
        args: &["102001"],
        options: &[&["--out", "{out}/card.pdf"], &["--staff", "1"]],
        ..BASE
    },
    Form {
        form: "card verify PAYLOAD",
        before: &[ISSUE_CARD],
        command: &["card", "verify"],
        args: &["{card}"],
        options: &[&["--json"]],
        expect: "101001",
        ..BASE
    },
    Form {
        form: "cards --group 村/组 --out FILE.pdf",
        before: &[ISSUE_CARD],
        pin: MANAGER_PIN,
        command: &["cards"],
        options: &[
            &["--group", "青山村/第一组"],
            &["--out", "{out}/cards.pdf"],
            &["--staff", "1"],
        ],
        ..BASE
    },
    Form {
        form: "cards --group 村组 (run together) --out FILE.pdf",
        before: &[ISSUE_CARD],
        pin: MANAGER_PIN,
        command: &["cards"],
        options: &[
            &["--group", "青山村第一组"],
            &["--out", "{out}/cards.pdf"],
            &["--staff", "1"],
        ],
        ..BASE
    },
    Form {
        form: "notice prices --period YYYY-MM --out FILE.pdf",
        command: &["notice"],
        args: &["prices"],
        options: &[&["--period", "2026-11"], &["--out", "{out}/prices.pdf"]],
        ..BASE
    },
    Form {
        form: "notice stock --period YYYY-Qn --out FILE.txt",
        command: &["notice"],
        args: &["stock"],
        options: &[&["--period", "2026-Q3"], &["--out", "{out}/stock.txt"]],
        ..BASE
    },
    Form {
        form: "notice points --period YYYY --out FILE.txt",
        command: &["notice"],
        args: &["points"],
        options: &[&["--period", "2026"], &["--out", "{out}/points.txt"]],
        ..BASE
    },
    Form {
        form: "notice redemptions --period YYYY-MM --out FILE.txt --printer URI",
        command: &["notice"],
        args: &["redemptions"],
        options: &[
            &["--period", "2026-10"],
            &["--out", "{out}/redemptions.txt"],
            &["--printer", "file:{out}/notice.bin"],
        ],
        ..BASE
    },
    Form {
        form: "session open --day D --groups G,G --on-duty NAMES (no village needs a calendar)",
        pin: CASHIER_PIN,
        command: &["session", "open"],
        options: &[
            &["--day", "{today}"],
            &["--groups", "青山村/第一组,青山村第二组"],
            &["--on-duty", "王芳,张丽"],
            &["--staff", "2"],
        ],
        ..BASE
    },
    Form {
        form: "session open --groups G (a day the calendar plans for that group)",
        pin: CASHIER_PIN,
        before: &[
            SET_WENGYUAN,
            Before {
                pin: MANAGER_PIN,
                args: &[
                    "--staff",
                    "1",
                    "calendar",
                    "plan",
                    "青山村",
                    "{today}",
                    "--groups",
                    "第一组,第二组",
                ],
                capture: None,
            },
        ],
        command: &["session", "open"],
        options: &[&["--groups", "青山村/第一组"], &["--staff", "2"]],
        ..BASE
    },
    Form {
        form: "session open --day D --reason TEXT (off the calendar, a manager)",
        pin: MANAGER_PIN,
        before: &[SET_WENGYUAN],
        command: &["session", "open"],
        options: &[
            &["--day", "{today}"],
            &["--groups", "青山村/第三组"],
            &["--reason", "镇里临时安排的集中兑换"],
            &["--staff", "1"],
        ],
        ..BASE
    },
    Form {
        form: "session close [--printer URI]",
        pin: CASHIER_PIN,
        before: &[OPEN_DAY],
        command: &["session", "close"],
        options: &[&["--printer", "file:{out}/report.bin"], &["--staff", "2"]],
        ..BASE
    },
    Form {
        form: "backup --out FILE",
        command: &["backup"],
        options: &[&["--out", "{out}/jifen-backup.db"], &["--json"]],
        ..BASE
    },
    Form {
        form: "restore FILE --staff MANAGER --reason TEXT",
        pin: MANAGER_PIN,
        before: &[BACKUP],
        command: &["restore"],
        args: &["{out}/backup.db"],
        options: &[&["--staff", "1"], &["--reason", "换硬盘后恢复"]],
        ..BASE
    },
    Form {
        form: "check",
        command: &["check"],
        options: &[&["--json"]],
        ..BASE
    },
    Form {
        form: "check --incremental",
        command: &["check"],
        options: &[&["--incremental"], &["--json"]],
        ..BASE
    },
    Form {
        form: "check --staff ID (records a signed mark)",
        pin: MANAGER_PIN,
        command: &["check"],
        options: &[&["--staff", "1"], &["--json"]],
        ..BASE
    },
    Form {
        form: "print-test --printer URI --paper 58",
        command: &["print-test"],
        options: &[&["--printer", "file:{out}/test58.bin"], &["--paper", "58"]],
        ..BASE
    },
    Form {
        form: "print-test --printer URI --paper 80",
        command: &["print-test"],
        options: &[&["--printer", "file:{out}/test80.bin"], &["--paper", "80"]],
        ..BASE
    },
    Form {
        form: "calendar plan VILLAGE DAY [--groups G,G] [--moved-from DAY]",
        pin: MANAGER_PIN,
        before: &[Before {
            pin: MANAGER_PIN,
            args: &["--staff", "1", "calendar", "plan", "青山村", "2026-12-10"],
            capture: None,
        }],
        command: &["calendar", "plan"],
        args: &["青山村", "2026-12-20"],
        options: &[
            &["--groups", "第一组,青山村/第二组"],
            &["--moved-from", "2026-12-10"],
            &["--staff", "1"],
        ],
        expect: "第一组、第二组",
        ..BASE
    },
    Form {
        form: "price set CODE POINTS --approved-by NAMES [--from YYYY-MM-DD]",
        pin: MANAGER_PIN,
        command: &["price", "set"],
        args: &["1001", "55"],
        options: &[
            &["--approved-by", "王建华,李国强,赵秀英"],
            &["--from", "2027-01-01"],
            &["--staff", "1"],
        ],
        ..BASE
    },
    // ---- README.md's command table, forms not in CLI.md ----
    Form {
        form: "staff list",
        command: &["staff", "list"],
        options: &[&["--json"]],
        ..BASE
    },
    Form {
        form: "correct HOUSEHOLD_ID -POINTS --reason TEXT --approved-by A,B,C",
        pin: MANAGER_PIN,
        command: &["correct"],
        args: &["101001", "-5"],
        options: &[
            &["--reason", "重复计分"],
            &["--approved-by", "王建华,李国强,赵秀英"],
            &["--staff", "1"],
        ],
        ..BASE
    },
    Form {
        form: "session show",
        before: &[OPEN_DAY],
        command: &["session", "show"],
        options: &[&["--json"]],
        ..BASE
    },
    Form {
        form: "calendar show VILLAGE YEAR",
        command: &["calendar", "show"],
        args: &["青山村", "2026"],
        options: &[&["--json"]],
        ..BASE
    },
    Form {
        form: "duty appoint STAFF_ID --duty D --from DAY",
        pin: MANAGER_PIN,
        command: &["duty", "appoint"],
        args: &["2"],
        options: &[
            &["--duty", "超市管理员"],
            &["--from", "2026-01-01"],
            &["--staff", "1"],
        ],
        ..BASE
    },
    Form {
        form: "dispute add HOUSEHOLD_ID --period YYYY-MM --objection TEXT",
        pin: CASHIER_PIN,
        command: &["dispute", "add"],
        args: &["101001"],
        options: &[
            &["--period", "2026-09"],
            &["--objection", "漏记了义务劳动"],
            &["--staff", "2"],
        ],
        ..BASE
    },
    Form {
        form: "export --out FILE.xlsx",
        command: &["export"],
        options: &[&["--out", "{out}/export.xlsx"]],
        ..BASE
    },
    Form {
        form: "warnings",
        command: &["warnings"],
        ..BASE
    },
];

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_jifen")
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs jifen in the repository's folder (so `fixtures/…` resolves as in the documents) on
/// the store in `data`.
fn run(data: &Path, pin: &str, env: &[(&str, &str)], args: &[String]) -> Output {
    let mut command = Command::new(bin());
    command
        .current_dir(root())
        .args(args)
        .env("JIFEN_DATA", data)
        .env_remove("JIFEN_PIN")
        .env_remove("JIFEN_NEW_PIN");
    if !pin.is_empty() {
        command.env("JIFEN_PIN", pin);
    }
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The seeded stores, made once and copied for every run.
fn template(on: On) -> &'static Path {
    static DEMO: OnceLock<TempDir> = OnceLock::new();
    static INIT: OnceLock<TempDir> = OnceLock::new();
    let make = |args: &[&str], pin: &str| {
        let dir = tempfile::tempdir().unwrap();
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let out = run(dir.path(), pin, &[], &args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        dir
    };
    match on {
        On::Demo => DEMO
            .get_or_init(|| make(&["demo", "--seed-only"], ""))
            .path(),
        On::Initialised => INIT
            .get_or_init(|| {
                make(
                    &[
                        "init",
                        "--store-name",
                        "石桥村积分超市",
                        "--manager-name",
                        "赵强",
                    ],
                    MANAGER_PIN,
                )
            })
            .path(),
        On::Empty => Path::new(""),
    }
}

fn fresh_store(on: On) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    if on != On::Empty {
        for entry in std::fs::read_dir(template(on)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
            }
        }
    }
    dir
}

fn fill(value: &str, vars: &HashMap<&str, String>) -> String {
    vars.iter().fold(value.to_string(), |v, (k, x)| {
        v.replace(&format!("{{{k}}}"), x)
    })
}

const GLOBAL: &[&str] = &["--staff", "--json", "--data", "--lang"];

/// The orders a form is run in: options as listed; reversed; globals before the command;
/// the first option before the positionals. Duplicates are dropped.
fn orders(form: &Form) -> Vec<Vec<&'static str>> {
    let flat = |opts: &[&'static [&'static str]]| -> Vec<&'static str> {
        opts.iter().flat_map(|o| o.iter().copied()).collect()
    };
    let cmd = form.command.to_vec();
    let args = form.args.to_vec();
    let opts: Vec<&'static [&'static str]> = form.options.to_vec();
    let reversed: Vec<_> = opts.iter().rev().copied().collect();
    let (globals, locals): (Vec<_>, Vec<_>) = opts.iter().partition(|o| GLOBAL.contains(&o[0]));
    let mut out = vec![
        [cmd.clone(), args.clone(), flat(&opts)].concat(),
        [cmd.clone(), flat(&reversed), args.clone()].concat(),
        [flat(&globals), cmd.clone(), args.clone(), flat(&locals)].concat(),
    ];
    if let Some((first, rest)) = opts.split_first() {
        out.push([cmd.clone(), first.to_vec(), args.clone(), flat(rest)].concat());
    }
    out.dedup();
    let mut unique: Vec<Vec<&'static str>> = Vec::new();
    for o in out {
        if !unique.contains(&o) {
            unique.push(o);
        }
    }
    unique
}

/// Runs one form in one order on a fresh store; the reason it failed, if it did.
fn run_form(form: &Form, order: &[&str]) -> Result<(), String> {
    let store = fresh_store(form.on);
    let scratch = tempfile::tempdir().unwrap();
    let mut vars: HashMap<&str, String> = HashMap::new();
    vars.insert("out", scratch.path().display().to_string());
    vars.insert("store", store.path().display().to_string());
    vars.insert("today", chrono::Local::now().date_naive().to_string());
    for before in form.before {
        let args: Vec<String> = before.args.iter().map(|a| fill(a, &vars)).collect();
        let out = run(store.path(), before.pin, &[], &args);
        if !out.status.success() {
            return Err(format!("before {args:?}: {}", text(&out.stderr)));
        }
        if let Some((name, field)) = before.capture {
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            vars.insert(name, json[field].as_str().unwrap().to_string());
        }
    }
    let args: Vec<String> = order.iter().map(|a| fill(a, &vars)).collect();
    let out = run(store.path(), form.pin, form.env, &args);
    let stdout = text(&out.stdout);
    if out.status.code() != Some(0) {
        return Err(format!(
            "jifen {} → exit {:?}: {}",
            args.join(" "),
            out.status.code(),
            text(&out.stderr).trim()
        ));
    }
    if !stdout.contains(&fill(form.expect, &vars)) {
        return Err(format!(
            "jifen {}: stdout lacks {:?}: {stdout}",
            args.join(" "),
            form.expect
        ));
    }
    Ok(())
}

#[test]
fn every_documented_form_runs_with_its_options_in_any_order() {
    let mut failures = Vec::new();
    for form in FORMS {
        let orders = orders(form);
        if form.options.len() > 1 || (!form.options.is_empty() && !form.args.is_empty()) {
            assert!(orders.len() > 1, "{}: one order only", form.form);
        }
        for order in orders {
            if let Err(e) = run_form(form, &order) {
                failures.push(format!("{}\n    {e}", form.form));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The command lines of README.md's `sh` blocks, in order, each with its line number.
fn readme_lines() -> Vec<(usize, String)> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut inside = false;
    let mut out = Vec::new();
    for (i, line) in readme.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            inside = !inside && trimmed == "```sh";
            continue;
        }
        if inside && !trimmed.is_empty() && !trimmed.starts_with('#') {
            out.push((i + 1, trimmed.to_string()));
        }
    }
    out
}

#[test]
fn every_readme_example_runs_as_written() {
    let lines = readme_lines();
    assert!(lines.len() >= 7, "README's examples were found: {lines:?}");
    // `/tmp/jifen-demo` is shared by everyone on this machine: the examples' data folder is
    // a private one instead; every other word of every line is run as written.
    let private = tempfile::tempdir().unwrap();
    let mut exported: Vec<(String, String)> = Vec::new();
    let mut ran = 0;
    for (number, line) in &lines {
        assert!(
            !line.contains(['"', '\'', '\\', '$', '|', '>']),
            "README line {number} needs a shell: teach this test to run it: {line}"
        );
        let mut words = line.split_whitespace().peekable();
        if let Some(assignment) = line.strip_prefix("export ") {
            let (k, v) = assignment.split_once('=').unwrap();
            let v = if k == "JIFEN_DATA" {
                private.path().join("jifen-demo").display().to_string()
            } else {
                v.to_string()
            };
            exported.push((k.to_string(), v));
            continue;
        }
        let mut env = exported.clone();
        while let Some(w) = words.peek() {
            match w.split_once('=') {
                Some((k, v)) if k.chars().all(|c| c.is_ascii_uppercase() || c == '_') => {
                    env.push((k.to_string(), v.to_string()));
                    words.next();
                }
                _ => break,
            }
        }
        let rest: Vec<&str> = words.collect();
        let args: Vec<&str> = match rest.as_slice() {
            // The test command itself, and `cargo run -- demo`, which opens the counter
            // window and waits for a person (`demo --seed-only` below seeds the same way).
            ["cargo", "test", ..] | ["cargo", "run", "--", "demo"] => continue,
            ["cargo", "run", "--", args @ ..] => args.to_vec(),
            ["jifen", args @ ..] => args.to_vec(),
            _ => panic!("README line {number} is not a jifen command: {line}"),
        };
        let mut command = Command::new(bin());
        command
            .current_dir(root())
            .args(&args)
            .env_remove("JIFEN_DATA")
            .env_remove("JIFEN_PIN");
        for (k, v) in &env {
            command.env(k, v);
        }
        let out = command.output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "README line {number}: {line}\n{}",
            text(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 6, "only {ran} README lines ran");
}

// Regression tests for issue 14, through the command line.

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
