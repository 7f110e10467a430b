import fc from 'fast-check';
import { runPython } from '../../../../../test/support/python.js';
import { percentile } from './percentile.js';

describe('percentile', () => {
  it('is null for no values', () => {
    expect(percentile([], 50)).toBeNull();
  });

  it("matches numpy.percentile's default (linear) method, which Gradio's summary uses", () => {
    const samples = fc.sample(
      fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 40 }),
      40,
    );
    const ours = samples.map((values) => {
      const sorted = Float64Array.from(values).sort();
      return [50, 90, 99].map((p) => percentile(sorted, p));
    });
    const numpy = runPython<number[][]>(
      'import json, sys, numpy\n' +
        'samples = json.load(sys.stdin)\n' +
        'print(json.dumps([[float(v) for v in numpy.percentile(s, [50, 90, 99])] for s in samples]))',
      samples,
    );
    ours.forEach((row, index) =>
      row.forEach((value, column) => expect(value).toBeCloseTo(numpy[index]?.[column] as number, 9)),
    );
  });
});
