//! The counter: identify a household (scan, or search when the card is forgotten), fill a cart
//! from the goods grid, by code or by barcode, and confirm once.

use std::collections::HashMap;

use eframe::egui::{self, RichText};
use rust_i18n::t;

use super::{Action, theme};
use crate::app::queries::{HouseholdAtCounter, HouseholdBalance};
use crate::core::goods::GoodsOnShelf;
use crate::core::receipt::Receipt;
use crate::core::{GoodsCode, Points};

#[derive(Default)]
pub struct CounterScreen {
    pub household: Option<HouseholdAtCounter>,
    /// Why the household was chosen without a card (`None` = by card).
    pub manual_reason: Option<String>,
    pub cart: Vec<(GoodsCode, i64)>,
    pub shelf: Vec<GoodsOnShelf>,
    pub code_input: String,
    pub search_input: String,
    pub search_results: Vec<HouseholdBalance>,
    pub confirming: bool,
    pub last_receipt: Option<Receipt>,
    pub focus_search: bool,
    pub focus_code: bool,
}

/// Size of one goods button in the grid.
const TILE: egui::Vec2 = egui::vec2(150.0, 56.0);

/// One row of the goods grid: a category heading, or up to a row's worth of goods.
enum GridRow<'a> {
    Category(String),
    Goods(Vec<&'a GoodsOnShelf>),
}

/// Goods grouped by category, in the order the shop numbered them (粮油 first), cut into rows.
fn grid_rows(shelf: &[GoodsOnShelf], per_row: usize) -> Vec<GridRow<'_>> {
    let mut goods: Vec<&GoodsOnShelf> = shelf.iter().filter(|g| !g.goods.retired).collect();
    goods.sort_by(|a, b| a.goods.code.cmp(&b.goods.code));
    let mut by_category: Vec<(String, Vec<&GoodsOnShelf>)> = Vec::new();
    for g in goods {
        let category = g
            .goods
            .category
            .clone()
            .unwrap_or_else(|| t!("ui.counter.other").to_string());
        match by_category.iter_mut().find(|(c, _)| *c == category) {
            Some((_, list)) => list.push(g),
            None => by_category.push((category, vec![g])),
        }
    }
    let mut rows = Vec::new();
    for (category, goods) in by_category {
        rows.push(GridRow::Category(category));
        rows.extend(
            goods
                .chunks(per_row)
                .map(|chunk| GridRow::Goods(chunk.to_vec())),
        );
    }
    rows
}

/// Whether one more of a good may go into the cart, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    Yes,
    OutOfStock,
    OverLimit,
    NoPrice,
    /// The village's tiered rule keeps this good from this household.
    NotForTier,
}

impl CounterScreen {
    pub fn in_cart(&self, code: &GoodsCode) -> i64 {
        self.cart
            .iter()
            .filter(|(c, _)| c == code)
            .map(|(_, q)| q)
            .sum()
    }

    fn taken(&self, code: &GoodsCode) -> i64 {
        self.household
            .as_ref()
            .and_then(|h| h.taken_this_month.iter().find(|(c, _, _)| c == code))
            .map_or(0, |(_, _, q)| q.0)
    }

    pub fn availability(&self, goods: &GoodsOnShelf) -> Availability {
        let code = &goods.goods.code;
        let wanted = self.in_cart(code) + 1;
        let limit = match &self.household {
            Some(h) => h.policy.limit_for(code, goods.goods.monthly_limit),
            None => goods.goods.monthly_limit,
        };
        if goods.price_points.is_none() || goods.goods.retired {
            Availability::NoPrice
        } else if self
            .household
            .as_ref()
            .is_some_and(|h| !h.rules_allow(code))
        {
            Availability::NotForTier
        } else if goods.service.is_none() && wanted > goods.on_hand.0 {
            // A service has no stock; its daily capacity is checked when the redemption commits.
            Availability::OutOfStock
        } else if limit.is_some_and(|l| self.taken(code) + wanted > l.0) {
            Availability::OverLimit
        } else {
            Availability::Yes
        }
    }

    /// The price this household pays: half for a top household under double value.
    pub fn price_for(&self, goods: &GoodsOnShelf) -> Option<Points> {
        let double = self
            .household
            .as_ref()
            .is_some_and(|h| h.rules.double_value);
        goods.price_points.map(|p| {
            if double {
                crate::core::policy::double_value_price(p)
            } else {
                p
            }
        })
    }

    pub fn total(&self) -> Points {
        let prices: HashMap<&GoodsCode, i64> = self
            .shelf
            .iter()
            .filter_map(|g| Some((&g.goods.code, self.price_for(g)?.0)))
            .collect();
        Points(
            self.cart
                .iter()
                .map(|(c, q)| prices.get(c).copied().unwrap_or(0) * q)
                .sum(),
        )
    }

    pub fn clear_customer(&mut self) {
        self.household = None;
        self.manual_reason = None;
        self.cart.clear();
        self.confirming = false;
        self.search_results.clear();
        self.search_input.clear();
    }

    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        egui::Panel::left("household")
            .exact_size(360.0)
            .show(ui, |ui| self.household_ui(ui, &mut actions));
        egui::Panel::right("cart")
            .exact_size(400.0)
            .show(ui, |ui| self.cart_ui(ui, &mut actions));
        egui::CentralPanel::default().show(ui, |ui| self.goods_ui(ui, &mut actions));
        if self.confirming {
            self.confirm_ui(ui, &mut actions);
        }
        actions
    }

    fn household_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        match &self.household {
            Some(h) => {
                let hh = &h.household;
                ui.heading(format!("{} {}", hh.head_name, hh.number));
                ui.label(format!("{}{}", hh.village, hh.group));
                ui.label(t!("ui.counter.members", members = hh.members).to_string());
                if let Some(reason) = &self.manual_reason {
                    ui.colored_label(
                        theme::DANGER,
                        t!("ui.counter.no_card", reason = reason).to_string(),
                    );
                }
                ui.label(
                    RichText::new(t!("ui.counter.balance", points = h.balance_points).to_string())
                        .size(30.0)
                        .strong(),
                );
                rules_ui(ui, h);
                ui.separator();
                ui.label(t!("ui.counter.this_month").to_string());
                if h.taken_this_month.is_empty() {
                    ui.label(t!("ui.counter.nothing_yet").to_string());
                }
                for (_, name, qty) in &h.taken_this_month {
                    ui.label(format!("  {name} × {qty}"));
                }
                ui.separator();
                if ui.button(t!("ui.counter.next").to_string()).clicked() {
                    actions.push(Action::ClearCustomer);
                }
            }
            None => {
                ui.heading(t!("ui.counter.scan_card").to_string());
                ui.label(t!("ui.counter.scan_hint").to_string());
            }
        }
        ui.separator();
        let label = ui.label(t!("ui.counter.search").to_string());
        let search = ui.add(
            egui::TextEdit::singleline(&mut self.search_input)
                .hint_text(t!("ui.counter.search_hint").to_string()),
        );
        let search = search.labelled_by(label.id);
        if std::mem::take(&mut self.focus_search) {
            search.request_focus();
        }
        if search.lost_focus()
            && ui.input(|i| i.key_pressed(egui::Key::Enter))
            && !self.search_input.trim().is_empty()
        {
            actions.push(Action::Search(self.search_input.clone()));
        }
        egui::ScrollArea::vertical()
            .id_salt("results")
            .show(ui, |ui| {
                for r in &self.search_results {
                    let h = &r.household;
                    let text = format!(
                        "{} {} {}{}  {}",
                        h.number,
                        h.head_name,
                        h.village,
                        h.group,
                        t!("ui.points", points = r.balance_points)
                    );
                    if ui.button(text).clicked() {
                        actions.push(Action::SelectHousehold {
                            number: h.number.clone(),
                            manual_reason: Some(t!("ui.counter.forgot_card").to_string()),
                        });
                    }
                }
            });
    }

    /// The goods grid as rows of equal height, so only the rows on screen are laid out: a shop
    /// with thousands of goods costs no more per frame than one with forty.
    fn goods_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let spacing = ui.spacing().item_spacing.x;
        let per_row =
            (((ui.available_width() + spacing) / (TILE.x + spacing)).floor() as usize).max(1);
        let rows = grid_rows(&self.shelf, per_row);
        let enabled = self.household.is_some();
        egui::ScrollArea::vertical().id_salt("goods").show_rows(
            ui,
            TILE.y,
            rows.len(),
            |ui, range| {
                for row in &rows[range] {
                    ui.horizontal(|ui| {
                        ui.set_min_height(TILE.y);
                        match row {
                            GridRow::Category(name) => {
                                ui.label(RichText::new(name.as_str()).strong());
                            }
                            GridRow::Goods(goods) => {
                                for g in goods {
                                    self.tile_ui(ui, g, enabled, actions);
                                }
                            }
                        }
                    });
                }
            },
        );
    }

    fn tile_ui(
        &self,
        ui: &mut egui::Ui,
        g: &GoodsOnShelf,
        enabled: bool,
        actions: &mut Vec<Action>,
    ) {
        let availability = self.availability(g);
        let price = self.price_for(g).map_or("-".into(), |p| p.to_string());
        let note = match availability {
            Availability::Yes if g.service.is_some() => t!("services.grid.service").to_string(),
            Availability::Yes => t!("ui.counter.stock", qty = g.on_hand).to_string(),
            Availability::OutOfStock => t!("ui.counter.out_of_stock").to_string(),
            Availability::OverLimit => t!("ui.counter.over_limit").to_string(),
            Availability::NoPrice => t!("ui.counter.no_price").to_string(),
            Availability::NotForTier => t!("ui.counter.not_for_tier").to_string(),
        };
        let text = format!(
            "{}\n{} · {}",
            g.goods.name,
            t!("ui.points", points = price),
            note
        );
        let button = egui::Button::new(text).min_size(TILE);
        if ui
            .add_enabled(enabled && availability == Availability::Yes, button)
            .clicked()
        {
            actions.push(Action::AddGoods {
                code: g.goods.code.clone(),
            });
        }
    }

    fn cart_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.heading(t!("ui.counter.cart").to_string());
        let label = ui.label(t!("ui.counter.code").to_string());
        let code = ui.add(
            egui::TextEdit::singleline(&mut self.code_input)
                .hint_text(t!("ui.counter.code_hint").to_string()),
        );
        let code = code.labelled_by(label.id);
        if std::mem::take(&mut self.focus_code) {
            code.request_focus();
        }
        if code.lost_focus()
            && ui.input(|i| i.key_pressed(egui::Key::Enter))
            && !self.code_input.trim().is_empty()
        {
            actions.push(Action::EnterCode(std::mem::take(&mut self.code_input)));
            // Focus goes back to the counter so the next scan is read as a scan (F4 to type again).
        }
        let names: HashMap<&GoodsCode, &GoodsOnShelf> =
            self.shelf.iter().map(|g| (&g.goods.code, g)).collect();
        egui::Grid::new("cart-lines").num_columns(4).show(ui, |ui| {
            for (code, qty) in &self.cart {
                let Some(g) = names.get(code) else { continue };
                ui.label(&g.goods.name);
                ui.horizontal(|ui| {
                    if ui.small_button("−").clicked() {
                        actions.push(Action::SetQty {
                            code: code.clone(),
                            qty: qty - 1,
                        });
                    }
                    ui.label(qty.to_string());
                    let more = self.availability(g) == Availability::Yes;
                    if ui
                        .add_enabled(more, egui::Button::new("+").small())
                        .clicked()
                    {
                        actions.push(Action::SetQty {
                            code: code.clone(),
                            qty: qty + 1,
                        });
                    }
                });
                ui.label(
                    t!(
                        "ui.points",
                        points = self.price_for(g).map_or(0, |p| p.0) * qty
                    )
                    .to_string(),
                );
                if ui.small_button("✕").clicked() {
                    actions.push(Action::SetQty {
                        code: code.clone(),
                        qty: 0,
                    });
                }
                ui.end_row();
            }
        });
        ui.separator();
        let total = self.total();
        ui.label(
            RichText::new(t!("ui.counter.total", points = total).to_string())
                .size(26.0)
                .strong(),
        );
        if let Some(h) = &self.household {
            let after = h.balance_points.0 - total.0;
            if after < 0 {
                ui.colored_label(
                    theme::DANGER,
                    t!("ui.counter.short", points = -after).to_string(),
                );
            } else {
                ui.colored_label(
                    theme::OK,
                    t!("ui.counter.after", points = after).to_string(),
                );
            }
        }
        // Confirm stays possible when the points fall short: the service refuses and says
        // exactly why, which staff can read out to the household.
        let can_confirm = self.household.is_some() && !self.cart.is_empty();
        let confirm =
            egui::Button::new(RichText::new(t!("ui.counter.confirm").to_string()).size(24.0))
                .min_size(egui::vec2(360.0, 64.0));
        if ui.add_enabled(can_confirm, confirm).clicked() {
            actions.push(Action::AskConfirm);
        }
        if let Some(r) = &self.last_receipt {
            ui.separator();
            ui.colored_label(
                theme::OK,
                t!(
                    "ui.counter.last",
                    number = r.receipt_no,
                    head = r.head_name,
                    points = r.total_points,
                    after = r.balance_after
                )
                .to_string(),
            );
        }
    }

    fn confirm_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let ctx = ui.ctx().clone();
        let Some(h) = &self.household else { return };
        let total = self.total();
        let names: HashMap<&GoodsCode, &str> = self
            .shelf
            .iter()
            .map(|g| (&g.goods.code, g.goods.name.as_str()))
            .collect();
        let modal = egui::Modal::new(egui::Id::unique("confirm")).show(&ctx, |ui| {
            ui.heading(t!("ui.confirm.title").to_string());
            ui.label(format!(
                "{} {}（{}{}）",
                h.household.head_name, h.household.number, h.household.village, h.household.group
            ));
            for (code, qty) in &self.cart {
                ui.label(format!(
                    "{} × {}",
                    names.get(code).copied().unwrap_or(code.as_str()),
                    qty
                ));
            }
            ui.label(
                RichText::new(
                    t!(
                        "ui.confirm.summary",
                        total = total,
                        before = h.balance_points,
                        after = h.balance_points.0 - total.0
                    )
                    .to_string(),
                )
                .strong(),
            );
            ui.horizontal(|ui| {
                let ok = ui.add(
                    egui::Button::new(t!("ui.confirm.ok").to_string())
                        .min_size(egui::vec2(180.0, 56.0)),
                );
                if ok.clicked() {
                    actions.push(Action::Confirm);
                }
                if ui.button(t!("ui.cancel").to_string()).clicked() {
                    actions.push(Action::CancelConfirm);
                }
            });
        });
        if modal.should_close() {
            actions.push(Action::CancelConfirm);
        }
    }
}

/// What the village rules say about the household at the counter, in one or two lines.
fn rules_ui(ui: &mut egui::Ui, h: &HouseholdAtCounter) {
    if !h.policy.name.is_empty() {
        ui.label(t!("ui.counter.rules", name = h.policy.name).to_string());
    }
    if let Some((month, standing)) = &h.rules.tier {
        let text = crate::app::redeem::standing_text(standing);
        let colour = if matches!(standing, crate::core::policy::TierStanding::Tier { .. }) {
            theme::OK
        } else {
            theme::DANGER
        };
        ui.colored_label(
            colour,
            t!("ui.counter.tier", month = month, standing = text).to_string(),
        );
    }
    if h.rules.double_value {
        ui.colored_label(theme::OK, t!("ui.counter.double_value").to_string());
    }
    if h.rules.only_on_redemption_day {
        ui.label(t!("ui.counter.only_on_day").to_string());
    }
}
