//! Store benchmarks (issue 10) on a generated store of five years: 20,000 households, 60
//! monthly score sheets, 2,000 goods and 1,000,000 redemption lines, all written through the
//! services (`app::synthetic`), so chains, running totals and receipt numbers are real.
//!
//! Run: `cargo bench --bench store`. Prints a Markdown table (see BENCHMARKS.md); no pass or
//! fail. Generating the store takes minutes: `JIFEN_BENCH_STORE=DIR` keeps it in DIR and the
//! next run measures it again in place (it grows by the run's cards and redemptions; there is
//! no copy, the store is over a gigabyte). `JIFEN_BENCH_DEADLINE=SECONDS` bounds
//! the check of the store as the schema stands (default 60). `JIFEN_BENCH_ONLY=commit` runs only
//! the commit comparison (to count its fsyncs under strace).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use eframe::egui;
use egui_kittest::Harness;
use jifen::app::notices::{NoticeKind, NoticeRequest, document};
use jifen::app::synthetic::{self, History, LargeStore};
use jifen::app::{self, Actor, sign_in};
use jifen::core::notice_period::NoticePeriod;
use jifen::core::redemption::{CartLine, RedemptionRequest, Via};
use jifen::core::{Period, Qty, StaffId};
use jifen::store::Db;
use jifen::ui::JifenApp;

const HOUSEHOLDS: usize = 20_000;
const GOODS: usize = 2_000;
const MONTHS: usize = 60;
const REDEMPTION_LINES: usize = 1_000_000;
const SCANS: usize = 2_000;
const CARDS: usize = 1_000;
const COMMITS: usize = 300;

fn start() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2021, 12, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
}

/// The day of the measurements: after the last month of history.
fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 30)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

struct Table(Vec<(String, String)>);

impl Table {
    fn add(&mut self, what: &str, figure: String) {
        println!("  {what}: {figure}");
        self.0.push((what.to_string(), figure));
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

fn p50_p99(samples: &mut [Duration]) -> (Duration, Duration) {
    (percentile(samples, 0.50), percentile(samples, 0.99))
}

fn main() {
    let keep = std::env::var_os("JIFEN_BENCH_STORE").map(PathBuf::from);
    let deadline = std::env::var("JIFEN_BENCH_DEADLINE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60u64);
    let mut table = Table(Vec::new());
    // No copy: the disk is shared and the store is over a gigabyte.
    let work = match &keep {
        Some(dir) => {
            std::fs::create_dir_all(dir).unwrap();
            Work::Kept(dir.clone())
        }
        None => Work::Temporary(tempfile::tempdir().unwrap()),
    };
    let path = work.dir().join("jifen.db");
    let generated = generate(&path, &mut table);
    let mut db = Db::open(&path).unwrap();
    let cashier = sign_in(&mut db, StaffId(2), synthetic::CASHIER_PIN, now()).unwrap();
    let manager = sign_in(&mut db, StaffId(1), synthetic::MANAGER_PIN, now()).unwrap();
    if std::env::var("JIFEN_BENCH_ONLY").as_deref() == Ok("commit") {
        // For counting fsyncs per commit: `strace -f -y -e trace=fsync,fdatasync`.
        redemption_commit(&mut db, &cashier, &generated, work.dir(), &mut table);
        return;
    }
    scan_to_household(&mut db, &manager, &generated, &mut table);
    redemption_commit(&mut db, &cashier, &generated, work.dir(), &mut table);
    month_notice(&mut db, &mut table);
    check_store(&mut db, deadline, &mut table);
    check_incremental(&mut db, &manager, &cashier, &generated, &mut table);
    drop(db);
    start_up(&path, &mut table);
    table.add("peak memory (VmHWM, whole run)", peak_memory());
    print_table(&table);
}

/// The store's numbers, known without reading it again.
struct Generated {
    households: Vec<String>,
    goods: Vec<String>,
}

enum Work {
    Kept(PathBuf),
    Temporary(tempfile::TempDir),
}

impl Work {
    fn dir(&self) -> &Path {
        match self {
            Work::Kept(dir) => dir,
            Work::Temporary(dir) => dir.path(),
        }
    }
}

/// Makes the five-year store at `path`, or reuses the one already there (`JIFEN_BENCH_STORE`),
/// without the indexes an earlier run added for `check`.
fn generate(path: &Path, table: &mut Table) -> Generated {
    let generated = Generated {
        households: (0..HOUSEHOLDS).map(synthetic::household_number).collect(),
        goods: (0..GOODS).map(|i| format!("{}", 100_000 + i)).collect(),
    };
    if path.exists() {
        let db = Db::open(path).unwrap();
        db.connection()
            .execute_batch(DROP_REDEMPTION_INDEXES)
            .unwrap();
        println!("reusing the store {}", path.display());
    } else {
        let t = Instant::now();
        let mut db = Db::open(path).unwrap();
        let store: LargeStore = synthetic::seed(&mut db, HOUSEHOLDS, GOODS, start()).unwrap();
        assert_eq!(
            (store.households.len(), store.goods.len()),
            (HOUSEHOLDS, GOODS)
        );
        let history = History {
            first_period: Period::of(NaiveDate::from_ymd_opt(2021, 11, 1).unwrap()),
            months: MONTHS,
            redemption_lines: REDEMPTION_LINES,
            restock_per_year: 120,
        };
        let made = synthetic::add_history(&mut db, &store, &history, |period, made| {
            if period.month == 12 || made.lines == REDEMPTION_LINES {
                println!(
                    "  {period}: {} credits, {} redemptions ({} lines), {:.0} s",
                    made.credits,
                    made.redemptions,
                    made.lines,
                    t.elapsed().as_secs_f64()
                );
            }
        })
        .unwrap();
        db.connection()
            .pragma_update_and_check(None, "wal_checkpoint", "TRUNCATE", |_| Ok(()))
            .unwrap();
        table.add(
            "generate the store (through the services)",
            format!(
                "{:.0} s: {} credits, {} redemptions, {} lines ({} carts refused for points)",
                t.elapsed().as_secs_f64(),
                made.credits,
                made.redemptions,
                made.lines,
                made.refused
            ),
        );
    }
    let bytes = std::fs::metadata(path).unwrap().len();
    let db = Db::open(path).unwrap();
    let count = |sql: &str| -> i64 { db.connection().query_row(sql, [], |r| r.get(0)).unwrap() };
    table.add(
        "store",
        format!(
            "{} households, {} point entries, {} redemptions, {} redemption lines, {} stock movements, {:.2} GB",
            count("SELECT COUNT(*) FROM household"),
            count("SELECT COUNT(*) FROM point_entry"),
            count("SELECT COUNT(*) FROM redemption"),
            count("SELECT COUNT(*) FROM redemption_line"),
            count("SELECT COUNT(*) FROM stock_movement"),
            bytes as f64 / 1e9
        ),
    );
    generated
}

/// Card scanned → payload verified → the household's balance, rules and month shown.
fn scan_to_household(db: &mut Db, manager: &Actor, generated: &Generated, table: &mut Table) {
    let mut payloads = Vec::with_capacity(CARDS);
    for i in 0..CARDS {
        let number = generated.households[(i * 7_919) % HOUSEHOLDS]
            .parse()
            .unwrap();
        let issued = app::cards::issue_card(db, manager, &number, None, now()).unwrap();
        payloads.push(issued.face.payload.to_string());
    }
    let mut samples = Vec::with_capacity(SCANS);
    for i in 0..SCANS {
        let payload = &payloads[(i * 37) % CARDS];
        let t = Instant::now();
        let holder = app::cards::verify_card(db, payload).unwrap();
        let shown =
            app::queries::household_at_counter(db, &holder.household.number, now()).unwrap();
        samples.push(t.elapsed());
        assert!(shown.balance_points.0 >= 0);
    }
    let (p50, p99) = p50_p99(&mut samples);
    table.add(
        "scan to household (verify_card + household_at_counter)",
        format!("p50 {:.2} ms, p99 {:.2} ms (n={SCANS})", ms(p50), ms(p99)),
    );
}

/// A redemption's commit, and one fsync'd single-row insert on the same disk with the same
/// pragmas (Db::open), measured alternately so both see the same disk.
fn redemption_commit(
    db: &mut Db,
    cashier: &Actor,
    generated: &Generated,
    dir: &Path,
    table: &mut Table,
) {
    let mut baseline = Db::open(&dir.join("baseline.db")).unwrap();
    baseline
        .connection()
        .execute_batch(
            "CREATE TABLE IF NOT EXISTS bench_row (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)",
        )
        .unwrap();
    // Keys unique to this run: a kept store has this bench's earlier keys, and a retried key
    // would be a read-only replay.
    let run: i64 = db
        .connection()
        .query_row("SELECT COUNT(*) FROM redemption", [], |r| r.get(0))
        .unwrap();
    let (mut redemptions, mut inserts) = (Vec::new(), Vec::new());
    for i in 0..COMMITS {
        let request = RedemptionRequest {
            household: generated.households[(i * 104_729) % HOUSEHOLDS]
                .parse()
                .unwrap(),
            lines: (0..3)
                .map(|j| CartLine {
                    code: generated.goods[(i * 31 + j * 677) % GOODS].parse().unwrap(),
                    qty: Qty(1),
                })
                .collect(),
            via: Via::Card,
            key: Some(format!("bench-{run}-{i}").parse().unwrap()),
        };
        let t = Instant::now();
        let done = app::redeem::redeem(db, cashier, &request, now()).unwrap();
        redemptions.push(t.elapsed());
        assert!(!done.replayed);

        let t = Instant::now();
        baseline
            .write(|tx| -> Result<(), jifen::store::StoreError> {
                tx.execute(
                    "INSERT INTO bench_row (payload) VALUES (?1)",
                    [format!("row {i}")],
                )?;
                Ok(())
            })
            .unwrap();
        inserts.push(t.elapsed());
    }
    // The same without any fsync: what the redemption costs besides its one sync.
    db.connection()
        .pragma_update(None, "synchronous", "OFF")
        .unwrap();
    let mut unsynced = Vec::new();
    for i in 0..COMMITS {
        let request = RedemptionRequest {
            household: generated.households[(i * 7_717) % HOUSEHOLDS]
                .parse()
                .unwrap(),
            lines: (0..3)
                .map(|j| CartLine {
                    code: generated.goods[(i * 37 + j * 619) % GOODS].parse().unwrap(),
                    qty: Qty(1),
                })
                .collect(),
            via: Via::Card,
            key: None,
        };
        let t = Instant::now();
        app::redeem::redeem(db, cashier, &request, now()).unwrap();
        unsynced.push(t.elapsed());
    }
    db.connection()
        .pragma_update(None, "synchronous", "FULL")
        .unwrap();
    let (u50, u99) = p50_p99(&mut unsynced);
    let (r50, r99) = p50_p99(&mut redemptions);
    let (i50, i99) = p50_p99(&mut inserts);
    table.add(
        "redemption commit (3 lines, synchronous=FULL)",
        format!("p50 {:.2} ms, p99 {:.2} ms (n={COMMITS})", ms(r50), ms(r99)),
    );
    table.add(
        "single-row fsync'd insert, same disk and pragmas",
        format!("p50 {:.2} ms, p99 {:.2} ms (n={COMMITS})", ms(i50), ms(i99)),
    );
    table.add(
        "redemption commit without fsync (synchronous=OFF, for the split)",
        format!("p50 {:.2} ms, p99 {:.2} ms (n={COMMITS})", ms(u50), ms(u99)),
    );
    table.add(
        "redemption / single insert",
        format!(
            "ratio {:.2}x at p50, {:.2}x at p99 (goal ≤ 1.5x)",
            r50.as_secs_f64() / i50.as_secs_f64(),
            r99.as_secs_f64() / i99.as_secs_f64()
        ),
    );
}

/// 积分公示 for a month: gathered from the ledgers and drawn as a PDF, for one village group
/// (what goes on the group's board) and for the whole store.
fn month_notice(db: &mut Db, table: &mut Table) {
    let period = NoticePeriod::Month("2026-10".parse().unwrap());
    let mut one_group = NoticeRequest::new(NoticeKind::Points, period);
    one_group.group = Some("第1村/第1组".parse().unwrap());
    let (mut gathers, mut pdfs) = (Vec::new(), Vec::new());
    let mut pdf_bytes = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let doc = document(db, &one_group, now()).unwrap();
        gathers.push(t.elapsed());
        let t = Instant::now();
        pdf_bytes = jifen::notice::notice_pdf::notice_pdf(&doc).unwrap().len();
        pdfs.push(t.elapsed());
    }
    table.add(
        "a month's points notice, one group (100 households)",
        format!(
            "gather {:.0} ms, + PDF {:.0} ms ({} kB), median of 5",
            ms(percentile(&mut gathers, 0.5)),
            ms(percentile(&mut pdfs, 0.5)),
            pdf_bytes / 1024
        ),
    );
    let t = Instant::now();
    let doc = document(db, &NoticeRequest::new(NoticeKind::Points, period), now()).unwrap();
    let gathered = t.elapsed();
    let pdf = jifen::notice::notice_pdf::notice_pdf(&doc).unwrap();
    table.add(
        "a month's points notice, whole store (20,000 households)",
        format!(
            "gather {:.2} s, + PDF {:.2} s ({:.1} MB)",
            gathered.as_secs_f64(),
            t.elapsed().as_secs_f64() - gathered.as_secs_f64(),
            pdf.len() as f64 / 1e6
        ),
    );
}

/// The indexes `check` needs to find a redemption's entries without scanning the ledgers.
const REDEMPTION_INDEXES: &str =
    "CREATE INDEX IF NOT EXISTS bench_point_entry_by_redemption ON point_entry(redemption_id);
     CREATE INDEX IF NOT EXISTS bench_stock_movement_by_redemption ON stock_movement(redemption_id);";

const DROP_REDEMPTION_INDEXES: &str = "DROP INDEX IF EXISTS bench_point_entry_by_redemption;
     DROP INDEX IF EXISTS bench_stock_movement_by_redemption;";

/// `check` as the schema stands (bounded by `deadline`), then with the two indexes it lacks.
fn check_store(db: &mut Db, deadline: u64, table: &mut Table) {
    let interrupt = db.connection().get_interrupt_handle();
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if stopped.recv_timeout(Duration::from_secs(deadline)).is_err() {
            interrupt.interrupt();
        }
    });
    let t = Instant::now();
    let result = app::check::check(db);
    let elapsed = t.elapsed();
    let _ = stop.send(());
    watchdog.join().unwrap();
    let figure = match result {
        Ok(faults) => format!("{:.1} s, {} faults", elapsed.as_secs_f64(), faults.len()),
        Err(e) => format!("did not finish in {deadline} s (interrupted: {e})"),
    };
    table.add("check() as the schema stands", figure);

    let t = Instant::now();
    db.connection().execute_batch(REDEMPTION_INDEXES).unwrap();
    let indexed = t.elapsed();
    let t = Instant::now();
    let faults = app::check::check(db).unwrap();
    assert_eq!(faults, vec![], "the generated store must pass every check");
    table.add(
        "check() with indexes on point_entry/stock_movement(redemption_id)",
        format!(
            "{:.1} s, no faults (creating the indexes took {:.1} s)",
            t.elapsed().as_secs_f64(),
            indexed.as_secs_f64()
        ),
    );
}

/// The start-up check (issue 23): a full check leaves a signed mark, a day's worth of
/// redemptions follows, then the incremental check from the mark (what the app runs at start).
fn check_incremental(
    db: &mut Db,
    manager: &Actor,
    cashier: &Actor,
    generated: &Generated,
    table: &mut Table,
) {
    const DAY: usize = 100;
    let t = Instant::now();
    let full = app::check_mark::check_full(db, now(), &mut |_| {}).unwrap();
    let full_time = t.elapsed();
    assert_eq!(
        full.faults,
        vec![],
        "the store must pass before it is marked"
    );
    app::check_mark::record_mark(db, manager, &full.verified, now())
        .unwrap()
        .expect("the mark is recorded");
    let run: i64 = db
        .connection()
        .query_row("SELECT COUNT(*) FROM redemption", [], |r| r.get(0))
        .unwrap();
    for i in 0..DAY {
        let request = RedemptionRequest {
            household: generated.households[(i * 7_919 + 13) % HOUSEHOLDS]
                .parse()
                .unwrap(),
            lines: (0..3)
                .map(|j| CartLine {
                    code: generated.goods[(i * 17 + j * 331) % GOODS].parse().unwrap(),
                    qty: Qty(1),
                })
                .collect(),
            via: Via::Card,
            key: Some(format!("bench-day-{run}-{i}").parse().unwrap()),
        };
        app::redeem::redeem(db, cashier, &request, now()).unwrap();
    }
    let mut samples = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let outcome = app::check_mark::check_incremental(db, now()).unwrap();
        samples.push(t.elapsed());
        assert!(matches!(
            outcome.kind,
            app::check_mark::Kind::Incremental(_)
        ));
        assert_eq!(outcome.faults, vec![]);
    }
    let (p50, _) = p50_p99(&mut samples);
    table.add(
        "check incremental, from a signed mark (what the app runs at start)",
        format!(
            "{:.1} ms p50 of 5, after {DAY} redemptions since the mark (the full check that made the mark: {:.1} s)",
            ms(p50),
            full_time.as_secs_f64()
        ),
    );
}

/// Db::open + JifenApp::new (which checks the whole store) + the first frame, headless
/// (egui_kittest), with the indexes of `check_store` in place.
fn start_up(path: &Path, table: &mut Table) {
    let t = Instant::now();
    let db = Db::open(path).unwrap();
    let mut harness: Harness<'static, JifenApp> = Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .build_eframe(move |cc| JifenApp::new(cc, db, Box::new(now)));
    harness.step();
    table.add(
        "start-up to first frame (Db::open + JifenApp::new + 1 frame, headless)",
        format!("{:.1} s (with the indexes)", t.elapsed().as_secs_f64()),
    );
}

fn peak_memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn print_table(table: &Table) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("\n{cores} cores, {cpu}\n");
    println!("| measure | figure |\n| --- | --- |");
    for (what, figure) in &table.0 {
        println!("| {what} | {figure} |");
    }
}
