// The controller shared by the live page and the 1-year page: series state in the URL (?symbol=GC&tf=1m), the
// switchers, loading from the JSON API and keeping the chart current with the live feed. The chart view draws the
// order flow (volume by delta, the cumulative delta and its "Cum. Δ" legend next to the title) from the candles.
import { ChartView, isCandle } from './chart-view.js';
import { LiveFeed } from './live-feed.js';

export const SYMBOLS = ['GC', 'SI', 'CL', 'ES', 'NQ'];
export const TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h', '1d'];
const LIVE_BARS = 500;
const MAX_PENDING = 1000;

/** GET a JSON resource of the API: the parsed body, or null for a 404 (no data). */
async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-cache' });
  if (response.status === 404) {
    return null;
  }

  if (!response.ok) {
    throw new Error(`${url} answered ${response.status}`);
  }

  return response.json();
}

/** The series with the server's current candle in place of (or after) its last bar; older ones are left out. */
function withCurrent(candles, current) {
  if (!isCandle(current)) {
    return candles;
  }

  const last = candles.at(-1);
  if (!last || current.time > last.time) {
    return [...candles, current];
  }

  return current.time === last.time ? [...candles.slice(0, -1), current] : candles;
}

async function loadLive(symbol, tf) {
  const live = await getJson(`/api/live/${symbol}/${tf}`);
  let candles = Array.isArray(live?.buffer) ? live.buffer.filter(isCandle) : [];
  if (candles.length === 0) {
    const chart = await getJson(`/api/chart/${symbol}/${tf}`);
    candles = Array.isArray(chart?.candles) ? chart.candles.slice(-LIVE_BARS) : [];
  }

  return withCurrent(candles, live?.current).slice(-LIVE_BARS);
}

async function loadYear(symbol, tf) {
  const [chart, live] = await Promise.all([
    getJson(`/api/chart/${symbol}/${tf}`),
    getJson(`/api/live/${symbol}/${tf}`).catch(() => null),
  ]);
  const candles = Array.isArray(chart?.candles) ? chart.candles : [];
  return withCurrent(candles, live?.current);
}

function readState(defaults) {
  const query = new URLSearchParams(location.search);
  const symbol = (query.get('symbol') ?? '').toUpperCase();
  const timeframe = query.get('tf') ?? '';
  return {
    symbol: SYMBOLS.includes(symbol) ? symbol : defaults.symbol,
    timeframe: TIMEFRAMES.includes(timeframe) ? timeframe : defaults.timeframe,
  };
}

const link = (page, s) => `/${page}.html?symbol=${encodeURIComponent(s.symbol)}&tf=${encodeURIComponent(s.timeframe)}`;

/** Starts a chart page. mode: 'live' (last 500 bars) or 'year' (the whole 1-year series). */
export function startChartPage(mode) {
  const byId = (id) => document.getElementById(id);
  const defaults = { symbol: 'GC', timeframe: mode === 'live' ? '1m' : '1d' };
  const view = new ChartView(byId('chart'), byId('message'), byId('cum-delta'));
  const statusElement = byId('status');
  let state = readState(defaults);
  let feed = null;
  let generation = 0; // bumped on every series change: answers for an older series are dropped
  let reloads = 0; // sequence of reloads: a slower, older answer never overwrites a newer one
  let applied = 0;
  let inFlight = 0; // while a reload runs, live candles wait in `pending` and are applied after it
  let pending = [];

  const name = () => `${state.symbol} ${state.timeframe}`;

  function setStatus(status, text) {
    statusElement.dataset.status = status;
    statusElement.textContent = text;
    view.state.status = status;
    view.publish();
  }

  function applyLive(candle) {
    if (inFlight > 0) {
      if (pending.length < MAX_PENDING) {
        pending.push(candle);
      }

      return;
    }

    if (view.update(candle) === 'failed') {
      reload();
    }
  }

  async function reload() {
    const gen = generation;
    const seq = ++reloads;
    const { symbol, timeframe } = state;
    inFlight++;
    try {
      const candles = await (mode === 'live' ? loadLive(symbol, timeframe) : loadYear(symbol, timeframe));
      if (gen !== generation || seq < applied) {
        return;
      }

      applied = seq;
      try {
        view.setData(name(), candles, `No data for ${symbol} ${timeframe}: the store has nothing for this series yet.`);
      } catch (error) {
        console.warn('chart refused the series', error);
        view.clear(name(), `The data for ${symbol} ${timeframe} could not be drawn.`);
      }
    } catch (error) {
      if (gen === generation && view.state.bars === 0) {
        view.showError(name(), `Cannot load ${symbol} ${timeframe} from the server (${error.message}). Retrying…`);
      }
    } finally {
      inFlight--;
      if (inFlight === 0 && gen === generation) {
        const queued = pending;
        pending = [];
        queued.forEach(applyLive);
      }
    }
  }

  /** Polling fallback: the current candle and the buffer's newest bars, or a full reload when nothing is shown. */
  async function poll() {
    if (view.state.bars === 0) {
      await reload();
      return;
    }

    const gen = generation;
    const live = await getJson(`/api/live/${state.symbol}/${state.timeframe}`);
    if (gen !== generation || !live) {
      return;
    }

    const lastTime = view.state.last?.time ?? 0;
    const fresh = withCurrent((live.buffer ?? []).filter((c) => isCandle(c) && c.time >= lastTime), live.current);
    fresh.forEach(applyLive);
  }

  function render() {
    for (const button of document.querySelectorAll('[data-symbol]')) {
      const active = button.dataset.symbol === state.symbol;
      button.classList.toggle('active', active);
      button.setAttribute('aria-pressed', String(active));
    }

    for (const button of document.querySelectorAll('[data-tf]')) {
      const active = button.dataset.tf === state.timeframe;
      button.classList.toggle('active', active);
      button.setAttribute('aria-pressed', String(active));
    }

    byId('nav-live').href = link('live', state);
    byId('nav-year').href = link('year', state);
    const what = mode === 'live' ? `last ${LIVE_BARS} bars, live` : '1 year, live';
    byId('title').textContent = `${state.symbol} · ${state.timeframe} · ${what}`;
    document.title = `${state.symbol} ${state.timeframe} · OrderFlow ${mode === 'live' ? 'live' : '1-year'} chart`;
  }

  function select(next, push) {
    state = next;
    generation++;
    pending = [];
    if (push) {
      history.pushState(null, '', link(mode, state));
    }

    render();
    feed?.close();
    view.clear(name(), `Loading ${name()}…`);
    reload();
    feed = new LiveFeed({
      symbol: state.symbol,
      timeframe: state.timeframe,
      onSubscribed: () => reload(),
      onCandle: applyLive,
      onPoll: poll,
      onStatus: setStatus,
    });
    feed.start();
  }

  for (const button of document.querySelectorAll('[data-symbol]')) {
    button.addEventListener('click', () => {
      if (button.dataset.symbol !== state.symbol) {
        select({ ...state, symbol: button.dataset.symbol }, true);
      }
    });
  }

  for (const button of document.querySelectorAll('[data-tf]')) {
    button.addEventListener('click', () => {
      if (button.dataset.tf !== state.timeframe) {
        select({ ...state, timeframe: button.dataset.tf }, true);
      }
    });
  }

  window.addEventListener('popstate', () => select(readState(defaults), false));
  select(state, false);
}
