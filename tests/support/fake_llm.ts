/**
 * A fake of an OpenAI-compatible chat completions API, on 127.0.0.1 over real HTTP, for the
 * drafts' tests: it records every request (path, headers, body) and answers as it is told: a
 * draft, slowly, with an HTTP error, or with garbage. `closedUrl()` is a URL where nothing
 * listens (a refused connection).
 *
 * @module
 */
import { sleep } from "../../src/base/wait.ts";

/** One request the fake received. */
export interface ModelRequest {
  readonly path: string;
  readonly headers: Headers;
  readonly body: {
    readonly model: string;
    readonly messages: readonly { readonly role: string; readonly content: string }[];
  };
}

/** How the fake answers. */
export type Behaviour =
  | { readonly kind: "answer"; readonly text: (request: ModelRequest) => string }
  | { readonly kind: "slow"; readonly ms: number; readonly text: string }
  | { readonly kind: "status"; readonly status: number }
  | { readonly kind: "garbage" };

/** See the module's comment. */
export class FakeModel {
  readonly requests: ModelRequest[] = [];
  behaviour: Behaviour = { kind: "answer", text: () => "Здравствуйте! Это черновик." };
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  /** Cuts the slow answers short when the fake closes. */
  readonly #closing = new AbortController();

  private constructor() {
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (request) => this.#handle(request),
    );
  }

  /** Starts a fake on a free port. */
  static start(): FakeModel {
    return new FakeModel();
  }

  /** The base URL to give as `LLM_URL`. */
  get url(): string {
    return `http://127.0.0.1:${this.#server.addr.port}/v1`;
  }

  /** The text of every message of the requests received, joined. */
  allContent(): string {
    return this.requests.flatMap((r) => r.body.messages.map((m) => m.content)).join("\n");
  }

  async #handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const body = await request.json();
    const received: ModelRequest = { path: url.pathname, headers: request.headers, body };
    this.requests.push(received);
    if (request.method !== "POST" || url.pathname !== "/v1/chat/completions") {
      return new Response("not found", { status: 404 });
    }
    const b = this.behaviour;
    switch (b.kind) {
      case "answer":
        return completion(b.text(received));
      case "slow":
        await sleep(b.ms, this.#closing.signal);
        return completion(b.text);
      case "status":
        return Response.json({ error: { message: "the model is overloaded" } }, {
          status: b.status,
        });
      case "garbage":
        return new Response("<html>502 Bad Gateway</html>", {
          headers: { "content-type": "text/html" },
        });
    }
  }

  async close(): Promise<void> {
    this.#closing.abort();
    await this.#server.shutdown();
  }
}

/** A chat completions answer holding `text`. */
function completion(text: string): Response {
  return Response.json({
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "fake",
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
  });
}

/** A base URL on 127.0.0.1 where nothing listens: connections are refused. */
export function closedUrl(): string {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return `http://127.0.0.1:${port}/v1`;
}
