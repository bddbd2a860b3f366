//! The write-ahead journal: every call of a client that changes a transaction (create, start, cancel, abort,
//! cancel by receipt number) is written to an SQLite file, and synced to the disk, before anything of it is
//! sent, and its outcome when it ends; after a crash, [`reconcile`] settles what was in flight by reading it back
//! from the API, and the kept answers print again without the network.
//!
//! Knows nothing of C. Used by the logged-in client ([`api::Client::journaled`](crate::api::Client::journaled)), which
//! wraps each journaled call; the reads of reconcile come through [`ReadBack`], which the `api` layer
//! implements.
//!
//! Live calls across processes: each entry names the process that wrote it (`owner.rs`); reconcile skips the
//! entries of this connection's calls still running, of other connections of this process, and of other
//! processes that still run.

mod entry;
mod owner;
mod reconcile;
mod schema;
mod store;

pub use entry::{outcome_of, outcome_of_state, result_code, Call, Ended, Ending, Entry, Intent, Outcome};
pub use reconcile::{reconcile, ReadBack, ReadTransaction, Reconciled};
pub use schema::{APPLICATION_ID, VERSION};
pub use store::{Journal, Running, KEEP_SETTLED};
