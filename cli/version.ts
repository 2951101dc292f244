/** The tool version (kept in step with package.json by test/e2e). */
export const VERSION = '0.1.0';
