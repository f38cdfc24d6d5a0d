/**
 * The Telegram Bot API emulator, as the tests and benchmarks import it: the emulator itself is a
 * module of the product (`tools/emulator/`), shared with `deno task sandbox`, so the tests exercise
 * the same behaviour a person trying the bot sees.
 *
 * @module
 */

export * from "../../tools/emulator/mod.ts";
