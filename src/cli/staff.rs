//! `staff add|list|disable|enable|pin|sign-ins`: staff accounts from the command line.

use clap::Subcommand;
use rust_i18n::t;
use serde_json::json;

use super::{Cli, CliResult, actor, now, output, read_pin};
use crate::app;
use crate::core::StaffId;
use crate::core::staff::{Role, Staff};
use crate::store::Db;

#[derive(Subcommand, Debug)]
pub enum StaffCommand {
    /// Add a staff member (manager only; new PIN from $JIFEN_NEW_PIN)
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = super::parse_role)]
        role: Role,
    },
    /// List staff, disabled members included
    List,
    /// Disable a member who left (manager only): they can no longer sign in anywhere
    Disable {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Enable a disabled member again (manager only)
    Enable { id: i64 },
    /// Change your own PIN (old in $JIFEN_PIN, new in $JIFEN_NEW_PIN), or, as a manager with
    /// --staff, reset another member's (they must change it at their next sign-in)
    Pin { id: i64 },
    /// Refused sign-ins and lockouts, newest first (manager only)
    SignIns {
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

pub(super) fn staff(cli: &Cli, db: &mut Db, command: &StaffCommand) -> CliResult {
    let json = cli.json;
    match command {
        StaffCommand::Add { name, role } => {
            let actor = actor(cli, db)?;
            let pin = read_pin("JIFEN_NEW_PIN")?;
            let id = app::setup::add_staff(db, &actor, name, *role, &pin, now())?;
            output::staff_created(json, id);
        }
        StaffCommand::List => output::staff_list(
            json,
            &app::staff::list(db)?,
            &app::staff::key_fingerprints(db)?,
        ),
        StaffCommand::Disable { id, reason } => {
            let actor = actor(cli, db)?;
            let member = app::staff::disable(db, &actor, StaffId(*id), reason, now())?;
            changed(
                json,
                &member,
                t!("staff.cli.disabled", id = id, name = member.name),
            );
        }
        StaffCommand::Enable { id } => {
            let actor = actor(cli, db)?;
            let member = app::staff::enable(db, &actor, StaffId(*id), now())?;
            changed(
                json,
                &member,
                t!("staff.cli.enabled", id = id, name = member.name),
            );
        }
        StaffCommand::Pin { id } => {
            let target = StaffId(*id);
            if cli.staff.is_none_or(|s| s == *id) {
                // Your own PIN: the old one proves it is you.
                let old = read_pin("JIFEN_PIN")?;
                let new = read_pin("JIFEN_NEW_PIN")?;
                let me = app::sign_in(db, target, &old, now())?;
                app::staff::change_own_pin(db, &me, &old, &new, now())?;
                done(json, *id, "changed", t!("staff.cli.pin_changed", id = id));
            } else {
                let manager = actor(cli, db)?;
                let new = read_pin("JIFEN_NEW_PIN")?;
                app::staff::reset_pin(db, &manager, target, &new, now())?;
                done(json, *id, "reset", t!("staff.cli.pin_reset", id = id));
            }
        }
        StaffCommand::SignIns { limit } => {
            let actor = actor(cli, db)?;
            let events = app::staff::sign_in_events(db, &actor, *limit)?;
            if json {
                output::print_json(json!({ "events": events }));
            } else {
                for e in &events {
                    println!("{}", app::staff::event_text(e));
                }
            }
        }
    }
    Ok(())
}

fn changed(json: bool, member: &Staff, text: impl std::fmt::Display) {
    if json {
        output::print_json(json!({ "staff": member }));
    } else {
        println!("{text}");
    }
}

fn done(json: bool, id: i64, what: &str, text: impl std::fmt::Display) {
    if json {
        output::print_json(json!({ "staff_id": id, "pin": what }));
    } else {
        println!("{text}");
    }
}
