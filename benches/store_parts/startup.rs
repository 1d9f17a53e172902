//! Start-up figures of issue 23: the real binary from exec to its first frame, on the day's
//! first start (the automatic backup due) and on later starts, and the automatic backup taken
//! on its own connection while a counter redeems.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jifen::app::{self, Actor};
use jifen::store::Db;

use super::{Generated, Size, Table, cart, load_average, ms, now, p50_p99_text, run_tag};

/// The automatic backup (`app::backup::auto_backup_checked`, what the counter runs after its
/// first frame) on a second connection, while this connection redeems as fast as it can:
/// how long the copy takes and what it does to the redemptions meanwhile. The backup file is
/// removed afterwards (it is as big as the store).
pub fn backup_while_redeeming(
    size: &Size,
    db: &mut Db,
    cashier: &Actor,
    generated: &Generated,
    dir: &Path,
    table: &mut Table,
) {
    let path = db.path().to_path_buf();
    let data_dir = dir.to_path_buf();
    let copier = std::thread::spawn(move || {
        let source = Db::open(&path).unwrap();
        let t = Instant::now();
        let info = app::backup::auto_backup_checked(
            &source,
            &data_dir,
            now(),
            app::backup::KEEP_GENERATIONS,
            true,
            |_, _| {},
        )
        .unwrap();
        (t.elapsed(), info)
    });
    let run = run_tag(db);
    let (mut during, mut refused) = (Vec::new(), 0);
    let mut i = 0;
    while !copier.is_finished() {
        let key = Some(format!("bench-{run}-backup-{i}"));
        let request = cart(size, generated, i, (3_571, 41, 733), key);
        let t = Instant::now();
        match app::redeem::redeem(db, cashier, &request, now()) {
            Ok(_) => during.push(t.elapsed()),
            // A household or good run dry in a kept store: not what is measured here.
            Err(app::Error::Refused(_)) => refused += 1,
            Err(e) => panic!("a redemption during the backup failed: {e}"),
        }
        i += 1;
    }
    let (took, info) = copier.join().unwrap();
    let backed_up: i64 = Db::open(&info.file)
        .unwrap()
        .connection()
        .query_row("SELECT COUNT(*) FROM redemption", [], |r| r.get(0))
        .unwrap();
    assert!(backed_up > 0, "the backup holds the store's redemptions");
    let _ = std::fs::remove_file(&info.file);
    table.add(
        "automatic backup on its own connection (stepped, one WAL snapshot)",
        format!(
            "{:.1} s for {:.2} GB ({:.0} MB/s), load {}",
            took.as_secs_f64(),
            info.bytes as f64 / 1e9,
            info.bytes as f64 / 1e6 / took.as_secs_f64().max(1e-3),
            load_average()
        ),
    );
    let figure = if during.is_empty() {
        format!("the backup finished before a redemption did ({refused} refused)")
    } else {
        format!(
            "{}, all committed ({refused} refused for points or stock)",
            p50_p99_text(&mut during)
        )
    };
    table.add("redemption commit during that backup", figure);
}

/// The real binary, timed from exec to its exit after the first frame
/// (`--exit-after-first-frame`), under Xvfb when there is no display: the day's first start
/// (its automatic backup due: it begins after that frame), the start-up work that first start
/// then runs (`app::startup::run`: check and backup), and later starts.
pub fn real_binary(size: &Size, dir: &Path, table: &mut Table) {
    let Some(display) = Display::find() else {
        table.add(
            "start-up to first frame, real binary",
            "not measured: no DISPLAY and no xvfb-run".into(),
        );
        return;
    };
    let today = jifen::cli::now();
    set_aside_todays_backups(dir, today);
    let due = app::backup::backup_due(dir, today);
    let first = start_once(dir, &display);
    table.add(
        "start-up to first frame, real binary, first start of the day",
        format!(
            "{} (automatic backup due: {}), load {}",
            first.text(),
            if due {
                "yes, begun after the frame"
            } else {
                "no"
            },
            load_average()
        ),
    );
    let t = Instant::now();
    let mut backed_up = None;
    let memory = MemorySampler::start();
    app::startup::run(&dir.join("jifen.db"), today, |event| {
        if let app::startup::StartupEvent::BackedUp(outcome) = event {
            backed_up = Some(outcome);
        }
    });
    let work = t.elapsed();
    let (anon, file) = memory.stop();
    table.add(
        "memory of that work (this process, sampled every 5 ms)",
        format!(
            "at most {:.0} MB of its own (anonymous) memory above what the process held before; \
             file-backed pages at most {:.0} MB (the store and its new backup, memory-mapped by \
             the checks, once per mapping: the OS cache's own pages, shared and dropped at need, \
             counted in VmHWM but not memory taken)",
            anon as f64 / 1024.0,
            file as f64 / 1024.0
        ),
    );
    let backup = backed_up.expect("the first start of the day takes a backup");
    let backup = backup.expect("the automatic backup succeeds");
    table.add(
        "that first start's work after its frame (check, then the backup), own thread",
        format!("{:.1} s", work.as_secs_f64()),
    );
    assert!(!app::backup::backup_due(dir, today));
    let mut later: Vec<Start> = (0..size.second_starts)
        .map(|_| start_once(dir, &display))
        .collect();
    later.sort_by_key(|s| s.exec_to_exit);
    let median = &later[later.len() / 2];
    table.add(
        "start-up to first frame, real binary, a later start (backup taken)",
        format!(
            "{} (median of {}; slowest {:.0} ms), load {}",
            median.text(),
            later.len(),
            ms(later[later.len() - 1].exec_to_exit),
            load_average()
        ),
    );
    let _ = std::fs::remove_file(&backup.file);
}

/// Today's backups of an earlier run, moved out of the way so this start is the day's first.
fn set_aside_todays_backups(dir: &Path, today: chrono::NaiveDateTime) {
    let prefix = format!("jifen-{}", today.format("%Y%m%d"));
    for file in app::backup::automatic_backups(dir) {
        if file
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(&prefix))
        {
            let _ = std::fs::remove_file(file);
        }
    }
}

struct Start {
    exec_to_exit: Duration,
    /// What the binary printed: its own time to the first frame and its peak memory.
    said: String,
}

impl Start {
    fn text(&self) -> String {
        format!(
            "exec→exit {:.0} ms ({})",
            ms(self.exec_to_exit),
            self.said.trim()
        )
    }
}

fn start_once(dir: &Path, display: &Display) -> Start {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jifen"));
    command
        .arg("--data")
        .arg(dir)
        .arg("--exit-after-first-frame")
        .env_remove("JIFEN_DATA")
        .env("DISPLAY", &display.display)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(auth) = &display.xauthority {
        command.env("XAUTHORITY", auth);
    }
    let t = Instant::now();
    let output = command.output().expect("the jifen binary runs");
    let exec_to_exit = t.elapsed();
    let said = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success() && said.contains("first frame"),
        "jifen --exit-after-first-frame failed: {:?} {said}",
        output.status
    );
    Start { exec_to_exit, said }
}

/// The X display the binary opens its window on: `$DISPLAY`, or one Xvfb kept for the run.
struct Display {
    display: String,
    xauthority: Option<String>,
    /// `xvfb-run … sh -c 'echo …; cat'`: ends (and takes its Xvfb with it) when its stdin closes.
    xvfb: Option<Child>,
}

impl Display {
    fn find() -> Option<Display> {
        if let Ok(display) = std::env::var("DISPLAY")
            && !display.is_empty()
        {
            return Some(Display {
                display,
                xauthority: std::env::var("XAUTHORITY").ok(),
                xvfb: None,
            });
        }
        let mut child = Command::new("xvfb-run")
            .args(["-a", "-s", "-screen 0 1366x768x24", "sh", "-c"])
            .arg("echo \"$DISPLAY ${XAUTHORITY:-}\"; cat >/dev/null")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let mut line = String::new();
        BufReader::new(child.stdout.take()?)
            .read_line(&mut line)
            .ok()?;
        let mut parts = line.split_whitespace();
        let display = parts.next()?.to_string();
        Some(Display {
            display,
            xauthority: parts.next().map(str::to_string),
            xvfb: Some(child),
        })
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        if let Some(mut child) = self.xvfb.take() {
            if let Some(mut stdin) = child.stdin.take() {
                let _ = stdin.flush();
            }
            let _ = child.wait();
        }
    }
}

/// Samples this process's resident memory while a piece of work runs, split the way Linux
/// does: anonymous (the heap: what the work takes) and file-backed (pages of the memory-mapped
/// store, which are the OS cache's). VmHWM adds both, so it cannot say which grew.
struct MemorySampler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    sampler: std::thread::JoinHandle<(u64, u64)>,
}

impl MemorySampler {
    fn start() -> MemorySampler {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let sampler = std::thread::spawn(move || {
            let (anon_before, _) = rss_kib();
            let (mut anon, mut file) = (0, 0);
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                let (a, f) = rss_kib();
                anon = anon.max(a.saturating_sub(anon_before));
                file = file.max(f);
                std::thread::sleep(Duration::from_millis(5));
            }
            (anon, file)
        });
        MemorySampler { stop, sampler }
    }

    /// The largest anonymous memory above the start's, and the largest file-backed, in KiB.
    fn stop(self) -> (u64, u64) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.sampler.join().unwrap()
    }
}

/// RssAnon and RssFile of this process, in KiB (zeros where /proc does not say).
fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("RssAnon:"), field("RssFile:"))
}
