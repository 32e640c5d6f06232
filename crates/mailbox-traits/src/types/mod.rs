//! The shared mail vocabulary.

mod date;
mod flag;
mod meta;
mod name;
mod uid;

pub use date::{Civil, InternalDate};
pub use flag::{Flag, FlagOp, Flags, Keyword};
pub use meta::{
    Appended, Copied, Expunged, FlagsUpdated, MailboxInfo, MailboxStatus, MessageMeta, Snapshot,
    UpdatedFlags,
};
pub use name::{MailboxName, SpecialUse};
pub use uid::{ModSeq, Uid, UidValidity};
