/**
 * What a client is told outside business hours: the admin's own text (`OFFLINE_MESSAGE_*`,
 * with `{opens}`) or the bot's, saying when the desk opens next.
 *
 * @module
 */
import { formatOpening, nextOpening } from "../rules/business_hours.ts";
import type { User } from "../store/mod.ts";
import type { Texts } from "../texts/mod.ts";
import type { DeskContext } from "./context.ts";

/** The offline text for `client`, with the next opening in their language. */
export function offlineText(ctx: DeskContext, client: User, t: Texts): string {
  const { config, now } = ctx;
  const opens = nextOpening(config.businessHours!, config.timeZone, now) ?? now;
  const custom = config.offlineMessage[client.language];
  const when = formatOpening(opens, config.timeZone, client.language);
  return custom ? custom.replaceAll("{opens}", when) : t.offline(when);
}
