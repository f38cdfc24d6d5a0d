/**
 * Who sent an update, as the desk knows people: their id, @username, full name and language
 * (the one of theirs the bot speaks, else the default), cut to sane lengths.
 *
 * @module
 */
import type { Context } from "grammy";
import type { User } from "grammy/types";
import type { Config } from "../config/mod.ts";
import type { Person } from "../desk/mod.ts";
import { pickLanguage } from "../texts/mod.ts";

/** Who sent the update, or `undefined` for updates without a sender. */
export function personOf(ctx: Context, config: Config): Person | undefined {
  return ctx.from ? personFrom(ctx.from, config) : undefined;
}

/** A Telegram user as a person, or `undefined` when the object will not do. */
export function personFrom(from: User, config: Config): Person | undefined {
  if (!from || !Number.isSafeInteger(from.id) || from.id <= 0) return undefined;
  const part = (value: unknown) => typeof value === "string" ? value.trim() : "";
  const fullName = [part(from.first_name), part(from.last_name)].filter(Boolean).join(" ")
    .slice(0, 128) || String(from.id);
  return {
    userId: from.id,
    username: typeof from.username === "string" ? from.username.slice(0, 64) : null,
    fullName,
    language: pickLanguage(
      typeof from.language_code === "string" ? from.language_code : undefined,
      config.defaultLanguage,
    ),
  };
}
