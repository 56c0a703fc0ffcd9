// Player preferences remembered in localStorage. Reading never throws (storage may be
// disabled) and never returns a value outside what the player accepts.

export const SPEEDS = [0.5, 1, 2, 4, 8, 16];
const KEY_SPEED = 'replaydesk.player.speed';
const KEY_SKIP = 'replaydesk.player.skipInactive';

function read(storage, key) {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(storage, key, value) {
  try {
    storage?.setItem(key, String(value));
  } catch {
    /* private mode or full storage: the preference just is not remembered */
  }
}

const defaultStorage = () => (typeof localStorage === 'undefined' ? null : localStorage);

export function readSpeed(storage = defaultStorage()) {
  const value = Number(read(storage, KEY_SPEED));
  return SPEEDS.includes(value) ? value : 1;
}

export function saveSpeed(speed, storage = defaultStorage()) {
  if (SPEEDS.includes(speed)) write(storage, KEY_SPEED, speed);
}

/** Skipping inactivity is on unless the reviewer turned it off. */
export function readSkipInactive(storage = defaultStorage()) {
  return read(storage, KEY_SKIP) !== 'false';
}

export function saveSkipInactive(on, storage = defaultStorage()) {
  write(storage, KEY_SKIP, on ? 'true' : 'false');
}

export function nextSpeed(speed, direction) {
  const index = SPEEDS.indexOf(speed);
  const next = Math.min(SPEEDS.length - 1, Math.max(0, (index < 0 ? 1 : index) + direction));
  return SPEEDS[next];
}
