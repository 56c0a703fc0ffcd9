// Privacy decisions: whether to record at all (opt-out, Do-Not-Track, Global Privacy
// Control, sampling) and what rrweb may see (masking and blocking). Pure functions
// over injected navigator / storage / elements.

import { STORAGE_KEYS } from './constants.js';

/** Elements recorded as an empty box of the same size (content never leaves the page). */
export const BLOCK_CLASS = 'rd-block';
export const BLOCK_ATTRIBUTE_SELECTOR = '[data-rd-block]';
/** Elements whose text is replaced by asterisks. */
export const MASK_CLASS = 'rd-mask';
export const MASK_ATTRIBUTE_SELECTOR = '[data-rd-mask]';

/** Fixed mask of password fields: unlike rrweb's default, it does not reveal the length. */
export const PASSWORD_MASK = '********';

/**
 * Why nothing may be recorded on this page, or null when recording is allowed.
 * Reasons: "opted_out", "do_not_track", "global_privacy_control", "sampled_out".
 */
export function reasonNotToRecord({ config, navigator = {}, window = {}, localStorage, sampled }) {
  if (isOptedOut(localStorage)) return 'opted_out';
  if (config.respectDoNotTrack && sendsDoNotTrack(navigator, window)) return 'do_not_track';
  if (config.respectGlobalPrivacyControl && navigator.globalPrivacyControl === true) return 'global_privacy_control';
  if (sampled === false) return 'sampled_out';
  return null;
}

/** Do-Not-Track as browsers spell it: "1" (and "yes" in old Firefox). */
export function sendsDoNotTrack(navigator = {}, window = {}) {
  const values = [navigator.doNotTrack, window.doNotTrack, navigator.msDoNotTrack];
  return values.some((value) => value === '1' || value === 'yes');
}

export function isOptedOut(localStorage) {
  return Boolean(localStorage) && localStorage.getItem(STORAGE_KEYS.optOut) === '1';
}

/** Whether a new session is recorded, for `sampleRate` in 0..1. */
export function decideSampled(sampleRate, random = Math.random) {
  if (sampleRate >= 1) return true;
  if (!(sampleRate > 0)) return false;
  return random() < sampleRate;
}

/** Join CSS selectors, skipping empty ones. */
export function joinSelectors(...selectors) {
  return selectors.filter((selector) => typeof selector === 'string' && selector.trim()).join(',');
}

/** True when `element` is, or was, a password field (rrweb marks one switched to text). */
export function isPasswordField(element) {
  if (!element) return false;
  if (String(element.type).toLowerCase() === 'password') return true;
  return typeof element.hasAttribute === 'function' && element.hasAttribute('data-rr-is-password');
}

function matchesSelector(element, selector) {
  if (!element || !selector || typeof element.closest !== 'function') return false;
  try {
    return element.closest(selector) !== null;
  } catch (_) {
    return false; // an invalid selector from the host masks nothing extra
  }
}

/**
 * rrweb's maskInputFn. rrweb calls it for every input because every input type is
 * flagged as masked; this function decides:
 *   password → fixed mask, whatever the options;
 *   inside a mask selector → asterisks;
 *   otherwise asterisks, unless the host set UNSAFE_recordInputs.
 * Asterisks keep the value's length, exactly as rrweb's own maskAllInputs does.
 */
export function createInputMasker({ recordInputs = false, maskSelector = MASK_ATTRIBUTE_SELECTOR } = {}) {
  return function maskInput(text, element) {
    const value = text == null ? '' : String(text);
    if (isPasswordField(element)) return PASSWORD_MASK;
    if (recordInputs && !matchesSelector(element, maskSelector)) return value;
    return '*'.repeat(value.length);
  };
}

/**
 * rrweb's maskInputOptions: the types rrweb's own `maskAllInputs: true` lists, plus
 * `input` itself, which also covers hidden inputs (CSRF tokens) and unknown types.
 * Checkbox and radio states stay visible, as with maskAllInputs.
 */
export const MASK_EVERY_INPUT = Object.freeze({
  input: true,
  textarea: true,
  select: true,
  color: true,
  date: true,
  'datetime-local': true,
  email: true,
  month: true,
  number: true,
  range: true,
  search: true,
  tel: true,
  text: true,
  time: true,
  url: true,
  week: true,
  password: true,
});

/**
 * Text masked as rrweb masks the text of masked elements (its default maskTextFn):
 * every non-blank character becomes an asterisk, so lengths and line breaks remain.
 * With `maskAllText`, what the SDK records besides the DOM (console lines, bodies) is
 * masked the same way.
 */
export function maskText(text) {
  return String(text).replace(/\S/g, '*');
}

/** The privacy part of rrweb's record() options for a resolved config. */
export function recordOptions(config) {
  const maskTextSelector = config.maskAllText
    ? '*'
    : joinSelectors(MASK_ATTRIBUTE_SELECTOR, `.${MASK_CLASS}`, config.maskTextSelector);
  return {
    // Every input flagged as masked, so rrweb routes every value through maskInputFn.
    maskInputOptions: { ...MASK_EVERY_INPUT },
    maskInputFn: createInputMasker({
      recordInputs: config.UNSAFE_recordInputs === true,
      maskSelector: joinSelectors(MASK_ATTRIBUTE_SELECTOR, `.${MASK_CLASS}`, config.maskTextSelector),
    }),
    blockClass: BLOCK_CLASS,
    blockSelector: joinSelectors(BLOCK_ATTRIBUTE_SELECTOR, config.blockSelector),
    maskTextClass: MASK_CLASS,
    maskTextSelector,
  };
}
