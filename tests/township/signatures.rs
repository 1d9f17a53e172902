//! The store's signed record at the township: the staff keys, the change records and the
//! transaction signatures arrive as the store made them, verify there against the keys the
//! township holds, travel on the USB file too, and one store's login cannot add another's.

use jifen::township::spec::{Ledger, Signed};
use jifen::township::{TownshipError, signed};

use super::{Town, busy_store, push};
use crate::common::Store;

/// A write tried with another store's login.
type Attempt = Box<dyn Fn(&mut postgres::Client) -> Result<u64, postgres::Error>>;

/// The store's rows of a signed table, each as its columns joined (the signature as hex).
fn store_signed(store: &Store, t: Signed) -> Vec<String> {
    let cols: Vec<String> = t
        .columns()
        .iter()
        .map(|(c, _)| format!("COALESCE(CAST({c} AS TEXT), '∅')"))
        .collect();
    let sql = format!(
        "SELECT {} FROM {} ORDER BY id",
        cols.join(" || '|' || "),
        t.table()
    );
    let conn = store.db.connection();
    let mut stmt = conn.prepare(&sql).unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The township's rows of a signed table in the same form (`seq` for `id`, the bytea
/// signature written back as hex).
fn town_signed(town: &Town, store_name: &str, t: Signed) -> Vec<String> {
    let cols: Vec<String> = t
        .columns()
        .iter()
        .map(|(c, ty)| match (*c, ty) {
            ("id", _) => "seq::text".to_string(),
            (c, jifen::township::spec::ColType::Hex) => format!("encode({c}, 'hex')"),
            (c, _) => format!("COALESCE({c}::text, '∅')"),
        })
        .collect();
    let sql = format!(
        "SELECT {} FROM township.{} t JOIN township.store s USING (store_id)
          WHERE s.name = $1 ORDER BY seq",
        cols.join(" || '|' || "),
        t.table()
    );
    town.client()
        .query(&sql, &[&store_name])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn store_id(town: &Town, name: &str) -> i32 {
    town.client()
        .query_one(
            "SELECT store_id FROM township.store WHERE name = $1",
            &[&name],
        )
        .unwrap()
        .get(0)
}

#[test]
fn pushed_signatures_keys_and_change_records_equal_the_stores_and_verify_at_the_township() {
    let town = Town::new();
    let mut a = busy_store(0);
    let url = town.enrol("青山河湾A");
    let done = push(&mut a, &url).unwrap();
    for t in Signed::ALL {
        let ours = store_signed(&a, t);
        assert!(!ours.is_empty(), "the demo store signs: {t:?}");
        assert_eq!(town_signed(&town, "青山河湾A", t), ours, "{t:?}");
        assert_eq!(done.signed_added[&t], ours.len() as i64);
    }
    let id = store_id(&town, "青山河湾A");
    let check = signed::verify(&mut town.client(), id).unwrap();
    assert_eq!(
        check.signatures,
        store_signed(&a, Signed::TxnSignature).len() as i64
    );
    assert!(check.bad.is_empty(), "{check:?}");
    assert!(check.describe().contains("全部"), "{}", check.describe());
    // A second push adds nothing of them either.
    assert_eq!(push(&mut a, &url).unwrap().rows_added(), 0);

    // Changed at the township behind the push's back (only the owner could): the check names
    // the signature whose signed head is no longer the row held, and one whose bytes changed.
    let mut owner = town.client();
    let last: i64 = owner
        .query_one(
            "SELECT MAX(seq) FROM township.txn_signature WHERE store_id = $1 AND points_to IS NOT NULL",
            &[&id],
        )
        .unwrap()
        .get(0);
    owner
        .execute(
            "UPDATE township.point_entry SET hash = repeat('f', 64) WHERE store_id = $1
                AND seq = (SELECT points_to FROM township.txn_signature WHERE store_id = $1 AND seq = $2)",
            &[&id, &last],
        )
        .unwrap();
    owner
        .execute(
            "UPDATE township.txn_signature SET signature = set_byte(signature, 0, (get_byte(signature, 0) + 1) % 256)
              WHERE store_id = $1 AND seq = 1",
            &[&id],
        )
        .unwrap();
    let check = signed::verify(&mut owner, id).unwrap();
    assert_eq!(check.bad, vec![1, last], "{check:?}");
    assert!(check.describe().contains("不通过"), "{}", check.describe());
}

#[test]
fn the_usb_export_carries_the_signed_record_as_a_push_does() {
    let pushed = Town::new();
    let ingested = Town::new();
    let mut a = busy_store(0);
    push(&mut a, &pushed.enrol("青山河湾A")).unwrap();
    let file = a.dir.path().join("township-export.db");
    jifen::township::service::export_store(&mut a.db, &file, None, crate::common::t0()).unwrap();
    ingested.enrol("青山河湾A");
    let done = jifen::township::service::ingest_file(
        &file,
        &ingested.admin_url,
        Some("青山河湾A"),
        50,
        |_| {},
    )
    .unwrap();
    for t in Signed::ALL {
        let rows = town_signed(&ingested, "青山河湾A", t);
        assert!(!rows.is_empty(), "{t:?}");
        assert_eq!(rows, town_signed(&pushed, "青山河湾A", t), "{t:?}");
        assert_eq!(done.signed_added[&t], rows.len() as i64);
    }
    let id = store_id(&ingested, "青山河湾A");
    let check = signed::verify(&mut ingested.client(), id).unwrap();
    assert!(check.signatures > 0 && check.bad.is_empty(), "{check:?}");
    // What the township's clerk sees: `township status` with the township's own address.
    let empty = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jifen"))
        .arg("--data")
        .arg(empty.path())
        .args(["township", "status", "--url", &ingested.admin_url])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains(&format!(
            "青山河湾A: {} 条签名，全部用镇里保存的公钥验证通过",
            check.signatures
        )),
        "{text}"
    );
}

#[test]
fn a_stores_login_cannot_add_to_another_stores_signed_record() {
    let town = Town::new();
    let mut a = busy_store(0);
    let mut b = busy_store(1);
    let url_a = town.enrol("青山河湾A");
    push(&mut a, &url_a).unwrap();
    push(&mut b, &town.enrol("青山河湾B")).unwrap();
    let b_id = store_id(&town, "青山河湾B");
    let mut as_a = postgres::Client::connect(&url_a, postgres::NoTls).unwrap();
    let next = |t: &str| -> i64 {
        town.client()
            .query_one(
                &format!("SELECT MAX(seq) + 1 FROM township.{t} WHERE store_id = $1"),
                &[&b_id],
            )
            .unwrap()
            .get(0)
    };
    let key_head: String = town
        .client()
        .query_one(
            "SELECT hash FROM township.staff_key WHERE store_id = $1 ORDER BY seq DESC LIMIT 1",
            &[&b_id],
        )
        .unwrap()
        .get(0);
    let attempts: Vec<(String, Attempt)> = vec![
        ("staff_key".into(), {
            let (seq, head) = (next("staff_key"), key_head.clone());
            Box::new(move |c: &mut postgres::Client| {
                c.execute(
                    "INSERT INTO township.staff_key (store_id, seq, staff_id, public_key, reason, created_at, prev_hash, hash)
                     VALUES ($1, $2, 1, repeat('a', 64), 'new', '2026-12-01 10:00:00', $3, repeat('b', 64))",
                    &[&b_id, &seq, &head],
                )
            })
        }),
        ("txn_signature".into(), {
            let seq = next("txn_signature");
            Box::new(move |c: &mut postgres::Client| {
                c.execute(
                    "INSERT INTO township.txn_signature (store_id, seq, staff_id, key_id, signature)
                     VALUES ($1, $2, 1, 1, decode(repeat('00', 64), 'hex'))",
                    &[&b_id, &seq],
                )
            })
        }),
    ];
    for (what, attempt) in attempts {
        let err = format!("{:?}", attempt(&mut as_a).expect_err(&what));
        assert!(err.contains("row-level security"), "{what}: {err}");
    }
    for sql in [
        "UPDATE township.txn_signature SET staff_id = 2",
        "DELETE FROM township.staff_key",
        "UPDATE township.record_change SET state_hash = NULL",
    ] {
        let err = format!("{:?}", as_a.execute(sql, &[]).expect_err(sql));
        assert!(err.contains("permission denied"), "{sql}: {err}");
    }
    // B's signatures are invisible to A.
    let seen: i64 = as_a
        .query_one(
            "SELECT COUNT(*) FROM township.txn_signature WHERE store_id = $1",
            &[&b_id],
        )
        .unwrap()
        .get(0);
    assert_eq!(seen, 0);
}

#[test]
fn a_change_record_rewritten_at_the_store_is_refused_as_a_fork_and_nothing_is_taken() {
    let town = Town::new();
    let mut a = busy_store(0);
    let url = town.enrol("青山河湾A");
    push(&mut a, &url).unwrap();
    let before = town_signed(&town, "青山河湾A", Signed::RecordChange);
    let points_before = town.rows("青山河湾A", Ledger::PointEntry);
    // Someone with the file edits a change record (hiding a household edit) and writes on.
    jifen::app::redeem::redeem(
        &mut a.db,
        &a.cashier,
        &crate::common::cart("101002", &[("1015", 1)]),
        crate::common::at(2026, 12, 3, 9, 0),
    )
    .unwrap();
    rewrite_change_chain_from(&a, 2);
    let err = push(&mut a, &url).expect_err("a rewritten change record is a fork");
    assert!(
        matches!(
            err,
            TownshipError::SignedFork {
                table: Signed::RecordChange,
                seq: 2
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("资料修改记录"), "{err}");
    assert_eq!(
        town_signed(&town, "青山河湾A", Signed::RecordChange),
        before
    );
    let forks: i64 = town
        .client()
        .query_one(
            "SELECT COUNT(*) FROM township.fork_report WHERE ledger = 'record_change' AND seq = 2",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(forks, 1);
    // Nothing of the push was taken: the redemption after the last push is not there.
    assert_eq!(town.rows("青山河湾A", Ledger::PointEntry), points_before);
    assert!(super::store_rows(&a, Ledger::PointEntry) > points_before.len());
}

/// Changes change record `from`'s recorded state and recomputes the chain after it, as someone
/// covering up an edit would (the store's own triggers dropped first).
fn rewrite_change_chain_from(store: &Store, from: i64) {
    let conn = store.db.connection();
    conn.execute_batch("DROP TRIGGER record_change_no_update; DROP TRIGGER record_change_chain;")
        .unwrap();
    let rows: Vec<(i64, String, i64, Option<String>, String)> = conn
        .prepare("SELECT id, table_name, row_id, state_hash, prev_hash FROM record_change WHERE id >= ?1 ORDER BY id")
        .unwrap()
        .query_map([from], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut prev = rows[0].4.clone();
    for (i, (id, table, row_id, state, _)) in rows.into_iter().enumerate() {
        let state = if i == 0 { Some("0".repeat(64)) } else { state };
        let hash = jifen::core::chain::change_hash(&prev, &table, row_id, &state);
        conn.execute(
            "UPDATE record_change SET state_hash = ?2, prev_hash = ?3, hash = ?4 WHERE id = ?1",
            rusqlite::params![id, state, prev, hash],
        )
        .unwrap();
        prev = hash;
    }
}
