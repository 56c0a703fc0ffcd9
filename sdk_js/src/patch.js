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
  // history.pushState lives on History.prototype: patching the instance adds an own
  // property, which unpatch must delete, not leave holding the original (it would hide
  // any later patch of the prototype from the page).
  const ownBefore = Object.prototype.hasOwnProperty.call(target, name);
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
    if (target[name] !== patched) return;
    if (ownBefore) target[name] = original;
    else delete target[name];
  };
}

/** addEventListener that returns its removal. */
export function listen(target, type, handler, options) {
  if (!target || typeof target.addEventListener !== 'function') return () => {};
  target.addEventListener(type, handler, options);
  return () => target.removeEventListener(type, handler, options);
}
