// The live chart page: the last 500 bars of a series (candles, volume coloured by delta, cumulative delta when the
// series has order flow), updated in real time.
import { startChartPage } from './chart-page.js';

startChartPage('live');
