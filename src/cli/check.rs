//! `jifen check [--incremental] [--witness CODE…]`: every check (or, with `--incremental`,
//! only what came after the last signed mark), where signatures begin, who holds which key,
//! the rollbacks on record, and whether printed witness codes still match. A passed check run
//! with `--staff` leaves a "verified up to here" mark signed by that member.

use std::io::IsTerminal;

use rust_i18n::t;
use serde_json::json;

use super::output::print_json;
use super::{Cli, CliResult, Failure};
use crate::app;
use crate::app::check_mark::{Kind, Outcome};
use crate::store::Db;
use crate::store::check::Step;
use crate::store::witness::Verdict;

pub fn check(cli: &Cli, db: &mut Db, witnesses: &[String], incremental: bool) -> CliResult {
    let json = cli.json;
    let now = super::now();
    let outcome = if incremental {
        app::check_mark::check_incremental(db, now)?
    } else {
        full_with_progress(db, now)?
    };
    let verdicts = app::check::verify_witnesses(db, witnesses)?;
    let Outcome {
        faults,
        summary,
        kind,
        verified,
    } = &outcome;
    let messages: Vec<String> = faults.iter().map(app::messages::fault).collect();
    let witness_failed = verdicts.iter().any(|(_, v)| *v != Verdict::Holds);
    // A mark only for a check that passed, signed by the member who ran it.
    let mark = match (faults.is_empty(), cli.staff) {
        (true, Some(_)) => {
            let actor = super::actor(cli, db)?;
            app::check_mark::record_mark(db, &actor, verified, now)?.map(|id| (id, actor.id.0))
        }
        _ => None,
    };
    if json {
        print_json(json!({
            "ok": faults.is_empty() && !witness_failed,
            "faults": messages,
            "signatures": summary,
            "incremental_from": match kind { Kind::Incremental(m) => Some(m.id), Kind::Full => None },
            "mark": mark.map(|(id, _)| id),
            "witnesses": verdicts.iter().map(|(code, v)| json!({ "code": code, "verdict": v, "text": app::check::witness_text(code, v) })).collect::<Vec<_>>(),
        }));
    } else {
        match kind {
            Kind::Incremental(m) => println!(
                "{}",
                t!(
                    "check_facts.incremental_from",
                    mark = m.id,
                    at = m.checked_at,
                    staff = m.staff
                )
            ),
            Kind::Full if incremental => println!("{}", t!("check_facts.incremental_no_mark")),
            Kind::Full => {}
        }
        if faults.is_empty() {
            println!("{}", t!("cli.check_ok"));
        }
        println!(
            "{}",
            t!(
                "records.signed_from",
                points = summary.signed_from[0],
                stock = summary.signed_from[1],
                audit = summary.signed_from[2],
                count = summary.signatures
            )
        );
        if summary.attested_by.is_none() {
            println!("{}", t!("records.not_attested"));
        }
        for (staff, fingerprint) in &summary.keys {
            println!(
                "{}",
                t!("records.key_line", staff = staff, fingerprint = fingerprint)
            );
        }
        for r in &summary.rollbacks {
            println!("{}", app::check::rollback_text(r));
        }
        for (code, verdict) in &verdicts {
            let text = app::check::witness_text(code, verdict);
            if *verdict == Verdict::Holds {
                println!("{text}");
            } else {
                eprintln!("{text}");
            }
        }
        match mark {
            Some((id, staff)) => println!(
                "{}",
                t!("check_facts.mark_recorded", mark = id, staff = staff)
            ),
            None if faults.is_empty() => println!("{}", t!("check_facts.mark_not_recorded")),
            None => {}
        }
        for m in &messages {
            eprintln!("{m}");
        }
    }
    if !faults.is_empty() || witness_failed {
        let count = faults.len()
            + verdicts
                .iter()
                .filter(|(_, v)| *v != Verdict::Holds)
                .count();
        return Err(Failure(t!("cli.check_failed", count = count).into()));
    }
    Ok(())
}

/// The full check with a progress bar on stderr, drawn only when stderr is a terminal (a
/// script or a pipe gets the verdict alone).
fn full_with_progress(db: &mut Db, now: chrono::NaiveDateTime) -> CliResult<Outcome> {
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(Step::COUNT),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} {bar:30} {pos}/{len} {msg} {elapsed}",
        ) {
            bar.set_style(style);
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut progress = |step: Step| {
        bar.set_position(step.index());
        bar.set_message(step_name(step));
    };
    let outcome = app::check_mark::check_full(db, now, &mut progress);
    bar.finish_and_clear();
    Ok(outcome?)
}

fn step_name(step: Step) -> String {
    let key = match step {
        Step::File => "check_facts.step_file",
        Step::Points => "check_facts.step_points",
        Step::Stock => "check_facts.step_stock",
        Step::Redemptions => "check_facts.step_redemptions",
        Step::Register => "check_facts.step_register",
        Step::Derived => "check_facts.step_derived",
        Step::Signatures => "check_facts.step_signatures",
    };
    t!(key).into()
}
