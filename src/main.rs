fn main() -> std::process::ExitCode {
    shukudai::cli::run()
}
