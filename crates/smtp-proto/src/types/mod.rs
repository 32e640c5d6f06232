//! The values of the grammar, each built by parsing (`TryFrom`, `new`), so a
//! value that exists is valid.

mod address;
mod capability;
mod command;
mod mechanism;
mod params;
mod reply;
mod secret;
pub(crate) mod syntax;
mod text;

pub use address::{AddressLiteral, ForwardPath, Host, Mailbox, ReversePath};
pub(crate) use address::{check_domain_with, check_host_words, scan_mailbox};
pub use capability::{Capability, EhloReply};
pub use command::{Command, SaslResponse};
pub use mechanism::Mechanism;
pub use params::{
    Body, MailParameters, Notify, Orcpt, Parameter, Params, RcptParameters, Ret, XText,
};
pub(crate) use params::{check_esmtp_value, check_keyword, check_orcpt, check_xtext};
pub use reply::{EnhancedCode, Reply, ReplyCode};
pub use secret::Secret;
pub(crate) use text::check_text;
pub use text::{Domain, Text, Word};
