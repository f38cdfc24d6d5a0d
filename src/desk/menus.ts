/**
 * The menus of commands (`setMyCommands`), made from the table of commands
 * (`src/desk/commands.ts`): the clients' default menu in every language, and the menu in one
 * user's chat for their roles (agent, admin, both, or neither: back to the default).
 *
 * @module
 */
import type { BotCommand } from "grammy/types";
import type { Command, Menu } from "./roles.ts";
import { type ApiCall } from "../outbox/calls.ts";
import { setMenu } from "../outbox/builders.ts";
import type { User } from "../store/mod.ts";
import { type Language, LANGUAGES, texts } from "../texts/mod.ts";

/** The commands of `menus` (in this order, each once) with their lines in `language`. */
export function menuCommands(
  commands: readonly Command[],
  menus: readonly Menu[],
  language: Language,
): BotCommand[] {
  const lines = texts(language).commands;
  const seen = new Set<string>();
  const shown: BotCommand[] = [];
  for (const menu of menus) {
    for (const command of commands) {
      if (!inMenu(command, menu) || seen.has(command.name)) continue;
      seen.add(command.name);
      shown.push({ command: command.name, description: lines[command.name] });
    }
  }
  return shown;
}

/** Whether `command` is shown in `menu`. */
function inMenu(
  command: Command,
  menu: Menu,
): command is Extract<Command, { readonly menus: readonly [Menu, ...Menu[]] }> {
  return command.menus.some((m) => m === menu);
}

/** The menu call for `user`'s chat: the agent's and the admin's commands, as their roles give. */
export function userMenu(
  commands: readonly Command[],
  user: Pick<User, "userId" | "language" | "isAgent">,
  isAdmin: boolean,
): ApiCall<"setMyCommands" | "deleteMyCommands"> {
  const menus: Menu[] = [];
  if (user.isAgent) menus.push("agent");
  if (isAdmin) menus.push("admin");
  return setMenu(user.userId, menuCommands(commands, menus, user.language));
}

/**
 * The clients' menu, once per language: the default language's without a language code
 * (every user whose language has no menu of its own sees it), the others' with theirs.
 */
export function defaultMenus(
  commands: readonly Command[],
  defaultLanguage: Language,
): { readonly language_code?: Language; readonly commands: BotCommand[] }[] {
  return LANGUAGES.map((language) => ({
    ...(language === defaultLanguage ? {} : { language_code: language }),
    commands: menuCommands(commands, ["client"], language),
  }));
}
