// The chart on a page, drawn with lightweight-charts (v5 API, panes): candlesticks on top, the cumulative delta in
// its own pane when the series has order flow, and the volume histogram in its own pane at the bottom. The candles
// come validated from the server; this module only converts them to the library's shapes and never alters prices.
import { createChart, CandlestickSeries, HistogramSeries, LineSeries, ColorType } from '/lib/lightweight-charts.mjs';

const UP = '#26a69a';
const DOWN = '#ef5350';
// Volume of a candle with flow: by the sign of its delta. Without flow: by the candle's direction, muted.
const BUYERS = '#26a69a';
const SELLERS = '#ef5350';
const BALANCED = '#787b86';
const MUTED_UP = 'rgba(38,166,154,.45)';
const MUTED_DOWN = 'rgba(239,83,80,.45)';
const CUM_DELTA = '#5b9cf6';

const CANDLE_PANE = 0;
const VOLUME_PANE = 1;
const CUM_DELTA_PANE = 2; // added after the volume pane, then moved above it: the volume stays at the bottom

const signed = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, signDisplay: 'exceptZero' });

/**
 * A candle as the API sends it: {time (Unix seconds), open, high, low, close, volume}, plus buyVolume, sellVolume and
 * delta when it has order flow.
 */
export function isCandle(c) {
  return c !== null && typeof c === 'object'
    && Number.isSafeInteger(c.time)
    && [c.open, c.high, c.low, c.close, c.volume].every(Number.isFinite);
}

/** Whether the candle carries order flow (the server sends the three fields only then). */
export const hasFlow = (c) => Number.isFinite(c.buyVolume) && Number.isFinite(c.sellVolume) && Number.isFinite(c.delta)
  && c.buyVolume + c.sellVolume > 0;

/** The candle's delta (buy − sell volume), 0 without flow. */
export const deltaOf = (c) => (hasFlow(c) ? c.delta : 0);

const toBar = (c) => ({ time: c.time, open: c.open, high: c.high, low: c.low, close: c.close });

function volumeColor(c) {
  if (hasFlow(c)) {
    return c.delta > 0 ? BUYERS : c.delta < 0 ? SELLERS : BALANCED;
  }

  return c.close >= c.open ? MUTED_UP : MUTED_DOWN;
}

const toVolume = (c) => ({ time: c.time, value: c.volume, color: volumeColor(c) });

export class ChartView {
  /**
   * @param {HTMLElement} container the element the chart fills
   * @param {HTMLElement} message the overlay shown instead of an empty chart
   * @param {HTMLElement | null} legend the "Cum. Δ" legend (shown while the series has flow); its <strong> gets the value
   */
  constructor(container, message, legend = null) {
    this.message = message;
    this.legend = legend;
    this.legendValue = legend?.querySelector('strong') ?? null;
    this.chart = createChart(container, {
      autoSize: true,
      // The logo injects an inline <style>, which the Content-Security-Policy refuses; the footer carries the attribution.
      layout: {
        background: { type: ColorType.Solid, color: '#0f1115' },
        textColor: '#d1d4dc',
        attributionLogo: false,
        panes: { separatorColor: '#262c36', separatorHoverColor: 'rgba(41,98,255,.25)' },
      },
      grid: { vertLines: { color: '#1c212b' }, horzLines: { color: '#1c212b' } },
      rightPriceScale: { borderColor: '#262c36' },
      timeScale: { borderColor: '#262c36', timeVisible: true, secondsVisible: false },
      crosshair: { mode: 0 },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: UP, downColor: DOWN, wickUpColor: UP, wickDownColor: DOWN, borderVisible: false,
    }, CANDLE_PANE);
    this.candles.priceScale().applyOptions({ scaleMargins: { top: 0.06, bottom: 0.06 } });
    this.volume = this.chart.addSeries(HistogramSeries, {
      priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false,
    }, VOLUME_PANE);
    this.volume.priceScale().applyOptions({ scaleMargins: { top: 0.12, bottom: 0 } });
    this.chart.panes()[CANDLE_PANE].setStretchFactor(3);
    this.chart.panes()[VOLUME_PANE].setStretchFactor(1);
    this.cumDelta = null; // the line series, while the series has flow
    this.cum = []; // the running sum of delta over the loaded candles: [{time, value}], one point per bar
    this.state = {
      series: '', bars: 0, last: null, noData: false, error: null, loads: 0, updates: 0, ignored: 0, failed: 0, flow: false, cumDelta: null,
    };
    this.exposeData();
    this.publish();
  }

  /** Replaces the whole series (ascending candles). Shows the no-data message when there are none. */
  setData(series, candles, noDataText) {
    const valid = candles.filter(isCandle);
    this.candles.setData(valid.map(toBar));
    this.volume.setData(valid.map(toVolume));
    let sum = 0;
    this.cum = valid.map((c) => ({ time: c.time, value: (sum += deltaOf(c)) }));
    this.showCumDelta(valid.some(hasFlow));
    Object.assign(this.state, { series, bars: valid.length, last: valid.at(-1) ?? null, loads: this.state.loads + 1, error: null });
    if (valid.length === 0) {
      this.showMessage(noDataText);
    } else {
      this.hideMessage();
      this.chart.timeScale().scrollToRealTime();
    }

    this.publish();
  }

  /** Clears the chart while another series loads. */
  clear(series, text) {
    this.candles.setData([]);
    this.volume.setData([]);
    this.cum = [];
    this.showCumDelta(false);
    Object.assign(this.state, { series, bars: 0, last: null });
    this.showMessage(text, false);
    this.publish();
  }

  /**
   * Applies one live candle. Returns 'applied', 'ignored' (older than the last bar: lightweight-charts would throw
   * "Cannot update oldest data") or 'failed' (the library refused it: the caller reloads the series).
   * The cumulative delta follows: the current bar's delta is replaced (same time) or a point is appended (new bar).
   */
  update(candle) {
    if (!isCandle(candle)) {
      this.state.ignored++;
      this.publish();
      return 'ignored';
    }

    const last = this.state.last;
    if (last === null) {
      this.setData(this.state.series, [candle], '');
      return 'applied';
    }

    if (candle.time < last.time) {
      this.state.ignored++;
      this.publish();
      return 'ignored';
    }

    const appends = candle.time > last.time;
    const before = appends ? this.cum.at(-1) : this.cum.at(-2); // the sum of every delta before this bar
    const point = { time: candle.time, value: (before?.value ?? 0) + deltaOf(candle) };
    try {
      this.candles.update(toBar(candle));
      this.volume.update(toVolume(candle));
      if (appends) {
        this.cum.push(point);
      } else {
        this.cum[this.cum.length - 1] = point;
      }

      if (this.cumDelta) {
        this.cumDelta.update(point);
      } else if (hasFlow(candle)) {
        this.showCumDelta(true); // the first candle with flow: draws the whole running sum once
      }
    } catch (error) {
      console.warn('chart refused a live update; reloading', error);
      this.state.failed++;
      this.publish();
      return 'failed';
    }

    if (appends) {
      this.state.bars++;
    }

    this.state.last = candle;
    this.state.updates++;
    this.publish();
    return 'applied';
  }

  /** Shows the cumulative-delta pane with the whole running sum, or removes it (and its pane). */
  showCumDelta(show) {
    if (show) {
      if (!this.cumDelta) {
        this.cumDelta = this.chart.addSeries(LineSeries, {
          color: CUM_DELTA,
          lineWidth: 2,
          title: 'Cum. Δ',
          priceFormat: { type: 'price', precision: 0, minMove: 1 },
          priceLineVisible: false,
          lastValueVisible: true,
          crosshairMarkerVisible: false,
        }, CUM_DELTA_PANE);
        const pane = this.cumDelta.getPane();
        pane.moveTo(VOLUME_PANE);
        pane.setStretchFactor(1);
        this.cumDelta.priceScale().applyOptions({ scaleMargins: { top: 0.12, bottom: 0.12 } });
      }

      this.cumDelta.setData(this.cum);
    } else if (this.cumDelta) {
      this.chart.removeSeries(this.cumDelta); // its pane goes with it
      this.cumDelta = null;
    }
  }

  showMessage(text, noData = true) {
    this.message.textContent = text;
    this.message.hidden = false;
    delete this.message.dataset.kind;
    this.state.noData = noData;
  }

  /** The server could not give the series (a 5xx: store down, corrupt data): an empty chart and the error, not a broken chart. */
  showError(series, text) {
    this.clear(series, text);
    this.message.dataset.kind = 'error';
    this.state.error = text;
    this.publish();
  }

  hideMessage() {
    this.message.hidden = true;
    delete this.message.dataset.kind;
    this.state.noData = false;
  }

  /**
   * Read-only views of what is drawn, for tests and debugging: window.__chartData.cumDelta() and .volume() (copies of
   * the series data), .panes() (each pane's name and page rectangle, top to bottom) and .x(time) (a bar's x in its pane).
   */
  exposeData() {
    const copy = (series, map) => (series ? series.data().map(map) : []);
    const name = (pane) => {
      const series = pane.getSeries();
      return series.includes(this.candles) ? 'candles'
        : series.includes(this.volume) ? 'volume'
          : this.cumDelta && series.includes(this.cumDelta) ? 'cumDelta' : 'other';
    };
    const rect = (element) => {
      const r = element?.getBoundingClientRect();
      return r ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null;
    };
    Object.defineProperty(window, '__chartData', {
      configurable: true,
      value: Object.freeze({
        cumDelta: () => copy(this.cumDelta, (p) => ({ time: p.time, value: p.value })),
        volume: () => copy(this.volume, (p) => ({ time: p.time, value: p.value, color: p.color })),
        panes: () => this.chart.panes().map((pane) => ({ name: name(pane), ...rect(pane.getHTMLElement()) })),
        x: (time) => this.chart.timeScale().timeToCoordinate(time),
      }),
    });
  }

  /** Exposes the chart's state for tests and debugging: window.__chart and data-* attributes on <html>; updates the legend. */
  publish() {
    const s = this.state;
    s.flow = this.cumDelta !== null;
    s.cumDelta = s.flow ? (this.cum.at(-1)?.value ?? 0) : null;
    window.__chart = { ...s, last: s.last ? { ...s.last } : null };
    const d = document.documentElement.dataset;
    d.series = s.series;
    d.bars = String(s.bars);
    d.lastTime = s.last ? String(s.last.time) : '';
    d.noData = String(s.noData);
    d.flow = String(s.flow);
    d.cumDelta = s.flow ? String(s.cumDelta) : '';
    if (this.legend) {
      this.legend.hidden = !s.flow;
      if (this.legendValue && s.flow) {
        this.legendValue.textContent = signed.format(s.cumDelta);
        this.legendValue.dataset.sign = s.cumDelta > 0 ? 'positive' : s.cumDelta < 0 ? 'negative' : 'zero';
      }
    }
  }
}
