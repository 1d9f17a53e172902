//! The words of household changes: a household's history, the notice's 变动情况, refusals.

use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;
use rust_i18n::t;

use super::find;
use crate::app::Result;
use crate::core::HouseholdNo;
use crate::core::household_change::{ChangeKind, ChangeRefusal};
use crate::core::notices::ChangeLine;
use crate::core::refusal::Refusal;
use crate::store::Db;
use crate::store::transfers;

/// A household's changes, for its ledger and statistics pages.
pub fn history(db: &mut Db, number: &HouseholdNo) -> Result<Vec<transfers::StoredChange>> {
    db.read(|tx| {
        let found = find(tx, number)?;
        Ok(transfers::changes_of(tx, found.id)?)
    })
}

/// What a change did, worded for the board or a household's history, in `locale`.
pub fn change_what(c: &transfers::StoredChange, locale: &str) -> String {
    let points = c.points.unwrap_or(0);
    let other = c.other_no.clone().unwrap_or_default();
    let before = c.before.clone().unwrap_or_default();
    let after = c.after.clone().unwrap_or_default();
    match c.kind {
        ChangeKind::Split => t!(
            "households.line_split",
            locale = locale,
            new = other,
            head = after,
            points = points
        ),
        ChangeKind::Merge => t!(
            "households.line_merge",
            locale = locale,
            into = other,
            points = points
        ),
        ChangeKind::Head => t!(
            "households.line_head",
            locale = locale,
            before = before,
            after = after
        ),
        ChangeKind::MoveGroup => t!(
            "households.line_move",
            locale = locale,
            before = before,
            after = after
        ),
        ChangeKind::MoveAway if points > 0 => t!(
            "households.line_away_ended",
            locale = locale,
            points = points
        ),
        ChangeKind::MoveAway => t!("households.line_away", locale = locale),
        ChangeKind::Join => t!("households.line_join", locale = locale),
    }
    .into()
}

/// One line of a household's history: day, household, what changed, why, who approved.
pub fn change_line(c: &transfers::StoredChange) -> String {
    let locale = rust_i18n::locale();
    let approved = match c.approved_by.as_deref() {
        None | Some("") => String::new(),
        Some(names) => t!("households.line_approved", names = names).into(),
    };
    t!(
        "households.line",
        day = c.effective_on.to_string(),
        number = c.household_no,
        head = c.head_name,
        what = change_what(c, &locale),
        reason = c.reason,
        approved = approved
    )
    .into()
}

/// The changes of a notice's period, each with the group the household was in on its day:
/// (group id, village, group, line).
pub fn notice_changes(
    tx: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    locale: &str,
) -> Result<Vec<(i64, String, String, crate::core::notices::ChangeLine)>> {
    let mut out = Vec::new();
    for c in transfers::changes_between(tx, from, to)? {
        // A move is listed under the group the household left, where the board was read.
        let day = if c.kind == ChangeKind::MoveGroup {
            c.effective_on.pred_opt().unwrap_or(c.effective_on)
        } else {
            c.effective_on
        };
        let group_id = transfers::group_at(tx, c.household_id, day)?;
        let (village, group): (String, String) = tx.query_row(
            "SELECT v.name, g.name FROM village_group g JOIN village v ON v.id = g.village_id WHERE g.id = ?1",
            [group_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        out.push((group_id, village, group, notice_line(&c, locale)?));
    }
    Ok(out)
}

fn notice_line(c: &transfers::StoredChange, locale: &str) -> Result<ChangeLine> {
    Ok(ChangeLine {
        day: c.effective_on,
        number: crate::store::parse_stored(&c.household_no, |s| s.parse().ok())?,
        head_name: c.head_name.clone(),
        change: change_what(c, locale),
        reason: c.reason.clone(),
        approved_by: c.approved_by.clone().unwrap_or_default(),
    })
}

/// The changes a household took part in during `year` (its own, and splits or merges that
/// name it), for its 家庭积分情况统计表, worded as the notice words them.
pub fn year_changes(
    tx: &Connection,
    household_id: i64,
    year: i32,
    locale: &str,
) -> Result<Vec<ChangeLine>> {
    transfers::changes_of(tx, household_id)?
        .iter()
        .filter(|c| c.effective_on.year() == year)
        .map(|c| notice_line(c, locale))
        .collect()
}

pub fn refusal(r: &ChangeRefusal) -> String {
    use ChangeRefusal::*;
    match r {
        PointsExceedBalance {
            household,
            balance,
            wanted,
        } => t!(
            "households.refusal_exceeds",
            number = household,
            balance = balance,
            wanted = wanted
        )
        .into(),
        NegativePoints => t!("households.refusal_negative").into(),
        OpenVoucher {
            household,
            voucher_no,
            valid_until,
            change,
        } => t!(
            if *change == ChangeKind::MoveAway {
                "households34.refusal_open_voucher_away"
            } else {
                "households.refusal_open_voucher"
            },
            number = household,
            voucher = voucher_no,
            until = valid_until.to_string()
        )
        .into(),
        NumberTaken(n) => t!("households.refusal_number_taken", number = n).into(),
        SameHousehold(n) => t!("households.refusal_same", number = n).into(),
        AlreadyInGroup { household, group } => t!(
            "households.refusal_same_group",
            number = household,
            group = group
        )
        .into(),
        BalanceLeft { household, balance } => t!(
            "households.refusal_balance_left",
            number = household,
            balance = balance
        )
        .into(),
        SameHead(n) => t!("households.refusal_same_head", number = n).into(),
        NotYetEligible {
            household,
            eligible_on,
        } => t!(
            "households.refusal_not_yet",
            number = household,
            day = eligible_on.to_string()
        )
        .into(),
        OtherVillage { from, into } => {
            t!("households.refusal_other_village", from = from, into = into).into()
        }
        BadDate(d) => t!("households.refusal_bad_date", day = d.to_string()).into(),
    }
}

impl From<ChangeRefusal> for crate::app::Error {
    fn from(r: ChangeRefusal) -> Self {
        crate::app::Error::Refused(Refusal::HouseholdChange(r))
    }
}
