"""The Content-Security-Policy and other headers of every HTML page the server answers
(review UI, sign-in, password and token pages, error pages).

Replays are untrusted pages rendered inside our own: rrweb's iframe is sandboxed
without ``allow-scripts`` and inherits this policy, so recorded scripts cannot run
twice over. Recorded stylesheets, fonts and images may come from any http(s) origin
(the recorded site) until the server has cached copies; scripts, connections and
forms stay on our origin. No other site may frame any page (``frame-ancestors 'none'``
and ``X-Frame-Options: DENY`` for older browsers): the replay iframes are our own
documents inside our pages, not pages of ours framed by someone else.
"""

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline' http: https:",  # rrweb rebuilds recorded <style> and style attributes
    "img-src 'self' data: blob: http: https:",
    "font-src 'self' data: http: https:",
    "media-src 'self' data: blob: http: https:",
    "connect-src 'self'",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def add_page_headers(response):
    """After every request: the policy on HTML answers (a route may set its own first,
    as the live room does), no framing, no sniffing, same-origin referrers."""
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response
