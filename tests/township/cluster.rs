//! A throwaway PostgreSQL cluster for the township tests: Debian's `postgresql` binaries,
//! `initdb` into a temporary folder as an unprivileged user (PostgreSQL refuses to run as
//! root, and CI runs as root), password logins (scram), a Unix socket in that folder only, no
//! TCP port. Started once per test binary, stopped when the binary exits. A machine without
//! PostgreSQL FAILS these tests: install it (`apt-get install -y postgresql`).

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

const SERVICE_USER: &str = "jifenpg";
const ADMIN: &str = "jifen_admin";
const PORT: u16 = 5432;

pub struct Cluster {
    base: PathBuf,
    bin: PathBuf,
    /// Run the server's tools as this user (root's tests), or as ourselves.
    run_as: Option<String>,
    password: String,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

fn bin_dir() -> PathBuf {
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if dir.join("initdb").exists() {
            return dir;
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path().join("bin")))
                .collect()
        })
        .unwrap_or_default();
    found.retain(|d| d.join("initdb").exists() && d.join("pg_ctl").exists());
    found.sort();
    found.pop().unwrap_or_else(|| {
        panic!(
            "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin): \
             the township tests need a real server; run apt-get install -y postgresql"
        )
    })
}

impl Cluster {
    fn tool(&self, name: &str) -> Command {
        let path = self.bin.join(name);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.arg("-u").arg(user).arg("--").arg(path);
                c
            }
            None => Command::new(path),
        }
    }

    fn data(&self) -> PathBuf {
        self.base.join("data")
    }

    fn start() -> Cluster {
        let bin = bin_dir();
        let root = unsafe { libc::geteuid() } == 0;
        let run_as = root.then(|| {
            let exists = Command::new("id").arg("-u").arg(SERVICE_USER).output();
            if !exists.map(|o| o.status.success()).unwrap_or(false) {
                let made = Command::new("useradd")
                    .args([
                        "--system",
                        "--no-create-home",
                        "--shell",
                        "/usr/sbin/nologin",
                    ])
                    .arg(SERVICE_USER)
                    .status()
                    .expect("useradd runs");
                assert!(made.success(), "could not create the user {SERVICE_USER}");
            }
            SERVICE_USER.to_string()
        });
        let base = tempfile::Builder::new()
            .prefix("jifen-pg-")
            .tempdir()
            .expect("a temporary folder")
            .keep();
        let password = format!("admin-{}", std::process::id());
        std::fs::write(base.join("pw"), &password).unwrap();
        if let Some(user) = &run_as {
            let uid = id_of(user, "-u");
            let gid = id_of(user, "-g");
            std::os::unix::fs::chown(&base, Some(uid), Some(gid)).unwrap();
            std::os::unix::fs::chown(base.join("pw"), Some(uid), Some(gid)).unwrap();
        }
        let cluster = Cluster {
            base,
            bin,
            run_as,
            password,
        };
        let out = cluster
            .tool("initdb")
            .arg("-D")
            .arg(cluster.data())
            .args([
                "-U",
                ADMIN,
                "-E",
                "UTF8",
                "--locale=C",
                "--auth=scram-sha-256",
            ])
            .arg(format!("--pwfile={}", cluster.base.join("pw").display()))
            .output()
            .expect("initdb runs");
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Tests need no durability; the benchmark (JIFEN_PG_FSYNC=on) measures with it.
        let fsync = std::env::var("JIFEN_PG_FSYNC").unwrap_or_else(|_| "off".into());
        let options = format!(
            "-c listen_addresses='' -k {} -p {PORT} -c fsync={fsync}",
            cluster.base.display()
        );
        let out = cluster
            .tool("pg_ctl")
            .arg("-D")
            .arg(cluster.data())
            .arg("-o")
            .arg(options)
            .arg("-l")
            .arg(cluster.base.join("log"))
            .args(["-w", "start"])
            .output()
            .expect("pg_ctl runs");
        assert!(
            out.status.success(),
            "pg_ctl start failed: {} {}",
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(cluster.base.join("log")).unwrap_or_default()
        );
        unsafe { libc::atexit(stop_at_exit) };
        cluster
    }

    fn url(&self, user: &str, password: &str, db: &str) -> String {
        format!(
            "host={} port={PORT} user={user} password={password} dbname={db}",
            self.base.display()
        )
    }

    /// A new, empty database; the township owner's address to it.
    pub fn fresh_database(&self) -> String {
        let name = format!("town{}", NEXT_DB.fetch_add(1, Ordering::SeqCst));
        let mut admin = postgres::Client::connect(
            &self.url(ADMIN, &self.password, "postgres"),
            postgres::NoTls,
        )
        .expect("the throwaway cluster accepts its owner");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create database");
        self.url(ADMIN, &self.password, &name)
    }
}

fn id_of(user: &str, flag: &str) -> u32 {
    let out = Command::new("id").arg(flag).arg(user).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

extern "C" fn stop_at_exit() {
    if let Some(c) = CLUSTER.get() {
        let _ = c
            .tool("pg_ctl")
            .arg("-D")
            .arg(c.data())
            .args(["-m", "immediate", "-w", "stop"])
            .output();
        let _ = std::fs::remove_dir_all(&c.base);
    }
}

pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(Cluster::start)
}
