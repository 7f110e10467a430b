/** One scrape of a Prometheus text endpoint: every sample by `name{labels}` as written, plus the raw response. */
export interface Scrape {
  status: number;
  contentType: string | null;
  text: string;
  /** The value of the sample with exactly these labels (in any order), or undefined when there is none. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

export async function scrape(url: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  // Anything but a 200 (a guard's 403, a 404) is not a scrape: no samples.
  const samples = (response.status === 200 ? text : '')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(parseSample);
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text,
    value(name, labels = {}) {
      const wanted = Object.entries(labels).sort().join('|');
      return samples.find((sample) => sample.name === name && sample.labels === wanted)?.value;
    },
  };
}

function parseSample(line: string): { name: string; labels: string; value: number } {
  const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
  if (!match) throw new Error(`Not a Prometheus sample: ${line}`);
  const labels = [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(
    ([, key, value]) => [key as string, value as string] as const,
  );
  return { name: match[1] as string, labels: labels.sort().join('|'), value: Number(match[3]) };
}
