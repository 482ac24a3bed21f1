// The live chart page: the last 500 bars of a series, updated in real time.
import { startChartPage } from './chart-page.js';

startChartPage('live');
