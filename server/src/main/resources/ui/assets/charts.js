// The four panels under the KPI cards, drawn as plain SVG and HTML.
import { el, svg, replace } from './dom.js';
import { count, initials, relative } from './format.js';

const SERIES = ['auth', 'writes', 'other'];

function bucketLabel(start, bucket) {
  const d = new Date(start);
  if (bucket === 'hour') return d.toLocaleTimeString('en', { hour: '2-digit', minute: '2-digit' });
  return d.toLocaleDateString('en', { month: 'short', day: 'numeric' });
}

/** Stacked bars of auth / writes / other per bucket. */
export function volume(node, series, bucket) {
  if (!series?.length) {
    replace(node, el('p', { class: 'empty', text: 'No events in this window.' }));
    return;
  }
  const W = 600, H = 180, left = 40, bottom = 20, top = 8;
  const max = Math.max(1, ...series.map((b) => SERIES.reduce((t, k) => t + (b[k] ?? 0), 0)));
  const step = (W - left) / series.length;
  const barW = Math.max(1, step * 0.8);
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'volume', role: 'img', 'aria-label': 'Events over time' });
  for (const frac of [0, 0.5, 1]) {
    const y = top + (H - top - bottom) * (1 - frac);
    chart.append(svg('line', { x1: left, x2: W, y1: y, y2: y, class: 'grid' }));
    chart.append(svg('text', { x: left - 4, y: y + 4, class: 'axis', 'text-anchor': 'end' }, count(Math.round(max * frac))));
  }
  const labelEvery = Math.ceil(series.length / 8);
  series.forEach((b, i) => {
    let y = H - bottom;
    const x = left + i * step + (step - barW) / 2;
    const g = svg('g', { class: 'bucket' });
    g.append(svg('title', {}, `${bucketLabel(b.start, bucket)}: ${SERIES.map((k) => `${k} ${b[k] ?? 0}`).join(', ')}`));
    for (const k of SERIES) {
      const h = ((b[k] ?? 0) / max) * (H - top - bottom);
      if (h <= 0) continue;
      y -= h;
      g.append(svg('rect', { x, y, width: barW, height: h, class: `s-${k}` }));
    }
    chart.append(g);
    if (i % labelEvery === 0) chart.append(svg('text', { x: x + barW / 2, y: H - 5, class: 'axis', 'text-anchor': 'middle' }, bucketLabel(b.start, bucket)));
  });
  replace(node, chart);
}

/** The auth / writes / other split as a ring with a legend. */
export function donut(node, series) {
  const totals = Object.fromEntries(SERIES.map((k) => [k, (series ?? []).reduce((t, b) => t + (b[k] ?? 0), 0)]));
  const sum = SERIES.reduce((t, k) => t + totals[k], 0);
  const ring = svg('svg', { viewBox: '0 0 42 42', class: 'donut', role: 'img', 'aria-label': 'Event split' });
  ring.append(svg('circle', { cx: 21, cy: 21, r: 15.9155, class: 'ring' }));
  let offset = 25;
  for (const k of SERIES) {
    const pct = sum ? (totals[k] / sum) * 100 : 0;
    if (pct > 0) ring.append(svg('circle', { cx: 21, cy: 21, r: 15.9155, class: `seg s-${k}`, 'stroke-dasharray': `${pct} ${100 - pct}`, 'stroke-dashoffset': offset }));
    offset -= pct;
  }
  ring.append(svg('text', { x: 21, y: 23, class: 'donut-total', 'text-anchor': 'middle' }, count(sum)));
  const names = { auth: 'Auth', writes: 'Writes', other: 'Other' };
  const legend = el('ul', { class: 'donut-legend' }, SERIES.map((k) =>
    el('li', {}, el('span', { class: `sw ${k}` }), `${names[k]} `, el('b', { text: count(totals[k]) }), sum ? ` (${Math.round((totals[k] / sum) * 100)}%)` : '')));
  replace(node, ring, legend);
}

/** The four most active actors. */
export function topActors(node, actors) {
  if (!actors?.length) {
    replace(node, el('li', { class: 'empty', text: 'Nobody acted in this window.' }));
    return;
  }
  replace(node, actors.slice(0, 4).map((a) => el('li', {},
    el('span', { class: 'avatar', text: initials(a.name || a.email || a.id), 'aria-hidden': 'true' }),
    el('span', { class: 'who' }, el('b', { text: a.name || a.email || a.id || 'System' }), el('small', { text: a.email || a.id || '' })),
    el('span', { class: 'n' }, el('b', { text: count(a.count) }), el('small', { text: a.last_seen ? `last ${relative(a.last_seen)}` : '' })))));
}

/** Horizontal bars per category; zero counts are left out. */
export function byCategory(node, rows) {
  const shown = (rows ?? []).filter((r) => r.count > 0);
  if (!shown.length) {
    replace(node, el('p', { class: 'empty', text: 'No events in this window.' }));
    return;
  }
  const max = Math.max(...shown.map((r) => r.count));
  replace(node, shown.map((r) => {
    const fill = el('span', { class: 'fill' });
    fill.style.width = `${Math.max(1, (r.count / max) * 100)}%`;
    return el('div', { class: 'bar', title: `${r.category}: ${r.count}` }, el('span', { class: 'name', text: r.category }), el('span', { class: 'track' }, fill), el('span', { class: 'n', text: count(r.count) }));
  }));
}
