// The replay frame never holds the reviewer's keyboard. Keys pressed inside an iframe
// never reach the player's document, so once the frame has focus every shortcut dies
// until the reviewer clicks elsewhere. Three layers keep it out:
//   - the replayer does not replay the recorded user's focus (triggerFocus: false, stage.js);
//   - the frame is inert and out of the Tab order, so Tab never walks into the replayed
//     page's links and nothing inside it can be focused;
//   - a guard hands focus back should anything still land in the frame (a browser that
//     ignores `inert`, a click on the frame while it takes pointer events).

export const FRAME_TITLE = 'Replay of the recorded page (not interactive)';

/** Make `iframe` unfocusable; return a function that undoes the guard's listeners. */
export function keepFocusOutOfFrame(iframe, { fallback }) {
  iframe.setAttribute('tabindex', '-1');
  iframe.setAttribute('title', FRAME_TITLE);
  iframe.inert = true;
  const handBack = () => {
    if (document.activeElement !== iframe) return;
    iframe.contentWindow?.document.activeElement?.blur?.();
    fallback().focus({ preventScroll: true });
  };
  // Focus moving into the frame blurs our window (the frame's document has it now);
  // the active element is the iframe only after the event, hence the microtask.
  const onBlur = () => queueMicrotask(handBack);
  window.addEventListener('blur', onBlur);
  iframe.addEventListener('focus', handBack);
  return () => {
    window.removeEventListener('blur', onBlur);
    iframe.removeEventListener('focus', handBack);
  };
}
