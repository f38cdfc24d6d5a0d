/**
 * The sandbox's company account (Telegram Business): Business Mode on for the bot, and the
 * admin's Telegram account connected to it as a company's own account. Clients write to the
 * company (a tab of their column) instead of the bot; the owner (the admin's column) sees each
 * client's chat with the company, writes in it from their own app, and turns the connection
 * off and on; a client presses the buttons the account's messages carry (the rating, a
 * department). The chats are the emulator's business chats (`tools/emulator/business.ts`).
 *
 * @module
 */
import type { FakeTelegram } from "../emulator/mod.ts";
import {
  ContentEdits,
  type People,
  type Person,
  showMessage,
  type ShownMessage,
} from "./people.ts";

/** One client's chat with the company, as the owner's list shows it. */
export interface CompanyChat {
  readonly client: number;
  readonly name: string;
  readonly last?: { readonly text: string; readonly date: number };
}

/** The company account connected to the sandbox's bot. */
export class CompanyAccount {
  readonly id: string;
  readonly owner: Person;
  readonly #tg: FakeTelegram;
  readonly #people: People;
  readonly #edits = new ContentEdits();
  /** Clients who wrote to the company, in the order they first did. */
  readonly #clients: number[] = [];
  #on = true;

  constructor(tg: FakeTelegram, people: People, owner: Person) {
    this.#tg = tg;
    this.#people = people;
    this.owner = owner;
    tg.setBusinessMode(true);
    this.id = tg.connectBusiness(people.userOf(owner), { id: "sandbox-company" });
  }

  /** Whether the connection is on. */
  get on(): boolean {
    return this.#on;
  }

  /** The owner turns the bot off or on in the account's settings. */
  setOn(on: boolean): void {
    this.#on = on;
    this.#tg.changeBusiness(this.id, { enabled: on });
  }

  /** The clients' chats with the company, newest first. */
  chats(): CompanyChat[] {
    return [...this.#clients].reverse().map((client) => {
      const last = this.#tg.businessMessagesIn(this.id, client).at(-1);
      const text = last ? String(last.text ?? last.caption ?? "📎") : "";
      return {
        client,
        name: this.#people.get(client)?.name ?? String(client),
        ...(last ? { last: { text, date: Number(last.date) } } : {}),
      };
    });
  }

  /** Client `client`'s chat with the company as `viewer` (the client, or the owner) sees it. */
  messages(client: number, viewer: number): ShownMessage[] {
    return this.#tg.businessMessagesIn(this.id, client).map((m) => {
      const from = (m.from as { id?: number } | undefined)?.id;
      const shown = showMessage(m, viewer, this.#edits.note(client, Number(m.message_id), m));
      // Both sides are people here: one's own on the right (the company's, for the owner).
      return { ...shown, out: from === viewer };
    });
  }

  /**
   * Client `as` presses inline button `data` under the account's message `messageId` in their
   * chat with the company; the callback query's id. (A button the message does not carry:
   * a `RangeError`.)
   */
  press(as: Person, messageId: number, data: string): string {
    if (!this.#clients.includes(as.id)) throw new RangeError("no such chat");
    try {
      return this.#tg.pressBusinessButton(this.id, this.#people.userOf(as), messageId, data)
        .callback_query_id;
    } catch (error) {
      throw new RangeError(error instanceof Error ? error.message : String(error));
    }
  }

  /** `as` (a client, or the owner to client `client`) writes `text` in the chat. */
  write(as: Person, client: number, text: string): void {
    const from = this.#people.userOf(as);
    if (as.id === this.owner.id) {
      if (!this.#clients.includes(client)) throw new RangeError("no such chat");
      this.#tg.sendBusinessText(this.id, from, text, { clientId: client });
      return;
    }
    if (!this.#clients.includes(as.id)) this.#clients.push(as.id);
    this.#tg.sendBusinessText(this.id, from, text);
  }
}
