//! Stock: what is on hand, what is running low or expiring, and the ways stock comes in and
//! goes out besides redemptions — donations, purchases, write-offs and the stocktake.

use eframe::egui;
use rust_i18n::t;

use super::{Action, theme, widgets};
use crate::app::goods_admin::StockWarning;
use crate::app::stocktake::Sheet;
use crate::core::goods::GoodsOnShelf;
use crate::core::staff::Role;

#[derive(Default)]
pub struct StockScreen {
    pub donor: String,
    pub contact: String,
    pub lines: String,
    pub supplier: String,
    pub invoice: String,
    pub amount: String,
    pub purchase_lines: String,
    pub write_off_lines: String,
    pub write_off_reason: String,
    pub warnings: Vec<StockWarning>,
    pub sheet: Option<Sheet>,
    pub counts: std::collections::BTreeMap<String, String>,
    /// A scan or photo of the purchase's invoice (a file path), copied on saving.
    pub invoice_file: String,
    /// What the last saved form wrote (入库单 D9：大米 5kg ×20 …): shown until the next one.
    pub last_written: Option<String>,
    /// The latest purchases, with their invoice copies.
    pub purchases: Vec<crate::app::stock::PurchaseRow>,
    /// The invoice picture being looked at, and whether its SHA-256 still matches.
    pub invoice_view: Option<InvoiceView>,
    /// 过账 was pressed: the differences wait for a second confirmation.
    pub confirm_post: bool,
}

pub struct InvoiceView {
    pub reference: String,
    pub path: String,
    pub intact: bool,
    pub texture: Option<egui::TextureHandle>,
}

impl StockScreen {
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, shelf: &[GoodsOnShelf], role: Role) -> Option<Action> {
        if self.sheet.is_some() {
            return self.stocktake_ui(ui, role);
        }
        let mut action = None;
        ui.horizontal(|ui| {
            ui.heading(t!("ui.stock.title").to_string());
            if role != Role::Auditor && ui.button(t!("ui.stocktake.start").to_string()).clicked() {
                action = Some(Action::StartStocktake);
            }
        });
        self.warnings_ui(ui);
        if let Some(written) = &self.last_written {
            ui.colored_label(theme::OK, egui::RichText::new(written.as_str()).strong());
        }
        if self.invoice_view.is_some() {
            action = action.or(self.invoice_ui(ui));
        }
        ui.columns(2, |cols| {
            egui::ScrollArea::vertical()
                .id_salt("stock-forms")
                .show(&mut cols[0], |ui| {
                    if role != Role::Auditor {
                        action = action.take().or(self.receive_ui(ui));
                    }
                    if role == Role::Manager {
                        action = action.take().or(self.write_off_ui(ui));
                    }
                });
            egui::ScrollArea::vertical()
                .id_salt("stock-list")
                .show(&mut cols[1], |ui| {
                    on_hand_ui(ui, shelf, &self.warnings);
                    ui.separator();
                    action = action.take().or(purchases_ui(ui, &self.purchases));
                });
        });
        action
    }

    fn warnings_ui(&self, ui: &mut egui::Ui) {
        for w in &self.warnings {
            if let Some(threshold) = w.low_stock_threshold {
                ui.colored_label(
                    theme::DANGER,
                    t!(
                        "ui.stock.low",
                        name = w.name,
                        qty = w.on_hand,
                        threshold = threshold
                    )
                    .to_string(),
                );
            }
            for lot in &w.expiring {
                let day = lot.best_before.map(|d| d.to_string()).unwrap_or_default();
                ui.colored_label(
                    theme::DANGER,
                    t!("ui.stock.expiring", name = w.name, qty = lot.qty, day = day).to_string(),
                );
            }
        }
    }

    fn receive_ui(&mut self, ui: &mut egui::Ui) -> Option<Action> {
        let mut action = None;
        ui.group(|ui| {
            ui.strong(t!("ui.stock.receive").to_string());
            widgets::field(ui, &t!("ui.stock.donor"), &mut self.donor, 220.0);
            widgets::field(ui, &t!("ui.stock.contact"), &mut self.contact, 220.0);
            widgets::field(ui, &t!("ui.stock.lines"), &mut self.lines, 300.0);
            if ui
                .button(t!("ui.stock.receive_button").to_string())
                .clicked()
            {
                action = Some(Action::ReceiveDonation {
                    donor: self.donor.clone(),
                    contact: self.contact.clone(),
                    lines: self.lines.clone(),
                });
            }
        });
        ui.group(|ui| {
            ui.strong(t!("ui.stock.purchase").to_string());
            widgets::field(ui, &t!("ui.stock.supplier"), &mut self.supplier, 220.0);
            widgets::field(ui, &t!("ui.stock.invoice"), &mut self.invoice, 160.0);
            widgets::field(ui, &t!("ui.stock.amount"), &mut self.amount, 120.0);
            widgets::field(
                ui,
                &t!("ui.stock.purchase_lines"),
                &mut self.purchase_lines,
                300.0,
            );
            widgets::field(
                ui,
                &t!("stock18.invoice_file"),
                &mut self.invoice_file,
                300.0,
            );
            if ui
                .button(t!("ui.stock.purchase_button").to_string())
                .clicked()
            {
                action = Some(Action::ReceivePurchase {
                    supplier: self.supplier.clone(),
                    invoice: self.invoice.clone(),
                    amount: self.amount.clone(),
                    lines: self.purchase_lines.clone(),
                    invoice_file: self.invoice_file.clone(),
                });
            }
        });
        action
    }

    fn write_off_ui(&mut self, ui: &mut egui::Ui) -> Option<Action> {
        let mut action = None;
        ui.group(|ui| {
            ui.strong(t!("ui.stock.write_off").to_string());
            widgets::field(
                ui,
                &t!("ui.stock.write_off_lines"),
                &mut self.write_off_lines,
                300.0,
            );
            widgets::field(
                ui,
                &t!("ui.stock.write_off_reason"),
                &mut self.write_off_reason,
                220.0,
            );
            if ui
                .button(t!("ui.stock.write_off_button").to_string())
                .clicked()
            {
                action = Some(Action::WriteOff {
                    lines: self.write_off_lines.clone(),
                    reason: self.write_off_reason.clone(),
                });
            }
        });
        action
    }

    fn stocktake_ui(&mut self, ui: &mut egui::Ui, role: Role) -> Option<Action> {
        let mut action = None;
        let Some(sheet) = &self.sheet else {
            return None;
        };
        ui.heading(t!("ui.stocktake.title", id = sheet.id).to_string());
        ui.label(t!("ui.stocktake.hint").to_string());
        ui.horizontal(|ui| {
            if ui.button(t!("ui.stocktake.save").to_string()).clicked() {
                action = Some(Action::SaveCounts(
                    self.counts.clone().into_iter().collect(),
                ));
            }
            if role == Role::Manager && ui.button(t!("ui.stocktake.post").to_string()).clicked() {
                // 过账 writes corrections to the stock ledger: first show what would change.
                self.confirm_post = true;
            }
            if ui.button(t!("ui.stocktake.back").to_string()).clicked() {
                action = Some(Action::CloseStocktakeView);
            }
        });
        if self.confirm_post {
            action = action.or(self.post_confirm_ui(ui, sheet));
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            egui::Grid::new("stocktake")
                .striped(true)
                .num_columns(5)
                .show(ui, |ui| {
                    for header in ["code", "name", "expected", "counted", "difference"] {
                        ui.strong(t!(format!("ui.stocktake.col_{header}")).to_string());
                    }
                    ui.end_row();
                    for line in &sheet.lines {
                        ui.label(line.code.as_str());
                        let name = ui.label(format!("{}（{}）", line.name, line.unit));
                        ui.label(line.expected.to_string());
                        let entry = self.counts.entry(line.code.to_string()).or_insert_with(|| {
                            line.counted.map(|c| c.to_string()).unwrap_or_default()
                        });
                        // Six digits fit (a warehouse of 100000 bags of rice is still shown whole).
                        ui.add_sized(
                            egui::vec2(120.0, 36.0),
                            egui::TextEdit::singleline(entry).char_limit(9),
                        )
                        .labelled_by(name.id);
                        let diff = crate::core::parse_whole_number(entry)
                            .ok()
                            .map(|c| c - line.expected.0);
                        match diff {
                            Some(0) | None => ui.label(""),
                            Some(d) => ui.colored_label(theme::DANGER, format!("{d:+}")),
                        };
                        ui.end_row();
                    }
                });
        });
        action
    }
}

impl StockScreen {
    /// The differences 过账 would write, and the second confirmation it needs.
    fn post_confirm_ui(&self, ui: &mut egui::Ui, sheet: &Sheet) -> Option<Action> {
        let mut action = None;
        ui.group(|ui| {
            ui.strong(t!("stock18.post_title").to_string());
            let mut any = false;
            for line in &sheet.lines {
                let Some(counted) = self
                    .counts
                    .get(line.code.as_str())
                    .and_then(|c| crate::core::parse_whole_number(c).ok())
                else {
                    continue;
                };
                let diff = counted - line.expected.0;
                if diff != 0 {
                    any = true;
                    ui.colored_label(
                        theme::DANGER,
                        t!(
                            "stock18.post_line",
                            code = line.code,
                            name = line.name,
                            expected = line.expected,
                            counted = counted,
                            diff = format!("{diff:+}")
                        )
                        .to_string(),
                    );
                }
            }
            if !any {
                ui.label(t!("stock18.post_no_difference").to_string());
            }
            ui.horizontal(|ui| {
                if ui.button(t!("stock18.post_confirm").to_string()).clicked() {
                    action = Some(Action::PostStocktake(
                        self.counts.clone().into_iter().collect(),
                    ));
                }
                if ui.button(t!("ui.cancel").to_string()).clicked() {
                    action = Some(Action::CancelPostStocktake);
                }
            });
        });
        action
    }

    /// The invoice copy of one purchase: the picture (or the file's place for a PDF) and
    /// whether it is still the file that was recorded.
    fn invoice_ui(&mut self, ui: &mut egui::Ui) -> Option<Action> {
        let view = self.invoice_view.as_ref()?;
        let mut action = None;
        let ctx = ui.ctx().clone();
        let modal = egui::Modal::new(egui::Id::unique("invoice")).show(&ctx, |ui| {
            ui.set_max_width(700.0);
            ui.horizontal_wrapped(|ui| {
                ui.strong(t!("stock18.invoice_of", reference = view.reference).to_string());
                if view.intact {
                    ui.colored_label(theme::OK, t!("stock18.invoice_intact").to_string());
                } else {
                    ui.colored_label(theme::DANGER, t!("stock18.invoice_changed").to_string());
                }
                if ui.button(t!("stock18.close").to_string()).clicked() {
                    action = Some(Action::CloseInvoice);
                }
            });
            ui.label(view.path.as_str());
            if let Some(texture) = &view.texture {
                let size = texture.size_vec2();
                let height = 260.0_f32.min(size.y);
                ui.add(
                    egui::Image::new(texture)
                        .fit_to_exact_size(egui::vec2(size.x * height / size.y, height)),
                );
            }
        });
        if modal.should_close() {
            action = Some(Action::CloseInvoice);
        }
        action
    }
}

fn purchases_ui(ui: &mut egui::Ui, purchases: &[crate::app::stock::PurchaseRow]) -> Option<Action> {
    let mut action = None;
    ui.strong(t!("stock18.recent_purchases").to_string());
    egui::Grid::new("purchases")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for p in purchases {
                ui.label(p.reference.as_str());
                ui.label(p.supplier.as_str());
                ui.label(t!("stock18.invoice_no", invoice = p.invoice_no).to_string());
                ui.label(format!("￥{}", p.amount));
                if p.invoice.is_some() {
                    if ui
                        .button(t!("stock18.show_invoice", reference = p.reference).to_string())
                        .clicked()
                    {
                        action = Some(Action::ShowInvoice(p.reference.clone()));
                    }
                } else {
                    ui.label(t!("stock18.no_invoice_copy").to_string());
                }
                ui.end_row();
            }
        });
    action
}

fn on_hand_ui(ui: &mut egui::Ui, shelf: &[GoodsOnShelf], warnings: &[StockWarning]) {
    egui::Grid::new("stock")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for g in shelf.iter().filter(|g| !g.goods.retired) {
                let warning = warnings.iter().find(|w| w.code == g.goods.code);
                ui.label(g.goods.code.as_str());
                ui.label(&g.goods.name);
                ui.label(&g.goods.unit);
                if warning.is_some_and(|w| w.low_stock_threshold.is_some()) {
                    ui.colored_label(theme::DANGER, g.on_hand.to_string());
                } else {
                    ui.label(g.on_hand.to_string());
                }
                let first = warning
                    .and_then(|w| w.issue_first)
                    .map(|d| t!("ui.stock.issue_first", day = d).to_string())
                    .unwrap_or_default();
                ui.label(first);
                ui.end_row();
            }
        });
}
