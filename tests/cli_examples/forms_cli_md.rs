//! The rows of `FORMS` for the forms of `shared/CLI.md` (Global, then Commands), each with
//! concrete values.

use super::{
    BACKUP, BASE, Before, CASHIER_PIN, Form, ISSUE_CARD, MANAGER_PIN, OPEN_DAY, On, SET_WENGYUAN,
};

pub(super) const FORMS: &[Form] = &[
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
];
