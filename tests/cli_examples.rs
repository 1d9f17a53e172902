//! The documented command lines, run for real: every example line of README.md exactly as
//! written, and every form of `shared/CLI.md` that exists today with concrete values and its
//! options in more than one order, each against its own copy of a demo store
//! (`jifen demo --seed-only --data DIR`).
//!
//! `FORMS` is a table with one row per form (CLI.md's in `cli_examples/forms_cli_md.rs`,
//! README's command table's in `cli_examples/forms_readme_table.rs`). An issue that adds or
//! changes a command adds or changes its row there. Forms of this round's new commands are
//! added by their issues: `staff disable|enable|pin`, `session report`, `township …`,
//! `items import|show`, `event add`, `month review|approve`, `notice household|group-summary`,
//! `household split|merge|head|move`, `import stock`, `import … --dry-run|--apply-changes`,
//! `card issue|print --show-payload`, `check --witness`, `restore … --reason --confirm-loss
//! --last-receipt`, `usb:` printer URIs. The demo's PINs live in the constants below, so a
//! change of the demo logins changes them in one place.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;

use tempfile::TempDir;

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

mod forms_cli_md;
mod forms_readme_table;
mod issue14;
mod readme;

/// Every documented form: CLI.md's (`forms_cli_md`), then README's command table's
/// (`forms_readme_table`).
static FORMS: &[&[Form]] = &[forms_cli_md::FORMS, forms_readme_table::FORMS];

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
    for form in FORMS.iter().copied().flatten() {
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
