// The page is hiding or going away: no promise may be awaited, only sendBeacon gets a
// request out. A beacon is only "queued by the browser", never confirmed (a server
// that went down since its last answer loses it without a trace), so a beaconed batch
// stays queued and in the outbox until a fetch is acknowledged; the server stores a
// copy it already has once and answers `duplicate: true`. This module only beacons.

import { INGEST_PATH, KEEPALIVE_MAX_BYTES } from './constants.js';

/**
 * Returns `beaconOnce(batches)`: each batch not beaconed yet goes by `sendBeacon`, in
 * order, until the browser refuses one (its quota is used up: the rest waits in the
 * outbox). `isGzipAllowed()`: whether the server still takes gzip.
 */
export function createExitBeacon({ endpoint, key, sendBeacon, isGzipAllowed }) {
  // A beacon cannot set headers: the key, and the encoding, travel in the query.
  const url = `${endpoint}${INGEST_PATH}?key=${encodeURIComponent(key)}`;

  function send(batch) {
    if (batch.gzipped && isGzipAllowed()) {
      if (batch.gzipped.byteLength > KEEPALIVE_MAX_BYTES) return false;
      return sendBeacon(`${url}&compression=gzip`, new Blob([batch.gzipped]));
    }
    if (batch.body.length > KEEPALIVE_MAX_BYTES) return false; // browsers drop larger beacons
    // A string body goes as text/plain: a CORS-safelisted type, so no preflight is needed.
    return sendBeacon(url, batch.body);
  }

  return function beaconOnce(batches) {
    if (!sendBeacon) return;
    for (const batch of batches.filter((candidate) => !candidate.beaconed)) {
      let accepted = false;
      try {
        accepted = send(batch) === true;
      } catch (_) {
        accepted = false;
      }
      if (!accepted) break;
      batch.beaconed = true; // pagehide follows visibilitychange: one beacon per batch is enough
    }
  };
}
