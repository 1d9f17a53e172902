//! Everything a user can ask for: the screens fill a list of actions while drawing and
//! `JifenApp::apply` runs them through the services after the frame.

use super::{Tab, household_changes, register, restore, setup};
use crate::core::staff::Role;
use crate::core::{GoodsCode, HouseholdNo, ReceiptNo, StaffId};

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
    /// 放弃本单？ answered: keep the basket.
    KeepBasket,
    /// 放弃本单？ answered: give it up (logged).
    DiscardBasket,
    /// The manager marks the store as giving no paper receipts (本店不打小票).
    MarkNoReceipts,
    /// F7: print the last receipt again.
    ReprintLast,
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
        decision: String,
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
    DisableStaff {
        staff: StaffId,
        reason: String,
    },
    EnableStaff(StaffId),
    ResetPin {
        staff: StaffId,
        pin: String,
    },
    ChangePin {
        staff: StaffId,
        old: String,
        new: String,
    },
    ReceivePurchase {
        supplier: String,
        invoice: String,
        amount: String,
        lines: String,
        invoice_file: String,
    },
    /// Show the invoice copy kept with a purchase (P3).
    ShowInvoice(String),
    CloseInvoice,
    WriteOff {
        lines: String,
        reason: String,
    },
    StartStocktake,
    SaveCounts(Vec<(String, String)>),
    PostStocktake(Vec<(String, String)>),
    CloseStocktakeView,
    /// 过账's confirmation answered 取消.
    CancelPostStocktake,
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
    /// The save would overwrite: save under a free name, or overwrite as asked.
    SaveNoticeResolved {
        png: bool,
        overwrite: bool,
    },
    CancelSaveNotice,
    /// The notice preview could not be made (from the render thread).
    NoticeProblem(String),
    PrintNoticeSlip,
    EditRulesTemplate,
    SaveRulesTemplate(String),
    OpenDay {
        groups: String,
        on_duty: String,
        /// A manager's reason for a day off the calendar (issue 14); empty otherwise.
        reason: String,
    },
    CloseDay,
    /// Show the closing report of a day (YYYY-MM-DD; empty = today).
    ShowDayReport(String),
    /// Print a day's closing report on the receipt printer.
    PrintDayReport(String),
    BackupTo(String),
    EditHousehold {
        number: String,
        head_name: String,
        members: String,
        phone: String,
    },
    /// The scoring register's grid (issue 20).
    Register(register::RegisterAction),
    /// First start, checklist, imports, cards, rules (see `setup`).
    Setup(setup::SetupAction),
    HouseholdChange(household_changes::ChangeAction),
    /// 恢复备份 (manager, issue 15).
    Restore(restore::RestoreAction),
}
