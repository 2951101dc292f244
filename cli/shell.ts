/**
 * Quoting for the shell (POSIX sh): the commands a report tells a reader to
 * run again name files and keys that came from outside. A file named
 * `$(rm -rf ~).custody` must print as one inert word, never as a command
 * substitution when the line is pasted into a terminal.
 */

/** `s` as one POSIX shell word: bare when it is plainly safe, else in single quotes. */
export function shellQuote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_./:=@%+,-]+$/.test(s)) return s;
  // Inside single quotes nothing is special but the quote itself: end, escape, reopen.
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
