//! `stocktake`, `goods` and `warnings`: keeping the shelf and the catalogue.

use clap::Subcommand;
use rust_i18n::t;
use serde_json::json;

use super::{Cli, CliResult, actor, now};
use crate::app;
use crate::core::goods::{Goods, NewGoods};
use crate::core::redemption::CartLine;
use crate::core::{GoodsCode, Points, Qty};
use crate::store::Db;

#[derive(Subcommand, Debug)]
pub enum StocktakeCommand {
    /// Start a stocktake (or show the one open): prints the count sheet
    Start,
    /// Enter counted quantities: CODE=QTY …
    Count {
        #[arg(required = true, value_parser = super::parse_count)]
        counts: Vec<CartLine>,
    },
    /// The open stocktake's sheet with the differences so far
    Show,
    /// Post the differences as corrections (manager only)
    Post,
}

#[derive(Subcommand, Debug)]
pub enum GoodsCommand {
    /// Add a good with its first point price (manager)
    Add {
        #[arg(long)]
        code: GoodsCode,
        #[arg(long)]
        name: String,
        #[arg(long)]
        unit: String,
        #[arg(long)]
        points: i64,
        #[arg(long)]
        category: Option<String>,
    },
    /// Retire a good: off the counter, kept in history (manager)
    Retire { code: GoodsCode },
    /// Set the low-stock level of a good; omit the level to clear it (manager)
    Threshold { code: GoodsCode, level: Option<i64> },
    /// Every price a good has had
    Prices { code: GoodsCode },
}

fn print(cli: &Cli, value: serde_json::Value, text: impl FnOnce() -> String) {
    if cli.json {
        println!("{value}");
    } else {
        println!("{}", text());
    }
}

fn sheet_text(sheet: &app::stocktake::Sheet) -> String {
    let mut out = vec![t!("ui.stocktake.title", id = sheet.id).to_string()];
    for l in &sheet.lines {
        let counted = l
            .counted
            .map(|c| c.to_string())
            .unwrap_or_else(|| "____".into());
        let diff = l
            .difference()
            .filter(|d| *d != 0)
            .map(|d| format!("{d:+}"))
            .unwrap_or_default();
        out.push(format!(
            "{}\t{}（{}）\t{}\t{}\t{}",
            l.code, l.name, l.unit, l.expected, counted, diff
        ));
    }
    out.join("\n")
}

pub fn stocktake(cli: &Cli, db: &mut Db, what: &StocktakeCommand) -> CliResult {
    let sheet = match what {
        StocktakeCommand::Start => {
            let who = actor(cli, db)?;
            Some(app::stocktake::start_stocktake(db, &who, now())?)
        }
        StocktakeCommand::Count { counts } => {
            let counts: Vec<(GoodsCode, Qty)> =
                counts.iter().map(|c| (c.code.clone(), c.qty)).collect();
            let who = actor(cli, db)?;
            Some(app::stocktake::record_counts(db, &who, &counts, now())?)
        }
        StocktakeCommand::Show => Some(
            app::stocktake::open_sheet(db)?
                .ok_or(crate::core::refusal::Refusal::NoOpenStocktake)
                .map_err(app::Error::from)?,
        ),
        StocktakeCommand::Post => {
            let who = actor(cli, db)?;
            let posted = app::stocktake::post_stocktake(db, &who, now())?;
            let lines: Vec<_> = posted
                .iter()
                .map(|(c, d, after)| json!({ "code": c, "difference": d.0, "on_hand": after.0 }))
                .collect();
            print(cli, json!({ "corrections": lines }), || {
                t!("ui.stocktake.posted", count = posted.len()).to_string()
            });
            None
        }
    };
    if let Some(sheet) = sheet {
        print(cli, json!(sheet), || sheet_text(&sheet));
    }
    Ok(())
}

pub fn goods(cli: &Cli, db: &mut Db, what: &GoodsCommand) -> CliResult {
    match what {
        GoodsCommand::Add {
            code,
            name,
            unit,
            points,
            category,
        } => {
            let goods = Goods {
                code: code.clone(),
                barcode: None,
                name: name.clone(),
                unit: unit.clone(),
                category: category.clone(),
                monthly_limit: None,
                retired: false,
            };
            let who = actor(cli, db)?;
            app::goods_admin::add_goods(
                db,
                &who,
                &NewGoods {
                    goods,
                    price_points: Points(*points),
                },
                now(),
            )?;
            print(cli, json!({ "code": code }), || {
                t!("ui.goods.added", code = code).to_string()
            });
        }
        GoodsCommand::Retire { code } => {
            let who = actor(cli, db)?;
            app::goods_admin::retire_goods(db, &who, code, now())?;
            print(cli, json!({ "code": code }), || {
                t!("ui.goods.retired", code = code).to_string()
            });
        }
        GoodsCommand::Threshold { code, level } => {
            let who = actor(cli, db)?;
            app::goods_admin::set_low_stock(db, &who, code, level.map(Qty), now())?;
            print(cli, json!({ "code": code, "level": level }), || {
                t!("ui.goods.threshold_set", code = code).to_string()
            });
        }
        GoodsCommand::Prices { code } => {
            let history = app::goods_admin::price_history(db, code)?;
            print(cli, json!({ "code": code, "prices": history }), || {
                history
                    .iter()
                    .map(|v| {
                        t!(
                            "ui.goods.history_line",
                            from = v.effective_from,
                            points = v.price_points,
                            by = v.set_by,
                            approved = v.approved_by.clone().unwrap_or_default()
                        )
                        .to_string()
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}

pub fn warnings(cli: &Cli, db: &mut Db) -> CliResult {
    let warnings = app::goods_admin::stock_warnings(db, now().date())?;
    print(cli, json!({ "warnings": warnings }), || {
        let mut lines = Vec::new();
        for w in &warnings {
            if let Some(threshold) = w.low_stock_threshold {
                lines.push(
                    t!(
                        "ui.stock.low",
                        name = w.name,
                        qty = w.on_hand,
                        threshold = threshold
                    )
                    .to_string(),
                );
            }
            for lot in &w.expiring {
                let day = lot.best_before.map(|d| d.to_string()).unwrap_or_default();
                lines.push(
                    t!("ui.stock.expiring", name = w.name, qty = lot.qty, day = day).to_string(),
                );
            }
        }
        lines.join("\n")
    });
    Ok(())
}
