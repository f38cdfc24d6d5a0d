/**
 * Unit tests of matchmaking: which free agent takes a client, and the queue order.
 */

import assert from "node:assert/strict";
import {
  type AgentState,
  agentState,
  ANY_NEEDS,
  compareAgents,
  compareFor,
  compareQueued,
  departmentRank,
  isOnline,
  mayServe,
  type Needs,
  pickAgent,
  type QueuedTicket,
  queuePosition,
  SEEN_STEP_MS,
  seenAgain,
} from "../src/rules/matchmaking.ts";
import { mulberry32 } from "../tools/emulator/random.ts";

const NOW = 1_700_000_000_000;
const WINDOW = 5 * 60_000;

function agent(userId: number, fields: Partial<AgentState> = {}): AgentState {
  return {
    userId,
    isAvailable: true,
    currentTicketId: null,
    lastOnline: NOW - 1_000,
    lastDialogEndedAt: null,
    languages: ["ru"],
    departments: [],
    ...fields,
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * The expected order written independently of the implementation: a sort key compared
 * lexicographically. Online first (0 before 1); dialog ended longest ago first (never: -∞);
 * seen most recently first (never: +∞ after negation); lower id first.
 */
function referenceKey(a: AgentState, now: number, windowMs: number): number[] {
  const online = a.lastOnline !== null && now - a.lastOnline <= windowMs;
  return [
    online ? 0 : 1,
    a.lastDialogEndedAt === null ? -Infinity : a.lastDialogEndedAt,
    a.lastOnline === null ? Infinity : -a.lastOnline,
    a.userId,
  ];
}

function referenceCompare(now: number, windowMs: number) {
  return (a: AgentState, b: AgentState): number => {
    const ka = referenceKey(a, now, windowMs);
    const kb = referenceKey(b, now, windowMs);
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] < kb[i]) return -1;
      if (ka[i] > kb[i]) return 1;
    }
    return 0;
  };
}

Deno.test("pickAgent: an online agent beats an offline one, whatever else", () => {
  // The offline agents would win on every later criterion.
  const offline = agent(1, { lastOnline: NOW - WINDOW - 60_000, lastDialogEndedAt: null });
  const neverSeen = agent(2, { lastOnline: null, lastDialogEndedAt: null });
  const online = agent(3, { lastOnline: NOW - 10, lastDialogEndedAt: NOW - 5 });
  assert.equal(pickAgent([offline, neverSeen, online], NOW, WINDOW)?.userId, 3);
  assert.equal(pickAgent([online, offline, neverSeen], NOW, WINDOW)?.userId, 3);
});

Deno.test("pickAgent: among equals, whose last dialog ended longest ago wins", () => {
  const recent = agent(1, { lastDialogEndedAt: NOW - 1_000 });
  const longAgo = agent(2, { lastDialogEndedAt: NOW - 50_000 });
  const middle = agent(3, { lastDialogEndedAt: NOW - 20_000 });
  assert.equal(pickAgent([recent, longAgo, middle], NOW, WINDOW)?.userId, 2);
  // Never had a dialog: first of all.
  const never = agent(4, { lastDialogEndedAt: null });
  assert.equal(pickAgent([recent, longAgo, never, middle], NOW, WINDOW)?.userId, 4);
  // The same among offline agents.
  const offRecent = agent(5, { lastOnline: NOW - 2 * WINDOW, lastDialogEndedAt: NOW - 10 });
  const offLongAgo = agent(6, { lastOnline: NOW - 2 * WINDOW, lastDialogEndedAt: NOW - 1e6 });
  assert.equal(pickAgent([offRecent, offLongAgo], NOW, WINDOW)?.userId, 6);
});

Deno.test("pickAgent: then whoever was seen most recently", () => {
  const ended = NOW - 30_000;
  const seenEarlier = agent(1, { lastOnline: NOW - 100, lastDialogEndedAt: ended });
  const seenLater = agent(2, { lastOnline: NOW - 10, lastDialogEndedAt: ended });
  assert.equal(pickAgent([seenEarlier, seenLater], NOW, WINDOW)?.userId, 2);
  // Offline agents: seen at some point beats never seen.
  const seenLongAgo = agent(3, { lastOnline: NOW - 10 * WINDOW });
  const neverSeen = agent(4, { lastOnline: null });
  assert.equal(pickAgent([neverSeen, seenLongAgo], NOW, WINDOW)?.userId, 3);
});

Deno.test("pickAgent: then the lower user id, whatever the input order", () => {
  const same = { lastOnline: NOW - 100, lastDialogEndedAt: NOW - 5_000 };
  const agents = [agent(30, same), agent(7, same), agent(12, same)];
  assert.equal(pickAgent(agents, NOW, WINDOW)?.userId, 7);
  assert.equal(pickAgent([...agents].reverse(), NOW, WINDOW)?.userId, 7);
});

Deno.test("pickAgent: agents not available or in a dialog are never picked", () => {
  // The two unfree agents are better than the free one on every criterion.
  const unavailable = agent(1, { isAvailable: false, lastDialogEndedAt: null });
  const busy = agent(2, { currentTicketId: 99, lastDialogEndedAt: null });
  const free = agent(3, { lastOnline: NOW - 2 * WINDOW, lastDialogEndedAt: NOW - 1 });
  assert.equal(pickAgent([unavailable, busy, free], NOW, WINDOW)?.userId, 3);
  assert.equal(pickAgent([unavailable, busy], NOW, WINDOW), undefined);
  assert.equal(
    pickAgent([agent(4, { isAvailable: false, currentTicketId: 5 })], NOW, WINDOW),
    undefined,
  );
});

Deno.test("pickAgent: an empty list gives undefined", () => {
  assert.equal(pickAgent([], NOW, WINDOW), undefined);
});

Deno.test("pickAgent: seen exactly windowMs ago is online, 1 ms more is not", () => {
  const edge = agent(1, { lastOnline: NOW - WINDOW, lastDialogEndedAt: NOW - 1 });
  const justOut = agent(2, { lastOnline: NOW - WINDOW - 1, lastDialogEndedAt: null });
  assert.equal(isOnline(edge, NOW, WINDOW), true);
  assert.equal(isOnline(justOut, NOW, WINDOW), false);
  assert.equal(isOnline(agent(3, { lastOnline: null }), NOW, WINDOW), false);
  // Agent 2 would win on the dialog criterion, but only agent 1 counts as online.
  assert.equal(pickAgent([justOut, edge], NOW, WINDOW)?.userId, 1);
  // One millisecond later both are offline, and agent 2 (never had a dialog) wins.
  assert.equal(pickAgent([justOut, edge], NOW + 1, WINDOW)?.userId, 2);
  // A zero window: only an agent seen at this very millisecond is online.
  const now = agent(4, { lastOnline: NOW, lastDialogEndedAt: NOW - 1 });
  const msAgo = agent(5, { lastOnline: NOW - 1, lastDialogEndedAt: null });
  assert.equal(pickAgent([msAgo, now], NOW, 0)?.userId, 4);
});

Deno.test("compareAgents: a total order, the same for every shuffle of the input", () => {
  const random = mulberry32(20240601);
  // Few distinct values, so that many agents tie on the first criteria.
  const onlineChoices = [null, NOW, NOW - 60_000, NOW - WINDOW, NOW - WINDOW - 1, NOW - 3_600_000];
  const endedChoices = [null, NOW - 1_000, NOW - 600_000, NOW - 86_400_000];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const agents: AgentState[] = [];
  for (let id = 1; id <= 40; id++) {
    agents.push(agent(id * 7 % 101, {
      isAvailable: random() < 0.8,
      currentTicketId: random() < 0.2 ? id : null,
      lastOnline: pick(onlineChoices),
      lastDialogEndedAt: pick(endedChoices),
    }));
  }
  assert.equal(new Set(agents.map((a) => a.userId)).size, agents.length, "ids must be unique");

  const compare = compareAgents(NOW, WINDOW);
  const expected = [...agents].sort(referenceCompare(NOW, WINDOW)).map((a) => a.userId);
  const expectedPick = [...agents].sort(referenceCompare(NOW, WINDOW)).find((a) =>
    a.isAvailable && a.currentTicketId === null
  )?.userId;
  assert.notEqual(expectedPick, undefined);
  for (let round = 0; round < 100; round++) {
    const shuffled = shuffle(agents, random);
    assert.deepEqual(shuffled.sort(compare).map((a) => a.userId), expected, `round ${round}`);
    assert.equal(pickAgent(shuffle(agents, random), NOW, WINDOW)?.userId, expectedPick);
  }

  // Reflexive and antisymmetric on every pair; never NaN.
  for (const a of agents) {
    assert.equal(compare(a, a), 0);
    for (const b of agents) {
      const ab = compare(a, b);
      const ba = compare(b, a);
      assert.ok(!Number.isNaN(ab), `NaN comparing ${a.userId} and ${b.userId}`);
      if (a !== b) assert.equal(Math.sign(ab), -Math.sign(ba));
      if (a !== b) assert.notEqual(ab, 0, `distinct agents ${a.userId}, ${b.userId} tie`);
    }
  }
});

function needs(fields: Partial<Needs>): Needs {
  return { ...ANY_NEEDS, ...fields };
}

Deno.test("pickAgent: a free agent of the client's language wins over the seed's order", () => {
  // The seed's order alone picks 1 (never had a dialog; online).
  const russian = agent(1, { languages: ["ru"] });
  const english = agent(2, { languages: ["en"], lastDialogEndedAt: NOW - 1 });
  assert.equal(pickAgent([russian, english], NOW, WINDOW)?.userId, 1);
  assert.equal(pickAgent([russian, english], NOW, WINDOW, needs({ language: "en" }))?.userId, 2);
  assert.equal(pickAgent([russian, english], NOW, WINDOW, needs({ language: "ru" }))?.userId, 1);
  // Language comes before being online.
  const offlineEnglish = agent(3, { languages: ["en", "ru"], lastOnline: null });
  assert.equal(
    pickAgent([russian, offlineEnglish], NOW, WINDOW, needs({ language: "en" }))?.userId,
    3,
  );
});

Deno.test("pickAgent: nobody speaks the client's language: served anyway, unless they wait", () => {
  const russian = agent(1, { languages: ["ru"] });
  assert.equal(pickAgent([russian], NOW, WINDOW, needs({ language: "en" }))?.userId, 1);
  const waiting = needs({ language: "en", onlySpeakers: true });
  assert.equal(pickAgent([russian], NOW, WINDOW, waiting), undefined);
  assert.equal(mayServe(russian, waiting), false);
  assert.equal(mayServe(agent(2, { languages: ["en"] }), waiting), true);
});

Deno.test("pickAgent: a returning client goes back to their agent, after language", () => {
  const first = agent(1, { languages: ["ru"] });
  const last = agent(2, { languages: ["ru"], lastDialogEndedAt: NOW - 1, lastOnline: null });
  const back = needs({ language: "ru", lastAgentId: 2 });
  // The last agent wins over the seed's order, even offline.
  assert.equal(pickAgent([first, last], NOW, WINDOW, back)?.userId, 2);
  // Not free: the next best.
  const busy = { ...last, currentTicketId: 5 };
  assert.equal(pickAgent([first, busy], NOW, WINDOW, back)?.userId, 1);
  // One who speaks the client's language comes first.
  const english = needs({ language: "en", lastAgentId: 2 });
  const speaker = agent(3, { languages: ["en"], lastDialogEndedAt: NOW });
  assert.equal(pickAgent([first, last, speaker], NOW, WINDOW, english)?.userId, 3);
});

Deno.test("pickAgent: the department's own agents, then those in none; never another's", () => {
  const billing = agent(1, { departments: ["billing"], lastDialogEndedAt: NOW });
  const anyone = agent(2, { departments: [] });
  const tech = agent(3, { departments: ["tech"], lastDialogEndedAt: null });
  assert.equal(departmentRank(billing, "billing"), 0);
  assert.equal(departmentRank(anyone, "billing"), 1);
  assert.equal(departmentRank(tech, "billing"), 2);
  assert.equal(departmentRank(tech, null), 0);
  const all = [billing, anyone, tech];
  assert.equal(pickAgent(all, NOW, WINDOW, needs({ department: "billing" }))?.userId, 1);
  assert.equal(pickAgent([anyone, tech], NOW, WINDOW, needs({ department: "billing" }))?.userId, 2);
  assert.equal(pickAgent([tech], NOW, WINDOW, needs({ department: "billing" })), undefined);
  // A ticket in no department: anyone, in the seed's order.
  assert.equal(pickAgent(all, NOW, WINDOW)?.userId, 2);
  // The department comes before the language and the last agent.
  const speaker = agent(4, { departments: [], languages: ["en"] });
  const order = needs({ department: "billing", language: "en", lastAgentId: 4 });
  assert.equal(pickAgent([speaker, billing], NOW, WINDOW, order)?.userId, 1);
});

Deno.test("pickAgent: a department with its own staff group: its own agents only", () => {
  const billing = agent(1, { departments: ["billing"], lastDialogEndedAt: NOW });
  const anyone = agent(2, { departments: [] });
  const own = needs({ department: "billing", ownAgentsOnly: true });
  assert.equal(pickAgent([billing, anyone], NOW, WINDOW, own)?.userId, 1);
  // Those in no department (who serve all in the main group) do not see its group.
  assert.equal(pickAgent([anyone], NOW, WINDOW, own), undefined);
  assert.equal(mayServe(anyone, own), false);
});

Deno.test("compareFor: department, language, last agent, then the seed's order", () => {
  const random = mulberry32(7_2024);
  const choose = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  for (let round = 0; round < 200; round++) {
    const agents: AgentState[] = [];
    for (let id = 1; id <= 12; id++) {
      agents.push(agent(id, {
        lastOnline: choose([null, NOW, NOW - 2 * WINDOW]),
        lastDialogEndedAt: choose([null, NOW - 10, NOW - 1000]),
        languages: choose([["ru"], ["en"], ["ru", "en"]]),
        departments: choose([[], ["a"], ["b"], ["a", "b"]]),
      }));
    }
    const wants = needs({
      language: choose([null, "ru", "en"]),
      department: choose([null, "a", "b"]),
      lastAgentId: choose([null, 1, 5]),
    });
    const key = (a: AgentState) => [
      departmentRank(a, wants.department),
      wants.language === null || a.languages.includes(wants.language) ? 0 : 1,
      a.userId === wants.lastAgentId ? 0 : 1,
      ...referenceKey(a, NOW, WINDOW),
    ];
    const reference = (a: AgentState, b: AgentState) => {
      const ka = key(a), kb = key(b);
      for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
      return 0;
    };
    const sorted = shuffle(agents, random).sort(compareFor(wants, NOW, WINDOW));
    assert.deepEqual(sorted.map((a) => a.userId), [...agents].sort(reference).map((a) => a.userId));
  }
});

Deno.test("compareQueued: the older ticket first, the lower id on a tie", () => {
  assert.ok(compareQueued({ id: 9, openedAt: 100 }, { id: 1, openedAt: 200 }) < 0);
  assert.ok(compareQueued({ id: 1, openedAt: 200 }, { id: 9, openedAt: 100 }) > 0);
  assert.ok(compareQueued({ id: 2, openedAt: 100 }, { id: 5, openedAt: 100 }) < 0);
  assert.ok(compareQueued({ id: 5, openedAt: 100 }, { id: 2, openedAt: 100 }) > 0);
  assert.equal(compareQueued({ id: 5, openedAt: 100 }, { id: 5, openedAt: 100 }), 0);
});

Deno.test("queuePosition: 1-based place in queue order; not queued gives 0", () => {
  const queue: QueuedTicket[] = [
    { id: 5, openedAt: 300 },
    { id: 3, openedAt: 200 },
    { id: 8, openedAt: 100 },
    { id: 4, openedAt: 200 },
  ];
  const copy = structuredClone(queue);
  // Order: 8 (100), 3 (200, lower id), 4 (200), 5 (300).
  assert.equal(queuePosition(queue, 8), 1);
  assert.equal(queuePosition(queue, 3), 2);
  assert.equal(queuePosition(queue, 4), 3);
  assert.equal(queuePosition(queue, 5), 4);
  assert.equal(queuePosition(queue, 42), 0);
  assert.equal(queuePosition([], 1), 0);
  assert.deepEqual(queue, copy, "the queue passed in is not reordered");
});

Deno.test("agentState: in a dialog is busy whatever the flag; else the flag decides", () => {
  assert.equal(agentState({ isAvailable: true, currentTicketId: 5 }), "busy");
  assert.equal(agentState({ isAvailable: false, currentTicketId: 5 }), "busy");
  assert.equal(agentState({ isAvailable: true, currentTicketId: null }), "available");
  assert.equal(agentState({ isAvailable: false, currentTicketId: null }), "away");
});

Deno.test("an agent's last seen is written again only after a step, or when the clock went back", () => {
  assert.equal(seenAgain(null, 1_000), true, "never seen");
  assert.equal(seenAgain(1_000, 1_000 + SEEN_STEP_MS - 1), false, "seen a moment ago");
  assert.equal(seenAgain(1_000, 1_000 + SEEN_STEP_MS), true, "a step later");
  assert.equal(seenAgain(50_000, 1_000), true, "the clock stepped back");
  // Stale by less than a step: still online within any window of a minute or more.
  assert.ok(isOnline({ lastOnline: 0 }, SEEN_STEP_MS, 60_000));
});
