//! `smartx`, the command-line tool of the register's installer and the vendor's support line, on the library's
//! safe Rust API. Its interface (options, exit codes, JSON shapes, step names) is fixed: scripts and the support
//! line's instructions are written against it (docs/src/cli.md).

mod commands;
mod doctor;
mod out;
mod session;

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use out::{Failure, Report};

/// The till cannot pay? Run `smartx doctor`. Credentials come only from the environment (SX_TOKEN, or
/// SX_CLIENT_ID and SX_CLIENT_SECRET) or from --token-file, never from the command line.
#[derive(Parser)]
#[command(name = "smartx", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes, before or after its name.
#[derive(Args, Debug, Clone)]
pub struct Global {
    /// The API: a URL, `testing` or `live` [default: $SX_BASE_URL, else testing]
    #[arg(long, global = true, value_name = "URL|testing|live")]
    pub base_url: Option<String>,
    /// A PEM file of CA certificates to trust besides the system's (repeatable)
    #[arg(long, global = true, value_name = "PEM")]
    pub ca_file: Vec<PathBuf>,
    /// An HTTP CONNECT proxy, http://host:port
    #[arg(long, global = true, value_name = "URL")]
    pub proxy: Option<String>,
    /// The refresh token written by `smartx pair` (mode 0600); the client id and secret come from the environment
    #[arg(long, global = true, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Print exactly one JSON document on stdout, also on failure
    #[arg(long, global = true)]
    pub json: bool,
    /// Bounds each network step, in milliseconds
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub timeout_ms: Option<u32>,
}

#[derive(Subcommand)]
enum Command {
    /// Checks the way to the API step by step: config, dns, tcp, tls, clock, token, api
    Doctor,
    /// Pairs this till by the device flow and saves the refresh token to --token-file (mode 0600)
    Pair(commands::PairArgs),
    /// Reads transactions
    #[command(subcommand)]
    Tx(TxCommand),
    /// Renders a transaction's receipt exactly as sx_receipt_render does
    Receipt(commands::ReceiptArgs),
    /// Registers a payment the till took itself
    #[command(subcommand)]
    Pay(PayCommand),
    /// The write-ahead journal of a register (sx_client_open_journal)
    #[command(subcommand)]
    Journal(JournalCommand),
    /// Prints the shell completions
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

#[derive(Subcommand)]
enum TxCommand {
    /// Reads a transaction
    Get { id: String },
    /// Reads a transaction and says whether it is paid (exit 0 paid, 3 not paid, 4 in progress, 5 unknown)
    Check { id: String },
    /// The transactions with a register reference (exact matches only)
    List {
        #[arg(long = "ref", value_name = "REF")]
        reference: String,
    },
}

#[derive(Subcommand)]
enum PayCommand {
    /// Registers cash taken for transaction ID and prints the receipt
    Cash(commands::PayCashArgs),
}

#[derive(Subcommand)]
enum JournalCommand {
    /// The entries whose outcome is not known yet
    Pending(commands::JournalArgs),
    /// Settles the pending entries by reading the transactions back (never repeats a call)
    Reconcile(commands::JournalArgs),
    /// Prints the receipt of entry SEQ again, marked as a copy, without the network
    Reprint(commands::ReprintArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

fn main() {
    let wants_json = std::env::args_os().any(|a| a == "--json");
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            if wants_json {
                let failure = Failure::usage(
                    e.to_string().lines().next().unwrap_or_default().trim_start_matches("error: ").to_owned(),
                );
                let code = Report::new(true).finish(Err(failure));
                std::process::exit(code);
            }
            e.exit()
        }
        Err(e) => e.exit(),
    };
    let mut report = Report::new(cli.global.json);
    let result = run(&cli, &mut report);
    std::process::exit(report.finish(result));
}

fn run(cli: &Cli, report: &mut Report) -> Result<(), Failure> {
    let global = &cli.global;
    match &cli.command {
        Command::Doctor => doctor::run(global, report),
        Command::Pair(args) => commands::pair(global, args, report),
        Command::Tx(TxCommand::Get { id }) => commands::tx_get(global, id, report),
        Command::Tx(TxCommand::Check { id }) => commands::tx_check(global, id, report),
        Command::Tx(TxCommand::List { reference }) => commands::tx_list(global, reference, report),
        Command::Receipt(args) => commands::receipt(global, args, report),
        Command::Pay(PayCommand::Cash(args)) => commands::pay_cash(global, args, report),
        Command::Journal(JournalCommand::Pending(args)) => commands::journal_pending(global, args, report),
        Command::Journal(JournalCommand::Reconcile(args)) => commands::journal_reconcile(global, args, report),
        Command::Journal(JournalCommand::Reprint(args)) => commands::journal_reprint(global, args, report),
        Command::Completions { shell } => {
            if global.json {
                return Err(Failure::usage("completions are a script, not JSON: run it without --json"));
            }
            let shell = match shell {
                Shell::Bash => clap_complete::Shell::Bash,
                Shell::Zsh => clap_complete::Shell::Zsh,
                Shell::Fish => clap_complete::Shell::Fish,
                Shell::Powershell => clap_complete::Shell::PowerShell,
            };
            clap_complete::generate(shell, &mut Cli::command(), "smartx", &mut std::io::stdout());
            Ok(())
        }
    }
}
