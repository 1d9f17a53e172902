//! The counter app (egui). Screens draw and return actions; `JifenApp::apply` runs each action
//! through the services after the frame. Screens never touch the database.

mod action;
mod admin;
pub mod cards;
pub mod clock_banner;
pub mod counter;
mod counter_actions;
mod counter_cart;
pub mod counter_rules;
pub mod day;
mod day_actions;
pub mod goods;
pub mod household_changes;
pub mod households;
mod import_actions;
pub mod imports;
mod keyboard;
mod notice_actions;
mod notice_files;
pub mod notices;
mod print_actions;
pub mod register;
mod register_actions;
pub mod register_disputes;
pub mod restore;
mod restore_actions;
pub mod rules_setup;
pub mod scan;
mod serial_scanner;
pub mod settings;
pub mod setup;
mod setup_actions;
pub mod signin;
pub mod staff;
mod staff_actions;
mod start;
pub mod startup_work;
pub mod stock;
mod stock_actions;
mod tab;
pub mod theme;
pub mod today;
pub mod upgrade;
pub mod widgets;

use std::path::Path;

use chrono::NaiveDateTime;
use eframe::egui;
use rust_i18n::t;

use crate::app::{self, Actor};
use crate::core::staff::{Role, Staff};
use crate::core::{IdempotencyKey, ReceiptNo, StaffId};
use crate::store::Db;
use counter::CounterScreen;
use scan::ScanBuffer;
use signin::SignInScreen;
use today::TodayScreen;

pub use action::Action;
pub use tab::Tab;

/// Where the time comes from: the wall clock in the app, a fixed moment in tests.
pub type Clock = Box<dyn Fn() -> NaiveDateTime>;

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
    register: register::RegisterScreen,
    /// For turning rendered notice pages into textures outside the frame.
    ctx: egui::Context,
    /// The start-up check and backup, begun after the first frame.
    startup: startup_work::StartupWork,
    /// The push to the township started at the day's close (issue 21), while it runs.
    township_push: Option<crate::township::background::BackgroundPush>,
    tab: Tab,
    scan: ScanBuffer,
    pub banner: Option<Banner>,
    /// The idempotency key of the cart being built: a second confirm replays, never re-debits.
    cart_key: Option<IdempotencyKey>,
    idle_lock_seconds: f64,
    last_activity: f64,
    /// First start, the checklist and the screens it leads to.
    pub setup: setup_actions::SetupState,
    restore: restore::RestoreScreen,
    /// The PC's clock looked wrong at start (issue 15).
    pub clock_banner: clock_banner::ClockBanner,
}

impl JifenApp {
    pub fn new(cc: &eframe::CreationContext<'_>, mut db: Db, clock: Clock) -> Self {
        theme::install_fonts(&cc.egui_ctx);
        theme::install_style(&cc.egui_ctx);
        let store = app::setup::store_info(&mut db).ok().flatten();
        let needs_setup = store.is_none();
        let store_name = store.map(|s| s.name).unwrap_or_default();
        let staff = app::queries::staff(&mut db).unwrap_or_default();
        // Before the day's automatic backup, which moves the mark it compares with.
        let clock_banner = clock_banner::ClockBanner::at_start(&mut db, clock());
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
            register: register::RegisterScreen::default(),
            ctx: cc.egui_ctx.clone(),
            startup: Default::default(),
            township_push: None,
            tab: Tab::Counter,
            scan: ScanBuffer::default(),
            banner: None,
            cart_key: None,
            idle_lock_seconds: DEFAULT_IDLE_LOCK_MINUTES * 60.0,
            last_activity: 0.0,
            setup: setup_actions::SetupState {
                needs_setup,
                ..Default::default()
            },
            clock_banner,
            restore: Default::default(),
        };
        app.apply_stored_preferences();
        app.start_serial_scanner();
        app
    }

    fn now(&self) -> NaiveDateTime {
        (self.clock)()
    }

    fn problem(&mut self, error: app::Error) {
        let sentence = error.to_string();
        self.setup.detail = app::messages::detail(&error);
        self.setup.show_detail = false;
        app::log::failure(
            self.db.path(),
            &sentence,
            self.setup.detail.as_deref(),
            self.now(),
        );
        self.banner = Some(Banner::Problem(sentence));
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
                // The sign-in screen faces the room: the last message named a household and
                // its balance.
                self.banner = None;
            }
            Action::SetLanguage(locale) => rust_i18n::set_locale(locale),
            Action::ShowTab(tab) => {
                // Imports, cards and rules open from the 开始 page (the top bar is full).
                let allowed = self.actor.as_ref().is_some_and(|a| {
                    Tab::for_role(a.role).contains(&tab)
                        || (matches!(tab, Tab::Imports | Tab::Cards | Tab::Rules | Tab::Restore)
                            && a.role == Role::Manager)
                });
                if allowed {
                    self.tab = tab;
                    self.load_tab();
                }
            }
            Action::ReprintLast => self.reprint_last(),
            Action::Void { receipt_no, reason } => self.void(receipt_no, &reason),
            Action::Register(action) => self.apply_register(action),
            staff @ (Action::DisableStaff { .. }
            | Action::EnableStaff(_)
            | Action::ResetPin { .. }
            | Action::ChangePin { .. }) => self.apply_staff(staff),
            Action::Setup(action) => self.apply_setup(action),
            Action::Restore(action) => self.apply_restore(action),
            other => {
                if let Some(other) = self.apply_counter(other) {
                    self.apply_admin(other)
                }
            }
        }
    }

    fn sign_in(&mut self, staff: StaffId, pin: &str) {
        let now = self.now();
        match app::sign_in(&mut self.db, staff, pin, now) {
            Ok(actor) => {
                self.tab = self.home_tab(actor.role);
                self.actor = Some(actor);
                self.signin.error = None;
                self.banner = None;
                self.reload_shelf();
                self.refresh_printer_state();
            }
            Err(e) => self.signin.error = Some(e.to_string()),
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

    /// The top bar wraps onto a second line when the window is narrow (1024×768): nothing is
    /// ever cut off.
    fn top_bar(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        // Tighter than the screens' buttons so a manager's tabs fit one row at 1366 pixels; wraps
        // rather than pushing 锁定 off a narrower screen.
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().button_padding.x = 6.0;
            ui.spacing_mut().item_spacing.x = 4.0;
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
        let Some(banner) = self.banner.clone() else {
            return;
        };
        let (colour, text) = match &banner {
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
            if matches!(banner, Banner::Problem(_))
                && self.setup.detail.is_some()
                && ui.small_button(t!("setup.detail").to_string()).clicked()
            {
                self.setup.show_detail = !self.setup.show_detail;
            }
        });
        if let (true, Some(detail), Some(Banner::Problem(_))) =
            (self.setup.show_detail, &self.setup.detail, &self.banner)
        {
            ui.label(egui::RichText::new(detail.as_str()).monospace().weak());
        }
    }
}

impl eframe::App for JifenApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        let mut actions = Vec::new();
        self.startup_work(&ctx);
        self.poll_township_push();
        self.poll_printer();
        self.serial_scans(&mut actions);
        self.keyboard(&ctx, &mut actions);
        egui::Panel::top("top").show(ui, |ui| self.top_bar(ui, &mut actions));
        self.clock_banner.show(ui);
        egui::Panel::bottom("banner").show(ui, |ui| {
            self.startup_status_ui(ui);
            self.banner_ui(ui)
        });
        match self.actor.as_ref().map(|a| a.role) {
            Some(_) if self.actor.as_ref().is_some_and(|a| a.must_change_pin) => {
                let me = self.actor.as_ref().map(|a| a.id);
                egui::CentralPanel::default().show(ui, |ui| {
                    actions.extend(me.and_then(|me| self.signin.must_change_ui(ui, me)))
                });
            }
            None if self.setup.needs_setup => {
                egui::CentralPanel::default().show(ui, |ui| {
                    actions.extend(self.setup.screen.ui(ui).map(Action::Setup))
                });
            }
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
        self.after_frame(&ctx);
    }
}

/// Opens the counter app on the store in `dir`.
pub fn run_app(dir: &Path, locale: &str) -> Result<(), String> {
    rust_i18n::set_locale(locale);
    upgrade::run_if_needed(dir)?;
    // A folder with no store opens on the set-up screen.
    let db = Db::open_in(dir).map_err(|e| app::Error::Store(e).to_string())?;
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
