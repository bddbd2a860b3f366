//! smartx-sandbox: a local stand-in for the secuconnect Smart Transactions API, with misbehaviours on demand,
//! for testing smartx and the registers built on it. Loopback only. See `smartx-sandbox --help`.

mod answer;
mod api;
mod auth;
mod behaviour;
mod bodies;
mod cli;
mod control;
mod errors;
mod ids;
mod log;
mod loyalty;
mod loyalty_api;
mod oauth;
mod routes;
mod serve;
mod status;
mod store;
mod tls;
mod transaction;

use std::process::ExitCode;
use std::time::Duration;

use cli::Command;

fn main() -> ExitCode {
    let options = match cli::parse(std::env::args_os().skip(1)) {
        Ok(Command::Run(options)) => options,
        Ok(Command::Help) => {
            print!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(cli::UsageError(message)) => {
            eprint!("smartx-sandbox: {message}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    log::init();
    // Two workers are plenty for tests, and leave the machine's other core to the client under test.
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("smartx-sandbox: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(serve::run(options));
    runtime.shutdown_timeout(Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("smartx-sandbox: {message}");
            ExitCode::FAILURE
        }
    }
}
