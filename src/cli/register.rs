//! The scoring register on the command line: `items import|show`, `event add|dispute|decide`,
//! `month review|approve`, and the register's two forms under `notice`.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use rust_i18n::t;
use serde_json::json;

use super::{Cli, CliResult, actor, now};
use crate::app::register::{self as reg, EventDecision, EventInput, GroupMonth};
use crate::core::register::Basis;
use crate::core::{HouseholdNo, Period};
use crate::notice::register as forms;
use crate::store::Db;

#[derive(Subcommand, Debug)]
pub enum ItemsCommand {
    /// Import a village's scoring items for a year (.xlsx or .csv: 类别, 项目, 积分内容, 分值)
    Import {
        file: PathBuf,
        #[arg(long)]
        village: String,
        #[arg(long)]
        year: i32,
    },
    /// A village's scoring items; --out FILE.xlsx exports them, FILE.pdf|.png prints the table
    Show {
        village: String,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum EventCommand {
    /// One scoring event in the register (ITEM by its number or name)
    Add {
        household: HouseholdNo,
        item: String,
        #[arg(long)]
        date: NaiveDate,
        #[arg(long)]
        place: Option<String>,
        #[arg(long)]
        what: Option<String>,
        /// declared (居民自荐), onsite (小组现场看), vote (居民一起评), recommended (组织推荐)
        #[arg(long, default_value = "onsite")]
        basis: Basis,
        /// A photo or scan, copied into the data folder with its SHA-256
        #[arg(long)]
        evidence: Option<PathBuf>,
        /// Points chosen within an item's range
        #[arg(long)]
        points: Option<i64>,
        /// The event this one corrects (before the month is approved)
        #[arg(long)]
        corrects: Option<i64>,
        /// With --corrects: the corrected event should not have been recorded
        #[arg(long, requires = "corrects")]
        withdraw: bool,
    },
    /// The group's filled-in sheet (户号, 户主, one column per item): all rows or none
    Import {
        file: PathBuf,
        #[arg(long)]
        group: String,
        #[arg(long)]
        period: Period,
        /// The date the events are recorded on (default: the month's last day, or today)
        #[arg(long)]
        date: Option<NaiveDate>,
        #[arg(long, default_value = "onsite")]
        basis: Basis,
    },
    /// A household's objection to one event
    Dispute {
        event: i64,
        #[arg(long)]
        objection: String,
    },
    /// The committee's decision on an event dispute; upheld adds the correcting event
    Decide {
        dispute: i64,
        #[arg(
            long,
            conflicts_with = "rejected",
            required_unless_present = "rejected"
        )]
        upheld: bool,
        #[arg(long)]
        rejected: bool,
        /// The item it should have been
        #[arg(long)]
        item: Option<String>,
        #[arg(long)]
        points: Option<i64>,
        /// The event should not have been recorded
        #[arg(long)]
        withdraw: bool,
        #[arg(long)]
        note: String,
        #[arg(long)]
        committee: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum MonthCommand {
    /// A village group's month: each household's events and the score the rules give
    Review {
        #[arg(long)]
        group: String,
        #[arg(long)]
        period: Period,
    },
    /// The scoring group approves the month: posts its score sheet and credits
    Approve {
        #[arg(long)]
        group: String,
        #[arg(long)]
        period: Period,
        /// At least three distinct members, comma-separated; the first is the leader
        #[arg(long)]
        approved_by: String,
        /// The leader, when not the first named
        #[arg(long)]
        leader: Option<String>,
    },
    /// The blank sheet of a group's month (.xlsx) for the scoring group to fill in on paper
    Sheet {
        #[arg(long)]
        group: String,
        #[arg(long)]
        period: Period,
        #[arg(long)]
        out: PathBuf,
    },
}

fn names(text: &str) -> Vec<String> {
    text.split([',', '，', '、'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

pub fn items(cli: &Cli, db: &mut Db, what: &ItemsCommand) -> CliResult {
    match what {
        ItemsCommand::Import {
            file,
            village,
            year,
        } => {
            let who = actor(cli, db)?;
            let table = reg::import_items(db, &who, file, village, *year, now())?;
            if cli.json {
                println!(
                    "{}",
                    json!({ "village": village, "year": year, "table": table.id, "items": table.items.len() })
                );
            } else {
                println!(
                    "{}",
                    t!(
                        "register.cli.items_imported",
                        village = village,
                        year = year,
                        items = table.items.len()
                    )
                );
            }
        }
        ItemsCommand::Show { village, out } => {
            let (village, table) = reg::show_items(db, village)?;
            if let Some(out) = out {
                let lower = out.to_string_lossy().to_lowercase();
                if lower.ends_with(".xlsx") {
                    reg::export_items(&table, out)?;
                } else {
                    let doc = forms::items_doc(&village, &table, now().date());
                    super::register_forms::write_doc(&doc, out)?;
                }
            }
            if cli.json {
                println!(
                    "{}",
                    json!({ "village": village, "year": table.year, "items": table.items })
                );
            } else if out.is_none() {
                println!(
                    "{}",
                    t!(
                        "register.cli.items_header",
                        village = village,
                        year = table.year
                    )
                );
                for i in &table.items {
                    println!(
                        "{:>3}  {}  {}  {}  {}  {}",
                        i.number,
                        i.class,
                        i.item,
                        i.name(),
                        i.points.label(i.kind),
                        i.cycle.label()
                    );
                }
            }
        }
    }
    Ok(())
}

pub fn event(cli: &Cli, db: &mut Db, what: &EventCommand) -> CliResult {
    let who = actor(cli, db)?;
    match what {
        EventCommand::Add {
            household,
            item,
            date,
            place,
            what,
            basis,
            evidence,
            points,
            corrects,
            withdraw,
        } => {
            let mut input = EventInput::new(household.clone(), item.clone(), *date);
            input.place = place.clone();
            input.what = what.clone();
            input.basis = *basis;
            input.evidence = evidence.clone();
            input.points = *points;
            input.corrects = *corrects;
            input.withdraw = *withdraw;
            let e = reg::add_event(db, &who, &input, now())?;
            if cli.json {
                println!(
                    "{}",
                    json!({ "event": e.id, "household": household.as_str(), "item": e.item_number, "points": e.points, "date": e.date, "evidence_sha256": e.evidence.as_ref().map(|v| v.sha256.clone()) })
                );
            } else {
                println!(
                    "{}",
                    t!(
                        "register.cli.event_added",
                        id = e.id,
                        household = household,
                        item = e.item_number,
                        points = e.points
                    )
                );
            }
        }
        EventCommand::Import {
            file,
            group,
            period,
            date,
            basis,
        } => {
            let events =
                reg::import_group_sheet(db, &who, file, group, *period, *date, *basis, now())?;
            let points: i64 = events.iter().map(|e| e.points).sum();
            if cli.json {
                println!("{}", json!({ "events": events.len(), "points": points }));
            } else {
                println!(
                    "{}",
                    t!(
                        "register.cli.sheet_imported",
                        events = events.len(),
                        file = file.display()
                    )
                );
            }
        }
        EventCommand::Dispute { event, objection } => {
            let id = reg::dispute_event(db, &who, *event, objection, now())?;
            if cli.json {
                println!("{}", json!({ "dispute": id, "event": event }));
            } else {
                println!("{}", t!("days.dispute_recorded", id = id));
            }
        }
        EventCommand::Decide {
            dispute,
            upheld,
            item,
            points,
            withdraw,
            note,
            committee,
            ..
        } => {
            let decision = EventDecision {
                upheld: *upheld,
                item: item.clone(),
                points: *points,
                withdraw: *withdraw,
                note: note.clone(),
                committee: names(committee),
            };
            let d = reg::decide_event_dispute(db, &who, *dispute, &decision, now())?;
            if cli.json {
                println!("{}", json!(d));
            } else {
                println!(
                    "{}",
                    t!(
                        "days.dispute_decided",
                        id = d.id,
                        decision = d.decision_words()
                    )
                );
            }
        }
    }
    Ok(())
}

pub fn month(cli: &Cli, db: &mut Db, what: &MonthCommand) -> CliResult {
    let month = match what {
        MonthCommand::Sheet { group, period, out } => {
            let households = reg::write_group_sheet(db, group, *period, out)?;
            if cli.json {
                println!("{}", json!({ "households": households, "out": out }));
            } else {
                println!("{}", t!("cli.notice_written", file = out.display()));
            }
            return Ok(());
        }
        MonthCommand::Review { group, period } => reg::month_review(db, group, *period)?,
        MonthCommand::Approve {
            group,
            period,
            approved_by,
            leader,
        } => {
            let who = actor(cli, db)?;
            reg::approve_month(
                db,
                &who,
                group,
                *period,
                &names(approved_by),
                leader.as_deref(),
                now(),
            )?
        }
    };
    print_month(cli, &month);
    Ok(())
}

fn print_month(cli: &Cli, m: &GroupMonth) {
    if cli.json {
        let households: Vec<_> = m
            .households
            .iter()
            .map(|h| json!({ "household": h.household, "head_name": h.head_name, "classes": h.score.classes, "deductions": h.score.deductions, "negative": h.score.negative, "total": h.score.total, "events": h.events }))
            .collect();
        println!(
            "{}",
            json!({ "village": m.village, "group": m.group, "period": m.period.to_string(), "approved_by": m.approved_by, "leader": m.leader, "points_total": m.points_total, "households": households })
        );
        return;
    }
    println!(
        "{}",
        t!(
            "register.cli.month_header",
            group = format!("{}/{}", m.village, m.group),
            period = m.period
        )
    );
    for h in &m.households {
        let classes: Vec<String> = m
            .classes
            .iter()
            .map(|c| {
                let v = h
                    .score
                    .classes
                    .get(c)
                    .copied()
                    .or(h.score.deductions.get(c).map(|d| -d))
                    .unwrap_or(0);
                format!("{c} {v}")
            })
            .collect();
        let flag = if h.score.negative {
            " ⚠负面清单"
        } else {
            ""
        };
        println!(
            "{}  {}  {}  = {}{}  ({})",
            h.household,
            h.head_name,
            classes.join("  "),
            h.score.total,
            flag,
            t!("register.cli.events", count = h.events.len())
        );
    }
    match &m.approved_by {
        Some(by) => println!(
            "{}",
            t!("register.cli.approved", by = by, points = m.points_total)
        ),
        None => println!("{}", t!("register.cli.not_approved")),
    }
}
