// Numbers for people, shared by the HTML report (report.html) and the trainer's page (trainer.html): the program
// puts this file in place of /*FORMAT*/ in both. At the end, one helper both pages' browser tests read. Negative numbers take a real minus sign (−); money is in pounds,
// £k or £m.
const MINUS = '\u2212';
const gb = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const gb1 = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const gb2 = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const gb3 = new Intl.NumberFormat('en-GB', { maximumSignificantDigits: 3 });
const gb1f = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const gb2f = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const isShare = unit => !!unit && unit.indexOf('share') === 0;
const missing = v => v === null || v === undefined || Number.isNaN(v);
// A sum of money, not negative: £62.0m, £0.85m, £2,500.
function money(a) {
  if (a >= 0.95e6) return '£' + gb1f.format(a / 1e6) + 'm';
  if (a >= 1e4) return '£' + gb2f.format(a / 1e6) + 'm';
  return '£' + gb.format(a);
}
function fmt(value, unit) {
  if (missing(value)) return '–';
  const sign = value < 0 ? MINUS : '', a = Math.abs(value);
  if (unit === 'gbp') return sign + money(a);
  if (isShare(unit)) return sign + gb1.format(100 * a) + '%';
  return sign + (a >= 100 ? gb.format(a) : gb3.format(a));
}
// A money axis's labels, on one scale for the whole axis chosen from the largest value drawn (`values`): £0, £20m,
// £40m rather than £500k beside £1m. `signed` (difference axes) puts + on the values above zero.
function moneyAxis(values, signed) {
  const top = Math.max(0, ...values.filter(v => !missing(v)).map(Math.abs));
  const [scale, suffix] = top >= 5e5 ? [1e6, 'm'] : top >= 1e4 ? [1e3, 'k'] : [1, ''];
  return v => (v === 0 ? '£0' : (v < 0 ? MINUS : signed && v > 0 ? '+' : '') + '£' + gb2.format(Math.abs(v) / scale) + suffix);
}
// A number with its unit in words where the bare number would not say it (days, working days), money in cash or
// base-year prices as money, and a difference of shares in percentage points: "1.8 days", "+1.7 days",
// "+2.3 points", "−£0.81m". `signed`: a difference (a + on the values above zero).
function human(value, unit, signed) {
  if (missing(value)) return '–';
  const u = unit === 'gbp_real' ? 'gbp' : unit;
  const sign = signed && value > 0 ? '+' : '';
  if (signed && isShare(u)) return (value < 0 ? MINUS : sign) + gb1.format(100 * Math.abs(value)) + ' points';
  const text = sign + fmt(value, u);
  if (u === 'days') return text + (Math.abs(value) === 1 ? ' day' : ' days');
  if (u === 'working_days') return text + ' working days';
  return text;
}

// Where a Sankey's labels are, in pixels of its chart (ECharts), for the browser tests: none may overlap another
// or leave the chart.
function sankeyLabelBoxes(chart) {
  const boxes = [];
  const series = chart.getModel().getSeries()[0];
  if (!series) return { width: chart.getWidth(), height: chart.getHeight(), labels: boxes };
  chart.getViewOfSeriesModel(series).group.traverse(e => {
    const text = e.getTextContent && e.getTextContent();
    if (!text || text.ignore || text.invisible || !text.style || !text.style.text) return;
    const r = text.getBoundingRect().clone();
    r.applyTransform(text.getComputedTransform());
    boxes.push({ text: text.style.text, x: r.x, y: r.y, width: r.width, height: r.height });
  });
  return { width: chart.getWidth(), height: chart.getHeight(), labels: boxes };
}
