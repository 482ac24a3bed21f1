// The 1-year chart page: the whole chart:{symbol}:{tf}:1year series, kept current by live updates.
import { startChartPage } from './chart-page.js';

startChartPage('year');
