//! Jifen (积分): counter software for a village points supermarket.

pub mod app;
pub mod cli;
pub mod core;
pub mod notice;
pub mod platform;
pub mod print;
pub mod store;
pub mod township;
pub mod ui;

rust_i18n::i18n!("locales", fallback = "zh-CN");
