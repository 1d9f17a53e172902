//! The set-up on the command line: import previews, applied changes and opening stock.

use std::path::Path;

use jifen::store::Db;

use super::{FIRST_ROSTER, FULL_ROSTER, roster_xlsx};
use crate::common::*;

fn cli(data: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_jifen"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("JIFEN_DATA")
        .env("JIFEN_PIN", "842619")
        .output()
        .unwrap()
}

/// `import households --dry-run` prints the preview and writes nothing; `--apply-changes`
/// applies the roster's changes; `import stock` enters opening stock with its source, and the
/// stock notice shows it as the goods' 期初 with where it came from.
#[test]
fn the_command_line_previews_imports_and_enters_opening_stock_shown_on_the_notice() {
    chinese();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let out = cli(
        data,
        &[
            "init",
            "--store-name",
            "青山村积分超市",
            "--manager-name",
            "张丽",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let roster = data.join("花名册.xlsx");
    roster_xlsx(&roster, FIRST_ROSTER);
    let r = roster.to_str().unwrap();
    let dry = cli(
        data,
        &[
            "--staff",
            "1",
            "import",
            "households",
            r,
            "--village",
            "青山村",
            "--dry-run",
        ],
    );
    let shown = String::from_utf8_lossy(&dry.stdout).to_string();
    assert!(
        dry.status.success() && shown.contains("新增 5 行"),
        "{shown}"
    );
    let mut db = Db::open_in(data).unwrap();
    assert_eq!(
        jifen::app::queries::search_households(&mut db, "1", 10)
            .unwrap()
            .len(),
        0,
        "a dry run writes nothing"
    );
    drop(db);
    assert!(
        cli(
            data,
            &[
                "--staff",
                "1",
                "import",
                "households",
                r,
                "--village",
                "青山村"
            ]
        )
        .status
        .success()
    );
    let full = data.join("全.xlsx");
    roster_xlsx(&full, FULL_ROSTER);
    let f = full.to_str().unwrap();
    let dry = cli(
        data,
        &[
            "--staff",
            "1",
            "import",
            "households",
            f,
            "--village",
            "青山村",
            "--dry-run",
        ],
    );
    let shown = String::from_utf8_lossy(&dry.stdout).to_string();
    assert!(shown.contains("户主：李秀英 → 李小英"), "{shown}");
    let out = cli(
        data,
        &[
            "--staff",
            "1",
            "import",
            "households",
            f,
            "--village",
            "青山村",
            "--apply-changes",
        ],
    );
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        said.contains("新增 3 户") && said.contains("修改 2 户"),
        "{said}"
    );

    let goods = fixture("goods.csv");
    assert!(
        cli(
            data,
            &["--staff", "1", "import", "goods", goods.to_str().unwrap()]
        )
        .status
        .success()
    );
    let stock = data.join("期初库存.csv");
    std::fs::write(
        &stock,
        "编码,数量,来源\n1001,40,县供销社捐赠\n1003,12,村集体采购\n",
    )
    .unwrap();
    let out = cli(
        data,
        &["--staff", "1", "import", "stock", stock.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = cli(
        data,
        &["--staff", "1", "import", "stock", stock.to_str().unwrap()],
    );
    assert!(!again.status.success(), "opening stock is entered once");
    assert!(String::from_utf8_lossy(&again.stderr).contains("期初库存只能录一次"));

    let mut db = Db::open_in(data).unwrap();
    let period =
        jifen::core::notice_period::NoticePeriod::month_of(chrono::Local::now().date_naive());
    let request =
        jifen::app::notices::NoticeRequest::new(jifen::app::notices::NoticeKind::Stock, period);
    let doc = jifen::app::notices::document(&mut db, &request, chrono::Local::now().naive_local())
        .unwrap();
    let text = doc.all_text();
    assert!(text.contains("大米 5kg 40袋（县供销社捐赠）"), "{text}");
    let notice =
        jifen::app::notices::stock_notice(&mut db, period, chrono::Local::now().naive_local())
            .unwrap();
    let rice = notice
        .lines
        .iter()
        .find(|l| l.code.as_str() == "1001")
        .unwrap();
    assert_eq!(
        (rice.opening.0, rice.corrected.0, rice.closing.0),
        (40, 0, 40),
        "opening stock is the 期初"
    );
}
