/**
 * The few-layer routing of updates (`src/telegram/routing.ts`): a table of commands told by
 * one test, as grammY's own `command` filter tells them, and a gate that skips a group of
 * handlers, including those added after it.
 *
 * @module
 */
import assert from "node:assert/strict";
import { Api, Composer, Context } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { commandMatcher, gate } from "../src/telegram/routing.ts";

const me = { id: 42, is_bot: true, first_name: "Desk", username: "DeskBot" } as UserFromGetMe;
const api = new Api("1:x");

function messageUpdate(text: string, fields: Record<string, unknown> = {}): Update {
  const command = /^\/\S+/.exec(text)?.[0];
  return {
    update_id: 1,
    message: {
      message_id: 5,
      date: 0,
      chat: { id: 7, type: "private", first_name: "A" },
      from: { id: 7, is_bot: false, first_name: "A" },
      text,
      ...(command
        ? { entities: [{ type: "bot_command", offset: 0, length: command.length }] }
        : {}),
      ...fields,
    },
  } as Update;
}

Deno.test("one matcher for a table of commands: the name, and its arguments in ctx.match", () => {
  const match = commandMatcher(["start", "end_chat"]);
  const cases: [string, string | undefined, string | undefined][] = [
    ["/start", "start", ""],
    ["/end_chat  now please", "end_chat", "now please"],
    ["/start@DeskBot hello", "start", "hello"],
    ["/start@deskbot", "start", ""],
    ["/start@OtherBot", undefined, undefined],
    ["/stats", undefined, undefined],
    ["hello /start", undefined, undefined],
    ["plain text", undefined, undefined],
  ];
  for (const [text, name, args] of cases) {
    const ctx = new Context(messageUpdate(text), api, me);
    assert.equal(match(ctx), name, text);
    if (name !== undefined) assert.equal(ctx.match, args, text);
  }
  // A command in a caption is no command (grammY reads `entities`, not `caption_entities`).
  const caption = new Context(
    {
      update_id: 2,
      message: {
        message_id: 6,
        date: 0,
        chat: { id: 7, type: "private", first_name: "A" },
        caption: "/start",
        caption_entities: [{ type: "bot_command", offset: 0, length: 6 }],
      },
    } as Update,
    api,
    me,
  );
  assert.equal(match(caption), undefined);
  // Nor is an edited message.
  const edited = new Context(
    { update_id: 3, edited_message: messageUpdate("/start").message } as Update,
    api,
    me,
  );
  assert.equal(match(edited), undefined);
});

Deno.test("a gate runs its composer's handlers, added before or after it, only for its updates", async () => {
  const seen: string[] = [];
  const composer = new Composer<Context>();
  const middleware = gate((ctx) => ctx.update.update_id % 2 === 0, composer);
  composer.use((_ctx, next) => {
    seen.push("before");
    return next();
  });
  const after = new Composer<Context>(middleware, () => {
    seen.push("passed on");
  });
  composer.use(() => {
    seen.push("added later");
  });
  await after.middleware()(
    new Context({ update_id: 2 } as Update, api, me),
    () => Promise.resolve(),
  );
  assert.deepEqual(seen, ["before", "added later"]);
  seen.length = 0;
  await after.middleware()(
    new Context({ update_id: 3 } as Update, api, me),
    () => Promise.resolve(),
  );
  assert.deepEqual(seen, ["passed on"]);
});
