// A small grouped bar chart as SVG, with no plotting dependency: one group per workload, one bar per peer, a log
// scale (the peers differ by orders of magnitude), the value printed above each bar.

const PALETTE = ['#e07b39', '#7f8c8d', '#2e86de', '#27ae60', '#8e44ad'];

function escape(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function format(value) {
  if (value >= 1000) return `${Math.round(value)}`;
  if (value >= 10) return value.toFixed(0);
  if (value >= 1) return value.toFixed(1);
  return value.toFixed(2);
}

/**
 * @param {object} chart
 * @param {string} chart.title
 * @param {string} chart.unit            axis label
 * @param {string[]} chart.groups        workload labels
 * @param {{label: string, values: (number|null)[]}[]} chart.series   one per peer, one value per group
 * @param {number} [chart.width]
 * @param {number} [chart.height]
 * @param {number} [chart.top]           y offset of the whole chart (to stack several in one SVG)
 */
export function barChart({ title, unit, groups, series, width = 900, height = 300, top = 0 }) {
  const margin = { left: 60, right: 20, top: 40, bottom: 50 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const values = series.flatMap((line) => line.values).filter((value) => typeof value === 'number' && value > 0);
  const min = Math.min(...values, 1);
  const max = Math.max(...values, 1);
  const lowExp = Math.floor(Math.log10(min));
  const highExp = Math.ceil(Math.log10(max)) + (Math.log10(max) % 1 === 0 ? 1 : 0);
  const y = (value) => margin.top + plotHeight - ((Math.log10(value) - lowExp) / (highExp - lowExp)) * plotHeight;
  const parts = [`<g transform="translate(0,${top})">`];
  parts.push(
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>`,
  );
  for (let exp = lowExp; exp <= highExp; exp++) {
    const value = 10 ** exp;
    const lineY = y(value).toFixed(1);
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${lineY}" y2="${lineY}" stroke="#ddd"/>`);
    parts.push(
      `<text x="${margin.left - 6}" y="${lineY}" text-anchor="end" dominant-baseline="middle" font-size="11">${escape(format(value))}</text>`,
    );
  }
  parts.push(
    `<text transform="translate(14,${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escape(unit)} (log scale)</text>`,
  );
  const groupWidth = plotWidth / groups.length;
  const barWidth = (groupWidth * 0.8) / series.length;
  groups.forEach((group, groupIndex) => {
    const groupX = margin.left + groupIndex * groupWidth + groupWidth * 0.1;
    series.forEach((line, seriesIndex) => {
      const value = line.values[groupIndex];
      const x = groupX + seriesIndex * barWidth;
      if (typeof value !== 'number' || value <= 0) {
        parts.push(
          `<text x="${(x + barWidth / 2).toFixed(1)}" y="${margin.top + plotHeight - 4}" text-anchor="middle" font-size="10" fill="#999">n/a</text>`,
        );
        return;
      }
      const barY = y(Math.max(value, 10 ** lowExp));
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${barY.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(margin.top + plotHeight - barY).toFixed(1)}" fill="${PALETTE[seriesIndex % PALETTE.length]}"><title>${escape(`${line.label} — ${group}: ${format(value)} ${unit}`)}</title></rect>`,
      );
      parts.push(
        `<text x="${(x + barWidth / 2).toFixed(1)}" y="${(barY - 3).toFixed(1)}" text-anchor="middle" font-size="10">${escape(format(value))}</text>`,
      );
    });
    parts.push(
      `<text x="${(groupX + groupWidth * 0.4).toFixed(1)}" y="${margin.top + plotHeight + 18}" text-anchor="middle" font-size="12">${escape(group)}</text>`,
    );
  });
  series.forEach((line, seriesIndex) => {
    const x = margin.left + seriesIndex * 170;
    const legendY = height - 12;
    parts.push(
      `<rect x="${x}" y="${legendY - 10}" width="12" height="12" fill="${PALETTE[seriesIndex % PALETTE.length]}"/>`,
    );
    parts.push(`<text x="${x + 16}" y="${legendY}" font-size="12">${escape(line.label)}</text>`);
  });
  parts.push('</g>');
  return { svg: parts.join('\n'), height };
}

/** Stacks charts vertically into one SVG document. */
export function svgDocument(charts, width = 900) {
  let top = 0;
  const bodies = charts.map((chart) => {
    const { svg, height } = barChart({ ...chart, width, top });
    top += height;
    return svg;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${top}" viewBox="0 0 ${width} ${top}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...bodies,
    '</svg>',
    '',
  ].join('\n');
}
