// util.math and util.str.
import { utilFailure } from './errors.ts';

function num(name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) utilFailure(`util.math.${name} expects numbers`);
  return value;
}

export function createMathUtils(): Record<string, unknown> {
  return {
    // Java Math.round: half rounds up (towards positive infinity), like JS Math.round.
    roundNum: (x: unknown) => Math.round(num('roundNum', x)),
    minVal: (a: unknown, b: unknown) => Math.min(num('minVal', a), num('minVal', b)),
    maxVal: (a: unknown, b: unknown) => Math.max(num('maxVal', a), num('maxVal', b)),
    randomDouble: () => Math.random(),
    randomWithinRange: (start: unknown, end: unknown) => {
      const lo = Math.ceil(num('randomWithinRange', start));
      const hi = Math.floor(num('randomWithinRange', end));
      if (hi < lo) utilFailure('util.math.randomWithinRange: the end of the range is below its start');
      return lo + Math.floor(Math.random() * (hi - lo + 1));
    },
  };
}

const FORMS: Record<string, string> = { nfc: 'NFC', nfd: 'NFD', nfkc: 'NFKC', nfkd: 'NFKD' };

export function createStringUtils(): Record<string, unknown> {
  return {
    normalize: (value: unknown, form: unknown) => {
      if (typeof value !== 'string') utilFailure('util.str.normalize expects a string');
      const f = typeof form === 'string' ? FORMS[form.toLowerCase()] : undefined;
      if (!f) utilFailure("util.str.normalize: the form must be one of 'nfc', 'nfd', 'nfkc', 'nfkd'");
      return value.normalize(f);
    },
  };
}
