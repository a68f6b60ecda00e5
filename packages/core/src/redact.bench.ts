/**
 * The redactor and the authorization-header parser on crafted input of growing size. Linear code
 * takes about twice as long for twice the input; the regexes these scanners replace went quadratic
 * (about four times). vitest prints the rates of each size; the line printed first gives the ratio
 * of the 2n time to the n time of each case beside its target (under 3).
 */
import { bench, describe } from 'vitest';
import { parseAuthorizationHeader } from './authorization-header.js';
import { createRedactor, replaceUrls, stripUrlUserinfo } from './redact.js';

const redactor = createRedactor();
const cases: Record<string, (n: number) => () => unknown> = {
  'stripUrlUserinfo, "a." repeated': (n) => {
    const text = 'a.'.repeat(n);
    return () => stripUrlUserinfo(text);
  },
  'stripUrlUserinfo, "x://" repeated': (n) => {
    const text = 'x://'.repeat(n / 2);
    return () => stripUrlUserinfo(text);
  },
  'replaceUrls, one long URL': (n) => {
    const text = `x://${'a.'.repeat(n)}`;
    return () => replaceUrls(text, '[URL]');
  },
  'redactor.text, unterminated JSON fields': (n) => {
    const text = '"token":"\\'.repeat(n / 5);
    return () => redactor.text(text);
  },
  'parseAuthorizationHeader, tabs': (n) => {
    const text = `Bearer ${' '.repeat(n / 5)}x${'\t'.repeat(n / 5)}`;
    return () => {
      try {
        parseAuthorizationHeader(text);
      } catch {}
    };
  },
};

function timeOf(run: () => unknown): number {
  const rounds = 20;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) run();
  return (performance.now() - start) / rounds;
}

const N = 20_000;
for (const [name, make] of Object.entries(cases)) {
  const ratio = timeOf(make(2 * N)) / timeOf(make(N));
  console.log(`${name}: time(2n)/time(n) = ${ratio.toFixed(2)} (target < 3)`);
}

for (const n of [N, 2 * N]) {
  describe(`crafted input, n = ${n}`, () => {
    for (const [name, make] of Object.entries(cases)) {
      const run = make(n);
      bench(`${name}, n = ${n}`, () => {
        run();
      });
    }
  });
}
