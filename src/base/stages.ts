/**
 * Per-stage timestamps of relayed messages, for the benchmarks (`deno task bench floor` with
 * `BENCH_STAGES=1`): where a message's latency goes inside the bot. Off unless the
 * environment names a file in `HELPDESK_STAGES_FILE`; then {@link stages} is set and the
 * polling loop, the commit boundary and the sender note the time (epoch ms, sub-millisecond)
 * of each stage: a batch **received** from `getUpdates`, **committed**, the sender **woke**
 * (the look that started the lane's worker), the **written** request handed to `fetch`,
 * Telegram's answer **read**. Each send is paired with the last batch committed before it
 * was taken (exact when batches hold one update, as at an everyday rate). Written to the
 * file when the sender stops. Off, it costs one `undefined` check per stage.
 *
 * @module
 */

/** One send, its stages as epoch milliseconds. */
export interface StageRecord {
  readonly received: number;
  readonly committed: number;
  readonly woke: number;
  readonly written: number;
  readonly answered: number;
}

/** The recorder of stage timestamps; see the module's comment. */
export class Stages {
  readonly #file: string;
  readonly #records: StageRecord[] = [];
  #received = 0;
  #batchReceived = 0;
  #committed = 0;
  #woke = 0;

  constructor(file: string) {
    this.#file = file;
  }

  /** A batch arrived from `getUpdates`. */
  received(): void {
    this.#received = now();
  }

  /** The batch committed. */
  committed(): void {
    this.#batchReceived = this.#received;
    this.#committed = now();
  }

  /** The sender looked for work. */
  woke(): void {
    this.#woke = now();
  }

  /** A send is about to be written; returns its stages so far, to finish with {@link answered}. */
  written(): [number, number, number, number] {
    return [this.#batchReceived, this.#committed, this.#woke, now()];
  }

  /** Telegram answered the send begun at `begun`. */
  answered(begun: [number, number, number, number]): void {
    const [received, committed, woke, written] = begun;
    this.#records.push({ received, committed, woke, written, answered: now() });
  }

  /** Writes what was recorded (one JSON object per line) and forgets it. */
  flush(): void {
    const lines = this.#records.map((r) => JSON.stringify(r)).join("\n");
    this.#records.length = 0;
    Deno.writeTextFileSync(this.#file, lines + "\n", { append: true });
  }
}

function now(): number {
  return performance.timeOrigin + performance.now();
}

function fromEnvironment(): Stages | undefined {
  try {
    const file = Deno.env.get("HELPDESK_STAGES_FILE");
    return file ? new Stages(file) : undefined;
  } catch {
    // Not allowed to read the environment: off.
    return undefined;
  }
}

/** The stage recorder, when the environment asks for one; `undefined` in production. */
export const stages: Stages | undefined = fromEnvironment();
