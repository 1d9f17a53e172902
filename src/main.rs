fn main() -> std::process::ExitCode {
    jifen::cli::main()
}
