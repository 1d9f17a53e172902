//! Redemption days, backups, village rules, disputes and the year's end on the command line.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use rust_i18n::t;
use serde_json::json;

use super::{Cli, CliResult, Failure, actor, now};
use crate::app;
use crate::core::session::SessionReport;
use crate::core::{HouseholdNo, Period, Points};
use crate::store::Db;

#[derive(Subcommand, Debug)]
pub enum SessionCommand {
    /// Open a redemption day (兑换日)
    Open {
        /// The day (default today)
        #[arg(long)]
        day: Option<NaiveDate>,
        /// Village groups served, comma-separated (e.g. 青山村第一组,青山村第二组)
        #[arg(long, default_value = "")]
        groups: String,
        /// Staff on duty, comma-separated (default: who opens it)
        #[arg(long, default_value = "")]
        on_duty: String,
        /// A manager's written reason for opening a day the calendar does not plan
        #[arg(long)]
        reason: Option<String>,
    },
    /// Close the open redemption day: prints its report and takes a backup
    Close {
        #[command(flatten)]
        print: super::print::PrinterArgs,
    },
    /// The open redemption day and its figures so far
    Show,
    /// A day's closing report again (every redemption of that day), optionally printed
    Report {
        #[arg(long)]
        day: NaiveDate,
        #[command(flatten)]
        print: super::print::PrinterArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// A village's rules in force
    Show { village: String },
    /// Set a village's rules from a TOML file (manager only); see fixtures/policies/
    Set { village: String, file: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum DisputeCommand {
    /// Record a household's objection to a month's score
    Add {
        household_id: HouseholdNo,
        #[arg(long)]
        period: Period,
        #[arg(long)]
        objection: String,
    },
    /// The committee's decision (manager): --upheld with --points, or --rejected
    Decide {
        id: i64,
        #[arg(
            long,
            conflicts_with = "rejected",
            required_unless_present = "rejected"
        )]
        upheld: bool,
        #[arg(long)]
        rejected: bool,
        /// The correction when upheld, e.g. 5 or -3
        #[arg(long, allow_hyphen_values = true, default_value_t = 0)]
        points: i64,
        #[arg(long)]
        note: String,
        /// At least three committee members, comma-separated
        #[arg(long)]
        committee: String,
    },
    /// Disputes about a month
    List {
        #[arg(long)]
        period: Period,
    },
}

#[derive(Subcommand, Debug)]
pub enum YearEndCommand {
    /// Record that the year-end warning notice was put up (needed before the reset)
    Warning { village: String, year: i32 },
    /// Clear every balance of the village with one expiry entry each (manager)
    Reset { village: String, year: i32 },
}

pub(super) fn list(text: &str) -> Vec<String> {
    text.split([',', '，', '、'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

pub(super) fn print(cli: &Cli, value: serde_json::Value, text: impl FnOnce() -> String) {
    if cli.json {
        println!("{value}");
    } else {
        println!("{}", text());
    }
}

pub fn session(cli: &Cli, db: &mut Db, what: &SessionCommand) -> CliResult {
    match what {
        SessionCommand::Open {
            day,
            groups,
            on_duty,
            reason,
        } => {
            let actor = actor(cli, db)?;
            let day = day.unwrap_or(now().date());
            let request = app::sessions::OpenDay {
                day,
                staff_on_duty: list(on_duty),
                groups: list(groups),
                reason: reason.clone(),
            };
            let session = app::sessions::open_day(db, &actor, &request, now())?;
            print(cli, json!(session), || {
                t!("days.session_opened", day = day, id = session.id).to_string()
            });
        }
        SessionCommand::Close { print: printer } => {
            let actor = actor(cli, db)?;
            let dir = super::data_dir(cli);
            let (report, backup) = app::sessions::close_session(db, &dir, &actor, now())?;
            let backup_text = match &backup {
                Ok(info) => t!("days.backup_done", file = info.file.display()).to_string(),
                Err(e) => t!("days.backup_failed", error = e.to_string()).to_string(),
            };
            print(
                cli,
                json!({ "report": report, "backup": backup.as_ref().ok() }),
                || format!("{}\n{backup_text}", report_text(&report)),
            );
            super::print::session_report(db, &actor, report.session.id, printer)?;
        }
        SessionCommand::Report { day, print } => super::day_report::report(cli, db, *day, print)?,
        SessionCommand::Show => {
            let open = app::sessions::current_session(db)?
                .ok_or(crate::core::refusal::Refusal::NoOpenSession)
                .map_err(app::Error::from)?;
            let report = app::sessions::session_report(db, open.id, "")?;
            let flag = if open.open_past_midnight(now()) {
                t!("days.past_midnight").to_string()
            } else {
                String::new()
            };
            print(
                cli,
                json!({ "report": report, "open_past_midnight": open.open_past_midnight(now()) }),
                || format!("{}{flag}", report_text(&report)),
            );
        }
    }
    Ok(())
}

/// The closing report as plain lines (the printed version comes from the print module).
pub fn report_text(r: &SessionReport) -> String {
    let mut out = vec![
        t!("days.report_title", day = r.session.day, id = r.session.id).to_string(),
        r.session
            .off_calendar_reason
            .as_ref()
            .map(|reason| t!("days.off_calendar", reason = reason).to_string())
            .unwrap_or_default(),
        t!(
            "days.report_staff",
            staff = r.session.staff_on_duty.join("、"),
            groups = r.session.groups_served.join("、")
        )
        .to_string(),
        t!(
            "days.report_totals",
            households = r.households_served,
            redemptions = r.redemptions,
            points = r.points_redeemed
        )
        .to_string(),
    ];
    out.retain(|line| !line.is_empty());
    for g in &r.goods {
        out.push(format!(
            "  {} {} × {}  {}  → {}",
            g.code,
            g.name,
            g.qty,
            t!("ui.points", points = g.points),
            t!("days.on_hand", qty = g.on_hand_at_close)
        ));
    }
    for v in &r.voids {
        out.push(
            t!(
                "days.report_void",
                number = v.receipt_no,
                points = v.points,
                reason = v.reason,
                by = v.voided_by
            )
            .to_string(),
        );
    }
    for s in &r.per_staff {
        out.push(
            t!(
                "days.report_per_staff",
                name = s.name,
                count = s.redemptions,
                points = s.points
            )
            .to_string(),
        );
    }
    out.join("\n")
}

pub fn backup(cli: &Cli, db: &mut Db, out: &std::path::Path) -> CliResult {
    let info = app::backup::backup_to(db, out)?;
    print(cli, json!(info), || {
        t!("days.backup_done", file = info.file.display()).to_string()
    });
    Ok(())
}

/// Restores a backup over the data folder's store; runs with no connection open.
pub fn restore(
    cli: &Cli,
    file: &std::path::Path,
    reason: &str,
    confirm_loss: Option<i64>,
    last_receipt: Option<&str>,
) -> CliResult {
    let dir = super::data_dir(cli);
    let manager = cli
        .staff
        .ok_or_else(|| Failure(t!("cli.staff_missing").into()))?;
    let last_receipt = match last_receipt {
        Some(text) => Some(
            text.parse()
                .map_err(|_| Failure(t!("records.bad_receipt_no", value = text).into()))?,
        ),
        None => None,
    };
    let pin = super::read_pin("JIFEN_PIN")?;
    let request = app::backup::RestoreRequest {
        file,
        manager: crate::core::StaffId(manager),
        pin: &pin,
        reason,
        confirm_loss,
        last_receipt,
    };
    let restored = app::backup::restore(&dir, &request, now())?;
    let kept = restored
        .replaced
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    print(cli, json!(restored), || {
        t!("days.restored", file = file.display(), kept = kept).to_string()
    });
    Ok(())
}

pub fn policy(cli: &Cli, db: &mut Db, what: &PolicyCommand) -> CliResult {
    match what {
        PolicyCommand::Show { village } => {
            let (policy, text) = app::rules::show_policy(db, village)?;
            print(
                cli,
                json!({ "village": village, "policy": policy, "toml": text }),
                || {
                    if text.is_empty() {
                        t!("days.policy_default", village = village).to_string()
                    } else {
                        text.clone()
                    }
                },
            );
        }
        PolicyCommand::Set { village, file } => {
            let actor = actor(cli, db)?;
            let text = std::fs::read_to_string(file)
                .map_err(|e| Failure(format!("{}: {e}", file.display())))?;
            let policy = app::rules::set_policy(db, &actor, village, &text, now())?;
            print(cli, json!({ "village": village, "policy": policy }), || {
                t!("days.policy_set", village = village, name = policy.name).to_string()
            });
        }
    }
    Ok(())
}

pub fn dispute(cli: &Cli, db: &mut Db, what: &DisputeCommand) -> CliResult {
    match what {
        DisputeCommand::Add {
            household_id,
            period,
            objection,
        } => {
            let actor = actor(cli, db)?;
            let id =
                app::disputes::record_dispute(db, &actor, household_id, *period, objection, now())?;
            print(cli, json!({ "dispute": id }), || {
                t!("days.dispute_recorded", id = id).to_string()
            });
        }
        DisputeCommand::Decide {
            id,
            upheld,
            points,
            note,
            committee,
            ..
        } => {
            let actor = actor(cli, db)?;
            let decision = app::disputes::Decision {
                upheld: *upheld,
                change: Points(*points),
                note: note.clone(),
                committee: list(committee),
            };
            let d = app::disputes::decide_dispute(db, &actor, *id, &decision, now())?;
            print(cli, json!(d), || {
                t!(
                    "days.dispute_decided",
                    id = d.id,
                    decision = d.decision_words()
                )
                .to_string()
            });
        }
        DisputeCommand::List { period } => {
            let all = app::disputes::disputes_for_period(db, *period)?;
            print(cli, json!({ "disputes": all }), || {
                all.iter()
                    .map(|d| {
                        format!(
                            "#{} {} {} {} {}",
                            d.id,
                            d.household,
                            d.objection,
                            d.decision.clone().unwrap_or_default(),
                            d.decision_note.clone().unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}

pub fn year_end(cli: &Cli, db: &mut Db, what: &YearEndCommand) -> CliResult {
    let actor = actor(cli, db)?;
    match what {
        YearEndCommand::Warning { village, year } => {
            app::rules::record_reset_warning(db, &actor, village, *year, now())?;
            print(cli, json!({ "village": village, "year": year }), || {
                t!("days.warning_recorded", village = village, year = year).to_string()
            });
        }
        YearEndCommand::Reset { village, year } => {
            let count = app::rules::year_end_reset(db, &actor, village, *year, now())?;
            print(
                cli,
                json!({ "village": village, "year": year, "households": count }),
                || {
                    t!(
                        "days.reset_done",
                        village = village,
                        year = year,
                        count = count
                    )
                    .to_string()
                },
            );
        }
    }
    Ok(())
}

pub fn prizes(cli: &Cli, db: &mut Db, village: &str, year: i32) -> CliResult {
    let winners = app::rules::annual_prizes(db, village, year)?;
    print(
        cli,
        json!({ "village": village, "year": year, "winners": winners }),
        || {
            winners
                .iter()
                .map(|w| {
                    t!(
                        "days.prize_line",
                        group = w.group,
                        prize = w.prize,
                        household = w.household,
                        head = w.head_name,
                        score = w.year_score
                    )
                    .to_string()
                })
                .collect::<Vec<_>>()
                .join("\n")
        },
    );
    Ok(())
}

#[derive(Subcommand, Debug)]
pub enum DutyCommand {
    /// Put a staff member in charge of a duty from a date (manager): 专人管理
    Appoint {
        staff_id: i64,
        #[arg(long)]
        duty: String,
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        to: Option<NaiveDate>,
    },
    /// Who is in charge on a day (default today)
    Show {
        #[arg(long)]
        date: Option<NaiveDate>,
    },
}

pub fn duty(cli: &Cli, db: &mut Db, what: &DutyCommand) -> CliResult {
    match what {
        DutyCommand::Appoint {
            staff_id,
            duty,
            from,
            to,
        } => {
            let who = actor(cli, db)?;
            let id = app::duty::appoint(
                db,
                &who,
                crate::core::StaffId(*staff_id),
                duty,
                *from,
                *to,
                now(),
            )?;
            print(cli, json!({ "appointment": id }), || {
                t!("days.appointed", id = id).to_string()
            });
        }
        DutyCommand::Show { date } => {
            let day = date.unwrap_or(now().date());
            let all = app::duty::in_charge_on(db, day)?;
            print(
                cli,
                json!({ "date": day.to_string(), "in_charge": all }),
                || {
                    all.iter()
                        .map(|a| format!("{} {}（{} 起）", a.duty, a.staff, a.from))
                        .collect::<Vec<_>>()
                        .join("\n")
                },
            );
        }
    }
    Ok(())
}

pub fn export(cli: &Cli, db: &mut Db, out: &std::path::Path) -> CliResult {
    let summary = app::export::export_xlsx(db, out, now().date())?;
    print(cli, json!(summary), || {
        t!(
            "days.exported",
            file = out.display(),
            households = summary.households,
            entries = summary.point_entries
        )
        .to_string()
    });
    Ok(())
}
