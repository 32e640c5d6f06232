//! The nesting ceiling is proven, not assumed: every recursive production
//! of the grammar, nested to `Options::MAX_DEPTH`, is decoded, encoded,
//! cloned, compared, made `'static`, formatted and dropped on a thread with
//! half of the 2 MiB stack that Rust gives a spawned thread (and tokio a
//! worker), so the caller keeps the other half. Run in debug builds, whose
//! frames are the largest; one level deeper is refused as `TooDeep`.
#![allow(
    clippy::unwrap_used,
    reason = "a failed unwrap here is a failed test or bench"
)]

use bytes::{Bytes, BytesMut};
use imap_proto::types::{BodyStructure, Data, FetchItem, IntoStatic, Response};
use imap_proto::{DecodeError, ErrorKind, Options, decode, encode};

const STACK: usize = 1024 * 1024;
const SINGLE: &str = "(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1)";

/// The line for `production` nested `levels` deep, and whether it is a command.
fn nested(production: &str, levels: usize) -> (String, bool) {
    let n = levels - 1;
    match production {
        // body-type-mpart = 1*body SP media-subtype
        "multipart" => (
            format!(
                "* 1 FETCH (BODYSTRUCTURE {}{SINGLE}{})\r\n",
                "(".repeat(n),
                " \"MIXED\")".repeat(n)
            ),
            false,
        ),
        // body-type-msg = media-message SP body-fields SP envelope SP body SP body-fld-lines
        "message/rfc822" => (
            format!(
                "* 1 FETCH (BODYSTRUCTURE {}{SINGLE}{})\r\n",
                "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 9 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) "
                    .repeat(n),
                " 2)".repeat(n)
            ),
            false,
        ),
        // body-extension = ... / "(" body-extension *(SP body-extension) ")",
        // inside a body: one level for the body, one for the innermost number.
        "body-extension" => (
            format!(
                "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1 NIL NIL NIL NIL {}7{}))\r\n",
                "(".repeat(levels - 2),
                ")".repeat(levels - 2)
            ),
            false,
        ),
        "search NOT" => (format!("a SEARCH {}ALL\r\n", "NOT ".repeat(n)), true),
        "search OR" => (format!("a SEARCH {}ALL\r\n", "OR ALL ".repeat(n)), true),
        "search OR (first)" => (
            format!("a SEARCH {}ALL{}\r\n", "OR ".repeat(n), " SEEN".repeat(n)),
            true,
        ),
        "search parentheses" => (
            format!("a SEARCH {}ALL{}\r\n", "(".repeat(n), ")".repeat(n)),
            true,
        ),
        // tagged-ext-val = tagged-ext-simple / "(" [tagged-ext-comp] ")"
        "LIST-EXTENDED" => (
            format!(
                "* LIST () \"/\" x (\"CHILDINFO\" {}a{})\r\n",
                "(".repeat(n),
                ")".repeat(n)
            ),
            false,
        ),
        "ESEARCH" => (
            format!("* ESEARCH X-EXT {}1{}\r\n", "(".repeat(n), ")".repeat(n)),
            false,
        ),
        other => panic!("{other}"),
    }
}

const PRODUCTIONS: [&str; 9] = [
    "multipart",
    "message/rfc822",
    "body-extension",
    "search NOT",
    "search OR",
    "search OR (first)",
    "search parentheses",
    "LIST-EXTENDED",
    "ESEARCH",
];

/// Everything a caller may do with a decoded value, on a small stack.
fn exercise(production: &'static str, levels: usize, max_depth: usize) -> Result<(), DecodeError> {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            let (line, command) = nested(production, levels);
            let input = Bytes::from(line);
            let mut o = Options::default();
            o.max_depth = max_depth;
            let mut out = BytesMut::new();
            if command {
                let (c, used) = decode::command(&input, &o)?;
                assert_eq!(used, input.len());
                encode::command(&c, &mut out, &o).unwrap();
                let copy = c.clone();
                assert_eq!(copy, c);
                assert!(!format!("{copy:?}").is_empty());
                drop(copy.into_static());
            } else {
                let (r, used) = decode::response(&input, &o)?;
                assert_eq!(used, input.len());
                encode::response(&r, &mut out, &o).unwrap();
                if let Response::Data(Data::Fetch { items, .. }) = &r
                    && let FetchItem::BodyStructure(b) = &items[0]
                {
                    assert!(b.depth() <= levels);
                }
                let copy = r.clone();
                assert_eq!(copy, r);
                assert!(!format!("{copy:?}").is_empty());
                drop(copy.into_static());
            }
            assert_eq!(&out[..], &input[..], "{production}");
            Ok(())
        })
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn every_recursive_production_at_the_ceiling_fits_half_the_default_stack() {
    for production in PRODUCTIONS {
        exercise(production, Options::MAX_DEPTH, usize::MAX)
            .unwrap_or_else(|e| panic!("{production}: {e}"));
        match exercise(production, Options::MAX_DEPTH + 1, usize::MAX) {
            Err(DecodeError::Invalid {
                kind: ErrorKind::TooDeep,
                ..
            }) => {}
            other => panic!("{production}: {other:?}"),
        }
    }
}

#[test]
fn the_default_is_dovecots_and_under_the_ceiling() {
    let o = Options::default();
    assert_eq!(o.max_depth, 100);
    assert!(o.max_depth <= Options::MAX_DEPTH);
    for production in PRODUCTIONS {
        exercise(production, 100, o.max_depth).unwrap();
        assert!(
            exercise(production, 101, o.max_depth).is_err(),
            "{production}"
        );
    }
}

#[test]
fn a_value_built_deeper_than_the_ceiling_is_refused_by_the_encoder() {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(|| {
            let (line, _) = nested("multipart", Options::MAX_DEPTH);
            let input = Bytes::from(line);
            let mut o = Options::default();
            o.max_depth = usize::MAX;
            let Response::Data(Data::Fetch { mut items, .. }) =
                decode::response(&input, &o).unwrap().0.into_static()
            else {
                panic!()
            };
            let FetchItem::BodyStructure(b) = items.remove(0) else {
                panic!()
            };
            let BodyStructure::Multi { subtype, .. } = &b else {
                panic!()
            };
            let deeper = BodyStructure::Multi {
                subtype: subtype.clone(),
                parts: vec![b],
                ext: None,
            };
            assert_eq!(deeper.depth(), Options::MAX_DEPTH + 1);
            let r = Response::Data(Data::Fetch {
                seq: 1,
                items: vec![FetchItem::BodyStructure(deeper)],
            });
            assert!(encode::response(&r, &mut BytesMut::new(), &o).is_err());
        })
        .unwrap()
        .join()
        .unwrap();
}
