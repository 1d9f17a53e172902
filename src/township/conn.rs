//! The one front door to the township's PostgreSQL: `Township::connect` opens every
//! connection (TLS when the server offers it or the address asks for it), `connect_admin`
//! also brings the schema up to date with its numbered migrations.

use std::str::FromStr;
use std::sync::Arc;

use postgres::config::{Host, SslMode};
use postgres::{Client, Config};

use super::{Result, TownshipError};

mod embedded {
    refinery::embed_migrations!("src/township/migrations");
}

/// refinery's record of applied migrations, beside the `township` schema.
const HISTORY_TABLE: &str = "township_schema_history";

/// An open township connection: the township's own login, or one store's.
pub struct Township {
    pub(super) client: Client,
    /// The store this login belongs to; `None` for the township's own roles.
    pub(super) store_id: Option<i32>,
    config: Config,
}

impl Township {
    /// Connects with `url` (`postgres://user:password@host:5432/db?sslmode=require`, or the
    /// key=value form `host=/run/postgresql dbname=township user=...`). A store's login finds
    /// out which store it is; the schema must already exist (`enrol` makes it).
    pub fn connect(url: &str) -> Result<Township> {
        let config = parse(url)?;
        let mut client = open(&config)?;
        let store_id = client
            .query_one("SELECT township.current_store()", &[])?
            .get::<_, Option<i32>>(0);
        Ok(Township {
            client,
            store_id,
            config,
        })
    }

    /// Connects as the township's owner and applies any migration not applied yet.
    pub fn connect_admin(url: &str) -> Result<Township> {
        let config = parse(url)?;
        let mut client = open(&config)?;
        let mut runner = embedded::migrations::runner().set_abort_divergent(true);
        runner.set_migration_table_name(HISTORY_TABLE);
        runner.run(&mut client)?;
        let store_id = client
            .query_one("SELECT township.current_store()", &[])?
            .get::<_, Option<i32>>(0);
        Ok(Township {
            client,
            store_id,
            config,
        })
    }

    /// The township's owner acts for one enrolled store (an ingest naming it): the rows then
    /// go through exactly the checks that store's own login would meet.
    pub fn act_for_store(&mut self, enrolled_name: &str) -> Result<()> {
        let id: Option<i32> = self
            .client
            .query_opt(
                "SELECT store_id FROM township.store WHERE name = $1",
                &[&enrolled_name.trim()],
            )?
            .map(|r| r.get(0));
        self.store_id = Some(id.ok_or(TownshipError::NotEnrolled)?);
        Ok(())
    }

    /// The store of a store login, or `NotEnrolled`.
    pub fn own_store(&self) -> Result<i32> {
        self.store_id.ok_or(TownshipError::NotEnrolled)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The applied migration versions, for tests and `report` headers.
    pub fn schema_versions(&mut self) -> Result<Vec<i32>> {
        let sql = format!("SELECT version FROM {HISTORY_TABLE} ORDER BY version");
        Ok(self
            .client
            .query(&sql, &[])?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }
}

/// A village line can be slow but should not hang the counter for minutes.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

fn parse(url: &str) -> Result<Config> {
    let mut config = Config::from_str(url.trim()).map_err(|e| TownshipError::BadUrl {
        url: redact(url),
        detail: e.to_string(),
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    Ok(config)
}

/// Connects without TLS to a Unix socket (local to the machine) and with rustls otherwise:
/// `sslmode=require` insists, the default `prefer` uses TLS when the server offers it.
fn open(config: &Config) -> Result<Client> {
    let local = config.get_hosts().iter().all(is_unix_socket);
    if local || config.get_ssl_mode() == SslMode::Disable {
        return Ok(config.connect(postgres::NoTls)?);
    }
    Ok(config.connect(tls()?)?)
}

/// A Unix-socket host (only Unix has them; on Windows every township host is reached over TCP).
fn is_unix_socket(host: &Host) -> bool {
    #[cfg(unix)]
    {
        matches!(host, Host::Unix(_))
    }
    #[cfg(not(unix))]
    {
        let _ = host;
        false
    }
}

/// rustls with the Mozilla roots, plus the township's own CA when `$JIFEN_TOWNSHIP_CA` names a
/// PEM file (a township server usually has a certificate its own IT made).
fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Ok(path) = std::env::var("JIFEN_TOWNSHIP_CA") {
        let path = std::path::PathBuf::from(path);
        for cert in
            CertificateDer::pem_file_iter(&path).map_err(|e| TownshipError::file(&path, e))?
        {
            let cert = cert.map_err(|e| TownshipError::file(&path, e))?;
            roots.add(cert).map_err(|e| TownshipError::file(&path, e))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TownshipError::BadUrl {
            url: String::new(),
            detail: e.to_string(),
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// The address without its password, for logs and messages.
pub fn redact(url: &str) -> String {
    let url = url.trim();
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((auth, host)) = rest.split_once('@')
    {
        let user = auth.split(':').next().unwrap_or_default();
        return format!("{scheme}://{user}@{host}");
    }
    url.split_whitespace()
        .filter(|kv| !kv.starts_with("password="))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_the_log() {
        assert_eq!(
            redact("postgres://s1:secret@town.example:5432/t"),
            "postgres://s1@town.example:5432/t"
        );
        assert_eq!(
            redact("host=/tmp/x user=s1 password=secret dbname=t"),
            "host=/tmp/x user=s1 dbname=t"
        );
    }
}
