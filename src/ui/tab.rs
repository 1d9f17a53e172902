//! The tabs of the top bar, and which a role sees.

use rust_i18n::t;

use crate::core::staff::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// The manager's first-start checklist.
    Start,
    Imports,
    Cards,
    /// Village rules and redemption days, reached from the checklist.
    Rules,
    Counter,
    Today,
    Day,
    Goods,
    Households,
    Stock,
    Staff,
    Notices,
    Settings,
    Register,
    /// 恢复备份, reached from 设置 (manager).
    Restore,
}

impl Tab {
    /// The tabs a role sees, in the order of the top bar.
    pub fn for_role(role: Role) -> &'static [Tab] {
        match role {
            Role::Manager => &[
                Tab::Start,
                Tab::Counter,
                Tab::Today,
                Tab::Day,
                Tab::Goods,
                Tab::Households,
                Tab::Stock,
                Tab::Staff,
                Tab::Notices,
                Tab::Register,
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
                Tab::Register,
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

    pub(super) fn label(self) -> String {
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
            Tab::Register => "ui.top.register",
            Tab::Start => "ui.top.start",
            Tab::Imports => "ui.top.imports",
            Tab::Cards => "ui.top.cards",
            Tab::Rules => "ui.top.rules",
            Tab::Restore => "restore.title",
        };
        t!(key).to_string()
    }
}
