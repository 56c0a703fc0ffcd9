// Bounds on what the SDK takes from the page: text cut to a length, and a number of
// records per minute, so a runaway page (a logging loop, a polling storm) cannot fill
// the recording or the visitor's bandwidth.

/** `text` as a string of at most `max` characters, with an ellipsis when it was cut. */
export function truncate(text, max) {
  const value = text == null ? '' : String(text);
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/**
 * A budget of `max` records per minute: `take()` is true while this minute has room.
 * A minute starts at the first record after the previous one ended.
 */
export function perMinute(max, now) {
  let start = -Infinity;
  let used = 0;
  return function take() {
    const time = now();
    if (time - start >= 60 * 1000) {
      start = time;
      used = 0;
    }
    used += 1;
    return used <= max;
  };
}
