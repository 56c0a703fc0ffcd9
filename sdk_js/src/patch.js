// Monkey-patching with a clean undo: every patch the SDK installs (history methods,
// console.error, Response.prototype.json) goes through patchMethod and comes off with
// the function it returns (STYLE P16).

/**
 * Replace `target[name]` by `makeReplacement(original)`. Returns `unpatch()`.
 *
 * If another script patched the same method after us, restoring the original would
 * silently remove their patch; in that case our replacement stays in their chain but
 * turns into a plain pass-through to the original.
 */
export function patchMethod(target, name, makeReplacement) {
  const original = target && target[name];
  if (typeof original !== 'function') return () => {};
  let active = true;
  const replacement = makeReplacement(original);
  function patched(...args) {
    if (!active) return original.apply(this, args);
    return replacement.apply(this, args);
  }
  target[name] = patched;
  return function unpatch() {
    if (!active) return;
    active = false;
    if (target[name] === patched) target[name] = original;
  };
}

/** addEventListener that returns its removal. */
export function listen(target, type, handler, options) {
  if (!target || typeof target.addEventListener !== 'function') return () => {};
  target.addEventListener(type, handler, options);
  return () => target.removeEventListener(type, handler, options);
}
