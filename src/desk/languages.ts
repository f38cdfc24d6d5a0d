/**
 * The languages an agent takes clients in: their Telegram app's, unless they set them with
 * `/languages ru en` or its buttons (`/languages auto`, or the app's button, goes back to the
 * app's). Routing sends a client to a free agent who speaks their language first
 * (`routing.ts`).
 *
 * @module
 */
import { packButton } from "../rules/button_data.ts";
import { type Buttons, keyboard } from "../outbox/builders.ts";
import { languagesOf, type User } from "../store/mod.ts";
import { type Language, LANGUAGES, type Texts, texts } from "../texts/mod.ts";
import type { ButtonPress, DeskContext } from "./context.ts";
import type { CommandRequest } from "./roles.ts";

/** `/languages [codes | auto]`: sets the agent's languages when given, and shows them. */
export function languages(ctx: DeskContext, agent: User, request: CommandRequest): void {
  const asked = request.args.trim().toLowerCase().split(/[\s,]+/).filter(Boolean);
  let now = agent.languages;
  if (asked.length === 1 && asked[0] === "auto") now = null;
  else if (asked.length > 0) {
    if (!asked.every((code) => (LANGUAGES as readonly string[]).includes(code))) {
      return ctx.say(agent, (t) => t.routing.languagesUsage(LANGUAGES.join(", ")));
    }
    now = LANGUAGES.filter((language) => asked.includes(language));
  }
  if (now !== agent.languages) ctx.store.setLanguages(agent.userId, now);
  const updated = { ...agent, languages: now };
  ctx.say(agent, (t) => languagesText(t, updated), languageButtons(updated));
  // A client who waits for a speaker of a language the agent took up may be theirs now.
  ctx.channel.staff.agentFreed(ctx, agent.userId);
}

function languagesText(t: Texts, agent: User): string {
  const spoken = languagesOf(agent);
  const names = spoken.map((language) => t.routing.languageNames[language]).join(", ");
  return t.routing.languagesNow(names, spoken.length, agent.languages === null);
}

/** One button per language (✅ in front of the agent's), then "as in my Telegram app". */
function languageButtons(agent: User): Buttons {
  const t = texts(agent.language);
  const spoken = languagesOf(agent);
  return [
    LANGUAGES.map((language) => ({
      text: `${spoken.includes(language) ? "✅ " : ""}${
        capitalized(t.routing.languageNames[language])
      }`,
      callback_data: packButton({ action: "lang", language }),
    })),
    [{
      text: t.routing.languagesAppButton,
      callback_data: packButton({ action: "lang", language: "auto" }),
    }],
  ];
}

/**
 * A press of a language button: the language is turned on or off (the last one stays), or
 * `auto` gives the app's back; the message (in chat `chatId`) shows the languages now.
 */
export function languagePressed(
  ctx: DeskContext,
  agent: User,
  press: ButtonPress,
  code: string,
  chatId: number = agent.userId,
): void {
  const language = LANGUAGES.find((l) => l === code);
  if (!agent.isAgent || (code !== "auto" && language === undefined)) {
    return ctx.answer(agent, press, (t) => t.buttonStale);
  }
  let now: readonly Language[] | null = null;
  if (language !== undefined) {
    const spoken = languagesOf(agent);
    const on = !spoken.includes(language);
    now = LANGUAGES.filter((l) => l === language ? on : spoken.includes(l));
    if (now.length === 0) now = spoken;
  }
  ctx.store.setLanguages(agent.userId, now);
  ctx.answer(agent, press);
  if (press.chatMessageId !== null) {
    const updated = { ...agent, languages: now };
    ctx.send(chatId, {
      method: "editMessageText",
      params: {
        chat_id: chatId,
        message_id: press.chatMessageId,
        text: languagesText(texts(agent.language), updated),
        reply_markup: keyboard(languageButtons(updated)),
      },
    });
  }
  ctx.channel.staff.agentFreed(ctx, agent.userId);
}

/** A language's name as a button shows it: with a capital (the texts name it mid-sentence). */
function capitalized(name: string): string {
  return name.charAt(0).toLocaleUpperCase() + name.slice(1);
}
