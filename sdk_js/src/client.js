// The SDK assembled: createClient(env) wires config, privacy, session, capture,
// navigation, errors, transport and widget together for one page, and returns the
// public API. `env` holds every browser global it touches, so a test can run the
// whole SDK against fakes and check that stop() leaves nothing behind.

import { canvasOptions, canvasRecordOptions, startCanvasRecorderOnDemand } from './canvas_capture.js';
import { isUserActivity, startCapture } from './capture.js';
import { resolveConfig } from './config.js';
import { CONSOLE_PLUGIN, consoleLevels, startConsoleCapture } from './console_capture.js';
import { CANVAS_CHUNK_PATH, DECIDE_PATH, SDK_VERSION, STORAGE_KEYS, STUDY_TASKS_PATH, WIDGET_CHUNK_PATH } from './constants.js';
import { startErrorCapture } from './errors.js';
import { startNavigation } from './navigation.js';
import { NETWORK_PLUGIN, networkOptions, startNetworkCapture } from './network_capture.js';
import { createOutbox } from './outbox.js';
import { listen } from './patch.js';
import { decideSampled, reasonNotToRecord, recordOptions } from './privacy.js';
import { createLogger, createSafe, parseJson } from './safe.js';
import { createSessionStore, generateId, loadStudyContext } from './session.js';
import { createTransport, gzip } from './transport.js';
import { startWidgetOnDemand } from './widget_loader.js';

export const TASK_STATUSES = Object.freeze(['start', 'complete', 'give_up', 'fail', 'abandon']);

/**
 * env: {window, document, navigator, sessionStorage, localStorage (both safeStorage),
 * fetch, sendBeacon, record (rrweb), CompressionStream, now, random, setTimeout,
 * clearTimeout, console, loadWidget(url) → Promise of the widget module}.
 */
export function createClient(env) {
  let log = createLogger({ console: env.console });
  let safe = createSafe(log);
  let config = null; // set by a valid init(), also when nothing is recorded
  let lastOptions = null;
  let recording = null; // everything started for this page, while recording
  let variants = parseJson(env.sessionStorage.getItem(STORAGE_KEYS.variants), {}) || {};
  let decided = null; // Promise of the server's variant assignments for the current distinct_id

  function distinctId() {
    let id = env.localStorage.getItem(STORAGE_KEYS.distinctId);
    if (!id) {
      id = generateId(); // anonymous until identify(): experiments need a stable id
      env.localStorage.setItem(STORAGE_KEYS.distinctId, id);
    }
    return id;
  }

  function emitCustom(tag, payload) {
    if (recording) recording.capture.addCustomEvent(tag, payload);
  }

  function meta(study) {
    const { window, document, navigator } = env;
    return {
      url: String(window.location.href),
      referrer: document.referrer || '',
      user_agent: navigator.userAgent || '',
      viewport: { w: window.innerWidth || 0, h: window.innerHeight || 0 },
      distinct_id: distinctId(),
      sdk_version: SDK_VERSION,
      variants: { ...variants },
      study: study.study,
      participant: study.participant,
    };
  }

  /** Start everything for this page; returns the teardowns in start order. */
  function startRecording(study) {
    const { window, document } = env;
    const session = createSessionStore({
      storage: env.sessionStorage,
      now: env.now,
      decideSampled: () => decideSampled(config.sampleRate, env.random),
    });
    if (session.sampled === false) {
      log.debug('this session is sampled out: nothing is recorded');
      return null;
    }
    const windowId = generateId();
    let batchSessionId = session.id; // the session the buffered events belong to
    const outbox = config.persistUnsent ? createOutbox({ storage: env.localStorage, projectKey: config.key, now: env.now }) : null;
    const state = { teardowns: [], capture: null, transport: null, widget: null, network: null, canvas: null };

    state.transport = createTransport({
      endpoint: config.endpoint,
      key: config.key,
      fetch: env.fetch,
      sendBeacon: env.sendBeacon,
      compress: config.compress && env.CompressionStream ? (text) => gzip(text, env.CompressionStream) : null,
      outbox,
      getContext: () => ({ sessionId: batchSessionId, windowId, meta: meta(study) }),
      onAnswer: safe(({ commands }) => commands.forEach(handleCommand), 'command handling'),
      onFatal: safe(() => stop(), 'stop after a refused key'),
      now: env.now,
      random: env.random,
      setTimeout: env.setTimeout,
      clearTimeout: env.clearTimeout,
      AbortControllerClass: env.AbortController,
      log,
    });
    state.teardowns.push(() => state.transport.stop());

    let rotating = false;
    function onEvent(event) {
      const activity = isUserActivity(event);
      const { rotated } = session.touch(env.now(), activity);
      if (rotated && !rotating) {
        // 30 min idle: the old session's events leave in their own batch, and the new
        // session starts with its own Meta + FullSnapshot and page view.
        rotating = true;
        try {
          state.transport.cutBatch();
          batchSessionId = session.id;
          state.capture.checkout();
          state.capture.addCustomEvent('$pageview', { url: String(window.location.href), referrer: document.referrer || '', title: document.title || '' });
          event.timestamp = Math.max(event.timestamp || 0, env.now()); // after the new snapshot
        } finally {
          rotating = false;
        }
      }
      state.transport.add(event);
    }

    const canvas = canvasOptions(config.recordCanvas);
    if (canvas && env.loadCanvas) {
      state.canvas = startCanvasRecorderOnDemand({
        load: () => env.loadCanvas(`${config.endpoint}${CANVAS_CHUNK_PATH}?v=${SDK_VERSION}`),
        record: env.record,
        log,
      });
      state.teardowns.push(() => state.canvas.stop());
    }
    state.capture = startCapture({
      record: env.record,
      document,
      options: { ...recordOptions(config), ...canvasRecordOptions(canvas, config.sampling) },
      emit: safe(onEvent, 'event handling'),
      now: env.now,
      log,
    });
    state.teardowns.push(() => state.capture.stop());

    if (outbox) state.transport.adopt(outbox.load());

    state.teardowns.push(
      startNavigation({ window, document, onPageview: safe((payload) => state.capture.addCustomEvent('$pageview', payload), 'page view') }),
      startErrorCapture({
        window,
        onError: safe((payload) => state.capture.addCustomEvent('$error', payload), 'error capture'),
        captureConsole: config.captureConsoleErrors,
        captureJson: config.captureJsonErrors,
      }),
      // After the console.error wrap of captureConsoleErrors: outermost, so a line's
      // trace starts at the page's own call.
      startConsoleCapture({
        console: env.console,
        levels: consoleLevels(config.captureConsole),
        onLine: (payload) => state.capture.addPluginEvent(CONSOLE_PLUGIN, payload),
        maskAllText: config.maskAllText === true,
        now: env.now,
      }),
    );
    state.network = startNetworkCapture({
      window,
      options: networkOptions(config.captureNetwork),
      endpoint: config.endpoint, // the SDK's own requests are never recorded
      onRequests: (requests) => state.capture.addPluginEvent(NETWORK_PLUGIN, { requests }),
      maskAllText: config.maskAllText === true,
      now: env.now,
    });
    state.teardowns.push(state.network.stop);

    const onExit = safe(() => {
      session.persist();
      state.network.flush(); // requests still waiting for their timing entry go with this batch
      state.transport.flushOnExit();
    }, 'page exit');
    state.teardowns.push(
      listen(window, 'pagehide', onExit),
      listen(document, 'visibilitychange', () => {
        if (document.visibilityState === 'hidden') onExit();
      }),
    );

    const showWidget = config.taskWidget === true || (config.taskWidget === 'auto' && Boolean(study.study || study.participant));
    if (showWidget) {
      state.widget = startWidgetOnDemand({
        load: () => env.loadWidget(`${config.endpoint}${WIDGET_CHUNK_PATH}?v=${SDK_VERSION}`),
        start: (widget) =>
          widget.startTaskWidget({
            document,
            storage: env.sessionStorage,
            onTask: (taskId, status) => emitCustom('$task', { task_id: taskId, status }),
            onAnswer: (question, value, taskId) => emitCustom('$answer', taskId ? { question, value, task_id: taskId } : { question, value }),
            wrap: safe,
            loadTasks: study.study ? () => fetchStudyTasks(study.study) : null,
            media: { endpoint: config.endpoint, key: config.key, sessionId: () => batchSessionId },
            log,
          }),
        log,
      });
      state.teardowns.push(() => state.widget.stop());
    }
    return state;
  }

  function handleCommand(command) {
    if (recording && recording.widget) recording.widget.handleCommand(command);
    if (config && config.onCommand) safe(config.onCommand, 'onCommand')(command);
  }

  function init(options) {
    if (recording) {
      log.warn('init() called again while recording; call stop() first');
      return false;
    }
    const resolved = resolveConfig(options);
    log = createLogger({ console: env.console, debug: resolved.config.debug === true });
    safe = createSafe(log);
    resolved.warnings.forEach((warning) => log.warn(warning));
    if (resolved.problems.length) {
      log.error(`not started: ${resolved.problems.join('; ')}`);
      return false;
    }
    config = resolved.config;
    lastOptions = options;
    const reason = reasonNotToRecord({ config, navigator: env.navigator, window: env.window, localStorage: env.localStorage });
    if (reason) {
      log.debug(`not recording: ${reason}`);
      return false;
    }
    const study = loadStudyContext(env.sessionStorage, String(env.window.location.href));
    recording = startRecording(study);
    return Boolean(recording);
  }

  function stop({ discard = false } = {}) {
    const current = recording;
    recording = null;
    if (!current) return;
    if (discard) current.transport.stop({ discard: true });
    // Reverse start order: the recorder and hooks come off before the final flush.
    for (const teardown of [...current.teardowns].reverse()) safe(teardown, 'teardown')();
  }

  function identify(id, traits = {}) {
    if (typeof id !== 'string' || !id) {
      log.warn('identify() needs a non-empty string id');
      return;
    }
    if (id !== env.localStorage.getItem(STORAGE_KEYS.distinctId)) decided = null; // assignments depend on the id
    env.localStorage.setItem(STORAGE_KEYS.distinctId, id);
    emitCustom('$identify', { distinct_id: id, traits: traits && typeof traits === 'object' ? traits : {} });
  }

  function track(tag, payload = {}) {
    if (typeof tag !== 'string' || !tag || tag.startsWith('$')) {
      log.warn('track() needs a tag that does not start with "$" (reserved for the SDK)');
      return;
    }
    try {
      JSON.stringify(payload);
    } catch (_) {
      log.warn(`track("${tag}"): payload is not JSON-serializable; dropped`);
      return;
    }
    emitCustom(tag, payload === undefined ? {} : payload);
  }

  function setVariant(experiment, variant) {
    if (typeof experiment !== 'string' || !experiment || typeof variant !== 'string' || !variant) {
      log.warn('setVariant() needs two non-empty strings');
      return;
    }
    if (variants[experiment] === variant) return;
    variants = { ...variants, [experiment]: variant };
    env.sessionStorage.setItem(STORAGE_KEYS.variants, JSON.stringify(variants));
    emitCustom('$variant', { experiment, variant });
  }

  /** {study, tasks} from the study's public task list (as sent: the widget reads it), or null. */
  function fetchStudyTasks(slug) {
    const url = `${config.endpoint}${STUDY_TASKS_PATH(slug)}?key=${encodeURIComponent(config.key)}`;
    return env
      .fetch(url, { credentials: 'omit', mode: 'cors' })
      .then((response) => (response.ok ? response.text() : null))
      .then((text) => {
        const answer = parseJson(text, null);
        return answer && typeof answer === 'object' ? { study: slug, tasks: answer.tasks, think_aloud: answer.think_aloud } : null;
      });
  }

  function fetchAssignments() {
    const url = `${config.endpoint}${DECIDE_PATH}?key=${encodeURIComponent(config.key)}&distinct_id=${encodeURIComponent(distinctId())}`;
    return env
      .fetch(url, { credentials: 'omit', mode: 'cors' })
      .then((response) => (response.ok ? response.text() : null))
      .then((text) => {
        const answer = parseJson(text, null);
        if (!answer || typeof answer !== 'object') throw new Error('no assignments');
        return answer.variants && typeof answer.variants === 'object' ? answer.variants : answer;
      });
  }

  /** The server's variant of `experiment` for this visitor (also recorded as $variant), or null. */
  async function getVariant(experiment) {
    if (!config || reasonNotToRecord({ config, navigator: env.navigator, window: env.window, localStorage: env.localStorage }) === 'opted_out') return null;
    if (!decided) decided = fetchAssignments();
    let assignments;
    try {
      assignments = await decided;
    } catch (_) {
      decided = null; // a later call may try again
      return null;
    }
    const variant = assignments[experiment];
    if (typeof variant !== 'string' || !variant) return null;
    setVariant(experiment, variant);
    return variant;
  }

  function task(taskId, status) {
    if (typeof taskId !== 'string' || !taskId || !TASK_STATUSES.includes(status)) {
      log.warn(`task() needs a task id and a status: ${TASK_STATUSES.join(' | ')}`);
      return;
    }
    emitCustom('$task', { task_id: taskId, status });
  }

  function optOut() {
    env.localStorage.setItem(STORAGE_KEYS.optOut, '1');
    if (config) createOutbox({ storage: env.localStorage, projectKey: config.key }).clear();
    stop({ discard: true });
  }

  function optIn() {
    env.localStorage.removeItem(STORAGE_KEYS.optOut);
    if (lastOptions && !recording) init(lastOptions);
  }

  // Every entry point is wrapped: nothing thrown inside may reach the host page.
  const api = {
    init: (options) => safe(init, 'init', false)(options),
    identify: (id, traits) => safe(identify, 'identify')(id, traits),
    track: (tag, payload) => safe(track, 'track')(tag, payload),
    setVariant: (experiment, variant) => safe(setVariant, 'setVariant')(experiment, variant),
    getVariant: (experiment) => Promise.resolve(safe(getVariant, 'getVariant', null)(experiment)),
    task: (taskId, status) => safe(task, 'task')(taskId, status),
    stop: () => safe(stop, 'stop')(),
    optOut: () => safe(optOut, 'optOut')(),
    optIn: () => safe(optIn, 'optIn')(),
    /** True while this page is being recorded. */
    isRecording: () => recording !== null,
  };
  return api;
}
