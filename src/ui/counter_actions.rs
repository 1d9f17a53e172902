//! Applying what the counter asks for: scans, household choice, goods and quantities, the
//! basket's protection (放弃本单？), the confirmed redemption and its receipt's fate.

use rust_i18n::t;

use super::counter::{AfterDiscard, ReceiptOutcome};
use super::counter_rules::{Availability, parse_code_and_qty};
use super::{Action, Banner, CARD_DIGITS_AT_LEAST, JifenApp};
use crate::app;
use crate::core::redemption::{CartLine, RedemptionRequest, Via};
use crate::core::{GoodsCode, HouseholdNo, Qty};

/// The settings key a manager sets when the store gives no paper receipts (本店不打小票).
pub const NO_RECEIPTS: &str = app::settings::RECEIPT_NOT_PRINTED;

impl JifenApp {
    pub(super) fn apply_counter(&mut self, action: Action) -> Option<Action> {
        match action {
            Action::Scan(payload) => self.scanned(&payload),
            Action::Search(text) => self.search(&text),
            Action::SelectHousehold {
                number,
                manual_reason,
            } => {
                if self.counter.basket_at_risk() {
                    self.counter.discard = Some(AfterDiscard::Select {
                        number,
                        manual_reason,
                    });
                } else {
                    self.select_household(&number, manual_reason);
                }
            }
            Action::AddGoods { code } => self.add_goods(&code, 1),
            Action::EnterCode(text) => self.enter_code(&text),
            Action::SetQty { code, qty } => self.set_qty(&code, qty),
            Action::ClearCustomer => {
                if self.counter.basket_at_risk() {
                    self.counter.discard = Some(AfterDiscard::Clear);
                } else {
                    self.counter.clear_customer();
                    self.cart_key = None;
                }
            }
            Action::KeepBasket => self.counter.discard = None,
            Action::DiscardBasket => self.discard_basket(),
            Action::AskConfirm => {
                if self.counter.household.is_some() && !self.counter.cart.is_empty() {
                    match self.counter.basket_problem() {
                        Some(problem) => self.banner = Some(Banner::Problem(problem.message())),
                        None => self.counter.confirming = true,
                    }
                }
            }
            Action::CancelConfirm => self.counter.confirming = false,
            Action::Confirm => self.confirm(),
            Action::MarkNoReceipts => self.mark_no_receipts(),
            other => return Some(other),
        }
        None
    }

    /// The search box takes a household number, name or phone — or the digits printed under
    /// the card's QR code when the code will not scan (spaces and full-width digits allowed).
    fn search(&mut self, text: &str) {
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.chars().count() >= CARD_DIGITS_AT_LEAST
            && digits.parse::<crate::core::card::CardPayload>().is_ok()
        {
            match app::cards::verify_card(&mut self.db, text) {
                Ok(holder) => self.choose(&holder.household.number, None),
                Err(e) => self.problem(e),
            }
            return;
        }
        match app::queries::search_households(&mut self.db, text, 30) {
            Ok(found) if found.is_empty() => {
                self.counter.search_results.clear();
                self.counter.focus_search = true;
                self.banner = Some(Banner::Problem(
                    t!("ui.counter.none_found", text = text).to_string(),
                ))
            }
            Ok(found) => {
                self.counter.search_results = found;
                self.counter.searched = text.to_string();
                self.counter.search_pick = 0;
                // Back to the box: the next Enter opens the highlighted household.
                self.counter.focus_search = true;
            }
            Err(e) => self.problem(e),
        }
    }

    /// Picks a household, asking 放弃本单？ first when another household's basket is full.
    fn choose(&mut self, number: &HouseholdNo, manual_reason: Option<String>) {
        let same = self
            .counter
            .household
            .as_ref()
            .is_some_and(|h| &h.household.number == number);
        if same {
            return;
        }
        if self.counter.basket_at_risk() {
            self.counter.discard = Some(AfterDiscard::Select {
                number: number.clone(),
                manual_reason,
            });
        } else {
            self.select_household(number, manual_reason);
        }
    }

    /// A scan is a household card, a goods barcode (with a household at the counter), or —
    /// where cards are not yet issued — a household number, which is logged as "no card".
    fn scanned(&mut self, payload: &str) {
        if self.counter.household.is_some()
            && let Ok(Some(goods)) = app::queries::find_goods(&mut self.db, payload)
        {
            self.add_goods(&goods.code, 1);
            return;
        }
        if self.counter.basket_at_risk() {
            self.counter.discard = Some(AfterDiscard::Scan(payload.to_string()));
            return;
        }
        self.identify(payload);
    }

    fn identify(&mut self, payload: &str) {
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

    /// The clerk gave the basket up: the attempt is logged, then the scan or choice that asked
    /// for it goes ahead.
    fn discard_basket(&mut self) {
        let Some(then) = self.counter.discard.take() else {
            return;
        };
        if let (Some(actor), Some(h)) = (self.actor.clone(), self.counter.household.clone()) {
            let lines: Vec<CartLine> = self
                .counter
                .cart
                .iter()
                .map(|(code, qty)| CartLine {
                    code: code.clone(),
                    qty: Qty(*qty),
                })
                .collect();
            let why = match &then {
                AfterDiscard::Clear => "clear",
                AfterDiscard::Scan(_) => "scan",
                AfterDiscard::Select { .. } => "select",
            };
            let total = self.counter.total();
            let now = self.now();
            if let Err(e) = app::basket::log_discarded_basket(
                &mut self.db,
                &actor,
                &h.household.number,
                &lines,
                total,
                why,
                now,
            ) {
                self.problem(e);
                return;
            }
        }
        self.counter.clear_customer();
        self.cart_key = None;
        self.banner = Some(Banner::Done(t!("counter18.discarded").to_string()));
        match then {
            AfterDiscard::Clear => {}
            AfterDiscard::Scan(payload) => self.identify(&payload),
            AfterDiscard::Select {
                number,
                manual_reason,
            } => self.select_household(&number, manual_reason),
        }
    }

    pub(super) fn select_household(&mut self, number: &HouseholdNo, manual_reason: Option<String>) {
        let now = self.now();
        // A household that never had a card did not forget it: the record says 无卡.
        let manual_reason = manual_reason.map(|reason| {
            match app::setup_queries::ever_had_card(&mut self.db, number) {
                Ok(false) => t!("setup.counter.never_had_card").to_string(),
                _ => reason,
            }
        });
        match app::queries::household_at_counter(&mut self.db, number, now) {
            Ok(found) => {
                // A card scanned while F2 held text: the box keeps what was typed.
                let typed = std::mem::take(&mut self.counter.search_input);
                self.counter.clear_customer();
                self.counter.search_input = typed;
                self.counter.household = Some(found);
                self.counter.manual_reason = manual_reason;
                self.cart_key = self.new_cart_key();
                self.banner = None;
            }
            Err(e) => self.problem(e),
        }
    }

    /// `1032*20` (or a bare code or barcode) typed into the F4 box.
    fn enter_code(&mut self, text: &str) {
        let Some((code, qty)) = parse_code_and_qty(text) else {
            self.banner = Some(Banner::Problem(
                t!("counter18.bad_typed_qty", text = text.trim()).to_string(),
            ));
            return;
        };
        match app::queries::find_goods(&mut self.db, &code) {
            Ok(Some(goods)) => self.add_goods(&goods.code, qty),
            Ok(None) => {
                self.banner = Some(Banner::Problem(
                    t!("ui.counter.unknown_code", code = code).to_string(),
                ))
            }
            Err(e) => self.problem(e),
        }
    }

    fn set_qty(&mut self, code: &GoodsCode, qty: i64) {
        match self.counter.cart.iter_mut().find(|(c, _)| c == code) {
            Some(line) if qty > 0 => line.1 = qty,
            Some(_) => {
                self.counter.cart.retain(|(c, _)| c != code);
                self.counter.qty_text.remove(code);
            }
            None if qty > 0 => self.counter.cart.push((code.clone(), qty)),
            None => {}
        }
    }

    /// Adds `qty` of a good, refusing at once (with the reason) what the basket could not hold.
    fn add_goods(&mut self, code: &GoodsCode, qty: i64) {
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
        let wanted = self.counter.in_cart(code) + qty;
        let name = goods.goods.name.clone();
        let problem = match self.counter.availability_of(&goods, wanted) {
            Availability::Yes => {
                self.set_qty(code, wanted);
                self.counter.qty_text.remove(code);
                self.banner = None;
                return;
            }
            Availability::OutOfStock => t!(
                "counter18.out_of_stock",
                name = name,
                on_hand = goods.on_hand,
                wanted = wanted,
                short = wanted - goods.on_hand.0
            )
            .to_string(),
            Availability::OverLimit => t!("ui.counter.cannot_add_limit", name = name).to_string(),
            Availability::NoPrice => t!("ui.counter.no_price").to_string(),
            Availability::NotForTier => t!("ui.counter.cannot_add_tier", name = name).to_string(),
        };
        self.banner = Some(Banner::Problem(problem));
    }

    fn confirm(&mut self) {
        self.counter.confirming = false;
        let (Some(actor), Some(household)) = (self.actor.clone(), self.counter.household.clone())
        else {
            return;
        };
        if self.counter.cart.is_empty() || self.counter.basket_problem().is_some() {
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
                // The redemption stands whatever the printer does: print after the commit.
                let outcome = if done.replayed {
                    ReceiptOutcome::Printed
                } else {
                    self.print_receipt(&actor, &done.receipt.receipt_no)
                };
                let r = &done.receipt;
                let text = t!(
                    "ui.counter.done",
                    number = r.receipt_no,
                    head = r.head_name,
                    points = r.total_points,
                    after = r.balance_after
                );
                let text = format!("{text}。{}", outcome.text());
                self.banner = Some(if outcome.is_problem() {
                    Banner::Problem(text)
                } else {
                    Banner::Done(text)
                });
                self.counter.receipt_outcome = Some(outcome);
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

    /// Whether the counter must warn that no receipt will print: no printer, and the store not
    /// marked as one that gives none.
    pub(super) fn refresh_printer_state(&mut self) {
        let none = app::settings::PrinterSettings::load(&mut self.db)
            .is_ok_and(|s| s.uri == jifen_hardware::PrinterUri::None);
        let marked = self.no_receipts_marked();
        self.counter.printer_missing = none && !marked;
        self.counter.may_mark_no_receipts = self.actor.as_ref().is_some_and(|a| {
            a.require(crate::core::staff::Action::ChangeSettings)
                .is_ok()
        });
    }

    pub(super) fn no_receipts_marked(&mut self) -> bool {
        app::settings::get(&mut self.db, NO_RECEIPTS).is_ok_and(|v| v.as_deref() == Some("1"))
    }

    fn mark_no_receipts(&mut self) {
        let Some(actor) = self.actor.clone() else {
            return;
        };
        let now = self.now();
        match app::settings::set(&mut self.db, &actor, NO_RECEIPTS, "1", now) {
            Ok(()) => {
                self.banner = Some(Banner::Done(t!("counter18.marked_no_receipts").to_string()))
            }
            Err(e) => self.problem(e),
        }
        self.refresh_printer_state();
    }
}
