// A timer that is either pending once or idle: the flush, retry and poll timers each
// must never run twice in parallel, and stop() must be able to cancel them.

/** One-shot timeout slot over injected setTimeout/clearTimeout. */
export function createTimerSlot(setTimer, clearTimer) {
  let handle = null;
  return {
    /** Run `callback` in `delayMs`, unless a callback is already pending (it wins). */
    start(callback, delayMs) {
      if (handle !== null) return;
      handle = setTimer(() => {
        handle = null;
        callback();
      }, delayMs);
    },
    cancel() {
      if (handle !== null) clearTimer(handle);
      handle = null;
    },
    pending: () => handle !== null,
  };
}
