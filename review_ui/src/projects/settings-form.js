// The detector settings form → the PATCH body of /api/v1/projects/<id>. Pure.
// Only values that differ from the defaults are kept, so a default that changes in a
// later release reaches projects that never chose their own.

const GOALS = 'goal_url_patterns'; // stored as the project's goal_urls

function parseValue(raw, spec) {
  if (Array.isArray(spec.default)) return String(raw).split('\n').map((line) => line.trim()).filter(Boolean);
  const text = String(raw).trim();
  if (text === '') return spec.default;
  const number = Number(text);
  if (!Number.isFinite(number)) throw new Error(`${spec.name} must be a number (${spec.unit}).`);
  return number;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** {name: raw field text} and the specs (name, default, unit) → {detectors, goal_urls}. */
export function settingsBody(raw, specs) {
  const detectors = {};
  let goalUrls = [];
  for (const spec of specs) {
    if (!(spec.name in raw)) continue;
    const value = parseValue(raw[spec.name], spec);
    if (spec.name === GOALS) goalUrls = same(value, spec.default) ? [] : value;
    else if (!same(value, spec.default)) detectors[spec.name] = value;
  }
  return { detectors, goal_urls: goalUrls };
}
