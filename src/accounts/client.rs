//! The client address failed logins are counted against: the peer address, or the
//! first `X-Forwarded-For` entry when `server.trust_forwarded_for` says a proxy in
//! front sets it (a client can write that header itself, so it is ignored otherwise).
use std::{
    convert::Infallible,
    fmt,
    net::{IpAddr, Ipv6Addr, SocketAddr},
};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, request::Parts},
};

use crate::state::AppState;

/// A client address as a throttling bucket: an IPv4 address, or the /64 network
/// of an IPv6 one (a single client commonly holds a whole /64).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(String);

impl ClientAddress {
    /// From the peer address (absent when the server runs without connection
    /// info) and the request headers.
    pub fn of(peer: Option<IpAddr>, headers: &HeaderMap, trust_forwarded_for: bool) -> Self {
        let forwarded = trust_forwarded_for
            .then(|| first_forwarded_for(headers))
            .flatten();
        match forwarded.or(peer) {
            Some(ip) => Self::from_ip(ip),
            None => Self("unknown".to_owned()),
        }
    }

    pub fn from_ip(ip: IpAddr) -> Self {
        match ip.to_canonical() {
            IpAddr::V4(v4) => Self(v4.to_string()),
            IpAddr::V6(v6) => {
                let [a, b, c, d, ..] = v6.segments();
                Self(format!("{}/64", Ipv6Addr::new(a, b, c, d, 0, 0, 0, 0)))
            }
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The first entry of `X-Forwarded-For`: an address, possibly with a port.
fn first_forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let first = headers
        .get("x-forwarded-for")?
        .to_str()
        .ok()?
        .split(',')
        .next()?
        .trim();
    first
        .parse::<IpAddr>()
        .ok()
        .or_else(|| first.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        Ok(Self::of(
            peer,
            &parts.headers,
            state.settings.server.trust_forwarded_for,
        ))
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn forwarded(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn the_peer_counts_unless_the_proxy_is_trusted() {
        let peer = Some("192.0.2.7".parse().expect("ip"));
        let headers = forwarded("203.0.113.9, 10.0.0.1");
        assert_eq!(
            ClientAddress::of(peer, &headers, false).as_str(),
            "192.0.2.7"
        );
        assert_eq!(
            ClientAddress::of(peer, &headers, true).as_str(),
            "203.0.113.9"
        );
        assert_eq!(
            ClientAddress::of(peer, &forwarded("not an address"), true).as_str(),
            "192.0.2.7"
        );
        assert_eq!(
            ClientAddress::of(None, &forwarded("[2001:db8::1]:443"), true).as_str(),
            "2001:db8::/64"
        );
    }

    #[test]
    fn ipv6_counts_by_network_and_mapped_ipv4_as_ipv4() {
        let a = ClientAddress::from_ip("2001:db8:1:2:aaaa::1".parse().expect("ip"));
        let b = ClientAddress::from_ip("2001:db8:1:2:bbbb::2".parse().expect("ip"));
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "2001:db8:1:2::/64");
        let mapped = ClientAddress::from_ip("::ffff:192.0.2.1".parse().expect("ip"));
        assert_eq!(mapped.as_str(), "192.0.2.1");
    }
}
