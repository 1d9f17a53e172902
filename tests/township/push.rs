//! Pushes: totals equal the stores' ledgers, a second push adds nothing, a killed push
//! resumes to the same rows, and a store's login can touch nothing but its own rows.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use jifen::township::TownshipError;
use jifen::township::spec::Ledger;

use super::{Town, busy_store, push, store_rows};

#[test]
fn two_demo_stores_push_and_the_township_totals_equal_each_stores_ledgers() {
    let town = Town::new();
    let mut a = busy_store(0);
    let mut b = busy_store(1);
    let url_a = town.enrol("青山河湾A");
    let url_b = town.enrol("青山河湾B");
    let done_a = push(&mut a, &url_a).unwrap();
    let done_b = push(&mut b, &url_b).unwrap();
    for (store, done, name) in [(&a, &done_a, "青山河湾A"), (&b, &done_b, "青山河湾B")] {
        for ledger in Ledger::ALL {
            assert_eq!(done.added[&ledger] as usize, store_rows(store, ledger));
            assert_eq!(town.rows(name, ledger).len(), store_rows(store, ledger));
        }
    }
    let mut pg = town.client();
    for (store, name) in [(&a, "青山河湾A"), (&b, "青山河湾B")] {
        let conn = store.db.connection();
        // Points: every household's balance, and the total.
        let local: Vec<(String, i64)> = conn
            .prepare("SELECT household_no, SUM(amount) FROM point_entry GROUP BY household_no ORDER BY household_no")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let held: Vec<(String, i64)> = pg
            .query(
                "SELECT household_no, SUM(amount)::bigint FROM township.point_entry
                 JOIN township.store USING (store_id) WHERE name = $1
                 GROUP BY household_no ORDER BY household_no",
                &[&name],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        assert!(!local.is_empty());
        assert_eq!(held, local, "{name}: balances per household");
        // Stock on hand per good.
        let local: Vec<(String, i64)> = conn
            .prepare("SELECT goods_code, SUM(qty) FROM stock_movement GROUP BY goods_code ORDER BY goods_code")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let held: Vec<(String, i64)> = pg
            .query(
                "SELECT goods_code, SUM(qty)::bigint FROM township.stock_movement
                 JOIN township.store USING (store_id) WHERE name = $1
                 GROUP BY goods_code ORDER BY goods_code",
                &[&name],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        assert_eq!(held, local, "{name}: stock per good");
        // Households as records.
        let households: i64 = conn
            .query_row("SELECT COUNT(*) FROM household", [], |r| r.get(0))
            .unwrap();
        let held: i64 = pg
            .query_one(
                "SELECT COUNT(*) FROM township.household_v JOIN township.store USING (store_id) WHERE name = $1",
                &[&name],
            )
            .unwrap()
            .get(0);
        assert_eq!(held, households);
    }
}

#[test]
fn a_second_push_adds_nothing() {
    let town = Town::new();
    let mut a = busy_store(0);
    let url = town.enrol("青山河湾A");
    let first = push(&mut a, &url).unwrap();
    assert!(first.rows_added() > 1000);
    let before: Vec<Vec<String>> = Ledger::ALL
        .iter()
        .map(|l| town.rows("青山河湾A", *l))
        .collect();
    let second = push(&mut a, &url).unwrap();
    assert_eq!(second.rows_added(), 0, "{second:?}");
    let after: Vec<Vec<String>> = Ledger::ALL
        .iter()
        .map(|l| town.rows("青山河湾A", *l))
        .collect();
    assert_eq!(before, after);
    assert_eq!(town.masters("青山河湾A").len() as i64, first.masters_added);
}

fn jifen(data: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jifen"));
    c.arg("--data").arg(data).env_remove("JIFEN_DATA");
    c
}

#[test]
fn a_push_killed_half_way_and_resumed_ends_with_exactly_the_same_rows() {
    let town = Town::new();
    let a = busy_store(0);
    let url = town.enrol("青山河湾A");
    let reference = Town::new();
    let reference_url = reference.enrol("青山河湾A");
    let data = a.dir.path().to_path_buf();
    drop(a.db);

    // Small batches, and the process killed after a few of them have committed.
    let mut child = jifen(&data)
        .args(["township", "push", "--batch", "40", "--url", &url])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = 0;
    while let Some(Ok(line)) = lines.next() {
        if line.contains("积分台账") {
            seen += 1;
            if seen == 5 {
                child.kill().unwrap();
                break;
            }
        }
    }
    child.wait().unwrap();
    assert_eq!(seen, 5, "the push showed its progress batch by batch");
    let partial = town.rows("青山河湾A", Ledger::PointEntry).len();
    assert!(
        (200..1000).contains(&partial),
        "killed half-way: {partial} rows held"
    );
    assert!(town.rows("青山河湾A", Ledger::AuditLog).is_empty());

    let resumed = jifen(&data)
        .args(["township", "push", "--url", &url, "--json"])
        .output()
        .unwrap();
    assert!(
        resumed.status.success(),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    let whole = jifen(&data)
        .args(["--json", "township", "push", "--url", &reference_url])
        .output()
        .unwrap();
    assert!(
        whole.status.success(),
        "{}",
        String::from_utf8_lossy(&whole.stderr)
    );
    for ledger in Ledger::ALL {
        let resumed_rows = town.rows("青山河湾A", ledger);
        assert!(!resumed_rows.is_empty());
        assert_eq!(
            resumed_rows,
            reference.rows("青山河湾A", ledger),
            "{ledger:?}"
        );
    }
    assert_eq!(town.masters("青山河湾A"), reference.masters("青山河湾A"));
    // And the store remembers its last push for the manager screen.
    let status = jifen(&data).args(["township", "status"]).output().unwrap();
    assert!(String::from_utf8_lossy(&status.stdout).contains("上次上传到镇里"));
}

#[test]
fn a_stores_login_cannot_write_or_read_another_stores_rows() {
    let town = Town::new();
    let mut a = busy_store(0);
    let mut b = busy_store(1);
    let url_a = town.enrol("青山河湾A");
    let url_b = town.enrol("青山河湾B");
    push(&mut a, &url_a).unwrap();
    push(&mut b, &url_b).unwrap();
    let mut as_a = postgres::Client::connect(&url_a, postgres::NoTls).unwrap();
    let b_id: i32 = town
        .client()
        .query_one(
            "SELECT store_id FROM township.store WHERE name = '青山河湾B'",
            &[],
        )
        .unwrap()
        .get(0);
    // Reading: B's rows are invisible to A.
    let visible: i64 = as_a
        .query_one(
            "SELECT COUNT(*) FROM township.point_entry WHERE store_id = $1",
            &[&b_id],
        )
        .unwrap()
        .get(0);
    assert_eq!(visible, 0);
    // Adding a row under B's name: refused by row-level security.
    let head: (i64, String) = {
        let r = town
            .client()
            .query_one(
                "SELECT seq, hash FROM township.audit_log WHERE store_id = $1 ORDER BY seq DESC LIMIT 1",
                &[&b_id],
            )
            .unwrap();
        (r.get(0), r.get(1))
    };
    let forged = as_a.execute(
        "INSERT INTO township.audit_log (store_id, seq, staff_id, action, detail, created_at, prev_hash, hash)
         VALUES ($1, $2, 1, 'forged', '{}', '2026-12-01 10:00:00', $3, 'x')",
        &[&b_id, &(head.0 + 1), &head.1],
    );
    let err = format!("{:?}", forged.expect_err("A may not add to B's ledger"));
    assert!(err.contains("row-level security"), "{err}");
    // Changing or deleting anything, even its own rows: no such privilege.
    for sql in [
        "UPDATE township.point_entry SET amount = amount + 1000",
        "DELETE FROM township.point_entry",
        "UPDATE township.master_row SET body = '{}'",
        "DELETE FROM township.rolled_back_row",
    ] {
        let err = as_a.execute(sql, &[]).expect_err(sql);
        let err = format!("{err:?}");
        assert!(err.contains("permission denied"), "{sql}: {err}");
    }
    // Rolling back B's rows through the rollback function: refused.
    let err = as_a
        .query_one(
            "SELECT township.accept_rollback($1, 'audit_log', 0, repeat('0', 64), 1, repeat('0', 64), 'x', '{}'::jsonb)",
            &[&b_id],
        )
        .expect_err("A cannot roll back B");
    let err = format!("{err:?}");
    assert!(err.contains("only its own rows"), "{err}");
    // Pushing B's file with A's login: refused, A's login is bound to A's store.
    assert!(matches!(
        push(&mut b, &url_a),
        Err(TownshipError::WrongStore { .. })
    ));
    assert_eq!(
        town.rows("青山河湾B", Ledger::AuditLog).len(),
        store_rows(&b, Ledger::AuditLog)
    );
}

#[test]
fn the_server_refuses_a_row_that_does_not_continue_the_chain() {
    let town = Town::new();
    let mut a = busy_store(0);
    let url = town.enrol("青山河湾A");
    push(&mut a, &url).unwrap();
    let mut as_a = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let (me, head): (i32, i64) = {
        let r = as_a
            .query_one(
                "SELECT township.current_store(), MAX(seq) FROM township.audit_log",
                &[],
            )
            .unwrap();
        (r.get(0), r.get(1))
    };
    let err = as_a
        .execute(
            "INSERT INTO township.audit_log (store_id, seq, staff_id, action, detail, created_at, prev_hash, hash)
             VALUES ($1, $2, 1, 'forged', '{}', '2026-12-01 10:00:00', repeat('1', 64), 'x')",
            &[&me, &(head + 1)],
        )
        .expect_err("a row off the chain");
    let err = format!("{err:?}");
    assert!(err.contains("does not continue the chain"), "{err}");
}

#[test]
fn closing_a_day_pushes_when_a_township_address_is_set_and_the_day_screen_shows_it() {
    use jifen::township::service::{push_at_close, status_line};
    let town = Town::new();
    let mut a = busy_store(0);
    let now = crate::common::at(2026, 12, 10, 9, 0);
    // No address: nothing happens, nothing is shown.
    assert!(push_at_close(&mut a.db, a.manager.id, now).is_none());
    assert_eq!(status_line(&mut a.db), None);
    let url = town.enrol("青山河湾A");
    jifen::app::settings::set(&mut a.db, &a.manager, "township.url", &url, now).unwrap();
    jifen::app::sessions::open_session(&mut a.db, &a.manager, now.date(), &[], &[], now).unwrap();
    let dir = a.dir.path().to_path_buf();
    let (_report, backup) =
        jifen::app::sessions::close_session(&mut a.db, &dir, &a.manager, now).unwrap();
    backup.unwrap();
    let done = push_at_close(&mut a.db, a.manager.id, now)
        .unwrap()
        .unwrap();
    assert!(done.rows_added() > 0);
    assert_eq!(
        town.rows("青山河湾A", Ledger::AuditLog).len(),
        store_rows(&a, Ledger::AuditLog)
    );
    let line = status_line(&mut a.db).unwrap();
    assert!(
        line.contains("上次上传到镇里") && line.contains("成功"),
        "{line}"
    );
    // The password never reaches the store's log.
    let logged: String =
        a.db.connection()
            .query_row(
                "SELECT address FROM township_push ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert!(!logged.contains("password"), "{logged}");
}
