// Live updates: new events arrive over Server-Sent Events while the toggle is on. Paused, they
// wait in a buffer (the table and scroll position stay put) and a counter shows how many.

export class Live {
  constructor({ onEvents, onState }) {
    this.onEvents = onEvents;
    this.onState = onState;
    this.source = null;
    this.paused = false;
    this.buffer = [];
  }

  get on() {
    return this.source !== null;
  }

  start(params) {
    this.stop();
    this.buffer = [];
    this.paused = false;
    const source = new EventSource(`/v1/events/stream?${params}`);
    const receive = (m) => {
      let e;
      try {
        e = JSON.parse(m.data);
      } catch {
        return; // a keep-alive or a message that is not an event
      }
      if (!e || typeof e !== 'object' || !e.id) return;
      if (this.paused) {
        this.buffer.push(e);
        this.state();
      } else {
        this.onEvents([e]);
      }
    };
    // the server names its messages: 'entry' for an event (id: its cursor), 'ready' and
    // 'resume' for the stream's own state; when the server ends a stream (a slow reader),
    // EventSource reconnects by itself with Last-Event-ID and misses nothing
    source.addEventListener('entry', receive);
    source.addEventListener('open', () => this.state());
    source.addEventListener('error', () => this.state());
    this.source = source;
    this.state();
  }

  stop() {
    if (this.source) this.source.close();
    this.source = null;
    this.buffer = [];
    this.paused = false;
    this.state();
  }

  pause() {
    this.paused = true;
    this.state();
  }

  resume() {
    this.paused = false;
    const waiting = this.buffer;
    this.buffer = [];
    if (waiting.length) this.onEvents(waiting);
    this.state();
  }

  state() {
    const s = this.source;
    const connection = !s ? 'off' : s.readyState === EventSource.OPEN ? 'open' : s.readyState === EventSource.CONNECTING ? 'connecting' : 'closed';
    this.onState({ connection, paused: this.paused, waiting: this.buffer.length });
  }
}
