//! Card verification must feel instant at the counter (issue 5: under 1 ms). Two figures: the
//! pure check of a payload (parse + HMAC + constant-time compare), and the whole service a
//! scan goes through (`verify_card`: that plus the SQLite reads of the store key, the card
//! and the household, on a file database like the counter's).
//! Run: `cargo bench --bench cards`.

use std::hint::black_box;

use chrono::{NaiveDate, NaiveDateTime};
use criterion::{Criterion, criterion_group, criterion_main};
use jifen::app::{self, cards};
use jifen::core::card::{CardId, CardPayload, CardSecret, CardSerial, StoreCode};
use jifen::store::Db;

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 20)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("a valid moment")
}

fn pure_check(c: &mut Criterion) {
    let secret = CardSecret::new([9; 32]);
    let store = StoreCode::new(4821).expect("in range");
    let id = CardId::new(store, 123_456, CardSerial::FIRST).expect("in range");
    let payload = CardPayload::issue(id, &secret).to_string();
    c.bench_function("card payload parse + verify (pure)", |b| {
        b.iter(|| {
            let parsed: CardPayload = black_box(&payload).parse().expect("well formed");
            black_box(parsed.verify(store, &secret)).expect("genuine")
        })
    });
}

/// A store of 2,000 households, one of which holds a card.
fn store_with_card(dir: &std::path::Path) -> (Db, String) {
    let mut db = Db::open_in(dir).expect("database");
    let manager =
        app::setup::init_store(&mut db, "基准积分超市", "张丽", "842619", now()).expect("init");
    let manager = app::sign_in(&mut db, manager, "842619", now()).expect("sign in");
    let mut grid = vec![["户号", "户主", "村", "村小组"].map(String::from).to_vec()];
    for i in 0..2_000 {
        grid.push(vec![
            format!("{}", 100_000 + i),
            format!("户主{i}"),
            "青山村".into(),
            format!("第{}组", i % 8 + 1),
        ]);
    }
    app::import::import_households_grid(&mut db, &manager, "bench.csv", &grid, now())
        .expect("import");
    let number = "101234".parse().expect("a household number");
    let card = cards::issue_card(&mut db, &manager, &number, None, now()).expect("issue");
    (db, card.face.payload.to_string())
}

fn service_check(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut db, payload) = store_with_card(dir.path());
    c.bench_function("verify_card service (SQLite, 2,000 households)", |b| {
        b.iter(|| black_box(cards::verify_card(&mut db, black_box(&payload))).expect("valid"))
    });
}

criterion_group!(benches, pure_check, service_check);
criterion_main!(benches);
