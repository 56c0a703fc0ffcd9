// Recorded canvases in a replay frame that runs no scripts.
//
// A document without scripting renders a <canvas> as its fallback content: an empty
// inline box, whatever was drawn on it. rrweb's own canvas replay needs
// UNSAFE_replayCanvas, which gives the frame allow-scripts; it stays off, so rrweb
// ignores canvas events, and this plugin shows canvases from this page instead: each
// replayed <canvas> gets `content: url(<picture>)`, which makes it a replaced element
// sized as a canvas is (its picture's size, the canvas's width and height, unless CSS
// says otherwise). The picture is the latest recorded frame (`recordCanvas`: rrweb's
// sampled frames, a CanvasMutation whose drawImage carries a WebP as base64; at a full
// snapshot, the node's `rr_dataURL`), or a transparent one of the canvas's size when
// none was recorded, so the page's layout is the participant's either way.
//
// holdCanvasSnapshots() takes `rr_dataURL` out of the nodes before rrweb sees them (it
// would draw it on the canvas, which shows nothing) and keeps it on the node for us.

const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
const META = 4; // a page (re)starts: its nodes' ids start afresh
const MUTATION = 0;
const CANVAS_MUTATION = 9;
export const HELD_FRAME = 'rdCanvasFrame'; // a node property rrweb does not read

/** The picture of a sampled frame as a data: URL; null for other canvas commands. */
export function framePicture(data) {
  for (const command of (data && data.commands) || []) {
    if (command.property !== 'drawImage') continue;
    const bitmap = command.args && command.args[0];
    const blob = bitmap && bitmap.rr_type === 'ImageBitmap' && bitmap.args && bitmap.args[0];
    const buffer = blob && blob.rr_type === 'Blob' && blob.data && blob.data[0];
    if (buffer && buffer.rr_type === 'ArrayBuffer' && typeof buffer.base64 === 'string' && /^[\w+/=]*$/.test(buffer.base64)) {
      const type = /^image\/[\w.+-]+$/.test(blob.type || '') ? blob.type : 'image/webp';
      return `data:${type};base64,${buffer.base64}`;
    }
  }
  return null;
}

/** A transparent picture of `width` × `height` (a canvas nothing was recorded of). */
export function blankPicture(width, height) {
  const size = (value, fallback) => (/^\d{1,5}$/.test(String(value)) ? Number(value) : fallback);
  return `data:image/svg+xml,${encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size(width, 300)}" height="${size(height, 150)}"/>`)}`;
}

const isPicture = (url) => typeof url === 'string' && /^data:image\/[\w.+-]+(;base64)?,/.test(url);

function holdTree(root) {
  const stack = root ? [root] : [];
  while (stack.length) {
    const node = stack.pop();
    const attributes = node.attributes;
    if (node.type === 2 && node.tagName === 'canvas' && attributes && typeof attributes.rr_dataURL === 'string') {
      node[HELD_FRAME] = attributes.rr_dataURL;
      delete attributes.rr_dataURL;
    }
    if (node.childNodes) stack.push(...node.childNodes);
  }
}

/** Move canvases' snapshot pictures out of rrweb's sight (see above); in place. */
export function holdCanvasSnapshots(event) {
  if (!event || !event.data) return event;
  if (event.type === FULL_SNAPSHOT) holdTree(event.data.node);
  else if (event.type === INCREMENTAL && event.data.source === MUTATION) for (const add of event.data.adds || []) holdTree(add.node);
  return event;
}

function heldPictures(root, into) {
  const stack = root ? [root] : [];
  while (stack.length) {
    const node = stack.pop();
    if (isPicture(node[HELD_FRAME])) into.set(node.id, node[HELD_FRAME]);
    if (node.childNodes) stack.push(...node.childNodes);
  }
}

function show(canvas, picture) {
  if (canvas && canvas.style && canvas.nodeName === 'CANVAS') canvas.style.setProperty('content', `url("${picture}")`);
}

/**
 * createCanvasPainter({deferSync}) → {plugin, attach(replayer)}: pass `plugin` in the
 * replayer's `plugins`, then `attach(replayer)`. While seeking, rrweb applies events to
 * a virtual DOM and then writes it into the frame (its flush), which also resets the
 * canvases' style: each canvas's latest picture is shown again after every flush.
 * `deferSync: false` for a replayer without a virtual DOM (the live room).
 */
export function createCanvasPainter({ deferSync = true } = {}) {
  const pictures = new Map(); // canvas id → the picture it shows now (a frame, or blank)
  let replayer = null;

  const canvasOf = (id) => (replayer ? replayer.getMirror().getNode(id) : null);
  const showAll = () => {
    for (const [id, picture] of pictures) show(canvasOf(id), picture);
  };

  const plugin = {
    onBuild(node, { id, replayer: built }) {
      replayer = replayer || built;
      if (node.nodeName !== 'CANVAS') return;
      if (!pictures.has(id)) pictures.set(id, blankPicture(node.getAttribute('width'), node.getAttribute('height')));
      show(node, pictures.get(id));
    },
    handler(event, isSync, context) {
      replayer = replayer || context.replayer;
      const found = new Map();
      if (event.type === META) {
        pictures.clear(); // every seek starts here too (rrweb replays from the last Meta)
      } else if (event.type === FULL_SNAPSHOT) {
        heldPictures(event.data && event.data.node, found);
      } else if (event.type === INCREMENTAL && event.data.source === MUTATION) {
        for (const add of event.data.adds || []) heldPictures(add.node, found);
        for (const change of event.data.attributes || []) if (pictures.has(change.id) && !found.has(change.id)) found.set(change.id, pictures.get(change.id));
      } else if (event.type === INCREMENTAL && event.data.source === CANVAS_MUTATION) {
        const picture = framePicture(event.data);
        if (picture) found.set(event.data.id, picture);
      }
      for (const [id, picture] of found) {
        pictures.set(id, picture);
        if (!(isSync && deferSync)) show(canvasOf(id), picture);
      }
    },
  };

  return {
    plugin,
    attach(target) {
      replayer = target;
      target.on('flush', showAll);
    },
  };
}
