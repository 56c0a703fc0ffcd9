"""The Content-Security-Policy of review UI pages.

Replays are untrusted pages rendered inside our own: rrweb's iframe is sandboxed
without ``allow-scripts`` and inherits this policy, so recorded scripts cannot run
twice over. Recorded stylesheets, fonts and images may come from any http(s) origin
(the recorded site) until the server has cached copies; scripts, connections and
forms stay on our origin.
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
