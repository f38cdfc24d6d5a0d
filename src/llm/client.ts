/**
 * The language model's client: one chat completions request to an OpenAI-compatible API
 * (`POST {LLM_URL}/chat/completions`, as Ollama, vLLM, OpenAI and DeepSeek accept it), with
 * the key as `Authorization: Bearer` when there is one, cut short by the timeout or by the
 * bot's stop. Every failure is a {@link ModelError} naming its kind; no error text carries the
 * key (it is only ever in a header) or the URL (which may carry credentials).
 *
 * @module
 */
import { errorText } from "../base/errors.ts";
import type { LlmConfig } from "../config/mod.ts";
import { type ChatMessage, completionRequest, draftOf } from "../rules/drafts.ts";

/** Why the model gave no draft. */
export type ModelProblem = "timeout" | "unreachable" | "status" | "garbage";

/** The model gave no draft: why, and a short detail fit for a log line. */
export class ModelError extends Error {
  override name = "ModelError";
  constructor(readonly problem: ModelProblem, readonly detail: string) {
    super(`${problem}: ${detail}`);
  }
}

/** An answer longer than this is not read (a draft is a few kilobytes). */
const MAX_ANSWER_BYTES = 1 << 20;

/**
 * Asks the model for the next answer to `messages`: the draft's text. Throws a
 * {@link ModelError}, or the abort of `stop` when the bot stops.
 */
export async function complete(
  llm: LlmConfig,
  messages: readonly ChatMessage[],
  stop: AbortSignal,
): Promise<string> {
  const timeout = AbortSignal.timeout(llm.timeoutMs);
  const signal = AbortSignal.any([stop, timeout]);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
  };
  if (llm.apiKey !== undefined) headers.authorization = `Bearer ${llm.apiKey}`;
  const failed = (error: unknown): never => {
    if (stop.aborted) throw stop.reason;
    if (timeout.aborted) throw new ModelError("timeout", `no answer within ${llm.timeoutMs} ms`);
    if (error instanceof ModelError) throw error;
    throw new ModelError("unreachable", errorText(error).replaceAll(llm.url, "LLM_URL"));
  };
  let response: Response;
  try {
    response = await fetch(`${llm.url}/chat/completions`, {
      method: "POST",
      headers,
      body: completionRequest(llm.model, messages),
      signal,
    });
  } catch (error) {
    return failed(error);
  }
  let body: string;
  try {
    if (!response.ok) {
      await response.body?.cancel();
      throw new ModelError("status", `HTTP ${response.status}`);
    }
    body = await readText(response);
  } catch (error) {
    return failed(error);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ModelError("garbage", "the answer is not JSON");
  }
  const draft = draftOf(json);
  if (draft === undefined) throw new ModelError("garbage", "the answer holds no text");
  return draft;
}

/** The answer's body as text, refused beyond {@link MAX_ANSWER_BYTES}. */
async function readText(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new ModelError("garbage", `the answer is over ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}
