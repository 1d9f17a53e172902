//! The closing report of one day at the store (日结), as data: every redemption of the day,
//! those made outside any redemption-day session marked, voids with their reasons, the
//! no-card redemptions, goods issued, stock at close and each staff member's share. Every
//! figure comes from the ledgers, so the report of any past day can be rebuilt and reprinted.

use chrono::{NaiveDate, NaiveDateTime};
use rust_i18n::t;
use serde::{Deserialize, Serialize};

use super::Points;
use super::session::{GoodsIssued, Session, StaffTotal};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRedemption {
    pub receipt_no: String,
    pub at: NaiveDateTime,
    pub household: String,
    pub head_name: String,
    pub points: Points,
    pub staff: String,
    /// The session it belongs to; `None` = made outside any redemption day (marked).
    pub session_id: Option<i64>,
    /// Why no card was used (忘带卡…); `None` = by card.
    pub no_card_reason: Option<String>,
    pub voided: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayVoid {
    pub receipt_no: String,
    pub points: Points,
    pub reason: String,
    pub voided_by: String,
    pub voided_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayReport {
    pub day: NaiveDate,
    pub store_name: String,
    /// The redemption-day sessions opened that day.
    pub sessions: Vec<Session>,
    /// Every redemption made that day, voided ones included (and marked).
    pub redemptions: Vec<DayRedemption>,
    /// Voids of that day's redemptions, whenever they were made.
    pub voids: Vec<DayVoid>,
    /// Goods issued that day (voids excluded), with the stock at the end of the day.
    pub goods: Vec<GoodsIssued>,
    pub per_staff: Vec<StaffTotal>,
}

impl DayReport {
    fn standing(&self) -> impl Iterator<Item = &DayRedemption> {
        self.redemptions.iter().filter(|r| !r.voided)
    }

    /// Redemptions that stand (not voided).
    pub fn redemption_count(&self) -> i64 {
        self.standing().count() as i64
    }

    pub fn points(&self) -> Points {
        Points(self.standing().map(|r| r.points.0).sum())
    }

    pub fn households(&self) -> i64 {
        let mut h: Vec<&str> = self.standing().map(|r| r.household.as_str()).collect();
        h.sort_unstable();
        h.dedup();
        h.len() as i64
    }

    pub fn no_card_count(&self) -> i64 {
        self.standing()
            .filter(|r| r.no_card_reason.is_some())
            .count() as i64
    }

    pub fn outside_sessions(&self) -> impl Iterator<Item = &DayRedemption> {
        self.redemptions.iter().filter(|r| r.session_id.is_none())
    }

    /// The report as lines of text in `locale` (an empty line separates sections): the screen,
    /// the command line and the printed slip all read these, so their figures cannot differ.
    pub fn lines(&self, locale: &str) -> Vec<String> {
        let r = self;
        let mut out = vec![
            t!(
                "dayreport.totals",
                locale = locale,
                households = r.households(),
                redemptions = r.redemption_count(),
                points = r.points(),
                no_card = r.no_card_count()
            )
            .to_string(),
        ];
        for s in &r.sessions {
            let closed = s
                .closed_at
                .map(|c| c.format("%H:%M").to_string())
                .unwrap_or_else(|| t!("dayreport.still_open", locale = locale).to_string());
            out.push(
                t!(
                    "dayreport.session",
                    locale = locale,
                    id = s.id,
                    opened = s.opened_at.format("%H:%M"),
                    closed = closed,
                    staff = s.staff_on_duty.join("、"),
                    groups = s.groups_served.join("、")
                )
                .to_string(),
            );
        }
        out.push(String::new());
        out.push(t!("dayreport.redemptions", locale = locale).to_string());
        for x in &r.redemptions {
            let mut marks = Vec::new();
            if x.session_id.is_none() {
                marks.push(t!("dayreport.outside", locale = locale).to_string());
            }
            if let Some(reason) = &x.no_card_reason {
                marks.push(t!("dayreport.no_card", locale = locale, reason = reason).to_string());
            }
            if x.voided {
                marks.push(t!("dayreport.voided", locale = locale).to_string());
            }
            let marks = if marks.is_empty() {
                String::new()
            } else {
                format!(" 【{}】", marks.join("，"))
            };
            out.push(format!(
                "{} {} {} {} {} {}{marks}",
                x.at.format("%H:%M"),
                x.receipt_no,
                x.household,
                x.head_name,
                t!("ui.points", locale = locale, points = x.points),
                x.staff
            ));
        }
        out.push(String::new());
        out.push(t!("dayreport.voids", locale = locale, count = r.voids.len()).to_string());
        for v in &r.voids {
            out.push(
                t!(
                    "dayreport.void",
                    locale = locale,
                    number = v.receipt_no,
                    points = v.points,
                    reason = v.reason,
                    by = v.voided_by,
                    at = v.voided_at.format("%m-%d %H:%M")
                )
                .to_string(),
            );
        }
        out.push(String::new());
        out.push(t!("dayreport.goods", locale = locale).to_string());
        for g in &r.goods {
            out.push(
                t!(
                    "dayreport.goods_line",
                    locale = locale,
                    name = g.name,
                    qty = g.qty,
                    points = g.points,
                    on_hand = g.on_hand_at_close
                )
                .to_string(),
            );
        }
        out.push(String::new());
        out.push(t!("dayreport.per_staff", locale = locale).to_string());
        for s in &r.per_staff {
            out.push(
                t!(
                    "days.report_per_staff",
                    locale = locale,
                    name = s.name,
                    count = s.redemptions,
                    points = s.points
                )
                .to_string(),
            );
        }
        out
    }
}
