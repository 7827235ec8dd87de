// reg.exe's question before it overwrites or deletes without /f. Asked only on a terminal: with no terminal on
// stdin (a script, CI) there is nobody to answer, so the verb fails at once, saying to add /f, rather than wait.
import * as fs from 'node:fs';
import * as tty from 'node:tty';

import { CliFailure } from './failure';
import { writeAll } from './output';

/** Asks `question` (Yes|No) on the terminal; true for yes. Without a terminal, fails naming `/f`. */
export function confirm(question: string): boolean {
  if (!tty.isatty(0)) {
    throw new CliFailure(
      'ERR_INVALID_ARGUMENT',
      `${question} There is no terminal to answer on`,
      'add /f to go ahead without asking',
    );
  }
  const buffer = Buffer.alloc(256);
  for (;;) {
    writeAll(2, `${question} (Yes|No) `);
    const read = fs.readSync(0, buffer, 0, buffer.length, null);
    if (read === 0) return false; // end of input: no answer is no
    const answer = buffer.toString('utf8', 0, read).trim().toUpperCase();
    if (answer.startsWith('Y')) return true;
    if (answer.startsWith('N')) return false;
  }
}
