// The study task widget on demand. Only study participants see it, so the bundle every
// visitor downloads leaves it out: widget.js is built on its own
// (dist/replaydesk-widget.js, served at <endpoint>/sdk/replaydesk-widget.js) and
// imported when a page needs it. Until it arrives, server commands wait here, in order.

/**
 * Start the widget once `load()` (a Promise of the widget module) resolves, with
 * `start(module)` → {handleCommand, stop}. Returns the same interface at once:
 * commands are queued while the module loads, dropped if it cannot load (logged once;
 * `onCommand` still receives them), and nothing starts after `stop()`.
 */
export function startWidgetOnDemand({ load, start, log }) {
  let widget = null;
  let waiting = [];
  let stopped = false;
  new Promise((resolve) => resolve(load()))
    .then((module) => {
      if (stopped) return;
      widget = start(module);
      const queued = waiting;
      waiting = null;
      for (const command of queued) widget.handleCommand(command);
    })
    .catch((error) => {
      waiting = null;
      if (!stopped && log) log.warn('the study task widget could not be loaded', error);
    });
  return {
    handleCommand(command) {
      if (widget) widget.handleCommand(command);
      else if (waiting) waiting.push(command);
    },
    stop() {
      stopped = true;
      waiting = null;
      if (widget) widget.stop();
    },
  };
}
