/** The verifier page in Debian's Firefox ESR, over WebDriver BiDi (test/page/page-suite.ts). */
import { afterAll } from 'vitest';
import { removeTempDirs } from '../e2e/helpers.js';
import { describePage } from './page-suite.js';

afterAll(removeTempDirs);
describePage('firefox');
