//! Sans-IO SMTP (RFC 5321) and LMTP (RFC 2033).

pub mod client;
#[cfg(feature = "tokio")]
pub mod codec;
pub mod decode;
pub mod encode;
mod error;
pub mod framing;
pub mod server;
mod types;

pub use error::{ClientError, DecodeError, ErrorKind, ServerError, ValueError};
pub use types::*;
