//! Everything a service can refuse for a reason staff can act on. The words shown to staff
//! live in the locale files (see `app::messages`); this is only the data.

use chrono::NaiveDate;

use super::staff::Action;
use super::{GoodsCode, HouseholdNo, Period, Points, Qty, StaffId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotInitialised,
    AlreadyInitialised,
    UnknownStaff(StaffId),
    StaffInactive(StaffId),
    WrongPin,
    /// The PIN is right but the signing key does not open or is not the one on record:
    /// the staff row was changed behind the app.
    KeyMismatch,
    /// A restore would lose redemptions made since the backup; confirm with their number.
    RestoreLoses {
        lost: i64,
    },
    /// The current store cannot be read: the last receipt number printed on paper is needed.
    RestoreNeedsLastReceipt,
    /// The PC's clock reads earlier than the store's last entry: "电脑时间不对".
    ClockBehind {
        last: chrono::NaiveDateTime,
    },
    AccountLocked {
        minutes: i64,
    },
    BadPin,
    NotPermitted {
        action: Action,
    },
    UnknownHousehold(HouseholdNo),
    HouseholdInactive(HouseholdNo),
    UnknownGoods(GoodsCode),
    GoodsRetired {
        code: GoodsCode,
        name: String,
    },
    NoPrice {
        code: GoodsCode,
        name: String,
    },
    EmptyCart,
    BadQuantity {
        code: GoodsCode,
    },
    OutOfStock {
        code: GoodsCode,
        name: String,
        on_hand: Qty,
        wanted: Qty,
    },
    OverLimit {
        code: GoodsCode,
        name: String,
        limit: Qty,
        taken: Qty,
        wanted: Qty,
    },
    InsufficientPoints {
        balance: Points,
        needed: Points,
    },
    KeyReused {
        key: String,
    },
    UnknownReceipt(String),
    AlreadyVoided(String),
    VoidNotSameDay(String),
    MissingReason,
    MissingName,
    MissingInvoice,
    /// This supplier's invoice is already recorded (issue 18): never twice.
    DuplicateInvoice {
        supplier: String,
        invoice_no: String,
        first: String,
        received_on: String,
    },
    /// An invoice scan that cannot be read or is not a picture or PDF.
    BadInvoiceFile(String),
    /// A price change needs at least one approver's name.
    PriceNeedsApprover,
    /// A price change cannot start before today.
    PriceInThePast {
        from: String,
        today: String,
    },
    MissingDonor,
    MissingSupplier,
    BelowZeroStock {
        code: GoodsCode,
        on_hand: Qty,
        change: Qty,
    },
    BelowZeroPoints {
        household: HouseholdNo,
        balance: Points,
        change: Points,
    },
    TooFewApprovers {
        given: usize,
    },
    PeriodAlreadyPosted {
        period: Period,
    },
    BadPrice,
    Overflow,
    /// Scanned text that is not a card at all (a goods barcode, a typo, a cut-off scan).
    CardMalformed,
    CardOtherStore {
        store_code: u16,
    },
    /// Well-formed, but the check digits are not this store's: forged or mistyped.
    CardForged,
    CardReplaced {
        replaced_on: NaiveDate,
    },
    CardRevoked {
        revoked_on: NaiveDate,
    },
    /// Genuine but not on record (a store restored from an older backup).
    CardUnknown,
    TooManyCards {
        household: HouseholdNo,
    },
    NoLiveCard {
        household: HouseholdNo,
    },
    UnknownGroup(String),
    AmbiguousGroup {
        group: String,
        villages: Vec<String>,
    },
    NoCardsInGroup {
        group: String,
    },
    SessionAlreadyOpen {
        day: String,
    },
    NoOpenSession,
    UnknownVillage(String),
    BadRules(String),
    RuleNoReset(String),
    ResetWithoutWarning(String),
    ResetDone {
        village: String,
        year: i32,
    },
    RuleNoPrize(String),
    RuleOnlyOnRedemptionDay {
        policy: String,
    },
    RuleNotEligible {
        policy: String,
        reason: String,
    },
    RuleTierGoods {
        policy: String,
        tier: String,
        name: String,
    },
    // Redemption days and score months (issue 14).
    /// A score sheet for a month that has not come yet.
    FuturePeriod {
        period: Period,
        current: Period,
    },
    /// A session for a calendar village's group on a day its calendar does not plan.
    NotOnCalendar {
        day: NaiveDate,
        village: String,
    },
    /// The village planned the day, but for other groups.
    GroupNotOnCalendar {
        day: NaiveDate,
        group: String,
        planned: Vec<String>,
    },
    /// Only today's redemption day may be opened without a manager's reason.
    SessionNotToday {
        day: NaiveDate,
    },
    /// The open redemption day does not serve the household's group.
    GroupNotServed {
        group: String,
        served: Vec<String>,
    },
    /// The open redemption day was left open past its day.
    SessionPastItsDay {
        day: NaiveDate,
    },
    ScoreAboveMaximum {
        household: HouseholdNo,
        score: i64,
        max: i64,
    },
    UnknownDispute(i64),
    DisputeDecided(i64),
    UnknownPrintJob(i64),
    UnknownDonation(String),
    UnknownSession(i64),
    BadSetting {
        key: String,
        value: String,
        reason: String,
    },
    NoOpenStocktake,
    GoodsExists(GoodsCode),
    ServiceFull {
        name: String,
        capacity: Qty,
        issued: Qty,
        wanted: Qty,
    },
    UnknownVoucher(String),
    VoucherUsed {
        voucher: String,
        used_on: NaiveDate,
    },
    VoucherExpired {
        voucher: String,
        valid_until: NaiveDate,
    },
    VoucherCancelled {
        voucher: String,
        cancelled_on: NaiveDate,
    },
    VoidVoucherUsed {
        receipt_no: String,
        voucher: String,
        used_on: NaiveDate,
    },
    BadServiceInfo,
    ResetOutOfSeason {
        year: i32,
    },
    /// The scoring register's own refusals (issue 20).
    Register(super::register::RegisterRefusal),
    /// A PIN that breaks the rules for the member's role (issue 16).
    PinRule {
        problem: super::staff_rules::PinProblem,
    },
    /// Signed in with a PIN that was reset or no longer meets the rules: change it first.
    MustChangePin,
    /// The last active manager cannot be disabled: nobody could run the store after.
    LastManager,
    /// The same person named twice in a committee.
    RepeatedApprover {
        name: String,
    },
    /// A price change names nobody who approved it.
    NoApprover,
    /// The new PIN is the one the member has now.
    SamePin,
    /// What was typed is not a household number (digits).
    BadHouseholdNumber(String),
    /// A line of the opening-stock form: a goods code and a quantity above zero.
    BadStockLine {
        code: String,
        qty: String,
    },
    /// A date typed where YYYY-MM-DD is wanted.
    BadDate(String),
    /// A split, merge, new head, move or join refused (issue 24).
    HouseholdChange(super::household_change::ChangeRefusal),
}
