//! The `radslag` command. Everything happens in the library.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    radslag::cli::main().await
}
