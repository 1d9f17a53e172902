//! The rows of `FORMS` for the forms of README.md's command table that CLI.md does not list.

use super::{BASE, CASHIER_PIN, Form, MANAGER_PIN, OPEN_DAY};

pub(super) const FORMS: &[Form] = &[
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
