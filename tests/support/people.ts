/**
 * The people the end-to-end tests share, with the same ids and names in every file that plays
 * them: the clients Alice, Bob and Carol (who speaks English), the agents One and Two, and the
 * admin Boss. A test that needs someone else — another language, a username, ids of its own —
 * makes them with `user()` where it uses them.
 *
 * @module
 */
import { user } from "./telegram.ts";

/** The admin's user id (give it to the bot as `ADMIN_IDS`). */
export const ADMIN_ID = 9001;
/** The admin. */
export const admin = user(ADMIN_ID, "Boss");

/** A client with a last name and a username: the agents see "Alice Smith". */
export const alice = user(1001, "Alice", { last_name: "Smith", username: "alice" });
/** A client with only a first name. */
export const bob = user(1002, "Bob");
/** A client whose Telegram speaks English. */
export const carol = user(1003, "Carol", { language_code: "en" });

/** The first agent: "Agent One". */
export const agent1 = user(2001, "Agent", { last_name: "One" });
/** The second agent: "Agent Two". */
export const agent2 = user(2002, "Agent", { last_name: "Two" });
