//! Township benchmark (issue 21): one generated five-year store pushed to a real PostgreSQL,
//! then pushed again under 29 more store ids (30 stores), and a quarter's report over all 30.
//!
//! Run: `cargo bench --bench township`. Needs Debian's `postgresql` (a throwaway cluster, as
//! in the tests, with fsync on). Scale with `JIFEN_BENCH_HOUSEHOLDS` (default 2,000: a tenth
//! of the store benchmark's 20,000; the redemption lines and goods scale with it) and
//! `JIFEN_BENCH_STORES` (default 30). Prints a Markdown table; no pass or fail.
//!
//! `JIFEN_BENCH_STORE=/path/to/a/copy/jifen.db` uses a real store instead (the store
//! benchmark's five-year store: ~4.5 M rows with its signed record). It is opened (and so
//! upgraded) in place: give it a copy. That store is pushed once, for real; the other stores
//! are its monthly aggregates and master records copied under their own store ids by SQL
//! (30 full copies of its ledgers would need ~50 GB), which is what the report reads.

#[path = "../tests/township/cluster.rs"]
mod cluster;

use std::time::Instant;

use chrono::{NaiveDate, NaiveDateTime};
use jifen::app::synthetic::{self, History};
use jifen::core::Period;
use jifen::core::notice_period::NoticePeriod;
use jifen::store::Db;
use jifen::township::push::{PushOptions, Via, push};
use jifen::township::source::Source;
use jifen::township::spec::Ledger;
use jifen::township::{Township, enrol, report};

fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    rust_i18n::set_locale("zh-CN");
    unsafe { std::env::set_var("JIFEN_PG_FSYNC", "on") };
    let households = env_usize("JIFEN_BENCH_HOUSEHOLDS", 2_000);
    let stores = env_usize("JIFEN_BENCH_STORES", 30);
    let goods = (households / 10).max(20);
    let lines = households * 50;
    let mut table: Vec<(String, String)> = Vec::new();
    let mut add = |what: &str, figure: String| {
        println!("  {what}: {figure}");
        table.push((what.to_string(), figure));
    };

    let dir = tempfile::tempdir().unwrap();
    if let Ok(real) = std::env::var("JIFEN_BENCH_STORE") {
        return real_store(std::path::Path::new(&real), stores, dir.path());
    }
    let path = dir.path().join("jifen.db");
    let t = Instant::now();
    let mut db = Db::open(&path).unwrap();
    let store = synthetic::seed(&mut db, households, goods, at(2021, 12, 1)).unwrap();
    let history = History {
        first_period: Period::of(NaiveDate::from_ymd_opt(2021, 11, 1).unwrap()),
        months: 60,
        redemption_lines: lines,
        restock_per_year: 120,
    };
    synthetic::add_history(&mut db, &store, &history, |_, _| {}).unwrap();
    let rows: Vec<(Ledger, i64)> = Ledger::ALL
        .iter()
        .map(|l| {
            let n: i64 = db
                .connection()
                .query_row(&format!("SELECT COUNT(*) FROM {}", l.table()), [], |r| {
                    r.get(0)
                })
                .unwrap();
            (*l, n)
        })
        .collect();
    let total_rows: i64 = rows.iter().map(|(_, n)| n).sum();
    add(
        "store generated",
        format!(
            "{households} households, {goods} goods, 60 months, {lines} redemption lines: {} rows ({}) in {:.0} s",
            total_rows,
            rows.iter()
                .map(|(l, n)| format!("{} {n}", l.table()))
                .collect::<Vec<_>>()
                .join(", "),
            t.elapsed().as_secs_f64()
        ),
    );

    let admin_url = cluster::cluster().fresh_database();
    let mut admin = Township::connect_admin(&admin_url).unwrap();
    let mut first_push = 0.0;
    let t_all = Instant::now();
    for i in 1..=stores {
        let url = enrol::enrol(&mut admin, &format!("基准超市{i:02}"))
            .unwrap()
            .url;
        let mut town = Township::connect(&url).unwrap();
        let t = Instant::now();
        let done = db
            .read(|tx| {
                push(
                    &mut town,
                    &Source::new(tx),
                    PushOptions::new(Via::Push),
                    |_| {},
                )
            })
            .unwrap();
        let secs = t.elapsed().as_secs_f64();
        assert_eq!(done.added.values().sum::<i64>(), total_rows);
        if i == 1 {
            first_push = secs;
            add(
                "push of one five-year store (empty township)",
                format!(
                    "{secs:.1} s ({:.0} rows/s, {} master records)",
                    total_rows as f64 / secs,
                    done.masters_added
                ),
            );
            let t = Instant::now();
            let again = db
                .read(|tx| {
                    push(
                        &mut town,
                        &Source::new(tx),
                        PushOptions::new(Via::Push),
                        |_| {},
                    )
                })
                .unwrap();
            assert_eq!(again.rows_added(), 0);
            add(
                "second push (nothing new)",
                format!("{:.2} s", t.elapsed().as_secs_f64()),
            );
        }
        if i == stores {
            add(
                &format!(
                    "push of store {i} (township already holding {} stores)",
                    i - 1
                ),
                format!("{secs:.1} s ({:.2}× the first)", secs / first_push),
            );
        }
    }
    add(
        &format!("{stores} stores pushed in all"),
        format!(
            "{:.0} s ({} rows)",
            t_all.elapsed().as_secs_f64(),
            total_rows * stores as i64
        ),
    );
    let size: i64 = admin_client(&admin_url)
        .query_one("SELECT pg_database_size(current_database())", &[])
        .unwrap()
        .get(0);
    add(
        "township database size",
        format!("{:.0} MB", size as f64 / 1e6),
    );

    let quarter: NoticePeriod = "2026-Q3".parse().unwrap();
    let t = Instant::now();
    let data = report::report(&mut admin, quarter, at(2026, 11, 30)).unwrap();
    add(
        &format!("quarter report over {stores} stores (SQL views)"),
        format!(
            "{:.1} s ({} group lines, {} goods lines)",
            t.elapsed().as_secs_f64(),
            data.groups.len(),
            data.goods.len()
        ),
    );
    for ext in ["xlsx", "pdf"] {
        let out = dir.path().join(format!("report.{ext}"));
        let t = Instant::now();
        report::write(&data, "基准镇", &out).unwrap();
        add(
            &format!("report written as .{ext}"),
            format!(
                "{:.1} s ({} KB)",
                t.elapsed().as_secs_f64(),
                std::fs::metadata(&out).unwrap().len() / 1024
            ),
        );
    }
    print_table(&table);
}

fn print_table(table: &[(String, String)]) {
    println!("\n| what | figure |\n| --- | --- |");
    for (what, figure) in table {
        println!("| {what} | {figure} |");
    }
}

fn admin_client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}

/// The real five-year store: one push for real, then 29 more stores' aggregates and masters
/// copied by SQL, the report over all of them.
fn real_store(path: &std::path::Path, stores: usize, dir: &std::path::Path) {
    use jifen::township::spec::Signed;
    let mut table: Vec<(String, String)> = Vec::new();
    let mut add = |what: &str, figure: String| {
        println!("  {what}: {figure}");
        table.push((what.to_string(), figure));
    };
    let t = Instant::now();
    let mut db = Db::open(path).unwrap();
    add(
        "store opened (upgraded)",
        format!("{:.0} s", t.elapsed().as_secs_f64()),
    );
    let count = |db: &Db, t: &str| -> i64 {
        db.connection()
            .query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    };
    let ledger_rows: Vec<(String, i64)> = Ledger::ALL
        .iter()
        .map(|l| l.table())
        .chain(Signed::ALL.iter().map(|s| s.table()))
        .map(|t| (t.to_string(), count(&db, t)))
        .collect();
    let total: i64 = ledger_rows.iter().map(|(_, n)| n).sum();
    add(
        "store",
        format!(
            "{} rows: {}",
            total,
            ledger_rows
                .iter()
                .map(|(t, n)| format!("{t} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    let admin_url = cluster::cluster().fresh_database();
    let mut admin = Township::connect_admin(&admin_url).unwrap();
    let url = enrol::enrol(&mut admin, "基准超市01").unwrap().url;
    let mut town = Township::connect(&url).unwrap();
    let t = Instant::now();
    let mut last_report = Instant::now();
    let done = db
        .read(|tx| {
            push(
                &mut town,
                &Source::new(tx),
                PushOptions::new(Via::Push),
                |p| {
                    if last_report.elapsed().as_secs() >= 30 {
                        last_report = Instant::now();
                        eprintln!(
                            "  … {:?} {}/{} after {:.0} s",
                            p.ledger,
                            p.done,
                            p.total,
                            t.elapsed().as_secs_f64()
                        );
                    }
                },
            )
        })
        .unwrap();
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(done.rows_added() - done.masters_added, total);
    add(
        "push of the five-year store (empty township)",
        format!(
            "{secs:.0} s ({:.0} rows/s, {} master records; batches of {} rows)",
            total as f64 / secs,
            done.masters_added,
            jifen::township::push::DEFAULT_BATCH_ROWS
        ),
    );
    let t = Instant::now();
    let again = db
        .read(|tx| {
            push(
                &mut town,
                &Source::new(tx),
                PushOptions::new(Via::Push),
                |_| {},
            )
        })
        .unwrap();
    assert_eq!(again.rows_added(), 0);
    add(
        "second push (nothing new)",
        format!("{:.1} s", t.elapsed().as_secs_f64()),
    );
    let mut pg = admin_client(&admin_url);
    let t = Instant::now();
    let check = jifen::township::signed::verify(&mut pg, 1).unwrap();
    assert!(check.bad.is_empty(), "{check:?}");
    add(
        "signatures verified at the township",
        format!(
            "{:.1} s ({} signatures, {} keys)",
            t.elapsed().as_secs_f64(),
            check.signatures,
            check.keys
        ),
    );
    let quarter: NoticePeriod = "2026-Q3".parse().unwrap();
    let t = Instant::now();
    let one = report::report(&mut admin, quarter, at(2026, 11, 30)).unwrap();
    add(
        "quarter report over 1 store (aggregates)",
        format!(
            "{:.1} s ({} group lines)",
            t.elapsed().as_secs_f64(),
            one.groups.len()
        ),
    );
    let t = Instant::now();
    for i in 2..=stores {
        let id = enrol::enrol(&mut admin, &format!("基准超市{i:02}"))
            .unwrap()
            .store_id;
        pg.execute(
            "UPDATE township.store SET store_code = $1, store_name = name WHERE store_id = $1",
            &[&id],
        )
        .unwrap();
    }
    pg.batch_execute(
        "BEGIN;
         INSERT INTO township.master_row (store_id, kind, key, version, body, body_hash)
              SELECT s.store_id, kind, key, version, body, body_hash
                FROM township.master_row, township.store s WHERE master_row.store_id = 1 AND s.store_id > 1;
         INSERT INTO township.household_month_agg
              SELECT s.store_id, household_id, month, net, credited, redeemed, redemptions, entries
                FROM township.household_month_agg a, township.store s WHERE a.store_id = 1 AND s.store_id > 1;
         INSERT INTO township.goods_month_agg
              SELECT s.store_id, goods_code, month, net, donated, purchased, issued, written_off, corrected, entries
                FROM township.goods_month_agg a, township.store s WHERE a.store_id = 1 AND s.store_id > 1;
         COMMIT;",
    )
    .unwrap();
    pg.batch_execute("VACUUM ANALYZE").unwrap();
    add(
        &format!(
            "{} more stores' aggregates and masters copied by SQL (not a push)",
            stores - 1
        ),
        format!("{:.0} s", t.elapsed().as_secs_f64()),
    );
    let size: i64 = pg
        .query_one("SELECT pg_database_size(current_database())", &[])
        .unwrap()
        .get(0);
    add(
        "township database size",
        format!("{:.0} MB", size as f64 / 1e6),
    );
    let t = Instant::now();
    let data = report::report(&mut admin, quarter, at(2026, 11, 30)).unwrap();
    add(
        &format!("quarter report over {stores} stores (aggregates)"),
        format!(
            "{:.1} s ({} group lines, {} goods lines)",
            t.elapsed().as_secs_f64(),
            data.groups.len(),
            data.goods.len()
        ),
    );
    assert_eq!(data.totals().1, one.totals().1 * stores as i64);
    for ext in ["xlsx", "pdf"] {
        let out = dir.join(format!("report.{ext}"));
        let t = Instant::now();
        report::write(&data, "基准镇", &out).unwrap();
        add(
            &format!("report written as .{ext}"),
            format!(
                "{:.1} s ({} KB)",
                t.elapsed().as_secs_f64(),
                std::fs::metadata(&out).unwrap().len() / 1024
            ),
        );
    }
    // The same quarter from V2's raw views, over the one store whose rows are all there.
    pg.batch_execute(
        "DELETE FROM township.master_row WHERE store_id > 1;
         DROP VIEW township.household_month; DROP VIEW township.goods_month;
         CREATE VIEW township.household_month AS SELECT * FROM township.household_month_raw;
         CREATE VIEW township.goods_month AS SELECT * FROM township.goods_month_raw;",
    )
    .unwrap();
    let t = Instant::now();
    let raw = report::report(&mut admin, quarter, at(2026, 11, 30)).unwrap();
    add(
        "quarter report over 1 store from the raw rows (V2's views, for comparison)",
        format!("{:.1} s", t.elapsed().as_secs_f64()),
    );
    assert_eq!(raw.groups, one.groups);
    print_table(&table);
}
