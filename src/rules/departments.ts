/**
 * Departments (`DEPARTMENTS`): a key each, then the name in each language the bot speaks, as
 * `billing=Оплата|Billing,tech=Техника|Tech support`, each optionally followed by its own staff
 * group (`billing=Оплата|Billing@-1001234567890`, team mode). Read once at start; a mistake is
 * one readable sentence. Pure; no Telegram, no database.
 *
 * @module
 */
import { type Language, LANGUAGES } from "../texts/types.ts";

/** One department: its key (stored with tickets and agents) and its name in each language. */
export interface Department {
  readonly key: string;
  readonly names: Readonly<Record<Language, string>>;
  /** The staff group named after `@` (team mode); `null`: none (STAFF_CHAT_ID's group). */
  readonly group: number | null;
}

/** A department's key: short, lower case, fit for a command (`/join billing`) and a button. */
const KEY = /^[a-z0-9_-]{1,24}$/;
/** A name fits on a button. */
const MAX_NAME = 40;

/**
 * The departments `raw` lists, in its order (the order of the client's buttons). Throws an
 * `Error` whose message says what is wrong, in one sentence.
 */
export function parseDepartments(raw: string): Department[] {
  const departments: Department[] = [];
  for (const part of raw.split(",").map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    if (eq < 0) throw new Error(`"${part}" is not key=name (e.g. billing=Оплата|Billing)`);
    const key = part.slice(0, eq).trim();
    const spec = part.slice(eq + 1).trim();
    if (!KEY.test(key)) {
      throw new Error(
        `the key "${key}" must be 1 to 24 of a-z, 0-9, _ and - (e.g. billing=Оплата|Billing)`,
      );
    }
    if (departments.some((d) => d.key === key)) throw new Error(`the key "${key}" is twice`);
    // A staff group only when the tail is `@` and a number: "Почта @ Mail" is a name.
    const tail = /@[\s\d-]*$/.exec(spec);
    const at = tail === null ? -1 : tail.index;
    const group = at < 0 ? null : groupId(key, spec.slice(at + 1).trim());
    const names = (at < 0 ? spec : spec.slice(0, at)).split("|").map((n) => n.trim());
    if (names.length > LANGUAGES.length) {
      throw new Error(
        `${key} has ${names.length} names; give one per language (${LANGUAGES.join("|")})`,
      );
    }
    if (names.some((n) => n === "" || n.length > MAX_NAME)) {
      throw new Error(`${key}: every name must be 1 to ${MAX_NAME} characters`);
    }
    // Fewer names than languages: the last one given stands for the rest.
    const byLanguage = Object.fromEntries(
      LANGUAGES.map((language, i) => [language, names[Math.min(i, names.length - 1)]]),
    ) as Record<Language, string>;
    departments.push({ key, names: byLanguage, group });
  }
  if (raw.trim() !== "" && departments.length === 0) throw new Error("lists no department");
  return departments;
}

/** A department's staff group after `@`: a group's id, a negative number. */
function groupId(key: string, raw: string): number {
  const id = /^-\d{1,20}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id)) {
    throw new Error(
      `${key}: after @ comes its staff group's id, a negative number like -1001234567890, ` +
        `not "${raw}"`,
    );
  }
  return id;
}

/** The department of `key` among `departments`, if it is one. */
export function departmentOf(
  departments: readonly Department[],
  key: string | null,
): Department | undefined {
  return key === null ? undefined : departments.find((d) => d.key === key);
}

/**
 * The staff group of tickets in department `key` (team mode): the department's own group, or
 * `main` (STAFF_CHAT_ID's) for a department without one, or for none.
 */
export function groupOfDepartment(
  departments: readonly Department[],
  key: string | null,
  main: number,
): number {
  return departmentOf(departments, key)?.group ?? main;
}

/** Every staff group (team mode): `main` first, then each department's own, once. */
export function staffGroups(departments: readonly Department[], main: number): number[] {
  const groups = [main];
  for (const d of departments) {
    if (d.group !== null && !groups.includes(d.group)) groups.push(d.group);
  }
  return groups;
}

/** The departments whose tickets live in `group` (`main`: those without a group of their own). */
export function departmentsOfGroup(
  departments: readonly Department[],
  group: number,
  main: number,
): Department[] {
  return departments.filter((d) => (d.group ?? main) === group);
}

/**
 * Whether an agent in `agentDepartments` works in the staff group `group`: a department's own
 * group is its agents'; `main` (STAFF_CHAT_ID's) is everyone's but those only in departments
 * with a group of their own.
 */
export function worksInGroup(
  agentDepartments: readonly string[],
  departments: readonly Department[],
  group: number,
  main: number,
): boolean {
  if (agentDepartments.length === 0) return group === main;
  return agentDepartments.some((key) => groupOfDepartment(departments, key, main) === group);
}
