/**
 * Browser code that draws the dashboard's SVG charts, shipped as a string inside the page (no bundler,
 * no CDN). Kept in plain ES2020 so every current browser runs it as is.
 */
export const DASHBOARD_CHART_SCRIPT = `
const SVG = 'http://www.w3.org/2000/svg';
// Literal colours: SVG presentation attributes do not resolve CSS variables.
const GRID_COLOUR = '#1f2a4d', TARGET_COLOUR = '#3ecf8e';
const CHART_HEIGHT = 220, PAD_RIGHT = 12, PAD_TOP = 12, PAD_BOTTOM = 24, PANEL_COLOUR = '#121933';

function svgElement(tag, attributes, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function niceMaximum(value) {
  if (!(value > 0)) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  // Steps that divide into four even gridlines.
  for (const step of [1, 2, 4, 8, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function timeLabel(ms, resolution) {
  const date = new Date(ms);
  const hours = String(date.getUTCHours()).padStart(2, '0');
  const minutes = String(date.getUTCMinutes()).padStart(2, '0');
  if (resolution === 'minute') return hours + ':' + minutes;
  if (resolution === 'day') return (date.getUTCMonth() + 1) + '/' + date.getUTCDate();
  return (date.getUTCMonth() + 1) + '/' + date.getUTCDate() + ' ' + hours + ':00';
}

/**
 * Draws a chart into container. series: [{ id, values: (number|null)[], color, kind: 'line'|'bars' }];
 * a null value breaks a line (no data in that bucket). target: a dashed horizontal line.
 */
function drawChart(container, options) {
  const { starts, resolution, series, target, format } = options;
  // Drawn at the container's own width, so text keeps its size in narrow panels.
  const CHART_WIDTH = Math.max(300, Math.round(container.getBoundingClientRect().width || 720));
  const peaks = series.flatMap((line) => line.values.filter((value) => value !== null));
  if (target !== undefined && target !== null) peaks.push(target.value);
  const maximum = options.maximum || niceMaximum(Math.max(options.minimumMaximum || 0, ...peaks) * 1.1);
  // Room for the longest axis label (about 6.5 px per character at 11 px).
  const PAD_LEFT = Math.max(36, 14 + 6.5 * Math.max(...[0, 1, 2, 3, 4].map((step) => format((maximum * step) / 4).length)));
  const plotWidth = CHART_WIDTH - PAD_LEFT - PAD_RIGHT, plotHeight = CHART_HEIGHT - PAD_TOP - PAD_BOTTOM;
  const slot = plotWidth / Math.max(1, starts.length);
  const x = (index) => PAD_LEFT + slot * (index + 0.5);
  const y = (value) => PAD_TOP + plotHeight - (Math.min(value, maximum) / maximum) * plotHeight;
  const svg = svgElement('svg', { class: 'chart', viewBox: '0 0 ' + CHART_WIDTH + ' ' + CHART_HEIGHT, role: 'img', 'aria-label': options.label });
  for (let step = 0; step <= 4; step++) {
    const value = (maximum * step) / 4;
    svg.appendChild(svgElement('line', { x1: PAD_LEFT, x2: CHART_WIDTH - PAD_RIGHT, y1: y(value), y2: y(value), stroke: GRID_COLOUR, 'stroke-width': 1 }));
    svg.appendChild(svgElement('text', { x: PAD_LEFT - 8, y: y(value) + 4, 'text-anchor': 'end' }, format(value)));
  }
  const labelEvery = Math.max(1, Math.ceil(starts.length / Math.max(2, Math.floor((CHART_WIDTH - PAD_LEFT) / 80))));
  starts.forEach((start, index) => {
    if (index % labelEvery !== 0) return;
    svg.appendChild(svgElement('text', { x: x(index), y: CHART_HEIGHT - 6, 'text-anchor': 'middle' }, timeLabel(start, resolution)));
  });
  for (const line of series) {
    const points = line.values.map((value, index) => (value === null ? null : [x(index), y(value)]));
    const drawn = points.filter((point) => point !== null).length;
    if (line.kind === 'bars') {
      const group = svgElement('g', { 'data-series': line.id, 'data-points': drawn });
      points.forEach((point, index) => {
        if (point === null || line.values[index] === 0) return;
        const bar = svgElement('rect', { x: point[0] - slot * 0.35, y: point[1], width: slot * 0.7, height: PAD_TOP + plotHeight - point[1], rx: 1.5, fill: line.color, opacity: 0.85 });
        bar.appendChild(svgElement('title', {}, timeLabel(starts[index], resolution) + '  ' + format(line.values[index])));
        group.appendChild(bar);
      });
      svg.appendChild(group);
      continue;
    }
    let path = '', previous = null;
    points.forEach((point) => {
      if (point !== null) path += (previous === null ? 'M' : 'L') + point[0].toFixed(1) + ' ' + point[1].toFixed(1);
      previous = point;
    });
    svg.appendChild(svgElement('path', { d: path, fill: 'none', stroke: line.color, 'stroke-width': 2, 'stroke-linejoin': 'round', 'data-series': line.id, 'data-points': drawn }));
    // Lone points (neighbours without data) would be invisible as a path: mark every point.
    points.forEach((point, index) => {
      if (point === null) return;
      const dot = svgElement('circle', { cx: point[0], cy: point[1], r: starts.length > 80 ? 1.6 : 2.6, fill: line.color });
      dot.appendChild(svgElement('title', {}, timeLabel(starts[index], resolution) + '  ' + format(line.values[index])));
      svg.appendChild(dot);
    });
  }
  if (target !== undefined && target !== null) {
    svg.appendChild(svgElement('line', { x1: PAD_LEFT, x2: CHART_WIDTH - PAD_RIGHT, y1: y(target.value), y2: y(target.value), stroke: TARGET_COLOUR, 'stroke-dasharray': '5 4', 'stroke-width': 1.5, 'data-target': target.value }));
    // A halo in the panel colour keeps the label readable where a line crosses it.
    svg.appendChild(svgElement('text', { x: CHART_WIDTH - PAD_RIGHT - 4, y: y(target.value) - 6, 'text-anchor': 'end', stroke: PANEL_COLOUR, 'stroke-width': 4, 'paint-order': 'stroke' }, target.label));
  }
  container.replaceChildren(svg);
}
`;
