/**
 * Every command the bot knows, in one table: its name, who may run it, which menus show it,
 * and the desk's handler that runs it. From this table come the grammY wiring
 * (`src/telegram/bot.ts`), and, handed to the desk by `src/app.ts`, the role guard
 * (`src/desk/mod.ts`) and the menus (`src/desk/menus.ts`). The texts give every menu command
 * its line in each language's menu (`commands`) and name it in the help of each menu's role
 * (`clientHelp`, `agentHelp`, `adminHelp`), which a test checks. Adding a command is one row
 * here and its texts.
 *
 * @module
 */
import { agents, ban, exportMessages, queue, revoke, unban } from "./admin.ts";
import { close, endChat, history, stats, toggleAvailable } from "./agent.ts";
import { canned } from "./canned.ts";
import { help } from "./help.ts";
import { register, start } from "./onboarding.ts";
import { offerTransfer } from "./transfer.ts";
import type { Command } from "./roles.ts";
import { join, leave, showDepartments } from "./departments.ts";
import { languages } from "./languages.ts";
import { faq, search } from "./knowledge.ts";

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
  { name: "history", who: "staff", menus: ["agent"], run: history },
  { name: "search", who: "staff", menus: ["agent", "admin"], run: search },
  { name: "languages", who: "agent", menus: ["agent"], run: languages },
  { name: "departments", who: "agent", menus: ["agent"], run: showDepartments },
  { name: "join", who: "agent", menus: [], run: join },
  { name: "leave", who: "agent", menus: [], run: leave },
  { name: "agents", who: "admin", menus: ["admin"], run: agents },
  { name: "queue", who: "admin", menus: ["admin"], run: queue },
  { name: "stats", who: "staff", menus: ["agent", "admin"], run: stats },
  { name: "revoke", who: "admin", menus: ["admin"], run: revoke },
  { name: "ban", who: "admin", menus: ["admin"], run: ban },
  { name: "unban", who: "admin", menus: ["admin"], run: unban },
  { name: "export", who: "admin", menus: ["admin"], run: exportMessages },
  { name: "faq", who: "admin", menus: ["admin"], run: faq },
  { name: "help", who: "anyone", menus: ["client", "agent", "admin"], run: help },
];
