// The Activity Log page: reads the filters from the URL, loads one page of events (with facet
// counts) and the window's stats, and keeps everything in step as the filters change.
import { $, el, replace } from './dom.js';
import { api, explain } from './api.js';
import { count, own, STATUSES, TYPES, typeLabel, statusLabel } from './format.js';
import * as state from './state.js';
import * as charts from './charts.js';
import { EventTable } from './table.js';
import { renderDetail } from './detail.js';
import { Live } from './live.js';
import { Exporter } from './exporter.js';
import { SavedViews } from './views.js';
import { RetentionDialog } from './retention.js';

const PAGE_SIZE = 20;
let s = state.fromQuery(location.search);
let cfg = { features: {}, resource_urls: {} };
let cursors = [null]; // cursor of each page visited; the last is the current page
let nextCursor = null; // where the page after the current one starts
let loadSeq = 0;
let lastFacets = null;
let openRow = null;

const table = new EventTable($('events').tBodies[0], openDetail);
const live = new Live({ onEvents: liveEvents, onState: liveState });
const views = new SavedViews({ current: () => state.toQuery(s), apply: (query) => navigate(state.fromQuery(query)) });
const exporter = new Exporter(false);
const retention = new RetentionDialog();

// ---- loading -------------------------------------------------------------------------------

async function loadAll() {
  const seq = ++loadSeq;
  document.body.dataset.state = 'loading';
  setTableState('loading');
  const filters = state.filterParams(s);
  const eventsQuery = new URLSearchParams(filters);
  eventsQuery.set('limit', PAGE_SIZE);
  eventsQuery.set('facets', 'category,type,status');
  const cursor = cursors[cursors.length - 1];
  if (cursor) eventsQuery.set('cursor', cursor);
  const statsQuery = new URLSearchParams(filters);
  statsQuery.set('bucket', state.bucketOf(s));
  const events = api(`/v1/events?${eventsQuery}`);
  const stats = cursors.length === 1 ? api(`/v1/stats?${statsQuery}`) : null;
  await Promise.all([showEvents(seq, events), stats && showStats(seq, stats)]);
  if (seq === loadSeq) document.body.dataset.state = 'idle';
}

async function showEvents(seq, request) {
  let page;
  try {
    page = await request;
  } catch (e) {
    if (seq !== loadSeq) return;
    if (e.code === 'invalid_query') {
      showQueryError(e.message);
      table.show([]);
      setTableState('message', 'Fix the search above to see events.');
    } else {
      setTableState('message', `Could not load events. ${explain(e)}`, true);
    }
    return;
  }
  if (seq !== loadSeq) return;
  showQueryError(null);
  table.show(page.events);
  nextCursor = page.next_cursor ?? null;
  $('older').disabled = !page.next_cursor;
  $('newer').disabled = cursors.length <= 1;
  $('page-info').textContent = page.events.length ? `Page ${cursors.length} · ${page.events.length} events` : '';
  if (page.facets) lastFacets = page.facets;
  renderFacets(page.events);
  if (page.events.length) setTableState('');
  else setTableState('message', s.scope === 'mine'
    ? 'No events of yours match. Switch the scope to Workspace to see everyone’s, widen the time range, or reset the filters.'
    : 'No events match. Widen the time range or reset the filters.');
}

async function showStats(seq, request) {
  let st;
  try {
    st = await request;
  } catch (e) {
    if (seq !== loadSeq) return;
    clearStats(e.status === 404 && e.code === 'not_found'
      ? 'Key figures and charts are not available on this server (it has no GET /v1/stats).'
      : e.code === 'invalid_query' ? 'Fix the search to see key figures and charts.' : `Key figures could not be loaded. ${explain(e)}`);
    return;
  }
  if (seq !== loadSeq) return;
  $('stats-note').hidden = true;
  $('kpi-total').textContent = count(st.total);
  const change = $('kpi-change');
  if (st.change_pct === null || st.change_pct === undefined) {
    change.textContent = st.previous_total === 0 ? 'no events in the previous period' : '';
    change.className = 'delta';
  } else {
    const pct = Math.round(st.change_pct * 10) / 10;
    change.textContent = `${pct > 0 ? '▲' : pct < 0 ? '▼' : '■'} ${Math.abs(pct)}% vs previous period`;
    change.className = `delta ${pct > 0 ? 'up' : pct < 0 ? 'down' : ''}`;
  }
  $('kpi-sign-ins').textContent = count(st.sign_ins);
  $('kpi-writes').textContent = count(st.writes);
  $('kpi-reads').textContent = count(st.reads_other);
  $('kpi-ips').textContent = count(st.unique_ips);
  charts.volume($('volume'), st.series, state.bucketOf(s));
  charts.donut($('donut'), st.series);
  charts.topActors($('top-actors'), st.top_actors);
  charts.byCategory($('by-category'), st.by_category);
}

function clearStats(note) {
  for (const id of ['kpi-total', 'kpi-sign-ins', 'kpi-writes', 'kpi-reads', 'kpi-ips']) $(id).textContent = '—';
  $('kpi-change').textContent = '';
  $('stats-note').textContent = note;
  $('stats-note').hidden = false;
  for (const id of ['volume', 'donut', 'by-category']) replace($(id), el('p', { class: 'empty', text: 'Not available.' }));
  replace($('top-actors'), el('li', { class: 'empty', text: 'Not available.' }));
}

function setTableState(kind, text = '', error = false) {
  const node = $('table-state');
  $('events').classList.toggle('loading', kind === 'loading');
  node.className = `table-state${error ? ' error' : ''}`;
  node.textContent = kind === 'loading' ? 'Loading events…' : text;
  node.hidden = !kind;
}

function showQueryError(message) {
  const node = $('query-error');
  node.hidden = !message;
  node.textContent = message ? `Search: ${message}` : '';
  $('f-q').setAttribute('aria-invalid', message ? 'true' : 'false');
}

// ---- filters -------------------------------------------------------------------------------

/** A facet's count for a value: own properties only, so a value named like an Object method counts 0. */
function facetCount(facet, value) {
  const n = own(facet, value);
  return typeof n === 'number' ? n : 0;
}

function multiOptions(id, known, labelOf, facet, selected) {
  const values = [...new Set([...known.keys(), ...Object.keys(facet ?? {}), ...selected])];
  replace($(id).querySelector('.options'), values.map((v) => el('label', {},
    el('input', { type: 'checkbox', value: v, checked: selected.includes(v) }),
    ` ${labelOf(v)}${facet ? ` (${count(facetCount(facet, v))})` : ''}`)));
  $(id).querySelector('summary').textContent = `${id === 'f-type' ? 'Type' : 'Status'}${selected.length ? ` (${selected.length})` : ''}`;
}

function renderFacets(events) {
  const cats = lastFacets?.category;
  const names = cats ? Object.keys(cats) : [...new Set(events.map((e) => e.category))];
  if (s.category && !names.includes(s.category)) names.push(s.category);
  names.sort();
  replace($('f-category'), el('option', { value: '', text: 'All categories' }),
    names.map((c) => el('option', { value: c, selected: c === s.category, text: cats ? `${c} (${count(facetCount(cats, c))})` : c })));
  multiOptions('f-type', TYPES, typeLabel, lastFacets?.type, s.type);
  multiOptions('f-status', STATUSES, statusLabel, lastFacets?.status, s.status);
}

/** Puts the state into the controls. */
function showState() {
  $('range').value = s.range;
  $('custom-range').hidden = s.range !== 'custom';
  $('from').value = s.from ? toLocalInput(s.from) : '';
  $('to').value = s.to ? toLocalInput(s.to) : '';
  $('scope-mine').setAttribute('aria-pressed', String(s.scope === 'mine'));
  $('scope-workspace').setAttribute('aria-pressed', String(s.scope === 'workspace'));
  $('bucket').value = state.bucketOf(s);
  $('f-actor').value = s.actor;
  $('f-actor').disabled = s.scope === 'mine';
  $('f-actor').title = s.scope === 'mine' ? 'My activity shows only your own events; switch to Workspace to filter by actor' : '';
  $('f-resource-type').value = s.resource_type;
  $('f-resource-id').value = s.resource_id;
  $('f-q').value = s.q;
  renderFacets([]);
}

function toLocalInput(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

/** Reads the filter bar into the state. */
function readFilters() {
  const checked = (id) => [...$(id).querySelectorAll('input:checked')].map((i) => i.value);
  return { ...s, category: $('f-category').value, type: checked('f-type'), status: checked('f-status'),
    actor: $('f-actor').value.trim(), resource_type: $('f-resource-type').value.trim(), resource_id: $('f-resource-id').value.trim(), q: $('f-q').value.trim() };
}

/** Moves to a new filter state: URL, controls, data. */
function navigate(next, push = true) {
  s = next;
  cursors = [null];
  const query = state.toQuery(s);
  if (push && query !== location.search.replace(/^\?/, '')) history.pushState(null, '', query ? `?${query}` : location.pathname);
  showState();
  closeDetail();
  if (live.on) live.start(state.filterParams(s));
  loadAll();
}

// ---- detail panel --------------------------------------------------------------------------

function openDetail(e, row) {
  openRow = row;
  renderDetail($('detail-body'), $('detail-title'), e, cfg);
  $('detail').hidden = false;
  document.body.classList.add('detail-open');
}

function closeDetail() {
  if ($('detail').hidden) return;
  $('detail').hidden = true;
  document.body.classList.remove('detail-open');
  for (const r of document.querySelectorAll('#events tr.selected')) r.classList.remove('selected');
  if (openRow?.isConnected) openRow.focus();
  openRow = null;
}

// ---- live ----------------------------------------------------------------------------------

function liveEvents(events) {
  if (cursors.length > 1) return; // only the first page shows new events
  const before = $('events').offsetHeight;
  const tableTop = $('events').getBoundingClientRect().top;
  const added = table.prepend(events); // in log order: each one goes on top of the one before
  if (added) {
    setTableState('');
    if (tableTop < 0) window.scrollBy(0, $('events').offsetHeight - before); // keep what the reader sees in place
  }
}

function liveState({ connection, paused, waiting }) {
  $('live-bar').hidden = connection === 'off';
  $('live-state').textContent = paused ? 'Live · paused' : connection === 'open' ? 'Live · connected' : connection === 'connecting' ? 'Live · connecting…' : 'Live · disconnected';
  $('live-pause').textContent = paused ? 'Resume' : 'Pause';
  $('live-count').hidden = !paused || waiting === 0;
  $('live-count').textContent = `${count(waiting)} new while paused`;
}

// ---- wiring --------------------------------------------------------------------------------

function wire() {
  $('range').addEventListener('change', () => {
    if ($('range').value === 'custom') {
      $('custom-range').hidden = false;
      $('from').focus();
      return;
    }
    navigate({ ...readFilters(), range: $('range').value, from: '', to: '', bucket: '' });
  });
  $('apply-custom').addEventListener('click', () => {
    const from = new Date($('from').value);
    const to = new Date($('to').value);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
      banner('Choose a start and an end, the start before the end.');
      return;
    }
    navigate({ ...readFilters(), range: 'custom', from: from.toISOString(), to: to.toISOString() });
  });
  for (const id of ['scope-mine', 'scope-workspace']) $(id).addEventListener('click', (e) => navigate({ ...readFilters(), scope: e.currentTarget.dataset.scope }));
  $('bucket').addEventListener('change', () => navigate({ ...s, bucket: $('bucket').value }));
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    navigate(readFilters());
  });
  $('f-category').addEventListener('change', () => navigate(readFilters()));
  for (const id of ['f-type', 'f-status']) $(id).addEventListener('change', () => navigate(readFilters()));
  $('reset').addEventListener('click', () => navigate(state.defaults()));
  $('refresh').addEventListener('click', () => loadAll());
  $('older').addEventListener('click', () => {
    if (!nextCursor) return;
    cursors = [...cursors, nextCursor];
    loadAll();
  });
  $('newer').addEventListener('click', () => {
    if (cursors.length <= 1) return;
    cursors = cursors.slice(0, -1);
    loadAll();
  });
  $('detail-close').addEventListener('click', closeDetail);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !$('detail').hidden && !$('export-dialog').open) closeDetail();
  });
  window.addEventListener('popstate', () => navigate(state.fromQuery(location.search), false));
  $('live').addEventListener('change', () => {
    if (!$('live').checked) return live.stop();
    if (!cfg.features.stream) {
      $('live').checked = false;
      banner('Live updates are not available on this server yet (it has no GET /v1/events/stream).');
      return;
    }
    if (cursors.length > 1) {
      cursors = [null];
      loadAll();
    }
    live.start(state.filterParams(s));
  });
  $('live-pause').addEventListener('click', () => (live.paused ? live.resume() : live.pause()));
  $('export-open').addEventListener('click', () => exporter.open(state.filterParams(s), state.describe(s)));
  $('retention-open').addEventListener('click', () => retention.open(cfg.workspace));
  $('retention-dialog').addEventListener('retention-changed', () => loadAll());
  $('sign-out').addEventListener('click', async () => {
    try {
      await api('/ui/logout', { method: 'POST' });
    } finally {
      location.href = '/ui/';
    }
  });
}

function banner(text) {
  const b = $('banner');
  b.textContent = text;
  b.hidden = !text;
}

async function start() {
  wire();
  showState();
  const config = api('/v1/ui/config');
  loadAll();
  views.load();
  try {
    cfg = await config;
  } catch (e) {
    banner(explain(e));
  }
  const p = cfg.person;
  $('who').textContent = p ? `${p.name || p.email || p.id} · ${cfg.workspace}` : cfg.workspace ?? '';
  exporter.available = Boolean(cfg.features?.exports);
  $('retention-open').hidden = !cfg.features?.retention;
  document.body.dataset.ready = 'true';
}

start();
