//! The TLS records beneath a kept-alive connection, followed where rustls cannot be asked.
//!
//! Before a pooled connection carries another request it is probed: bytes that arrived after the last answer
//! come from a server that sent what nobody asked for, and must never be read as the answer to the next
//! payment. Over TLS, ureq's probe asks only the TCP socket. Bytes already read from the socket but not yet
//! handed to rustls (left in the TCP transport's buffer), or handed to it as part of a record that is not yet
//! complete, escape it: a server that sent a stale answer in the same flight as a real one had the stale one
//! taken as the answer to the next payment (tests/hostile/tls.rs). [`BelowTls`] sits between TCP and rustls,
//! follows the record framing of every byte received, and calls the connection closed unless everything
//! received went up to rustls and ends a whole record. What rustls decrypts goes on to ureq's own input buffer
//! in the same read (one read decrypts at most a record and 4 KiB, far less than that buffer), where ureq
//! itself refuses to pool a connection with bytes left over.

use ureq::unversioned::transport::{Buffers, NextTimeout, Transport};

/// A transport beneath rustls that knows whether the bytes received so far end a whole TLS record.
#[derive(Debug)]
pub struct BelowTls<T> {
    inner: T,
    framing: Framing,
}

impl<T: Transport> BelowTls<T> {
    pub fn new(mut inner: T) -> BelowTls<T> {
        let mut framing = Framing::default();
        // Whatever the layers below left in the buffer (nothing, after a proxy's CONNECT answer) is TLS too.
        framing.feed(inner.buffers().input());
        BelowTls { inner, framing }
    }
}

impl<T: Transport> Transport for BelowTls<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.inner.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        // What rustls has not taken yet stays at the front of the buffer: the new bytes are what follows it.
        let before = self.inner.buffers().input().len();
        let progress = self.inner.await_input(timeout)?;
        let input = self.inner.buffers().input();
        self.framing.feed(&input[before.min(input.len())..]);
        Ok(progress)
    }

    fn is_open(&mut self) -> bool {
        self.inner.buffers().input().is_empty() && self.framing.at_record_end() && self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

/// Where the received bytes stand in the TLS record layer: a record is a 5-byte header (type, version, a
/// 16-bit length) and that many bytes.
#[derive(Debug, Default, Clone, Copy)]
struct Framing {
    header: [u8; 5],
    header_len: usize,
    body_left: usize,
}

impl Framing {
    fn feed(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            if self.body_left > 0 {
                let taken = self.body_left.min(bytes.len());
                self.body_left -= taken;
                bytes = &bytes[taken..];
            } else {
                let taken = (self.header.len() - self.header_len).min(bytes.len());
                self.header[self.header_len..self.header_len + taken].copy_from_slice(&bytes[..taken]);
                self.header_len += taken;
                bytes = &bytes[taken..];
                if self.header_len == self.header.len() {
                    self.body_left = usize::from(u16::from_be_bytes([self.header[3], self.header[4]]));
                    self.header_len = 0;
                }
            }
        }
    }

    fn at_record_end(&self) -> bool {
        self.header_len == 0 && self.body_left == 0
    }
}

#[cfg(test)]
mod tests {
    use super::Framing;

    fn record(len: u16) -> Vec<u8> {
        let mut out = vec![0x17, 0x03, 0x03];
        out.extend(len.to_be_bytes());
        out.extend(std::iter::repeat_n(0xAB, len.into()));
        out
    }

    #[test]
    fn whole_records_end_at_a_record_end_however_they_arrive() {
        let mut flight = record(300);
        flight.extend(record(0));
        flight.extend(record(16_401));
        for piece in [1, 2, 4, 5, 6, 299, 4096, flight.len()] {
            let mut framing = Framing::default();
            assert!(framing.at_record_end());
            for chunk in flight.chunks(piece) {
                framing.feed(chunk);
            }
            assert!(framing.at_record_end(), "in pieces of {piece}");
        }
    }

    #[test]
    fn a_record_cut_anywhere_is_not_at_its_end() {
        let mut flight = record(300);
        flight.extend(record(200));
        let first_end = 305;
        for cut in 1..flight.len() {
            let mut framing = Framing::default();
            framing.feed(&flight[..cut]);
            assert_eq!(framing.at_record_end(), cut == first_end, "cut after {cut} bytes");
        }
    }
}
