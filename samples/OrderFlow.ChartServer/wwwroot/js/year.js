// The 1-year chart page: the whole chart:{symbol}:{tf}:1year series (candles, volume coloured by delta, cumulative
// delta over the year when the series has order flow), kept current by live updates.
import { startChartPage } from './chart-page.js';

startChartPage('year');
