//! Rows into the township's tables: one batch as one statement of column arrays.

use postgres::Transaction;
use postgres::types::ToSql;
use rusqlite::types::Value;

use crate::township::Result;
use crate::township::spec::{ColType, Ledger};

pub(in crate::township) fn int_at(row: &[Value], i: usize) -> Option<i64> {
    match row.get(i) {
        Some(Value::Integer(n)) => Some(*n),
        _ => None,
    }
}

/// One batch of ledger rows as one statement: each column goes as an array, `unnest` turns
/// them back into rows in order, and the chain trigger checks each one.
pub(super) fn insert_rows(
    tx: &mut Transaction<'_>,
    store_id: i32,
    ledger: Ledger,
    rows: &[Vec<Value>],
) -> Result<()> {
    insert_table_rows(tx, store_id, ledger.table(), ledger.columns(), rows)
}

/// `insert_rows` for any table `spec` describes (the ledgers and the signed record).
pub(in crate::township) fn insert_table_rows(
    tx: &mut Transaction<'_>,
    store_id: i32,
    table: &str,
    columns: &[(&str, ColType)],
    rows: &[Vec<Value>],
) -> Result<()> {
    let mut arrays: Vec<Box<dyn ToSql + Sync>> = Vec::with_capacity(columns.len());
    for (i, (_, ty)) in columns.iter().enumerate() {
        match ty {
            ColType::Int => arrays.push(Box::new(
                rows.iter()
                    .map(|r| int_at(r, i))
                    .collect::<Vec<Option<i64>>>(),
            )),
            ColType::Text | ColType::Hex => arrays.push(Box::new(
                rows.iter()
                    .map(|r| match &r[i] {
                        Value::Text(t) => Some(t.clone()),
                        Value::Null => None,
                        other => Some(format!("{other:?}")),
                    })
                    .collect::<Vec<Option<String>>>(),
            )),
        }
    }
    let names: Vec<String> = (0..columns.len()).map(|i| format!("c{i}")).collect();
    let picks: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, (_, ty))| match ty {
            ColType::Hex => format!("decode(c{i}, 'hex')"),
            _ => format!("c{i}"),
        })
        .collect();
    let casts: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, (_, ty))| {
            let pg = match ty {
                ColType::Int => "bigint",
                ColType::Text | ColType::Hex => "text",
            };
            format!("${}::{pg}[]", i + 2)
        })
        .collect();
    let sql = format!(
        "INSERT INTO township.{table} (store_id, {cols})
         SELECT $1, {picks} FROM unnest({casts}) WITH ORDINALITY AS u({names}, ord) ORDER BY ord",
        cols = crate::township::spec::township_columns(columns),
        picks = picks.join(", "),
        names = names.join(", "),
        casts = casts.join(", "),
    );
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![&store_id];
    params.extend(arrays.iter().map(|a| a.as_ref()));
    tx.execute(&sql, &params)?;
    Ok(())
}
