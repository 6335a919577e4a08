// The events table: one row per event, keyboard navigable (arrows, Home/End, Enter opens).
import { el, replace } from './dom.js';
import { TYPES, actorName, exact, relative, statusLabel, typeLabel } from './format.js';

export class EventTable {
  constructor(tbody, onOpen) {
    this.tbody = tbody;
    this.onOpen = onOpen;
    this.events = new Map();
    tbody.addEventListener('click', (e) => {
      const row = e.target.closest('tr[data-id]');
      if (row) this.open(row);
    });
    tbody.addEventListener('keydown', (e) => this.key(e));
  }

  /** Shows a page of events (replacing what was there). */
  show(events) {
    this.events.clear();
    replace(this.tbody, events.map((e) => this.row(e)));
    this.roving(this.tbody.firstElementChild);
  }

  /** Puts newly arrived events on top (live); returns how many were new. */
  prepend(events) {
    let added = 0;
    for (const e of events) {
      if (this.events.has(e.id)) continue;
      this.tbody.prepend(this.row(e, true));
      added++;
    }
    while (this.tbody.children.length > 500) {
      const last = this.tbody.lastElementChild;
      this.events.delete(last.dataset.id);
      last.remove();
    }
    if (!this.tbody.querySelector('tr[tabindex="0"]')) this.roving(this.tbody.firstElementChild);
    return added;
  }

  event(id) {
    return this.events.get(id);
  }

  row(e, fresh = false) {
    this.events.set(e.id, e);
    const [abbr] = TYPES.get(e.type) ?? [String(e.type ?? '?').slice(0, 2).toUpperCase()];
    return el('tr', { tabindex: '-1', class: fresh ? 'fresh' : '', dataset: { id: e.id, seq: String(e.seq) } },
      el('td', { class: 'c-time' }, el('time', { datetime: e.time, title: exact(e.time), text: relative(e.time) })),
      el('td', { class: 'c-type' }, el('span', { class: `type-icon t-${TYPES.has(e.type) ? e.type : 'custom'}`, title: typeLabel(e.type), text: abbr })),
      el('td', { class: 'c-actor', text: actorName(e.actor) }),
      el('td', { class: 'c-summary', text: e.summary ?? e.action }),
      el('td', { class: 'c-cat', text: e.category }),
      el('td', { class: 'c-status' }, el('span', { class: `status st-${e.status}`, text: statusLabel(e.status) })));
  }

  open(row) {
    this.roving(row);
    row.focus();
    for (const r of this.tbody.querySelectorAll('tr.selected')) r.classList.remove('selected');
    row.classList.add('selected');
    this.onOpen(this.events.get(row.dataset.id), row);
  }

  roving(row) {
    for (const r of this.tbody.querySelectorAll('tr[tabindex="0"]')) r.tabIndex = -1;
    if (row) row.tabIndex = 0;
  }

  key(e) {
    const row = e.target.closest('tr[data-id]');
    if (!row) return;
    const moves = new Map([['ArrowDown', row.nextElementSibling], ['ArrowUp', row.previousElementSibling], ['Home', this.tbody.firstElementChild], ['End', this.tbody.lastElementChild]]);
    const move = moves.get(e.key);
    if (move !== undefined) {
      e.preventDefault();
      if (move) {
        this.roving(move);
        move.focus();
      }
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.open(row);
    }
  }
}
