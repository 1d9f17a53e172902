//! `jifen session report --day YYYY-MM-DD [--printer URI]`: a day's closing report again, from
//! the ledgers (the same lines the app shows and the printer prints).

use chrono::NaiveDate;
use serde_json::json;

use super::{Cli, CliResult, actor, now};
use crate::app;
use crate::store::Db;

pub fn report(
    cli: &Cli,
    db: &mut Db,
    day: NaiveDate,
    printer: &super::print::PrinterArgs,
) -> CliResult {
    let report = app::closing_report::day_report(db, day)?;
    if cli.json {
        let value = json!({
            "report": report,
            "households": report.households(),
            "redemptions": report.redemption_count(),
            "points": report.points().0,
            "no_card": report.no_card_count(),
            "voids": report.voids.len(),
        });
        println!("{value}");
    } else {
        println!("{}", rust_i18n::t!("dayreport.title", day = day));
        for line in report.lines(&rust_i18n::locale()) {
            println!("{line}");
        }
    }
    if printer.wanted() {
        let actor = actor(cli, db)?;
        let job = app::closing_report::queue_day_report(db, &actor, day, now())?;
        super::print::run(db, job, printer)?;
    }
    Ok(())
}
