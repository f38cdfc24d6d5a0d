/**
 * What a command is to the desk: who may run it ({@link Who}, checked by {@link mayRun}),
 * which menus show it, what it is given, and the handler that runs it. The table of commands
 * itself is `src/desk/commands.ts`, handed to the desk when it is made.
 *
 * @module
 */
import type { User } from "../store/mod.ts";
import type { MenuCommandName } from "../texts/mod.ts";
import type { DeskContext } from "./context.ts";

/**
 * Who may run a command: anyone (the handler decides what a banned user gets), agents, admins, or
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
    /** The desk's handler: runs inside the event's transaction, after the role guard. */
    readonly run: (ctx: DeskContext, user: User, request: CommandRequest) => void;
  }
  & (
    | { readonly name: MenuCommandName; readonly menus: readonly [Menu, ...Menu[]] }
    | { readonly name: string; readonly menus: readonly [] }
  );

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
