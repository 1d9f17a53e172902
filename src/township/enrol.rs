//! Enrolment, run at the township: a store gets its own PostgreSQL role, a member of
//! `jifen_store`, which can read and add its own rows only (row-level security in the schema).

use postgres::config::Host;
use rand::Rng;
use serde::Serialize;

use super::{Result, Township, TownshipError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Enrolled {
    pub store: String,
    pub store_id: i32,
    pub role: String,
    pub password: String,
    /// The address the store pushes to, with its credentials.
    pub url: String,
}

/// Creates the store's record and role in one transaction. `town` must be the township's
/// owner (a role that may create roles).
pub fn enrol(town: &mut Township, name: &str) -> Result<Enrolled> {
    let name = name.trim();
    let mut tx = town.client.transaction()?;
    if tx
        .query_opt("SELECT 1 FROM township.store WHERE name = $1", &[&name])?
        .is_some()
    {
        return Err(TownshipError::AlreadyEnrolled(name.to_string()));
    }
    let db: String = tx.query_one("SELECT current_database()", &[])?.get(0);
    let next: i32 = tx
        .query_one(
            "SELECT nextval(pg_get_serial_sequence('township.store', 'store_id'))::int",
            &[],
        )?
        .get(0);
    // Roles belong to the whole cluster: the database's name keeps two townships apart.
    let role = format!("jifen_{}_s{next}", sanitize(&db));
    let password = random_password();
    tx.execute(
        "INSERT INTO township.store (store_id, name, role_name) VALUES ($1, $2, $3)",
        &[&next, &name, &role],
    )?;
    // CREATE ROLE takes no parameters: the server quotes the name and password itself.
    let create: String = tx
        .query_one(
            "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE jifen_store', $1::text, $2::text)",
            &[&role, &password],
        )?
        .get(0);
    tx.batch_execute(&create)?;
    let grant: String = tx
        .query_one(
            "SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), $1::text)",
            &[&role],
        )?
        .get(0);
    tx.batch_execute(&grant)?;
    tx.commit()?;
    let url = store_url(town, &role, &password, &db);
    Ok(Enrolled {
        store: name.to_string(),
        store_id: next,
        role,
        password,
        url,
    })
}

fn sanitize(db: &str) -> String {
    db.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(30)
        .collect()
}

fn random_password() -> String {
    let mut bytes = [0u8; 18];
    rand::rng().fill(&mut bytes);
    hex::encode(bytes)
}

/// The same server as the township's own address, with the store's login.
fn store_url(town: &Township, role: &str, password: &str, db: &str) -> String {
    let config = town.config();
    let port = config.get_ports().first().copied().unwrap_or(5432);
    match config.get_hosts().first() {
        Some(Host::Tcp(host)) => {
            let ssl = match config.get_ssl_mode() {
                postgres::config::SslMode::Require => "?sslmode=require",
                postgres::config::SslMode::Disable => "?sslmode=disable",
                _ => "",
            };
            format!("postgres://{role}:{password}@{host}:{port}/{db}{ssl}")
        }
        #[cfg(unix)]
        Some(Host::Unix(path)) => format!(
            "host={} port={port} user={role} password={password} dbname={db}",
            path.display()
        ),
        _ => format!("postgres://{role}:{password}@localhost:{port}/{db}"),
    }
}
