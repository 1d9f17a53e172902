//! Applying what the register screen asks for through the services: loading a group's month
//! into the grid, and saving the marked cells as scoring events in one transaction.

use chrono::NaiveDate;
use rust_i18n::t;

use super::register::{EntryGrid, GridItem, RegisterAction};
use super::{Banner, JifenApp};
use crate::app::register::{self as reg, EventInput};
use crate::core::register::{Basis, ItemKind};
use crate::core::{HouseholdNo, Period};

impl JifenApp {
    /// The month shown when the tab opens: this month, events dated today.
    pub(super) fn load_register_tab(&mut self) {
        let today = self.now().date();
        self.register
            .default_period(Period::of(today).to_string(), today.to_string());
    }

    pub(super) fn apply_register(&mut self, action: RegisterAction) {
        match action {
            RegisterAction::Load { group, period } => self.load_register(&group, &period),
            RegisterAction::Dispute(d) => self.apply_register_dispute(d),
            RegisterAction::Approve {
                group,
                period,
                approvers,
            } => {
                let Some(actor) = self.actor.clone() else {
                    return;
                };
                let Ok(p) = period.parse::<Period>() else {
                    return;
                };
                // Cells marked on the screen but not saved are not in the register yet: the
                // month would be approved without them and then locked. Say so, keep them.
                let unsaved = self.register.grid.as_ref().map_or(0, |g| g.entries().len());
                if unsaved > 0 {
                    self.banner = Some(Banner::Problem(
                        t!("ui.register.unsaved_before_approval", cells = unsaved).to_string(),
                    ));
                    return;
                }
                let names: Vec<String> = approvers
                    .split([',', '，', '、'])
                    .map(|n| n.trim().to_string())
                    .collect();
                let now = self.now();
                match reg::approve_month(&mut self.db, &actor, &group, p, &names, None, now) {
                    Ok(month) => {
                        self.load_register(&group, &period);
                        self.banner = Some(Banner::Done(
                            t!(
                                "ui.register.approved_done",
                                group = group,
                                period = period,
                                points = month.points_total
                            )
                            .to_string(),
                        ));
                    }
                    Err(e) => self.problem(e),
                }
            }
            RegisterAction::Save {
                group,
                period,
                date,
                entries,
            } => {
                let Some(actor) = self.actor.clone() else {
                    return;
                };
                let Ok(date) = date.trim().parse::<NaiveDate>() else {
                    self.banner = Some(Banner::Problem(
                        t!("ui.register.bad_date", date = date).to_string(),
                    ));
                    return;
                };
                if entries.is_empty() {
                    self.banner = Some(Banner::Problem(t!("ui.register.nothing").to_string()));
                    return;
                }
                let mut inputs = Vec::with_capacity(entries.len());
                for (household, item, points) in entries {
                    let Ok(number) = household.parse::<HouseholdNo>() else {
                        continue;
                    };
                    let mut input = EventInput::new(number, item.to_string(), date);
                    input.points = Some(points);
                    input.basis = Basis::Onsite;
                    inputs.push(input);
                }
                let now = self.now();
                match reg::add_events(&mut self.db, &actor, &inputs, now) {
                    Ok(saved) => {
                        self.load_register(&group, &period);
                        self.banner = Some(Banner::Done(
                            t!("ui.register.saved", count = saved.len()).to_string(),
                        ));
                    }
                    Err(e) => self.problem(e),
                }
            }
        }
    }

    pub(super) fn load_register(&mut self, group: &str, period: &str) {
        let Ok(period) = period.trim().parse::<Period>() else {
            self.banner = Some(Banner::Problem(
                t!("ui.register.bad_period", period = period).to_string(),
            ));
            return;
        };
        match reg::month_review(&mut self.db, group, period) {
            Ok(month) => {
                // Events are dated within the month scored: its last day, or today in the month.
                let in_month = self
                    .register
                    .date
                    .trim()
                    .parse::<NaiveDate>()
                    .is_ok_and(|d| Period::of(d) == period);
                if !in_month {
                    let last = period.next().first_day() - chrono::Days::new(1);
                    self.register.date = last.min(self.now().date()).to_string();
                }
                let items = month
                    .items
                    .iter()
                    .map(|i| {
                        let (min, max) = i.points.bounds();
                        GridItem {
                            number: i.number,
                            name: i.name(),
                            min,
                            max,
                            negative: i.kind == ItemKind::Negative,
                        }
                    })
                    .collect();
                let households = month
                    .households
                    .iter()
                    .map(|h| (h.household.clone(), h.head_name.clone(), h.score.total))
                    .collect();
                let recorded = month
                    .households
                    .iter()
                    .map(|h| {
                        h.events
                            .iter()
                            .map(|e| {
                                let name = month
                                    .items
                                    .iter()
                                    .find(|i| i.number == e.item_number)
                                    .map_or(String::new(), |i| i.name());
                                let counted = if h.score.counted.contains(&e.id) {
                                    ""
                                } else {
                                    "（不计）"
                                };
                                // The event's number, for a dispute that names it.
                                format!(
                                    "{} {}.{} {}分{counted}{}",
                                    e.date.format("%m-%d"),
                                    e.item_number,
                                    name,
                                    e.points,
                                    t!("register34.event_no", id = e.id)
                                )
                            })
                            .collect()
                    })
                    .collect();
                let mut grid = EntryGrid::new(
                    month.village,
                    month.group,
                    period.to_string(),
                    items,
                    households,
                    month.approved_by.is_some(),
                );
                grid.recorded = recorded;
                self.register.grid = Some(grid);
                self.banner = None;
            }
            Err(e) => self.problem(e),
        }
    }
}
