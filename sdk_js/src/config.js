// The SDK's configuration: defaults() is the whole of it, resolveConfig() merges what
// the host passed to init(), maps renamed options and reports every problem at once.

import { canvasOptions } from './canvas_capture.js';
import { consoleLevels } from './console_capture.js';
import { networkOptions } from './network_capture.js';

/** Every option with its default. Options weakening privacy carry an UNSAFE_ name (STYLE P20). */
export function defaults() {
  return {
    /** Project key (required); sent as X-Replaydesk-Key. */
    key: null,
    /** Server base URL (required); batches go to `<endpoint>/api/v1/ingest`. */
    endpoint: null,

    /** Fraction of sessions recorded, 0..1; decided once per session. 0 records nothing. */
    sampleRate: 1,
    /** Record nothing when the browser sends Do-Not-Track (navigator.doNotTrack === "1"). */
    respectDoNotTrack: false,
    /** Record nothing when the browser sends Global Privacy Control (navigator.globalPrivacyControl). */
    respectGlobalPrivacyControl: false,

    /** Extra CSS selector of elements recorded as blank boxes (added to [data-rd-block], .rd-block). */
    blockSelector: null,
    /** Extra CSS selector of elements whose text is masked (added to [data-rd-mask], .rd-mask). */
    maskTextSelector: null,
    /** Mask every text node of the page, not only marked ones. */
    maskAllText: false,
    /** Record typed values of non-password inputs. Passwords stay masked regardless. */
    UNSAFE_recordInputs: false,
    /**
     * Record canvases as sampled frames (WebP): `true` ({fps: 2, quality: 0.6}), or
     * {fps (at most 10), quality (at most 0.9)}. Off by default; rrweb's canvas recorder
     * is then never loaded.
     */
    recordCanvas: false,
    /** rrweb sampling; the default is the one the dev corpus was recorded with. */
    sampling: { mousemove: 50, scroll: 150, input: 'last' },

    /** Also report console.error calls as $error (kind "console"). */
    captureConsoleErrors: false,
    /**
     * Console levels recorded as rrweb/console@1 plugin events: an array of
     * log|info|warn|error|debug, `true` for all of them, `false` or `[]` for none.
     */
    captureConsole: ['warn', 'error'],
    /**
     * fetch, XMLHttpRequest and resource timings recorded as rrweb/network@1 plugin
     * events: `true`, `false`, or {fetch, xhr, resources, allowQueryParams: [names],
     * allowHeaders: [names], recordBodies, maxBodyBytes} (see network_capture.js).
     * Query values are masked as *** unless their parameter is allow-listed.
     */
    captureNetwork: true,
    /** Report rejections of Response.json() that Chromium never reports (see errors.js). */
    captureJsonErrors: true,

    /** Study task widget: 'auto' shows it on pages opened from an invite link; true / false force it. */
    taskWidget: 'auto',
    /** Called with each server command (after the widget had its look): (command) => void. */
    onCommand: null,

    /** Keep unsent batches in localStorage so a reload during an outage loses nothing. */
    persistUnsent: true,
    /** gzip batches with CompressionStream when the browser has it. */
    compress: true,

    /** Log debug lines to the console. */
    debug: false,
  };
}

/** Old or familiar option names accepted with a warning: name → current name. */
export const RENAMED_OPTIONS = Object.freeze({
  apiKey: 'key',
  projectKey: 'key',
  host: 'endpoint',
  apiHost: 'endpoint',
});

const TASK_WIDGET_VALUES = ['auto', true, false];

/**
 * Merge `options` over defaults(). Returns `{config, problems, warnings}`; the SDK must
 * not start when `problems` is non-empty. Never throws.
 */
export function resolveConfig(options) {
  const config = defaults();
  const problems = [];
  const warnings = [];
  if (options === null || typeof options !== 'object') {
    problems.push('init() needs an options object: init({key, endpoint})');
    return { config, problems, warnings };
  }
  for (const [name, value] of Object.entries(options)) {
    const target = RENAMED_OPTIONS[name] || name;
    if (target !== name) warnings.push(`option "${name}" is now "${target}"`);
    if (!(target in config)) {
      warnings.push(`unknown option "${name}" ignored`);
      continue;
    }
    if (value !== undefined) config[target] = value;
  }
  if (options.sampling && typeof options.sampling === 'object') {
    config.sampling = { ...defaults().sampling, ...options.sampling };
  }
  config.endpoint = normalizeEndpoint(config.endpoint);
  problems.push(...validate(config));
  return { config, problems, warnings };
}

/** The problems of a resolved config, as human sentences; empty when it is valid. */
export function validate(config) {
  const problems = [];
  if (typeof config.key !== 'string' || !config.key.trim()) {
    problems.push('"key" (the project key) is required');
  }
  if (!isHttpUrl(config.endpoint)) {
    problems.push('"endpoint" must be the server\'s http(s) base URL, e.g. https://replaydesk.example.com');
  }
  if (typeof config.sampleRate !== 'number' || !(config.sampleRate >= 0 && config.sampleRate <= 1)) {
    problems.push('"sampleRate" must be a number from 0 to 1');
  }
  for (const name of ['blockSelector', 'maskTextSelector']) {
    if (config[name] !== null && typeof config[name] !== 'string') {
      problems.push(`"${name}" must be a CSS selector string`);
    }
  }
  if (!TASK_WIDGET_VALUES.includes(config.taskWidget)) {
    problems.push('"taskWidget" must be "auto", true or false');
  }
  if (config.onCommand !== null && typeof config.onCommand !== 'function') {
    problems.push('"onCommand" must be a function');
  }
  if (consoleLevels(config.captureConsole) === null) {
    problems.push('"captureConsole" must be true, false or an array of "log", "info", "warn", "error", "debug"');
  }
  if (networkOptions(config.captureNetwork) === null) {
    problems.push('"captureNetwork" must be true, false or {fetch, xhr, resources, recordBodies: booleans, allowQueryParams, allowHeaders: arrays of names, maxBodyBytes: a positive integer}');
  }
  if (canvasOptions(config.recordCanvas) === null) {
    problems.push('"recordCanvas" must be true, false or {fps: a number up to 10, quality: a number up to 0.9}');
  }
  if (!config.sampling || typeof config.sampling !== 'object') {
    problems.push('"sampling" must be an rrweb sampling object');
  }
  return problems;
}

/** "https://x.example/" → "https://x.example"; anything that is not a string is kept for validate(). */
export function normalizeEndpoint(endpoint) {
  if (typeof endpoint !== 'string') return endpoint;
  return endpoint.trim().replace(/\/+$/, '');
}

function isHttpUrl(value) {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch (_) {
    return false;
  }
}
