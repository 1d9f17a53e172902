//! The counter's writes on the command line: stock in (a donation or a purchase), one
//! redemption, and a new point price. Their arguments and the runs that call the services;
//! `cli.rs` only dispatches here.

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use rust_i18n::t;

use super::parse::{parse_best_before, parse_line, parse_yuan};
use super::{Cli, CliResult, Failure, actor, now, output, print};
use crate::app;
use crate::core::redemption::{CartLine, RedemptionRequest, Via};
use crate::core::{AmountCents, GoodsCode, HouseholdNo, IdempotencyKey, Points};
use crate::store::Db;

#[derive(Subcommand, Debug)]
pub enum ReceiveCommand {
    Donation {
        #[arg(long)]
        donor: String,
        #[arg(long)]
        contact: Option<String>,
        /// Date received (default today)
        #[arg(long)]
        date: Option<NaiveDate>,
        /// Best-before date of a good in this delivery, CODE=YYYY-MM-DD (repeatable)
        #[arg(long = "best-before", value_parser = parse_best_before)]
        best_before: Vec<(GoodsCode, NaiveDate)>,
        #[arg(required = true, value_parser = parse_line)]
        items: Vec<CartLine>,
        /// Print a donation slip (捐赠回执) for the donor on this printer
        #[command(flatten)]
        print: print::PrinterArgs,
    },
    Purchase {
        #[arg(long)]
        supplier: String,
        /// VAT invoice number (required)
        #[arg(long)]
        invoice: String,
        #[arg(long, value_parser = parse_yuan)]
        amount_yuan: AmountCents,
        #[arg(long)]
        date: Option<NaiveDate>,
        /// Best-before date of a good in this delivery, CODE=YYYY-MM-DD (repeatable)
        #[arg(long = "best-before", value_parser = parse_best_before)]
        best_before: Vec<(GoodsCode, NaiveDate)>,
        /// A scan or photo of the invoice (JPG, PNG or PDF), kept in the data folder
        #[arg(long)]
        invoice_file: Option<std::path::PathBuf>,
        #[arg(required = true, value_parser = parse_line)]
        items: Vec<CartLine>,
    },
}

#[derive(Subcommand, Debug)]
pub enum PriceCommand {
    /// Set a new point price from a date (manager only)
    Set {
        code: GoodsCode,
        points: i64,
        /// First day of the new price (default today)
        #[arg(long)]
        from: Option<NaiveDate>,
        /// Who approved it (at least one name, comma-separated)
        #[arg(long)]
        approved_by: Option<String>,
        /// The committee decision behind it (e.g. "村两委会议 2026-11-18")
        #[arg(long)]
        decision: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct RedeemArgs {
    #[command(flatten)]
    pub who: RedeemWho,
    /// Why there is no card (default: 手工录入)
    #[arg(long, conflicts_with = "card")]
    pub reason: Option<String>,
    /// A key of your choosing: a retry with the same key is a no-op
    #[arg(long)]
    pub key: Option<IdempotencyKey>,
    #[arg(required = true, value_parser = parse_line)]
    pub items: Vec<CartLine>,
    #[command(flatten)]
    pub print: print::PrinterArgs,
}

/// Exactly one of a card or a household number names who redeems.
#[derive(Args, Debug)]
#[group(required = true, multiple = false)]
pub struct RedeemWho {
    /// The digits of the household's card, as the scanner types them
    #[arg(long)]
    pub card: Option<String>,
    /// The household number, for entering a paper record when no card is at hand (logged so)
    #[arg(long)]
    pub household: Option<HouseholdNo>,
}

pub(super) fn receive(cli: &Cli, db: &mut Db, what: &ReceiveCommand) -> CliResult {
    let json = cli.json;
    let actor = actor(cli, db)?;
    let today = now().date();
    let lines = |items: &[CartLine]| {
        items
            .iter()
            .map(|i| app::stock::ReceiveLine {
                code: i.code.clone(),
                qty: i.qty,
                value: None,
            })
            .collect()
    };
    let received = match what {
        ReceiveCommand::Donation {
            donor,
            contact,
            date,
            best_before,
            items,
            print: _,
        } => {
            let donation = app::stock::Donation {
                donor: donor.clone(),
                contact: contact.clone(),
                received_on: date.unwrap_or(today),
                lines: lines(items),
            };
            app::stock::receive_donation_dated(
                db,
                &actor,
                &donation,
                &best_before.iter().cloned().collect(),
                now(),
            )?
        }
        ReceiveCommand::Purchase {
            supplier,
            invoice,
            amount_yuan,
            date,
            best_before,
            invoice_file,
            items,
        } => {
            let purchase = app::stock::Purchase {
                supplier: supplier.clone(),
                invoice_no: invoice.clone(),
                amount: *amount_yuan,
                received_on: date.unwrap_or(today),
                lines: lines(items),
            };
            app::stock::receive_purchase_with_invoice(
                db,
                &actor,
                &purchase,
                &best_before.iter().cloned().collect(),
                invoice_file.as_deref(),
                now(),
            )?
        }
    };
    output::stock_changes(json, Some(&received.reference), &received.lines);
    if let ReceiveCommand::Donation { print: printer, .. } = what {
        print::donation_slip(db, &actor, &received.reference, printer)?;
    }
    Ok(())
}

pub(super) fn redeem(cli: &Cli, db: &mut Db, args: &RedeemArgs) -> CliResult {
    let json = cli.json;
    let actor = actor(cli, db)?;
    let redeemed = match (&args.who.card, &args.who.household) {
        (Some(payload), _) => app::cards::redeem_by_card(
            db,
            &actor,
            payload,
            args.items.clone(),
            args.key.clone(),
            now(),
        )?,
        (None, household) => {
            let household = household
                .clone()
                .ok_or_else(|| Failure(t!("cli.card_or_household").into()))?;
            let reason = args
                .reason
                .clone()
                .unwrap_or_else(|| t!("cli.manual_entry").into());
            let request = RedemptionRequest {
                household,
                lines: args.items.clone(),
                via: Via::Manual { reason },
                key: args.key.clone(),
            };
            app::redeem::redeem(db, &actor, &request, now())?
        }
    };
    output::redeemed(json, &redeemed);
    print::receipt(
        db,
        &actor,
        &redeemed.receipt.receipt_no,
        redeemed.replayed,
        &args.print,
    )?;
    Ok(())
}

pub(super) fn price(cli: &Cli, db: &mut Db, what: &PriceCommand) -> CliResult {
    let json = cli.json;
    let PriceCommand::Set {
        code,
        points,
        from,
        approved_by,
        decision,
    } = what;
    let actor = actor(cli, db)?;
    let from = from.unwrap_or(now().date());
    app::stock::set_price_decided(
        db,
        &actor,
        code,
        Points(*points),
        from,
        approved_by.as_deref().unwrap_or(""),
        decision.as_deref(),
        now(),
    )?;
    output::price_set(json, code, *points, from);
    Ok(())
}
