//! The `jifen` command line (see shared/CLI.md for the contract). The GUI is the default.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{Local, NaiveDateTime};
use clap::{Parser, Subcommand, ValueEnum};
use rust_i18n::t;

use crate::app::{self, Actor, Error};
use crate::core::redemption::CartLine;
use crate::core::{GoodsCode, HouseholdNo, Points, ReceiptNo, StaffId};
use crate::store::Db;
pub use imports::ImportCommand;

mod calendar;
mod cards;
mod check;
mod counter;
mod day_report;
mod days;
mod households;
mod imports;
mod notice;
mod output;
mod parse;
mod print;
mod register;
mod register_forms;
mod services;
mod staff;
mod stock;
mod township;

pub use calendar::CalendarCommand;
pub use cards::CardCommand;
pub use counter::{PriceCommand, ReceiveCommand, RedeemArgs, RedeemWho};
pub use days::{DisputeCommand, DutyCommand, PolicyCommand, SessionCommand, YearEndCommand};
pub use staff::StaffCommand;
pub use stock::{GoodsCommand, StocktakeCommand};

pub(crate) use parse::parse_role;
use parse::{parse_count, parse_signed_line};

#[derive(Parser, Debug)]
#[command(
    name = "jifen",
    version,
    about = "积分超市柜台软件 / village points-supermarket counter"
)]
pub struct Cli {
    /// Data folder holding jifen.db (default: $JIFEN_DATA, else the platform data folder)
    #[arg(long, global = true, env = "JIFEN_DATA")]
    pub data: Option<PathBuf>,
    /// Language of messages
    #[arg(long, global = true, value_enum, default_value = "zh")]
    pub lang: Lang,
    /// Staff number doing a write (its PIN comes from $JIFEN_PIN or a prompt)
    #[arg(long, global = true)]
    pub staff: Option<i64>,
    /// Print one JSON object on stdout
    #[arg(long, global = true)]
    pub json: bool,
    /// Open the counter window, print the time from start to its first frame, and exit (a benchmark)
    #[arg(long)]
    pub exit_after_first_frame: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn locale(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the store and its first manager (PIN from $JIFEN_PIN)
    Init {
        #[arg(long)]
        store_name: String,
        #[arg(long)]
        manager_name: String,
    },
    /// Open the app on a fresh demo village, or only seed it
    Demo {
        /// Seed the store and exit (for scripts)
        #[arg(long)]
        seed_only: bool,
    },
    /// Import households, goods or a month's scores (all rows or none)
    #[command(subcommand)]
    Import(ImportCommand),
    /// Staff accounts
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Stock in: a donation or a purchase
    #[command(subcommand)]
    Receive(ReceiveCommand),
    /// Write off or correct stock (manager only): CODE=-3 CODE=+2 …
    Adjust {
        // No `allow_hyphen_values`: "CODE=-3" never starts with a hyphen, and clap gives a
        // positional with that setting precedence over known flags once it has a value, so
        // `--reason` after the items was swallowed as one more item (issue 14).
        #[arg(required = true, value_parser = parse_signed_line)]
        items: Vec<CartLine>,
        #[arg(long)]
        reason: String,
    },
    /// One redemption, atomically: CODE=QTY …
    Redeem(RedeemArgs),
    /// Void a redemption of today (manager only)
    Void {
        receipt_no: ReceiptNo,
        #[arg(long)]
        reason: String,
    },
    /// Correct a household's points with a reason and approver (manager only)
    Correct {
        household_id: HouseholdNo,
        /// The change, e.g. 5 or -3 (a negative number, not an option)
        #[arg(allow_negative_numbers = true)]
        points: i64,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        approved_by: String,
    },
    /// Point prices
    #[command(subcommand)]
    Price(PriceCommand),
    /// A household's points balance
    Balance { household_id: HouseholdNo },
    /// Stock on hand per good
    Stock { code: Option<GoodsCode> },
    /// Every entry of one household
    Ledger {
        household_id: HouseholdNo,
        #[arg(long)]
        csv: bool,
    },
    /// Database integrity, ledger and stock invariants, hash chains, signatures; with
    /// --witness, that the history printed receipts and notices saw is still there
    Check {
        /// Witness codes from printed receipts or notices (核验码), e.g. P1553-S1011-7KQ2M9XA
        #[arg(long, num_args = 1..)]
        witness: Vec<String>,
        /// Only what came after the last signed "verified up to here" mark (what the app
        /// checks at start); without it, everything
        #[arg(long)]
        incremental: bool,
    },
    /// Household cards: issue or reissue, verify a scan, print again, stop
    #[command(subcommand)]
    Card(CardCommand),
    /// An A4 sheet (PDF, ten cards a page with cut marks) of a village group's current cards
    Cards {
        /// The village group, written "村/组" (e.g. 青山村/第一组), or just the group's name
        /// (e.g. 第一组) when only one village has a group of that name
        #[arg(long)]
        group: String,
        /// The PDF to write
        #[arg(long)]
        out: PathBuf,
        /// First issue a card to each household of the group that has none (manager only)
        #[arg(long)]
        issue_missing: bool,
    },
    /// Redemption days: open, close with a report, show
    #[command(subcommand)]
    Session(SessionCommand),
    /// A consistent backup of the store to a file (e.g. on a USB stick)
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Replace the store with a backup, after checking it: a manager's audited act (--staff and
    /// $JIFEN_PIN); the replaced database is kept and receipt numbers never repeat
    Restore {
        file: PathBuf,
        #[arg(long)]
        reason: String,
        /// The number of redemptions made since the backup that the restore will lose
        #[arg(long)]
        confirm_loss: Option<i64>,
        /// The last receipt number printed on paper, when the current store cannot be read
        #[arg(long)]
        last_receipt: Option<String>,
    },
    /// A village's redemption rules (一村一方案)
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Disputes (异议) about a month's score
    #[command(subcommand)]
    Dispute(DisputeCommand),
    /// The year-end reset under rules that call for it
    #[command(subcommand)]
    YearEnd(YearEndCommand),
    /// The annual prize list of a village (under rules that have one)
    Prizes { village: String, year: i32 },
    /// Public notices (张榜公布): price list, stock and issuance, points, redemption sheet, rules
    Notice(notice::NoticeArgs),
    /// The township copy on PostgreSQL: enrol, push, export, ingest, recover, report
    #[command(subcommand)]
    Township(township::TownshipCommand),
    /// Services on offer for points (积分换服务)
    #[command(subcommand)]
    Service(services::ServiceCommand),
    /// Service vouchers: used by the provider, or cancelled for the points
    #[command(subcommand)]
    Voucher(services::VoucherCommand),
    /// Print a receipt again, marked 重打
    Reprint {
        receipt_no: ReceiptNo,
        #[command(flatten)]
        print: print::PrinterArgs,
    },
    /// A test page on the receipt printer
    PrintTest {
        #[command(flatten)]
        print: print::PrinterArgs,
    },
    /// Stocktake (盘点): start, enter counts, post the differences
    #[command(subcommand)]
    Stocktake(StocktakeCommand),
    /// The catalogue: add a good on the spot, retire one, low-stock level, price history
    #[command(subcommand)]
    Goods(GoodsCommand),
    /// Goods running low or about to expire
    Warnings,
    /// Designated staff (专人管理): who is in charge, from when to when
    #[command(subcommand)]
    Duty(DutyCommand),
    /// Each village's redemption days, with holiday moves
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// The scoring register's items (积分项目及分值)
    #[command(subcommand)]
    Items(register::ItemsCommand),
    /// Scoring events in the register (积分台账), and disputes about them
    #[command(subcommand)]
    Event(register::EventCommand),
    /// The scoring group's monthly review and approval
    #[command(subcommand)]
    Month(register::MonthCommand),
    /// Households that change: split, merge, new head, move, join (manager only)
    #[command(subcommand)]
    Household(households::HouseholdCommand),
    /// Households, both ledgers and stock as an .xlsx workbook for the township
    Export {
        #[arg(long)]
        out: PathBuf,
    },
}

/// Why a command failed, already in the user's language.
pub struct Failure(pub String);

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure(e.to_string())
    }
}

impl From<crate::store::StoreError> for Failure {
    fn from(e: crate::store::StoreError) -> Self {
        Failure(Error::Store(e).to_string())
    }
}

pub type CliResult<T = ()> = Result<T, Failure>;

pub fn data_dir(cli: &Cli) -> PathBuf {
    cli.data
        .clone()
        .unwrap_or_else(crate::platform::default_data_dir)
}

pub fn now() -> NaiveDateTime {
    // Seconds are what the ledger stores; dropping sub-seconds keeps hashes reproducible.
    Local::now()
        .naive_local()
        .with_nanosecond(0)
        .unwrap_or_else(|| Local::now().naive_local())
}

use chrono::Timelike;

/// Entry point: parses the arguments, runs the command, maps the outcome to an exit code.
pub fn main() -> ExitCode {
    crate::ui::startup_work::mark_process_start();
    let cli = Cli::parse();
    crate::ui::startup_work::exit_after_first_frame(cli.exit_after_first_frame);
    rust_i18n::set_locale(cli.lang.locale());
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            crate::platform::report_failure(&format!("{}{}", t!("cli.error_prefix"), message));
            ExitCode::from(1)
        }
    }
}

fn run(cli: &Cli) -> CliResult {
    let dir = data_dir(cli);
    match &cli.command {
        None => crate::ui::run_app(&dir, cli.lang.locale()).map_err(Failure),
        Some(Command::Demo { seed_only }) => demo(cli, *seed_only),
        Some(Command::Init {
            store_name,
            manager_name,
        }) => {
            let pin = read_pin("JIFEN_PIN")?;
            let mut db = Db::open_in(&dir)?;
            let id = app::setup::init_store(&mut db, store_name, manager_name, &pin, now())?;
            output::staff_created(cli.json, id);
            Ok(())
        }
        Some(Command::Restore {
            file,
            reason,
            confirm_loss,
            last_receipt,
        }) => days::restore(cli, file, reason, *confirm_loss, last_receipt.as_deref()),
        Some(Command::PrintTest { print }) => print::test_page(&dir, print),
        Some(Command::Township(what)) => township::township(cli, what),
        Some(command) => {
            let mut db = open_existing(&dir)?;
            run_on_store(cli, &mut db, command)
        }
    }
}

fn demo(cli: &Cli, seed_only: bool) -> CliResult {
    let (dir, _temp) = match &cli.data {
        Some(dir) => (dir.clone(), None),
        None => {
            let temp = tempfile::Builder::new()
                .prefix("jifen-demo-")
                .tempdir()
                .map_err(|e| Failure(e.to_string()))?;
            (temp.path().to_path_buf(), Some(temp))
        }
    };
    let mut db = Db::open_in(&dir)?;
    app::demo::seed(&mut db, now())?;
    drop(db);
    if seed_only {
        if let Some(temp) = _temp {
            // Seeding a temporary folder only makes sense if it outlives us.
            let kept = temp.keep();
            output::demo_seeded(cli.json, &kept);
        } else {
            output::demo_seeded(cli.json, &dir);
        }
        return Ok(());
    }
    crate::ui::run_app(&dir, cli.lang.locale()).map_err(Failure)
}

fn open_existing(dir: &Path) -> CliResult<Db> {
    let mut db = Db::open_in(dir)?;
    if app::setup::store_info(&mut db)?.is_none() {
        return Err(Error::Refused(crate::core::refusal::Refusal::NotInitialised).into());
    }
    Ok(db)
}

/// The PIN from an environment variable, or asked for when a person is at the terminal.
pub(crate) fn read_pin(var: &str) -> CliResult<String> {
    if let Ok(pin) = std::env::var(var) {
        return Ok(pin);
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(t!("cli.pin_prompt").to_string())
            .map_err(|e| Failure(e.to_string()));
    }
    Err(Failure(t!("cli.pin_missing", var = var).into()))
}

fn actor(cli: &Cli, db: &mut Db) -> CliResult<Actor> {
    let id = cli
        .staff
        .ok_or_else(|| Failure(t!("cli.staff_missing").into()))?;
    let pin = read_pin("JIFEN_PIN")?;
    Ok(app::sign_in(db, StaffId(id), &pin, now())?)
}

fn run_on_store(cli: &Cli, db: &mut Db, command: &Command) -> CliResult {
    let json = cli.json;
    match command {
        Command::Init { .. } | Command::Demo { .. } => {
            unreachable!("handled before the store is opened")
        }
        Command::Import(what) => imports::import(cli, db, what)?,
        Command::Staff(what) => staff::staff(cli, db, what)?,
        Command::Receive(what) => counter::receive(cli, db, what)?,
        Command::Adjust { items, reason } => {
            let actor = actor(cli, db)?;
            let changes = app::stock::adjust_stock(db, &actor, items, reason, now())?;
            output::stock_changes(json, None, &changes);
        }
        Command::Redeem(args) => counter::redeem(cli, db, args)?,
        Command::Void { receipt_no, reason } => {
            let actor = actor(cli, db)?;
            let receipt = app::redeem::void_redemption(db, &actor, receipt_no, reason, now())?;
            output::voided(json, &receipt);
        }
        Command::Correct {
            household_id,
            points,
            reason,
            approved_by,
        } => {
            let actor = actor(cli, db)?;
            let entry = app::points::correct_points(
                db,
                &actor,
                household_id,
                Points(*points),
                reason,
                approved_by,
                now(),
            )?;
            output::corrected(json, &entry);
        }
        Command::Price(what) => counter::price(cli, db, what)?,
        Command::Balance { household_id } => {
            output::balance(json, &app::queries::balance(db, household_id)?)
        }
        Command::Stock { code } => {
            output::stock(json, &app::queries::stock(db, code.as_ref(), now().date())?)
        }
        Command::Ledger { household_id, csv } => {
            let (household, entries) = app::queries::ledger(db, household_id)?;
            output::ledger(json, *csv, &household, &entries)?;
        }
        Command::Card(what) => cards::card(cli, db, what)?,
        Command::Session(what) => days::session(cli, db, what)?,
        Command::Backup { out } => days::backup(cli, db, out)?,
        Command::Restore { .. } | Command::PrintTest { .. } | Command::Township(_) => {
            unreachable!("handled before the store is opened")
        }
        Command::Reprint { receipt_no, print } => {
            let who = actor(cli, db)?;
            print::reprint(db, &who, receipt_no, print)?;
        }
        Command::Policy(what) => days::policy(cli, db, what)?,
        Command::Dispute(what) => days::dispute(cli, db, what)?,
        Command::YearEnd(what) => days::year_end(cli, db, what)?,
        Command::Prizes { village, year } => days::prizes(cli, db, village, *year)?,
        Command::Stocktake(what) => stock::stocktake(cli, db, what)?,
        Command::Goods(what) => stock::goods(cli, db, what)?,
        Command::Warnings => stock::warnings(cli, db)?,
        Command::Duty(what) => days::duty(cli, db, what)?,
        Command::Notice(args) => notice::notice(cli, db, args)?,
        Command::Service(what) => services::service(cli, db, what)?,
        Command::Voucher(what) => services::voucher(cli, db, what)?,
        Command::Calendar(what) => calendar::calendar(cli, db, what)?,
        Command::Export { out } => days::export(cli, db, out)?,
        Command::Items(what) => register::items(cli, db, what)?,
        Command::Event(what) => register::event(cli, db, what)?,
        Command::Month(what) => register::month(cli, db, what)?,
        Command::Household(what) => households::household(cli, db, what)?,
        Command::Cards {
            group,
            out,
            issue_missing,
        } => cards::group_sheet(cli, db, group, out, *issue_missing)?,
        Command::Check {
            witness,
            incremental,
        } => check::check(cli, db, witness, *incremental)?,
    }
    Ok(())
}
