/**
 * Shell quoting of the commands a report suggests (cli/shell.ts): whatever a
 * file name holds, the quoted word reaches the program as exactly that one
 * argument under a real POSIX shell, and nothing in it runs.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../cli/shell.js';

/** What `sh` passes on for the quoted word: printf prints its argument as is. */
const throughSh = (word: string) => execFileSync('sh', ['-c', `printf '%s' ${word}`], { encoding: 'utf8' });

describe('shellQuote', () => {
  it('leaves plain words bare and quotes the rest', () => {
    expect(shellQuote('HDD-01.custody')).toBe('HDD-01.custody');
    expect(shellQuote('q0m4/OeRE5HC+rQ=')).toBe('q0m4/OeRE5HC+rQ=');
    expect(shellQuote('$(touch pwned).custody')).toBe("'$(touch pwned).custody'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
  });

  it('hostile names reach the program as one inert argument', () => {
    for (const name of ['$(id)', '`id`', "a'b", 'a b', 'x;rm -rf ~', '"$HOME"', '\\', '*', '~', 'a\nb', '-n'])
      expect(throughSh(shellQuote(name)), name).toBe(name);
  });

  it('property: any string without NUL survives sh unchanged', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0')),
        (s) => {
          expect(throughSh(shellQuote(s))).toBe(s);
        },
      ),
      { numRuns: 60 },
    );
  });
});
