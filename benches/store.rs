//! Store benchmarks (issues 10 and 23) on a generated store of five years: 20,000 households,
//! 60 monthly score sheets, 2,000 goods and 1,000,000 redemption lines, all written through the
//! services (`app::synthetic`), so chains, running totals and receipt numbers are real.
//!
//! Run: `cargo bench --bench store`. Prints a Markdown table (see BENCHMARKS.md); no pass or
//! fail. Generating the store takes minutes: `JIFEN_BENCH_STORE=DIR` keeps it in DIR and the
//! next run measures it again in place (it grows by the run's cards and redemptions; there is
//! no copy, the store is over a gigabyte). `JIFEN_BENCH_DEADLINE=SECONDS` bounds
//! the check (default 60). `JIFEN_BENCH_ONLY=commit` runs only the commit comparison (to count
//! its fsyncs under strace, or to profile it under `perf record`).
//! `JIFEN_BENCH_SIZE=small` runs every figure on a store of 200 households: what the test
//! `bench_store::every_store_figure_is_measured_on_a_small_store` does, to prove the benchmark
//! still works (never as a timed test).
//!
//! The real binary's start-up (`target/release/jifen --exit-after-first-frame`, under Xvfb
//! when there is no `DISPLAY`) is in `store_parts/startup.rs`, with the automatic backup taken
//! while a counter redeems.

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

#[path = "store_parts/checks.rs"]
mod checks;
#[path = "store_parts/commit.rs"]
mod commit;
#[path = "store_parts/startup.rs"]
mod startup;

/// How big a store the figures are measured on.
pub struct Size {
    pub households: usize,
    pub goods: usize,
    pub months: usize,
    pub redemption_lines: usize,
    pub scans: usize,
    pub cards: usize,
    pub commits: usize,
    /// Real-binary starts after the first of the day.
    pub second_starts: usize,
}

impl Size {
    /// The five-year store of issue 10.
    pub const FIVE_YEARS: Size = Size {
        households: 20_000,
        goods: 2_000,
        months: 60,
        redemption_lines: 1_000_000,
        scans: 2_000,
        cards: 1_000,
        commits: 1_000,
        second_starts: 5,
    };

    /// A store of two village groups, to prove the benchmark works (seconds, even unoptimised).
    pub const SMALL: Size = Size {
        households: 200,
        goods: 40,
        months: 3,
        redemption_lines: 600,
        scans: 50,
        cards: 20,
        commits: 20,
        second_starts: 1,
    };

    /// `JIFEN_BENCH_SIZE=small`, else the five-year store.
    pub fn from_env() -> &'static Size {
        match std::env::var("JIFEN_BENCH_SIZE").as_deref() {
            Ok("small") => &Size::SMALL,
            _ => &Size::FIVE_YEARS,
        }
    }

    fn first_period(&self) -> Period {
        // The last month of history is 2026-10, whatever the length.
        let first =
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap() - chrono::Months::new(self.months as u32);
        Period::of(first)
    }
}

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

/// The figures of one run, in order: (what, figure).
pub struct Table(pub Vec<(String, String)>);

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

fn p50_p99_text(samples: &mut [Duration]) -> String {
    let (p50, p99) = p50_p99(samples);
    format!(
        "p50 {:.2} ms, p99 {:.2} ms (n={})",
        ms(p50),
        ms(p99),
        samples.len()
    )
}

#[allow(dead_code)] // Not called where a test includes this file as a module.
fn main() {
    let keep = std::env::var_os("JIFEN_BENCH_STORE").map(PathBuf::from);
    let only = std::env::var("JIFEN_BENCH_ONLY").ok();
    let table = run(Size::from_env(), keep.as_deref(), only.as_deref());
    print_table(&table);
}

/// Measures every figure on a store of `size` (kept in `keep`, else in a temporary folder);
/// `only = Some("commit")` measures the commit comparison alone.
pub fn run(size: &Size, keep: Option<&Path>, only: Option<&str>) -> Table {
    let deadline = std::env::var("JIFEN_BENCH_DEADLINE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60u64);
    let mut table = Table(Vec::new());
    table.add("load average at the start", load_average());
    // No copy: the disk is shared and the store is over a gigabyte.
    let work = match keep {
        Some(dir) => {
            std::fs::create_dir_all(dir).unwrap();
            Work::Kept(dir.to_path_buf())
        }
        None => Work::Temporary(tempfile::tempdir().unwrap()),
    };
    let path = work.dir().join("jifen.db");
    let generated = generate(size, &path, &mut table);
    let mut db = Db::open(&path).unwrap();
    let cashier = sign_in(&mut db, StaffId(2), synthetic::CASHIER_PIN, now()).unwrap();
    let manager = sign_in(&mut db, StaffId(1), synthetic::MANAGER_PIN, now()).unwrap();
    if only == Some("commit") {
        commit::redemption_commit(size, &mut db, &cashier, &generated, work.dir(), &mut table);
        return table;
    }
    scan_to_household(size, &mut db, &manager, &generated, &mut table);
    commit::redemption_commit(size, &mut db, &cashier, &generated, work.dir(), &mut table);
    startup::backup_while_redeeming(size, &mut db, &cashier, &generated, work.dir(), &mut table);
    month_notice(&mut db, &mut table);
    checks::check_store(&mut db, deadline, &mut table);
    checks::check_incremental(&mut db, &manager, &cashier, &generated, &mut table);
    drop(db);
    start_up_headless(&path, &mut table);
    startup::real_binary(size, work.dir(), &mut table);
    table.add(
        "peak memory of the bench process (VmHWM, whole run)",
        jifen::ui::startup_work::peak_memory().unwrap_or_else(|| "unknown".into()),
    );
    table.add("load average at the end", load_average());
    table
}

/// The 1, 5 and 15 minute load averages: the machine is shared, every figure needs them.
fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
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
/// (migrating it to the current schema).
fn generate(size: &Size, path: &Path, table: &mut Table) -> Generated {
    let generated = Generated {
        households: (0..size.households)
            .map(synthetic::household_number)
            .collect(),
        goods: (0..size.goods)
            .map(|i| format!("{}", 100_000 + i))
            .collect(),
    };
    if path.exists() {
        let db = Db::open(path).unwrap();
        drop(db);
        println!("reusing the store {}", path.display());
    } else {
        let t = Instant::now();
        let mut db = Db::open(path).unwrap();
        let store: LargeStore =
            synthetic::seed(&mut db, size.households, size.goods, start()).unwrap();
        assert_eq!(
            (store.households.len(), store.goods.len()),
            (size.households, size.goods)
        );
        let history = History {
            first_period: size.first_period(),
            months: size.months,
            redemption_lines: size.redemption_lines,
            restock_per_year: 120,
        };
        let made = synthetic::add_history(&mut db, &store, &history, |period, made| {
            if period.month == 12 || made.lines == size.redemption_lines {
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
fn scan_to_household(
    size: &Size,
    db: &mut Db,
    manager: &Actor,
    generated: &Generated,
    table: &mut Table,
) {
    let (cards, scans) = (size.cards, size.scans);
    let mut payloads = Vec::with_capacity(cards);
    for i in 0..cards {
        let number = generated.households[(i * 7_919) % size.households]
            .parse()
            .unwrap();
        let issued = app::cards::issue_card(db, manager, &number, None, now()).unwrap();
        payloads.push(issued.face.payload.to_string());
    }
    let mut samples = Vec::with_capacity(scans);
    for i in 0..scans {
        let payload = &payloads[(i * 37) % cards];
        let t = Instant::now();
        let holder = app::cards::verify_card(db, payload).unwrap();
        let shown =
            app::queries::household_at_counter(db, &holder.household.number, now()).unwrap();
        samples.push(t.elapsed());
        assert!(shown.balance_points.0 >= 0);
    }
    table.add(
        "scan to household (verify_card + household_at_counter)",
        p50_p99_text(&mut samples),
    );
}

/// The `i`th bench cart of three goods for a household, spread over the store by `spread`.
fn cart(
    size: &Size,
    generated: &Generated,
    i: usize,
    spread: (usize, usize, usize),
    key: Option<String>,
) -> RedemptionRequest {
    let (households, goods, lines) = spread;
    RedemptionRequest {
        household: generated.households[(i * households) % size.households]
            .parse()
            .unwrap(),
        lines: (0..3)
            .map(|j| CartLine {
                code: generated.goods[(i * goods + j * lines) % size.goods]
                    .parse()
                    .unwrap(),
                qty: Qty(1),
            })
            .collect(),
        via: Via::Card,
        key: key.map(|k| k.parse().unwrap()),
    }
}

/// A run-unique prefix for idempotency keys: a kept store has this bench's earlier keys, and
/// a retried key would be a read-only replay.
fn run_tag(db: &Db) -> i64 {
    db.connection()
        .query_row("SELECT COUNT(*) FROM redemption", [], |r| r.get(0))
        .unwrap()
}

/// A kept store whose households have all run dry would refuse every cart for ever: stop,
/// saying so, rather than loop.
pub fn run_dry(refused: usize) {
    assert!(
        refused < 100_000,
        "100,000 carts refused for points or stock: the kept store has run dry; generate a new one"
    );
}

pub fn met(yes: bool) -> &'static str {
    if yes { "met" } else { "missed" }
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

/// Db::open + JifenApp::new + the first frame, headless (egui_kittest): the app's own part of
/// the real binary's start-up (`startup::real_binary`).
fn start_up_headless(path: &Path, table: &mut Table) {
    let t = Instant::now();
    let db = Db::open(path).unwrap();
    let mut harness: Harness<'static, JifenApp> = Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .build_eframe(move |cc| JifenApp::new(cc, db, Box::new(now)));
    harness.step();
    table.add(
        "start-up to first frame (Db::open + JifenApp::new + 1 frame, headless)",
        format!("{:.0} ms", ms(t.elapsed())),
    );
}

pub fn print_table(table: &Table) {
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
