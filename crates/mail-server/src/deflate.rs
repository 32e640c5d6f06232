//! COMPRESS=DEFLATE (RFC 4978) in the connection layer: raw DEFLATE (RFC
//! 1951, no zlib header) both ways, above TLS when TLS is on.
//!
//! The protocol machine says where compression starts (IMAP's
//! `Event::CompressionStarted`, right after its `OK` has left); from then on
//! [`Connection`](crate::connection::Connection) deflates every octet it
//! writes and inflates every octet it reads. Output is sync-flushed at the
//! end of each burst (RFC 4978 §4: "the server MUST ... flush ... at the end
//! of each response"), so a client never waits on octets held in the
//! compressor. Input is inflated at most one read buffer at a time, so a
//! small compressed input cannot make the session hold a large output.

use std::io;

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

/// The two DEFLATE streams of a connection.
pub(crate) struct Deflate {
    compress: Compress,
    decompress: Decompress,
    /// Compressed input read and not inflated yet.
    pending_in: Vec<u8>,
    /// Compressed output not written yet, from `written` on.
    out: Vec<u8>,
    written: usize,
}

impl Deflate {
    /// New streams; `input` is what the client sent compressed before the
    /// switch was noticed (IMAP's `CompressionStarted { input }`).
    pub(crate) fn new(input: &[u8]) -> Self {
        Self {
            // Dovecot's imap_zlib default level is 6, flate2's default.
            compress: Compress::new(Compression::default(), false),
            decompress: Decompress::new(false),
            pending_in: input.to_vec(),
            out: Vec::new(),
            written: 0,
        }
    }

    /// Whether compressed output waits to be written.
    pub(crate) fn has_output(&self) -> bool {
        self.written < self.out.len()
    }

    /// The compressed output waiting to be written.
    pub(crate) fn output(&self) -> &[u8] {
        &self.out[self.written..]
    }

    /// `n` octets of [`output`](Self::output) were written.
    pub(crate) fn advance(&mut self, n: usize) {
        self.written += n;
        if self.written >= self.out.len() {
            self.out.clear();
            self.written = 0;
        }
    }

    /// Compresses `input`; with `flush`, ends the burst with a sync flush so
    /// everything so far can be inflated by the client.
    pub(crate) fn deflate(&mut self, mut input: &[u8], flush: bool) -> io::Result<()> {
        let mode = if flush {
            FlushCompress::Sync
        } else {
            FlushCompress::None
        };
        loop {
            if self.out.capacity() - self.out.len() < 256 {
                self.out.reserve(input.len().clamp(4096, 64 * 1024));
            }
            let before = self.compress.total_in();
            self.compress
                .compress_vec(input, &mut self.out, mode)
                .map_err(io::Error::other)?;
            let used =
                usize::try_from(self.compress.total_in() - before).map_err(io::Error::other)?;
            input = &input[used..];
            // Done when everything went in and the compressor stopped short
            // of filling the buffer (so it had nothing more to give).
            if input.is_empty() && self.out.len() < self.out.capacity() {
                return Ok(());
            }
        }
    }

    /// Compressed octets from the socket, to inflate.
    pub(crate) fn push_input(&mut self, data: &[u8]) {
        self.pending_in.extend_from_slice(data);
    }

    /// Inflates pending input into `buf`; returns how many octets came out
    /// (0: more compressed input is needed).
    pub(crate) fn inflate(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pending_in.is_empty() {
            return Ok(0);
        }
        let (before_in, before_out) = (self.decompress.total_in(), self.decompress.total_out());
        let status = self
            .decompress
            .decompress(&self.pending_in, buf, FlushDecompress::Sync)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        let used =
            usize::try_from(self.decompress.total_in() - before_in).map_err(io::Error::other)?;
        let made =
            usize::try_from(self.decompress.total_out() - before_out).map_err(io::Error::other)?;
        self.pending_in.drain(..used);
        if status == Status::StreamEnd && !self.pending_in.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "octets after the end of the DEFLATE stream",
            ));
        }
        if made == 0 && used == 0 && !self.pending_in.is_empty() && status == Status::BufError {
            // The stream wants more input than the rest of this block.
            return Ok(0);
        }
        Ok(made)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_inflates_whole_after_each_sync_flush() {
        let mut server = Deflate::new(&[]);
        let mut client_in = Decompress::new(false);
        let mut text = Vec::new();
        for burst in [&b"* OK first\r\n"[..], b"A1 OK done\r\n"] {
            server.deflate(burst, false).unwrap();
            server.deflate(b"", true).unwrap();
            let wire = server.output().to_vec();
            server.advance(wire.len());
            assert!(!server.has_output());
            let mut out = vec![0; 1024];
            let before = client_in.total_out() as usize;
            client_in
                .decompress(&wire, &mut out, FlushDecompress::Sync)
                .unwrap();
            let n = client_in.total_out() as usize - before;
            // Each burst is readable in full right after its flush.
            assert_eq!(&out[..n], burst);
            text.extend_from_slice(&out[..n]);
        }
        assert_eq!(text, b"* OK first\r\nA1 OK done\r\n");
    }

    #[test]
    fn input_inflates_a_buffer_at_a_time() {
        // 100 000 octets of commands compress to little; they come out in
        // 4 096-octet pieces, never all at once.
        let plain: Vec<u8> = b"A1 NOOP\r\n"
            .iter()
            .copied()
            .cycle()
            .take(100_000)
            .collect();
        let mut client = Compress::new(Compression::default(), false);
        let mut wire = Vec::with_capacity(200_000);
        client
            .compress_vec(&plain, &mut wire, FlushCompress::Sync)
            .unwrap();
        assert!(wire.len() < 2_000);
        let (first, rest) = wire.split_at(wire.len() / 2);
        let mut server = Deflate::new(first);
        let mut got = Vec::new();
        let mut buf = vec![0; 4096];
        let mut fed = false;
        loop {
            let n = server.inflate(&mut buf).unwrap();
            if n == 0 {
                if fed {
                    break;
                }
                server.push_input(rest);
                fed = true;
                continue;
            }
            assert!(n <= 4096);
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(got, plain);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let mut server = Deflate::new(&[0xff, 0xff, 0xff, 0xff, 0x00]);
        let mut buf = [0; 64];
        assert!(server.inflate(&mut buf).is_err());
    }
}
