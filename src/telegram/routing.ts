/**
 * Routing updates with few middleware layers. grammY builds a branch for every `filter`,
 * `on` and `command` an update passes (a predicate, a composer and a chain of promises,
 * made anew for each update): with a filter per command, a relayed message went through
 * some thirty, about 15 KiB of garbage and a tenth of the bot's CPU at everyday load
 * (issue 26). Here a whole table of commands is one test ({@link commandMatcher}), and a
 * group of handlers is skipped by one plain function call ({@link gate}).
 *
 * @module
 */
import { type Composer, Context, type MiddlewareFn } from "grammy";

/**
 * One test for a table of commands: the name of the command a message starts with (`/name`
 * or `/name@this_bot`: grammY's own test, which also leaves the arguments in `ctx.match`),
 * or `undefined`.
 */
export function commandMatcher(names: readonly string[]): (ctx: Context) => string | undefined {
  const has = Context.has.command([...names]);
  return (ctx) => {
    if (!has(ctx)) return undefined;
    const message = (ctx.message ?? ctx.channelPost)!;
    const text = message.text ?? message.caption ?? "";
    const entity = message.entities?.find((e) => e.type === "bot_command" && e.offset === 0);
    const command = text.substring(1, entity?.length ?? 0);
    const at = command.indexOf("@");
    return at === -1 ? command : command.substring(0, at);
  };
}

/**
 * The middleware of `composer` for the updates `applies` to; the others go straight on.
 * Handlers may be added to `composer` later (its middleware is taken at each update).
 */
export function gate<C extends Context>(
  applies: (ctx: C) => boolean,
  composer: Composer<C>,
): MiddlewareFn<C> {
  return (ctx, next) => applies(ctx) ? composer.middleware()(ctx, next) : next();
}
