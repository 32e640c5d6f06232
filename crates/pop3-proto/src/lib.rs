//! Sans-IO POP3 (RFC 1939) with its extensions (RFC 2449, 2595, 5034, 6856).

pub mod decode;
pub mod encode;
mod error;
pub mod framing;
mod types;

pub use error::{ClientError, DecodeError, ErrorKind, ServerError, ValueError};
pub use types::*;

pub mod client {
    //! tmp
    /// tmp
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum State { A }
}
pub mod server;
