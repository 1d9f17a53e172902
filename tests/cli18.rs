//! Issue 18's command-line forms: `price set … --approved-by NAMES [--from D]` refuses a price
//! without an approver, and `receive purchase` refuses an invoice already recorded, keeping its
//! scan with `--invoice-file`.

use std::path::Path;
use std::process::{Command, Output};

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

fn seeded() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = jifen(dir.path(), &["demo", "--seed-only"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

#[test]
fn price_set_needs_an_approver_and_a_repeated_invoice_is_refused() {
    let dir = seeded();
    let d = dir.path();
    let no_approver = jifen(d, &["--staff", "1", "price", "set", "1001", "55"]);
    assert_eq!(no_approver.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_approver.stderr).contains("批准人"));
    let ok = jifen(
        d,
        &[
            "--staff",
            "1",
            "price",
            "set",
            "1001",
            "55",
            "--approved-by",
            "王建华,李国强",
            "--from",
            "2099-01-01",
        ],
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let scan = d.join("invoice.png");
    image::RgbImage::from_pixel(8, 8, image::Rgb([1, 2, 3]))
        .save(&scan)
        .unwrap();
    let args = |file: bool| {
        let mut a = vec![
            "--staff",
            "1",
            "receive",
            "purchase",
            "--supplier",
            "青山米业",
            "--invoice",
            "IV-0099",
            "--amount-yuan",
            "12.50",
        ];
        if file {
            a.extend(["--invoice-file", scan.to_str().unwrap()]);
        }
        a.push("1001=2");
        a.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    let first = jifen(
        d,
        &args(true).iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(std::fs::read_dir(d.join("invoices")).unwrap().count() == 1);
    let again = jifen(
        d,
        &args(false).iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("已经入过库"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
}
