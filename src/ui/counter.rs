//! The counter: identify a household (scan, or search when the card is forgotten), fill a cart
//! from the goods grid, by code (`1032*20`) or by barcode, and confirm once. The basket is
//! protected (放弃本单？), refused before confirming when it cannot go through, and every
//! redemption says what happened to its receipt.

use std::collections::HashMap;

use eframe::egui::{self, RichText};
use rust_i18n::t;

use super::counter_rules::Availability;
use super::{Action, theme};
use crate::app::queries::{HouseholdAtCounter, HouseholdBalance};
use crate::core::goods::GoodsOnShelf;
use crate::core::receipt::Receipt;
use crate::core::{GoodsCode, HouseholdNo};

/// What happens once the clerk agrees to give up the basket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterDiscard {
    /// Esc / 下一户: an empty counter.
    Clear,
    /// The next household's card (or number) was scanned.
    Scan(String),
    /// Another household was picked from the search results.
    Select {
        number: HouseholdNo,
        manual_reason: Option<String>,
    },
}

/// What became of the last redemption's receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptOutcome {
    Printing,
    Printed,
    Failed(String),
    /// No printer is set up: the clerk must know no slip came out.
    NoPrinter,
    /// The manager marked the store as one that gives no receipts.
    NotPrinted,
}

impl ReceiptOutcome {
    pub fn text(&self) -> String {
        match self {
            ReceiptOutcome::Printing => t!("counter18.receipt_printing").to_string(),
            ReceiptOutcome::Printed => t!("counter18.receipt_printed").to_string(),
            ReceiptOutcome::Failed(why) => t!("counter18.receipt_failed", reason = why).to_string(),
            ReceiptOutcome::NoPrinter => t!("counter18.receipt_no_printer").to_string(),
            ReceiptOutcome::NotPrinted => t!("counter18.receipt_not_printed").to_string(),
        }
    }

    pub fn is_problem(&self) -> bool {
        matches!(self, ReceiptOutcome::Failed(_) | ReceiptOutcome::NoPrinter)
    }
}

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
    /// The text `search_results` were found for: Enter on that same text opens the
    /// highlighted one instead of searching again.
    pub searched: String,
    /// The highlighted search result (↑↓ move it, Enter opens it).
    pub search_pick: usize,
    pub confirming: bool,
    pub last_receipt: Option<Receipt>,
    pub receipt_outcome: Option<ReceiptOutcome>,
    pub focus_search: bool,
    pub focus_code: bool,
    /// The quantity boxes of the cart lines, as typed.
    pub qty_text: HashMap<GoodsCode, String>,
    /// Set while 放弃本单？ is asked: what to do if the clerk does give the basket up.
    pub discard: Option<AfterDiscard>,
    /// No receipt printer and the store not marked 本店不打小票: a standing warning.
    pub printer_missing: bool,
    /// The signed-in staff may mark the store as giving no receipts.
    pub may_mark_no_receipts: bool,
    /// This frame's Enter ended a card scan typed into a text box: the box must not act on it.
    pub scan_taken: bool,
    /// A card scan typed into a text box, to take back out of the box after this frame.
    pub strip_scan: Option<String>,
}

/// Size of one goods button in the grid: fixed, so a tile never grows or shrinks when its
/// state changes (无货, 已达本月限量) and the tiles after it never move.
pub const TILE: egui::Vec2 = egui::vec2(132.0, 60.0);
/// Side panels: the household on the left, the basket on the right; the goods grid gets the rest.
const HOUSEHOLD_WIDTH: f32 = 0.22;
const CART_WIDTH: f32 = 0.30;

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

impl CounterScreen {
    pub fn clear_customer(&mut self) {
        self.household = None;
        self.manual_reason = None;
        self.cart.clear();
        self.qty_text.clear();
        self.confirming = false;
        self.discard = None;
        self.search_results.clear();
        self.searched.clear();
        self.search_pick = 0;
        self.search_input.clear();
    }

    /// Goods are in the basket: leaving the household needs 放弃本单？ first.
    pub fn basket_at_risk(&self) -> bool {
        self.household.is_some() && !self.cart.is_empty()
    }

    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        if self.printer_missing {
            egui::Panel::top("printer-warning")
                .show(ui, |ui| self.printer_warning_ui(ui, &mut actions));
        }
        let width = ui.available_width();
        egui::Panel::left("household")
            .exact_size((width * HOUSEHOLD_WIDTH).max(220.0))
            .show(ui, |ui| self.household_ui(ui, &mut actions));
        egui::Panel::right("cart")
            .exact_size((width * CART_WIDTH).max(300.0))
            .show(ui, |ui| self.cart_ui(ui, &mut actions));
        egui::CentralPanel::default().show(ui, |ui| self.goods_ui(ui, &mut actions));
        if let Some(payload) = self.strip_scan.take() {
            // The box keeps what the clerk had typed; the scanner's digits leave it again.
            for text in [&mut self.search_input, &mut self.code_input]
                .into_iter()
                .chain(self.qty_text.values_mut())
            {
                if let Some(at) = text.rfind(&payload) {
                    text.replace_range(at..at + payload.len(), "");
                }
            }
        }
        if self.discard.is_some() {
            self.discard_ui(ui, &mut actions);
        } else if self.confirming {
            self.confirm_ui(ui, &mut actions);
        }
        actions
    }

    fn printer_warning_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(
                theme::DANGER,
                RichText::new(t!("counter18.no_printer_bar").to_string()).strong(),
            );
            if self.may_mark_no_receipts
                && ui
                    .button(t!("counter18.mark_no_receipts").to_string())
                    .clicked()
            {
                actions.push(Action::MarkNoReceipts);
            }
        });
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
                .desired_width(f32::INFINITY)
                .hint_text(t!("counter_keys.search_placeholder").to_string()),
        );
        let search = search.labelled_by(label.id);
        if std::mem::take(&mut self.focus_search) {
            search.request_focus();
        }
        // Counter software is driven from the keyboard: Enter searches, ↑↓ move the
        // highlight through the results, Enter again opens the highlighted household.
        let on_results =
            !self.search_results.is_empty() && self.search_input.trim() == self.searched.trim();
        let mut moved = false;
        if search.has_focus() && on_results {
            let last = self.search_results.len() - 1;
            let (down, up) = ui.input_mut(|i| {
                (
                    i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                    i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                )
            });
            let pick = self.search_pick.min(last);
            self.search_pick = if down {
                (pick + 1).min(last)
            } else if up {
                pick.saturating_sub(1)
            } else {
                pick
            };
            moved = down || up;
        }
        if search.lost_focus()
            && !self.scan_taken
            && ui.input(|i| i.key_pressed(egui::Key::Enter))
            && !self.search_input.trim().is_empty()
        {
            match self.search_results.get(self.search_pick) {
                Some(r) if on_results => actions.push(Action::SelectHousehold {
                    number: r.household.number.clone(),
                    manual_reason: Some(t!("ui.counter.forgot_card").to_string()),
                }),
                _ => actions.push(Action::Search(self.search_input.clone())),
            }
        }
        let hint = if on_results {
            t!("counter_keys.pick_hint", count = self.search_results.len())
        } else {
            t!("counter_keys.enter_hint")
        };
        ui.label(RichText::new(hint.to_string()).weak());
        egui::ScrollArea::vertical()
            .id_salt("results")
            .show(ui, |ui| {
                for (i, r) in self.search_results.iter().enumerate() {
                    let h = &r.household;
                    let text = format!(
                        "{} {} {}{}  {}",
                        h.number,
                        h.head_name,
                        h.village,
                        h.group,
                        t!("ui.points", points = r.balance_points)
                    );
                    let picked = on_results && i == self.search_pick;
                    let row = ui.add(egui::Button::selectable(picked, text));
                    if picked && moved {
                        row.scroll_to_me(None);
                    }
                    if row.clicked() {
                        actions.push(Action::SelectHousehold {
                            number: h.number.clone(),
                            manual_reason: Some(t!("ui.counter.forgot_card").to_string()),
                        });
                    }
                }
            });
    }

    /// The goods grid as rows of equal height, so only the rows on screen are laid out: a shop
    /// with thousands of goods costs no more per frame than one with forty. As many fixed-width
    /// tiles per row as the panel holds.
    fn goods_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let spacing = ui.spacing().item_spacing;
        let per_row =
            (((ui.available_width() + spacing.x) / (TILE.x + spacing.x)).floor() as usize).max(1);
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
            Availability::OverLimit => t!("counter18.tile_limit").to_string(),
            Availability::NoPrice => t!("ui.counter.no_price").to_string(),
            Availability::NotForTier => t!("ui.counter.not_for_tier").to_string(),
        };
        let line2 = format!("{} · {}", t!("ui.points", points = price), note);
        let enabled = enabled && availability == Availability::Yes;
        if tile(ui, enabled, &g.goods.name, &line2)
            .on_hover_text(&g.goods.name)
            .clicked()
        {
            actions.push(Action::AddGoods {
                code: g.goods.code.clone(),
            });
        }
    }
}

/// One goods tile of exactly TILE: the name and the price line each cut with "…" to the
/// tile's width, so a change of state (无货, 已达限量) never widens it and moves its neighbours.
/// Drawn by hand because egui's Button grows with its text.
fn tile(ui: &mut egui::Ui, enabled: bool, name: &str, line2: &str) -> egui::Response {
    let sense = if enabled {
        egui::Sense::click()
    } else {
        egui::Sense::hover()
    };
    let (rect, response) = ui.allocate_exact_size(TILE, sense);
    let label = format!("{name}\n{line2}");
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, label.clone()));
    if ui.is_rect_visible(rect) {
        let visuals = if enabled {
            *ui.style().interact(&response)
        } else {
            ui.visuals().widgets.noninteractive
        };
        let colour = if enabled {
            visuals.text_color()
        } else {
            ui.visuals().weak_text_color()
        };
        let fill = if enabled {
            visuals.weak_bg_fill
        } else {
            ui.visuals().faint_bg_color
        };
        ui.painter().rect(
            rect,
            visuals.corner_radius,
            fill,
            visuals.bg_stroke,
            egui::StrokeKind::Inside,
        );
        let width = rect.width() - 12.0;
        let line = |text: &str, size: f32| {
            let mut job = egui::text::LayoutJob::simple_singleline(
                text.to_string(),
                egui::FontId::proportional(size),
                colour,
            );
            job.wrap = egui::text::TextWrapping::truncate_at_width(width);
            ui.fonts_mut(|f| f.layout_job(job))
        };
        let (top, bottom) = (line(name, 18.0), line(line2, 15.0));
        ui.painter()
            .galley(rect.left_top() + egui::vec2(6.0, 6.0), top, colour);
        ui.painter().galley(
            rect.left_bottom() + egui::vec2(6.0, -6.0 - bottom.size().y),
            bottom,
            colour,
        );
    }
    response
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
