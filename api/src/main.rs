//! The `gridline` command. Everything it does lives in the library (`cli`).

use clap::Parser;

#[tokio::main]
async fn main() {
    let cli = gridline_api::cli::Cli::parse();
    if let Err(e) = gridline_api::cli::run(cli).await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
