"""``s3://bucket/prefix`` blobs through boto3; any S3-compatible server works
(``REPLAYDESK_S3_ENDPOINT`` or ``AWS_ENDPOINT_URL``; credentials from ``AWS_*``)."""
from __future__ import annotations

from typing import Iterator, Optional

import boto3
from botocore.exceptions import ClientError

from server.storage.blobs import BlobNotFound

_DELETE_BATCH = 1000  # S3 DeleteObjects accepts at most 1000 keys per call


class S3BlobStore:
    def __init__(self, bucket: str, prefix: str = "", *, endpoint_url: Optional[str] = None) -> None:
        self.bucket = bucket
        self.prefix = f"{prefix}/" if prefix else ""
        self._client = boto3.client("s3", endpoint_url=endpoint_url)

    def _key(self, key: str) -> str:
        return self.prefix + key

    def put(self, key: str, data: bytes) -> None:
        self._client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    def get(self, key: str, start: int = 0, length: Optional[int] = None) -> bytes:
        kwargs = {}
        if start or length is not None:
            end = "" if length is None else str(start + length - 1)
            kwargs["Range"] = f"bytes={start}-{end}"
        try:
            return self._client.get_object(Bucket=self.bucket, Key=self._key(key), **kwargs)["Body"].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                raise BlobNotFound(key) from None
            raise

    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def delete_prefix(self, prefix: str) -> int:
        keys = list(self.iter_keys(prefix))
        for start in range(0, len(keys), _DELETE_BATCH):
            batch = [{"Key": self._key(k)} for k in keys[start : start + _DELETE_BATCH]]
            self._client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})
        return len(keys)

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        paginator = self._client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self._key(prefix)):
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix):]
