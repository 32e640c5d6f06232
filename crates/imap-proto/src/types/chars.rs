//! Character classes of RFC 9051 §9 (and RFC 3501 §9), as one lookup table.

const ATOM: u8 = 1;
const ASTRING: u8 = 2;
const TAG: u8 = 4;
const LIST: u8 = 8;
const TEXT: u8 = 16;
const ATT_NAME: u8 = 32;
const FETCH_NAME: u8 = 64;
const QUOTED_PLAIN: u8 = 128;

/// Classes of every octet, computed at compile time from the ABNF.
static TABLE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0usize;
    while i < 256 {
        let b = i as u8;
        let mut c = 0u8;
        // CHAR = %x01-7F; TEXT-CHAR = <any CHAR except CR and LF>
        if b >= 0x01 && b <= 0x7f && b != b'\r' && b != b'\n' {
            c |= TEXT;
            // QUOTED-CHAR but the escapes: <any TEXT-CHAR except quoted-specials>
            if b != b'"' && b != b'\\' {
                c |= QUOTED_PLAIN;
            }
        }
        // atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards /
        //                 quoted-specials / resp-specials
        let ctl = b < 0x20 || b == 0x7f;
        let special = matches!(
            b,
            b'(' | b')' | b'{' | b' ' | b'%' | b'*' | b'"' | b'\\' | b']'
        );
        if b >= 0x01 && b <= 0x7f && !ctl && !special {
            c |= ATOM | ASTRING | LIST;
            // tag = 1*<any ASTRING-CHAR except "+">
            if b != b'+' {
                c |= TAG;
            }
        }
        // ASTRING-CHAR = ATOM-CHAR / resp-specials
        if b == b']' {
            c |= ASTRING | TAG | LIST;
        }
        // list-char = ATOM-CHAR / list-wildcards / resp-specials
        if b == b'%' || b == b'*' {
            c |= LIST;
        }
        // The letters, digits and dots of fetch attribute and keyword names.
        if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'=' {
            c |= FETCH_NAME;
        }
        // The letters, digits and dots of fetch attribute names alone.
        if b.is_ascii_alphanumeric() || b == b'.' {
            c |= ATT_NAME;
        }
        t[i] = c;
        i += 1;
    }
    t
};

/// `ATOM-CHAR`.
#[inline]
pub(crate) fn is_atom_char(b: u8) -> bool {
    TABLE[b as usize] & ATOM != 0
}

/// `ASTRING-CHAR = ATOM-CHAR / resp-specials`.
#[inline]
pub(crate) fn is_astring_char(b: u8) -> bool {
    TABLE[b as usize] & ASTRING != 0
}

/// The characters of a `tag`.
#[inline]
pub(crate) fn is_tag_char(b: u8) -> bool {
    TABLE[b as usize] & TAG != 0
}

/// `list-char = ATOM-CHAR / list-wildcards / resp-specials`.
#[inline]
pub(crate) fn is_list_char(b: u8) -> bool {
    TABLE[b as usize] & LIST != 0
}

/// `TEXT-CHAR` (7-bit).
#[inline]
pub(crate) fn is_text_char(b: u8) -> bool {
    TABLE[b as usize] & TEXT != 0
}

/// 7-bit `QUOTED-CHAR`s that stand for themselves.
#[inline]
pub(crate) fn is_quoted_plain(b: u8) -> bool {
    TABLE[b as usize] & QUOTED_PLAIN != 0
}

/// Letters, digits, `.`, `-` and `=`: what keywords and fetch names are made of.
#[inline]
pub(crate) fn is_name_char(b: u8) -> bool {
    TABLE[b as usize] & FETCH_NAME != 0
}

/// Letters, digits and `.`: what fetch attribute names are made of.
#[inline]
pub(crate) fn is_att_name_char(b: u8) -> bool {
    TABLE[b as usize] & ATT_NAME != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_abnf() {
        for b in [
            b'(', b')', b'{', b' ', b'%', b'*', b'"', b'\\', b']', 0, 0x1f, 0x7f, 0x80,
        ] {
            assert!(!is_atom_char(b), "{b:#x}");
        }
        assert!(is_atom_char(b'['));
        assert!(is_atom_char(b'+'));
        assert!(is_astring_char(b']'));
        assert!(!is_tag_char(b'+'));
        assert!(is_list_char(b'%') && is_list_char(b'*') && !is_list_char(b'('));
        assert!(
            is_text_char(b'"') && !is_text_char(b'\r') && !is_text_char(b'\n') && !is_text_char(0)
        );
        assert!(!is_text_char(0x80));
        assert!(
            is_quoted_plain(b'a')
                && !is_quoted_plain(b'"')
                && !is_quoted_plain(b'\\')
                && !is_quoted_plain(0x80)
        );
    }
}
