// The chart on a page: candlesticks plus a volume histogram, drawn with lightweight-charts (v5 API). The candles come
// validated from the server; this module only converts them to the library's shapes and never alters prices.
import { createChart, CandlestickSeries, HistogramSeries, ColorType } from '/lib/lightweight-charts.mjs';

const UP = '#26a69a';
const DOWN = '#ef5350';

/** A candle as the API sends it: {time (Unix seconds), open, high, low, close, volume}. */
export function isCandle(c) {
  return c !== null && typeof c === 'object'
    && Number.isSafeInteger(c.time)
    && [c.open, c.high, c.low, c.close, c.volume].every(Number.isFinite);
}

const toBar = (c) => ({ time: c.time, open: c.open, high: c.high, low: c.low, close: c.close });
const toVolume = (c) => ({ time: c.time, value: c.volume, color: c.close >= c.open ? 'rgba(38,166,154,.45)' : 'rgba(239,83,80,.45)' });

export class ChartView {
  /**
   * @param {HTMLElement} container the element the chart fills
   * @param {HTMLElement} message the overlay shown instead of an empty chart
   */
  constructor(container, message) {
    this.message = message;
    this.chart = createChart(container, {
      autoSize: true,
      // The logo injects an inline <style>, which the Content-Security-Policy refuses; the footer carries the attribution.
      layout: { background: { type: ColorType.Solid, color: '#0f1115' }, textColor: '#d1d4dc', attributionLogo: false },
      grid: { vertLines: { color: '#1c212b' }, horzLines: { color: '#1c212b' } },
      rightPriceScale: { borderColor: '#262c36' },
      timeScale: { borderColor: '#262c36', timeVisible: true, secondsVisible: false },
      crosshair: { mode: 0 },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: UP, downColor: DOWN, wickUpColor: UP, wickDownColor: DOWN, borderVisible: false,
    });
    this.candles.priceScale().applyOptions({ scaleMargins: { top: 0.06, bottom: 0.26 } });
    this.volume = this.chart.addSeries(HistogramSeries, {
      priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false,
    });
    this.chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.state = { series: '', bars: 0, last: null, noData: false, loads: 0, updates: 0, ignored: 0, failed: 0 };
    this.publish();
  }

  /** Replaces the whole series (ascending candles). Shows the no-data message when there are none. */
  setData(series, candles, noDataText) {
    const valid = candles.filter(isCandle);
    this.candles.setData(valid.map(toBar));
    this.volume.setData(valid.map(toVolume));
    Object.assign(this.state, { series, bars: valid.length, last: valid.at(-1) ?? null, loads: this.state.loads + 1 });
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
    Object.assign(this.state, { series, bars: 0, last: null });
    this.showMessage(text, false);
    this.publish();
  }

  /**
   * Applies one live candle. Returns 'applied', 'ignored' (older than the last bar: lightweight-charts would throw
   * "Cannot update oldest data") or 'failed' (the library refused it: the caller reloads the series).
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

    try {
      this.candles.update(toBar(candle));
      this.volume.update(toVolume(candle));
    } catch (error) {
      console.warn('chart refused a live update; reloading', error);
      this.state.failed++;
      this.publish();
      return 'failed';
    }

    if (candle.time > last.time) {
      this.state.bars++;
    }

    this.state.last = candle;
    this.state.updates++;
    this.publish();
    return 'applied';
  }

  showMessage(text, noData = true) {
    this.message.textContent = text;
    this.message.hidden = false;
    this.state.noData = noData;
  }

  hideMessage() {
    this.message.hidden = true;
    this.state.noData = false;
  }

  /** Exposes the chart's state for tests and debugging: window.__chart and data-* attributes on <html>. */
  publish() {
    const s = this.state;
    window.__chart = { ...s, last: s.last ? { ...s.last } : null };
    const d = document.documentElement.dataset;
    d.series = s.series;
    d.bars = String(s.bars);
    d.lastTime = s.last ? String(s.last.time) : '';
    d.noData = String(s.noData);
  }
}
