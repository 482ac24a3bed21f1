// Live updates of one series: the server's WebSocket (/ws/live), with reconnects, and polling of /api/live every 5 s
// when the WebSocket cannot be used. Every (re)subscription calls onSubscribed, so the page reloads from the API and
// a reconnect leaves no silent gap.

const POLL_MS = 5000;
const FAILURES_BEFORE_POLLING = 2;
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 30000;

/**
 * The wait before reconnect attempt `failures` (1, 2, …): a random point between 250 ms and a ceiling that doubles per
 * failure (2 s, 4 s, … 30 s): "full jitter", so the pages a server restart disconnected come back spread out, not all
 * at once.
 */
export function retryDelay(failures, random = Math.random) {
  const ceiling = Math.min(RETRY_MAX_MS, 1000 * 2 ** Math.min(Math.max(failures, 1), 5));
  return Math.round(RETRY_MIN_MS + random() * (ceiling - RETRY_MIN_MS));
}

export class LiveFeed {
  /**
   * @param {{symbol: string, timeframe: string, onSubscribed: () => void, onCandle: (c: object) => void,
   *          onPoll: () => Promise<void>, onStatus: (status: string, text: string) => void}} options
   */
  constructor(options) {
    this.options = options;
    this.socket = null;
    this.closed = false;
    this.failures = 0;
    this.retryTimer = 0;
    this.pollTimer = 0;
  }

  start() {
    if (typeof WebSocket !== 'function') {
      this.startPolling('WebSocket unavailable');
      return;
    }

    this.connect();
  }

  close() {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.stopPolling();
    if (this.socket) {
      this.socket.onclose = null;
      this.socket.close(1000, 'page changed series');
      this.socket = null;
    }
  }

  connect() {
    const { symbol, timeframe } = this.options;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${scheme}//${location.host}/ws/live?symbol=${encodeURIComponent(symbol)}&tf=${encodeURIComponent(timeframe)}`;
    this.status(this.failures === 0 && !this.pollTimer ? 'connecting' : this.pollTimer ? 'polling' : 'reconnecting');
    let socket;
    try {
      socket = new WebSocket(url);
    } catch (error) {
      console.warn('WebSocket refused', error);
      this.startPolling('WebSocket refused');
      return;
    }

    this.socket = socket;
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = () => this.disconnected();
  }

  receive(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }

    const { symbol, timeframe } = this.options;
    if (message.symbol !== symbol || message.timeframe !== timeframe) {
      return;
    }

    if (message.type === 'subscribed') {
      this.failures = 0;
      this.stopPolling();
      this.status('live');
      this.options.onSubscribed();
    } else if (message.type === 'candle') {
      this.options.onCandle(message.candle);
    }
  }

  disconnected() {
    this.socket = null;
    if (this.closed) {
      return;
    }

    this.failures++;
    if (this.failures >= FAILURES_BEFORE_POLLING) {
      this.startPolling('WebSocket unavailable');
    } else {
      this.status('reconnecting');
    }

    // Keep trying the WebSocket (with jittered backoff) even while polling: push is better when it comes back.
    this.retryTimer = setTimeout(() => this.connect(), retryDelay(this.failures));
  }

  startPolling(reason) {
    if (this.pollTimer || this.closed) {
      return;
    }

    this.status('polling', `polling every 5 s (${reason})`);
    const poll = async () => {
      try {
        await this.options.onPoll();
        if (this.pollTimer) {
          this.status('polling', `polling every 5 s (${reason})`);
        }
      } catch (error) {
        console.warn('poll failed', error);
        this.status('offline');
      }
    };
    this.pollTimer = setInterval(poll, POLL_MS);
    poll();
  }

  stopPolling() {
    clearInterval(this.pollTimer);
    this.pollTimer = 0;
  }

  status(status, text) {
    const texts = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', polling: 'polling', offline: 'offline' };
    this.options.onStatus(status, text ?? texts[status] ?? status);
  }
}
