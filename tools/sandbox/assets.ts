/**
 * The sandbox page's static files (`page/`: the HTML, the script, the styles, the icon),
 * served from disk next to this module. Nothing comes from the internet: no CDN, no web
 * fonts; the page works offline.
 *
 * @module
 */

/** The files of the page, by URL path: file name and content type. */
export const ASSETS: Readonly<Record<string, readonly [string, string]>> = {
  "/": ["index.html", "text/html; charset=utf-8"],
  "/index.html": ["index.html", "text/html; charset=utf-8"],
  "/app.js": ["app.js", "text/javascript; charset=utf-8"],
  "/entities.js": ["entities.js", "text/javascript; charset=utf-8"],
  "/style.css": ["style.css", "text/css; charset=utf-8"],
  "/favicon.svg": ["favicon.svg", "image/svg+xml"],
};

const PAGE = new URL("./page/", import.meta.url);

/** The page's file at `path`, or 404. */
export async function serveAsset(path: string): Promise<Response> {
  const asset = ASSETS[path];
  if (!asset) return new Response("Not found", { status: 404 });
  const bytes = await Deno.readFile(new URL(asset[0], PAGE));
  return new Response(bytes, {
    headers: {
      "content-type": asset[1],
      "cache-control": "no-store",
      // Only this server: a page that tried to load anything from outside would fail here too.
      "content-security-policy":
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'",
      "x-content-type-options": "nosniff",
    },
  });
}
