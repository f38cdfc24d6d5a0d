/**
 * The same burst as the scaled test in durability_test.ts (see support/relay_check.ts), at
 * Telegram's real limits: about 1 message per second per chat (burst 3) and 30 per second in
 * all. Takes about 45 s, most of it waiting, so the suite runs test files in parallel.
 */
import { limitsScenario } from "./support/relay_check.ts";

Deno.test(
  "Telegram's limits (1/s per chat, 30/s in all): 50 clients × 20 messages, none lost, in order",
  limitsScenario(1),
);
