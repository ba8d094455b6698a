// Every chart of the page at phone and desktop widths (issue 18, item 7): the legend lies outside
// the plotting area, no text runs past the canvas's edge, no series is drawn twice, and a mouse
// hover or a finger's tap puts a marker on the curve with a read-out of both values and units.
// The charts say where they drew (src/ui/chart.rs, `expose`): data-plot and data-legend (left top
// width height), data-labels (a line per text: left top right bottom text), data-series (a
// fingerprint per series drawn) and data-axes (the x and y labels, which carry the units).
import { openPage } from './lib.mjs';
import assert from 'node:assert/strict';

const WIDTHS = [360, 390, 1000, 1440];

/** The ids of the charts shown (not in a closed <details>), each scrolled to and drawn. */
async function drawCharts(page) {
  const ids = await page.$$eval('figure.chart', (fs) => fs
    .filter((f) => f.querySelector('canvas') && f.getClientRects().length > 0
      && f.querySelector('canvas').getBoundingClientRect().width > 0)
    .map((f) => f.id));
  for (const id of ids) {
    const sel = `#${id} canvas`;
    await page.locator(sel).scrollIntoViewIfNeeded();
    await page.waitForFunction((s) => Number(document.querySelector(s).dataset.draws) > 0
      && document.querySelector(s).dataset.plot !== undefined, sel);
  }
  return ids;
}

/** What a chart says of its layout, with the canvas's CSS size. */
function layoutOf(page, id) {
  return page.evaluate((id) => {
    const c = document.querySelector(`#${id} canvas`);
    const nums = (a) => (a || '0 0 0 0').split(' ').map(Number);
    return {
      w: c.clientWidth,
      h: c.clientHeight,
      plot: nums(c.dataset.plot),
      legend: nums(c.dataset.legend),
      labels: (c.dataset.labels || '').split('\n').filter(Boolean).map((l) => {
        const p = l.split(' ');
        return { box: p.slice(0, 4).map(Number), text: p.slice(4).join(' ') };
      }),
      series: (c.dataset.series || '').split(' ').filter(Boolean),
      axes: (c.dataset.axes || '').split('\n'),
    };
  }, id);
}

/** The problems of one chart's layout, as sentences (empty: none). */
function layoutProblems(id, L) {
  const bad = [];
  const [px, py, pw, ph] = L.plot;
  const [lx, ly, lw, lh] = L.legend;
  if (lw > 0 && lh > 0) {
    const overlap = lx < px + pw && px < lx + lw && ly < py + ph && py < ly + lh;
    if (overlap) bad.push(`${id}: legend [${L.legend}] covers the plot [${L.plot}]`);
    if (lx < 0 || ly < 0 || lx + lw > L.w + 1 || ly + lh > L.h + 1) bad.push(`${id}: legend [${L.legend}] leaves the canvas ${L.w}×${L.h}`);
  }
  // Text boxes are a line's height (ascent + descent): a pixel of slack at the edges.
  for (const { box: [l, t, r, b], text } of L.labels) {
    if (l < -1 || t < -1 || r > L.w + 1 || b > L.h + 1) bad.push(`${id}: "${text}" [${l}, ${t}, ${r}, ${b}] is cut off by the canvas ${L.w}×${L.h}`);
  }
  const fp = L.series.map((s) => s.split(':')[0]);
  const twice = fp.filter((h, i) => fp.indexOf(h) !== i);
  if (twice.length) bad.push(`${id}: a series is drawn twice (${L.series.join(' ')})`);
  return bad;
}

/** Reads the marker and the read-out of a chart after a hover or a tap. */
function markerOf(page, id) {
  return page.evaluate((id) => {
    const f = document.getElementById(id);
    const c = f.querySelector('canvas');
    const dot = f.querySelector('.chart-dot');
    const shown = dot && !dot.hidden && dot.checkVisibility();
    const box = f.querySelector('.chart-box').getBoundingClientRect();
    const d = dot.getBoundingClientRect();
    // The dot's centre on the canvas, in CSS pixels from its content's corner.
    const cr = c.getBoundingClientRect();
    const cx = d.left + d.width / 2 - cr.left - c.clientLeft;
    const cy = d.top + d.height / 2 - cr.top - c.clientTop;
    // Is anything drawn under it? Non-background pixels within 4 CSS pixels of its centre.
    const k = c.width / c.clientWidth;
    const ctx = c.getContext('2d');
    const bg = ctx.getImageData(1, 1, 1, 1).data;
    const r = Math.round(4 * k);
    const img = ctx.getImageData(Math.round(cx * k) - r, Math.round(cy * k) - r, 2 * r + 1, 2 * r + 1).data;
    let ink = 0;
    for (let i = 0; i < img.length; i += 4) if (Math.abs(img[i] - bg[0]) + Math.abs(img[i + 1] - bg[1]) + Math.abs(img[i + 2] - bg[2]) > 60) ink++;
    return {
      shown, cx, cy, ink, inBox: box.width > 0,
      readout: f.querySelector('.readout').textContent.trim(),
      own: f.querySelector('.point-source') !== null,
    };
  }, id);
}

/** The problems of a chart's marker and read-out (empty: none). */
function markerProblems(id, L, M, how) {
  const bad = [];
  const [px, py, pw, ph] = L.plot;
  if (!M.shown) return [`${id} (${how}): no marker shown`];
  if (!(M.cx >= px - 1 && M.cx <= px + pw + 1 && M.cy >= py - 1 && M.cy <= py + ph + 1)) bad.push(`${id} (${how}): marker (${M.cx}, ${M.cy}) outside the plot [${L.plot}]`);
  if (M.ink === 0) bad.push(`${id} (${how}): nothing drawn under the marker (${M.cx}, ${M.cy})`);
  const numbers = M.readout.match(/\d/g) ? M.readout.split(/[^\d.×⁰¹²³⁴⁵⁶⁷⁸⁹⁻-]+/).filter((s) => /\d/.test(s)).length : 0;
  if (numbers < 2) bad.push(`${id} (${how}): read-out "${M.readout}" lacks two values`);
  // Both axes by name, with their units: a point with its own read-out (a model with a source)
  // names its values its own way.
  if (!M.own) {
    for (const a of L.axes) if (a && !M.readout.includes(a)) bad.push(`${id} (${how}): read-out "${M.readout}" does not name the axis "${a}"`);
  }
  return bad;
}

export default function register(test, { srv, browser, figures }) {
  for (const width of WIDTHS) {
    test(`at ${width} px every chart keeps its legend off the plot, its labels inside, each series once; a hover marks the curve`, async () => {
      const page = await openPage(browser, srv.base, { viewport: { width, height: 800 } });
      const ids = await drawCharts(page);
      assert.ok(ids.length >= 12, `charts found: ${ids.join(', ')}`);
      const bad = [];
      for (const id of ids) {
        const L = await layoutOf(page, id);
        if (!(L.plot[2] > 0)) continue;  // an empty chart (no data yet) has no plot
        bad.push(...layoutProblems(id, L));
        // Hover a third of the way across the plot, halfway down.
        await page.locator(`#${id} canvas`).scrollIntoViewIfNeeded();
        const box = await page.locator(`#${id} canvas`).boundingBox();
        await page.mouse.move(box.x + 1 + L.plot[0] + L.plot[2] / 3, box.y + 1 + L.plot[1] + L.plot[3] / 2);
        bad.push(...markerProblems(id, L, await markerOf(page, id), 'hover'));
        // Leaving the chart clears the marker.
        await page.mouse.move(0, 0);
        if (await page.locator(`#${id} .chart-dot`).isVisible()) bad.push(`${id}: the marker stays after the mouse left`);
      }
      figures[`charts_checked_${width}px`] = ids.length;
      assert.deepEqual(bad, [], `${bad.length} problems:\n${bad.join('\n')}`);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }

  test('dark theme in Chinese on a phone: legends off the plot, labels inside; a tap shows the marker and both values', async () => {
    const page = await openPage(browser, `${srv.base}?theme=dark&lang=zh`, {
      viewport: { width: 390, height: 800 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2,
    });
    const ids = await drawCharts(page);
    const bad = [];
    let tapped = 0;
    for (const id of ids) {
      const L = await layoutOf(page, id);
      if (!(L.plot[2] > 0)) continue;
      bad.push(...layoutProblems(id, L));
      await page.locator(`#${id} canvas`).scrollIntoViewIfNeeded();
      const box = await page.locator(`#${id} canvas`).boundingBox();
      await page.touchscreen.tap(box.x + 1 + L.plot[0] + L.plot[2] * 0.6, box.y + 1 + L.plot[1] + L.plot[3] / 2);
      await page.waitForFunction((id) => !document.querySelector(`#${id} .chart-dot`).hidden, id, { timeout: 2000 }).catch(() => {});
      bad.push(...markerProblems(id, L, await markerOf(page, id), 'tap'));
      tapped++;
    }
    figures.charts_tapped_390px_dark = tapped;
    assert.ok(tapped >= 12, `charts tapped: ${tapped}`);
    assert.deepEqual(bad, [], `${bad.length} problems:\n${bad.join('\n')}`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a doubling time equal to a preset draws one line, its legend naming both', async () => {
    // 8 months is a preset of the density charts.
    const page = await openPage(browser, `${srv.base}?dm=8`, { viewport: { width: 1000, height: 800 } });
    await page.locator('#chart-density-params canvas').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('#chart-density-params canvas').dataset.series !== undefined);
    const L = await layoutOf(page, 'chart-density-params');
    const fp = L.series.map((s) => s.split(':')[0]);
    assert.equal(new Set(fp).size, fp.length, L.series.join(' '));
    assert.ok(L.labels.some(({ text }) => / = /.test(text) && /8/.test(text)), L.labels.map((l) => l.text).join(' | '));
    await page.context().close();
  });
}
