/**
 * What went wrong, as one line of text: the message of an `Error`, or the thrown value as a
 * string (a library may throw anything). For logs and for the one line a failed start says.
 *
 * @module
 */

/** The text of a thrown value. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
