//! The scoring register's forms on the command line: `notice household HOUSEHOLD --year YYYY`
//! (家庭积分情况统计表), `notice group-summary --group G --period YYYY-MM` (小组家庭积分情况汇总表),
//! and the items table, as PDF, PNG pages or text.

use std::path::Path;

use rust_i18n::t;
use serde_json::json;

use super::{Cli, CliResult, Failure, now};
use crate::app::register as reg;
use crate::core::{HouseholdNo, Period};
use crate::notice::{notice_pdf, notice_png, register as forms};
use crate::store::Db;

fn write(path: &Path, bytes: &[u8]) -> CliResult {
    std::fs::write(path, bytes).map_err(|e| Failure(format!("{}: {e}", path.display())))
}

pub(super) fn write_doc(doc: &crate::notice::document::NoticeDoc, out: &Path) -> CliResult {
    let lower = out.to_string_lossy().to_lowercase();
    let fail = |e: crate::notice::NoticeError| Failure(e.to_string());
    if lower.ends_with(".pdf") {
        write(out, &notice_pdf::notice_pdf(doc).map_err(fail)?)
    } else if lower.ends_with(".png") {
        let pages = notice_png::notice_png_pages(doc, 150.0).map_err(fail)?;
        for (page, path) in pages
            .iter()
            .zip(notice_png::page_file_names(out, pages.len()))
        {
            write(&path, page)?;
        }
        Ok(())
    } else if lower.ends_with(".txt") {
        write(out, crate::notice::notice_text::notice_text(doc).as_bytes())
    } else {
        Err(Failure(
            t!("cli.notice_format", file = out.display()).to_string(),
        ))
    }
}

/// `notice household …` and `notice group-summary …`.
pub fn form_notice(
    cli: &Cli,
    db: &mut Db,
    what: super::notice::NoticeWhat,
    args: &super::notice::NoticeArgs,
) -> CliResult {
    use super::notice::NoticeWhat;
    let out = args.out.as_deref();
    match what {
        NoticeWhat::Household => {
            let household = args
                .household
                .as_deref()
                .ok_or_else(|| Failure(t!("register.cli.household_needed").into()))?;
            let year = args
                .year
                .unwrap_or_else(|| chrono::Datelike::year(&now().date()));
            household_notice(cli, db, household, year, out)
        }
        NoticeWhat::GroupSummary => {
            let group = args
                .group
                .as_ref()
                .ok_or_else(|| Failure(t!("register.cli.group_needed").into()))?;
            let group = match &group.village {
                Some(v) => format!("{v}/{}", group.group),
                None => group.group.clone(),
            };
            let period = match args.period {
                None => Period::of(now().date()),
                Some(crate::core::notice_period::NoticePeriod::Month(p)) => p,
                Some(other) => {
                    return Err(Failure(
                        t!("register.cli.month_needed", period = other).into(),
                    ));
                }
            };
            group_notice(cli, db, &group, period, out)
        }
        NoticeWhat::Public(_) => unreachable!("public notices are drawn by cli::notice"),
    }
}

/// `notice household HOUSEHOLD --year YYYY --out FILE` (家庭积分情况统计表).
fn household_notice(
    cli: &Cli,
    db: &mut Db,
    household: &str,
    year: i32,
    out: Option<&Path>,
) -> CliResult {
    let number: HouseholdNo = household
        .parse()
        .map_err(|_| Failure(t!("register.cli.bad_household", value = household).into()))?;
    let year_data = reg::household_year(db, &number, year)?;
    let doc = forms::household_doc(&year_data, now().date());
    finish(cli, &doc, out, "household")
}

/// `notice group-summary --group G --period YYYY-MM --out FILE` (小组家庭积分情况汇总表).
fn group_notice(
    cli: &Cli,
    db: &mut Db,
    group: &str,
    period: Period,
    out: Option<&Path>,
) -> CliResult {
    let summary = reg::group_summary(db, group, period)?;
    let doc = forms::group_summary_doc(
        &summary,
        crate::app::notices::HONOUR_ROLL_SIZE,
        now().date(),
    );
    finish(cli, &doc, out, "group-summary")
}

fn finish(
    cli: &Cli,
    doc: &crate::notice::document::NoticeDoc,
    out: Option<&Path>,
    kind: &str,
) -> CliResult {
    match out {
        Some(out) => {
            write_doc(doc, out)?;
            if cli.json {
                println!("{}", json!({ "kind": kind, "files": [out] }));
            } else {
                println!("{}", t!("cli.notice_written", file = out.display()));
            }
        }
        None => print!("{}", crate::notice::notice_text::notice_text(doc)),
    }
    Ok(())
}
