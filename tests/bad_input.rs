//! The bad-input catalogue: what counter staff and village files really do wrong, each with the
//! words staff must see and the proof that nothing was written. One table, one store.

use std::path::{Path, PathBuf};

use jifen::app::backup::backup_to;
use jifen::app::import::{import_goods, import_households, import_scores, post_scores};
use jifen::app::redeem::{redeem, void_redemption};
use jifen::app::stock::{Purchase, ReceiveLine, adjust_stock, receive_purchase};
use jifen::app::{Error, Result, sign_in};
use jifen::core::card::{CardId, CardPayload, CardSecret, CardSerial, StoreCode};
use jifen::core::import_rows::ScoreRow;
use jifen::core::redemption::CartLine;
use jifen::core::{AmountCents, IdempotencyKey, Period, Points, Qty};

use crate::common::*;

/// One mistake: what was done, the fragment of the message staff must read, the tables a
/// refusal may still touch (a wrong PIN counts toward the lockout), and the action.
struct Mistake {
    what: &'static str,
    message: &'static str,
    may_touch: &'static [&'static str],
    act: fn(&mut Store, &Path) -> Result<()>,
}

const NOTHING: &[&str] = &[];

fn approvers() -> Vec<String> {
    ["王建华", "李国强", "赵秀英"].map(String::from).to_vec()
}

fn october() -> Period {
    "2026-10".parse().unwrap()
}

/// Writes a file for an import into the scratch folder.
fn file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn households_csv(dir: &Path, name: &str, rows: &[&str]) -> PathBuf {
    let text = ["户号,户主,村,村小组,人口,期初积分"]
        .iter()
        .chain(rows)
        .map(|r| format!("{r}\r\n"))
        .collect::<String>();
    file(dir, name, text.as_bytes())
}

fn line(code: &str, qty: i64) -> CartLine {
    CartLine {
        code: code.parse().unwrap(),
        qty: Qty(qty),
    }
}

fn catalogue() -> Vec<Mistake> {
    vec![
        Mistake {
            what: "a cashier types the wrong PIN",
            message: "密码错误",
            // The lockout counter and the refused sign-in's audit record (issue 16).
            may_touch: &["staff", "audit_log"],
            act: |s, _| sign_in(&mut s.db, s.cashier.id, "9999", t0()).map(drop),
        },
        Mistake {
            what: "a PIN with letters for a new member of staff",
            message: "密码只能是数字",
            may_touch: NOTHING,
            act: |s, _| {
                let role = jifen::core::staff::Role::Cashier;
                jifen::app::setup::add_staff(&mut s.db, &s.manager, "赵六", role, "12ab", t0())
                    .map(drop)
            },
        },
        Mistake {
            what: "an unknown household number at the counter",
            message: "查无此户：户号 999999",
            may_touch: NOTHING,
            act: |s, _| {
                redeem(&mut s.db, &s.cashier, &cart("999999", &[("1002", 1)]), t0()).map(drop)
            },
        },
        Mistake {
            what: "a card of another points supermarket",
            message: "这是另一家积分超市",
            may_touch: NOTHING,
            act: |s, _| {
                let ours = jifen::app::cards::current_card(&mut s.db, &hh("101001"))?
                    .payload
                    .claimed()
                    .store()
                    .get();
                let other = StoreCode::new(if ours == 9999 { 1000 } else { 9999 }).unwrap();
                let id = CardId::new(other, 1, CardSerial::new(1).unwrap()).unwrap();
                let payload = CardPayload::issue(id, &CardSecret::new([7; 32]));
                jifen::app::cards::verify_card(&mut s.db, payload.as_str()).map(drop)
            },
        },
        Mistake {
            what: "a goods barcode scanned as a card",
            message: "无法识别的卡号",
            may_touch: NOTHING,
            act: |s, _| jifen::app::cards::verify_card(&mut s.db, "6998137556535").map(drop),
        },
        Mistake {
            what: "too few points for the cart",
            message: "积分不足：余额 100 分，需要 115 分，还差 15 分",
            may_touch: NOTHING,
            act: |s, _| {
                let request = cart("101002", &[("1001", 2), ("1002", 1)]);
                redeem(&mut s.db, &s.cashier, &request, t0()).map(drop)
            },
        },
        Mistake {
            what: "over the monthly limit",
            message: "超过限量：“大米 5kg”每户每月限 2，本月已领 0，这次要 3",
            may_touch: NOTHING,
            act: |s, _| {
                redeem(&mut s.db, &s.cashier, &cart("101002", &[("1001", 3)]), t0()).map(drop)
            },
        },
        Mistake {
            what: "more than the shelf holds",
            message: "库存不足：“牙膏”只剩 5，需要 6",
            may_touch: NOTHING,
            act: |s, _| {
                redeem(&mut s.db, &s.cashier, &cart("101002", &[("1003", 6)]), t0()).map(drop)
            },
        },
        Mistake {
            what: "a goods code that does not exist",
            message: "没有编码为 9999 的商品",
            may_touch: NOTHING,
            act: |s, _| {
                redeem(&mut s.db, &s.cashier, &cart("101002", &[("9999", 1)]), t0()).map(drop)
            },
        },
        Mistake {
            what: "the same request number for a different cart",
            message: "请求编号 counter1-0001 已用于另一笔不同的兑换，未执行",
            may_touch: NOTHING,
            act: |s, _| {
                let mut request = cart("101001", &[("1003", 2)]);
                request.key = Some("counter1-0001".parse::<IdempotencyKey>().unwrap());
                redeem(&mut s.db, &s.cashier, &request, t0()).map(drop)
            },
        },
        Mistake {
            what: "a cashier voids a redemption",
            message: "您的岗位无权作废兑换",
            may_touch: NOTHING,
            act: |s, _| {
                let no = "2026-000001".parse().unwrap();
                void_redemption(&mut s.db, &s.cashier, &no, "拿错了", t0()).map(drop)
            },
        },
        Mistake {
            what: "a void of yesterday's redemption",
            message: "不是今天的，只能作废当天的兑换",
            may_touch: NOTHING,
            act: |s, _| {
                let no = "2026-000001".parse().unwrap();
                let later = at(2026, 11, 21, 9, 0);
                void_redemption(&mut s.db, &s.manager, &no, "拿错了", later).map(drop)
            },
        },
        Mistake {
            what: "a purchase without its invoice number",
            message: "采购必须填写增值税发票号",
            may_touch: NOTHING,
            act: |s, _| {
                let purchase = Purchase {
                    supplier: "县供销社".into(),
                    invoice_no: "  ".into(),
                    amount: AmountCents(12_000),
                    received_on: t0().date(),
                    lines: vec![ReceiveLine {
                        code: code("1002"),
                        qty: Qty(10),
                        value: None,
                    }],
                };
                receive_purchase(&mut s.db, &s.manager, &purchase, t0()).map(drop)
            },
        },
        Mistake {
            what: "a write-off of more than is on the shelf",
            message: "商品 1003 库存只有 5，不能调整 -8",
            may_touch: NOTHING,
            act: |s, _| {
                adjust_stock(&mut s.db, &s.manager, &[line("1003", -8)], "受潮", t0()).map(drop)
            },
        },
        Mistake {
            what: "a points correction without a reason",
            message: "请填写原因",
            may_touch: NOTHING,
            act: |s, _| {
                let change = Points(20);
                jifen::app::points::correct_points(
                    &mut s.db,
                    &s.manager,
                    &hh("101001"),
                    change,
                    " ",
                    "村委",
                    t0(),
                )
                .map(drop)
            },
        },
        Mistake {
            what: "a CSV saved as GBK with a broken byte",
            message: "不是文本表格（既不是 UTF-8 也不是 GBK 编码）",
            may_touch: NOTHING,
            act: |s, dir| {
                let text = "户号,户主,村,村小组\r\n201001,陈珺,青山村,第三组\r\n";
                let mut bytes = encoding_rs::GBK.encode(text).0.into_owned();
                let at = bytes.len() - 8;
                bytes[at] = 0xFF;
                let path = file(dir, "农户_gbk.csv", &bytes);
                import_households(&mut s.db, &s.manager, &path, t0()).map(drop)
            },
        },
        Mistake {
            what: "a price typed with a full-width decimal point (IME)",
            message: "第 2 行“积分”列：“１２．５”不是整数",
            may_touch: NOTHING,
            act: |s, dir| {
                let text = "编码,名称,单位,积分\r\n2001,酱油,瓶,１２．５\r\n";
                let path = file(dir, "商品.csv", text.as_bytes());
                import_goods(&mut s.db, &s.manager, &path, t0()).map(drop)
            },
        },
        Mistake {
            what: "a member count written with its unit",
            message: "第 2 行“人口”列：“３人”不是整数",
            may_touch: NOTHING,
            act: |s, dir| {
                let path = households_csv(dir, "农户.csv", &["201001,陈珺,青山村,第三组,３人,0"]);
                import_households(&mut s.db, &s.manager, &path, t0()).map(drop)
            },
        },
        Mistake {
            what: "a 户号 with a space in it",
            message: "第 3 行“户号”列：“201 002”不是有效编号",
            may_touch: NOTHING,
            act: |s, dir| {
                let rows = [
                    "201001,陈珺,青山村,第三组,3,0",
                    "201 002,陈堃,青山村,第三组,2,0",
                ];
                let path = households_csv(dir, "农户.csv", &rows);
                import_households(&mut s.db, &s.manager, &path, t0()).map(drop)
            },
        },
        Mistake {
            what: "an .xls workbook renamed .csv",
            message: "文件 {dir}/农户.csv 不是文本表格",
            may_touch: NOTHING,
            act: |s, dir| {
                // An .xls is a compound file: this signature, then binary sectors.
                let mut bytes = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
                bytes.extend(std::iter::repeat_n(0u8, 504));
                let path = file(dir, "农户.csv", &bytes);
                import_households(&mut s.db, &s.manager, &path, t0()).map(drop)
            },
        },
        Mistake {
            what: "an .xlsx workbook renamed .csv",
            message: "不是文本表格",
            may_touch: NOTHING,
            act: |s, dir| {
                let path = file(
                    dir,
                    "商品.csv",
                    &std::fs::read(fixture("goods.xlsx")).unwrap(),
                );
                import_goods(&mut s.db, &s.manager, &path, t0()).map(drop)
            },
        },
        Mistake {
            what: "a Word document instead of a sheet",
            message: "格式不支持（请用 .csv 或 .xlsx）",
            may_touch: NOTHING,
            act: |s, dir| {
                let path = file(dir, "农户.docx", b"PK\x03\x04");
                import_households(&mut s.db, &s.manager, &path, t0()).map(drop)
            },
        },
        Mistake {
            what: "a text file with an .xlsx name",
            message: "无法读取表格",
            may_touch: NOTHING,
            act: |s, dir| {
                let path = file(dir, "商品.xlsx", "编码,名称\n2001,酱油\n".as_bytes());
                import_goods(&mut s.db, &s.manager, &path, t0()).map(drop)
            },
        },
        Mistake {
            what: "an empty file",
            message: "农户.csv：没有任何数据行",
            may_touch: NOTHING,
            act: |s, dir| {
                let path = file(dir, "农户.csv", b"");
                import_households(&mut s.db, &s.manager, &path, t0()).map(drop)
            },
        },
        Mistake {
            what: "a sheet with the header only",
            message: "农户.csv：没有任何数据行",
            may_touch: NOTHING,
            act: |s, dir| {
                let path = households_csv(dir, "农户.csv", &[",,,,,", ""]);
                import_households(&mut s.db, &s.manager, &path, t0()).map(drop)
            },
        },
        Mistake {
            what: "a required column missing",
            message: "第 1 行“户主”列：缺少这一列",
            may_touch: NOTHING,
            act: |s, dir| {
                let path = file(
                    dir,
                    "农户.csv",
                    "户号,村,村小组\n201001,青山村,第三组\n".as_bytes(),
                );
                import_households(&mut s.db, &s.manager, &path, t0()).map(drop)
            },
        },
        Mistake {
            what: "a duplicated row",
            message: "第 4 行“户号”列：与第 2 行重复",
            may_touch: NOTHING,
            act: |s, dir| {
                let rows = [
                    "201001,陈珺,青山村,第三组,3,0",
                    "201002,陈堃,青山村,第三组,2,0",
                    "201001,陈珺,青山村,第三组,3,0",
                ];
                let path = households_csv(dir, "农户.csv", &rows);
                import_households(&mut s.db, &s.manager, &path, t0()).map(drop)
            },
        },
        Mistake {
            what: "a re-imported roster that moves a household to another group",
            message: "第 2 行“村小组”列：这户在本店登记为“青山村第一组”，表中写的是“青山村第二组”",
            may_touch: NOTHING,
            act: |s, dir| {
                let path = households_csv(dir, "农户.csv", &["101001,王大山,青山村,第二组,3,100"]);
                import_households(&mut s.db, &s.manager, &path, t0()).map(drop)
            },
        },
        Mistake {
            what: "a score of 优 instead of a number",
            message: "第 3 行“得分”列：“优”不是整数",
            may_touch: NOTHING,
            act: |s, dir| {
                let text = "户号,得分\n101001,95\n101002,优\n";
                let path = file(dir, "11月评分.csv", text.as_bytes());
                let november = "2026-11".parse().unwrap();
                import_scores(&mut s.db, &s.manager, &path, november, &approvers(), t0()).map(drop)
            },
        },
        Mistake {
            what: "a score above the village's maximum",
            message: "第 2 行“得分”列：“150”超出范围（0 到 100）",
            may_touch: NOTHING,
            act: |s, dir| {
                let path = file(dir, "11月评分.csv", "户号,得分\n101001,150\n".as_bytes());
                let november = "2026-11".parse().unwrap();
                import_scores(&mut s.db, &s.manager, &path, november, &approvers(), t0()).map(drop)
            },
        },
        Mistake {
            what: "the same approver twice on a score sheet",
            message: "签批名单里「王建华」出现了不止一次",
            may_touch: NOTHING,
            act: |s, _| {
                let two = ["王建华".to_string(), " 王建华 ".into(), "李国强".into()];
                let rows = [score_row("101001", 90)];
                let november = "2026-11".parse().unwrap();
                post_scores(
                    &mut s.db,
                    &s.manager,
                    "11月.csv",
                    november,
                    &two,
                    &rows,
                    t0(),
                )
                .map(drop)
            },
        },
        Mistake {
            what: "a household's month posted twice (another sheet, same month)",
            message: "第 2 行“户号”列：户号 101001 的 2026-10 积分已经发放过，不能重复发放",
            may_touch: NOTHING,
            act: |s, _| {
                let rows = [score_row("101002", 80), score_row("101001", 85)];
                post_scores(
                    &mut s.db,
                    &s.manager,
                    "10月.csv",
                    october(),
                    &approvers(),
                    &rows,
                    t0(),
                )
                .map(drop)
            },
        },
        Mistake {
            what: "a rules file with a misspelt key",
            message: "村规文件有误",
            may_touch: NOTHING,
            act: |s, _| {
                let text = "[scoring]\npoints_per_scroe = 2\n";
                jifen::app::rules::set_policy(&mut s.db, &s.manager, "青山村", text, t0()).map(drop)
            },
        },
        Mistake {
            what: "a damaged backup restored",
            message: "已损坏或不完整，未恢复，现有数据未动",
            may_touch: NOTHING,
            act: |s, dir| {
                let path = dir.join("backup.db");
                let bytes = std::fs::read(&path).unwrap();
                let damaged = file(dir, "damaged.db", &bytes[..bytes.len() / 2]);
                restore_by_manager(s.dir.path(), &damaged, "842619", None).map(drop)
            },
        },
        Mistake {
            what: "a spreadsheet restored as if it were a backup",
            message: "已损坏或不完整",
            may_touch: NOTHING,
            act: |s, _| {
                restore_by_manager(s.dir.path(), &fixture("goods.xlsx"), "842619", None).map(drop)
            },
        },
    ]
}

fn score_row(household: &str, score: i64) -> ScoreRow {
    ScoreRow {
        row: 2,
        household: hh(household),
        head_name: None,
        score,
    }
}

/// The store the catalogue runs against: the small store with a card, one redemption made
/// yesterday under a known request number, October's scores posted, and a good backup.
fn prepared(scratch: &Path) -> Store {
    let mut s = small_store();
    let manager = s.manager.clone();
    jifen::app::cards::issue_card(&mut s.db, &manager, &hh("101001"), None, t0()).unwrap();
    let mut request = cart("101001", &[("1002", 1)]);
    request.key = Some("counter1-0001".parse::<IdempotencyKey>().unwrap());
    redeem(&mut s.db, &s.cashier, &request, t0()).unwrap();
    let rows = [score_row("101001", 90)];
    post_scores(
        &mut s.db,
        &manager,
        "10月.csv",
        october(),
        &approvers(),
        &rows,
        t0(),
    )
    .unwrap();
    backup_to(&s.db, &scratch.join("backup.db")).unwrap();
    s
}

fn without(rows: Vec<String>, tables: &[&str]) -> Vec<String> {
    rows.into_iter()
        .filter(|row| !tables.iter().any(|t| row.starts_with(&format!("{t}: "))))
        .collect()
}

#[test]
fn every_mistake_is_refused_with_its_message_and_writes_nothing() {
    let scratch = tempfile::tempdir().unwrap();
    let mut s = prepared(scratch.path());
    let catalogue = catalogue();
    for mistake in &catalogue {
        let before = content(&s.path());
        let err: Error = match (mistake.act)(&mut s, scratch.path()) {
            Ok(()) => panic!("{}: accepted", mistake.what),
            Err(err) => err,
        };
        let message = err.to_string();
        let expected = mistake
            .message
            .replace("{dir}", &scratch.path().display().to_string());
        assert!(
            message.contains(&expected),
            "{}: message {message:?} lacks {expected:?}",
            mistake.what
        );
        assert_eq!(
            without(content(&s.path()), mistake.may_touch),
            without(before, mistake.may_touch),
            "{}: something was written",
            mistake.what
        );
    }
    assert_eq!(jifen::app::check::check(&mut s.db).unwrap(), vec![]);
    assert!(catalogue.len() >= 30, "{} mistakes", catalogue.len());
}
