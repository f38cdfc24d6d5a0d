/**
 * Every command the bot knows, in one table: its name, who may run it, which menus show it,
 * and the desk's job that handles it. From this table come the grammY wiring
 * (`src/telegram/bot.ts`), the role guard (`src/desk/mod.ts`) and the menus
 * (`src/desk/menus.ts`); the texts give every menu command its line in each language's menu
 * (`commands`) and name it in the help (`agentHelp`, `adminHelp`), which a test checks.
 * Adding a command is one row here and its texts.
 *
 * @module
 */
import { agents, ban, exportMessages, queue, revoke, unban } from "./desk/admin.ts";
import { close, endChat, history, stats, toggleAvailable } from "./desk/agent.ts";
import { canned } from "./desk/canned.ts";
import type { DeskContext } from "./desk/context.ts";
import { register, start } from "./desk/onboarding.ts";
import { offerTransfer } from "./desk/transfer.ts";
import type { User } from "./store/mod.ts";
import type { MenuCommandName } from "./texts/mod.ts";

/**
 * Who may run a command: anyone (the job decides what a banned user gets), agents, admins, or
 * staff (agents and admins). Anyone else is told the command is not theirs, except a banned
 * user, who is told nothing.
 */
export type Who = "anyone" | "agent" | "admin" | "staff";

/** The menus: clients' (the default menu), agents' and admins' (set in their own chats). */
export type Menu = "client" | "agent" | "admin";

/** What a command was given. */
export interface CommandRequest {
  /** The command's name, as in the table. */
  readonly name: string;
  /** The text after the command (`/history html` → `html`). */
  readonly args: string;
  /** The command's message in the sender's chat. */
  readonly chatMessageId: number;
}

/** One row of the table. */
export type Command =
  & {
    readonly who: Who;
    /** The desk's job: runs inside the event's transaction, after the role guard. */
    readonly run: (ctx: DeskContext, user: User, request: CommandRequest) => void;
  }
  & (
    | { readonly name: MenuCommandName; readonly menus: readonly [Menu, ...Menu[]] }
    | { readonly name: string; readonly menus: readonly [] }
  );

/**
 * The commands, in menu order: a menu lists its commands in this order (an agent who is an
 * admin sees the agent's menu, then the admin's commands not in it).
 */
export const COMMANDS: readonly Command[] = [
  { name: "start", who: "anyone", menus: ["client"], run: start },
  { name: "close", who: "anyone", menus: ["client"], run: close },
  { name: "register_support", who: "anyone", menus: [], run: register },
  { name: "available", who: "agent", menus: ["agent"], run: toggleAvailable },
  { name: "end_chat", who: "agent", menus: ["agent"], run: endChat },
  { name: "transfer", who: "agent", menus: ["agent"], run: offerTransfer },
  { name: "canned", who: "agent", menus: ["agent"], run: canned },
  { name: "history", who: "agent", menus: ["agent"], run: history },
  { name: "agents", who: "admin", menus: ["admin"], run: agents },
  { name: "queue", who: "admin", menus: ["admin"], run: queue },
  { name: "stats", who: "staff", menus: ["agent", "admin"], run: stats },
  { name: "revoke", who: "admin", menus: ["admin"], run: revoke },
  { name: "ban", who: "admin", menus: ["admin"], run: ban },
  { name: "unban", who: "admin", menus: ["admin"], run: unban },
  { name: "export", who: "admin", menus: ["admin"], run: exportMessages },
];

/** The row of the command `name`, if the bot knows it. */
export function commandNamed(name: string): Command | undefined {
  return BY_NAME.get(name);
}

const BY_NAME: ReadonlyMap<string, Command> = new Map(COMMANDS.map((c) => [c.name, c]));

/** Whether `user` may run a command for `who`. */
export function mayRun(who: Who, user: User, isAdmin: boolean): boolean {
  switch (who) {
    case "anyone":
      return true;
    case "agent":
      return user.isAgent;
    case "admin":
      return isAdmin;
    case "staff":
      return user.isAgent || isAdmin;
  }
}
