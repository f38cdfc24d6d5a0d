/** The pace of a client's relays (`src/desk/pace.ts`), on a clock the test moves. */
import assert from "node:assert/strict";
import { Pace } from "../src/desk/pace.ts";

Deno.test("pace: over after `limit` relays within the window, free again once they age out", () => {
  let now = 0;
  const pace = new Pace(60_000, () => now);
  for (let i = 0; i < 3; i++) {
    assert.equal(pace.over(1, 3), false);
    pace.note(1, 3);
    now += 1000;
  }
  assert.equal(pace.over(1, 3), true, "3 in 3 s, the limit is 3 a minute");
  assert.equal(pace.over(2, 3), false, "another ticket has its own pace");
  now = 60_500; // the first relay (at 0) is more than a minute old now
  assert.equal(pace.over(1, 3), false);
  pace.note(1, 3);
  assert.equal(pace.over(1, 3), true);
  now = 200_000;
  assert.equal(pace.over(1, 3), false, "all aged out");
});
