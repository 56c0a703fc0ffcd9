// Copy text for the reviewer. The Clipboard API exists only in secure contexts
// (https, or http on localhost); a server reached over plain http on a LAN address
// falls back to selecting a hidden field and the copy command.

/** Resolve once `text` is on the clipboard; reject when the browser refused both ways. */
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const field = document.createElement('textarea');
  field.value = text;
  field.setAttribute('readonly', '');
  field.style.position = 'fixed';
  field.style.opacity = '0';
  document.body.append(field);
  field.select();
  const copied = document.execCommand('copy');
  field.remove();
  if (!copied) throw new Error('The browser did not let us copy; select the address bar instead.');
}
