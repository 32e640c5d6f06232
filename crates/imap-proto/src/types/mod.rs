//! The values of the grammar: validated newtypes over borrowed input or
//! `Bytes`, each quoting its ABNF.

mod body;
mod chars;
mod command;
mod core;
mod datetime;
mod fetch;
mod flag;
mod mailbox;
mod response;
mod search;
mod sequence;
pub mod utf7;

pub use self::body::{
    Address, BodyExtension, BodyStructure, Disposition, Envelope, ExtTail, Language, LanguageTail,
    LocationTail, MultipartExt, SinglePart, SinglePartExt, Specific,
};
pub(crate) use self::chars::*;
pub use self::command::{
    AppendMessage, AuthenticateData, Command, CommandBody, ListMailbox, ListPatterns, ListReturn,
    ListSelect, ListToken, SelectParam, StatusAttr, StoreKind,
};
pub(crate) use self::core::quotable;
pub use self::core::{
    AString, Atom, AtomExt, IString, IntoStatic, Literal, NString, Quoted, Secret, Tag, Text,
};
pub(crate) use self::datetime::MONTHS;
pub use self::datetime::{Date, DateTime};
pub use self::fetch::{
    BodyItem, FetchAttr, FetchAttrs, FetchItem, FetchModifier, Partial, Section, SectionText,
};
pub use self::flag::{Flag, MailboxAttr};
pub use self::mailbox::Mailbox;
pub use self::response::{
    Code, Continuation, Data, ESearchItem, ExtValue, ListItem, NamespaceDescr, QuotaResource,
    RespText, Response, StatusKind, Tagged,
};
pub use self::search::{EntryType, SearchKey, SearchReturn};
pub use self::sequence::{SeqNumber, Sequence, SequenceSet};
