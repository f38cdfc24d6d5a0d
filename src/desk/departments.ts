/**
 * Departments (`DEPARTMENTS`), as every channel has them. With several, a client opening a
 * ticket picks one from buttons in their language; what they write until they pick is kept
 * (`held_messages`) and, once they pick, goes to the staff side in order as the ticket's first
 * messages, so nothing is lost. With one, every ticket is in it. Agents join and leave with
 * `/join` and `/leave` or the buttons of `/departments`; an agent in none serves all.
 * Who serves a ticket of a department is routing's (`routing.ts`). A client of a company's
 * business account is asked as the account (the bot chat's greeting is not said there); the
 * ticket their pick opens goes back that way.
 *
 * @module
 */
import { type Department, departmentOf } from "../rules/departments.ts";
import { packButton } from "../rules/button_data.ts";
import { type Buttons, keyboard } from "../outbox/builders.ts";
import type { Ticket, User } from "../store/mod.ts";
import { type Language, type Texts, texts } from "../texts/mod.ts";
import type { ButtonPress, DeskContext, Incoming } from "./context.ts";
import { openTicket } from "./opening.ts";
import type { Greeting } from "./queue.ts";
import { greeted } from "./queue.ts";
import { suggest } from "./suggestions.ts";
import type { CommandRequest } from "./roles.ts";
import { askAsAccount, placedAsAccount } from "./business_chat/ask.ts";
import { blockOf } from "./business_chat/hold.ts";

/** Whether a client opening a ticket picks its department (there are several). */
export function picksDepartment(ctx: DeskContext): boolean {
  return ctx.config.departments.length > 1;
}

/** The department every ticket is in when there is only one; else `null`. */
export function soleDepartment(ctx: DeskContext): string | null {
  const { departments } = ctx.config;
  return departments.length === 1 ? departments[0].key : null;
}

/** A department's name in `language`, or its key when it is no longer configured. */
export function departmentName(ctx: DeskContext, language: Language, key: string): string {
  return departmentOf(ctx.config.departments, key)?.names[language] ?? key;
}

/**
 * A client with no ticket wrote while the desk has departments: the message is kept until
 * they pick one, and the first time they are asked which (`greeting` in front).
 */
export function holdForDepartment(
  ctx: DeskContext,
  client: User,
  incoming: Incoming,
  greeting: Greeting,
): void {
  const { store } = ctx;
  const first = store.heldMessages(client.userId, 1).length === 0;
  store.holdMessage(client.userId, JSON.stringify(incoming), ctx.now);
  if (!first) return;
  askDepartment(ctx, client, greeting);
}

/**
 * Whether a client who wrote to a company's account can be asked which department (the
 * account may write to them now); else their ticket opens with none, as before departments.
 */
export function mayAskDepartment(ctx: DeskContext, client: User): boolean {
  return ctx.via === null || blockOf(ctx, ctx.via, client.userId) === null;
}

/** Asks a client whose messages are held which department their ticket is for. */
export function askDepartment(ctx: DeskContext, client: User, greeting: Greeting): void {
  if (ctx.via !== null) {
    askAsAccount(ctx, ctx.via, client, (t) => t.routing.pickDepartment, pickButtons(ctx, client));
    return;
  }
  ctx.say(client, (t) => greeted(t, greeting, t.routing.pickDepartment), pickButtons(ctx, client));
}

/** One button per department, in the client's language. */
function pickButtons(ctx: DeskContext, client: User): Buttons {
  return ctx.config.departments.map((d) => [{
    text: d.names[client.language],
    callback_data: packButton({ action: "dept", key: d.key }),
  }]);
}

/**
 * The client picked department `key`: their ticket opens in it, and what they wrote since they
 * were asked goes to the staff side in order, the first message as the one that opened it.
 */
export function departmentPicked(
  ctx: DeskContext,
  client: User,
  press: ButtonPress,
  key: string,
): void {
  const { store } = ctx;
  const department = departmentOf(ctx.config.departments, key);
  const held = store.heldMessages(client.userId);
  if (!department || held.length === 0 || client.currentTicketId !== null) {
    return ctx.answer(client, press, (t) => t.buttonStale);
  }
  ctx.answer(client, press);
  ctx.dropButtons(client, press);
  store.dropHeld(client.userId);
  let ticket = openTicket(ctx, client, department.key);
  // Picked under the account's message: the ticket's way in is the account, from the start.
  if (ctx.via !== null) store.setWay(ticket.id, ctx.via);
  const name = department.names[client.language];
  const picked: Greeting = (t) => t.routing.departmentPicked(name);
  const business: number[] = [];
  held.forEach((json, i) => {
    const incoming = JSON.parse(json) as Incoming;
    // A business chat's message is kept with its id there negated.
    if (incoming.chatMessageId < 0) business.push(-incoming.chatMessageId);
    ctx.channel.staff.clientWrote(ctx, client, ticket, incoming, i === 0 ? picked : undefined);
    ticket = store.getTicket(ticket.id)!;
  });
  if (ctx.via !== null) placedAsAccount(ctx, ctx.via, ticket, business);
  // Staff hear of the article the client was offered, else get the articles that may answer.
  if (!departmentOpened(ctx, client, ticket)) {
    suggest(ctx, ticket, (JSON.parse(held[0]) as Incoming).content.text);
  }
}

/**
 * A ticket opened in the department its client picked: the article of the knowledge base
 * offered them before (`knowledge.ts`), if any, is named to staff under what they wrote; false
 * when none was.
 */
function departmentOpened(ctx: DeskContext, client: User, ticket: Ticket): boolean {
  const hold = ctx.store.faqHoldOf(client.userId);
  if (hold === undefined || !hold.released) return false;
  ctx.store.dropFaqHold(client.userId);
  ctx.channel.staff.tellStaff(ctx, ticket, (t) => t.knowledge.offered(hold.question));
  return true;
}

/** `/departments`: the agent's departments, with a button to join or leave each. */
export function showDepartments(ctx: DeskContext, agent: User): void {
  if (ctx.config.departments.length === 0) return ctx.say(agent, (t) => t.routing.departmentsNone);
  ctx.say(agent, (t) => departmentsText(ctx, t, agent), memberButtons(ctx, agent));
}

function departmentsText(ctx: DeskContext, t: Texts, agent: User): string {
  const names = agent.departments.map((key) => departmentName(ctx, agent.language, key));
  return t.routing.departmentsMine(names);
}

/** One button per department: ✅ in front of the agent's own. */
function memberButtons(ctx: DeskContext, agent: User): Buttons {
  return ctx.config.departments.map((d) => [{
    text: `${agent.departments.includes(d.key) ? "✅ " : ""}${d.names[agent.language]}`,
    callback_data: packButton({ action: "member", key: d.key }),
  }]);
}

/** `/join <key>`: the agent works in that department from now. */
export function join(ctx: DeskContext, agent: User, request: CommandRequest): void {
  const department = named(ctx, agent, request);
  if (!department) return;
  const name = department.names[agent.language];
  if (department.group !== null) return ctx.say(agent, (t) => t.routing.ownGroup(name));
  if (agent.departments.includes(department.key)) {
    return ctx.say(agent, (t) => t.routing.alreadyIn(name));
  }
  setDepartments(ctx, agent, [...agent.departments, department.key]);
  ctx.say(agent, (t) => t.routing.joined(name));
  mayTakeNow(ctx, agent);
}

/** `/leave <key>`: the agent no longer works in that department. */
export function leave(ctx: DeskContext, agent: User, request: CommandRequest): void {
  const department = named(ctx, agent, request);
  if (!department) return;
  const name = department.names[agent.language];
  if (department.group !== null) return ctx.say(agent, (t) => t.routing.ownGroup(name));
  if (!agent.departments.includes(department.key)) {
    return ctx.say(agent, (t) => t.routing.notIn(name));
  }
  setDepartments(ctx, agent, agent.departments.filter((k) => k !== department.key));
  ctx.say(agent, (t) => t.routing.left(name));
  mayTakeNow(ctx, agent);
}

/** The department a `/join` or `/leave` names (its key, or its name in any language). */
function named(ctx: DeskContext, agent: User, request: CommandRequest): Department | undefined {
  const { departments } = ctx.config;
  if (departments.length === 0) {
    ctx.say(agent, (t) => t.routing.departmentsNone);
    return undefined;
  }
  const wanted = request.args.trim().toLowerCase();
  const found = departments.find((d) =>
    d.key === wanted || Object.values(d.names).some((n) => n.toLowerCase() === wanted)
  );
  if (found) return found;
  ctx.say(agent, (t) =>
    t.routing.departmentUsage(
      request.name,
      departments[0].key,
      departments.map((d) => `${d.key} (${d.names[agent.language]})`).join(", "),
    ));
  return undefined;
}

/**
 * A press of a department's button under `/departments`: the agent joins it or leaves it, and
 * the message (in chat `chatId`) shows where they are now.
 */
export function memberPressed(
  ctx: DeskContext,
  agent: User,
  press: ButtonPress,
  key: string,
  chatId: number = agent.userId,
): void {
  const department = departmentOf(ctx.config.departments, key);
  if (!department || !agent.isAgent) return ctx.answer(agent, press, (t) => t.buttonStale);
  if (department.group !== null) {
    return ctx.answer(agent, press, (t) => t.routing.ownGroup(department.names[agent.language]));
  }
  const inIt = agent.departments.includes(key);
  const now = inIt ? agent.departments.filter((k) => k !== key) : [...agent.departments, key];
  setDepartments(ctx, agent, now);
  const name = department.names[agent.language];
  ctx.answer(agent, press, (t) => inIt ? t.routing.left(name) : t.routing.joined(name));
  const updated = { ...agent, departments: now };
  if (press.chatMessageId === null) return mayTakeNow(ctx, agent);
  ctx.send(chatId, {
    method: "editMessageText",
    params: {
      chat_id: chatId,
      message_id: press.chatMessageId,
      text: departmentsText(ctx, texts(agent.language), updated),
      reply_markup: keyboard(memberButtons(ctx, updated)),
    },
  });
  mayTakeNow(ctx, agent);
}

/** Stores the agent's departments, in the configuration's order. */
function setDepartments(ctx: DeskContext, agent: User, keys: readonly string[]): void {
  const ordered = ctx.config.departments.map((d) => d.key).filter((k) => keys.includes(k));
  ctx.store.setDepartments(agent.userId, ordered);
}

/** A free agent whose departments changed may take a waiting ticket of theirs now. */
function mayTakeNow(ctx: DeskContext, agent: User): void {
  ctx.channel.staff.agentFreed(ctx, agent.userId);
}

/**
 * Team mode: a member of a department's own staff group (`chatId`) works in its departments
 * (those whose tickets live there); returns the member as they are now.
 */
export function joinGroupDepartments(ctx: DeskContext, member: User, chatId: number): User {
  const keys = ctx.config.departments.filter((d) => d.group === chatId).map((d) => d.key);
  const missing = keys.filter((k) => !member.departments.includes(k));
  if (missing.length === 0) return member;
  const now = [...member.departments, ...missing];
  setDepartments(ctx, member, now);
  return ctx.user(member.userId);
}
