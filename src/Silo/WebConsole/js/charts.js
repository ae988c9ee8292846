// Canary vs stable over time, drawn by uPlot (served by the silo: vendor/uPlot.iife.min.js).

const colours = { canary: '#d9480f', stable: '#1971c2' };

/** A time chart of two series (canary, stable); returns { push(t, canary, stable) }. */
export function versusChart(container, { title, unit, format, floor }) {
  const data = [[], [], []];
  const width = () => Math.max(260, container.clientWidth || 600);
  const plot = new window.uPlot({
    title,
    width: width(),
    height: 220,
    // The y axis starts at zero and shows at least `floor` (an empty chart of error rates is 0–5 %, not 0–10,000 %).
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(floor, (max ?? 0) * 1.1)] } },
    series: [
      {},
      { label: 'canary', stroke: colours.canary, width: 2, value: (u, v) => (v == null ? '—' : format(v)) },
      { label: 'stable', stroke: colours.stable, width: 2, value: (u, v) => (v == null ? '—' : format(v)) },
    ],
    axes: [{}, { label: unit, values: (u, ticks) => ticks.map(format), size: 60 }],
  }, data, container);
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 220 }));
  resize.observe(container);
  return {
    push(seconds, canary, stable) {
      data[0].push(seconds);
      data[1].push(canary);
      data[2].push(stable);
      // Bounded: ten minutes of one point a second.
      if (data[0].length > 600) data.forEach((s) => s.shift());
      plot.setData(data);
      container.dataset.points = String(data[0].filter((_, i) => data[1][i] !== null || data[2][i] !== null).length);
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
