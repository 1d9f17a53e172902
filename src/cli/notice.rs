//! `notice prices|stock|points|redemptions|rules --period P --out FILE.pdf|.png|.txt`: the
//! public notices (张榜公布), and a short one on the receipt printer with `--printer`.

use std::path::{Path, PathBuf};

use clap::Args;
use rust_i18n::t;
use serde_json::json;

use super::{Cli, CliResult, Failure, now, print::PrinterArgs};
use crate::app::notices::{NoticeKind, NoticeRequest, document};
use crate::app::{self, cards::GroupSpec};
use crate::core::notice_period::NoticePeriod;
use crate::notice::{notice_pdf, notice_png, notice_text};
use crate::store::Db;

#[derive(Args, Debug)]
pub struct NoticeArgs {
    /// prices (明码标价), stock (物资收支公示), points (积分公示), redemptions (家庭积分兑换表), rules (管理制度),
    /// household (家庭积分情况统计表), group-summary (小组家庭积分情况汇总表)
    pub kind: NoticeWhat,
    /// The household, for `notice household`
    pub household: Option<String>,
    /// The year, for `notice household`
    #[arg(long)]
    pub year: Option<i32>,
    /// YYYY-MM, YYYY-Qn or YYYY (default: this month)
    #[arg(long)]
    pub period: Option<NoticePeriod>,
    /// One village group for points and redemption sheets ("村/组", or the group name)
    #[arg(long, value_parser = parse_group)]
    pub group: Option<GroupSpec>,
    /// FILE.pdf (A4), FILE.png (pages for a WeChat group) or FILE.txt
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub print: PrinterArgs,
}

/// The public notices, or one of the scoring register's forms (issue 20).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeWhat {
    Public(NoticeKind),
    Household,
    GroupSummary,
}

impl std::str::FromStr for NoticeWhat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "household" => Ok(NoticeWhat::Household),
            "group-summary" => Ok(NoticeWhat::GroupSummary),
            other => other.parse().map(NoticeWhat::Public),
        }
    }
}

fn parse_group(text: &str) -> Result<GroupSpec, String> {
    text.parse::<GroupSpec>()
        .map_err(|r| app::messages::refusal(&r))
}

fn write(path: &Path, bytes: &[u8]) -> CliResult {
    std::fs::write(path, bytes).map_err(|e| Failure(format!("{}: {e}", path.display())))
}

pub fn notice(cli: &Cli, db: &mut Db, args: &NoticeArgs) -> CliResult {
    let kind = match args.kind {
        NoticeWhat::Public(kind) => kind,
        register => return super::register_forms::form_notice(cli, db, register, args),
    };
    let period = args
        .period
        .unwrap_or(NoticePeriod::Month(crate::core::Period::of(now().date())));
    let mut request = NoticeRequest::new(kind, period);
    request.group = args.group.clone();
    let doc = document(db, &request, now())?;
    let mut written = Vec::new();
    if let Some(out) = &args.out {
        let lower = out.to_string_lossy().to_lowercase();
        let fail = |e: crate::notice::NoticeError| Failure(e.to_string());
        if lower.ends_with(".pdf") {
            write(out, &notice_pdf::notice_pdf(&doc).map_err(fail)?)?;
            written.push(out.clone());
        } else if lower.ends_with(".png") {
            let pages = notice_png::notice_png_pages(&doc, 150.0).map_err(fail)?;
            for (page, path) in pages
                .iter()
                .zip(notice_png::page_file_names(out, pages.len()))
            {
                write(&path, page)?;
                written.push(path);
            }
        } else if lower.ends_with(".txt") {
            write(out, notice_text::notice_text(&doc).as_bytes())?;
            written.push(out.clone());
        } else {
            return Err(Failure(
                t!("cli.notice_format", file = out.display()).to_string(),
            ));
        }
    }
    if args.print.wanted() {
        let settings = app::settings::PrinterSettings::load(db)?
            .with_overrides(args.print.printer.as_deref(), args.print.paper)?;
        let bytes = app::printing::render_doc(&notice_text::notice_slip(&doc), &settings)?;
        app::printing::send(&settings, &bytes).map_err(|p| Failure(p.message("zh-CN")))?;
    }
    if cli.json {
        println!(
            "{}",
            json!({ "kind": kind.as_str(), "period": period.to_string(), "files": written })
        );
    } else if written.is_empty() && !args.print.wanted() {
        print!("{}", notice_text::notice_text(&doc));
    } else {
        for path in &written {
            println!("{}", t!("cli.notice_written", file = path.display()));
        }
    }
    Ok(())
}
