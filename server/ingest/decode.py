"""Read an ingest body within fixed limits: the compressed size is capped before
reading, and gzip is inflated incrementally with a hard output cap, so a gzip bomb
costs at most MAX_DECOMPRESSED_BYTES of memory and stops there."""
from __future__ import annotations

import zlib
from typing import BinaryIO, Optional

import orjson

from server.errors import BadRequest, PayloadTooLarge, UnsupportedEncoding

# SPEC limits per batch. The SDK cuts batches at 256 KB of JSON, far below both.
MAX_COMPRESSED_BYTES = 1 << 20  # 1 MiB on the wire
MAX_DECOMPRESSED_BYTES = 16 << 20  # 16 MiB of JSON after inflating

_IDENTITY = {"", "identity", "none"}
_GZIP = {"gzip", "x-gzip"}


def read_body(stream: BinaryIO, content_length: Optional[int]) -> bytes:
    """Read at most MAX_COMPRESSED_BYTES.

    :raise PayloadTooLarge: when the declared or actual size is over the limit.
    """
    if content_length is not None and content_length > MAX_COMPRESSED_BYTES:
        raise PayloadTooLarge(f"Body of {content_length} bytes is over the {MAX_COMPRESSED_BYTES}-byte limit.")
    body = stream.read(MAX_COMPRESSED_BYTES + 1)
    if len(body) > MAX_COMPRESSED_BYTES:
        raise PayloadTooLarge(f"Body is over the {MAX_COMPRESSED_BYTES}-byte limit.")
    return body


def inflate(body: bytes, encoding: str) -> bytes:
    """Undo the content encoding, never producing more than MAX_DECOMPRESSED_BYTES.

    :raise UnsupportedEncoding: for anything but identity or gzip.
    :raise PayloadTooLarge: when the inflated body would be over the limit.
    :raise BadRequest: for a corrupt or truncated gzip stream.
    """
    encoding = encoding.strip().lower()
    if encoding in _IDENTITY:
        return body
    if encoding not in _GZIP:
        raise UnsupportedEncoding(f"Content-Encoding {encoding!r} is not supported; send identity or gzip.")
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, MAX_DECOMPRESSED_BYTES + 1)
    except zlib.error as error:
        raise BadRequest(f"Body is not valid gzip: {error}.") from None
    if len(data) > MAX_DECOMPRESSED_BYTES or inflater.unconsumed_tail:
        raise PayloadTooLarge(f"Body inflates to more than {MAX_DECOMPRESSED_BYTES} bytes.")
    if not inflater.eof:
        raise BadRequest("Body is truncated gzip.")
    return data


# orjson reads JSON nested at most this deep: a DOM nested up to ~500 elements (two
# levels each: the node and its childNodes). Storage writes any depth read here.
MAX_JSON_DEPTH = 1024


def load_json(data: bytes) -> object:
    """:raise BadRequest: when the body is not JSON, or nests deeper than MAX_JSON_DEPTH."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as error:
        if "depth limit" in str(error):
            raise BadRequest(f"Body nests deeper than {MAX_JSON_DEPTH} levels (a page DOM nested deeper than "
                             "about 500 elements); it cannot be stored.") from None
        raise BadRequest(f"Body is not valid JSON: {error}.") from None
