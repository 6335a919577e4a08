// Saved views: named filter sets kept on the server for the signed-in person.
import { el, replace, $ } from './dom.js';
import { api, explain } from './api.js';

export class SavedViews {
  constructor({ current, apply }) {
    this.current = current;
    this.apply = apply;
    this.views = [];
    $('views').addEventListener('change', () => {
      const v = this.views.find((x) => x.id === $('views').value);
      if (v) this.apply(v.query);
    });
    $('view-save').addEventListener('click', () => this.save());
    $('view-name').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.save();
      }
    });
    $('view-delete').addEventListener('click', () => this.remove());
  }

  async load() {
    try {
      this.views = (await api('/v1/views')).views;
      this.render();
    } catch (e) {
      this.message(`Saved views could not be loaded: ${explain(e)}`);
    }
  }

  render(selected = '') {
    replace($('views'), el('option', { value: '', text: this.views.length ? 'Choose a view…' : 'No saved views yet' }),
      this.views.map((v) => el('option', { value: v.id, text: v.name, selected: v.id === selected })));
  }

  async save() {
    const name = $('view-name').value.trim();
    if (!name) {
      this.message('Type a name for the view first.');
      $('view-name').focus();
      return;
    }
    try {
      const v = await api('/v1/views', { method: 'POST', body: { name, query: this.current() } });
      this.views.push(v);
      this.render(v.id);
      $('view-name').value = '';
      this.message(`Saved “${v.name}”.`);
    } catch (e) {
      this.message(`Not saved: ${explain(e)}`);
    }
  }

  async remove() {
    const id = $('views').value;
    const v = this.views.find((x) => x.id === id);
    if (!v) {
      this.message('Choose a saved view to delete.');
      return;
    }
    try {
      await api(`/v1/views/${encodeURIComponent(id)}`, { method: 'DELETE' });
      this.views = this.views.filter((x) => x.id !== id);
      this.render();
      this.message(`Deleted “${v.name}”.`);
    } catch (e) {
      this.message(`Not deleted: ${explain(e)}`);
    }
  }

  message(text) {
    $('views-msg').textContent = text;
  }
}
