//! A TURN client for the call's peer (RFC 8656 over UDP, long-term credentials; str0m has none): a field
//! office or a phone behind NAT reaches the other side through a relay (coturn) on the Polda's server.
//!
//! [`allocate`] asks the server for a relayed address over the peer's own UDP socket (the first request is
//! answered 401 with the realm and a nonce; the second carries the credentials' MESSAGE-INTEGRITY), and the peer
//! offers that address as a relay candidate. From then on a [`Relay`] wraps what str0m sends from the relayed
//! address in Send indications to the server — asking first for a permission for the other side's address —
//! and unwraps the server's Data indications into what str0m receives on it; it refreshes the allocation and
//! the permissions before they lapse, follows a stale nonce, and gives the allocation back on hang-up.
//!
//! The STUN message codec here is what TURN needs and no more: attributes as raw values, XOR addresses,
//! MESSAGE-INTEGRITY (HMAC-SHA1) on what the client sends; what the server answers is read whatever it holds.

use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::Signer;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::{Duration, Instant};
use tokio::net::UdpSocket;

/// A TURN server and the long-term credentials this side uses there.
#[derive(Clone, PartialEq, Eq)]
pub struct TurnServer {
    /// Its UDP address.
    pub addr: SocketAddr,
    /// The user name.
    pub username: String,
    /// The password (never shown in `Debug`).
    pub password: String,
}

impl std::fmt::Debug for TurnServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TurnServer")
            .field("addr", &self.addr)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// Why no relayed address was had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TurnError {
    /// No answer from the server.
    #[error("the TURN server {0} did not answer")]
    NoAnswer(SocketAddr),
    /// The server refused (a wrong password: 401 again; a quota: 486; …).
    #[error("the TURN server refused: {code} {reason}")]
    Refused {
        /// The STUN error code.
        code: u16,
        /// Its reason phrase.
        reason: String,
    },
    /// An answer that is not what TURN promises.
    #[error("the TURN server's answer: {0}")]
    BadAnswer(&'static str),
    /// The socket failed.
    #[error("the call's UDP socket: {0}")]
    Socket(String),
}

const MAGIC: u32 = 0x2112_A442;
const HEADER: usize = 20;

const ALLOCATE: u16 = 0x003;
const REFRESH: u16 = 0x004;
const SEND: u16 = 0x006;
const DATA: u16 = 0x007;
const CREATE_PERMISSION: u16 = 0x008;

const REQUEST: u16 = 0x000;
const INDICATION: u16 = 0x010;
const SUCCESS: u16 = 0x100;
const ERROR: u16 = 0x110;

const USERNAME: u16 = 0x0006;
const MESSAGE_INTEGRITY: u16 = 0x0008;
const ERROR_CODE: u16 = 0x0009;
const LIFETIME: u16 = 0x000D;
const XOR_PEER_ADDRESS: u16 = 0x0012;
const DATA_ATTR: u16 = 0x0013;
const REALM: u16 = 0x0014;
const NONCE: u16 = 0x0015;
const XOR_RELAYED_ADDRESS: u16 = 0x0016;
const REQUESTED_TRANSPORT: u16 = 0x0019;

/// UDP, as REQUESTED-TRANSPORT names it (protocol number 17, then three reserved bytes).
const UDP_TRANSPORT: [u8; 4] = [17, 0, 0, 0];

/// A STUN message: its method and class, transaction id and attributes (type, raw value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Message {
    method: u16,
    class: u16,
    txid: [u8; 12],
    attrs: Vec<(u16, Vec<u8>)>,
}

impl Message {
    fn new(method: u16, class: u16) -> Message {
        let mut txid = [0u8; 12];
        // A transaction id only needs to be unpredictable enough not to collide; the clock is a fallback.
        if openssl::rand::rand_bytes(&mut txid).is_err() {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos();
            txid.copy_from_slice(&now.to_be_bytes()[4..]);
        }
        Message {
            method,
            class,
            txid,
            attrs: Vec::new(),
        }
    }

    fn with(mut self, kind: u16, value: impl Into<Vec<u8>>) -> Message {
        self.attrs.push((kind, value.into()));
        self
    }

    fn attr(&self, kind: u16) -> Option<&[u8]> {
        self.attrs
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, v)| v.as_slice())
    }

    /// The message's bytes; with `key`, MESSAGE-INTEGRITY last.
    fn encode(&self, key: Option<&[u8]>) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + 64);
        out.extend_from_slice(&(self.method | self.class).to_be_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&MAGIC.to_be_bytes());
        out.extend_from_slice(&self.txid);
        for (kind, value) in &self.attrs {
            out.extend_from_slice(&kind.to_be_bytes());
            out.extend_from_slice(&(value.len() as u16).to_be_bytes());
            out.extend_from_slice(value);
            out.resize(out.len().next_multiple_of(4), 0);
        }
        if let Some(key) = key {
            // The length covers the integrity attribute (4 + 20 bytes) while it is computed.
            let length = (out.len() - HEADER + 24) as u16;
            out[2..4].copy_from_slice(&length.to_be_bytes());
            let mac = hmac_sha1(key, &out);
            out.extend_from_slice(&MESSAGE_INTEGRITY.to_be_bytes());
            out.extend_from_slice(&20u16.to_be_bytes());
            out.extend_from_slice(&mac);
        }
        let length = (out.len() - HEADER) as u16;
        out[2..4].copy_from_slice(&length.to_be_bytes());
        out
    }

    /// Reads a STUN message (`None`: not one — media, ChannelData, garbage).
    fn decode(bytes: &[u8]) -> Option<Message> {
        if bytes.len() < HEADER || bytes[0] & 0xC0 != 0 {
            return None;
        }
        let kind = u16::from_be_bytes([bytes[0], bytes[1]]);
        let length = usize::from(u16::from_be_bytes([bytes[2], bytes[3]]));
        if u32::from_be_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) != MAGIC
            || length % 4 != 0
            || HEADER + length > bytes.len()
        {
            return None;
        }
        let mut txid = [0u8; 12];
        txid.copy_from_slice(&bytes[8..20]);
        let mut attrs = Vec::new();
        let mut at = HEADER;
        while at + 4 <= HEADER + length {
            let attr = u16::from_be_bytes([bytes[at], bytes[at + 1]]);
            let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
            let value = bytes.get(at + 4..at + 4 + len)?;
            attrs.push((attr, value.to_vec()));
            at = (at + 4 + len).next_multiple_of(4);
        }
        Some(Message {
            method: kind & !0x0110,
            class: kind & 0x0110,
            txid,
            attrs,
        })
    }

    /// The error code and reason of an error response.
    fn error(&self) -> Option<(u16, String)> {
        let value = self.attr(ERROR_CODE)?;
        if value.len() < 4 {
            return None;
        }
        let code = u16::from(value[2] & 0x07) * 100 + u16::from(value[3]);
        Some((code, String::from_utf8_lossy(&value[4..]).into_owned()))
    }
}

fn hmac_sha1(key: &[u8], data: &[u8]) -> Vec<u8> {
    PKey::hmac(key)
        .and_then(|pkey| {
            let mut signer = Signer::new(MessageDigest::sha1(), &pkey)?;
            signer.update(data)?;
            signer.sign_to_vec()
        })
        .unwrap_or_default()
}

/// The long-term credential key: MD5 of `username:realm:password`.
fn long_term_key(username: &str, realm: &str, password: &str) -> Vec<u8> {
    openssl::hash::hash(
        MessageDigest::md5(),
        format!("{username}:{realm}:{password}").as_bytes(),
    )
    .map(|digest| digest.to_vec())
    .unwrap_or_default()
}

/// An address as XOR-…-ADDRESS carries it.
fn xor_address(addr: SocketAddr, txid: &[u8; 12]) -> Vec<u8> {
    let mut out = vec![0];
    let port = addr.port() ^ (MAGIC >> 16) as u16;
    match addr.ip() {
        IpAddr::V4(ip) => {
            out.push(0x01);
            out.extend_from_slice(&port.to_be_bytes());
            out.extend_from_slice(&(u32::from(ip) ^ MAGIC).to_be_bytes());
        }
        IpAddr::V6(ip) => {
            out.push(0x02);
            out.extend_from_slice(&port.to_be_bytes());
            let mut mask = [0u8; 16];
            mask[..4].copy_from_slice(&MAGIC.to_be_bytes());
            mask[4..].copy_from_slice(txid);
            let octets = ip.octets();
            out.extend(octets.iter().zip(mask).map(|(a, m)| a ^ m));
        }
    }
    out
}

fn read_xor_address(value: &[u8], txid: &[u8; 12]) -> Option<SocketAddr> {
    let port = u16::from_be_bytes([*value.get(2)?, *value.get(3)?]) ^ (MAGIC >> 16) as u16;
    match value.get(1)? {
        0x01 => {
            let raw = u32::from_be_bytes(value.get(4..8)?.try_into().ok()?);
            Some(SocketAddr::new(IpAddr::V4(Ipv4Addr::from(raw ^ MAGIC)), port))
        }
        0x02 => {
            let mut mask = [0u8; 16];
            mask[..4].copy_from_slice(&MAGIC.to_be_bytes());
            mask[4..].copy_from_slice(txid);
            let raw: [u8; 16] = value.get(4..20)?.try_into().ok()?;
            let mut octets = [0u8; 16];
            for (i, byte) in octets.iter_mut().enumerate() {
                *byte = raw[i] ^ mask[i];
            }
            Some(SocketAddr::new(IpAddr::V6(Ipv6Addr::from(octets)), port))
        }
        _ => None,
    }
}

/// How often a request is sent again while no answer comes, and how many times.
const RETRANSMIT_EVERY: Duration = Duration::from_millis(400);
const ATTEMPTS: u32 = 8;
/// A permission lasts 300 s at the server; it is asked for again after this.
const PERMISSION_REFRESH: Duration = Duration::from_secs(240);

/// Sends `request` to the server until its answer comes; other packets that arrive meanwhile are dropped (nothing
/// else talks to this socket before the call is set up).
async fn transact(
    socket: &UdpSocket,
    server: SocketAddr,
    request: &[u8],
    txid: &[u8; 12],
) -> Result<Message, TurnError> {
    let mut buf = vec![0u8; 2048];
    for _ in 0..ATTEMPTS {
        socket
            .send_to(request, server)
            .await
            .map_err(|e| TurnError::Socket(e.to_string()))?;
        let deadline = tokio::time::Instant::now() + RETRANSMIT_EVERY;
        while let Ok(received) = tokio::time::timeout_at(deadline, socket.recv_from(&mut buf)).await {
            let Ok((n, from)) = received else { continue };
            if from != server {
                continue;
            }
            if let Some(answer) = Message::decode(&buf[..n]).filter(|m| &m.txid == txid) {
                return Ok(answer);
            }
        }
    }
    Err(TurnError::NoAnswer(server))
}

/// Asks `server` for a relayed address on `socket`; the relay that keeps it.
pub(crate) async fn allocate(socket: &UdpSocket, server: &TurnServer) -> Result<Relay, TurnError> {
    let first = Message::new(ALLOCATE, REQUEST).with(REQUESTED_TRANSPORT, UDP_TRANSPORT);
    let answer = transact(socket, server.addr, &first.encode(None), &first.txid).await?;
    let (mut realm, mut nonce) = match (answer.class, answer.error()) {
        (ERROR, Some((401, _))) => (
            answer
                .attr(REALM)
                .ok_or(TurnError::BadAnswer("no realm"))?
                .to_vec(),
            answer
                .attr(NONCE)
                .ok_or(TurnError::BadAnswer("no nonce"))?
                .to_vec(),
        ),
        (ERROR, Some((code, reason))) => return Err(TurnError::Refused { code, reason }),
        _ => return Err(TurnError::BadAnswer("an allocation without credentials")),
    };
    // Once more when the nonce went stale in between.
    for _ in 0..2 {
        let key = long_term_key(
            &server.username,
            &String::from_utf8_lossy(&realm),
            &server.password,
        );
        let request = Message::new(ALLOCATE, REQUEST)
            .with(REQUESTED_TRANSPORT, UDP_TRANSPORT)
            .with(USERNAME, server.username.as_bytes())
            .with(REALM, realm.clone())
            .with(NONCE, nonce.clone());
        let answer = transact(socket, server.addr, &request.encode(Some(&key)), &request.txid).await?;
        match (answer.class, answer.error()) {
            (SUCCESS, _) => {
                let relayed = answer
                    .attr(XOR_RELAYED_ADDRESS)
                    .and_then(|v| read_xor_address(v, &answer.txid))
                    .ok_or(TurnError::BadAnswer("no relayed address"))?;
                let lifetime = answer
                    .attr(LIFETIME)
                    .and_then(|v| v.try_into().ok())
                    .map_or(600, u32::from_be_bytes);
                return Ok(Relay {
                    server: server.addr,
                    username: server.username.clone(),
                    relayed,
                    key,
                    realm,
                    nonce,
                    refresh_at: Instant::now() + Duration::from_secs(u64::from(lifetime / 2).max(30)),
                    permissions: HashMap::new(),
                });
            }
            (ERROR, Some((438, _))) => {
                nonce = answer.attr(NONCE).map(<[u8]>::to_vec).unwrap_or(nonce);
                realm = answer.attr(REALM).map(<[u8]>::to_vec).unwrap_or(realm);
            }
            (ERROR, Some((code, reason))) => return Err(TurnError::Refused { code, reason }),
            _ => return Err(TurnError::BadAnswer("neither success nor error")),
        }
    }
    Err(TurnError::BadAnswer("the nonce went stale twice"))
}

/// An allocation at a TURN server, kept alive by the peer's driver.
#[derive(Debug)]
pub(crate) struct Relay {
    server: SocketAddr,
    username: String,
    /// The relayed address: this side's relay candidate.
    relayed: SocketAddr,
    key: Vec<u8>,
    realm: Vec<u8>,
    nonce: Vec<u8>,
    refresh_at: Instant,
    /// When each peer address's permission was last asked for.
    permissions: HashMap<IpAddr, Instant>,
}

/// What came from the TURN server.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum FromServer {
    /// Data the other side sent to the relayed address.
    Data {
        /// The other side's address.
        peer: SocketAddr,
        /// The packet.
        data: Vec<u8>,
    },
    /// An answer to a refresh or a permission (a stale nonce is taken in).
    Handled,
}

impl Relay {
    /// The server's address.
    pub(crate) fn server(&self) -> SocketAddr {
        self.server
    }

    /// The relayed address (the relay candidate's).
    pub(crate) fn relayed(&self) -> SocketAddr {
        self.relayed
    }

    fn signed(&self, message: Message) -> Vec<u8> {
        message
            .with(USERNAME, self.username.as_bytes())
            .with(REALM, self.realm.clone())
            .with(NONCE, self.nonce.clone())
            .encode(Some(&self.key))
    }

    fn create_permission(&self, peer: IpAddr) -> Vec<u8> {
        let message = Message::new(CREATE_PERMISSION, REQUEST);
        let address = xor_address(SocketAddr::new(peer, 0), &message.txid);
        self.signed(message.with(XOR_PEER_ADDRESS, address))
    }

    /// The packets to send to the server so that `data` reaches `peer` from the relayed address: a permission
    /// request first when `peer`'s has not been asked for (or is due again), then the Send indication.
    pub(crate) fn wrap(&mut self, peer: SocketAddr, data: &[u8], now: Instant) -> Vec<Vec<u8>> {
        let mut out = Vec::with_capacity(2);
        let due = self
            .permissions
            .get(&peer.ip())
            .is_none_or(|asked| now.duration_since(*asked) > PERMISSION_REFRESH);
        if due {
            self.permissions.insert(peer.ip(), now);
            out.push(self.create_permission(peer.ip()));
        }
        let message = Message::new(SEND, INDICATION);
        let address = xor_address(peer, &message.txid);
        out.push(
            message
                .with(XOR_PEER_ADDRESS, address)
                .with(DATA_ATTR, data)
                .encode(None),
        );
        out
    }

    /// Reads a packet from the server (`None`: not STUN from TURN's side — ignore it).
    pub(crate) fn unwrap(&mut self, packet: &[u8]) -> Option<FromServer> {
        let message = Message::decode(packet)?;
        match (message.method, message.class) {
            (DATA, INDICATION) => {
                let peer = read_xor_address(message.attr(XOR_PEER_ADDRESS)?, &message.txid)?;
                Some(FromServer::Data {
                    peer,
                    data: message.attr(DATA_ATTR)?.to_vec(),
                })
            }
            (_, ERROR) => {
                if let Some((438, _)) = message.error() {
                    // A stale nonce: take the new one; the refresh and the permissions are asked again.
                    if let Some(nonce) = message.attr(NONCE) {
                        self.nonce = nonce.to_vec();
                    }
                    self.refresh_at = Instant::now();
                    self.permissions.clear();
                }
                Some(FromServer::Handled)
            }
            _ => Some(FromServer::Handled),
        }
    }

    /// The refreshes due at `now` (the allocation at half its lifetime, the permissions before theirs end).
    pub(crate) fn due(&mut self, now: Instant) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        if now >= self.refresh_at {
            self.refresh_at = now + Duration::from_secs(300);
            out.push(self.signed(Message::new(REFRESH, REQUEST).with(LIFETIME, 600u32.to_be_bytes())));
        }
        let stale: Vec<IpAddr> = self
            .permissions
            .iter()
            .filter(|(_, asked)| now.duration_since(**asked) > PERMISSION_REFRESH)
            .map(|(ip, _)| *ip)
            .collect();
        for ip in stale {
            self.permissions.insert(ip, now);
            out.push(self.create_permission(ip));
        }
        out
    }

    /// The request that gives the allocation back (a refresh to lifetime 0).
    pub(crate) fn release(&self) -> Vec<u8> {
        self.signed(Message::new(REFRESH, REQUEST).with(LIFETIME, 0u32.to_be_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_round_trips_with_its_integrity_over_what_precedes_it() {
        let key = long_term_key("user", "realm", "pass");
        assert_eq!(
            key,
            openssl::hash::hash(MessageDigest::md5(), b"user:realm:pass")
                .unwrap()
                .to_vec()
        );
        let message = Message::new(ALLOCATE, REQUEST)
            .with(REQUESTED_TRANSPORT, UDP_TRANSPORT)
            .with(USERNAME, &b"siaga"[..]);
        let bytes = message.encode(Some(&key));
        assert_eq!(bytes.len() % 4, 0);
        let read = Message::decode(&bytes).unwrap();
        assert_eq!(
            (read.method, read.class, read.txid),
            (ALLOCATE, REQUEST, message.txid)
        );
        assert_eq!(read.attr(USERNAME), Some(&b"siaga"[..]));
        // The integrity is the HMAC-SHA1 of everything before it, with the length counting it.
        let mac = read.attr(MESSAGE_INTEGRITY).unwrap();
        let mut signed = bytes[..bytes.len() - 24].to_vec();
        let length = (bytes.len() - HEADER) as u16;
        signed[2..4].copy_from_slice(&length.to_be_bytes());
        assert_eq!(mac, hmac_sha1(&key, &signed).as_slice());
    }

    #[test]
    fn xor_addresses_read_back_in_both_families() {
        let txid = [7u8; 12];
        for addr in ["127.0.0.1:49152", "[2001:db8::1]:3478"] {
            let addr: SocketAddr = addr.parse().unwrap();
            assert_eq!(read_xor_address(&xor_address(addr, &txid), &txid), Some(addr));
        }
    }

    #[test]
    fn what_is_not_stun_is_not_read_as_stun() {
        assert_eq!(Message::decode(&[0x80; 40]), None, "RTP");
        assert_eq!(Message::decode(&[0x40, 0, 0, 4, 1, 2, 3, 4]), None, "ChannelData");
        assert_eq!(Message::decode(&[0; 19]), None);
        let mut truncated = Message::new(DATA, INDICATION)
            .with(DATA_ATTR, vec![1; 100])
            .encode(None);
        truncated.truncate(60);
        assert_eq!(Message::decode(&truncated), None);
    }

    #[test]
    fn a_send_goes_after_its_permission_and_data_comes_back_unwrapped() {
        let mut relay = Relay {
            server: "127.0.0.1:3478".parse().unwrap(),
            username: "siaga".into(),
            relayed: "127.0.0.1:50000".parse().unwrap(),
            key: long_term_key("siaga", "r", "p"),
            realm: b"r".to_vec(),
            nonce: b"n".to_vec(),
            refresh_at: Instant::now() + Duration::from_secs(300),
            permissions: HashMap::new(),
        };
        let peer: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        let now = Instant::now();
        let first = relay.wrap(peer, b"media", now);
        assert_eq!(first.len(), 2, "a permission, then the data");
        let permission = Message::decode(&first[0]).unwrap();
        assert_eq!(
            (permission.method, permission.class),
            (CREATE_PERMISSION, REQUEST)
        );
        let send = Message::decode(&first[1]).unwrap();
        assert_eq!(
            read_xor_address(send.attr(XOR_PEER_ADDRESS).unwrap(), &send.txid),
            Some(peer)
        );
        assert_eq!(send.attr(DATA_ATTR), Some(&b"media"[..]));
        assert_eq!(relay.wrap(peer, b"more", now).len(), 1, "the permission stands");

        let data = Message::new(DATA, INDICATION);
        let address = xor_address(peer, &data.txid);
        let data = data
            .with(XOR_PEER_ADDRESS, address)
            .with(DATA_ATTR, &b"back"[..])
            .encode(None);
        assert_eq!(
            relay.unwrap(&data),
            Some(FromServer::Data {
                peer,
                data: b"back".to_vec()
            })
        );
        assert!(relay.due(now).is_empty());
        assert_eq!(
            relay.due(now + Duration::from_secs(301)).len(),
            2,
            "refresh and permission"
        );
    }
}
