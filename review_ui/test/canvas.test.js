import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HELD_FRAME, blankPicture, createCanvasPainter, framePicture, holdCanvasSnapshots } from '../src/player/canvas.js';

const FRAME = (id, base64) => ({ type: 3, timestamp: 5, data: { source: 9, id, type: 0, commands: [
  { property: 'clearRect', args: [0, 0, 10, 10] },
  { property: 'drawImage', args: [{ rr_type: 'ImageBitmap', args: [{ rr_type: 'Blob', data: [{ rr_type: 'ArrayBuffer', base64 }], type: 'image/webp' }] }, 0, 0] },
] } });

test('a sampled frame is its drawImage of base64 bytes, as a data: URL; nothing else is', () => {
  assert.equal(framePicture(FRAME(7, 'QUJD').data), 'data:image/webp;base64,QUJD');
  assert.equal(framePicture(FRAME(7, 'QUJD") x').data), null); // nothing that could leave the url("…")
  assert.equal(framePicture({ commands: [{ property: 'fillRect', args: [0, 0, 5, 5] }] }), null);
  assert.equal(decodeURIComponent(blankPicture('900', '330')), 'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" width="900" height="330"/>');
  assert.match(decodeURIComponent(blankPicture('1e9', null)), /width="300" height="150"/); // a canvas's default size
});

test('a canvas\'s snapshot picture is taken out of rrweb\'s sight and kept on the node', () => {
  const canvas = { type: 2, tagName: 'canvas', id: 9, attributes: { width: '10', rr_dataURL: 'data:image/webp;base64,QUJD' }, childNodes: [] };
  const img = { type: 2, tagName: 'img', id: 10, attributes: { rr_dataURL: 'data:image/png;base64,WFla' }, childNodes: [] };
  holdCanvasSnapshots({ type: 2, timestamp: 1, data: { node: { type: 0, id: 1, childNodes: [canvas, img] } } });
  assert.deepEqual(canvas.attributes, { width: '10' });
  assert.equal(canvas[HELD_FRAME], 'data:image/webp;base64,QUJD');
  assert.equal(img.attributes.rr_dataURL, 'data:image/png;base64,WFla'); // only canvases
});

/** A replayer whose mirror holds fake canvases, each showing its style's `content`. */
function fakeReplayer(ids) {
  const canvases = new Map(ids.map((id) => {
    const style = { content: null, setProperty(name, value) { style[name] = value; } };
    return [id, { nodeName: 'CANVAS', style, getAttribute: (name) => ({ width: '40', height: '20' })[name] }];
  }));
  const listeners = {};
  return {
    shown: (id) => canvases.get(id).style.content, canvas: (id) => canvases.get(id),
    getMirror: () => ({ getNode: (id) => canvases.get(id) }), on: (name, fn) => { listeners[name] = fn; }, emit: (name) => listeners[name](),
  };
}

test('canvases show a blank of their size, then their latest frame: while seeking once rrweb flushed, while playing at once', () => {
  const replayer = fakeReplayer([7, 8]);
  const painter = createCanvasPainter();
  painter.attach(replayer);
  const cast = (event, isSync) => painter.plugin.handler(event, isSync, { replayer });
  painter.plugin.onBuild(replayer.canvas(7), { id: 7, replayer });
  assert.match(decodeURIComponent(replayer.shown(7)), /width="40" height="20"/);
  cast(FRAME(7, 'b2xk'), true);
  cast(FRAME(7, 'bmV3'), true);
  cast(FRAME(8, 'b3RoZXI='), true);
  assert.match(replayer.shown(7), /svg/); // no real canvases before the flush
  replayer.canvas(7).style.content = null; // the flush writes rrweb's attributes over ours
  replayer.emit('flush');
  assert.equal(replayer.shown(7), 'url("data:image/webp;base64,bmV3")');
  assert.equal(replayer.shown(8), 'url("data:image/webp;base64,b3RoZXI=")');
  cast(FRAME(7, 'cGxheWVk'), false);
  assert.equal(replayer.shown(7), 'url("data:image/webp;base64,cGxheWVk")');
  cast({ type: 4, timestamp: 9, data: { href: 'x', width: 1, height: 1 } }, true); // a new page: earlier frames are gone
  painter.plugin.onBuild(replayer.canvas(8), { id: 8, replayer });
  assert.match(replayer.shown(8), /svg/);
});
