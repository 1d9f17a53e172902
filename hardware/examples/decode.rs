//! Decodes ESC/POS bytes (a receipt printed to a file printer) with our decoder and prints
//! what the paper would show: `cargo run -p jifen-hardware --example decode -- receipt.bin`.
//! The Windows smoke test (scripts/windows/smoke) uses it on a receipt jifen.exe printed
//! under Wine.

fn main() -> std::process::ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: decode FILE");
        return std::process::ExitCode::from(2);
    };
    match std::fs::read(&path) {
        Ok(bytes) => {
            print!(
                "{}",
                jifen_hardware::preview_text(&jifen_hardware::decode(&bytes))
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot read {}: {e}", std::path::Path::new(&path).display());
            std::process::ExitCode::from(1)
        }
    }
}
