/**
 * Team mode's board: what the pinned message in the staff group's General topic shows, read
 * from the store when it is sent: the tickets waiting and for how long (and their department),
 * the open ones and who has them, the members online, per department the tickets waiting and
 * its members, and today's figures.
 *
 * @module
 */
import { clockTime } from "../base/time.ts";
import { formatDuration } from "./metrics.ts";
import { isOnline } from "../rules/matchmaking.ts";
import {
  type Department,
  departmentOf,
  departmentsOfGroup,
  groupOfDepartment,
  worksInGroup,
} from "../rules/departments.ts";
import { nameOf, type Store, type User } from "../store/mod.ts";
import type { BoardDepartment, BoardView, Language } from "../texts/mod.ts";
import { texts, ticketNumber } from "../texts/mod.ts";
import { todayMetrics } from "./stats.ts";

/** Tickets listed per section (the rest are counted). */
const BOARD_LINES = 15;

/**
 * The staff group a board is for, when departments have groups of their own: `chatId`, and
 * `main` (STAFF_CHAT_ID's). Each board shows its group's tickets and members alone.
 */
export interface BoardGroup {
  readonly chatId: number;
  readonly main: number;
}

/** Tickets read for a group's board, at most, when departments have groups of their own. */
const GROUP_READ = 2000;

/**
 * The board at `now`; with `departments`, what waits in each and who works in it; with
 * `group`, of that staff group alone.
 */
export function boardView(
  store: Store,
  now: number,
  onlineWindowMs: number,
  timeZone: string,
  language: Language,
  departments: readonly Department[] = [],
  group?: BoardGroup,
): BoardView {
  const name = (id: number | null) => {
    const user = id === null ? undefined : store.getUser(id);
    return user ? nameOf(user) : "?";
  };
  // One group among several: its tickets, members and departments alone.
  const split = group !== undefined && departments.some((d) => d.group !== null);
  const ours = (t: { department: string | null }) =>
    !split || groupOfDepartment(departments, t.department, group.main) === group.chatId;
  const mine = split ? departmentsOfGroup(departments, group.chatId, group.main) : departments;
  const waitingAll = split
    ? store.waitingTickets(GROUP_READ).filter(ours)
    : store.waitingTickets(BOARD_LINES);
  const openAll = split
    ? store.openTicketsList(GROUP_READ).filter(ours)
    : store.openTicketsList(BOARD_LINES);
  const waiting = waitingAll.slice(0, BOARD_LINES).map((t) => ({
    ticket: ticketNumber(t.id),
    client: name(t.clientId),
    waiting: formatDuration(now - t.openedAt, language),
    late: t.waitingSince !== null,
    department: departmentLabel(departments, t.department, language),
  }));
  const open = openAll.slice(0, BOARD_LINES).map((t) => ({
    ticket: ticketNumber(t.id),
    client: name(t.clientId),
    agent: name(t.agentId),
  }));
  const members = store.members().filter((m) =>
    !split || worksInGroup(m.departments, departments, group.chatId, group.main)
  );
  const online = members.filter((m) => m.isAvailable && isOnline(m, now, onlineWindowMs))
    .map(nameOf);
  return {
    waiting,
    waitingCount: split ? waitingAll.length : store.queueLength(),
    open,
    openCount: split ? openAll.length : store.openTickets(),
    online,
    departments: byDepartment(
      store,
      members,
      mine,
      language,
      !split || group.chatId === group.main,
    ),
    today: todayMetrics(store, now, timeZone, language),
    updatedAt: clockTime(now, timeZone),
  };
}

/**
 * A ticket's department by name in `language`: `null` for none (or on a desk without
 * departments); its key when `DEPARTMENTS` no longer lists it.
 */
function departmentLabel(
  departments: readonly Department[],
  key: string | null,
  language: Language,
): string | null {
  if (key === null || departments.length === 0) return null;
  return departmentOf(departments, key)?.names[language] ?? key;
}

/**
 * Per department, in `DEPARTMENTS` order: the tickets waiting and the members in it (by name);
 * then the same for tickets and members in none (who serve all). Nothing on a desk without.
 */
function byDepartment(
  store: Store,
  members: readonly User[],
  departments: readonly Department[],
  language: Language,
  withNone = true,
): BoardDepartment[] {
  if (departments.length === 0) return [];
  const queued = store.queuedByDepartment();
  const lines: BoardDepartment[] = departments.map((d) => ({
    name: d.names[language],
    waiting: queued.get(d.key) ?? 0,
    members: members.filter((m) => m.departments.includes(d.key)).map(nameOf),
  }));
  if (!withNone) return lines;
  lines.push({
    name: texts(language).routing.noDepartment,
    waiting: queued.get(null) ?? 0,
    members: members.filter((m) => m.departments.length === 0).map(nameOf),
  });
  return lines;
}
