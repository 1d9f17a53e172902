//! `household split|merge|head|move|join|history`: households that change (issue 24).
//! Each prints the entries it wrote (or, with `--dry-run`, would write) and the card it made.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use rust_i18n::t;
use serde_json::json;

use super::cards::{file_kind, save_one};
use super::{Cli, CliResult, actor, now, output};
use crate::app::cards::GroupSpec;
use crate::app::household_changes::{self as changes, ChangeDone, MoveTo, change_line};
use crate::app::{self, Error};
use crate::core::household_change::{Committee, PlannedEntry};
use crate::core::{HouseholdNo, Points};
use crate::store::Db;

#[derive(Subcommand, Debug)]
pub enum HouseholdCommand {
    /// 分户: a new household from HOUSEHOLD with the points the committee gave it (manager)
    Split {
        household: HouseholdNo,
        #[arg(long)]
        new_id: HouseholdNo,
        #[arg(long)]
        head: String,
        /// The new household's village group (村/组, or just the group in the same village)
        #[arg(long)]
        group: String,
        #[arg(long, default_value_t = 1)]
        members: i64,
        /// Points that go with the new household (0 or more, at most the balance)
        #[arg(long)]
        points: i64,
        /// The committee who decided, comma-separated (at least 3 distinct names)
        #[arg(long)]
        approved_by: String,
        #[arg(long, default_value = "")]
        reason: String,
        /// Save the new household's card: FILE.png or FILE.pdf
        #[arg(long)]
        card_out: Option<PathBuf>,
        /// Show the entries it would write and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// 合户: FROM into INTO with all its points; FROM's card stops working (manager)
    Merge {
        from: HouseholdNo,
        into: HouseholdNo,
        #[arg(long)]
        approved_by: String,
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long)]
        dry_run: bool,
    },
    /// 户主变更: same number and points, a new card with the new name (manager)
    Head {
        household: HouseholdNo,
        #[arg(long)]
        name: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        card_out: Option<PathBuf>,
    },
    /// Move to another group from a day, or away (迁出) (manager)
    Move {
        household: HouseholdNo,
        #[arg(long, conflicts_with = "away", required_unless_present = "away")]
        group: Option<String>,
        #[arg(long)]
        away: bool,
        #[arg(long)]
        reason: String,
        /// Needed to end a leaving household's remaining points
        #[arg(long)]
        approved_by: Option<String>,
        /// The day of the move (default today)
        #[arg(long)]
        on: Option<NaiveDate>,
        #[arg(long)]
        dry_run: bool,
    },
    /// A resident household (常住) joins, with its arrival date and the committee's approval
    Join {
        household: HouseholdNo,
        #[arg(long)]
        head: String,
        #[arg(long)]
        village: String,
        #[arg(long)]
        group: String,
        #[arg(long)]
        arrived: NaiveDate,
        #[arg(long)]
        approved_by: String,
        #[arg(long, default_value_t = 1)]
        members: i64,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long)]
        card_out: Option<PathBuf>,
    },
    /// Every change a household took part in
    History { household: HouseholdNo },
}

fn committee(text: &str) -> CliResult<Committee> {
    Ok(Committee::parse(text).map_err(Error::Refused)?)
}

fn group(text: &str) -> CliResult<GroupSpec> {
    Ok(text.parse::<GroupSpec>().map_err(Error::Refused)?)
}

fn print_entries(json: bool, entries: &[PlannedEntry]) {
    if json {
        println!("{}", json!({ "entries": entries }));
        return;
    }
    if entries.is_empty() {
        println!("{}", t!("households.no_entries"));
    }
    for e in entries {
        println!(
            "{}",
            t!(
                "households.entry",
                number = e.household,
                amount = format!("{:+}", e.amount.0),
                after = e.balance_after,
                reason = e.reason
            )
        );
    }
}

fn done(cli: &Cli, done: &ChangeDone, message: String, card_out: Option<&PathBuf>) -> CliResult {
    if cli.json {
        println!(
            "{}",
            json!({ "household": done.household, "entries": done.entries, "card_serial": done.card.as_ref().map(|c| c.face.serial.get()) })
        );
    } else {
        println!("{message}");
        print_entries(false, &done.entries);
    }
    if let (Some(card), Some(out)) = (&done.card, card_out) {
        output::card_issued(cli.json, card, out, false);
        save_one(&card.face, out, file_kind(out)?)?;
    }
    Ok(())
}

pub(super) fn household(cli: &Cli, db: &mut Db, command: &HouseholdCommand) -> CliResult {
    use HouseholdCommand as C;
    match command {
        C::Split {
            household,
            new_id,
            head,
            group: g,
            members,
            points,
            approved_by,
            reason,
            card_out,
            dry_run,
        } => {
            if let Some(out) = card_out {
                file_kind(out)?;
            }
            let c = committee(approved_by)?;
            if *dry_run {
                let plan = changes::preview_split(db, household, new_id, Points(*points), reason)?;
                print_entries(cli.json, &plan);
                return Ok(());
            }
            let who = actor(cli, db)?;
            let split = changes::Split {
                from: household.clone(),
                new_number: new_id.clone(),
                head_name: head.clone(),
                group: group(g)?,
                members: *members,
                points: Points(*points),
                committee: c,
                reason: reason.clone(),
            };
            let d = changes::split(db, &who, &split, now())?;
            let serial = d.card.as_ref().map_or(0, |c| c.face.serial.get());
            done(
                cli,
                &d,
                t!(
                    "households.done_split",
                    number = new_id,
                    head = d.household.head_name,
                    serial = serial
                )
                .into(),
                card_out.as_ref(),
            )
        }
        C::Merge {
            from,
            into,
            approved_by,
            reason,
            dry_run,
        } => {
            let c = committee(approved_by)?;
            if *dry_run {
                print_entries(
                    cli.json,
                    &changes::preview_merge(db, from, into, reason, now().date())?,
                );
                return Ok(());
            }
            let who = actor(cli, db)?;
            let d = changes::merge(db, &who, from, into, &c, reason, now())?;
            done(
                cli,
                &d,
                t!("households.done_merge", from = from, into = into).into(),
                None,
            )
        }
        C::Head {
            household,
            name,
            reason,
            card_out,
        } => {
            if let Some(out) = card_out {
                file_kind(out)?;
            }
            let who = actor(cli, db)?;
            let d = changes::change_head(db, &who, household, name, reason, now())?;
            let serial = d.card.as_ref().map_or(0, |c| c.face.serial.get());
            done(
                cli,
                &d,
                t!(
                    "households.done_head",
                    head = d.household.head_name,
                    serial = serial
                )
                .into(),
                card_out.as_ref(),
            )
        }
        C::Move {
            household,
            group: g,
            away,
            reason,
            approved_by,
            on,
            dry_run,
        } => {
            let c = approved_by.as_deref().map(committee).transpose()?;
            let to = match (g, away) {
                (Some(g), false) => MoveTo::Group(group(g)?),
                _ => MoveTo::Away,
            };
            if *dry_run {
                print_entries(
                    cli.json,
                    &changes::preview_move(db, household, &to, c.as_ref(), reason, now().date())?,
                );
                return Ok(());
            }
            let who = actor(cli, db)?;
            let day = on.unwrap_or_else(|| now().date());
            let order = changes::Move {
                to: to.clone(),
                reason: reason.clone(),
                committee: c,
                on: day,
            };
            let d = changes::move_household(db, &who, household, &order, now())?;
            let message = match to {
                MoveTo::Group(_) => t!(
                    "households.done_move",
                    number = household,
                    group = d.household.group,
                    day = day.to_string()
                ),
                MoveTo::Away => t!("households.done_away", number = household),
            };
            done(cli, &d, message.into(), None)
        }
        C::Join {
            household,
            head,
            village,
            group: g,
            arrived,
            approved_by,
            members,
            phone,
            reason,
            card_out,
        } => {
            if let Some(out) = card_out {
                file_kind(out)?;
            }
            let c = committee(approved_by)?;
            let who = actor(cli, db)?;
            let join = changes::Join {
                number: household.clone(),
                head_name: head.clone(),
                village: village.clone(),
                group: group(g)?,
                members: *members,
                phone: phone.clone(),
                arrived: *arrived,
                committee: c,
                reason: reason.clone(),
            };
            let d = changes::join(db, &who, &join, now())?;
            let serial = d.card.as_ref().map_or(0, |c| c.face.serial.get());
            done(
                cli,
                &d,
                t!(
                    "households.done_join",
                    number = household,
                    head = d.household.head_name,
                    serial = serial
                )
                .into(),
                card_out.as_ref(),
            )
        }
        C::History { household } => {
            let changes = app::household_changes::history(db, household)?;
            if cli.json {
                println!(
                    "{}",
                    json!(changes.iter().map(change_line).collect::<Vec<_>>())
                );
            } else {
                for c in &changes {
                    println!("{}", change_line(c));
                }
            }
            Ok(())
        }
    }
}
