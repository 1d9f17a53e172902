//! The redemption calendar on the command line: planning a village's days (by group, with
//! holiday moves) and showing them.

use chrono::NaiveDate;
use clap::Subcommand;
use rust_i18n::t;
use serde_json::json;

use super::days::{list, print};
use super::{Cli, CliResult, actor, now};
use crate::app;
use crate::store::Db;

#[derive(Subcommand, Debug)]
pub enum CalendarCommand {
    /// Plan a village's redemption day; --moved-from records a holiday move
    Plan {
        village: String,
        day: NaiveDate,
        /// The village groups it serves, comma-separated (default: the whole village)
        #[arg(long, default_value = "")]
        groups: String,
        #[arg(long)]
        moved_from: Option<NaiveDate>,
        #[arg(long)]
        note: Option<String>,
    },
    /// A village's redemption days in a year
    Show { village: String, year: i32 },
}

pub fn calendar(cli: &Cli, db: &mut Db, what: &CalendarCommand) -> CliResult {
    match what {
        CalendarCommand::Plan {
            village,
            day,
            groups,
            moved_from,
            note,
        } => {
            let who = actor(cli, db)?;
            let plan = app::calendar::DayPlan {
                village: village.clone(),
                day: Some(*day),
                groups: list(groups),
                moved_from: *moved_from,
                note: note.clone(),
            };
            let planned = app::calendar::plan_day(db, &who, &plan, now())?;
            print(
                cli,
                json!({ "village": village, "day": day.to_string(), "groups": planned.groups }),
                || {
                    format!(
                        "{}{}",
                        t!("days.day_planned", village = village, day = day),
                        groups_text(&planned.groups)
                    )
                },
            );
        }
        CalendarCommand::Show { village, year } => {
            let days = app::calendar::calendar(db, village, *year)?;
            print(cli, json!({ "village": village, "days": days }), || {
                days.iter()
                    .map(|d| match &d.moved_from {
                        Some(from) => t!(
                            "days.day_moved",
                            day = d.day,
                            from = from,
                            note = d.note.clone().unwrap_or_default()
                        )
                        .to_string(),
                        None => d.day.clone(),
                    } + &groups_text(&d.groups))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}

/// "（一组、二组）" after a day that serves only some groups; nothing for the whole village.
fn groups_text(groups: &[String]) -> String {
    if groups.is_empty() {
        String::new()
    } else {
        t!("days.plan_groups", groups = groups.join("、")).to_string()
    }
}
