"""Replay fidelity: the stylesheets and fonts of recorded sites, cached by the server
so a replay keeps its look after the site changes.

- ``analysis.asset_refs``: which stylesheet and font URLs events and CSS refer to (pure);
- ``fetch``: GET a stylesheet or font under the outbound policy (``server/outbound.py``);
- ``cache``: fetch what a session needs once, keep it (CachedAsset rows + blobs), and
  tell the player which URLs it may rewrite to ``/api/v1/assets/<hash>``.
"""
