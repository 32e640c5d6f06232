//! The values of the grammar, each built by parsing (`TryFrom`, `new`), so a
//! value that exists is valid.

mod apop;
mod capability;
mod command;
mod mechanism;
pub(crate) mod number;
mod response;
mod response_code;
mod secret;
mod unique_id;

pub use apop::{ApopDigest, ApopTimestamp};
pub use capability::{Capability, Expire};
pub use command::{Command, SaslResponse};
pub use mechanism::Mechanism;
pub use number::MessageNumber;
pub use response::{
    DropListing, Greeting, Response, ResponseLine, ScanListing, Status, UidListing,
};
pub use response_code::ResponseCode;
pub use secret::Secret;
pub use unique_id::UniqueId;
