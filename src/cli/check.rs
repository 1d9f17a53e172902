//! `jifen check [--witness CODE…]`: every check, where signatures begin, who holds which key,
//! the rollbacks on record, and whether printed witness codes still match.

use rust_i18n::t;
use serde_json::json;

use super::output::print_json;
use super::{CliResult, Failure};
use crate::app;
use crate::store::Db;
use crate::store::witness::Verdict;

pub fn check(json: bool, db: &mut Db, witnesses: &[String]) -> CliResult {
    let (faults, summary) = app::check::check_with_summary(db)?;
    let verdicts = app::check::verify_witnesses(db, witnesses)?;
    let messages: Vec<String> = faults.iter().map(app::messages::fault).collect();
    let witness_failed = verdicts.iter().any(|(_, v)| *v != Verdict::Holds);
    if json {
        print_json(json!({
            "ok": faults.is_empty() && !witness_failed,
            "faults": messages,
            "signatures": summary,
            "witnesses": verdicts.iter().map(|(code, v)| json!({ "code": code, "verdict": v, "text": app::check::witness_text(code, v) })).collect::<Vec<_>>(),
        }));
    } else {
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
