// The loader's call queue: calls made on the stub window.Replaydesk before the bundle
// arrived are kept as [method, args, resolve?] in stub._q (see loader.js).

/**
 * Replay `stub._q` against `target`, in order; a queued getVariant's promise settles
 * with the real answer. Afterwards the stub forwards every method to `target`, so
 * code that kept a reference to the stub keeps working.
 */
export function drainQueue(stub, target) {
  if (!stub || !Array.isArray(stub._q)) return;
  const queued = stub._q;
  stub._q = null;
  for (const [method, args, resolve] of queued) {
    const result = typeof target[method] === 'function' ? target[method](...(args || [])) : undefined;
    if (typeof resolve === 'function') resolve(result);
  }
  for (const name of Object.keys(target)) {
    if (typeof target[name] === 'function') stub[name] = target[name];
  }
}
