//! What every answer tells the browser, so that a page of ours runs and loads
//! nothing from elsewhere and no other site can frame it (`/act/{token}` included:
//! a framed one-click page could be clickjacked into completing a task).
use axum::{
    Router,
    http::{HeaderName, HeaderValue, header},
};
use tower_http::set_header::SetResponseHeaderLayer;

/// Scripts, styles, fonts and requests from this origin only; `data:` images only
/// for the icons inlined in Swagger UI's stylesheet. No inline script or style
/// attribute runs: the pages keep theirs in `/static`.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The same for Swagger UI, whose bundle adds one `<style>` of its own (the
/// colours of its logo): that stylesheet alone is let in, by its hash. A new
/// Swagger UI with another logo shows up in the browser test's CSP check.
pub const SWAGGER_UI_CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
     style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Other sites learn our origin at most, never a path (task ids, search words);
/// our own pages keep a full `Referer` and a real `Origin` on form posts, which a
/// stricter `no-referrer` would turn into `Origin: null`. Pages that carry a
/// credential in their URL (`/act/{token}`) set `no-referrer` themselves.
pub const REFERRER_POLICY: &str = "strict-origin-when-cross-origin";

/// Swagger UI's routes with their policy (which [`harden`] then leaves alone).
pub fn swagger_ui<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    // Its routes only: a `layer` would also reach the fallback the merge keeps.
    router.route_layer(SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(SWAGGER_UI_CONTENT_SECURITY_POLICY),
    ))
}

/// `router` with the headers on every answer, the fallback's and the errors' too.
/// A route may set a stricter `Referrer-Policy` or its own CSP; none sets a
/// looser one but Swagger UI's.
pub fn harden<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let always = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        // For browsers that predate `frame-ancestors`.
        .layer(always(header::X_FRAME_OPTIONS, "DENY"))
        .layer(always(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static(REFERRER_POLICY),
        ))
}
