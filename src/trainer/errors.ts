/**
 * A mistake in the user's input (a file that cannot be read, a malformed line, a bad option): the CLI
 * prints its message on one line and exits with code 2, never with a stack trace. Messages name the file
 * and line (`data.csv:12: …`) and say what was expected.
 */
export class InputError extends Error {
  override name = 'InputError';
}

/** `file:line: message` — the one format every reader uses. */
export function inputError(file: string, line: number | undefined, message: string): InputError {
  return new InputError(line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`);
}
