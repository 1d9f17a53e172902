//! Applying what the set-up, checklist, import, cards, rules and settings-test screens ask
//! for, through the services; and the first-start state those screens share.

use std::path::{Path, PathBuf};

use rust_i18n::t;

use super::setup::{SetupAction, SetupScreen};
use super::{Banner, JifenApp, Tab};
use crate::app::checklist::{Checklist, Step};
use crate::app::{self, Actor};
use crate::core::card::CardFace;
use crate::core::import_preview::ImportKind;
use crate::core::import_rows::StockRow;
use crate::core::refusal::Refusal;
use crate::core::staff::Role;

/// Chooses a file for a kind of sheet: the test hook standing in for the file dialog.
pub type FilePicker = Box<dyn FnMut(ImportKind) -> Option<PathBuf>>;
/// Shows a saved PDF: the system viewer in the app, a recorder in tests.
pub type Viewer = Box<dyn FnMut(&Path)>;

/// The state the first-start screens share.
pub struct SetupState {
    pub needs_setup: bool,
    pub screen: SetupScreen,
    pub checklist: Checklist,
    pub imports: super::imports::ImportsScreen,
    pub cards: super::cards::CardsScreen,
    pub rules: super::rules_setup::RulesScreen,
    pub file_picker: Option<FilePicker>,
    pub viewer: Viewer,
    /// The technical detail behind the banner's sentence, shown on 详情.
    pub detail: Option<String>,
    pub show_detail: bool,
}

impl Default for SetupState {
    fn default() -> Self {
        SetupState {
            needs_setup: false,
            screen: SetupScreen::default(),
            checklist: Checklist::default(),
            imports: Default::default(),
            cards: Default::default(),
            rules: Default::default(),
            file_picker: None,
            viewer: Box::new(|path| {
                // Opening a viewer is a convenience: the banner already says where the file is.
                let _ = open::that_detached(path);
            }),
            detail: None,
            show_detail: false,
        }
    }
}

impl JifenApp {
    /// Replaces the file dialog with a hook (tests; a kiosk with a fixed folder).
    pub fn with_file_picker(mut self, picker: FilePicker) -> Self {
        self.setup.file_picker = Some(picker);
        self
    }

    /// Replaces the system viewer for saved PDFs.
    pub fn with_viewer(mut self, viewer: Viewer) -> Self {
        self.setup.viewer = viewer;
        self
    }

    /// The manager's home: the checklist until it is done.
    pub(super) fn home_tab(&mut self, role: Role) -> Tab {
        self.refresh_checklist();
        if role == Role::Manager && !self.setup.checklist.complete() {
            Tab::Start
        } else {
            Tab::for_role(role)[0]
        }
    }

    pub(super) fn refresh_checklist(&mut self) {
        if let Ok(list) = app::checklist::checklist(&mut self.db) {
            self.setup.checklist = list;
        }
    }

    /// Fetches what the first-start tabs show.
    pub(super) fn load_setup_tab(&mut self) -> app::Result<()> {
        self.refresh_checklist();
        let today = self.now().date();
        match self.tab {
            Tab::Imports => {
                let places = app::setup::places(&mut self.db)?;
                let shelf = app::queries::stock(&mut self.db, None, today)?;
                let opened: Vec<String> = app::opening_stock::opening_stock(&mut self.db)?
                    .into_iter()
                    .map(|o| o.code.to_string())
                    .collect();
                let i = &mut self.setup.imports;
                i.villages = places.into_iter().map(|(v, _)| v).collect();
                if !i.villages.contains(&i.village) {
                    i.village = i.villages.first().cloned().unwrap_or_default();
                }
                i.stock_form = shelf
                    .iter()
                    .filter(|g| g.on_hand.0 == 0 && !opened.contains(&g.goods.code.to_string()))
                    .map(|g| {
                        let name = format!("{}（{}）", g.goods.name, g.goods.unit);
                        (g.goods.code.to_string(), name, String::new(), String::new())
                    })
                    .collect();
                Ok(())
            }
            Tab::Cards => {
                self.setup.cards.groups = app::setup_queries::group_card_counts(&mut self.db)?;
                Ok(())
            }
            Tab::Rules => {
                self.setup.rules.villages = app::setup_queries::village_rules(&mut self.db, today)?;
                Ok(())
            }
            _ => Ok(()),
        }
    }

    pub(super) fn apply_setup(&mut self, action: SetupAction) {
        if let SetupAction::CreateStore(new) = action {
            return self.create_store(new);
        }
        if let SetupAction::ToggleDetail = action {
            self.setup.show_detail = !self.setup.show_detail;
            return;
        }
        let Some(actor) = self.actor.clone() else {
            return;
        };
        let outcome = self.apply_setup_as(action, &actor);
        match outcome {
            Ok(Some(done)) => self.done(done),
            Ok(None) => {}
            Err(e) => self.problem(e),
        }
        self.refresh_checklist();
        if let Err(e) = self.load_setup_tab() {
            self.problem(e);
        }
    }

    fn done(&mut self, text: String) {
        self.banner = Some(Banner::Done(text));
        self.setup.detail = None;
    }

    fn create_store(&mut self, new: app::setup::NewStore) {
        let now = self.now();
        match app::setup::create_store(&mut self.db, &new, now) {
            Ok(id) => {
                self.setup.needs_setup = false;
                self.store_name = new.store_name.clone();
                self.staff = app::queries::staff(&mut self.db).unwrap_or_default();
                self.setup.screen = SetupScreen::default();
                self.sign_in(id, &new.pin);
            }
            Err(e) => self.setup.screen.error = Some(e.to_string()),
        }
    }

    fn go(&mut self, step: Step) {
        let (tab, kind) = match step {
            Step::Households => (Tab::Imports, Some(ImportKind::Households)),
            Step::Goods => (Tab::Imports, Some(ImportKind::Goods)),
            Step::OpeningStock => (Tab::Imports, Some(ImportKind::Stock)),
            Step::Printer => (Tab::Settings, None),
            Step::Cards => (Tab::Cards, None),
            Step::Rules | Step::Calendar => (Tab::Rules, None),
        };
        if let Some(kind) = kind
            && self.setup.imports.kind != Some(kind)
        {
            self.setup.imports = super::imports::ImportsScreen {
                kind: Some(kind),
                ..Default::default()
            };
        }
        self.apply(super::Action::ShowTab(tab));
    }

    fn apply_setup_as(
        &mut self,
        action: SetupAction,
        actor: &Actor,
    ) -> app::Result<Option<String>> {
        let now = self.now();
        match action {
            SetupAction::CreateStore(_) | SetupAction::ToggleDetail => Ok(None),
            SetupAction::Go(step) => {
                self.go(step);
                Ok(None)
            }
            SetupAction::PickFile(kind) => {
                self.setup.imports.kind = Some(kind);
                match &mut self.setup.file_picker {
                    Some(pick) => match pick(kind) {
                        Some(path) => {
                            self.apply_setup_as(SetupAction::FileChosen(kind, path), actor)
                        }
                        None => Ok(None),
                    },
                    None => {
                        let start = self
                            .setup
                            .imports
                            .file
                            .as_ref()
                            .and_then(|f| f.parent().map(Path::to_path_buf));
                        self.setup
                            .imports
                            .open_dialog(start.or_else(crate::platform::home_folder));
                        Ok(None)
                    }
                }
            }
            SetupAction::FileChosen(kind, path) => {
                let i = &mut self.setup.imports;
                i.kind = Some(kind);
                i.preview = None;
                i.grid = None;
                i.file = Some(path.clone());
                i.grid = Some(app::import::read_grid(&path)?);
                self.repreview()?;
                Ok(None)
            }
            SetupAction::Repreview => {
                self.repreview()?;
                Ok(None)
            }
            SetupAction::CancelImport => {
                let kind = self.setup.imports.kind;
                self.setup.imports.preview = None;
                self.setup.imports.grid = None;
                self.setup.imports.file = None;
                self.setup.imports.kind = kind;
                Ok(None)
            }
            SetupAction::ApplyImport => self.apply_import(actor).map(Some),
            SetupAction::SaveOpeningStock(lines) => {
                let rows = lines
                    .iter()
                    .map(|(code, qty, source)| stock_line(code, qty, source))
                    .collect::<app::Result<Vec<_>>>()?;
                let done =
                    app::opening_stock::enter_opening_stock(&mut self.db, actor, &rows, now)?;
                self.reload_shelf();
                Ok(Some(t!("setup.stock.saved", rows = done.rows).to_string()))
            }
            SetupAction::IssueMissingCards(group) => {
                let spec: app::cards::GroupSpec = group.parse()?;
                let found = app::cards::group_cards(&mut self.db, actor, &spec, true, now)?;
                Ok(Some(
                    t!(
                        "setup.cards.issued",
                        group = group,
                        issued = found.issued,
                        cards = found.cards.len()
                    )
                    .to_string(),
                ))
            }
            SetupAction::PrintGroupCards(group) => {
                let spec: app::cards::GroupSpec = group.parse()?;
                let found = app::cards::group_cards(&mut self.db, actor, &spec, false, now)?;
                let name = format!("{}-{}-{}.pdf", found.village, found.group, now.date());
                let what: String = t!(
                    "card.sheet.group",
                    locale = crate::notice::CARD_LOCALE,
                    group = group
                )
                .into();
                let path = self.save_cards(&found.cards, &what, &name)?;
                let mut text = t!(
                    "setup.cards.printed",
                    group = group,
                    cards = found.cards.len(),
                    file = path.display().to_string()
                )
                .to_string();
                if !found.without_card.is_empty() {
                    text.push_str(&t!("setup.cards.without", n = found.without_card.len()));
                }
                Ok(Some(text))
            }
            SetupAction::ReissueCard { household, reason } => {
                let number: crate::core::HouseholdNo = household
                    .parse()
                    .map_err(|_| Refusal::BadHouseholdNumber(household.clone()))?;
                let issued =
                    app::cards::issue_card(&mut self.db, actor, &number, Some(reason), now)?;
                let what: String = t!(
                    "card.sheet.one",
                    locale = crate::notice::CARD_LOCALE,
                    number = number
                )
                .into();
                let name = format!("{}-{}.pdf", number, issued.face.serial.get());
                let path = self.save_cards(std::slice::from_ref(&issued.face), &what, &name)?;
                self.setup.cards.household.clear();
                self.setup.cards.reason = None;
                Ok(Some(
                    t!(
                        "setup.cards.reissued",
                        number = number,
                        head = issued.face.head_name.as_str(),
                        file = path.display().to_string()
                    )
                    .to_string(),
                ))
            }
            SetupAction::SetRules { village, preset } => {
                let text = app::setup::RULE_PRESETS
                    .get(preset)
                    .copied()
                    .unwrap_or_default();
                let policy = app::rules::set_policy(&mut self.db, actor, &village, text, now)?;
                Ok(Some(
                    t!("setup.rules.set", village = village, rules = policy.name).to_string(),
                ))
            }
            SetupAction::PlanDay { village, day } => {
                let day = day
                    .parse::<chrono::NaiveDate>()
                    .map_err(|_| Refusal::BadDate(day.clone()))?;
                app::duty::plan_day(&mut self.db, actor, &village, day, None, None, now)?;
                Ok(Some(
                    t!(
                        "setup.rules.planned",
                        village = village,
                        day = day.to_string()
                    )
                    .to_string(),
                ))
            }
            SetupAction::TestPrinter(pairs) => {
                let settings =
                    app::settings::PrinterSettings::load(&mut self.db)?.with_pairs(&pairs)?;
                let answer = match app::printing::probe(&settings) {
                    // Many printers never answer: say that this is not a fault.
                    Ok(jifen_hardware::PrinterStatus::Unknown) => {
                        t!("setup.settings.no_answer").to_string()
                    }
                    Ok(status) => t!("setup.settings.answer", status = status.zh()).to_string(),
                    Err(problem) => problem.message(&rust_i18n::locale()),
                };
                self.settings.test_answer = Some(answer);
                Ok(None)
            }
        }
    }

    /// Saves cards as an A4 PDF beside the store (in `cards/`) and shows it.
    fn save_cards(&mut self, faces: &[CardFace], what: &str, name: &str) -> app::Result<PathBuf> {
        let store_name = faces
            .first()
            .map(|f| f.store_name.clone())
            .unwrap_or_default();
        let title = crate::notice::card_sheet::SheetTitle {
            store_name: &store_name,
            what,
            date: self.now().date(),
        };
        let bytes =
            crate::notice::card_sheet::cards_pdf(faces, &title).map_err(|e| app::Error::File {
                path: name.to_string(),
                reason: app::error::FileProblem::Unwritable(e.to_string()),
            })?;
        let dir = self
            .db
            .path()
            .parent()
            .map(|d| d.join("cards"))
            .unwrap_or_else(|| PathBuf::from("cards"));
        let path = dir.join(name.replace(['/', '\\'], "-"));
        std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&path, bytes))
            .map_err(|e| app::error::io_error(&path, &e))?;
        (self.setup.viewer)(&path);
        Ok(path)
    }
}

/// One line of the opening-stock form.
fn stock_line(code: &str, qty: &str, source: &str) -> app::Result<StockRow> {
    let bad = || Refusal::BadStockLine {
        code: code.to_string(),
        qty: qty.to_string(),
    };
    let code = code.parse().map_err(|_| bad())?;
    let qty = crate::core::parse_whole_number(qty)
        .ok()
        .filter(|q| *q > 0)
        .ok_or_else(bad)?;
    Ok(StockRow {
        code,
        qty: crate::core::Qty(qty),
        source: Some(source.trim().to_string()).filter(|s| !s.is_empty()),
    })
}
