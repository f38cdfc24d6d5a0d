/**
 * The drafter: the loop that turns draft requests into drafts, beside the outbox's sender and
 * never in the way of the relay. A client's message only leaves a row (`src/desk/drafts.ts`);
 * here, a few times a second, due requests are taken (at most {@link MAX_IN_FLIGHT} at once),
 * the ticket's recent texts and the matching articles read, and the model asked, with a
 * timeout and no retry: a request the model fails is dropped (a client's next message asks
 * again). A request cut short by a stop stays pending and is taken once more after the start;
 * one taken {@link MAX_TRIES} times is given up. The answer and its delivery to staff are
 * written in one transaction by the desk ({@link DraftOutcomes}).
 *
 * An outage of the model (timeouts, refusals, errors, garbage) is logged once when it begins
 * (`llm.unavailable`) and once when a draft comes again (`llm.recovered`), never per request.
 *
 * @module
 */
import { errorText } from "../base/errors.ts";
import type { Logger } from "../base/log.ts";
import { sleep } from "../base/wait.ts";
import type { CommitBoundary } from "../boundary.ts";
import type { LlmConfig } from "../config/mod.ts";
import {
  type ArticleFinder,
  DEFAULT_PROMPT,
  DRAFT_ARTICLES,
  DRAFT_LINES,
  type DraftArticle,
  draftMessages,
  latestQuestion,
} from "../rules/drafts.ts";
import type { Draft, Store } from "../store/mod.ts";
import { complete, ModelError } from "./client.ts";

/** What the desk does with the drafter's results, each in one transaction. */
export interface DraftOutcomes {
  /** The model's `text` for request `draftId` (taken when `asks` messages had asked). */
  draftReady(draftId: number, asks: number, text: string): unknown;
  /** Request `draftId` gets no draft. */
  draftFailed(draftId: number, asks: number, why: "failed" | "stale"): void;
}

/** What the drafter works with. */
export interface DrafterDeps {
  readonly store: Store;
  readonly boundary: CommitBoundary;
  readonly outcomes: DraftOutcomes;
  readonly llm: LlmConfig;
  readonly log: Logger;
  /** The knowledge base's search, when there is one: its articles go into the prompt. */
  readonly articles?: ArticleFinder;
}

/** Requests asked of the model at once. */
export const MAX_IN_FLIGHT = 4;
/** A request taken this many times (each cut short by a stop) is given up. */
export const MAX_TRIES = 2;
/** How often due requests are looked for. */
const POLL_MS = 200;

/** See the module's comment. */
export class Drafter {
  readonly #deps: DrafterDeps;
  readonly #stop = new AbortController();
  readonly #inFlight = new Map<number, Promise<void>>();
  #loop: Promise<void> | undefined;
  /** The model's outage under way: since when (the bot's clock). */
  #down: number | undefined;

  constructor(deps: DrafterDeps) {
    this.#deps = deps;
  }

  /** Starts the loop. */
  start(): void {
    this.#loop ??= this.#run();
  }

  /** Whether the model failed its last request. */
  get down(): boolean {
    return this.#down !== undefined;
  }

  /** Stops the loop and aborts the requests in flight (they stay pending for the next start). */
  async stop(): Promise<void> {
    this.#stop.abort(new DOMException("the bot stops", "AbortError"));
    await this.#loop;
    await Promise.all(this.#inFlight.values());
  }

  /** Resolves once no request is in flight or due (for tests). */
  async idle(): Promise<void> {
    for (;;) {
      await Promise.all(this.#inFlight.values());
      const next = this.#deps.store.nextDraftDue();
      if (this.#inFlight.size === 0 && next === null) return;
      await sleep(POLL_MS);
    }
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      try {
        this.#takeDue();
      } catch {
        // A storage fault: the boundary logs it once; the next turn tries again.
      }
      await sleep(POLL_MS, signal);
    }
  }

  /** Takes what is due, up to {@link MAX_IN_FLIGHT} requests in flight. */
  #takeDue(): void {
    const { boundary, store } = this.#deps;
    const free = MAX_IN_FLIGHT - this.#inFlight.size;
    if (free <= 0 || boundary.lost || boundary.open) return;
    const due = store.dueDrafts(boundary.now(), MAX_IN_FLIGHT * 2)
      .filter((d) => !this.#inFlight.has(d.id))
      .slice(0, free);
    for (const request of due) {
      const work = this.#draft(request)
        .catch(() => {/* a storage fault, logged by the boundary */})
        .finally(() => this.#inFlight.delete(request.id));
      this.#inFlight.set(request.id, work);
    }
  }

  /** One request: taken, asked of the model, its answer handed to the desk. */
  async #draft(request: Draft): Promise<void> {
    const { boundary, store, outcomes, llm } = this.#deps;
    const { id, asks } = request;
    if (request.tries >= MAX_TRIES) return outcomes.draftFailed(id, asks, "failed");
    const lines = boundary.write(() =>
      store.takeDraft(id) ? store.draftLines(request.ticketId, DRAFT_LINES) : undefined
    );
    if (lines === undefined) return;
    // The last word is an agent's (or nothing is left to read): nothing to answer.
    if (lines[0]?.role !== "client") return outcomes.draftFailed(id, asks, "stale");
    const messages = draftMessages(llm.prompt ?? DEFAULT_PROMPT, lines, this.#articlesFor(lines));
    let text: string;
    try {
      text = await complete(llm, messages, this.#stop.signal);
    } catch (error) {
      // Stopping: the request stays pending, taken again after the start.
      if (this.#stop.signal.aborted) return;
      this.#failed(error);
      return outcomes.draftFailed(id, asks, "failed");
    }
    this.#answered();
    outcomes.draftReady(id, asks, text);
  }

  /** The articles that match what the client asked last; none when the search fails. */
  #articlesFor(lines: Parameters<typeof latestQuestion>[0]): readonly DraftArticle[] {
    const find = this.#deps.articles;
    const question = latestQuestion(lines);
    if (find === undefined || question === "") return [];
    try {
      return find(question, DRAFT_ARTICLES);
    } catch {
      return [];
    }
  }

  /** A request failed: the first failure of an outage is logged. */
  #failed(error: unknown): void {
    if (this.#down !== undefined) return;
    this.#down = this.#deps.boundary.now();
    const fields = error instanceof ModelError
      ? { problem: error.problem, error: error.detail }
      : { problem: "error", error: errorText(error) };
    this.#deps.log.warn("llm.unavailable", { ...fields, model: this.#deps.llm.model });
  }

  /** A draft came: an outage, if any, is over. */
  #answered(): void {
    if (this.#down === undefined) return;
    const after = Math.max(0, this.#deps.boundary.now() - this.#down);
    this.#down = undefined;
    this.#deps.log.info("llm.recovered", { after_ms: after });
  }
}
