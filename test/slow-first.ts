/**
 * The order test files start in (vitest.config.ts): the end-to-end and browser files first,
 * largest first, then the rest, largest first. Those files run real CLI, server, PostgreSQL and
 * browser processes for 30 s to 3 min each; started last (vitest orders a clean clone by file
 * size alone), they left one or two workers running on after the others had finished, and CI
 * has 20 minutes for the whole run (docs/PERFORMANCE.md §The test suite's time).
 */
import { statSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const SLOW = /[/\\]test[/\\](e2e|page|reliability)[/\\]|\.property\.test\.ts$/;

export class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const size = (f: TestSpecification) => statSync(f.moduleId, { throwIfNoEntry: false })?.size ?? 0;
    const rank = (f: TestSpecification) => (SLOW.test(f.moduleId) ? 0 : 1);
    return [...files].sort((a, b) => rank(a) - rank(b) || size(b) - size(a));
  }
}
