//! The counter app (egui). Screens draw and return actions; `JifenApp::apply` runs each action
//! through the services after the frame. Screens never touch the database.

mod admin;
pub mod counter;
pub mod day;
mod day_actions;
pub mod goods;
pub mod household_changes;
pub mod households;
mod notice_actions;
pub mod notices;
mod print_actions;
pub mod scan;
mod serial_scanner;
pub mod settings;
pub mod signin;
pub mod staff;
pub mod stock;
mod stock_actions;
pub mod theme;
pub mod today;
pub mod widgets;

use std::path::Path;

use chrono::NaiveDateTime;
use eframe::egui;
use rust_i18n::t;

use crate::app::{self, Actor};
use crate::core::redemption::{CartLine, RedemptionRequest, Via};
use crate::core::staff::{Role, Staff};
use crate::core::{GoodsCode, HouseholdNo, IdempotencyKey, Qty, ReceiptNo, StaffId};
use crate::store::Db;
use counter::CounterScreen;
use scan::ScanBuffer;
use signin::SignInScreen;
use today::TodayScreen;

/// Where the time comes from: the wall clock in the app, a fixed moment in tests.
pub type Clock = Box<dyn Fn() -> NaiveDateTime>;

/// Everything a user can ask for. Filled while drawing, applied after the frame.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum Action {
    SignIn {
        staff: StaffId,
        pin: String,
    },
    Lock,
    SetLanguage(&'static str),
    ShowTab(Tab),
    Scan(String),
    Search(String),
    SelectHousehold {
        number: HouseholdNo,
        manual_reason: Option<String>,
    },
    AddGoods {
        code: GoodsCode,
    },
    EnterCode(String),
    SetQty {
        code: GoodsCode,
        qty: i64,
    },
    ClearCustomer,
    AskConfirm,
    CancelConfirm,
    Confirm,
    Void {
        receipt_no: ReceiptNo,
        reason: String,
    },
    SetPrice {
        code: String,
        points: String,
        from: String,
        approved_by: String,
    },
    FindHouseholds(String),
    ShowLedger(HouseholdNo),
    ReceiveDonation {
        donor: String,
        contact: String,
        lines: String,
    },
    AddStaff {
        name: String,
        role: Role,
        pin: String,
    },
    ReceivePurchase {
        supplier: String,
        invoice: String,
        amount: String,
        lines: String,
    },
    WriteOff {
        lines: String,
        reason: String,
    },
    StartStocktake,
    SaveCounts(Vec<(String, String)>),
    PostStocktake(Vec<(String, String)>),
    CloseStocktakeView,
    AddGoodsToCatalogue {
        code: String,
        name: String,
        unit: String,
        price: String,
        category: String,
    },
    RetireGoods(String),
    SetThreshold {
        code: String,
        threshold: String,
    },
    ShowPriceHistory(String),
    Reprint(ReceiptNo),
    SaveSettings(Vec<(String, String)>),
    PrintTestPage,
    ShowNotice,
    SaveNotice {
        png: bool,
    },
    PrintNoticeSlip,
    EditRulesTemplate,
    SaveRulesTemplate(String),
    OpenDay {
        groups: String,
        on_duty: String,
    },
    CloseDay,
    BackupTo(String),
    EditHousehold {
        number: String,
        head_name: String,
        members: String,
        phone: String,
        moved_away: bool,
    },
    HouseholdChange(household_changes::ChangeAction),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Counter,
    Today,
    Day,
    Goods,
    Households,
    Stock,
    Staff,
    Notices,
    Settings,
}

impl Tab {
    /// The tabs a role sees, in the order of the top bar.
    pub fn for_role(role: Role) -> &'static [Tab] {
        match role {
            Role::Manager => &[
                Tab::Counter,
                Tab::Today,
                Tab::Day,
                Tab::Goods,
                Tab::Households,
                Tab::Stock,
                Tab::Staff,
                Tab::Notices,
                Tab::Settings,
            ],
            Role::Cashier => &[
                Tab::Counter,
                Tab::Today,
                Tab::Day,
                Tab::Goods,
                Tab::Households,
                Tab::Stock,
                Tab::Notices,
            ],
            Role::Auditor => &[
                Tab::Today,
                Tab::Day,
                Tab::Goods,
                Tab::Households,
                Tab::Stock,
                Tab::Notices,
            ],
        }
    }

    fn label(self) -> String {
        let key = match self {
            Tab::Counter => "ui.top.counter",
            Tab::Today => "ui.top.today",
            Tab::Day => "ui.top.day",
            Tab::Goods => "ui.top.goods",
            Tab::Households => "ui.top.households",
            Tab::Stock => "ui.top.stock",
            Tab::Staff => "ui.top.staff_tab",
            Tab::Settings => "ui.top.settings",
            Tab::Notices => "ui.top.notices",
        };
        t!(key).to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Banner {
    Done(String),
    Problem(String),
}

/// Card payloads are 24 digits; household numbers and barcodes are shorter.
const CARD_DIGITS_AT_LEAST: usize = 20;

/// Minutes without input before the counter locks itself.
pub const DEFAULT_IDLE_LOCK_MINUTES: f64 = 10.0;

pub struct JifenApp {
    db: Db,
    clock: Clock,
    store_name: String,
    staff: Vec<Staff>,
    pub actor: Option<Actor>,
    signin: SignInScreen,
    pub counter: CounterScreen,
    today: TodayScreen,
    day: day::DayScreen,
    goods: goods::GoodsScreen,
    households: households::HouseholdsScreen,
    stock: stock::StockScreen,
    staff_screen: staff::StaffScreen,
    settings: settings::SettingsScreen,
    printer: Option<crate::app::print_worker::PrintWorkerHandle>,
    /// A receipt whose print failed: the banner offers 重打.
    reprint_offer: Option<ReceiptNo>,
    serial_scanner: Option<serial_scanner::SerialScanner>,
    notices: notices::NoticesScreen,
    /// For turning rendered notice pages into textures outside the frame.
    ctx: egui::Context,
    /// The start-up check running in the background.
    startup_check: Option<std::sync::mpsc::Receiver<Option<String>>>,
    tab: Tab,
    scan: ScanBuffer,
    pub banner: Option<Banner>,
    /// The idempotency key of the cart being built: a second confirm replays, never re-debits.
    cart_key: Option<IdempotencyKey>,
    idle_lock_seconds: f64,
    last_activity: f64,
}

impl JifenApp {
    pub fn new(cc: &eframe::CreationContext<'_>, mut db: Db, clock: Clock) -> Self {
        theme::install_fonts(&cc.egui_ctx);
        theme::install_style(&cc.egui_ctx);
        let store_name = app::setup::store_info(&mut db)
            .ok()
            .flatten()
            .map(|s| s.name)
            .unwrap_or_default();
        let staff = app::queries::staff(&mut db).unwrap_or_default();
        let mut app = JifenApp {
            db,
            clock,
            store_name,
            staff,
            actor: None,
            signin: SignInScreen::default(),
            counter: CounterScreen::default(),
            today: TodayScreen::default(),
            day: day::DayScreen::default(),
            goods: goods::GoodsScreen::default(),
            households: households::HouseholdsScreen::default(),
            stock: stock::StockScreen::default(),
            staff_screen: staff::StaffScreen::default(),
            settings: settings::SettingsScreen::default(),
            printer: None,
            reprint_offer: None,
            serial_scanner: None,
            notices: notices::NoticesScreen::default(),
            ctx: cc.egui_ctx.clone(),
            startup_check: None,
            tab: Tab::Counter,
            scan: ScanBuffer::default(),
            banner: None,
            cart_key: None,
            idle_lock_seconds: DEFAULT_IDLE_LOCK_MINUTES * 60.0,
            last_activity: 0.0,
        };
        app.startup_check();
        app.first_start_backup();
        app.apply_stored_preferences();
        app.start_serial_scanner();
        app
    }

    /// The ledgers are checked at every start: a damaged store is said plainly, not discovered later.
    /// The ledgers are checked at every start, on a thread of their own with their own
    /// connection: on years of records the full check takes seconds, and the counter must not
    /// wait for it. A damaged store is said plainly in the banner as soon as it is known.
    fn startup_check(&mut self) {
        let path = self.db.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        let ctx = self.ctx.clone();
        std::thread::spawn(move || {
            let outcome = Db::open(&path)
                .map_err(app::Error::Store)
                .and_then(|mut db| app::check::check(&mut db));
            let message = match outcome {
                Ok(faults) if faults.is_empty() => None,
                Ok(faults) => {
                    let first = app::messages::fault(&faults[0]);
                    Some(t!("ui.check_failed", count = faults.len(), first = first).to_string())
                }
                Err(e) => Some(e.to_string()),
            };
            let _ = tx.send(message);
            ctx.request_repaint();
        });
        self.startup_check = Some(rx);
    }

    /// The start-up check's verdict, once it has one.
    fn poll_startup_check(&mut self) {
        let Some(rx) = &self.startup_check else {
            return;
        };
        if let Ok(message) = rx.try_recv() {
            self.startup_check = None;
            if let Some(message) = message {
                self.banner = Some(Banner::Problem(message));
            }
        }
    }

    fn now(&self) -> NaiveDateTime {
        (self.clock)()
    }

    fn problem(&mut self, error: app::Error) {
        self.banner = Some(Banner::Problem(error.to_string()));
    }

    fn reload_shelf(&mut self) {
        let today = self.now().date();
        match app::queries::stock(&mut self.db, None, today) {
            Ok(shelf) => self.counter.shelf = shelf,
            Err(e) => self.problem(e),
        }
    }

    fn new_cart_key(&self) -> Option<IdempotencyKey> {
        let staff = self.actor.as_ref().map_or(0, |a| a.id.0);
        format!("s{staff}-{:016x}", rand::random::<u64>())
            .parse()
            .ok()
    }

    /// Applies one action through the services.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::SignIn { staff, pin } => self.sign_in(staff, &pin),
            Action::Lock => {
                self.signin.selected = self.actor.take().map(|a| a.id);
                self.counter.clear_customer();
            }
            Action::SetLanguage(locale) => rust_i18n::set_locale(locale),
            Action::ShowTab(tab) => {
                let allowed = self
                    .actor
                    .as_ref()
                    .is_some_and(|a| Tab::for_role(a.role).contains(&tab));
                if allowed {
                    self.tab = tab;
                    self.load_tab();
                }
            }
            Action::Scan(payload) => self.scanned(&payload),
            Action::Search(text) => {
                match app::queries::search_households(&mut self.db, &text, 30) {
                    Ok(found) if found.is_empty() => {
                        self.banner = Some(Banner::Problem(
                            t!("ui.counter.none_found", text = text).to_string(),
                        ))
                    }
                    Ok(found) => self.counter.search_results = found,
                    Err(e) => self.problem(e),
                }
            }
            Action::SelectHousehold {
                number,
                manual_reason,
            } => self.select_household(&number, manual_reason),
            Action::AddGoods { code } => self.add_goods(&code),
            Action::EnterCode(text) => match app::queries::find_goods(&mut self.db, &text) {
                Ok(Some(goods)) => self.add_goods(&goods.code),
                Ok(None) => {
                    self.banner = Some(Banner::Problem(
                        t!("ui.counter.unknown_code", code = text.trim()).to_string(),
                    ))
                }
                Err(e) => self.problem(e),
            },
            Action::SetQty { code, qty } => {
                self.counter.cart.retain(|(c, _)| *c != code);
                if qty > 0 {
                    self.counter.cart.push((code, qty));
                }
            }
            Action::ClearCustomer => {
                self.counter.clear_customer();
                self.cart_key = None;
            }
            Action::AskConfirm => {
                self.counter.confirming =
                    self.counter.household.is_some() && !self.counter.cart.is_empty()
            }
            Action::CancelConfirm => self.counter.confirming = false,
            Action::Confirm => self.confirm(),
            Action::Void { receipt_no, reason } => self.void(receipt_no, &reason),
            other => self.apply_admin(other),
        }
    }

    fn sign_in(&mut self, staff: StaffId, pin: &str) {
        let now = self.now();
        match app::sign_in(&mut self.db, staff, pin, now) {
            Ok(actor) => {
                self.tab = Tab::for_role(actor.role)[0];
                self.actor = Some(actor);
                self.signin.error = None;
                self.banner = None;
                self.reload_shelf();
            }
            Err(e) => self.signin.error = Some(e.to_string()),
        }
    }

    /// A scan is a household card, a goods barcode (with a household at the counter), or —
    /// where cards are not yet issued — a household number, which is logged as "no card".
    fn scanned(&mut self, payload: &str) {
        if self.counter.household.is_some()
            && let Ok(Some(goods)) = app::queries::find_goods(&mut self.db, payload)
        {
            self.add_goods(&goods.code);
            return;
        }
        if payload.len() >= CARD_DIGITS_AT_LEAST {
            match app::cards::verify_card(&mut self.db, payload) {
                Ok(holder) => self.select_household(&holder.household.number, None),
                Err(e) => self.problem(e),
            }
            return;
        }
        match payload.parse::<HouseholdNo>() {
            Ok(number) => {
                self.select_household(&number, Some(t!("ui.counter.scanned_number").to_string()))
            }
            Err(_) => {
                self.banner = Some(Banner::Problem(
                    t!("ui.counter.unknown_scan", payload = payload).to_string(),
                ))
            }
        }
    }

    fn select_household(&mut self, number: &HouseholdNo, manual_reason: Option<String>) {
        let now = self.now();
        match app::queries::household_at_counter(&mut self.db, number, now) {
            Ok(found) => {
                self.counter.clear_customer();
                self.counter.household = Some(found);
                self.counter.manual_reason = manual_reason;
                self.cart_key = self.new_cart_key();
                self.banner = None;
            }
            Err(e) => self.problem(e),
        }
    }

    fn add_goods(&mut self, code: &GoodsCode) {
        if self.counter.household.is_none() {
            self.banner = Some(Banner::Problem(
                t!("ui.counter.household_first").to_string(),
            ));
            return;
        }
        let Some(goods) = self
            .counter
            .shelf
            .iter()
            .find(|g| &g.goods.code == code)
            .cloned()
        else {
            self.banner = Some(Banner::Problem(
                t!("ui.counter.unknown_code", code = code).to_string(),
            ));
            return;
        };
        match self.counter.availability(&goods) {
            counter::Availability::Yes => {
                let qty = self.counter.in_cart(code) + 1;
                self.apply(Action::SetQty {
                    code: code.clone(),
                    qty,
                });
                self.banner = None;
            }
            counter::Availability::OutOfStock => {
                self.banner = Some(Banner::Problem(
                    t!("ui.counter.cannot_add_stock", name = goods.goods.name).to_string(),
                ))
            }
            counter::Availability::OverLimit => {
                self.banner = Some(Banner::Problem(
                    t!("ui.counter.cannot_add_limit", name = goods.goods.name).to_string(),
                ))
            }
            counter::Availability::NoPrice => {
                self.banner = Some(Banner::Problem(t!("ui.counter.no_price").to_string()))
            }
            counter::Availability::NotForTier => {
                self.banner = Some(Banner::Problem(
                    t!("ui.counter.cannot_add_tier", name = goods.goods.name).to_string(),
                ))
            }
        }
    }

    fn confirm(&mut self) {
        self.counter.confirming = false;
        let (Some(actor), Some(household)) = (self.actor.clone(), self.counter.household.clone())
        else {
            return;
        };
        if self.counter.cart.is_empty() {
            return;
        }
        let request = RedemptionRequest {
            household: household.household.number.clone(),
            lines: self
                .counter
                .cart
                .iter()
                .map(|(code, qty)| CartLine {
                    code: code.clone(),
                    qty: Qty(*qty),
                })
                .collect(),
            via: match &self.counter.manual_reason {
                Some(reason) => Via::Manual {
                    reason: reason.clone(),
                },
                None => Via::Card,
            },
            key: self.cart_key.clone(),
        };
        let now = self.now();
        match app::redeem::redeem(&mut self.db, &actor, &request, now) {
            Ok(done) => {
                let r = &done.receipt;
                self.banner = Some(Banner::Done(
                    t!(
                        "ui.counter.done",
                        number = r.receipt_no,
                        head = r.head_name,
                        points = r.total_points,
                        after = r.balance_after
                    )
                    .to_string(),
                ));
                // The redemption stands whatever the printer does: print after the commit.
                if !done.replayed {
                    self.print_receipt(&actor, &done.receipt.receipt_no);
                }
                self.counter.last_receipt = Some(done.receipt);
                self.counter.clear_customer();
                self.cart_key = None;
                self.reload_shelf();
            }
            Err(e) => {
                // The household or the shelf may have changed meanwhile (another counter):
                // show them fresh, keep the cart and its key, and say what was wrong.
                let message = e.to_string();
                let (reason, cart, key) = (
                    self.counter.manual_reason.clone(),
                    std::mem::take(&mut self.counter.cart),
                    self.cart_key.clone(),
                );
                self.select_household(&household.household.number, reason);
                self.counter.cart = cart;
                self.cart_key = key;
                self.reload_shelf();
                self.banner = Some(Banner::Problem(message));
            }
        }
    }

    fn void(&mut self, receipt_no: ReceiptNo, reason: &str) {
        let Some(actor) = self.actor.clone() else {
            return;
        };
        let now = self.now();
        match app::redeem::void_redemption(&mut self.db, &actor, &receipt_no, reason, now) {
            Ok(r) => {
                self.banner = Some(Banner::Done(
                    t!(
                        "ui.today.done",
                        number = r.receipt_no,
                        points = r.total_points
                    )
                    .to_string(),
                ));
                self.reload_shelf();
                self.apply(Action::ShowTab(Tab::Today));
            }
            Err(e) => self.problem(e),
        }
    }

    /// Scanner bursts and F-keys, read globally while no text field has focus.
    fn keyboard(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let typing = ctx.text_edit_focused();
        let (events, time) = ctx.input(|i| (i.events.clone(), i.time));
        if !events.is_empty() {
            self.last_activity = time;
        }
        if self.actor.is_none() {
            return;
        }
        let at_counter = self.tab == Tab::Counter;
        for event in events {
            match event {
                egui::Event::Text(text) if !typing && at_counter => {
                    self.scan.push_text(&text, time)
                }
                egui::Event::Key {
                    key,
                    pressed: true,
                    repeat: false,
                    ..
                } => match key {
                    egui::Key::Enter if !typing && at_counter && !self.counter.confirming => {
                        if let Some(payload) = self.scan.enter(time) {
                            actions.push(Action::Scan(payload));
                        }
                    }
                    egui::Key::Enter if self.counter.confirming => actions.push(Action::Confirm),
                    egui::Key::F2 => self.counter.focus_search = true,
                    egui::Key::F4 => self.counter.focus_code = true,
                    egui::Key::F5 => actions.push(Action::ShowTab(Tab::Today)),
                    egui::Key::F6 => actions.push(Action::ShowTab(Tab::Counter)),
                    egui::Key::F9 => actions.push(Action::Lock),
                    egui::Key::F12 if at_counter => actions.push(Action::AskConfirm),
                    egui::Key::Escape if self.counter.confirming => {
                        actions.push(Action::CancelConfirm)
                    }
                    egui::Key::Escape if !typing => actions.push(Action::ClearCustomer),
                    _ => {}
                },
                _ => {}
            }
        }
        if time - self.last_activity > self.idle_lock_seconds {
            actions.push(Action::Lock);
        }
    }

    fn top_bar(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            ui.heading(&self.store_name);
            if let Some(actor) = &self.actor {
                let role = t!(format!("role.{}", actor.role.as_db())).to_string();
                ui.label(t!("ui.top.staff", name = actor.name, role = role).to_string());
                for tab in Tab::for_role(actor.role) {
                    if ui.selectable_label(self.tab == *tab, tab.label()).clicked() {
                        actions.push(Action::ShowTab(*tab));
                    }
                }
                if ui.button(t!("ui.top.lock").to_string()).clicked() {
                    actions.push(Action::Lock);
                }
            }
            let other = if rust_i18n::locale().starts_with("zh") {
                ("English", "en")
            } else {
                ("中文", "zh-CN")
            };
            if ui.button(other.0).clicked() {
                actions.push(Action::SetLanguage(other.1));
            }
        });
    }

    fn banner_ui(&mut self, ui: &mut egui::Ui) {
        let Some(banner) = &self.banner else { return };
        let (colour, text) = match banner {
            Banner::Done(text) => (theme::OK, text.clone()),
            Banner::Problem(text) => (theme::DANGER, text.clone()),
        };
        ui.horizontal_wrapped(|ui| {
            // The reprint button comes first so a long message never pushes it off screen.
            if let Some(receipt_no) = self.reprint_offer
                && ui.button(t!("ui.print.reprint").to_string()).clicked()
            {
                self.reprint_offer = None;
                self.apply(Action::Reprint(receipt_no));
            }
            ui.colored_label(colour, egui::RichText::new(text.as_str()).size(22.0));
        });
    }
}

impl eframe::App for JifenApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        let mut actions = Vec::new();
        self.poll_startup_check();
        self.poll_printer();
        self.serial_scans(&mut actions);
        self.keyboard(&ctx, &mut actions);
        egui::Panel::top("top").show(ui, |ui| self.top_bar(ui, &mut actions));
        egui::Panel::bottom("banner").show(ui, |ui| self.banner_ui(ui));
        match self.actor.as_ref().map(|a| a.role) {
            None => {
                let staff = self.staff.clone();
                let store = self.store_name.clone();
                egui::CentralPanel::default()
                    .show(ui, |ui| actions.extend(self.signin.ui(ui, &store, &staff)));
            }
            Some(_) if self.tab == Tab::Counter => actions.extend(self.counter.ui(ui)),
            Some(role) => {
                egui::CentralPanel::default()
                    .show(ui, |ui| actions.extend(self.admin_ui(ui, role)));
            }
        }
        for action in actions {
            self.apply(action);
        }
    }
}

/// Opens the counter app on the store in `dir`.
pub fn run_app(dir: &Path, locale: &str) -> Result<(), String> {
    rust_i18n::set_locale(locale);
    let mut db = Db::open_in(dir).map_err(|e| app::Error::Store(e).to_string())?;
    if app::setup::store_info(&mut db)
        .map_err(|e| e.to_string())?
        .is_none()
    {
        return Err(app::messages::refusal(
            &crate::core::refusal::Refusal::NotInitialised,
        ));
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1366.0, 768.0])
            .with_title("积分超市 Jifen"),
        ..Default::default()
    };
    let clock: Clock = Box::new(crate::cli::now);
    eframe::run_native(
        "jifen",
        options,
        Box::new(move |cc| {
            let path = db.path().to_path_buf();
            let app = JifenApp::new(cc, db, clock);
            // Printing runs on its own thread: a dead printer never freezes the counter.
            let ctx = cc.egui_ctx.clone();
            Ok(Box::new(
                match crate::app::print_worker::PrintWorker::start_with_notify(&path, move || {
                    ctx.request_repaint()
                }) {
                    Ok(worker) => app.with_printer(worker),
                    Err(_) => app,
                },
            ))
        }),
    )
    .map_err(|e| e.to_string())
}
