/** Team mode's topic titles: the state mark, the number and name, Telegram's 128 characters. */
import assert from "node:assert/strict";
import { cutTitle, MAX_TOPIC_NAME, topicState, topicTitle } from "../src/rules/topic_titles.ts";

Deno.test("topicTitle: the mark of the state, the number, the name", () => {
  assert.equal(topicTitle("open", "#T-000123", "Ivan Petrov"), "🟢 #T-000123 · Ivan Petrov");
  assert.equal(topicTitle("waiting", "#T-000001", "  Ann \n Lee "), "🟡 #T-000001 · Ann Lee");
  assert.equal(topicTitle("closed", "#T-000001", ""), "✅ #T-000001 · ?");
  // Written to a company's account (Telegram Business): the account first.
  assert.equal(
    topicTitle("new", "#T-000002", "Ann", "Billing", " Flower  Shop "),
    "🔵 #T-000002 · 🏢 Flower Shop · Billing · Ann",
  );
});

Deno.test("topicState: closed, taken, waiting too long, new", () => {
  assert.equal(topicState(undefined), "closed");
  assert.equal(topicState({ status: "closed" }), "closed");
  assert.equal(topicState({ status: "open" }), "open");
  assert.equal(topicState({ status: "queued", waitingSince: null }), "new");
  assert.equal(topicState({ status: "queued", waitingSince: 5 }), "waiting");
});

Deno.test("cutTitle: at most 128 UTF-16 units, never inside an emoji or a flag", () => {
  const short = "🟢 #T-000001 · Ann";
  assert.equal(cutTitle(short), short);
  for (const filler of ["a", "🇩🇪", "👩‍👩‍👧", "é", "😀"]) {
    for (let pad = 0; pad < 6; pad++) {
      const title = "🟢 #T-000001 · " + "x".repeat(pad) + filler.repeat(130);
      const cut = cutTitle(title);
      assert.ok(cut.length <= MAX_TOPIC_NAME, `${cut.length} > 128`);
      assert.ok(cut.endsWith("…"));
      const body = cut.slice(0, -1);
      // What is kept is a whole prefix of the title, made of whole graphemes.
      assert.ok(title.startsWith(body));
      const rest = title.slice(body.length);
      assert.ok(rest.startsWith(filler) || rest.startsWith("x"), `cut inside ${filler}`);
    }
  }
});
