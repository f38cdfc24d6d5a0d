/**
 * A headless Chromium driven over the Chrome DevTools Protocol, with Deno's own WebSocket (no
 * npm dependency): {@link findChromium} looks for a browser (`CHROMIUM_PATH`, then the usual
 * names on PATH), {@link Browser.launch} starts it with a throwaway profile and opens one page;
 * the page is driven by CDP commands (evaluate, type, click, set files, screenshot).
 *
 * @module
 */

const CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
];

/** The Chromium to use: `CHROMIUM_PATH`, or the first of the usual paths that exists. */
export function findChromium(): string | undefined {
  const named = Deno.env.get("CHROMIUM_PATH");
  const paths = named ? [named] : CANDIDATES;
  for (const path of paths) {
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch { /* not there */ }
  }
  return undefined;
}

interface Pending {
  resolve(value: Record<string, unknown>): void;
  reject(error: Error): void;
}

/** A running headless Chromium with one page. */
export class Browser {
  readonly #child: Deno.ChildProcess;
  readonly #profile: string;
  readonly #socket: WebSocket;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #listeners = new Set<(method: string, params: Record<string, unknown>) => void>();
  /** Errors the page's scripts threw or logged (`console.error`), for the test to assert on. */
  readonly errors: string[] = [];

  private constructor(child: Deno.ChildProcess, profile: string, socket: WebSocket) {
    this.#child = child;
    this.#profile = profile;
    this.#socket = socket;
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data));
      if (typeof message.id === "number") {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.error) pending?.reject(new Error(`CDP: ${message.error.message}`));
        else pending?.resolve(message.result ?? {});
      } else if (typeof message.method === "string") {
        for (const listener of this.#listeners) listener(message.method, message.params ?? {});
      }
    };
    this.#listeners.add((method, params) => {
      if (method === "Runtime.exceptionThrown") {
        const details = params.exceptionDetails as {
          text?: string;
          exception?: { description?: string };
        };
        this.errors.push(details.exception?.description ?? details.text ?? "exception");
      }
      if (method === "Runtime.consoleAPICalled" && params.type === "error") {
        this.errors.push(JSON.stringify(params.args));
      }
    });
  }

  /**
   * Starts `executable` headless (window `width`×`height`, the browser's language `lang`, as
   * `navigator.language` says it) and connects to its first page.
   */
  static async launch(
    executable: string,
    width = 1600,
    height = 1000,
    lang = "ru",
  ): Promise<Browser> {
    const profile = await Deno.makeTempDir({ prefix: "sandbox-chromium-" });
    const child = new Deno.Command(executable, {
      args: [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--remote-debugging-port=0",
        `--user-data-dir=${profile}`,
        `--window-size=${width},${height}`,
        `--lang=${lang}`,
        "about:blank",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // Chromium says where its DevTools listen on stderr: "DevTools listening on ws://...".
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    let port: string | undefined;
    const deadline = Date.now() + 30_000;
    while (port === undefined) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`Chromium did not start:\n${seen}`)),
            deadline - Date.now(),
          )
        ),
      ]);
      if (chunk.done) throw new Error(`Chromium exited:\n${seen}`);
      seen += chunk.value;
      port = /DevTools listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(seen)?.[1];
    }
    // Keep reading so Chromium never blocks on a full pipe.
    (async () => {
      try {
        while (!(await reader.read()).done) { /* drained */ }
      } catch { /* closed */ }
    })();
    const targets: { type: string; webSocketDebuggerUrl: string }[] = await fetch(
      `http://127.0.0.1:${port}/json/list`,
    ).then((r) => r.json());
    const page = targets.find((t) => t.type === "page");
    if (!page) throw new Error("Chromium has no page");
    const socket = new WebSocket(page.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = () => reject(new Error("cannot connect to Chromium's DevTools"));
    });
    const browser = new Browser(child, profile, socket);
    await browser.send("Page.enable");
    await browser.send("Runtime.enable");
    // Headless Chromium says `en-US` in `navigator.language` whatever `--lang` says: the
    // browser's language is set for the page this way too.
    const { result } = await browser.send("Runtime.evaluate", {
      expression: "navigator.userAgent",
      returnByValue: true,
    }) as { result: { value: string } };
    await browser.send("Emulation.setUserAgentOverride", {
      userAgent: result.value,
      acceptLanguage: lang,
    });
    await browser.send("Emulation.setDeviceMetricsOverride", {
      width,
      height,
      deviceScaleFactor: 1,
      mobile: false,
    });
    return browser;
  }

  /** Sends CDP command `method` and waits for its result. */
  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Opens `url` and waits for its load event. */
  async goto(url: string): Promise<void> {
    const loaded = new Promise<void>((resolve) => {
      const listener = (method: string) => {
        if (method === "Page.loadEventFired") {
          this.#listeners.delete(listener);
          resolve();
        }
      };
      this.#listeners.add(listener);
    });
    await this.send("Page.navigate", { url });
    await loaded;
  }

  /** The value of `expression` evaluated in the page (awaited when it is a promise). */
  async evaluate<T>(expression: string): Promise<T> {
    const result = await this.send("Runtime.evaluate", {
      expression,
      awaitPromise: true,
      returnByValue: true,
    }) as { result: { value: T }; exceptionDetails?: { exception?: { description?: string } } };
    if (result.exceptionDetails) {
      throw new Error(`in the page: ${result.exceptionDetails.exception?.description}`);
    }
    return result.result.value;
  }

  /** Waits until `expression` is truthy in the page, and returns its value. */
  async waitFor<T>(expression: string, what: string, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const value = await this.evaluate<T>(expression);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Clicks the middle of the element `selector` with the mouse, as a person would, once it is
   * shown (a person waits for it too: a click on a hidden one would land at the page's corner,
   * as under a loaded test run, when the page had not drawn START yet).
   */
  async click(selector: string): Promise<void> {
    const box = await this.waitFor<{ x: number; y: number }>(
      `(() => {
      const el = document.querySelector(${JSON.stringify(selector)});
      if (!el) return null;
      el.scrollIntoView({ block: "center" });
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return null;
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    })()`,
      `${selector} to be shown, to click it`,
    );
    for (const type of ["mousePressed", "mouseReleased"]) {
      await this.send("Input.dispatchMouseEvent", {
        type,
        x: box.x,
        y: box.y,
        button: "left",
        clickCount: 1,
      });
    }
  }

  /** Focuses `selector` and types `text` into it, then presses Enter when `enter`. */
  async type(selector: string, text: string, enter = true): Promise<void> {
    await this.click(selector);
    await this.send("Input.insertText", { text });
    if (enter) {
      for (const type of ["keyDown", "keyUp"]) {
        await this.send("Input.dispatchKeyEvent", {
          type,
          key: "Enter",
          code: "Enter",
          windowsVirtualKeyCode: 13,
          ...(type === "keyDown" ? { text: "\r" } : {}),
        });
      }
    }
  }

  /** Puts `paths` into the file input `selector` (as choosing them in the file dialog). */
  async setFiles(selector: string, paths: string[]): Promise<void> {
    const { root } = await this.send("DOM.getDocument") as { root: { nodeId: number } };
    const { nodeId } = await this.send("DOM.querySelector", { nodeId: root.nodeId, selector });
    if (!nodeId) throw new Error(`no file input at ${selector}`);
    await this.send("DOM.setFileInputFiles", { nodeId, files: paths });
  }

  /** A PNG of the page as it is shown. */
  async screenshot(): Promise<Uint8Array> {
    const { data } = await this.send("Page.captureScreenshot", { format: "png" });
    return Uint8Array.from(atob(String(data)), (c) => c.charCodeAt(0));
  }

  /** Closes the browser and deletes its profile. */
  async close(): Promise<void> {
    try {
      this.#socket.close();
    } catch { /* closed */ }
    try {
      this.#child.kill("SIGKILL");
    } catch { /* gone */ }
    await this.#child.status;
    await Deno.remove(this.#profile, { recursive: true }).catch(() => {});
  }
}
