//! `service add|list` and `voucher use|cancel`: points spent on services (积分换服务).

use clap::Subcommand;
use rust_i18n::t;
use serde_json::json;

use super::{Cli, CliResult, actor, now};
use crate::app;
use crate::core::goods::{Goods, NewGoods, ServiceInfo};
use crate::core::{GoodsCode, Points, Qty};
use crate::store::Db;

#[derive(Subcommand, Debug)]
pub enum ServiceCommand {
    /// Add a service to the catalogue (manager): a haircut, a repair, a ride…
    Add {
        #[arg(long)]
        code: GoodsCode,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "次")]
        unit: String,
        #[arg(long)]
        points: i64,
        /// Who provides it (a person or a business)
        #[arg(long)]
        provider: String,
        #[arg(long)]
        contact: Option<String>,
        /// Most vouchers a day (no limit when left out)
        #[arg(long)]
        capacity: Option<i64>,
        /// Days a voucher stays valid
        #[arg(long, default_value_t = 30)]
        validity_days: i64,
    },
    /// The services on offer
    List,
}

#[derive(Subcommand, Debug)]
pub enum VoucherCommand {
    /// Record that the provider gave the service
    Use {
        voucher_no: String,
        /// Who at the provider took the voucher
        #[arg(long)]
        by: String,
    },
    /// Cancel an unused voucher and return its points (manager)
    Cancel {
        voucher_no: String,
        #[arg(long)]
        reason: String,
    },
}

fn print(cli: &Cli, value: serde_json::Value, text: impl FnOnce() -> String) {
    if cli.json {
        println!("{value}");
    } else {
        println!("{}", text());
    }
}

pub fn service(cli: &Cli, db: &mut Db, what: &ServiceCommand) -> CliResult {
    match what {
        ServiceCommand::Add {
            code,
            name,
            unit,
            points,
            provider,
            contact,
            capacity,
            validity_days,
        } => {
            let who = actor(cli, db)?;
            let new = NewGoods {
                goods: Goods {
                    code: code.clone(),
                    barcode: None,
                    name: name.clone(),
                    unit: unit.clone(),
                    category: Some(t!("cli.service_category").to_string()),
                    monthly_limit: None,
                    retired: false,
                },
                price_points: Points(*points),
            };
            let info = ServiceInfo {
                provider_name: provider.clone(),
                provider_contact: contact.clone(),
                capacity_per_day: capacity.map(Qty),
                validity_days: *validity_days,
            };
            app::services::add_service(db, &who, &new, &info, now())?;
            print(cli, json!({ "code": code }), || {
                t!("ui.goods.added", code = code).to_string()
            });
        }
        ServiceCommand::List => {
            let all = app::services::all_services(db)?;
            print(
                cli,
                json!({ "services": all.iter().map(|(c, i)| json!({ "code": c, "provider": i.provider_name, "capacity_per_day": i.capacity_per_day.map(|q| q.0), "validity_days": i.validity_days })).collect::<Vec<_>>() }),
                || {
                    all.iter()
                        .map(|(c, i)| {
                            format!(
                                "{c}\t{}\t{}",
                                i.provider_name,
                                i.capacity_per_day
                                    .map(|q| q.to_string())
                                    .unwrap_or_default()
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                },
            );
        }
    }
    Ok(())
}

pub fn voucher(cli: &Cli, db: &mut Db, what: &VoucherCommand) -> CliResult {
    let who = actor(cli, db)?;
    let (voucher, text) = match what {
        VoucherCommand::Use { voucher_no, by } => {
            let v = app::services::use_voucher(db, &who, voucher_no, by, now())?;
            let text = t!("cli.voucher_used", number = v.voucher_no, name = v.name).to_string();
            (v, text)
        }
        VoucherCommand::Cancel { voucher_no, reason } => {
            let v = app::services::cancel_voucher(db, &who, voucher_no, reason, now())?;
            let text = t!(
                "cli.voucher_cancelled",
                number = v.voucher_no,
                points = v.unit_points
            )
            .to_string();
            (v, text)
        }
    };
    print(cli, json!(voucher), || text);
    Ok(())
}
