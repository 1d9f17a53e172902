//! The words staff read: every refusal, import problem and fault, from the locale files.

use rust_i18n::t;

use super::Error;
use super::error::FileProblem;
use crate::core::import_rows::{CellError, Problem};
use crate::core::refusal::Refusal;
use crate::store::StoreError;
use crate::store::check::Fault;

/// The technical words behind a failure, for 详情 and the log: what the system said, which
/// the clerk's sentence leaves out. `None` when the sentence is the whole story.
pub fn detail(error: &Error) -> Option<String> {
    match error {
        Error::Store(e) => Some(format!("{e:?}")),
        Error::File { path, reason } => Some(format!("{path}: {reason:?}")),
        Error::Refused(_) | Error::Import { .. } => None,
    }
}

pub fn describe(error: &Error) -> String {
    match error {
        Error::Refused(r) => refusal(r),
        Error::Import { file, cell } => import_problem(file, cell),
        Error::File { path, reason } => match reason {
            FileProblem::Unreadable(_) => t!("setup.file.unreadable", path = path).into(),
            FileProblem::NotFound => t!("setup.file.not_found", path = path).into(),
            FileProblem::FolderMissing(dir) => t!("setup.file.folder_missing", dir = dir).into(),
            FileProblem::Denied => t!("setup.file.denied", path = path).into(),
            FileProblem::Unwritable(_) => t!("setup.file.unwritable", path = path).into(),
            FileProblem::NotText => t!("file.not_text", path = path).into(),
            FileProblem::UnknownFormat => t!("file.unknown_format", path = path).into(),
            FileProblem::Spreadsheet(e) => t!("file.spreadsheet", path = path, error = e).into(),
            FileProblem::BadBackup(e) => t!("file.bad_backup", path = path, error = e).into(),
        },
        Error::Store(e) => store_error(e),
    }
}

fn store_error(error: &StoreError) -> String {
    match error {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
            if matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) =>
        {
            t!("store.busy").into()
        }
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::DiskFull =>
        {
            t!("setup.store.disk_full").into()
        }
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::CannotOpen =>
        {
            t!("setup.store.cannot_open").into()
        }
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
            if matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase
            ) =>
        {
            t!("setup.store.corrupt").into()
        }
        StoreError::Folder { path, .. } => {
            t!("setup.store.folder", path = path.display().to_string()).into()
        }
        _ => t!("setup.store.failed").into(),
    }
}

/// Why a PIN was refused, and what a good one looks like.
pub fn pin_problem(problem: crate::core::staff_rules::PinProblem) -> String {
    use crate::core::staff_rules::PinProblem::*;
    match problem {
        NotDigits => t!("staff.pin_not_digits").into(),
        Length { min, max } => t!("staff.pin_length", min = min, max = max).into(),
        Repeated => t!("staff.pin_repeated").into(),
        Run => t!("staff.pin_run").into(),
    }
}

pub fn refusal(r: &Refusal) -> String {
    use Refusal::*;
    match r {
        NotInitialised => t!("refusal.not_initialised").into(),
        AlreadyInitialised => t!("refusal.already_initialised").into(),
        UnknownStaff(id) => t!("refusal.unknown_staff", id = id).into(),
        StaffInactive(id) => t!("refusal.staff_inactive", id = id).into(),
        WrongPin => t!("refusal.wrong_pin").into(),
        KeyMismatch => t!("records.key_mismatch").into(),
        RestoreLoses { lost } => t!("records.restore_loses", lost = lost).into(),
        RestoreNeedsLastReceipt => t!("records.restore_needs_last_receipt").into(),
        ClockBehind { last } => t!(
            "records.clock_behind",
            last = last.format("%Y-%m-%d %H:%M:%S").to_string()
        )
        .into(),
        AccountLocked { minutes } => t!("refusal.account_locked", minutes = minutes).into(),
        BadPin => t!("refusal.bad_pin").into(),
        NotPermitted { action } => {
            let action: String = t!(format!("action.{}", action.as_str())).into();
            t!("refusal.not_permitted", action = action).into()
        }
        UnknownHousehold(n) => t!("refusal.unknown_household", number = n).into(),
        HouseholdInactive(n) => t!("refusal.household_inactive", number = n).into(),
        UnknownGoods(c) => t!("refusal.unknown_goods", code = c).into(),
        GoodsRetired { code, name } => t!("refusal.goods_retired", code = code, name = name).into(),
        NoPrice { code, name } => t!("refusal.no_price", code = code, name = name).into(),
        EmptyCart => t!("refusal.empty_cart").into(),
        BadQuantity { code } => t!("refusal.bad_quantity", code = code).into(),
        OutOfStock {
            name,
            on_hand,
            wanted,
            ..
        } => t!(
            "refusal.out_of_stock",
            name = name,
            on_hand = on_hand,
            wanted = wanted
        )
        .into(),
        OverLimit {
            name,
            limit,
            taken,
            wanted,
            ..
        } => t!(
            "refusal.over_limit",
            name = name,
            limit = limit,
            taken = taken,
            wanted = wanted
        )
        .into(),
        InsufficientPoints { balance, needed } => t!(
            "refusal.insufficient_points",
            balance = balance,
            needed = needed,
            short = needed.0 - balance.0
        )
        .into(),
        KeyReused { key } => t!("refusal.key_reused", key = key).into(),
        UnknownReceipt(n) => t!("refusal.unknown_receipt", number = n).into(),
        AlreadyVoided(n) => t!("refusal.already_voided", number = n).into(),
        VoidNotSameDay(n) => t!("refusal.void_not_same_day", number = n).into(),
        MissingReason => t!("refusal.missing_reason").into(),
        MissingName => t!("refusal.missing_name").into(),
        MissingInvoice => t!("refusal.missing_invoice").into(),
        DuplicateInvoice {
            supplier,
            invoice_no,
            first,
            received_on,
        } => t!(
            "stock18.duplicate_invoice",
            supplier = supplier,
            invoice = invoice_no,
            first = first,
            on = received_on
        )
        .into(),
        BadInvoiceFile(why) => t!("stock18.bad_invoice_file", why = why).into(),
        PriceNeedsApprover => t!("stock18.price_needs_approver").into(),
        PriceInThePast { from, today } => {
            t!("stock18.price_in_the_past", from = from, today = today).into()
        }
        MissingDonor => t!("refusal.missing_donor").into(),
        MissingSupplier => t!("refusal.missing_supplier").into(),
        BelowZeroStock {
            code,
            on_hand,
            change,
        } => t!(
            "refusal.below_zero_stock",
            code = code,
            on_hand = on_hand,
            change = change
        )
        .into(),
        BelowZeroPoints {
            household,
            balance,
            change,
        } => t!(
            "refusal.below_zero_points",
            number = household,
            balance = balance,
            change = change
        )
        .into(),
        TooFewApprovers { given } => t!("refusal.too_few_approvers", given = given).into(),
        PeriodAlreadyPosted { period } => {
            t!("refusal.period_already_posted", period = period).into()
        }
        BadPrice => t!("refusal.bad_number").into(),
        Overflow => t!("refusal.overflow").into(),
        SessionAlreadyOpen { day } => t!("refusal.session_already_open", day = day).into(),
        NoOpenSession => t!("refusal.no_open_session").into(),
        UnknownVillage(v) => t!("refusal.unknown_village", village = v).into(),
        BadRules(e) => t!("refusal.bad_rules", error = e).into(),
        RuleNoReset(v) => t!("refusal.rule_no_reset", village = v).into(),
        ResetWithoutWarning(v) => t!("refusal.reset_without_warning", village = v).into(),
        ResetDone { village, year } => {
            t!("refusal.reset_done", village = village, year = year).into()
        }
        ResetOutOfSeason { year } => t!("refusal.reset_out_of_season", year = year).into(),
        PinRule { problem } => pin_problem(*problem),
        MustChangePin => t!("staff.must_change_pin").into(),
        LastManager => t!("staff.last_manager").into(),
        RepeatedApprover { name } => t!("staff.repeated_approver", name = name).into(),
        NoApprover => t!("staff.no_approver").into(),
        SamePin => t!("staff.same_pin").into(),
        RuleNoPrize(v) => t!("refusal.rule_no_prize", village = v).into(),
        RuleOnlyOnRedemptionDay { policy } => {
            t!("refusal.rule_only_on_day", policy = policy).into()
        }
        RuleNotEligible { policy, reason } => t!(
            "refusal.rule_not_eligible",
            policy = policy,
            reason = reason
        )
        .into(),
        RuleTierGoods { policy, tier, name } => t!(
            "refusal.rule_tier_goods",
            policy = policy,
            tier = tier,
            name = name
        )
        .into(),
        FuturePeriod { period, current } => {
            t!("refusal.future_period", period = period, current = current).into()
        }
        NotOnCalendar { day, village } => {
            t!("refusal.not_on_calendar", day = day, village = village).into()
        }
        GroupNotOnCalendar {
            day,
            group,
            planned,
        } => t!(
            "refusal.group_not_on_calendar",
            day = day,
            group = group,
            planned = planned.join("、")
        )
        .into(),
        SessionNotToday { day } => t!("refusal.session_not_today", day = day).into(),
        GroupNotServed { group, served } => t!(
            "refusal.group_not_served",
            group = group,
            served = served.join("、")
        )
        .into(),
        SessionPastItsDay { day } => t!("refusal.session_past_its_day", day = day).into(),
        NoOpenStocktake => t!("refusal.no_open_stocktake").into(),
        GoodsExists(code) => t!("refusal.goods_exists", code = code).into(),
        ServiceFull {
            name,
            capacity,
            issued,
            wanted,
        } => t!(
            "refusal.service_full",
            name = name,
            capacity = capacity,
            issued = issued,
            wanted = wanted
        )
        .into(),
        UnknownVoucher(v) => t!("refusal.unknown_voucher", voucher = v).into(),
        VoucherUsed { voucher, used_on } => {
            t!("refusal.voucher_used", voucher = voucher, day = used_on).into()
        }
        VoucherExpired {
            voucher,
            valid_until,
        } => t!(
            "refusal.voucher_expired",
            voucher = voucher,
            day = valid_until
        )
        .into(),
        VoucherCancelled {
            voucher,
            cancelled_on,
        } => t!(
            "refusal.voucher_cancelled",
            voucher = voucher,
            day = cancelled_on
        )
        .into(),
        VoidVoucherUsed {
            receipt_no,
            voucher,
            used_on,
        } => t!(
            "refusal.void_voucher_used",
            receipt_no = receipt_no,
            voucher = voucher,
            day = used_on
        )
        .into(),
        BadServiceInfo => t!("refusal.bad_service_info").into(),
        Register(r) => super::register::message(r),
        UnknownDispute(id) => t!("refusal.unknown_dispute", id = id).into(),
        DisputeDecided(id) => t!("refusal.dispute_decided", id = id).into(),
        UnknownPrintJob(id) => t!("refusal.unknown_print_job", id = id).into(),
        UnknownDonation(r) => t!("refusal.unknown_donation", reference = r).into(),
        UnknownSession(id) => t!("refusal.unknown_session", id = id).into(),
        BadSetting { key, value, reason } => t!(
            "refusal.bad_setting",
            key = key,
            value = value,
            reason = reason
        )
        .into(),
        ScoreAboveMaximum {
            household,
            score,
            max,
        } => t!(
            "refusal.score_above_max",
            household = household,
            score = score,
            max = max
        )
        .into(),
        CardMalformed => t!("refusal.card_malformed").into(),
        CardOtherStore { store_code } => t!("refusal.card_other_store", store = store_code).into(),
        CardForged => t!("refusal.card_forged").into(),
        CardReplaced { replaced_on } => t!("refusal.card_replaced", date = replaced_on).into(),
        CardRevoked { revoked_on } => t!("refusal.card_revoked", date = revoked_on).into(),
        CardUnknown => t!("refusal.card_unknown").into(),
        TooManyCards { household } => t!("refusal.too_many_cards", number = household).into(),
        NoLiveCard { household } => t!("refusal.no_live_card", number = household).into(),
        UnknownGroup(group) => t!("refusal.unknown_group", group = group).into(),
        AmbiguousGroup { group, villages } => t!(
            "refusal.ambiguous_group",
            group = group,
            villages = villages.join("、"),
            example = format!("{}/{group}", villages.first().map_or("", String::as_str))
        )
        .into(),
        NoCardsInGroup { group } => t!("refusal.no_cards_in_group", group = group).into(),
        BadHouseholdNumber(text) => t!("setup.refusal.bad_household", text = text).into(),
        BadStockLine { code, qty } => {
            t!("setup.refusal.bad_stock_line", code = code, qty = qty).into()
        }
        BadDate(text) => t!("setup.refusal.bad_date", text = text).into(),
        HouseholdChange(r) => super::household_changes::refusal(r),
    }
}

/// "文件 x.csv 第 4 行“人口”列：…" — the file, the row, the column, and what is wrong.
pub fn import_problem(file: &str, cell: &CellError) -> String {
    let what = problem(&cell.problem);
    if cell.row == 0 {
        t!("import.at_file", file = file, problem = what).into()
    } else {
        t!(
            "import.at_cell",
            file = file,
            row = cell.row,
            column = cell.column,
            problem = what
        )
        .into()
    }
}

/// "第 4 行“人口”列：…" without the file's name, for a list under the file's name.
pub fn cell_problem(cell: &CellError) -> String {
    let what = problem(&cell.problem);
    if cell.row == 0 {
        what
    } else {
        t!(
            "setup.preview.refused_line",
            row = cell.row,
            column = cell.column,
            problem = what
        )
        .into()
    }
}

fn problem(p: &Problem) -> String {
    match p {
        Problem::NoRows => t!("import.no_rows").into(),
        Problem::MissingColumn => t!("import.missing_column").into(),
        Problem::Empty => t!("import.empty").into(),
        Problem::NotInteger(v) => t!("import.not_integer", value = v).into(),
        Problem::OutOfRange { value, min, max } => {
            t!("import.out_of_range", value = value, min = min, max = max).into()
        }
        Problem::TooLong { max } => t!("import.too_long", max = max).into(),
        Problem::BadCode(v) => t!("import.bad_code", value = v).into(),
        Problem::BadKind(v) => t!("import.bad_kind", value = v).into(),
        Problem::BadBarcode(v) => t!("import.bad_barcode", value = v).into(),
        Problem::Duplicate { first_row } => t!("import.duplicate", first_row = first_row).into(),
        Problem::AlreadyExists(v) => t!("import.already_exists", value = v).into(),
        Problem::UnknownHousehold(v) => t!("import.unknown_household", value = v).into(),
        Problem::AlreadyPosted { household, period } => t!(
            "import.already_posted",
            household = household,
            period = period
        )
        .into(),
        Problem::NameMismatch { expected, found } => {
            t!("import.name_mismatch", expected = expected, found = found).into()
        }
        Problem::MovedGroup { from, to } => t!("import.moved_group", from = from, to = to).into(),
        Problem::OpeningPointsDiffer { recorded, found } => t!(
            "import.opening_points_differ",
            recorded = recorded,
            found = found
        )
        .into(),
        Problem::UnknownGoods(v) => t!("import.unknown_goods", value = v).into(),
        Problem::StockAlreadyEntered(v) => t!("import.stock_already_entered", value = v).into(),
    }
}

pub fn fault(f: &Fault) -> String {
    let table = |name: &str| -> String { t!(format!("table.{name}")).into() };
    match f {
        Fault::SigningStartMissing
        | Fault::AttestationBroken
        | Fault::Unsigned { .. }
        | Fault::WrongSigner { .. }
        | Fault::BadSignature { .. }
        | Fault::RowChanged { .. }
        | Fault::RowUnrecorded { .. }
        | Fault::RowVanished { .. }
        | Fault::Derived(_)
        | Fault::Mark(_) => super::check::describe(f),
        Fault::Integrity(detail) => t!("fault.integrity", detail = detail).into(),
        Fault::ForeignKey { table: name, rowid } => {
            t!("fault.foreign_key", table = name, id = rowid).into()
        }
        Fault::Unreadable {
            table: name,
            detail,
        } => t!("fault.unreadable", table = table(name), detail = detail).into(),
        Fault::BrokenChain { table: name, id } => {
            t!("fault.broken_chain", table = table(name), id = id).into()
        }
        Fault::HashMismatch { table: name, id } => {
            t!("fault.hash_mismatch", table = table(name), id = id).into()
        }
        Fault::RunningTotal {
            table: name,
            id,
            expected,
            found,
        } => t!(
            "fault.running_total",
            table = table(name),
            id = id,
            expected = expected,
            found = found
        )
        .into(),
        Fault::Negative { table: name, id } => {
            t!("fault.negative", table = table(name), id = id).into()
        }
        Fault::DuplicateInvoice {
            supplier,
            invoice_no,
            purchases,
        } => t!(
            "stock18.fault_duplicate_invoice",
            supplier = supplier,
            invoice = invoice_no,
            purchases = purchases
        )
        .into(),
        Fault::RedemptionMismatch { receipt_no } => {
            t!("fault.redemption_mismatch", number = receipt_no).into()
        }
        Fault::ReceiptGap { year, missing } => {
            t!("fault.receipt_gap", year = year, missing = missing).into()
        }
        Fault::Register(f) => super::register::fault_message(f),
    }
}
