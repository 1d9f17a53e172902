//! Which rows of a store go to the township, column by column. One list serves the push,
//! the export file (the same tables, secrets left out) and the township's tables.

use rust_i18n::t;
use serde::{Deserialize, Serialize};

/// The store's chained, append-only ledgers: sent row for row, keyed by (store, ledger, seq).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ledger {
    PointEntry,
    StockMovement,
    AuditLog,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Int,
    Text,
    /// Hex text at the store, `bytea` at the township (a signature).
    Hex,
}

impl Ledger {
    pub const ALL: [Ledger; 3] = [Ledger::PointEntry, Ledger::StockMovement, Ledger::AuditLog];

    /// The table's name, the same in the store, the export file and the township.
    pub fn table(self) -> &'static str {
        match self {
            Ledger::PointEntry => "point_entry",
            Ledger::StockMovement => "stock_movement",
            Ledger::AuditLog => "audit_log",
        }
    }

    pub fn from_table(name: &str) -> Option<Ledger> {
        Ledger::ALL.into_iter().find(|l| l.table() == name)
    }

    /// 积分台账 / 物资台账 / 操作日志, for messages.
    pub fn label(self) -> String {
        t!(format!("township.ledger.{}", self.table())).into()
    }

    /// The columns in order. The first is the store's `id`, the township's `seq`; the last two
    /// are `prev_hash` and `hash`.
    pub fn columns(self) -> &'static [(&'static str, ColType)] {
        use ColType::{Int, Text};
        match self {
            Ledger::PointEntry => &[
                ("id", Int),
                ("household_id", Int),
                ("household_no", Text),
                ("kind", Text),
                ("amount", Int),
                ("balance_after", Int),
                ("period", Text),
                ("redemption_id", Int),
                ("receipt_no", Text),
                ("reason", Text),
                ("approved_by", Text),
                ("staff_id", Int),
                ("created_at", Text),
                ("prev_hash", Text),
                ("hash", Text),
            ],
            Ledger::StockMovement => &[
                ("id", Int),
                ("goods_code", Text),
                ("kind", Text),
                ("qty", Int),
                ("stock_after", Int),
                ("donation_id", Int),
                ("purchase_id", Int),
                ("redemption_id", Int),
                ("source", Text),
                ("reason", Text),
                ("value_cents", Int),
                ("staff_id", Int),
                ("created_at", Text),
                ("prev_hash", Text),
                ("hash", Text),
            ],
            Ledger::AuditLog => &[
                ("id", Int),
                ("staff_id", Int),
                ("action", Text),
                ("detail", Text),
                ("created_at", Text),
                ("prev_hash", Text),
                ("hash", Text),
            ],
        }
    }

    /// The column list as the store names it.
    pub fn store_columns(self) -> String {
        store_columns(self.columns())
    }

    /// The column list as the township names it (`seq` for `id`).
    pub fn township_columns(self) -> String {
        township_columns(self.columns())
    }
}

/// The store's signed record (issue 15): the staff key history and the change records are
/// chains like the ledgers; the transaction signatures are in order, each named by its own
/// signature. Sent row for row after the ledgers, keyed by (store, table, seq).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signed {
    StaffKey,
    RecordChange,
    TxnSignature,
}

impl Signed {
    pub const ALL: [Signed; 3] = [Signed::StaffKey, Signed::RecordChange, Signed::TxnSignature];

    pub fn table(self) -> &'static str {
        match self {
            Signed::StaffKey => "staff_key",
            Signed::RecordChange => "record_change",
            Signed::TxnSignature => "txn_signature",
        }
    }

    /// 工作人员公钥记录 / 资料修改记录 / 签名记录, for messages.
    pub fn label(self) -> String {
        t!(format!("township.ledger.{}", self.table())).into()
    }

    /// The store's column that names a row in the comparison: its hash, or for a signature
    /// the signature itself (the township derives `hash` from it the same way).
    pub fn name_column(self) -> &'static str {
        match self {
            Signed::TxnSignature => "signature",
            _ => "hash",
        }
    }

    /// The columns in order, the store's `id` first (the township's `seq`).
    pub fn columns(self) -> &'static [(&'static str, ColType)] {
        use ColType::{Hex, Int, Text};
        match self {
            Signed::StaffKey => &[
                ("id", Int),
                ("staff_id", Int),
                ("public_key", Text),
                ("reason", Text),
                ("created_at", Text),
                ("prev_hash", Text),
                ("hash", Text),
            ],
            Signed::RecordChange => &[
                ("id", Int),
                ("table_name", Text),
                ("row_id", Int),
                ("state_hash", Text),
                ("prev_hash", Text),
                ("hash", Text),
            ],
            Signed::TxnSignature => &[
                ("id", Int),
                ("staff_id", Int),
                ("key_id", Int),
                ("points_from", Int),
                ("points_to", Int),
                ("points_head", Text),
                ("stock_from", Int),
                ("stock_to", Int),
                ("stock_head", Text),
                ("audit_from", Int),
                ("audit_to", Int),
                ("audit_head", Text),
                ("changes_from", Int),
                ("changes_to", Int),
                ("changes_head", Text),
                ("keys_from", Int),
                ("keys_to", Int),
                ("keys_head", Text),
                ("signature", Hex),
            ],
        }
    }
}

/// A column list as the store names it.
pub fn store_columns(columns: &[(&str, ColType)]) -> String {
    columns
        .iter()
        .map(|(c, _)| *c)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A column list as the township names it (`seq` for `id`).
pub fn township_columns(columns: &[(&str, ColType)]) -> String {
    columns
        .iter()
        .map(|(c, _)| if *c == "id" { "seq" } else { *c })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A master record kind: its SQLite query giving (key, JSON body). Every column used here is
/// in `EXPORTED` so the same query runs on an export file. Phone numbers, PIN hashes and the
/// card secret never leave the store.
pub struct MasterKind {
    pub kind: &'static str,
    pub query: &'static str,
}

pub const MASTERS: &[MasterKind] = &[
    MasterKind {
        kind: "store",
        query: "SELECT '1', json_object('name', name, 'store_code', store_code, 'created_at', created_at) FROM store",
    },
    MasterKind {
        kind: "village",
        query: "SELECT CAST(id AS TEXT), json_object('id', id, 'name', name) FROM village",
    },
    MasterKind {
        kind: "village_group",
        query: "SELECT CAST(g.id AS TEXT), json_object('id', g.id, 'village', v.name, 'name', g.name)
                FROM village_group g JOIN village v ON v.id = g.village_id",
    },
    MasterKind {
        kind: "household",
        query: "SELECT CAST(h.id AS TEXT), json_object('id', h.id, 'number', h.number, 'head_name', h.head_name,
                    'group_id', h.group_id, 'village', v.name, 'group', g.name, 'members', h.members,
                    'kind', h.kind, 'status', h.status, 'created_at', h.created_at)
                FROM household h JOIN village_group g ON g.id = h.group_id JOIN village v ON v.id = g.village_id",
    },
    MasterKind {
        kind: "goods",
        query: "SELECT code, json_object('code', code, 'barcode', barcode, 'name', name, 'unit', unit,
                    'category', category, 'monthly_limit', monthly_limit, 'retired', retired,
                    'low_stock_threshold', low_stock_threshold, 'created_at', created_at) FROM goods",
    },
    MasterKind {
        kind: "price",
        query: "SELECT CAST(id AS TEXT), json_object('id', id, 'goods_code', goods_code, 'price_points', price_points,
                    'effective_from', effective_from, 'set_by', set_by, 'approved_by', approved_by,
                    'created_at', created_at) FROM price",
    },
    MasterKind {
        kind: "staff",
        query: "SELECT CAST(id AS TEXT), json_object('id', id, 'name', name, 'role', role, 'active', active,
                    'created_at', created_at) FROM staff",
    },
    MasterKind {
        kind: "village_policy",
        query: "SELECT CAST(p.id AS TEXT), json_object('id', p.id, 'village', v.name, 'toml', p.toml,
                    'set_by', p.set_by, 'created_at', p.created_at)
                FROM village_policy p JOIN village v ON v.id = p.village_id",
    },
    MasterKind {
        kind: "score_sheet",
        query: "SELECT CAST(s.id AS TEXT), json_object('id', s.id, 'period', s.period, 'approved_by', s.approved_by,
                    'staff_id', s.staff_id, 'created_at', s.created_at,
                    'scores', (SELECT json_group_array(json_array(c.household_id, c.score))
                               FROM (SELECT household_id, score FROM score WHERE sheet_id = s.id
                                     ORDER BY household_id) c))
                FROM score_sheet s",
    },
    MasterKind {
        kind: "donation",
        query: "SELECT CAST(id AS TEXT), json_object('id', id, 'donor', donor, 'received_on', received_on,
                    'staff_id', staff_id, 'created_at', created_at) FROM donation",
    },
    MasterKind {
        kind: "purchase",
        query: "SELECT CAST(id AS TEXT), json_object('id', id, 'supplier', supplier, 'invoice_no', invoice_no,
                    'amount_cents', amount_cents, 'received_on', received_on, 'staff_id', staff_id,
                    'created_at', created_at) FROM purchase",
    },
    MasterKind {
        kind: "redemption_void",
        query: "SELECT CAST(redemption_id AS TEXT), json_object('redemption_id', redemption_id, 'reason', reason,
                    'staff_id', staff_id, 'created_at', created_at) FROM redemption_void",
    },
    MasterKind {
        kind: "redemption_session",
        query: "SELECT CAST(id AS TEXT), json_object('id', id, 'day', day, 'opened_at', opened_at,
                    'opened_by', opened_by, 'staff_on_duty', staff_on_duty, 'groups_served', groups_served,
                    'closed_at', closed_at, 'closed_by', closed_by) FROM redemption_session",
    },
    MasterKind {
        kind: "designated_staff",
        query: "SELECT CAST(id AS TEXT), json_object('id', id, 'staff_id', staff_id, 'duty', duty,
                    'from_date', from_date, 'to_date', to_date, 'appointed_by', appointed_by,
                    'created_at', created_at) FROM designated_staff",
    },
];

/// The store tables an export file carries, and their columns: exactly what the ledgers and
/// `MASTERS` read, nothing else.
pub const EXPORTED: &[(&str, &str)] = &[
    ("store", "id, name, store_code, created_at"),
    ("village", "id, name"),
    ("village_group", "id, village_id, name"),
    (
        "household",
        "id, number, head_name, group_id, members, kind, status, created_at",
    ),
    (
        "goods",
        "code, barcode, name, unit, category, monthly_limit, retired, low_stock_threshold, created_at",
    ),
    (
        "price",
        "id, goods_code, price_points, effective_from, set_by, approved_by, created_at",
    ),
    ("staff", "id, name, role, active, created_at"),
    ("village_policy", "id, village_id, toml, set_by, created_at"),
    (
        "score_sheet",
        "id, period, approved_by, staff_id, created_at",
    ),
    ("score", "period, household_id, score, sheet_id"),
    ("donation", "id, donor, received_on, staff_id, created_at"),
    (
        "purchase",
        "id, supplier, invoice_no, amount_cents, received_on, staff_id, created_at",
    ),
    (
        "redemption_void",
        "redemption_id, reason, staff_id, created_at",
    ),
    (
        "redemption_session",
        "id, day, opened_at, opened_by, staff_on_duty, groups_served, closed_at, closed_by",
    ),
    (
        "designated_staff",
        "id, staff_id, duty, from_date, to_date, appointed_by, created_at",
    ),
];
