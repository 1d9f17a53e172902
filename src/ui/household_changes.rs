//! The 农户 tab's household changes (issue 24): split, merge, new head, move to a group or
//! away — a form, a preview of the entries the change will write, then the change itself, and
//! the new card when one was made. The form only asks; the services decide.

use eframe::egui;
use rust_i18n::t;

use super::{Action, Banner, JifenApp, widgets};
use crate::app::household_changes::{self as changes, MoveTo, Split};
use crate::app::{self, Actor};
use crate::core::card::CardFace;
use crate::core::household::Household;
use crate::core::household_change::{Committee, PlannedEntry};
use crate::core::{HouseholdNo, Points};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChangeChoice {
    #[default]
    Split,
    Merge,
    Head,
    MoveGroup,
    MoveAway,
}

impl ChangeChoice {
    const ALL: [ChangeChoice; 5] = [
        ChangeChoice::Split,
        ChangeChoice::Merge,
        ChangeChoice::Head,
        ChangeChoice::MoveGroup,
        ChangeChoice::MoveAway,
    ];

    fn label(self) -> String {
        let key = match self {
            ChangeChoice::Split => "households.ui_split",
            ChangeChoice::Merge => "households.ui_merge",
            ChangeChoice::Head => "households.ui_head",
            ChangeChoice::MoveGroup => "households.ui_move",
            ChangeChoice::MoveAway => "households.ui_away",
        };
        t!(key).into()
    }
}

/// What the form holds, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChangeRequest {
    pub choice: ChangeChoice,
    pub household: String,
    pub new_id: String,
    pub head: String,
    pub group: String,
    pub members: String,
    pub points: String,
    pub into: String,
    pub approved_by: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeAction {
    Preview(ChangeRequest),
    Apply(ChangeRequest),
}

#[derive(Default)]
pub struct ChangeForm {
    pub request: ChangeRequest,
    /// The entries the change will write, for the request they were computed for.
    pub preview: Option<(ChangeRequest, Vec<PlannedEntry>)>,
    pub new_card: Option<CardFace>,
}

/// The change form for the household shown; manager only.
pub fn change_ui(
    ui: &mut egui::Ui,
    form: &mut ChangeForm,
    household: &Household,
) -> Option<Action> {
    let mut action = None;
    let r = &mut form.request;
    if r.household != household.number.as_str() {
        *r = ChangeRequest {
            household: household.number.to_string(),
            choice: r.choice,
            ..Default::default()
        };
        form.preview = None;
    }
    ui.group(|ui| {
        ui.strong(t!("households.ui_title").to_string());
        // The card just made comes first: it is what the clerk prints and hands over.
        if let Some(card) = &form.new_card {
            ui.strong(
                t!(
                    "households.ui_new_card",
                    number = card.household,
                    head = card.head_name,
                    group = card.group,
                    serial = card.serial
                )
                .to_string(),
            );
        }
        ui.horizontal(|ui| {
            for choice in ChangeChoice::ALL {
                ui.selectable_value(&mut r.choice, choice, choice.label());
            }
        });
        // Short fields two to a row, the long ones (approvers, reason) on rows of their own,
        // so the form, its preview and the new card fit beside the list on a 1024×768 screen
        // as well as on 1366×768 (a wrapped row of label+field pairs does not wrap in egui).
        let mut short: Vec<(String, &mut String, f32)> = Vec::new();
        match r.choice {
            ChangeChoice::Split => {
                short.push((t!("households.ui_new_id").into(), &mut r.new_id, 80.0));
                short.push((t!("households.ui_new_head").into(), &mut r.head, 80.0));
                short.push((t!("households.ui_group").into(), &mut r.group, 80.0));
                short.push((t!("households.ui_members").into(), &mut r.members, 40.0));
                short.push((t!("households.ui_points").into(), &mut r.points, 60.0));
            }
            ChangeChoice::Merge => {
                short.push((t!("households.ui_into").into(), &mut r.into, 80.0));
            }
            ChangeChoice::Head => {
                short.push((t!("households.ui_new_head").into(), &mut r.head, 80.0));
            }
            ChangeChoice::MoveGroup => {
                short.push((t!("households.ui_group").into(), &mut r.group, 80.0));
            }
            ChangeChoice::MoveAway => {}
        }
        if !short.is_empty() {
            egui::Grid::new("household-change-fields")
                .num_columns(4)
                .show(ui, |ui| {
                    for (i, (label, value, width)) in short.into_iter().enumerate() {
                        let label = ui.label(label);
                        // Sized, not desired: a grid cell would keep last frame's width.
                        ui.add_sized([width, 24.0], egui::TextEdit::singleline(value))
                            .labelled_by(label.id);
                        if i % 2 == 1 {
                            ui.end_row();
                        }
                    }
                });
        }
        if r.choice != ChangeChoice::Head {
            widgets::field(
                ui,
                &t!("households.ui_approved_by"),
                &mut r.approved_by,
                180.0,
            );
        }
        widgets::field(ui, &t!("households.ui_reason"), &mut r.reason, 240.0);
        if ui.button(t!("households.ui_preview").to_string()).clicked() {
            action = Some(Action::HouseholdChange(ChangeAction::Preview(r.clone())));
        }
        if let Some((for_request, entries)) = &form.preview
            && for_request == r
        {
            ui.label(t!("households.ui_preview_title").to_string());
            if entries.is_empty() {
                ui.label(t!("households.no_entries").to_string());
            }
            for e in entries {
                ui.label(
                    t!(
                        "households.entry",
                        number = e.household,
                        amount = format!("{:+}", e.amount.0),
                        after = e.balance_after,
                        reason = e.reason
                    )
                    .to_string(),
                );
            }
            if ui.button(t!("households.ui_apply").to_string()).clicked() {
                action = Some(Action::HouseholdChange(ChangeAction::Apply(r.clone())));
            }
        }
    });
    action
}

fn number(text: &str) -> Result<HouseholdNo, String> {
    text.trim()
        .parse()
        .map_err(|_| t!("refusal.unknown_household", number = text.trim()).to_string())
}

fn whole(text: &str, default: i64) -> Result<i64, String> {
    if text.trim().is_empty() {
        return Ok(default);
    }
    crate::core::parse_whole_number(text).map_err(|_| t!("refusal.bad_number").to_string())
}

fn committee(text: &str) -> Result<Option<Committee>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    Committee::parse(text)
        .map(Some)
        .map_err(|r| app::messages::refusal(&r))
}

fn need(c: Option<Committee>) -> Result<Committee, String> {
    c.ok_or_else(|| {
        app::messages::refusal(&crate::core::refusal::Refusal::TooFewApprovers { given: 0 })
    })
}

impl JifenApp {
    pub(super) fn apply_household_change(
        &mut self,
        action: ChangeAction,
        actor: &Actor,
    ) -> Result<Option<String>, String> {
        let now = self.now();
        let (apply, r) = match action {
            ChangeAction::Preview(r) => (false, r),
            ChangeAction::Apply(r) => (true, r),
        };
        let household = number(&r.household)?;
        let c = committee(&r.approved_by)?;
        let err = |e: app::Error| e.to_string();
        let db = &mut self.db;
        let form = &mut self.households.change;
        form.new_card = None;
        let message = match r.choice {
            ChangeChoice::Split => {
                let new_number = number(&r.new_id)?;
                let points = Points(whole(&r.points, 0)?);
                if !apply {
                    form.preview = Some((
                        r.clone(),
                        changes::preview_split(db, &household, &new_number, points, &r.reason)
                            .map_err(err)?,
                    ));
                    return Ok(None);
                }
                let split = Split {
                    from: household.clone(),
                    new_number: new_number.clone(),
                    head_name: r.head.clone(),
                    group: r.group.parse().map_err(|e| app::messages::refusal(&e))?,
                    members: whole(&r.members, 1)?,
                    points,
                    committee: need(c)?,
                    reason: r.reason.clone(),
                };
                let done = changes::split(db, actor, &split, now).map_err(err)?;
                form.new_card = done.card.map(|c| c.face);
                t!(
                    "households.done_split",
                    number = new_number,
                    head = done.household.head_name,
                    serial = form.new_card.as_ref().map_or(0, |c| c.serial.get())
                )
            }
            ChangeChoice::Merge => {
                let into = number(&r.into)?;
                if !apply {
                    form.preview = Some((
                        r.clone(),
                        changes::preview_merge(db, &household, &into, &r.reason, now.date())
                            .map_err(err)?,
                    ));
                    return Ok(None);
                }
                changes::merge(db, actor, &household, &into, &need(c)?, &r.reason, now)
                    .map_err(err)?;
                t!("households.done_merge", from = household, into = into)
            }
            ChangeChoice::Head => {
                if !apply {
                    form.preview = Some((r.clone(), Vec::new()));
                    return Ok(None);
                }
                let done = changes::change_head(db, actor, &household, &r.head, &r.reason, now)
                    .map_err(err)?;
                form.new_card = done.card.map(|c| c.face);
                t!(
                    "households.done_head",
                    head = done.household.head_name,
                    serial = form.new_card.as_ref().map_or(0, |c| c.serial.get())
                )
            }
            ChangeChoice::MoveGroup | ChangeChoice::MoveAway => {
                let to = match r.choice {
                    ChangeChoice::MoveGroup => {
                        MoveTo::Group(r.group.parse().map_err(|e| app::messages::refusal(&e))?)
                    }
                    _ => MoveTo::Away,
                };
                if !apply {
                    form.preview = Some((
                        r.clone(),
                        changes::preview_move(
                            db,
                            &household,
                            &to,
                            c.as_ref(),
                            &r.reason,
                            now.date(),
                        )
                        .map_err(err)?,
                    ));
                    return Ok(None);
                }
                let order = changes::Move {
                    to: to.clone(),
                    reason: r.reason.clone(),
                    committee: c,
                    on: now.date(),
                };
                let done =
                    changes::move_household(db, actor, &household, &order, now).map_err(err)?;
                match to {
                    MoveTo::Group(_) => t!(
                        "households.done_move",
                        number = household,
                        group = done.household.group,
                        day = now.date().to_string()
                    ),
                    MoveTo::Away => t!("households.done_away", number = household),
                }
            }
        };
        form.preview = None;
        let shown = if r.choice == ChangeChoice::Split {
            number(&r.new_id)?
        } else {
            household
        };
        self.show_household(&shown);
        // The list beside it shows balances and status: search again so it says what the
        // change made of them (and lists a new household among them).
        let search = self.households.search.clone();
        if let Ok(mut found) = app::queries::search_households(&mut self.db, &search, 100) {
            if !found.iter().any(|f| f.household.number == shown)
                && let Ok(more) = app::queries::search_households(&mut self.db, shown.as_str(), 1)
            {
                found.extend(more);
            }
            self.households.results = found;
        }
        Ok(Some(message.into()))
    }

    /// Shows a household's ledger and its changes on the 农户 tab.
    pub(super) fn show_household(&mut self, number: &HouseholdNo) {
        match app::queries::ledger(&mut self.db, number) {
            Ok(ledger) => self.households.ledger = Some(ledger),
            Err(e) => self.banner = Some(Banner::Problem(e.to_string())),
        }
        self.households.changes = changes::history(&mut self.db, number)
            .map(|all| all.iter().map(changes::change_line).collect())
            .unwrap_or_default();
    }
}
